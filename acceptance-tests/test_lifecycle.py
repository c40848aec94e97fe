"""Lifecycle policies end to end: `ecr_lifecycle_policy`, `ecr_lifecycle_policy_document` and
`ecr_lifecycle_preview` driven by the real Terraform CLI against moto.

moto 5.2.5 quirk: its PutLifecyclePolicy validator predates the November 2025 archive launch.
It rejects `storageClass`, `targetStorageClass`, the `transition` action and the
`sinceImagePulled` / `sinceImageTransitioned` count types (`test_moto_rejects_archive_policies`
pins that down). Archive policies are therefore exercised here at validate/plan level and with
the preview data source (which evaluates locally), never applied.
moto also ignores DescribeImages' `imageStatus` filter and returns every image in one page.
"""

from __future__ import annotations

import json
import textwrap

import pytest
from botocore.exceptions import ClientError

from harness import assert_plan, config, push_image

ADDR = "ecr_lifecycle_policy.x"
REPO = "app"


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def repo_block(name: str = REPO) -> str:
    return f'resource "ecr_repository" "r" {{\n  name = "{name}"\n  force_delete = true\n}}\n'


def policy_resource(body: str, repository: str = "ecr_repository.r.name") -> str:
    inner = textwrap.indent(textwrap.dedent(body).strip(), "  ")
    return f'resource "ecr_lifecycle_policy" "x" {{\n  repository = {repository}\n{inner}\n}}\n'


def json_policy(text: str) -> str:
    """A `policy = <<-EOT ... EOT` argument holding `text` verbatim."""
    return "policy = <<-EOT\n" + textwrap.indent(text.strip("\n"), "  ") + "\nEOT"


def rule_hcl(priority: int, selection: dict, action: dict | None = None, description: str | None = None) -> str:
    def val(v):
        return json.dumps(v)

    lines = [f"rule {{", f"  priority = {priority}"]
    if description is not None:
        lines.append(f"  description = {val(description)}")
    lines.append("  selection {")
    lines += [f"    {k} = {val(v)}" for k, v in selection.items()]
    lines.append("  }")
    if action is not None:
        lines.append("  action {")
        lines += [f"    {k} = {val(v)}" for k, v in action.items()]
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines)


# The seed's production policy, structured and as JSON.
PROD_RULES = "\n".join(
    [
        rule_hcl(1, {"tag_status": "tagged", "tag_pattern_list": ["v*"], "count_type": "imageCountMoreThan", "count_number": 10}, description="Keep the last 10 release images"),
        rule_hcl(2, {"tag_status": "untagged", "count_type": "sinceImagePushed", "count_unit": "days", "count_number": 7}, {"type": "expire"}, description="Expire untagged images after 7 days"),
        rule_hcl(3, {"tag_status": "tagged", "tag_pattern_list": ["sha-*"], "count_type": "imageCountMoreThan", "count_number": 5}, description="Keep the last 5 SHA-tagged images"),
    ]
)

PROD_DOC = {
    "rules": [
        {
            "rulePriority": 1,
            "description": "Keep the last 10 release images",
            "selection": {"tagStatus": "tagged", "tagPatternList": ["v*"], "countType": "imageCountMoreThan", "countNumber": 10},
            "action": {"type": "expire"},
        },
        {
            "rulePriority": 2,
            "description": "Expire untagged images after 7 days",
            "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 7},
            "action": {"type": "expire"},
        },
        {
            "rulePriority": 3,
            "description": "Keep the last 5 SHA-tagged images",
            "selection": {"tagStatus": "tagged", "tagPatternList": ["sha-*"], "countType": "imageCountMoreThan", "countNumber": 5},
            "action": {"type": "expire"},
        },
    ]
}

# What the provider sends: compact, rules by priority, keys in the AWS template's order.
PROD_CANONICAL = (
    '{"rules":['
    '{"rulePriority":1,"description":"Keep the last 10 release images","selection":{"tagStatus":"tagged","tagPatternList":["v*"],"countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}},'
    '{"rulePriority":2,"description":"Expire untagged images after 7 days","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":7},"action":{"type":"expire"}},'
    '{"rulePriority":3,"description":"Keep the last 5 SHA-tagged images","selection":{"tagStatus":"tagged","tagPatternList":["sha-*"],"countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}}'
    "]}"
)

