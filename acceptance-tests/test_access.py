"""Access resources end to end with the real Terraform CLI.

* `ecr_cross_account_grant`, `ecr_repository_policy`, `ecr_registry_policy` against moto;
* `ecr_pull_through_cache_rule` against fakecloud (moto has no pull-through cache API).

Each case checks Terraform's view (plan, state) and the emulator's (boto3).
"""

from __future__ import annotations

import json
import textwrap

import boto3
import pytest

from harness import REGION, assert_plan, config, provider_block

TOOL_STATEMENT = (
    '{ "Sid" : "WrittenByAnotherTool",\n'
    '      "Effect":"Allow",   "Principal" : { "AWS" : "arn:aws:iam::999988887777:root" },\n'
    '      "Action" : [ "ecr:BatchGetImage" ] }'
)
TOOL_POLICY = '{\n  "Version" : "2012-10-17",\n  "Statement" : [ ' + TOOL_STATEMENT + " ]\n}"


def grant(label: str, sid: str, principals: list[str], body: str = "", repository: str = '"app"') -> str:
    inner = textwrap.indent(textwrap.dedent(body).strip(), "  ")
    return (
        f'resource "ecr_cross_account_grant" "{label}" {{\n'
        f"  repository = {repository}\n"
        f'  sid        = "{sid}"\n'
        f"  principals = {json.dumps(principals)}\n"
        f"{inner}\n}}\n"
    )


def policy_text(ecr, repo: str = "app") -> str | None:
    try:
        return ecr.get_repository_policy(repositoryName=repo)["policyText"]
    except ecr.exceptions.RepositoryPolicyNotFoundException:
        return None


def sids(ecr, repo: str = "app") -> list[str]:
    text = policy_text(ecr, repo)
    if text is None:
        return []
    st = json.loads(text)["Statement"]
    return sorted(s.get("Sid", "") for s in (st if isinstance(st, list) else [st]))


def account(i: int) -> str:
    return f"{100000000000 + i:012d}"


# --------------------------------------------------------------------------------------------
# ecr_cross_account_grant
# --------------------------------------------------------------------------------------------


def twenty_grants(provider_hcl: str, n: int) -> str:
    return config(
        provider_hcl,
        f"""
        resource "ecr_cross_account_grant" "g" {{
          count      = {n}
          repository = "app"
          sid        = "Grant${{count.index}}"
          principals = [format("%012d", 100000000000 + count.index)]
          access     = count.index % 3 == 0 ? "pull_push" : "pull"
        }}
        """,
    )


def test_twenty_grants_in_one_apply_keep_every_statement(ws, ecr, provider_hcl):
    ecr.create_repository(repositoryName="app")
    ecr.set_repository_policy(repositoryName="app", policyText=TOOL_POLICY)

    ws.write(twenty_grants(provider_hcl, 20))
    ws.apply()  # Terraform applies up to 10 grants at once

    text = policy_text(ecr)
    assert sids(ecr) == sorted(["WrittenByAnotherTool"] + [f"Grant{i}" for i in range(20)])
    # The other tool's statement is still there byte for byte, and so is the document's head.
    assert TOOL_STATEMENT in text
    assert text.startswith('{\n  "Version" : "2012-10-17",\n  "Statement" : [ ' + TOOL_STATEMENT)
    doc = json.loads(text)
    by_sid = {s["Sid"]: s for s in doc["Statement"]}
    assert by_sid["Grant1"]["Principal"] == {"AWS": f"arn:aws:iam::{account(1)}:root"}
    assert "ecr:PutImage" in by_sid["Grant0"]["Action"] and "ecr:PutImage" not in by_sid["Grant1"]["Action"]
    assert_plan(ws.plan_exitcode(), 0, "No changes.")

    # Removing one grant leaves the others (and the foreign statement).
    ws.write(twenty_grants(provider_hcl, 19))
    ws.apply()
    assert sids(ecr) == sorted(["WrittenByAnotherTool"] + [f"Grant{i}" for i in range(19)])
    assert TOOL_STATEMENT in policy_text(ecr)
    assert_plan(ws.plan_exitcode(), 0, "No changes.")

    ws.destroy()
    assert sids(ecr) == ["WrittenByAnotherTool"]
    assert policy_text(ecr) == TOOL_POLICY


