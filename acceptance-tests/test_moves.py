"""`moved` blocks from hashicorp/aws (MoveResourceState): state written as hashicorp/aws 6.x
(and 5.x) writes it moves to this provider's types, the plan shows only moves, the apply records
them and the next plan is empty.

Terraform only needs the source provider to start: a copy of this provider's binary named
`terraform-provider-aws` stands in for hashicorp/aws under dev_overrides. The objects are made
with this provider first; the state is then rewritten into hashicorp/aws's form (`aws_state`),
as that provider stores it: its attribute names, SDKv2's empty strings and nulls, `region`,
`timeouts` and (6.10+) an identity.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from harness import PROVIDER_BINARY_NAME, REGION, REPO_ROOT, provider_block

AWS = 'provider["registry.terraform.io/hashicorp/aws"]'
ACCOUNT = "123456789012"

TWINS = {
    "ecr_repository": "aws_ecr_repository",
    "ecr_lifecycle_policy": "aws_ecr_lifecycle_policy",
    "ecr_repository_policy": "aws_ecr_repository_policy",
    "ecr_registry_policy": "aws_ecr_registry_policy",
    "ecr_registry_scanning_configuration": "aws_ecr_registry_scanning_configuration",
    "ecr_pull_through_cache_rule": "aws_ecr_pull_through_cache_rule",
    "ecr_public_repository": "aws_ecrpublic_repository",
    "ecr_public_repository_policy": "aws_ecrpublic_repository_policy",
    "ecr_replication_configuration": "aws_ecr_replication_configuration",
    "ecr_repository_creation_template": "aws_ecr_repository_creation_template",
    "ecr_account_setting": "aws_ecr_account_setting",
    "ecr_pull_time_update_exclusion": "aws_ecr_pull_time_update_exclusion",
}


def normalised(doc: str | None) -> str:
    """A JSON document as hashicorp/aws stores it (compact), or SDKv2's "" for none."""
    return json.dumps(json.loads(doc), separators=(",", ":")) if doc else ""