ARCHIVE_RULES = "\n".join(
    [
        rule_hcl(1, {"tag_status": "any", "count_type": "sinceImagePulled", "count_unit": "days", "count_number": 30}, {"type": "transition", "target_storage_class": "archive"}, description="Archive images not pulled for 30 days"),
        rule_hcl(2, {"tag_status": "any", "storage_class": "archive", "count_type": "sinceImageTransitioned", "count_unit": "days", "count_number": 90}, {"type": "expire"}, description="Delete them 90 days after archiving"),
    ]
)


def remote_policy(ecr, name: str = REPO) -> dict | None:
    try:
        return json.loads(ecr.get_lifecycle_policy(repositoryName=name)["lifecyclePolicyText"])
    except (ecr.exceptions.LifecyclePolicyNotFoundException, ecr.exceptions.RepositoryNotFoundException):
        return None


# --------------------------------------------------------------------------------------------
# create, no diff, update in place
# --------------------------------------------------------------------------------------------


@pytest.mark.compat
def test_structured_form_create_and_second_plan_empty(ws, ecr, provider_hcl):
    ws.write(config(provider_hcl, repo_block(), policy_resource(PROD_RULES)))
    plan = ws.plan()
    # Everything is known at plan time, so the canonical JSON is shown in the plan.
    assert "policy_json" in plan.stdout and "known after apply" not in plan.stdout.split("policy_json")[1].split("\n")[0], plan.stdout
    ws.apply()
    assert remote_policy(ecr) == json.loads(PROD_CANONICAL)
    a = ws.attrs(ADDR)
    assert a["id"] == REPO
    assert a["repository"] == REPO
    assert a["policy_json"] == PROD_CANONICAL
    assert a["policy"] is None
    assert len(a["rule"]) == 3
    assert a["registry_id"] == ecr.describe_repositories(repositoryNames=[REPO])["repositories"][0]["registryId"]
    assert_plan(ws.plan_exitcode(), 0, "No changes.")
    ws.destroy()
    assert remote_policy(ecr) is None


def test_json_form_create_and_reformatted_json_plans_nothing(ws, ecr, provider_hcl):
    text = json.dumps(PROD_DOC, indent=2)
    ws.write(config(provider_hcl, repo_block(), policy_resource(json_policy(text))))
    ws.apply()
    assert remote_policy(ecr) == json.loads(PROD_CANONICAL)
    a = ws.attrs(ADDR)
    assert json.loads(a["policy"]) == PROD_DOC
    assert a["policy_json"] == PROD_CANONICAL
    assert_plan(ws.plan_exitcode(), 0, "No changes.")

    # Same policy: compact, keys in another order, rules reversed, defaults written out.
    doc = json.loads(json.dumps(PROD_DOC))
    doc["rules"].reverse()
    for r in doc["rules"]:
        r["selection"]["storageClass"] = "standard"
    reordered = {"rules": [{k: r[k] for k in sorted(r, reverse=True)} for r in doc["rules"]]}
    ws.write(config(provider_hcl, repo_block(), policy_resource(json_policy(json.dumps(reordered, separators=(",", ":"))))))
    assert_plan(ws.plan_exitcode(), 0, "No changes.")
    # jsonencode() of the same document (Terraform sorts keys) as well.
    # (A JSON object is also an HCL object constructor.)
    ws.write(config(provider_hcl, repo_block(), policy_resource(f"policy = jsonencode({json.dumps(PROD_DOC)})")))
    assert_plan(ws.plan_exitcode(), 0, "No changes.")


def test_update_in_place_json_form(ws, ecr, provider_hcl):
    ws.write(config(provider_hcl, repo_block(), policy_resource(json_policy(json.dumps(PROD_DOC, indent=2)))))
    ws.apply()
    changed = json.loads(json.dumps(PROD_DOC))
    changed["rules"][0]["selection"]["countNumber"] = 20
    ws.write(config(provider_hcl, repo_block(), policy_resource(json_policy(json.dumps(changed, indent=2)))))
    assert_plan(
        ws.plan_exitcode(),
        2,
        f"{ADDR} will be updated in-place",
        "Plan: 0 to add, 1 to change, 0 to destroy.",
        absent=("must be replaced", "forces replacement"),
    )
    ws.apply()
    assert remote_policy(ecr)["rules"][0]["selection"]["countNumber"] == 20
    assert_plan(ws.plan_exitcode(), 0)