def test_grant_attributes_update_and_last_delete_removes_policy(ws, ecr, provider_hcl):
    ecr.create_repository(repositoryName="app")
    ws.write(
        config(
            provider_hcl,
            grant("g", "ProdPull", [account(1), f"arn:aws:iam::{account(2)}:role/deployer"], 'lambda_pull = true'),
        )
    )
    ws.apply()
    a = ws.attrs("ecr_cross_account_grant.g")
    assert a["id"] == "app/ProdPull"
    assert a["access"] == "pull"
    assert a["lambda_pull"] is True
    repo = ecr.describe_repositories(repositoryNames=["app"])["repositories"][0]
    assert a["repository_arn"] == repo["repositoryArn"]
    assert a["registry_id"] == repo["registryId"]
    consumer = json.loads(a["consumer_policy_json"])
    assert consumer["Statement"][0] == {"Sid": "EcrAuthorizationToken", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"}
    assert consumer["Statement"][1]["Resource"] == repo["repositoryArn"]
    assert sorted(consumer["Statement"][1]["Action"]) == ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    doc = json.loads(policy_text(ecr))
    by_sid = {s["Sid"]: s for s in doc["Statement"]}
    assert set(by_sid) == {"ProdPull", "ProdPullLambda"}
    assert by_sid["ProdPullLambda"]["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert by_sid["ProdPullLambda"]["Condition"]["StringEquals"]["aws:SourceAccount"] == sorted([account(1), account(2)])
    assert_plan(ws.plan_exitcode(), 0, "No changes.")

    # In-place update: push access, no Lambda statement, an organization condition.
    ws.write(
        config(
            provider_hcl,
            grant("g", "ProdPull", [account(1)], 'access = "pull_push"\norganization_id = "o-abcdefghij"'),
        )
    )
    out = assert_plan(ws.plan_exitcode(), 2, "Plan: 0 to add, 1 to change, 0 to destroy.")
    assert "forces replacement" not in out
    ws.apply()
    doc = json.loads(policy_text(ecr))
    assert [s["Sid"] for s in doc["Statement"]] == ["ProdPull"]
    st = doc["Statement"][0]
    assert "ecr:PutImage" in st["Action"]
    assert st["Condition"] == {"StringEquals": {"aws:PrincipalOrgID": "o-abcdefghij"}}
    assert_plan(ws.plan_exitcode(), 0, "No changes.")

    ws.destroy()
    assert policy_text(ecr) is None  # the last statement gone: the policy is deleted


def test_grant_drift_edit_and_removal_outside_terraform(ws, ecr, provider_hcl):
    ecr.create_repository(repositoryName="app")
    ws.write(config(provider_hcl, grant("g", "ProdPull", [account(1)]), grant("h", "StagingPull", [account(2)])))
    ws.apply()

    # Edited outside: an extra action and principal in ProdPull.
    doc = json.loads(policy_text(ecr))
    for s in doc["Statement"]:
        if s["Sid"] == "ProdPull":
            s["Action"] = s["Action"] + ["ecr:PutImage"]
            s["Principal"]["AWS"] = [s["Principal"]["AWS"], f"arn:aws:iam::{account(9)}:root"]
    ecr.set_repository_policy(repositoryName="app", policyText=json.dumps(doc))
    out = assert_plan(ws.plan_exitcode(), 2, "Plan: 0 to add, 1 to change, 0 to destroy.", "ecr_cross_account_grant.g")
    assert account(9) in out
    ws.apply()
    by_sid = {s["Sid"]: s for s in json.loads(policy_text(ecr))["Statement"]}
    assert "ecr:PutImage" not in by_sid["ProdPull"]["Action"]
    assert by_sid["ProdPull"]["Principal"] == {"AWS": f"arn:aws:iam::{account(1)}:root"}

    # Removed outside: planned for creation again; the other grant is untouched.
    doc = json.loads(policy_text(ecr))
    doc["Statement"] = [s for s in doc["Statement"] if s["Sid"] != "StagingPull"]
    ecr.set_repository_policy(repositoryName="app", policyText=json.dumps(doc))
    assert_plan(ws.plan_exitcode(), 2, "Plan: 1 to add, 0 to change, 0 to destroy.", "ecr_cross_account_grant.h")
    ws.apply()
    assert sids(ecr) == ["ProdPull", "StagingPull"]

    # Policy deleted outside: both planned again.
    ecr.delete_repository_policy(repositoryName="app")
    assert_plan(ws.plan_exitcode(), 2, "Plan: 2 to add, 0 to change, 0 to destroy.")


@pytest.mark.compat
def test_grant_import(ws, ecr, provider_hcl):
    ecr.create_repository(repositoryName="my-org/app")
    stmt = {
        "Sid": "ProdPull",
        "Effect": "Allow",
        "Principal": {"AWS": [f"arn:aws:iam::{account(2)}:root", f"arn:aws:iam::{account(1)}:root"]},
        "Action": ["ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "ecr:BatchCheckLayerAvailability"],
    }
    ecr.set_repository_policy(repositoryName="my-org/app", policyText=json.dumps({"Version": "2012-10-17", "Statement": [stmt]}))
    ws.write(config(provider_hcl, grant("g", "ProdPull", [account(1), account(2)], repository='"my-org/app"')))
    ws.import_("ecr_cross_account_grant.g", "my-org/app/ProdPull")
    a = ws.attrs("ecr_cross_account_grant.g")
    assert a["repository"] == "my-org/app" and a["sid"] == "ProdPull" and a["access"] == "pull"
    assert_plan(ws.plan_exitcode(), 0, "No changes.")

    r = ws.import_("ecr_cross_account_grant.x", "my-org/app/Missing", check=False)
    assert r.returncode == 1


def test_sid_taken_by_a_different_statement_is_refused(ws, ecr, provider_hcl):
    ecr.create_repository(repositoryName="app")
    ecr.set_repository_policy(repositoryName="app", policyText=TOOL_POLICY)
    ws.write(config(provider_hcl, grant("g", "WrittenByAnotherTool", [account(1)])))
    r = ws.apply(check=False)
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    assert "Statement id already in use" in out
    assert policy_text(ecr) == TOOL_POLICY


def test_grant_and_repository_policy_on_one_repository_fail_at_plan(ws, ecr, provider_hcl):
    ecr.create_repository(repositoryName="app")
    ws.write(
        config(
            provider_hcl,
            grant("g", "ProdPull", [account(1)]),
            """
            resource "ecr_repository_policy" "p" {
              repository = "app"
              policy = jsonencode({
                Version   = "2012-10-17"
                Statement = [{ Sid = "All", Effect = "Allow", Principal = { AWS = "111122223333" }, Action = "ecr:BatchGetImage" }]
              })
            }
            """,
        )
    )
    code, out = ws.plan_exitcode()
    assert code == 1, out
    assert "Repository policy managed twice" in out
    assert policy_text(ecr) is None


INVALID_GRANTS = {
    "principal-format": ('principals = ["1234"]', "principals", "Invalid principal"),
    "principal-group": ('principals = ["arn:aws:iam::111122223333:group/devs"]', "principals", "Invalid principal"),
    "sid": ('sid = "team/pull"', "sid", "Invalid sid"),
    "access": ('access = "admin"', "access", "Invalid access"),
    "actions-and-access": ('access = "pull"\n  actions = ["ecr:BatchGetImage"]', "actions", "Conflicting arguments"),
    "repository": ('repository = "Bad_Repo"', "repository", "Invalid repository"),
}

# AWS takes these (or documents no refusal): validate passes and warns, on the attribute.
WARNED_GRANTS = {
    "public-without-org": ('principals = ["*"]', "principals", "Public grant"),
    "sts-session": ('principals = ["arn:aws:sts::111122223333:assumed-role/r/s"]', "principals", "Principal is one role session"),
    "sid": ('sid = "new statement"', "sid", "Unconventional sid"),
    "actions": ('actions = ["ecr:PullImage"]', "actions", "Unknown action"),
    "organization": ('organization_id = "my-org"', "organization_id", "Unusual organization_id"),
}


def grant_block(line: str) -> str:
    base = {"repository": '"app"', "sid": '"ProdPull"', "principals": '["111122223333"]'}
    key = line.split("=")[0].strip()
    body = "\n".join(f"  {k} = {v}" for k, v in base.items() if k != key)
    return f'resource "ecr_cross_account_grant" "x" {{\n{body}\n  {line}\n}}\n'


@pytest.mark.parametrize("case", sorted(WARNED_GRANTS))
def test_validate_warns_about_unusual_grant(ws, provider_hcl, case):
    line, attr, summary = WARNED_GRANTS[case]
    ws.write(config(provider_hcl, grant_block(line)))
    r = ws.validate(check=False)
    out = r.stdout + r.stderr
    assert r.returncode == 0, out
    assert f"Warning: {summary}" in out, out
    assert f"  {attr} " in out or f"  {attr} =" in out, out


@pytest.mark.parametrize("case", sorted(INVALID_GRANTS))
def test_validate_rejects_invalid_grant(ws, provider_hcl, case):
    line, attr, summary = INVALID_GRANTS[case]
    ws.write(config(provider_hcl, grant_block(line)))
    r = ws.validate(check=False)
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    assert f"Error: {summary}" in out, out
    # Terraform underlines the attribute: its configuration line is quoted.
    assert f"  {attr} " in out or f"  {attr} =" in out, out


# --------------------------------------------------------------------------------------------
# ecr_repository_policy / ecr_registry_policy
# --------------------------------------------------------------------------------------------

REPO_POLICY_HCL = """
resource "ecr_repository_policy" "p" {
  repository = "app"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "CrossAccountPull"
      Effect    = "Allow"
      Principal = { AWS = ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"] }
      Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    }]
  })
}
"""

REPO_POLICY_REFORMATTED = """
resource "ecr_repository_policy" "p" {
  repository = "app"
  policy     = <<-EOT
    {
      "Statement": [ {
          "Action": [ "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage" ],
          "Principal": { "AWS": [ "arn:aws:iam::444455556666:root", "111122223333" ] },
          "Effect": "Allow",
          "Sid": "CrossAccountPull" } ],
      "Version": "2012-10-17"
    }
  EOT
}
"""


@pytest.mark.compat
def test_repository_policy_semantic_diff_drift_import(ws, ecr, provider_hcl, tmp_path, provider_dir, terraform):
    ecr.create_repository(repositoryName="app")
    ws.write(config(provider_hcl, REPO_POLICY_HCL))
    ws.apply()
    remote = json.loads(policy_text(ecr))
    assert remote["Statement"][0]["Sid"] == "CrossAccountPull"
    a = ws.attrs("ecr_repository_policy.p")
    assert a["id"] == "app" and a["registry_id"]
    assert_plan(ws.plan_exitcode(), 0, "No changes.")

    # Same meaning, different key order / whitespace / list order / account form: no diff.
    ws.write(config(provider_hcl, REPO_POLICY_REFORMATTED))
    assert_plan(ws.plan_exitcode(), 0, "No changes.")

    # Changed outside Terraform: a diff, and apply puts it back.
    remote["Statement"][0]["Action"] = ["ecr:*"]
    ecr.set_repository_policy(repositoryName="app", policyText=json.dumps(remote))
    assert_plan(ws.plan_exitcode(), 2, "Plan: 0 to add, 1 to change, 0 to destroy.")
    ws.apply()
    assert sorted(json.loads(policy_text(ecr))["Statement"][0]["Action"]) == ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]

    # Import into a fresh workspace: no diff afterwards.
    from harness import Workspace

    other = Workspace(tmp_path / "imp", provider_dir, terraform=terraform)
    other.write(config(provider_hcl, REPO_POLICY_HCL))
    other.import_("ecr_repository_policy.p", "app")
    assert_plan(other.plan_exitcode(), 0, "No changes.")

    # Deleted outside: planned again.
    ecr.delete_repository_policy(repositoryName="app")
    assert_plan(ws.plan_exitcode(), 2, "Plan: 1 to add, 0 to change, 0 to destroy.")
    ws.apply()
    ws.destroy()
    assert policy_text(ecr) is None


AS_WRITTEN_HCL = """
resource "ecr_repository_policy" "p" {
  repository = "app"
  policy = jsonencode({
    Statement = [{
      Sid       = ""
      Effect    = "Allow"
      Principal = "*"
      Action    = "ecr:BatchGetImage"
      Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-a1b2c3d4e5" } }
    }]
  })
}
"""


def test_forms_aws_rewrites_show_no_diff(ws, ecr, provider_hcl):
    """Issue 19: what AWS normalises (principal forms, Sid, Version 2008-10-17, single string vs
    list, case of actions and condition keys) never shows in a plan, whichever side has it.
    (Condition operator case is folded too — policy::canonical's unit tests — but moto refuses a
    lower-case operator, so it is not exercised here.)"""
    ecr.create_repository(repositoryName="app")
    ws.write(config(provider_hcl, AS_WRITTEN_HCL))
    ws.apply()
    assert_plan(ws.plan_exitcode(), 0, "No changes.")
    rewritten = {"Version": "2008-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": ["ecr:batchgetimage"],
        "Condition": {"StringEquals": {"aws:principalorgid": ["o-a1b2c3d4e5"]}}}]}
    ecr.set_repository_policy(repositoryName="app", policyText=json.dumps(rewritten))
    assert_plan(ws.plan_exitcode(), 0, "No changes.")
    # A real change still shows.
    rewritten["Statement"][0]["Condition"]["StringEquals"]["aws:principalorgid"] = ["o-zzzzzzzzzz"]
    ecr.set_repository_policy(repositoryName="app", policyText=json.dumps(rewritten))
    assert_plan(ws.plan_exitcode(), 2, "Plan: 0 to add, 1 to change, 0 to destroy.")


