"""Registry-wide resources end to end with the real Terraform CLI: replication (moto implements
PutReplicationConfiguration / DescribeRegistry) and, against fakecloud behind a RoutingProxy,
repository creation templates, account settings, signing and pull-time update exclusions.

Each type: apply, AWS holds it (checked with boto3), an empty second plan, an in-place update,
drift (changed and deleted outside Terraform), import, destroy. Tests marked compat also run on
Terraform 1.0.3.
"""

from __future__ import annotations

import json
import textwrap

import boto3
import pytest

from harness import REGION, provider_block

ACCOUNT = "123456789012"


@pytest.fixture
def fc(fakecloud):
    """fakecloud, emptied: boto3 ECR client on it and the provider HCL aimed at it. moto keeps
    one replication rule at most ("This feature is disabled" beyond), so replication runs here."""
    fakecloud.reset()
    ecr = boto3.client("ecr", endpoint_url=fakecloud.url, region_name=REGION, aws_access_key_id="test", aws_secret_access_key="test")
    return {"hcl": provider_block(fakecloud.url), "ecr": ecr}


def config(provider_hcl: str, *blocks: str) -> str:
    return provider_hcl + "\n" + "\n".join(textwrap.dedent(b).strip() + "\n" for b in blocks)


def assert_plan(ws, code: int, *fragments: str) -> str:
    got, out = ws.plan_exitcode()
    assert got == code, f"plan -detailed-exitcode returned {got}, expected {code}:\n{out}"
    for f in fragments:
        assert f in out, f"plan output lacks {f!r}:\n{out}"
    return out


def remote_rules(ecr) -> list[dict]:
    return ecr.describe_registry().get("replicationConfiguration", {}).get("rules", [])


def rule_hcl(name: str, region: str, filters: list[str] = (), account: str = ACCOUNT) -> str:
    fs = "".join(f'\n  repository_filter {{\n    filter      = "{f}"\n    filter_type = "PREFIX_MATCH"\n  }}' for f in filters)
    return f'resource "ecr_replication_rule" "{name}" {{\n  destination {{\n    region      = "{region}"\n    registry_id = "{account}"\n  }}{fs}\n}}'


def wire(region: str, filters: list[str] = (), account: str = ACCOUNT) -> dict:
    r = {"destinations": [{"region": region, "registryId": account}]}
    if filters:
        r["repositoryFilters"] = [{"filter": f, "filterType": "PREFIX_MATCH"} for f in filters]
    return r


CONFIGURATION = """
resource "ecr_replication_configuration" "this" {
  replication_configuration {
    rule {
      destination {
        region      = "eu-west-1"
        registry_id = "123456789012"
      }
      destination {
        region      = "us-west-2"
        registry_id = "444455556666"
      }
      repository_filter {
        filter      = "prod"
        filter_type = "PREFIX_MATCH"
      }
    }
    rule {
      destination {
        region      = "ap-southeast-2"
        registry_id = "123456789012"
      }
    }
  }
}
"""


def test_replication_configuration_lifecycle(ws, fc):
    provider_hcl, ecr = fc["hcl"], fc["ecr"]
    ws.write(config(provider_hcl, CONFIGURATION))
    ws.apply()
    rules = remote_rules(ecr)
    assert [[d["region"] for d in r["destinations"]] for r in rules] == [["eu-west-1", "us-west-2"], ["ap-southeast-2"]]
    assert rules[0]["repositoryFilters"] == [{"filter": "prod", "filterType": "PREFIX_MATCH"}]
    assert ws.attrs("ecr_replication_configuration.this")["registry_id"] == ACCOUNT
    assert_plan(ws, 0)

    # In-place update.
    ws.write(config(provider_hcl, CONFIGURATION.replace('filter      = "prod"', 'filter      = "prod/team"')))
    assert_plan(ws, 2, "updated in-place")
    ws.apply()
    assert remote_rules(ecr)[0]["repositoryFilters"][0]["filter"] == "prod/team"
    assert_plan(ws, 0)

    # Changed outside Terraform: shown, and put back.
    ecr.put_replication_configuration(replicationConfiguration={"rules": [wire("eu-central-1")]})
    assert_plan(ws, 2, "updated in-place", "eu-central-1")
    ws.apply()
    assert len(remote_rules(ecr)) == 2

    # Removed outside Terraform: gone from state, planned for creation.
    ecr.put_replication_configuration(replicationConfiguration={"rules": []})
    assert_plan(ws, 2, "will be created")
    ws.apply()
    assert len(remote_rules(ecr)) == 2

    # Import into a fresh state reads every rule back; the plan is then empty.
    ws.run("state", "rm", "ecr_replication_configuration.this")
    ws.import_("ecr_replication_configuration.this", ACCOUNT)
    assert_plan(ws, 0)

    ws.destroy()
    assert remote_rules(ecr) == []


