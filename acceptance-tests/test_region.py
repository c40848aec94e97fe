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



def test_replication_configuration_in_another_region_through_region(ws, moto, provider_hcl):
    """A registry-wide type in another region through `region`: moto keeps each region's
    replication configuration apart, so the rule lands in that region's registry only."""
    here, there = ecr_in(moto, REGION), ecr_in(moto, OTHER)
    rules = lambda c: c.describe_registry().get("replicationConfiguration", {}).get("rules", [])  # noqa: E731
    ws.write(provider_hcl + f"""
        resource "ecr_replication_configuration" "far" {{
          region = "{OTHER}"
          replication_configuration {{
            rule {{
              destination {{
                region      = "us-west-2"
                registry_id = "123456789012"
              }}
            }}
          }}
        }}
    """)
    ws.apply()
    assert [d["region"] for d in rules(there)[0]["destinations"]] == ["us-west-2"]
    assert rules(here) == []
    r = ws.resource("ecr_replication_configuration.far")
    assert r["values"]["region"] == OTHER and r["identity"]["region"] == OTHER, r
    assert ws.plan_exitcode()[0] == 0
    ws.run("state", "rm", "ecr_replication_configuration.far")
    ws.import_("ecr_replication_configuration.far", f"123456789012@{OTHER}")
    assert ws.plan_exitcode()[0] == 0
    # A destination in the resource's own region (same account) is the registry itself: refused
    # at plan although it is another region than the provider's (the account is known once
    # credentials are validated: moto answers STS).
    validated = ws.main_tf.read_text().replace("  skip_credentials_validation = true\n", "")
    assert "skip_credentials_validation" not in validated
    ws.write(validated.replace('"us-west-2"', f'"{OTHER}"'))
    code, out = ws.plan_exitcode()
    assert code == 1 and "Destination is the source registry" in out, out
    ws.write(validated)
    assert ws.plan_exitcode()[0] == 0
    ws.destroy()
    assert rules(there) == []


class SignedRegions(ForwardingProxy):
    """Forwards to fakecloud and records the region each ECR call was signed for (SigV4
    credential scope): fakecloud keeps one registry for every region, so where a call went is
    seen here rather than in fakecloud's answers."""

    def __init__(self, url):
        super().__init__(url)
        self.calls: list[tuple[str, str]] = []

    def seen(self, op, headers):
        auth = headers.get("Authorization", "")
        if "Credential=" in auth:
            scope = auth.split("Credential=", 1)[1].split(",", 1)[0].split("/")
            if len(scope) >= 4 and scope[3] == "ecr":
                with self.lock:
                    self.calls.append((op, scope[2]))
        return None

    def regions(self, *ops: str) -> set[str]:
        with self.lock:
            return {r for op, r in self.calls if any(o in str(op) for o in ops)}

    def clear(self):
        with self.lock:
            self.calls.clear()


TEMPLATE_OPS = ("RepositoryCreationTemplate",)
SETTING_OPS = ("AccountSetting",)


def test_registry_types_on_fakecloud_call_the_resources_region(ws, fakecloud):
    """A creation template and an account setting with `region`: every call for them is signed
    for that region, `@<region>` imports there, and dropping `region` replaces them in the
    provider's. (fakecloud keeps a single registry whatever the region, so placement is asserted
    on the signed region of each call, not on what another region's client reads back.)"""
    fakecloud.reset()
    with SignedRegions(fakecloud.url) as proxy:
        ws.write(provider_block(proxy.url) + f"""
            resource "ecr_repository_creation_template" "far" {{
              prefix      = "far"
              applied_for = ["CREATE_ON_PUSH"]
              region      = "{OTHER}"
            }}

            resource "ecr_account_setting" "far" {{
              name   = "BLOB_MOUNTING"
              value  = "ENABLED"
              region = "{OTHER}"
            }}
        """)
        ws.apply()
        assert proxy.regions(*TEMPLATE_OPS) == {OTHER} and proxy.regions(*SETTING_OPS) == {OTHER}, proxy.calls
        r = ws.resource("ecr_repository_creation_template.far")
        assert r["values"]["region"] == OTHER and r["identity"]["region"] == OTHER, r
        assert ws.attrs("ecr_account_setting.far")["region"] == OTHER
        assert ws.plan_exitcode()[0] == 0

        # Import by `<id>@<region>` into a fresh state: read there, and the next plan is empty.
        ws.run("state", "rm", "ecr_repository_creation_template.far", "ecr_account_setting.far")
        proxy.clear()
        ws.import_("ecr_repository_creation_template.far", f"far@{OTHER}")
        ws.import_("ecr_account_setting.far", f"BLOB_MOUNTING@{OTHER}")
        assert proxy.regions(*TEMPLATE_OPS, *SETTING_OPS) == {OTHER}, proxy.calls
        assert ws.attrs("ecr_account_setting.far")["region"] == OTHER
        assert ws.plan_exitcode()[0] == 0

        # Dropping `region` moves both to the provider's region: a replacement.
        ws.write(ws.main_tf.read_text().replace(f'region      = "{OTHER}"', "").replace(f'region = "{OTHER}"', ""))
        code, out = ws.plan_exitcode()
        assert code == 2 and "2 to add, 0 to change, 2 to destroy" in out and "forces replacement" in out, out
        proxy.clear()
        ws.apply()
        assert ("CreateRepositoryCreationTemplate", REGION) in proxy.calls, proxy.calls
        assert ("DeleteRepositoryCreationTemplate", OTHER) in proxy.calls, proxy.calls
        assert ws.attrs("ecr_repository_creation_template.far")["region"] == REGION
        ws.destroy()