def test_update_in_place_structured_form(ws, ecr, provider_hcl):
    ws.write(config(provider_hcl, repo_block(), policy_resource(PROD_RULES)))
    ws.apply()
    edited = PROD_RULES.replace('"count_number" = 7', '"count_number" = 14').replace("count_number = 7", "count_number = 14")
    assert edited != PROD_RULES
    ws.write(config(provider_hcl, repo_block(), policy_resource(edited)))
    out = assert_plan(
        ws.plan_exitcode(),
        2,
        f"{ADDR} will be updated in-place",
        "Plan: 0 to add, 1 to change, 0 to destroy.",
        absent=("must be replaced",),
    )
    assert "7 -> 14" in out, out
    ws.apply()
    assert remote_policy(ecr)["rules"][1]["selection"]["countNumber"] == 14
    assert_plan(ws.plan_exitcode(), 0)


def test_repository_change_replaces(ws, ecr, provider_hcl):
    ws.write(config(provider_hcl, repo_block(), repo_block("other").replace('"r"', '"o"'), policy_resource(PROD_RULES)))
    ws.apply()
    ws.write(config(provider_hcl, repo_block(), repo_block("other").replace('"r"', '"o"'), policy_resource(PROD_RULES, "ecr_repository.o.name")))
    assert_plan(ws.plan_exitcode(), 2, f"{ADDR} must be replaced", "forces replacement")
    ws.apply()
    assert remote_policy(ecr, "other") == json.loads(PROD_CANONICAL)
    assert remote_policy(ecr, REPO) is None
    assert_plan(ws.plan_exitcode(), 0)


def test_values_unknown_at_plan_are_not_errors(ws, ecr, provider_hcl):
    # count_number depends on the repository ARN, unknown until the repository exists.
    body = PROD_RULES.replace("count_number = 10", "count_number = length(ecr_repository.r.arn) > 0 ? 10 : 11")
    assert body != PROD_RULES
    ws.write(config(provider_hcl, repo_block(), policy_resource(body)))
    ws.validate()
    plan = ws.plan()
    assert "policy_json" in plan.stdout and "(known after apply)" in plan.stdout.split("policy_json")[1].split("\n")[0], plan.stdout
    ws.apply()
    assert remote_policy(ecr) == json.loads(PROD_CANONICAL)
    assert_plan(ws.plan_exitcode(), 0)


# --------------------------------------------------------------------------------------------
# terraform validate fails on each class of invalid policy
# --------------------------------------------------------------------------------------------

TAGGED_V = {"tag_status": "tagged", "tag_prefix_list": ["v"], "count_type": "imageCountMoreThan", "count_number": 10}
UNTAGGED_7 = {"tag_status": "untagged", "count_type": "sinceImagePushed", "count_unit": "days", "count_number": 7}
DESC = "a description long enough to keep the policy text over the 100-character minimum"

