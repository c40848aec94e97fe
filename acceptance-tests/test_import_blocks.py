"""`import` blocks and `terraform plan -generate-config-out` (Terraform 1.5 and later), for every
resource type: a resource made outside the configuration is imported by an `import` block,
Terraform writes its configuration from what the provider read, and that configuration plans the
import alone, applies, plans no change afterwards and destroys.

This is how current Terraform users adopt existing registries. It fails when the schema lets
Terraform generate a configuration it then rejects or plans to change (conflicting optional
arguments written out together, a read value that does not round-trip through the
configuration, a default that differs from what Read reports).
"""

from __future__ import annotations

import pytest

from harness import Workspace, assert_plan, config, provider_block

# type -> (what the setup workspace creates, the resource imported, its import id, backend).
# Backends: moto (ECR), public (the ECR Public stand-in, with moto for STS), fakecloud
# (pull-through cache rules and the registry-wide types).
REPO = 'resource "ecr_repository" "app" {\n  name = "app"\n}\n'
CASES = {
    "ecr_repository": (
        """
        resource "ecr_repository" "x" {
          name                 = "app"
          image_tag_mutability = "IMMUTABLE_WITH_EXCLUSION"
          image_tag_mutability_exclusion_filter {
            filter      = "latest*"
            filter_type = "WILDCARD"
          }
          image_scanning_configuration {
            scan_on_push = true
          }
          tags = { team = "platform" }
        }
        """,
        "app",
        "moto",
    ),
    "ecr_lifecycle_policy": (
        REPO
        + """
        resource "ecr_lifecycle_policy" "x" {
          repository = ecr_repository.app.name
          rule {
            priority    = 1
            description = "untagged after a day"
            selection {
              tag_status   = "untagged"
              count_type   = "sinceImagePushed"
              count_unit   = "days"
              count_number = 1
            }
          }
        }
        """,
        "app",
        "moto",
    ),
    "ecr_repository_policy": (
        REPO
        + """
        resource "ecr_repository_policy" "x" {
          repository = ecr_repository.app.name
          policy = jsonencode({
            Version   = "2012-10-17"
            Statement = [{ Sid = "Pull", Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = ["ecr:BatchGetImage"] }]
          })
        }
        """,
        "app",
        "moto",
    ),
    "ecr_cross_account_grant": (
        REPO
        + """
        resource "ecr_cross_account_grant" "x" {
          repository = ecr_repository.app.name
          sid        = "ProdPull"
          principals = ["111122223333"]
        }
        """,
        "app/ProdPull",
        "moto",
    ),
    "ecr_registry_policy": (
        """
        resource "ecr_registry_policy" "x" {
          policy = jsonencode({
            Version   = "2012-10-17"
            Statement = [{ Sid = "Replicate", Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = ["ecr:ReplicateImage"], Resource = ["arn:aws:ecr:us-east-1:123456789012:repository/*"] }]
          })
        }
        """,
        "123456789012",
        "moto",
    ),
    "ecr_registry_scanning_configuration": (
        """
        resource "ecr_registry_scanning_configuration" "x" {
          scan_type = "BASIC"
          rule {
            scan_frequency = "SCAN_ON_PUSH"
            repository_filter {
              filter      = "prod-*"
              filter_type = "WILDCARD"
            }
          }
        }
        """,
        "123456789012",
        "moto",
    ),
    "ecr_public_repository": (
        """
        resource "ecr_public_repository" "x" {
          repository_name = "my-tool"
          catalog_data {
            description   = "A command-line tool"
            architectures = ["x86-64"]
          }
          tags = { team = "platform" }
        }
        """,
        "my-tool",
        "public",
    ),
    "ecr_public_repository_policy": (
        """
        resource "ecr_public_repository" "tool" {
          repository_name = "my-tool"
        }
        resource "ecr_public_repository_policy" "x" {
          repository_name = ecr_public_repository.tool.repository_name
          policy = jsonencode({
            Version   = "2012-10-17"
            Statement = [{ Sid = "Push", Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/ci" }, Action = ["ecr-public:PutImage"] }]
          })
        }
        """,
        "my-tool",
        "public",
    ),
    "ecr_pull_through_cache_rule": (
        """
        resource "ecr_pull_through_cache_rule" "x" {
          ecr_repository_prefix = "quay"
          upstream_registry_url = "quay.io"
        }
        """,
        "quay",
        "fakecloud",
    ),
    # Registry-wide types (fakecloud implements their APIs).
    "ecr_replication_configuration": (
        """
        resource "ecr_replication_configuration" "x" {
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
        """,
        "123456789012",
        "fakecloud",
    ),
    "ecr_replication_rule": (
        """
        resource "ecr_replication_rule" "x" {
          destination {
            region      = "eu-west-1"
            registry_id = "123456789012"
          }
          repository_filter {
            filter      = "prod"
            filter_type = "PREFIX_MATCH"
          }
        }
        """,
        "eu-west-1:123456789012|PREFIX_MATCH:prod",
        "fakecloud",
    ),
    "ecr_repository_creation_template": (
        """
        resource "ecr_repository_creation_template" "x" {
          prefix               = "docker-hub"
          description          = "pulled through"
          applied_for          = ["PULL_THROUGH_CACHE"]
          image_tag_mutability = "IMMUTABLE"
          resource_tags        = { team = "platform" }
        }
        """,
        "docker-hub",
        "fakecloud",
    ),
    "ecr_account_setting": (
        """
        resource "ecr_account_setting" "x" {
          name  = "BLOB_MOUNTING"
          value = "ENABLED"
        }
        """,
        "BLOB_MOUNTING",
        "fakecloud",
    ),
    "ecr_signing_configuration": (
        """
        resource "ecr_signing_configuration" "x" {
          rule {
            signing_profile_arn = "arn:aws:signer:us-east-1:123456789012:/signing-profiles/ci_profile"
            repository_filter {
              filter      = "prod/*"
              filter_type = "WILDCARD_MATCH"
            }
          }
        }
        """,
        "123456789012",
        "fakecloud",
    ),
    "ecr_pull_time_update_exclusion": (
        """
        resource "ecr_pull_time_update_exclusion" "x" {
          principal_arn = "arn:aws:iam::123456789012:role/scanner"
        }
        """,
        "arn:aws:iam::123456789012:role/scanner",
        "fakecloud",
    ),
}