@pytest.mark.compat
def test_replication_rules_keep_every_other_rule(ws, fc):
    provider_hcl, ecr = fc["hcl"], fc["ecr"]
    outside = wire("sa-east-1", ["legacy"])
    ecr.put_replication_configuration(replicationConfiguration={"rules": [outside]})
    rules = [
        rule_hcl("a", "eu-west-1", ["team-a"]),
        rule_hcl("b", "eu-west-2", ["team-b"]),
        rule_hcl("c", "eu-west-3", ["team-c", "shared"]),
        rule_hcl("d", "us-west-1"),
        rule_hcl("e", "us-west-2", ["team-e"], account="444455556666"),
    ]
    ws.write(config(provider_hcl, *rules))
    ws.apply()
    remote = remote_rules(ecr)
    assert len(remote) == 6, remote
    assert remote[0] == outside, "the rule written outside Terraform keeps its place and content"
    regions = sorted(r["destinations"][0]["region"] for r in remote)
    assert regions == ["eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1", "us-west-1", "us-west-2"]
    assert ws.attrs("ecr_replication_rule.c")["id"] == "eu-west-3:123456789012|PREFIX_MATCH:shared+PREFIX_MATCH:team-c"
    assert_plan(ws, 0)

    # Update one rule in place: it keeps its position, the others are untouched.
    before = remote_rules(ecr)
    ws.write(config(provider_hcl, *rules[:1], rule_hcl("b", "eu-west-2", ["team-b", "team-b2"]), *rules[2:]))
    assert_plan(ws, 2, "updated in-place")
    ws.apply()
    after = remote_rules(ecr)
    i = next(i for i, r in enumerate(before) if r["destinations"][0]["region"] == "eu-west-2")
    assert [f["filter"] for f in after[i]["repositoryFilters"]] == ["team-b", "team-b2"]
    assert [r for j, r in enumerate(after) if j != i] == [r for j, r in enumerate(before) if j != i]
    assert_plan(ws, 0)

    # Removing one resource removes only its rule.
    ws.write(config(provider_hcl, *rules[:3], rules[4]))
    ws.apply()
    remote = remote_rules(ecr)
    assert len(remote) == 5 and outside in remote
    assert "us-west-1" not in [r["destinations"][0]["region"] for r in remote]

    # Drift: a rule removed outside Terraform is planned again.
    ecr.put_replication_configuration(replicationConfiguration={"rules": [r for r in remote if r["destinations"][0]["region"] != "eu-west-1"]})
    assert_plan(ws, 2, "ecr_replication_rule.a will be created")
    ws.apply()
    assert len(remote_rules(ecr)) == 5

    # Import by position and by id.
    ws.run("state", "rm", "ecr_replication_rule.a", "ecr_replication_rule.e")
    position = next(i for i, r in enumerate(remote_rules(ecr)) if r["destinations"][0]["region"] == "eu-west-1")
    ws.import_("ecr_replication_rule.a", str(position))
    ws.import_("ecr_replication_rule.e", "us-west-2:444455556666|PREFIX_MATCH:team-e")
    assert_plan(ws, 0)

    ws.destroy()
    assert remote_rules(ecr) == [outside]


def test_replication_plan_time_refusals(ws, fc):
    provider_hcl, ecr = fc["hcl"], fc["ecr"]
    # A rule beside the whole configuration.
    ws.write(config(provider_hcl, CONFIGURATION, rule_hcl("a", "eu-west-1")))
    got, out = ws.plan_exitcode()
    assert got == 1 and "Replication configuration managed twice" in out, out
    # Two rules owning the same rule.
    ws.write(config(provider_hcl, rule_hcl("a", "eu-west-1", ["x1"]), rule_hcl("b", "eu-west-1", ["x1"])))
    got, out = ws.plan_exitcode()
    assert got == 1 and "Replication rule managed twice" in out, out
    # What moto accepts but AWS refuses: a one-character filter, a wildcard, a bad account id.
    ws.write(config(provider_hcl, rule_hcl("a", "eu-west-1", ["x"]), rule_hcl("b", "eu-west-1", ["prod-*"]), rule_hcl("c", "eu-west-1", account="1234")))
    result = ws.validate(check=False)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert out.count("Invalid filter") >= 2 and "Invalid registry_id" in out, out
    assert remote_rules(ecr) == []