INVALID_POLICIES = {
    "not-json": ('"{not json"', "Policy is not valid JSON", "key must be a string"),
    "effect": ('jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Permit", Principal = "*", Action = "ecr:*" }] })', "Invalid Effect", "Statement[0].Effect"),
    "no-principal": ('jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "ecr:*" }] })', "Missing Principal", "Statement[0]"),
    "group-principal": ('jsonencode({ Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:group/devs" }, Action = "ecr:*" }] })', "Invalid principal", "user group"),
    "too-long": ('jsonencode({ Version = "2012-10-17", Statement = [for i in range(120) : { Sid = "S${i}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", Effect = "Allow", Principal = "*", Action = "ecr:BatchGetImage" }] })', "Policy too long", "ECR accepts at most"),
}


@pytest.mark.parametrize("kind", ["ecr_repository_policy", "ecr_registry_policy"])
@pytest.mark.parametrize("case", sorted(INVALID_POLICIES))
def test_validate_rejects_invalid_policy(ws, provider_hcl, kind, case):
    expr, summary, message = INVALID_POLICIES[case]
    repo_line = '  repository = "app"\n' if kind == "ecr_repository_policy" else ""
    ws.write(config(provider_hcl, f'resource "{kind}" "p" {{\n{repo_line}  policy = {expr}\n}}\n'))
    r = ws.validate(check=False)
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    assert f"Error: {summary}" in out, out
    assert message in out, out
    assert "  policy = " in out, out