INVALID_STRUCTURED = {
    "duplicate-priority": (
        [rule_hcl(1, TAGGED_V, description=DESC), rule_hcl(1, UNTAGGED_7)],
        "rule[1].priority",
        "Duplicate rule priority",
    ),
    "tagged-without-list": (
        [rule_hcl(1, {"tag_status": "tagged", "count_type": "imageCountMoreThan", "count_number": 3}, description=DESC)],
        "rule[0].selection[0]",
        "Tagged rule without a tag list",
    ),
    "too-many-wildcards": (
        [rule_hcl(1, UNTAGGED_7, description=DESC), rule_hcl(2, {"tag_status": "tagged", "tag_pattern_list": ["a*b*c*d*e*"], "count_type": "imageCountMoreThan", "count_number": 3})],
        "rule[1].selection[0].tag_pattern_list",
        "Too many wildcards in a tag pattern",
    ),
    "count-unit-with-image-count": (
        [rule_hcl(1, {**TAGGED_V, "count_unit": "days"}, description=DESC)],
        "rule[0].selection[0].count_unit",
        "Count unit not allowed with an image count",
    ),
    "any-not-last": (
        [rule_hcl(1, {"tag_status": "any", "count_type": "imageCountMoreThan", "count_number": 3}, description=DESC), rule_hcl(2, UNTAGGED_7)],
        "rule[0].priority",
        "A rule for any tag status must have the highest priority",
    ),
    "since-pulled-with-expire": (
        [rule_hcl(1, {"tag_status": "any", "count_type": "sinceImagePulled", "count_unit": "days", "count_number": 30}, {"type": "expire"}, description=DESC)],
        "rule[0].action[0].type",
        "sinceImagePulled can only transition images",
    ),
    "transition-without-target": (
        [rule_hcl(1, {"tag_status": "any", "count_type": "sinceImagePulled", "count_unit": "days", "count_number": 30}, {"type": "transition"}, description=DESC)],
        "rule[0].action[0].target_storage_class",
        "Transition without a target storage class",
    ),
}


@pytest.mark.parametrize("case", sorted(INVALID_STRUCTURED))
def test_validate_rejects_invalid_rule_blocks(ws, provider_hcl, case):
    rules, path, summary = INVALID_STRUCTURED[case]
    ws.write(config(provider_hcl, repo_block(), policy_resource("\n".join(rules))))
    r = ws.validate(check=False)
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    assert f"Error: {summary}" in out, out
    # The detail names the attribute; Terraform also shows the configuration line.
    assert f"{path}:" in out, out
    assert 'resource "ecr_lifecycle_policy" "x"' in out, out
    # plan fails the same way, before touching AWS.
    code, plan_out = ws.plan_exitcode()
    assert code == 1 and summary in plan_out, plan_out


INVALID_JSON = {
    "unknown-property": (
        json.dumps({"rules": [{"rulePriority": 1, "description": DESC, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 3, "storage": "x"}, "action": {"type": "expire"}}]}, indent=2),
        "rules[0].selection.storage",
        "Unknown property in lifecycle policy",
    ),
    "malformed-json": (
        json.dumps(PROD_DOC, indent=2)[:-2],
        "",
        "Malformed lifecycle policy JSON",
    ),
    "duplicate-priority": (
        json.dumps({"rules": [dict(PROD_DOC["rules"][0]), dict(PROD_DOC["rules"][1], rulePriority=1)]}, indent=2),
        "rules[1].rulePriority",
        "Duplicate rule priority",
    ),
    "null-value": (
        json.dumps({"rules": [dict(PROD_DOC["rules"][1], action={"type": "expire", "targetStorageClass": None})]}, indent=2),
        "rules[0].action.targetStorageClass",
        "Null value in lifecycle policy",
    ),
}


@pytest.mark.parametrize("case", sorted(INVALID_JSON))
def test_validate_rejects_invalid_policy_json(ws, provider_hcl, case):
    text, path, summary = INVALID_JSON[case]
    ws.write(config(provider_hcl, repo_block(), policy_resource(json_policy(text))))
    r = ws.validate(check=False)
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    assert f"Error: {summary}" in out, out
    assert "In the policy JSON" in out, out
    if path:
        assert f"at {path}:" in out, out
    # The `policy` argument is the one underlined.
    assert "policy = <<-EOT" in out, out


def test_validate_rejects_both_and_neither(ws, provider_hcl):
    ws.write(config(provider_hcl, repo_block(), policy_resource(json_policy(json.dumps(PROD_DOC)) + "\n" + PROD_RULES)))
    r = ws.validate(check=False)
    assert r.returncode == 1 and "Conflicting lifecycle policy arguments" in r.stdout + r.stderr
    ws.write(config(provider_hcl, repo_block(), policy_resource("")))
    r = ws.validate(check=False)
    assert r.returncode == 1 and "Missing lifecycle policy" in r.stdout + r.stderr


def test_lint_warning_does_not_fail(ws, provider_hcl):
    rules = rule_hcl(1, {"tag_status": "tagged", "tag_prefix_list": ["latest", "main"], "count_type": "imageCountMoreThan", "count_number": 5}, description=DESC)
    ws.write(config(provider_hcl, repo_block(), policy_resource(rules)))
    r = ws.validate()
    assert "Warning: Tag list entries must all match" in r.stdout + r.stderr