@pytest.mark.compat
def test_replication_to_the_registry_itself_is_refused(ws, moto, ecr):
    # The provider validates its credentials (moto's STS answers), so it knows its account at plan.
    hcl = provider_block(moto.url).replace("skip_credentials_validation = true", "skip_credentials_validation = false")
    ws.write(config(hcl, rule_hcl("self", REGION)))
    got, out = ws.plan_exitcode()
    assert got == 1 and "Destination is the source registry" in out, out
    # Without the account at plan (credentials not validated), apply refuses it before writing.
    ws.write(config(provider_block(moto.url), rule_hcl("self", REGION)))
    result = ws.apply(check=False)
    assert result.returncode == 1 and "cannot replicate to itself" in result.stdout + result.stderr
    assert remote_rules(ecr) == []


# --------------------------------------------------------------------------------------------
# repository creation templates (fakecloud)
# --------------------------------------------------------------------------------------------

LIFECYCLE = {
    "rules": [
        {
            "rulePriority": 1,
            "description": "expire untagged",
            "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14},
            "action": {"type": "expire"},
        }
    ]
}
POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "Pull", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]}
    ],
}


def template_hcl(description: str = "Docker Hub mirrors", mutability: str = "IMMUTABLE", lifecycle: str | None = None, policy: str | None = None) -> str:
    lifecycle = lifecycle or f"jsonencode({json.dumps(LIFECYCLE)})"
    policy = policy or f"jsonencode({json.dumps(POLICY)})"
    return f"""
resource "ecr_repository_creation_template" "hub" {{
  prefix               = "docker-hub"
  description          = "{description}"
  applied_for          = ["PULL_THROUGH_CACHE", "REPLICATION"]
  image_tag_mutability = "{mutability}"
  custom_role_arn      = "arn:aws:iam::123456789012:role/ecr-template"
  lifecycle_policy     = {lifecycle}
  repository_policy    = {policy}
  resource_tags = {{
    team = "platform"
  }}
  encryption_configuration {{
    encryption_type = "AES256"
  }}
}}
"""


def remote_template(ecr, prefix: str = "docker-hub") -> dict | None:
    found = ecr.describe_repository_creation_templates(prefixes=[prefix]).get("repositoryCreationTemplates", [])
    return next((t for t in found if t["prefix"] == prefix), None)


@pytest.mark.compat
def test_repository_creation_template_lifecycle(ws, fc):
    hcl, ecr = fc["hcl"], fc["ecr"]
    ws.write(config(hcl, template_hcl()))
    ws.apply()
    t = remote_template(ecr)
    assert t is not None
    assert sorted(t["appliedFor"]) == ["PULL_THROUGH_CACHE", "REPLICATION"]
    assert t["imageTagMutability"] == "IMMUTABLE" and t["description"] == "Docker Hub mirrors"
    assert json.loads(t["lifecyclePolicy"]) == LIFECYCLE and json.loads(t["repositoryPolicy"]) == POLICY
    assert t["customRoleArn"] == "arn:aws:iam::123456789012:role/ecr-template"
    assert {x["Key"]: x["Value"] for x in t["resourceTags"]} == {"team": "platform"}
    assert ws.attrs("ecr_repository_creation_template.hub")["registry_id"] == ACCOUNT
    assert_plan(ws, 0)

    # The same documents written differently: no diff.
    pretty_lifecycle = "<<EOT\n" + json.dumps(LIFECYCLE, indent=4, sort_keys=True) + "\nEOT"
    pretty_policy = "<<EOT\n" + json.dumps(POLICY, indent=2) + "\nEOT"
    ws.write(config(hcl, template_hcl(lifecycle=pretty_lifecycle, policy=pretty_policy)))
    assert_plan(ws, 0)

    # In-place update; MUTABLE tags now warn (ECR-P001) like a repository.
    ws.write(config(hcl, template_hcl(description="mirrors", mutability="MUTABLE")))
    out = assert_plan(ws, 2, "updated in-place", "ECR-P001")
    assert "must be replaced" not in out
    ws.apply()
    t = remote_template(ecr)
    assert (t["description"], t["imageTagMutability"]) == ("mirrors", "MUTABLE")
    assert_plan(ws, 0)

    # Changed outside Terraform: shown and put back.
    ecr.update_repository_creation_template(prefix="docker-hub", description="changed outside")
    assert_plan(ws, 2, "updated in-place", "changed outside")
    ws.apply()
    assert remote_template(ecr)["description"] == "mirrors"

    # Deleted outside Terraform: planned for creation.
    ecr.delete_repository_creation_template(prefix="docker-hub")
    assert_plan(ws, 2, "will be created")
    ws.apply()

    # Import reads every argument back.
    ws.run("state", "rm", "ecr_repository_creation_template.hub")
    ws.import_("ecr_repository_creation_template.hub", "docker-hub")
    assert_plan(ws, 0)

    ws.destroy()
    assert remote_template(ecr) is None


