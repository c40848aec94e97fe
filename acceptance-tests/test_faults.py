"""Fault injection: microburst (AWS-wire-format faults) between the provider and moto.

A share of ECR calls is throttled, fails with HTTP 500, or has its connection reset before it
reaches moto. One `terraform apply` of 60 resources must converge (the provider's SDK retries
throttling, 5xx and resets), and afterwards AWS and the state agree exactly: no orphans, no
duplicates, nothing missing; a second plan, still through the faults, is empty.
"""
from __future__ import annotations

import json
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from harness import free_port, moto_server_bin, provider_block

N = 30  # repositories, each with a lifecycle policy: 60 resources

RULES = [
    {"service": "ecr", "probability": 0.15, "error": {"code": "ThrottlingException", "status": 400}},
    {"service": "ecr", "probability": 0.05, "error": {"code": "ServerException", "status": 500}},
    {"service": "ecr", "probability": 0.03, "reset": True},
]


@pytest.fixture
def faulty(moto, tmp_path):
    """microburst in front of moto with RULES; yields its URL, checks that faults fired."""
    exe = Path(moto_server_bin()).parent / "microburst"
    port = free_port()
    log = open(tmp_path / "microburst.log", "w")
    proc = subprocess.Popen([str(exe), "--upstream", moto.url, "--port", str(port), "--host", "127.0.0.1"],
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/_microburst/rules", timeout=1).read()
                break
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        req = urllib.request.Request(f"{url}/_microburst/rules", data=json.dumps(RULES).encode(), method="PUT",
                                     headers={"Content-Type": "application/json"})
        try:
            urllib.request.urlopen(req, timeout=5).read()
        except urllib.error.HTTPError:
            req.method = "PATCH"
            urllib.request.urlopen(req, timeout=5).read()
        yield url
        fired = json.loads(urllib.request.urlopen(f"{url}/_microburst/fired", timeout=5).read())
        actions = sorted({f.get("action", "?") for f in fired})
        print(f"microburst fired {len(fired)} faults: {actions}")
        assert len(fired) >= 10, f"only {len(fired)} faults fired; the test proved nothing:\n{fired}"
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


POLICY = json.dumps({"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed",
                                                                   "countUnit": "days", "countNumber": 7},
                                 "action": {"type": "expire"}}]})


def test_apply_of_60_resources_converges_through_faults(ws, ecr, faulty):
    ws.write(provider_block(faulty) + f'''
resource "ecr_repository" "r" {{
  count = {N}
  name  = "faults/repo-${{count.index}}"
}}

resource "ecr_lifecycle_policy" "p" {{
  count      = {N}
  repository = ecr_repository.r[count.index].name
  policy     = {json.dumps(POLICY)}
}}
''')
    ws.apply()  # one run, no second chance

    names = sorted(r["repositoryName"] for p in ecr.get_paginator("describe_repositories").paginate()
                   for r in p["repositories"])
    assert names == sorted(f"faults/repo-{i}" for i in range(N)), "AWS and configuration disagree"
    resources = ws.resources()
    in_state = sorted(r["values"]["name"] for r in resources if r["type"] == "ecr_repository")
    assert in_state == names, "state and AWS disagree (orphans or duplicates)"
    assert sorted(r["values"]["repository"] for r in resources if r["type"] == "ecr_lifecycle_policy") == names
    for n in names:
        assert json.loads(ecr.get_lifecycle_policy(repositoryName=n)["lifecyclePolicyText"])["rules"]

    code, out = ws.plan_exitcode()
    assert code == 0, f"second plan through the faults is not empty:\n{out}"