# --------------------------------------------------------------------------------------------
# archive policies (moto cannot store them)
# --------------------------------------------------------------------------------------------


def test_moto_rejects_archive_policies(ecr):
    ecr.create_repository(repositoryName=REPO)
    doc = {"rules": [{"rulePriority": 1, "selection": {"tagStatus": "any", "countType": "sinceImagePulled", "countUnit": "days", "countNumber": 30}, "action": {"type": "transition", "targetStorageClass": "archive"}}]}
    with pytest.raises(ClientError) as e:
        ecr.put_lifecycle_policy(repositoryName=REPO, lifecyclePolicyText=json.dumps(doc))
    assert "InvalidParameterException" in str(e.value)


def test_archive_policy_validates_and_plans(ws, provider_hcl):
    ws.write(
        config(
            provider_hcl,
            repo_block(),
            policy_resource(ARCHIVE_RULES),
            'data "ecr_lifecycle_policy_document" "d" {\n' + textwrap.indent(ARCHIVE_RULES, "  ") + "\n}\n",
            'output "doc" {\n  value = data.ecr_lifecycle_policy_document.d.json\n}\n',
        )
    )
    ws.validate()
    plan = ws.plan()
    assert "Plan: 2 to add, 0 to change, 0 to destroy." in plan.stdout, plan.stdout
    assert '"targetStorageClass"' in plan.stdout or "targetStorageClass" in plan.stdout, plan.stdout


# --------------------------------------------------------------------------------------------
# import and drift
# --------------------------------------------------------------------------------------------


@pytest.mark.compat
def test_import_then_plan_is_empty(ws, ecr, provider_hcl):
    ecr.create_repository(repositoryName=REPO)
    # Put with one formatting, configure with another.
    ecr.put_lifecycle_policy(repositoryName=REPO, lifecyclePolicyText=json.dumps(PROD_DOC, separators=(",", ":")))
    ws.write(config(provider_hcl, policy_resource(json_policy(json.dumps(PROD_DOC, indent=4)), f'"{REPO}"')))
    result = ws.import_(ADDR, REPO)
    assert "Import successful" in result.stdout
    a = ws.attrs(ADDR)
    assert a["id"] == REPO and a["repository"] == REPO
    assert json.loads(a["policy"]) == PROD_DOC
    assert a["policy_json"] == PROD_CANONICAL
    assert a["registry_id"]
    assert_plan(ws.plan_exitcode(), 0, "No changes.")


def test_import_of_missing_policy_fails(ws, ecr, provider_hcl):
    ecr.create_repository(repositoryName=REPO)
    ws.write(config(provider_hcl, policy_resource(json_policy(json.dumps(PROD_DOC)), f'"{REPO}"')))
    r = ws.import_(ADDR, REPO, check=False)
    assert r.returncode != 0
    assert "non-existent" in r.stdout + r.stderr or "Cannot import" in r.stdout + r.stderr


def test_drift_is_shown_json_form(ws, ecr, provider_hcl):
    ws.write(config(provider_hcl, repo_block(), policy_resource(json_policy(json.dumps(PROD_DOC, indent=2)))))
    ws.apply()
    # AWS-style reformatting outside Terraform: still no diff.
    ecr.put_lifecycle_policy(repositoryName=REPO, lifecyclePolicyText=json.dumps(PROD_DOC, sort_keys=True))
    assert_plan(ws.plan_exitcode(), 0, "No changes.")
    # A real change outside Terraform: shown, and apply puts the configured policy back.
    changed = json.loads(json.dumps(PROD_DOC))
    changed["rules"][2]["selection"]["countNumber"] = 50
    ecr.put_lifecycle_policy(repositoryName=REPO, lifecyclePolicyText=json.dumps(changed))
    out = assert_plan(ws.plan_exitcode(), 2, f"{ADDR} will be updated in-place", absent=("must be replaced",))
    assert "50" in out, out
    ws.apply()
    assert remote_policy(ecr) == json.loads(PROD_CANONICAL)
    assert_plan(ws.plan_exitcode(), 0)


