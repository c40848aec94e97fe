"""The provider is SIGKILLed mid-apply; the next plain `terraform apply` converges.

A proxy between the provider and the emulator forwards every call; when it sees the Nth call of
a chosen operation it lets the emulator perform it, then kills the provider before answering.
The object then exists in AWS but Terraform never heard of it: the next apply must adopt it
(CreateRepository, CreatePullThroughCacheRule) or simply redo it (Put*/Set* calls).
Afterwards AWS and the state agree exactly and a third plan is empty.

Also: a repository that is not a leftover (it holds images, or its settings are not what this
configuration creates) is refused with the reasons and the import command, and left untouched;
a fresh empty one created with the configured settings is adopted.
"""
from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import boto3
import pytest

from harness import PROVIDER_BINARY_NAME, REGION, ForwardingProxy, provider_block, push_image



def _descendants(root: int) -> set[int]:
    """Pids of every process below `root` (from /proc)."""
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(d))
    out, todo = set(), [root]
    while todo:
        for c in children.get(todo.pop(), []):
            if c not in out:
                out.add(c)
                todo.append(c)
    return out


class KillingProxy(ForwardingProxy):
    """Forwards to `upstream`; on the `nth` call of `operation` (X-Amz-Target suffix), lets the
    upstream perform it, then SIGKILLs every process below this test process whose executable is
    `binary` (the provider under test, started by terraform), and answers nothing. Fires once."""

    def __init__(self, upstream: str, binary: Path, operation: str, nth: int):
        super().__init__(upstream)
        self.binary = str(binary.resolve())
        self.operation, self.nth = operation, nth
        self.seen_count = 0
        self.killed: list[int] = []

    def seen(self, op, headers) -> bool:
        """True for the call to kill after."""
        with self.lock:
            if op == self.operation and not self.killed:
                self.seen_count += 1
            return op == self.operation and self.seen_count == self.nth and not self.killed

    def withhold(self, op, fire, status, body) -> bool:
        if fire:
            assert status == 200, f"{op} failed upstream: {status} {body[:300]!r}"
            self.kill()
        return fire

    def kill(self) -> None:
        for pid in _descendants(os.getpid()):
            try:
                if os.readlink(f"/proc/{pid}/exe") == self.binary:
                    os.kill(pid, signal.SIGKILL)
                    self.killed.append(pid)
            except OSError:
                pass
        assert self.killed, f"no running {self.binary} below pid {os.getpid()} to kill"


POLICY = json.dumps({"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed",
                                                                   "countUnit": "days", "countNumber": 7},
                                 "action": {"type": "expire"}}]})

POSTURE_OFF = 'posture_checks = "off"'  # keeps the output to what this test is about
N_REPOS = 12  # + 12 lifecycle policies + 4 repository policies + 4 grants = 32 resources


def moto_config(endpoint: str) -> str:
    return provider_block(endpoint, POSTURE_OFF) + f'''
resource "ecr_repository" "r" {{
  count = {N_REPOS}
  name  = "crash/repo-${{count.index}}"
  image_tag_mutability = count.index % 2 == 0 ? "IMMUTABLE" : "MUTABLE"
  image_scanning_configuration {{
    scan_on_push = count.index % 3 == 0
  }}
  tags = {{ suite = "crash" }}
}}

resource "ecr_lifecycle_policy" "p" {{
  count      = {N_REPOS}
  repository = ecr_repository.r[count.index].name
  policy     = {json.dumps(POLICY)}
}}

resource "ecr_repository_policy" "rp" {{
  count      = 4
  repository = ecr_repository.r[count.index].name
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Sid = "Pull", Effect = "Allow", Principal = {{ AWS = "111122223333" }}, Action = "ecr:BatchGetImage" }}]
  }})
}}

resource "ecr_cross_account_grant" "g" {{
  count      = 4
  repository = ecr_repository.r[4 + count.index].name
  sid        = "Grant${{count.index}}"
  principals = [format("%012d", 100000000000 + count.index)]
}}
'''


def aws_objects(ecr) -> set[str]:
    """What exists in AWS, as addresses-like keys comparable with state_objects()."""
    out = set()
    for page in ecr.get_paginator("describe_repositories").paginate():
        for r in page["repositories"]:
            name = r["repositoryName"]
            out.add(f"repository:{name}")
            try:
                ecr.get_lifecycle_policy(repositoryName=name)
                out.add(f"lifecycle_policy:{name}")
            except ecr.exceptions.LifecyclePolicyNotFoundException:
                pass
            try:
                doc = json.loads(ecr.get_repository_policy(repositoryName=name)["policyText"])
                st = doc["Statement"]
                for s in st if isinstance(st, list) else [st]:
                    out.add(f"policy_statement:{name}:{s.get('Sid', '')}")
            except ecr.exceptions.RepositoryPolicyNotFoundException:
                pass
    return out