def aws_attributes(ours: str, a: dict, version: int) -> tuple[dict, dict | None]:
    """hashicorp/aws's attributes (and identity) for one of our resources' attributes."""
    v6 = {"region": a.get("region") or REGION} if version >= 6 and ours not in ("ecr_public_repository", "ecr_public_repository_policy") else {}
    if ours == "ecr_repository":
        enc = (a.get("encryption_configuration") or [{}])
        enc = [{"encryption_type": enc[0].get("encryption_type") or "AES256", "kms_key": enc[0].get("kms_key") or ""}]
        scan = a.get("image_scanning_configuration") or [{"scan_on_push": False}]
        out = {
            "arn": a["arn"], "encryption_configuration": enc, "force_delete": a["force_delete"] or None,
            "id": a["name"], "image_scanning_configuration": scan,
            "image_tag_mutability": a["image_tag_mutability"], "name": a["name"],
            "registry_id": a["registry_id"], "repository_url": a["repository_url"],
            "tags": a.get("tags") or {}, "tags_all": a.get("tags_all") or {}, "timeouts": None, **v6,
        }
        if version >= 6:
            out["image_tag_mutability_exclusion_filter"] = a.get("image_tag_mutability_exclusion_filter") or []
        return out, ({"account_id": ACCOUNT, "name": a["name"], "region": REGION} if version >= 6 else None)
    if ours == "ecr_lifecycle_policy":
        out = {"id": a["repository"], "policy": a["policy_json"], "registry_id": a["registry_id"], "repository": a["repository"], **v6}
        return out, ({"account_id": ACCOUNT, "region": REGION, "repository": a["repository"]} if version >= 6 else None)
    if ours == "ecr_repository_policy":
        out = {"id": a["repository"], "policy": json.dumps(json.loads(a["policy"]), separators=(",", ":")),
               "registry_id": a["registry_id"], "repository": a["repository"], **v6}
        return out, ({"account_id": ACCOUNT, "region": REGION, "repository": a["repository"]} if version >= 6 else None)
    if ours == "ecr_registry_policy":
        return {"id": a["registry_id"], "policy": json.dumps(json.loads(a["policy"]), separators=(",", ":")),
                "registry_id": a["registry_id"], **v6}, None
    if ours == "ecr_registry_scanning_configuration":
        return {"id": a["registry_id"], "registry_id": a["registry_id"], "rule": a.get("rule") or [],
                "scan_type": a["scan_type"], **v6}, None
    if ours == "ecr_public_repository":
        cd = (a.get("catalog_data") or [{}])[0] if a.get("catalog_data") else {}
        catalog = [{
            "about_text": cd.get("about_text") or "", "architectures": cd.get("architectures") or [],
            "description": cd.get("description") or "", "logo_image_blob": cd.get("logo_image_blob") or "",
            "operating_systems": cd.get("operating_systems") or [], "usage_text": cd.get("usage_text") or "",
        }]
        return {"arn": a["arn"], "catalog_data": catalog, "force_destroy": a["force_destroy"] or None,
                "id": a["repository_name"], "registry_id": a["registry_id"], "repository_name": a["repository_name"],
                "repository_uri": a["repository_uri"], "tags": a.get("tags") or {}, "tags_all": a.get("tags_all") or {},
                "timeouts": None}, None
    if ours == "ecr_public_repository_policy":
        return {"id": a["repository_name"], "policy": json.dumps(json.loads(a["policy"]), separators=(",", ":")),
                "registry_id": a["registry_id"], "repository_name": a["repository_name"]}, None
    if ours == "ecr_replication_configuration":
        return {"id": a["registry_id"], "registry_id": a["registry_id"],
                "replication_configuration": a["replication_configuration"], **v6}, None
    if ours == "ecr_repository_creation_template":
        enc = a.get("encryption_configuration") or [{}]
        out = {
            "applied_for": a["applied_for"], "custom_role_arn": a.get("custom_role_arn") or "",
            "description": a.get("description") or "",
            # AWS reports AES256 for a template made without the block; hashicorp/aws stores it.
            "encryption_configuration": [{"encryption_type": enc[0].get("encryption_type") or "AES256", "kms_key": enc[0].get("kms_key") or ""}],
            "id": a["prefix"], "image_tag_mutability": a["image_tag_mutability"],
            "lifecycle_policy": normalised(a.get("lifecycle_policy")), "prefix": a["prefix"],
            "registry_id": a["registry_id"], "repository_policy": normalised(a.get("repository_policy")),
            "resource_tags": a.get("resource_tags") or {}, **v6,
        }
        if version >= 6:
            out["image_tag_mutability_exclusion_filter"] = a.get("image_tag_mutability_exclusion_filter") or []
        return out, None
    if ours == "ecr_account_setting":
        # A framework resource since 5.81: no id.
        return {"name": a["name"], "value": a["value"], **v6}, None
    if ours == "ecr_pull_time_update_exclusion":
        # First in 6.28.
        return {"principal_arn": a["principal_arn"], **v6}, None
    raise AssertionError(f"no hashicorp/aws form for {ours}")


def rewrite_as_aws(ws, version: int = 6) -> list[str]:
    """Turns the workspace's state into hashicorp/aws's form; returns the moved addresses."""
    path = ws.path / "terraform.tfstate"
    state = json.loads(path.read_text())
    moved = []
    for r in state["resources"]:
        if r["mode"] != "managed" or r["type"] not in TWINS:
            continue
        ours = r["type"]
        r["type"], r["provider"] = TWINS[ours], AWS
        for inst in r["instances"]:
            attrs, identity = aws_attributes(ours, inst["attributes"], version)
            inst["attributes"], inst["schema_version"], inst["sensitive_attributes"] = attrs, 0, []
            inst.pop("identity", None)
            inst.pop("identity_schema_version", None)
            if identity is not None:
                inst["identity"], inst["identity_schema_version"] = identity, 0
        moved.append((TWINS[ours], ours, r["name"]))
    state["serial"] += 1
    path.write_text(json.dumps(state, indent=2))
    return moved


