"""Registry-wide resources end to end with the real Terraform CLI: replication (moto implements
PutReplicationConfiguration / DescribeRegistry) and, against fakecloud behind a RoutingProxy,
repository creation templates, account settings, signing and pull-time update exclusions.

Each type: apply, AWS holds it (checked with boto3), an empty second plan, an in-place update,
drift (changed and deleted outside Terraform), import, destroy.
"""

from __future__ import annotations

import json
import textwrap

import pytest

from harness import REGION

ACCOUNT = "123456789012"


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


def test_replication_configuration_lifecycle(ws, provider_hcl, ecr):
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


def test_replication_rules_keep_every_other_rule(ws, provider_hcl, ecr):
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


def test_replication_plan_time_refusals(ws, provider_hcl, ecr):
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
    for fragment in ['filter "x" has 1 characters', '"prod-*" is not a repository name prefix', 'registry_id "1234" is not an AWS account id']:
        assert fragment in out, out
    assert remote_rules(ecr) == []


def test_replication_to_the_registry_itself_is_refused(ws, moto, ecr):
    # The provider validates its credentials (moto's STS answers), so it knows its account at plan.
    from harness import provider_block

    hcl = provider_block(moto.url).replace("skip_credentials_validation = true", "skip_credentials_validation = false")
    ws.write(config(hcl, rule_hcl("self", REGION)))
    got, out = ws.plan_exitcode()
    assert got == 1 and "Destination is the source registry" in out, out
    # Without the account at plan (credentials not validated), apply refuses it before writing.
    ws.write(config(provider_block(moto.url), rule_hcl("self", REGION)))
    result = ws.apply(check=False)
    assert result.returncode == 1 and "cannot replicate to itself" in result.stdout + result.stderr
    assert remote_rules(ecr) == []