# Issue 19: documents AWS takes must pass `terraform validate`, with a warning where deserved.
WARNED_POLICIES = {
    "session-principal": ('jsonencode({ Version = "2012-10-17", Statement = [{ Sid = "Ci", Effect = "Allow", Principal = { AWS = "arn:aws:sts::111122223333:assumed-role/deployer/ci" }, Action = "ecr:BatchGetImage" }] })', "Principal is one role session"),
    "unknown-action": ('jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = "*", Action = "ecr:PullImage" }] })', "Unknown ECR action"),
    "other-service": ('jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject" }] })', "Action of another service"),
    "console-sid": ('jsonencode({ Version = "2008-10-17", Statement = [{ Sid = "new statement", Effect = "Allow", Principal = "*", Action = "ecr:BatchGetImage" }, { Sid = "new statement", Effect = "Deny", Principal = "*", Action = "ecr:DeleteRepository" }] })', "Duplicate Sid"),
}


@pytest.mark.parametrize("kind", ["ecr_repository_policy", "ecr_registry_policy"])
@pytest.mark.parametrize("case", sorted(WARNED_POLICIES))
def test_validate_accepts_unusual_policy_with_a_warning(ws, provider_hcl, kind, case):
    expr, summary = WARNED_POLICIES[case]
    repo_line = '  repository = "app"\n' if kind == "ecr_repository_policy" else ""
    ws.write(config(provider_hcl, f'resource "{kind}" "p" {{\n{repo_line}  policy = {expr}\n}}\n'))
    r = ws.validate(check=False)
    out = r.stdout + r.stderr
    assert r.returncode == 0, out
    assert f"Warning: {summary}" in out, out
    assert "  policy = " in out, out