def stand_in_for_aws(ws, provider_dir: Path) -> None:
    """dev_overrides for hashicorp/aws: this provider's binary under the name Terraform looks for."""
    aws_dir = ws.path.parent / "aws-provider"
    aws_dir.mkdir(exist_ok=True)
    target = aws_dir / "terraform-provider-aws"
    if not target.exists():
        target.symlink_to((provider_dir / PROVIDER_BINARY_NAME).resolve())
    text = ws.cli_config_path.read_text()
    ws.cli_config_path.write_text(text.replace("dev_overrides {\n", f'dev_overrides {{\n    "hashicorp/aws" = {json.dumps(str(aws_dir))}\n', 1))


def moved_blocks(moved) -> str:
    return "".join(f"\nmoved {{\n  from = {a}.{n}\n  to   = {o}.{n}\n}}\n" for a, o, n in moved)


AWS_PROVIDER = """
provider "aws" {
  region                      = "%s"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
}
""" % REGION


def with_aws_requirement(config: str) -> str:
    return config.replace("required_providers {\n", 'required_providers {\n    aws = { source = "hashicorp/aws" }\n', 1)


def assert_only_moves(ws, moved) -> None:
    code, out = ws.plan_exitcode()
    assert "Plan: 0 to add, 0 to change, 0 to destroy." in out or "No changes." in out, out
    for a, o, n in moved:
        assert f"{a}.{n} has moved to {o}.{n}" in out, out
    for word in ("will be updated", "must be replaced", "will be created", "will be destroyed"):
        assert word not in out, out


@pytest.fixture
def moves_ws(ws, terraform, provider_dir):
    if not terraform.at_least(1, 8):
        pytest.skip(f"moved across providers needs Terraform >= 1.8, not {terraform.version}")
    stand_in_for_aws(ws, provider_dir)
    return ws


PRIVATE = """
resource "ecr_repository" "app" {
  name                 = "moved/app"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = true
  }
  tags = { team = "platform" }
}

resource "ecr_lifecycle_policy" "app" {
  repository = ecr_repository.app.name
  rule {
    priority = 1
    selection {
      tag_status   = "untagged"
      count_type   = "sinceImagePushed"
      count_unit   = "days"
      count_number = 7
    }
  }
}

resource "ecr_repository_policy" "app" {
  repository = ecr_repository.app.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "Pull", Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"] }]
  })
}

resource "ecr_registry_policy" "this" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "Replicate", Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = ["ecr:ReplicateImage"], Resource = "arn:aws:ecr:us-east-1:123456789012:repository/*" }]
  })
}

resource "ecr_registry_scanning_configuration" "this" {
  scan_type = "BASIC"
  rule {
    scan_frequency = "SCAN_ON_PUSH"
    repository_filter {
      filter = "moved*"
    }
  }
}
"""


@pytest.mark.parametrize("version", [6, 5])
def test_private_types_move_from_hashicorp_aws_state(moves_ws, provider_hcl, version):
    ws = moves_ws
    base = provider_block_with_tags(provider_hcl)
    ws.write(base + PRIVATE)
    ws.apply()
    moved = rewrite_as_aws(ws, version)
    assert len(moved) == 5
    ws.write(with_aws_requirement(base) + AWS_PROVIDER + PRIVATE + moved_blocks(moved))
    assert_only_moves(ws, moved)
    ws.apply()
    assert ws.plan_exitcode()[0] == 0
    assert {r["type"] for r in ws.resources()} == {o for _, o, _ in moved}


REGISTRY = """
resource "ecr_replication_configuration" "this" {
  replication_configuration {
    rule {
      destination {
        region      = "eu-west-1"
        registry_id = "123456789012"
      }
      repository_filter {
        filter      = "prod"
        filter_type = "PREFIX_MATCH"
      }
    }
  }
}

resource "ecr_repository_creation_template" "hub" {
  prefix               = "docker-hub"
  description          = "pulled through"
  applied_for          = ["PULL_THROUGH_CACHE", "REPLICATION"]
  image_tag_mutability = "IMMUTABLE"
  resource_tags        = { team = "platform" }
  lifecycle_policy = jsonencode({
    rules = [{ rulePriority = 1, selection = { tagStatus = "untagged", countType = "sinceImagePushed", countUnit = "days", countNumber = 7 }, action = { type = "expire" } }]
  })
}

resource "ecr_account_setting" "mount" {
  name  = "BLOB_MOUNTING"
  value = "ENABLED"
}
"""