def state_objects(ws) -> list[str]:
    """The same keys from Terraform's state (a list: duplicates would show)."""
    out = []
    for r in ws.resources():
        v = r["values"]
        if r["type"] == "ecr_repository":
            out.append(f"repository:{v['name']}")
        elif r["type"] == "ecr_lifecycle_policy":
            out.append(f"lifecycle_policy:{v['repository']}")
        elif r["type"] == "ecr_repository_policy":
            out.append(f"policy_statement:{v['repository']}:Pull")
        elif r["type"] == "ecr_cross_account_grant":
            out.append(f"policy_statement:{v['repository']}:{v['sid']}")
    return out


def expected_objects() -> set[str]:
    exp = {f"repository:crash/repo-{i}" for i in range(N_REPOS)}
    exp |= {f"lifecycle_policy:crash/repo-{i}" for i in range(N_REPOS)}
    exp |= {f"policy_statement:crash/repo-{i}:Pull" for i in range(4)}
    exp |= {f"policy_statement:crash/repo-{4 + i}:Grant{i}" for i in range(4)}
    return exp


def crash_then_converge(ws, proxy, remote_objects, expected, state_keys, crash_args=()):
    """The three applies of the scenario; returns (first, second) results for reporting."""
    first = ws.apply(*crash_args, check=False)
    out1 = first.stdout + first.stderr
    assert first.returncode != 0, f"first apply survived the kill:\n{out1}"
    assert proxy.killed, "the proxy never fired"
    assert "plugin" in out1.lower(), f"Terraform did not report the plugin crash:\n{out1}"
    in_state_1 = state_keys(ws)
    remote_1 = remote_objects()
    orphans = remote_1 - set(in_state_1)
    assert orphans, f"the kill missed the window: every object in AWS is in state\n{sorted(remote_1)}"
    print(f"\nfirst apply: exit {first.returncode} in {first.duration:.1f}s; in state: {sorted(in_state_1)}; "
          f"{len(in_state_1)} objects in state, "
          f"{len(remote_1)} in AWS, {len(orphans)} not in state: {sorted(orphans)}")
    print("Terraform said:\n" + "\n".join(line for line in out1.splitlines() if line.strip())[-2500:])

    # With nothing firing any more, a plain apply converges.
    second = ws.apply()
    out2 = " ".join((second.stdout + second.stderr).split())
    adopted = out2.count("Warning: Adopted existing")
    print(f"second apply: {second.duration:.1f}s, {adopted} adoption warning(s)")
    in_state = state_keys(ws)
    assert len(in_state) == len(set(in_state)), f"duplicates in state: {sorted(in_state)}"
    assert set(in_state) == expected, f"state differs from configuration: {sorted(set(in_state) ^ expected)}"
    assert remote_objects() == expected, f"AWS differs from configuration: {sorted(remote_objects() ^ expected)}"
    code, out3 = ws.plan_exitcode()
    assert code == 0, f"third plan is not empty:\n{out3}"
    return first, second, orphans, adopted


@pytest.mark.parametrize("operation,nth", [
    ("CreateRepository", 7),
    ("PutLifecyclePolicy", 3),
    ("SetRepositoryPolicy", 3),
])
def test_kill_mid_apply_then_apply_converges(ws, ecr, moto, provider_dir, operation, nth):
    binary = provider_dir / PROVIDER_BINARY_NAME
    with KillingProxy(moto.url, binary, operation, nth) as proxy:
        ws.write(moto_config(proxy.url))
        # Four at a time, so some resources complete before the kill and must be in state.
        _, second, orphans, adopted = crash_then_converge(
            ws, proxy, lambda: aws_objects(ecr), expected_objects(), state_objects, ("-parallelism=4",))
    out2 = " ".join((second.stdout + second.stderr).split())
    orphan_repos = {o.split(":", 1)[1] for o in orphans if o.startswith("repository:")}
    if operation == "CreateRepository":
        assert orphan_repos, f"no orphaned repository: {orphans}"
    # Exactly the orphaned repositories are adopted (a CreateRepository in flight at the kill
    # can leave one behind whatever call triggered it); Put*/Set* resources just redo their call.
    assert adopted == len(orphan_repos), out2
    for name in orphan_repos:
        assert f'Adopted existing ECR repository "{name}"' in out2, out2
    # Adopted or not, each repository has the configured settings.
    for r in ecr.describe_repositories()["repositories"]:
        i = int(r["repositoryName"].rsplit("-", 1)[1])
        assert r["imageTagMutability"] == ("IMMUTABLE" if i % 2 == 0 else "MUTABLE")
        assert r["imageScanningConfiguration"]["scanOnPush"] == (i % 3 == 0)
        tags = {t["Key"]: t["Value"] for t in ecr.list_tags_for_resource(resourceArn=r["repositoryArn"])["tags"]}
        assert tags == {"suite": "crash"}

    ws.write(moto_config(moto.url))  # the proxy is gone
    ws.destroy()
    assert ecr.describe_repositories()["repositories"] == []