def test_drift_is_shown_structured_form(ws, ecr, provider_hcl):
    ws.write(config(provider_hcl, repo_block(), policy_resource(PROD_RULES)))
    ws.apply()
    changed = json.loads(json.dumps(PROD_DOC))
    changed["rules"][1]["selection"]["countNumber"] = 3
    ecr.put_lifecycle_policy(repositoryName=REPO, lifecyclePolicyText=json.dumps(changed))
    out = assert_plan(ws.plan_exitcode(), 2, f"{ADDR} will be updated in-place")
    assert "3 -> 7" in out, out
    ws.apply()
    assert remote_policy(ecr) == json.loads(PROD_CANONICAL)
    assert_plan(ws.plan_exitcode(), 0)


def test_policy_deleted_outside_is_recreated(ws, ecr, provider_hcl):
    ws.write(config(provider_hcl, repo_block(), policy_resource(PROD_RULES)))
    ws.apply()
    ecr.delete_lifecycle_policy(repositoryName=REPO)
    assert_plan(ws.plan_exitcode(), 2, f"{ADDR} will be created")
    ws.apply()
    assert remote_policy(ecr) == json.loads(PROD_CANONICAL)


# --------------------------------------------------------------------------------------------
# data sources
# --------------------------------------------------------------------------------------------


def test_policy_document_feeds_the_resource(ws, ecr, provider_hcl):
    ws.write(
        config(
            provider_hcl,
            repo_block(),
            'data "ecr_lifecycle_policy_document" "d" {\n' + textwrap.indent(PROD_RULES, "  ") + "\n}\n",
            policy_resource("policy = data.ecr_lifecycle_policy_document.d.json"),
            'output "doc" {\n  value = data.ecr_lifecycle_policy_document.d.json\n}\n',
        )
    )
    ws.apply()
    assert ws.output("doc") == PROD_CANONICAL
    assert remote_policy(ecr) == json.loads(PROD_CANONICAL)
    assert_plan(ws.plan_exitcode(), 0)


def test_policy_document_rejects_invalid_rules(ws, provider_hcl):
    rules = "\n".join(INVALID_STRUCTURED["duplicate-priority"][0])
    ws.write(config(provider_hcl, 'data "ecr_lifecycle_policy_document" "d" {\n' + textwrap.indent(rules, "  ") + "\n}\n"))
    r = ws.validate(check=False)
    out = r.stdout + r.stderr
    assert r.returncode == 1 and "Error: Duplicate rule priority" in out and "rule[1].priority:" in out, out