def test_repository_creation_template_plan_checks(ws, fc):
    hcl, ecr = fc["hcl"], fc["ecr"]
    # Posture: mutable tags and no lifecycle policy warn, as for a repository.
    ws.write(config(hcl, """
        resource "ecr_repository_creation_template" "root" {
          prefix      = "ROOT"
          applied_for = ["CREATE_ON_PUSH"]
        }
    """))
    out = assert_plan(ws, 2, "ECR-P001", "ECR-P004")
    # What needs no provider fails validate, naming the attribute: the prefix, applied_for and
    # the lifecycle policy (checked by the same rules as ecr_lifecycle_policy).
    bad_lifecycle = {"rules": [dict(LIFECYCLE["rules"][0]), dict(LIFECYCLE["rules"][0], description="again")]}
    ws.write(config(hcl, f"""
        resource "ecr_repository_creation_template" "bad" {{
          prefix           = "Bad_Prefix"
          applied_for      = ["ON_PULL"]
          lifecycle_policy = jsonencode({json.dumps(bad_lifecycle)})
        }}
    """))
    result = ws.validate(check=False)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    for fragment in ["Invalid prefix", "Invalid applied_for", "Duplicate rule priority", "lifecycle_policy"]:
        assert fragment in out, f"{fragment!r} missing:\n{out}"
    # What needs the registry's partition and region (from the provider) fails the plan.
    # fakecloud would accept both.
    ws.write(config(hcl, """
        resource "ecr_repository_creation_template" "bad" {
          prefix          = "bad"
          applied_for     = ["CREATE_ON_PUSH"]
          custom_role_arn = "arn:aws-cn:iam::123456789012:role/r"
          encryption_configuration {
            encryption_type = "KMS"
            kms_key         = "arn:aws:kms:eu-west-1:123456789012:key/abc"
          }
        }
    """))
    assert ws.validate(check=False).returncode == 0
    assert_plan(ws, 1, "custom_role_arn in another partition", "kms_key in another region")
    assert remote_template(ecr, "bad") is None


# --------------------------------------------------------------------------------------------
# account settings, signing, pull-time update exclusions (fakecloud)
# --------------------------------------------------------------------------------------------


@pytest.mark.compat
def test_account_setting_lifecycle(ws, fc):
    hcl, ecr = fc["hcl"], fc["ecr"]
    setting = 'resource "ecr_account_setting" "mount" {\n  name  = "BLOB_MOUNTING"\n  value = "%s"\n}'
    ws.write(config(hcl, setting % "ENABLED"))
    ws.apply()
    assert ecr.get_account_setting(name="BLOB_MOUNTING")["value"] == "ENABLED"
    assert_plan(ws, 0)
    ws.write(config(hcl, setting % "DISABLED"))
    assert_plan(ws, 2, "updated in-place")
    ws.apply()
    assert ecr.get_account_setting(name="BLOB_MOUNTING")["value"] == "DISABLED"
    ecr.put_account_setting(name="BLOB_MOUNTING", value="ENABLED")
    assert_plan(ws, 2, "updated in-place")
    ws.write(config(hcl, setting % "ENABLED"))
    assert_plan(ws, 0)
    ws.run("state", "rm", "ecr_account_setting.mount")
    ws.import_("ecr_account_setting.mount", "BLOB_MOUNTING")
    assert_plan(ws, 0)
    ws.destroy()
    assert ecr.get_account_setting(name="BLOB_MOUNTING")["value"] == "DISABLED", "destroy restores the default"

    # Each setting takes its own values; the legacy ones warn.
    ws.write(config(hcl, 'resource "ecr_account_setting" "s" {\n  name  = "REGISTRY_POLICY_SCOPE"\n  value = "ENABLED"\n}'))
    result = ws.validate(check=False)
    assert result.returncode == 1 and "Invalid value for REGISTRY_POLICY_SCOPE" in result.stdout + result.stderr
    ws.write(config(hcl, 'resource "ecr_account_setting" "s" {\n  name  = "REGISTRY_POLICY_SCOPE"\n  value = "V1"\n}'))
    assert_plan(ws, 2, "V1 is a legacy value of REGISTRY_POLICY_SCOPE")