LEFTOVER_HCL = '''
resource "ecr_repository" "r" {
  name                 = "left/over"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration { scan_on_push = true }
  tags = { team = "a" }
}
'''


def test_leftover_repository_is_adopted(ws, ecr, provider_hcl):
    """A fresh empty repository with exactly the configured settings: what a killed apply leaves."""
    ecr.create_repository(repositoryName="left/over", imageTagMutability="IMMUTABLE",
                          imageScanningConfiguration={"scanOnPush": True}, tags=[{"Key": "team", "Value": "a"}])
    before = ecr.describe_repositories(repositoryNames=["left/over"])["repositories"][0]
    ws.write(provider_hcl + LEFTOVER_HCL)
    out = ws.apply()
    text = " ".join((out.stdout + out.stderr).split())
    assert 'Warning: Adopted existing ECR repository "left/over"' in text, text
    assert "interrupted" in text
    assert ecr.describe_repositories(repositoryNames=["left/over"])["repositories"][0] == before
    assert ws.attrs("ecr_repository.r")["arn"] == before["repositoryArn"]
    code, plan = ws.plan_exitcode()
    assert code == 0, plan


def test_new_repository_with_other_settings_is_not_taken_over(ws, ecr, provider_hcl):
    """Empty and seconds old, but not what this configuration creates: another workspace's."""
    ecr.create_repository(repositoryName="left/over", imageTagMutability="MUTABLE")
    before = ecr.describe_repositories(repositoryNames=["left/over"])["repositories"][0]
    ws.write(provider_hcl + LEFTOVER_HCL)
    r = ws.apply(check=False)
    out = " ".join((r.stdout + r.stderr).split())
    assert r.returncode == 1, out
    assert ("not adopted: image_tag_mutability MUTABLE differs from planned IMMUTABLE; "
            "scan_on_push false differs from planned true; its tags {} differ from the planned {team=a}") in out, out
    assert "terraform import ecr_repository.<name> left/over" in out, out
    assert ecr.describe_repositories(repositoryNames=["left/over"])["repositories"][0] == before
    assert ecr.list_tags_for_resource(resourceArn=before["repositoryArn"])["tags"] == []
    assert ws.resource("ecr_repository.r") is None


def test_repository_holding_images_is_not_adopted(ws, ecr, provider_hcl):
    ecr.create_repository(repositoryName="busy/app", imageTagMutability="MUTABLE")
    push_image(ecr, "busy/app", "v1", salt="one")
    push_image(ecr, "busy/app", "v2", salt="two")
    before = ecr.describe_repositories(repositoryNames=["busy/app"])["repositories"][0]
    ws.write(provider_hcl + '''
resource "ecr_repository" "app" {
  name                 = "busy/app"
  image_tag_mutability = "IMMUTABLE"
  tags                 = { team = "a" }
}
''')
    r = ws.apply(check=False)
    out = " ".join((r.stdout + r.stderr).split())  # Terraform wraps long lines
    assert r.returncode == 1, out
    assert 'ECR repository "busy/app" already exists' in out, out
    assert "not adopted: it holds images;" in out, out
    assert "terraform import ecr_repository.<name> busy/app" in out, out
    # Nothing was changed on the repository, and Terraform does not claim it.
    after = ecr.describe_repositories(repositoryNames=["busy/app"])["repositories"][0]
    assert after == before
    assert ecr.list_tags_for_resource(resourceArn=after["repositoryArn"])["tags"] == []
    assert len(ecr.describe_images(repositoryName="busy/app")["imageDetails"]) == 2
    assert ws.resource("ecr_repository.app") is None


# --------------------------------------------------------------------------------------------
# pull-through cache rules (fakecloud)
# --------------------------------------------------------------------------------------------

N_RULES = 8  # + 6 repositories + 6 lifecycle policies = 20 resources
N_PTC_REPOS = 6
UPSTREAMS = ["quay.io", "registry.k8s.io", "public.ecr.aws"]