@pytest.fixture(params=sorted(CASES))
def case(request, moto):
    """(type, setup HCL, import id, provider HCL) for one resource type; fakecloud and the ECR
    Public stand-in start only for the types that need them."""
    rtype = request.param
    setup, import_id, backend = CASES[rtype]
    if backend == "fakecloud":
        fakecloud = request.getfixturevalue("fakecloud")
        fakecloud.reset()
        hcl = provider_block(fakecloud.url)
    elif backend == "public":
        hcl = provider_block(moto.url, ecrpublic=request.getfixturevalue("public").url)
    else:
        hcl = provider_block(moto.url)
    return rtype, setup, import_id, hcl


def test_import_block_generates_config_that_plans_no_change(case, ws, tmp_path, provider_dir, terraform):
    rtype, setup, import_id, hcl = case
    address = f"{rtype}.x"
    import_block = f'import {{\n  to = {address}\n  id = "{import_id}"\n}}\n'

    # Made outside the configuration that imports it.
    ws.write(config(hcl, setup))
    ws.apply()

    imp = Workspace(tmp_path / "import", provider_dir, terraform=terraform)
    imp.write(config(hcl, import_block))
    if not terraform.at_least(1, 5):
        # Import blocks came with Terraform 1.5; older clients refuse the block.
        r = imp.validate(check=False)
        assert r.returncode == 1 and "Unsupported block type" in r.stdout + r.stderr, r.stdout + r.stderr
        return

    summary = "Plan: 1 to import, 0 to add, 0 to change, 0 to destroy."
    assert_plan(imp.plan_exitcode("-generate-config-out=generated.tf"), 2, summary)
    generated = (imp.path / "generated.tf").read_text()
    assert f'resource "{rtype}" "x" {{' in generated, generated
    # The generated configuration is valid, and planning with it imports and changes nothing.
    assert_plan(imp.plan_exitcode(), 2, summary, absent=("will be updated", "must be replaced"))
    r = imp.apply()
    assert "Apply complete! Resources: 1 imported, 0 added, 0 changed, 0 destroyed." in r.stdout, r.stdout
    assert imp.resource(address) is not None
    assert_plan(imp.plan_exitcode(), 0, "No changes.")
    assert "Destroy complete! Resources: 1 destroyed." in imp.destroy().stdout