REGISTRY_POLICY_HCL = """
resource "ecr_registry_policy" "r" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "ReplicationFromTooling"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = ["ecr:CreateRepository", "ecr:ReplicateImage"]
      Resource  = "arn:aws:ecr:us-east-1:123456789012:repository/*"
    }]
  })
}
"""


@pytest.mark.compat
def test_registry_policy_lifecycle_and_import(ws, ecr, provider_hcl, tmp_path, provider_dir, terraform):
    ws.write(config(provider_hcl, REGISTRY_POLICY_HCL))
    ws.apply()
    remote = ecr.get_registry_policy()
    assert json.loads(remote["policyText"])["Statement"][0]["Sid"] == "ReplicationFromTooling"
    a = ws.attrs("ecr_registry_policy.r")
    assert a["registry_id"] == remote["registryId"] and a["id"] == remote["registryId"]
    assert_plan(ws.plan_exitcode(), 0, "No changes.")

    from harness import Workspace

    other = Workspace(tmp_path / "imp", provider_dir, terraform=terraform)
    other.write(config(provider_hcl, REGISTRY_POLICY_HCL))
    other.import_("ecr_registry_policy.r", remote["registryId"])
    assert_plan(other.plan_exitcode(), 0, "No changes.")

    # Changed outside: a diff.
    doc = json.loads(remote["policyText"])
    doc["Statement"][0]["Action"] = ["ecr:ReplicateImage"]
    ecr.put_registry_policy(policyText=json.dumps(doc))
    assert_plan(ws.plan_exitcode(), 2, "Plan: 0 to add, 1 to change, 0 to destroy.")

    ws.destroy()
    with pytest.raises(ecr.exceptions.RegistryPolicyNotFoundException):
        ecr.get_registry_policy()


