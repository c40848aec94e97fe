"""Per-resource `region` and `timeouts { delete }` (as in hashicorp/aws v6)."""

from __future__ import annotations

import boto3
import pytest

from harness import REGION, ForwardingProxy, provider_block

OTHER = "eu-west-1"


def ecr_in(moto, region: str):
    return boto3.client("ecr", endpoint_url=moto.url, region_name=region,
                        aws_access_key_id="test", aws_secret_access_key="test")


def names(client) -> list[str]:
    return [r["repositoryName"] for r in client.describe_repositories()["repositories"]]


def test_repository_in_another_region_import_with_suffix_and_region_change_replaces(ws, moto, provider_hcl):
    here, there = ecr_in(moto, REGION), ecr_in(moto, OTHER)
    ws.write(provider_hcl + f"""
        resource "ecr_repository" "far" {{
          name   = "far-away"
          region = "{OTHER}"
        }}

        resource "ecr_lifecycle_policy" "far" {{
          repository = ecr_repository.far.name
          region     = ecr_repository.far.region
          policy     = jsonencode({{ rules = [{{ rulePriority = 1, selection = {{ tagStatus = "untagged", countType = "sinceImagePushed", countUnit = "days", countNumber = 7 }}, action = {{ type = "expire" }} }}] }})
        }}

        resource "ecr_repository" "near" {{
          name = "near-by"
        }}
    """)
    ws.apply()
    assert names(there) == ["far-away"]
    assert names(here) == ["near-by"]
    assert there.get_lifecycle_policy(repositoryName="far-away")["lifecyclePolicyText"]
    far = ws.attrs("ecr_repository.far")
    assert far["region"] == OTHER and f".dkr.ecr.{OTHER}." in far["repository_url"]
    assert ws.attrs("ecr_repository.near")["region"] == REGION
    assert ws.plan_exitcode()[0] == 0

    # Import by `<name>@<region>` into a fresh state: the next plan is empty.
    ws.run("state", "rm", "ecr_repository.far")
    ws.import_("ecr_repository.far", f"far-away@{OTHER}")
    assert ws.attrs("ecr_repository.far")["region"] == OTHER
    assert ws.plan_exitcode()[0] == 0

    # A bad suffix is refused with the expected form.
    ws.run("state", "rm", "ecr_repository.far")
    bad = ws.import_("ecr_repository.far", "far-away@mars", check=False)
    assert bad.returncode != 0 and "not an AWS region name" in " ".join(bad.stderr.split())
    ws.import_("ecr_repository.far", f"far-away@{OTHER}")

    # Moving it to the provider's region replaces it.
    ws.write(ws.main_tf.read_text().replace(f'  region = "{OTHER}"\n', "", 1))
    code, out = ws.plan_exitcode()
    assert code == 2 and "must be replaced" in out and "forces replacement" in out, out
    ws.destroy()
    assert names(there) == [] and names(here) == []


def test_invalid_region_and_delete_timeout_fail_validate_naming_the_attribute(ws, provider_hcl):
    ws.write(provider_hcl + """
        resource "ecr_repository" "x" {
          name   = "x"
          region = "Europe"
          timeouts {
            delete = "5 minutes"
          }
        }
    """)
    r = ws.validate(check=False)
    assert r.returncode != 0
    assert "Invalid region" in r.stderr and '"Europe"' in r.stderr
    assert "Invalid timeouts.delete" in r.stderr and "timeouts.delete" in r.stderr


class StubbornDelete(ForwardingProxy):
    """Forwards to moto, but puts the repository back right after AWS deletes it, so the
    deletion never shows as done (as a slow eventual-consistency delete would)."""

    def __init__(self, moto):
        super().__init__(moto.url)
        self.ecr = ecr_in(moto, REGION)

    def withhold(self, op, mark, status, body):
        if op == "DeleteRepository" and status == 200:
            self.ecr.create_repository(repositoryName="slow")
        return False


def test_a_short_delete_timeout_times_out_with_a_clear_message(ws, moto):
    with StubbornDelete(moto) as proxy:
        ws.write(provider_block(proxy.url) + """
            resource "ecr_repository" "slow" {
              name = "slow"
              timeouts {
                delete = "3s"
              }
            }
        """)
        ws.apply()
        r = ws.destroy(check=False)
    assert r.returncode != 0
    assert 'ECR repository "slow" is still being deleted' in r.stderr, r.stderr
    assert "after 3s (timeouts.delete)" in r.stderr, r.stderr
    # The delete did not succeed in Terraform's eyes: the repository stays in state.
    assert ws.resource("ecr_repository.slow") is not None
