"""The CI workflow snippets in examples/ci do what the README says, run as a job would run them.

The lifecycle workflow's validation step is executed verbatim (bash, as GitHub Actions runs a
`run:` block) with the binary under test on PATH, over a folder of policies: it must fail the job
and annotate exactly the invalid file, and pass once that file is fixed.
"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import yaml

from harness import REPO_ROOT

CI = REPO_ROOT / "examples" / "ci"

GOOD = {"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed",
                                                   "countUnit": "days", "countNumber": 14},
                   "action": {"type": "expire"}}]}
# Two rules with the same priority: AWS refuses it at apply time; the step must refuse it first.
BAD = {"rules": [dict(GOOD["rules"][0]),
                 {"rulePriority": 1, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan",
                                                   "countNumber": 100}, "action": {"type": "expire"}}]}


def step(workflow: str, name: str) -> str:
    doc = yaml.safe_load((CI / workflow).read_text())
    for job in doc["jobs"].values():
        for s in job["steps"]:
            if s.get("name") == name:
                return s["run"]
    raise AssertionError(f"no step {name!r} in {workflow}")


def run_step(script: str, cwd: Path, provider_dir: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=f"{provider_dir}{os.pathsep}{os.environ['PATH']}")
    # GitHub runs `run:` blocks with `bash -e {0}`.
    return subprocess.run(["bash", "-e", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def test_lifecycle_workflow_fails_on_the_bad_policy_and_names_it(tmp_path, provider_dir):
    script = step("lifecycle-validate.yml", "Validate lifecycle policies")
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "app.json").write_text(json.dumps(GOOD))
    (policies / "worker.json").write_text(json.dumps(BAD))

    r = run_step(script, tmp_path, provider_dir)
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    assert "::error file=policies/worker.json::" in r.stdout, out
    assert "::error file=policies/app.json::" not in r.stdout, out
    assert "rulePriority 1 is used by both" in out, out

    (policies / "worker.json").write_text(json.dumps(GOOD))
    r = run_step(script, tmp_path, provider_dir)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "::error" not in r.stdout


def test_ci_workflows_are_valid_yaml_with_jobs():
    for wf in sorted(CI.glob("*.yml")):
        doc = yaml.safe_load(wf.read_text())
        # PyYAML reads the bare key `on` as True (YAML 1.1); GitHub reads it as "on".
        assert doc.get("on", doc.get(True)), wf.name
        assert all(job["steps"] for job in doc["jobs"].values()), wf.name


SESSION_POLICY = {"Version": "2012-10-17", "Statement": [{
    "Sid": "Deployer", "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:sts::111122223333:assumed-role/deployer/ci"},
    "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]}]}
REGISTRY_POLICY = {"Version": "2012-10-17", "Statement": [{
    "Sid": "Replication", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
    "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"], "Resource": "arn:aws:ecr:us-east-1:111122223333:repository/*"}]}
NO_PRINCIPAL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:BatchGetImage", "Resource": "*"}]}
SECRET = "arn:aws:secretsmanager:us-east-1:111122223333:secret:ecr-pullthroughcache/quay-AbCdEf"
QUAY_WITH_SECRET = {"ecrRepositoryPrefix": "quay", "upstreamRegistryUrl": "quay.io", "credentialArn": SECRET}
HUB_WITHOUT_SECRET = {"ecrRepositoryPrefix": "docker-hub", "upstreamRegistryUrl": "registry-1.docker.io"}


def test_policy_workflow_fails_only_on_refused_files(tmp_path, provider_dir):
    script = step("policy-validate.yml", "Validate policies and pull-through rules")
    files = {
        "policies/repository/app.json": SESSION_POLICY,
        "policies/repository/broken.json": NO_PRINCIPAL,
        "policies/registry/replication.json": REGISTRY_POLICY,
        "pull-through/quay.json": QUAY_WITH_SECRET,
        "pull-through/docker-hub.json": HUB_WITHOUT_SECRET,
    }
    for name, doc in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(json.dumps(doc))

    r = run_step(script, tmp_path, provider_dir)
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    errors = sorted(line.split("::")[1] for line in r.stdout.splitlines() if line.startswith("::error"))
    assert errors == ["error file=policies/repository/broken.json", "error file=pull-through/docker-hub.json"], out
    assert "Missing Principal" in out and "Upstream needs credentials" in out, out
    # The two cases of issue 19 pass, with their warnings shown.
    assert "Principal is one role session" in out and "Credentials for an upstream that needs none" in out, out

    (tmp_path / "policies/repository/broken.json").write_text(json.dumps(SESSION_POLICY))
    (tmp_path / "pull-through/docker-hub.json").write_text(json.dumps(dict(HUB_WITHOUT_SECRET, credentialArn=SECRET)))
    r = run_step(script, tmp_path, provider_dir)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "::error" not in r.stdout