# --------------------------------------------------------------------------------------------
# ecr_pull_through_cache_rule (fakecloud)
# --------------------------------------------------------------------------------------------


@pytest.fixture
def ptc(fakecloud):
    """boto3 clients on fakecloud, and the provider HCL aimed at it."""
    fakecloud.reset()
    kw = dict(endpoint_url=fakecloud.url, region_name=REGION, aws_access_key_id="test", aws_secret_access_key="test")
    return {
        "ecr": boto3.client("ecr", **kw),
        "sm": boto3.client("secretsmanager", **kw),
        "hcl": provider_block(fakecloud.url),
    }


def rule(label: str, prefix: str, url: str, body: str = "") -> str:
    inner = textwrap.indent(textwrap.dedent(body).strip(), "  ")
    return (
        f'resource "ecr_pull_through_cache_rule" "{label}" {{\n'
        f'  ecr_repository_prefix = "{prefix}"\n'
        f'  upstream_registry_url = "{url}"\n'
        f"{inner}\n}}\n"
    )


def describe_rules(ecr) -> dict[str, dict]:
    return {r["ecrRepositoryPrefix"]: r for r in ecr.describe_pull_through_cache_rules().get("pullThroughCacheRules", [])}


def secret(sm, name: str) -> str:
    return sm.create_secret(Name=name, SecretString=json.dumps({"username": "u", "accessToken": "t"}))["ARN"]