PROFILE = "arn:aws:signer:us-east-1:123456789012:/signing-profiles/ci_profile"


def signing_hcl(*filters: str) -> str:
    fs = "".join(f'\n    repository_filter {{\n      filter      = "{f}"\n      filter_type = "WILDCARD_MATCH"\n    }}' for f in filters)
    return f'resource "ecr_signing_configuration" "this" {{\n  rule {{\n    signing_profile_arn = "{PROFILE}"{fs}\n  }}\n}}'


def remote_signing_rules(ecr) -> list[dict]:
    """The registry's signing rules; none when there is no configuration (AWS answers
    SigningConfigurationNotFoundException, fakecloud an empty rule list)."""
    try:
        return ecr.get_signing_configuration()["signingConfiguration"]["rules"]
    except ecr.exceptions.SigningConfigurationNotFoundException:
        return []


def test_signing_configuration_lifecycle(ws, fc):
    hcl, ecr = fc["hcl"], fc["ecr"]
    ws.write(config(hcl, signing_hcl("prod/*")))
    ws.apply()
    rules = ecr.get_signing_configuration()["signingConfiguration"]["rules"]
    assert rules == [{"signingProfileArn": PROFILE, "repositoryFilters": [{"filter": "prod/*", "filterType": "WILDCARD_MATCH"}]}]
    assert_plan(ws, 0)
    ws.write(config(hcl, signing_hcl("prod/*", "*-service")))
    assert_plan(ws, 2, "updated in-place")
    ws.apply()
    assert len(ecr.get_signing_configuration()["signingConfiguration"]["rules"][0]["repositoryFilters"]) == 2
    ecr.delete_signing_configuration()
    assert_plan(ws, 2, "will be created")
    ws.apply()
    ws.run("state", "rm", "ecr_signing_configuration.this")
    ws.import_("ecr_signing_configuration.this", ACCOUNT)
    assert_plan(ws, 0)
    ws.destroy()
    assert remote_signing_rules(ecr) == [], "destroy deletes the signing configuration"
    # A profile version ARN or a prefix filter type: refused at validate.
    ws.write(config(hcl, signing_hcl("Prod").replace("ci_profile", "ci_profile/abcdef12")))
    result = ws.validate(check=False)
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "Invalid signing_profile_arn" in out and "Invalid filter" in out, out


def exclusions(ecr) -> list[str]:
    return ecr.list_pull_time_update_exclusions().get("pullTimeUpdateExclusions", [])


def test_pull_time_update_exclusion_lifecycle(ws, fc):
    hcl, ecr = fc["hcl"], fc["ecr"]
    role = "arn:aws:iam::123456789012:role/%s"
    ex = 'resource "ecr_pull_time_update_exclusion" "scanner" {\n  principal_arn = "%s"\n}'
    ws.write(config(hcl, ex % (role % "scanner")))
    ws.apply()
    assert exclusions(ecr) == [role % "scanner"]
    assert_plan(ws, 0)
    # No update in place: another principal replaces it.
    ws.write(config(hcl, ex % (role % "replicator")))
    assert_plan(ws, 2, "must be replaced")
    ws.apply()
    assert exclusions(ecr) == [role % "replicator"]
    ecr.deregister_pull_time_update_exclusion(principalArn=role % "replicator")
    assert_plan(ws, 2, "will be created")
    ws.apply()
    ws.run("state", "rm", "ecr_pull_time_update_exclusion.scanner")
    ws.import_("ecr_pull_time_update_exclusion.scanner", role % "replicator")
    assert_plan(ws, 0)
    ws.destroy()
    assert exclusions(ecr) == []
    ws.write(config(hcl, ex % "arn:aws:sts::123456789012:assumed-role/scanner/session"))
    result = ws.validate(check=False)
    assert result.returncode == 1 and "Invalid principal_arn" in result.stdout + result.stderr