PREVIEW_POLICY = {
    "rules": [
        {"rulePriority": 1, "description": "keep the newest release", "selection": {"tagStatus": "tagged", "tagPrefixList": ["v"], "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}},
        {"rulePriority": 2, "description": "expire untagged after a day", "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 1}, "action": {"type": "expire"}},
    ]
}


def test_preview_against_pushed_images(ws, ecr, provider_hcl):
    ecr.create_repository(repositoryName=REPO)
    releases = [push_image(ecr, REPO, f"v{i}", salt=f"release-{i}") for i in range(3)]
    dev = push_image(ecr, REPO, "dev", salt="dev")
    untagged = push_image(ecr, REPO, None, salt="untagged")
    sizes = {d["imageDigest"]: d.get("imageSizeInBytes", 0) for d in ecr.describe_images(repositoryName=REPO)["imageDetails"]}
    # moto stamps images with the push time; evaluate two days later.
    ws.write(
        config(
            provider_hcl,
            'data "ecr_lifecycle_preview" "p" {\n'
            f'  repository = "{REPO}"\n'
            f"  policy     = {json.dumps(json.dumps(PREVIEW_POLICY))}\n"
            '  now        = timeadd(timestamp(), "48h")\n'
            "}\n",
            'output "images" {\n  value = data.ecr_lifecycle_preview.p.images\n}\n'
            'output "expiring" {\n  value = data.ecr_lifecycle_preview.p.expiring_count\n}\n'
            'output "transitioning" {\n  value = data.ecr_lifecycle_preview.p.transitioning_count\n}\n'
            'output "bytes" {\n  value = data.ecr_lifecycle_preview.p.bytes_reclaimed\n}\n',
        )
    )
    ws.apply()
    images = ws.output("images")
    acted = {i["image_digest"]: i for i in images}
    # Two of the three v* releases (the newest is kept; all were pushed in the same second, so
    # which one is kept follows DescribeImages order) and the untagged image; dev is untouched.
    assert ws.output("expiring") == 3
    assert ws.output("transitioning") == 0
    assert untagged in acted and acted[untagged]["rule_priority"] == 2 and acted[untagged]["image_tags"] == []
    assert dev not in acted
    assert len([d for d in releases if d in acted]) == 2
    assert all(i["action"] == "expire" and i["target_storage_class"] is None for i in images)
    assert ws.output("bytes") == sum(sizes.get(d, 0) for d in acted)
    # Nothing was deleted: a preview only reads.
    assert len(ecr.describe_images(repositoryName=REPO)["imageDetails"]) == 5


def test_preview_defaults_to_the_current_policy(ws, ecr, provider_hcl):
    ecr.create_repository(repositoryName=REPO)
    ecr.put_lifecycle_policy(repositoryName=REPO, lifecyclePolicyText=json.dumps(PREVIEW_POLICY))
    push_image(ecr, REPO, "v1", salt="a")
    push_image(ecr, REPO, "v2", salt="b")
    ws.write(
        config(
            provider_hcl,
            f'data "ecr_lifecycle_preview" "p" {{\n  repository = "{REPO}"\n}}\n',
            'output "expiring" {\n  value = data.ecr_lifecycle_preview.p.expiring_count\n}\n'
            'output "now" {\n  value = data.ecr_lifecycle_preview.p.now\n}\n',
        )
    )
    ws.apply()
    assert ws.output("expiring") == 1
    assert ws.output("now").endswith("Z")


def test_preview_of_archive_policy(ws, ecr, provider_hcl):
    """The archive policy cannot be stored in moto, but it can be previewed."""
    ecr.create_repository(repositoryName=REPO)
    push_image(ecr, REPO, "v1", salt="a")
    ws.write(
        config(
            provider_hcl,
            'data "ecr_lifecycle_policy_document" "d" {\n' + textwrap.indent(ARCHIVE_RULES, "  ") + "\n}\n",
            'data "ecr_lifecycle_preview" "p" {\n'
            f'  repository = "{REPO}"\n'
            "  policy     = data.ecr_lifecycle_policy_document.d.json\n"
            '  now        = timeadd(timestamp(), "744h")\n'
            "}\n",
            'output "images" {\n  value = data.ecr_lifecycle_preview.p.images\n}\n',
        )
    )
    ws.apply()
    images = ws.output("images")
    assert [(i["action"], i["target_storage_class"], i["rule_priority"]) for i in images] == [("transition", "archive", 1)]


def test_preview_errors(ws, ecr, provider_hcl):
    ecr.create_repository(repositoryName=REPO)
    ws.write(config(provider_hcl, f'data "ecr_lifecycle_preview" "p" {{\n  repository = "{REPO}"\n}}\n'))
    r = ws.plan(check=False)
    assert r.returncode == 1 and "No lifecycle policy to preview" in r.stdout + r.stderr, r.stdout + r.stderr
    ws.write(config(provider_hcl, f'data "ecr_lifecycle_preview" "p" {{\n  repository = "{REPO}"\n  now = "tomorrow"\n}}\n'))
    r = ws.validate(check=False)
    assert r.returncode == 1 and "Invalid now" in r.stdout + r.stderr


# --------------------------------------------------------------------------------------------
# examples/resources/ecr_lifecycle_policy (test_examples.py applies every example; this checks
# the seed's production policy byte for byte)
# --------------------------------------------------------------------------------------------


def test_example_lifecycle_policy_is_the_seeds(ws, ecr, moto):
    ws.use_example("resources/ecr_lifecycle_policy", moto.url)
    ws.apply()
    assert remote_policy(ecr, "my-org/app") == json.loads(PROD_CANONICAL)
    assert remote_policy(ecr, "my-org/app-dev")["rules"][0]["selection"]["countNumber"] == 14
    assert_plan(ws.plan_exitcode(), 0, "No changes.")