@pytest.mark.compat
def test_pull_through_cache_rules_crud_update_import(ws, ptc, tmp_path, provider_dir, terraform):
    ecr, sm, hcl = ptc["ecr"], ptc["sm"], ptc["hcl"]
    arn1 = secret(sm, "ecr-pullthroughcache/docker-hub")
    arn2 = secret(sm, "ecr-pullthroughcache/docker-hub-rotated")
    cfg = lambda arn: config(  # noqa: E731
        hcl,
        rule("hub", "docker-hub", "registry-1.docker.io", f'credential_arn = "{arn}"'),
        rule("quay", "quay", "quay.io"),
        rule("k8s", "k8s", "registry.k8s.io"),
        'output "from" {\n  value = "${ecr_pull_through_cache_rule.hub.repository_url_prefix}/library/node:20-alpine"\n}',
    )
    ws.write(cfg(arn1))
    ws.apply()
    remote = describe_rules(ecr)
    assert set(remote) == {"docker-hub", "quay", "k8s"}
    assert remote["docker-hub"]["upstreamRegistryUrl"] == "registry-1.docker.io"
    assert remote["docker-hub"]["credentialArn"] == arn1
    hub = ws.attrs("ecr_pull_through_cache_rule.hub")
    assert hub["upstream_registry"] == "docker-hub"
    assert ws.attrs("ecr_pull_through_cache_rule.k8s")["upstream_registry"] == "k8s"
    assert hub["registry_id"] and hub["created_at"]
    assert ws.output("from") == f"{hub['registry_id']}.dkr.ecr.{REGION}.amazonaws.com/docker-hub/library/node:20-alpine"
    assert_plan(ws.plan_exitcode(), 0, "No changes.")

    # Credential rotation updates in place.
    ws.write(cfg(arn2))
    out = assert_plan(ws.plan_exitcode(), 2, "Plan: 0 to add, 1 to change, 0 to destroy.")
    assert "forces replacement" not in out
    ws.apply()
    assert describe_rules(ecr)["docker-hub"]["credentialArn"] == arn2
    assert_plan(ws.plan_exitcode(), 0, "No changes.")

    # A new prefix replaces.
    ws.write(cfg(arn2).replace('"quay"\n', '"quay-io"\n'))
    assert_plan(ws.plan_exitcode(), 2, "forces replacement")

    # Import by prefix into a fresh workspace.
    from harness import Workspace

    other = Workspace(tmp_path / "imp", provider_dir, terraform=terraform)
    other.write(config(hcl, rule("quay", "quay", "quay.io")))
    other.import_("ecr_pull_through_cache_rule.quay", "quay")
    assert other.attrs("ecr_pull_through_cache_rule.quay")["upstream_registry_url"] == "quay.io"
    assert_plan(other.plan_exitcode(), 0, "No changes.")

    # Deleted outside: planned again.
    ecr.delete_pull_through_cache_rule(ecrRepositoryPrefix="k8s")
    ws.write(cfg(arn2))
    assert_plan(ws.plan_exitcode(), 2, "Plan: 1 to add, 0 to change, 0 to destroy.")

    ws.destroy()
    assert describe_rules(ecr) == {}


SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/hub-AbCdEf"

INVALID_RULES = {
    "docker-hub-without-secret": (rule("x", "docker-hub", "registry-1.docker.io"), "credential_arn", "Upstream needs credentials"),
    "secret-prefix": (
        rule("x", "docker-hub", "registry-1.docker.io", 'credential_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:dockerhub-creds-AbCdEf"'),
        "credential_arn",
        "Invalid credential_arn",
    ),
    "unknown-host": (rule("x", "mirror", "registry.example.com"), "upstream_registry_url", "Unsupported upstream_registry_url"),
    "docker-io": (rule("x", "hub", "docker.io", f'credential_arn = "{SECRET}"'), "upstream_registry_url", "Unsupported upstream_registry_url"),
    "prefix-pattern": (rule("x", "Docker_Hub!", "quay.io"), "ecr_repository_prefix", "Invalid ecr_repository_prefix"),
    "prefix-length": (rule("x", "a" * 31, "quay.io"), "ecr_repository_prefix", "Invalid ecr_repository_prefix"),
    "upstream-prefix-with-root": (
        rule("x", "ROOT", "444455556666.dkr.ecr.eu-west-1.amazonaws.com", 'upstream_repository_prefix = "team"'),
        "upstream_repository_prefix",
        "upstream_repository_prefix needs a non-ROOT ecr_repository_prefix",
    ),
}