def ptc_config(endpoint: str) -> str:
    return provider_block(endpoint, POSTURE_OFF) + f'''
locals {{
  upstreams = {json.dumps(UPSTREAMS)}
}}

resource "ecr_pull_through_cache_rule" "c" {{
  count                 = {N_RULES}
  ecr_repository_prefix = "cache-${{count.index}}"
  upstream_registry_url = local.upstreams[count.index % {len(UPSTREAMS)}]
}}

resource "ecr_repository" "r" {{
  count = {N_PTC_REPOS}
  name  = "ptc/repo-${{count.index}}"
}}

resource "ecr_lifecycle_policy" "p" {{
  count      = {N_PTC_REPOS}
  repository = ecr_repository.r[count.index].name
  policy     = {json.dumps(POLICY)}
}}
'''


def test_kill_mid_apply_with_pull_through_cache_rules_converges(ws, fakecloud, provider_dir):
    fakecloud.reset()
    kw = dict(endpoint_url=fakecloud.url, region_name=REGION, aws_access_key_id="test", aws_secret_access_key="test")
    ecr = boto3.client("ecr", **kw)

    def remote() -> set[str]:
        out = {f"repository:{r['repositoryName']}" for r in ecr.describe_repositories()["repositories"]}
        out |= {f"rule:{r['ecrRepositoryPrefix']}"
                for r in ecr.describe_pull_through_cache_rules().get("pullThroughCacheRules", [])}
        for name in [o.split(":", 1)[1] for o in out if o.startswith("repository:")]:
            try:
                ecr.get_lifecycle_policy(repositoryName=name)
                out.add(f"lifecycle_policy:{name}")
            except ecr.exceptions.LifecyclePolicyNotFoundException:
                pass
        return out

    def in_state(w) -> list[str]:
        keys = []
        for r in w.resources():
            v = r["values"]
            keys.append({"ecr_pull_through_cache_rule": lambda: f"rule:{v['ecr_repository_prefix']}",
                         "ecr_repository": lambda: f"repository:{v['name']}",
                         "ecr_lifecycle_policy": lambda: f"lifecycle_policy:{v['repository']}"}[r["type"]]())
        return keys

    expected = {f"rule:cache-{i}" for i in range(N_RULES)}
    expected |= {f"repository:ptc/repo-{i}" for i in range(N_PTC_REPOS)}
    expected |= {f"lifecycle_policy:ptc/repo-{i}" for i in range(N_PTC_REPOS)}
    binary = provider_dir / PROVIDER_BINARY_NAME
    with KillingProxy(fakecloud.url, binary, "CreatePullThroughCacheRule", 5) as proxy:
        ws.write(ptc_config(proxy.url))
        _, second, orphans, adopted = crash_then_converge(ws, proxy, remote, expected, in_state, ("-parallelism=4",))
    out2 = " ".join((second.stdout + second.stderr).split())
    orphan_rules = {o.split(":", 1)[1] for o in orphans if o.startswith("rule:")}
    assert orphan_rules, orphans
    for prefix in orphan_rules:
        assert f'Adopted existing pull-through cache rule "{prefix}"' in out2, out2
    ws.write(ptc_config(fakecloud.url))  # the proxy is gone
    ws.destroy()
    assert remote() == set()


def test_different_pull_through_cache_rule_is_not_adopted(ws, fakecloud):
    fakecloud.reset()
    kw = dict(endpoint_url=fakecloud.url, region_name=REGION, aws_access_key_id="test", aws_secret_access_key="test")
    ecr = boto3.client("ecr", **kw)
    ecr.create_pull_through_cache_rule(ecrRepositoryPrefix="mirror", upstreamRegistryUrl="quay.io")
    ws.write(provider_block(fakecloud.url) + '''
resource "ecr_pull_through_cache_rule" "m" {
  ecr_repository_prefix = "mirror"
  upstream_registry_url = "registry.k8s.io"
}
''')
    r = ws.apply(check=False)
    out = " ".join((r.stdout + r.stderr).split())  # Terraform wraps long lines
    assert r.returncode == 1, out
    assert "its upstream_registry_url quay.io differs from planned registry.k8s.io" in out, out
    assert "terraform import ecr_pull_through_cache_rule.<name> mirror" in out, out
    rules = ecr.describe_pull_through_cache_rules()["pullThroughCacheRules"]
    assert [(x["ecrRepositoryPrefix"], x["upstreamRegistryUrl"]) for x in rules] == [("mirror", "quay.io")]