EXCLUSION = """
resource "ecr_pull_time_update_exclusion" "scanner" {
  principal_arn = "arn:aws:iam::123456789012:role/scanner"
}
"""


@pytest.mark.parametrize("version", [6, 5])
def test_registry_types_move_from_hashicorp_aws_state(moves_ws, fakecloud, version):
    """The registry-wide types with a hashicorp/aws twin, on fakecloud: moved from 6.x state (and
    5.x, where aws_ecr_pull_time_update_exclusion did not exist yet) plan as pure moves."""
    fakecloud.reset()
    ws = moves_ws
    base = provider_block(fakecloud.url)
    body = REGISTRY + (EXCLUSION if version >= 6 else "")
    ws.write(base + body)
    ws.apply()
    moved = rewrite_as_aws(ws, version)
    assert len(moved) == (4 if version >= 6 else 3)
    ws.write(with_aws_requirement(base) + AWS_PROVIDER + body + moved_blocks(moved))
    assert_only_moves(ws, moved)
    ws.apply()
    assert ws.plan_exitcode()[0] == 0
    assert {r["type"] for r in ws.resources()} == {o for _, o, _ in moved}
    assert all(r["values"]["region"] == REGION for r in ws.resources()), ws.resources()


def provider_block_with_tags(provider_hcl: str) -> str:
    return provider_hcl.replace("  endpoints {", '  default_tags {\n    tags = { managed-by = "terraform" }\n  }\n  endpoints {', 1)


def test_moving_from_another_provider_or_type_is_refused_clearly(moves_ws, provider_hcl):
    ws = moves_ws
    ws.write(provider_hcl + 'resource "ecr_repository" "app" {\n  name = "refused"\n}\n')
    ws.apply()
    rewrite_as_aws(ws, 6)
    state = json.loads((ws.path / "terraform.tfstate").read_text())
    state["resources"][0]["type"] = "aws_ecr_lifecycle_policy"
    (ws.path / "terraform.tfstate").write_text(json.dumps(state))
    ws.write(with_aws_requirement(provider_hcl) + AWS_PROVIDER + """
resource "ecr_repository" "app" {
  name = "refused"
}

moved {
  from = aws_ecr_lifecycle_policy.app
  to   = ecr_repository.app
}
""")
    r = ws.plan(check=False)
    assert r.returncode != 0
    text = " ".join(r.stderr.split())
    assert "Unsupported source type" in text and "Move aws_ecr_lifecycle_policy to ecr_lifecycle_policy instead" in text, text


def test_migrate_turns_the_examples_in_hashicorp_aws_form_into_pure_moves(moves_ws, provider_hcl, provider_dir):
    """The fixture folder ecr_repository (a repository and its lifecycle policy from a policy
    document): its objects made with this provider, the state rewritten as hashicorp/aws 6.x
    writes it, the hashicorp/aws configuration put in place and `migrate --write` run on it:
    the plan shows only moves."""
    ws = moves_ws
    fixture = REPO_ROOT / "tests" / "fixtures" / "migrate" / "examples-aws" / "resources" / "ecr_repository"
    aws_main = (fixture / "main.tf").read_text()
    ws.write(provider_hcl + aws_main.replace("aws_ecr_", "ecr_"))
    ws.apply()
    moved = rewrite_as_aws(ws, 6)
    assert len(moved) == 2
    # The configuration as a hashicorp/aws user has it (aimed at the emulator).
    aws_provider = provider_hcl.replace('    ecr = { source = "ecr-rs/ecr" }\n', '    aws = { source = "hashicorp/aws" }\n').replace('provider "ecr"', 'provider "aws"')
    ws.write(aws_provider + aws_main)
    r = subprocess.run([str(provider_dir / PROVIDER_BINARY_NAME), "migrate", str(ws.path), "--write"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "note:" not in r.stderr, r.stderr
    main = ws.main_tf.read_text()
    assert 'provider "ecr" {' in main and 'ecr = {\n      source = "ecr-rs/ecr"' in main, main
    assert_only_moves(ws, moved)
    ws.apply()
    assert ws.plan_exitcode()[0] == 0