# Issue 19: AWS documents no refusal of these; validate passes with a warning on the attribute.
WARNED_RULES = {
    "quay-with-secret": (rule("x", "quay", "quay.io", f'credential_arn = "{SECRET}"'), "credential_arn", "Credentials for an upstream that needs none"),
    "role-for-quay": (rule("x", "quay", "quay.io", 'custom_role_arn = "arn:aws:iam::123456789012:role/ptc"'), "custom_role_arn", "custom_role_arn on a non-ECR upstream"),
    "upstream-prefix-chainguard": (rule("x", "cg", "cgr.dev", f'credential_arn = "{SECRET}"\n  upstream_repository_prefix = "my-org"'), "upstream_repository_prefix", "upstream_repository_prefix on a non-ECR upstream"),
}


@pytest.mark.parametrize("case", sorted(WARNED_RULES))
def test_validate_warns_about_unusual_rule(ws, provider_hcl, case):
    block, attr, summary = WARNED_RULES[case]
    ws.write(config(provider_hcl, block))
    r = ws.validate(check=False)
    out = r.stdout + r.stderr
    assert r.returncode == 0, out
    assert f"Warning: {summary}" in out, out
    assert f"  {attr} " in out or f"  {attr} =" in out, out




@pytest.mark.parametrize("case", sorted(INVALID_RULES))
def test_validate_rejects_invalid_rule(ws, provider_hcl, case):
    block, attr, summary = INVALID_RULES[case]
    ws.write(config(provider_hcl, block))
    r = ws.validate(check=False)
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    assert f"Error: {summary}" in out, out
    assert attr in out, out
    if f"{attr} =" in block:  # an attribute in the configuration is quoted (underlined)
        assert f"  {attr} " in out or f"  {attr} =" in out, out


def test_secret_in_another_region_fails_at_plan(ws, provider_hcl):
    other_region = SECRET.replace("us-east-1", "eu-west-1")
    ws.write(config(provider_hcl, rule("x", "docker-hub", "registry-1.docker.io", f'credential_arn = "{other_region}"')))
    ws.validate()  # the region is the provider's: only the plan can know it
    code, out = ws.plan_exitcode()
    assert code == 1, out
    assert "Secret in another region" in out and "credential_arn" in out


# --------------------------------------------------------------------------------------------
# posture check ECR-P005 on whole-document policies
# --------------------------------------------------------------------------------------------

PUBLIC_PULL = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Sid": "Everyone", "Effect": "Allow", "Principal": "*",
    "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]}]})


def test_wildcard_principal_policy_warns_and_can_be_silenced(ws, ecr, provider_hcl):
    ecr.create_repository(repositoryName="app")
    body = f'resource "ecr_repository_policy" "p" {{\n  repository = "app"\n  policy = {json.dumps(PUBLIC_PULL)}\n%s}}\n'
    ws.write(config(provider_hcl, body % ""))
    code, out = ws.plan_exitcode()
    assert code == 2, out
    assert "Warning: ECR-P005" in out and "Everyone" in out, f"no wildcard-principal warning:\n{out}"

    ws.write(config(provider_hcl, body % '  posture_ignore = ["ECR-P005"]\n'))
    code, out = ws.plan_exitcode()
    assert code == 2, out
    assert "Warning: ECR-P005" not in out, f"posture_ignore did not silence the check:\n{out}"
    ws.apply()
    assert_plan(ws.plan_exitcode(), 0)

    hcl = provider_block(ws_endpoint(provider_hcl), 'posture_checks = "error"')
    ws.write(config(hcl, body % ""))
    code, out = ws.plan_exitcode()
    assert code == 1 and "Error: ECR-P005" in out, f"error mode did not fail the plan:\n{out}"


def ws_endpoint(provider_hcl: str) -> str:
    return provider_hcl.split('ecr = "', 1)[1].split('"', 1)[0]
