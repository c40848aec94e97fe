"""Cost estimate, posture warnings and the authorization token, end to end with real Terraform
against moto.

moto reports `imageSizeInBytes` as the manifest's config size, and BatchGetImage returns the
manifest as pushed, so images with known layer sizes are pushed as manifests (no blobs are
uploaded; moto does not check them).
"""

from __future__ import annotations

import json

from harness import config, push_image

GIB = 1 << 30
MIB = 1 << 20
CONFIG_SIZE = 1000  # bytes; also what moto reports as imageSizeInBytes


def test_cost_estimate_counts_unique_layers_and_reclaimable_bytes(ws, ecr, provider_hcl):
    ecr.create_repository(repositoryName="app")
    ecr.create_repository(repositoryName="empty")
    # Two images sharing a 2 GiB base layer: 2 + 1 + 0.5 GiB unique (+ two config blobs),
    # where summing image sizes would count the base twice.
    push_image(ecr, "app", "old-1", config={"tag": "old-1"}, layers=[("base", 2 * GIB), ("app1", GIB)], config_size=CONFIG_SIZE)
    push_image(ecr, "app", "v2", config={"tag": "v2"}, layers=[("base", 2 * GIB), ("app2", GIB // 2)], config_size=CONFIG_SIZE)
    policy = json.dumps({"rules": [{"rulePriority": 1, "selection": {"tagStatus": "tagged", "tagPrefixList": ["old"], "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 1}, "action": {"type": "expire"}}]})
    ecr.put_lifecycle_policy(repositoryName="app", lifecyclePolicyText=policy)

    ws.write(config(provider_hcl, '''
        data "ecr_cost_estimate" "app" {
          repository_names = ["app"]
          now              = "2030-01-01T00:00:00Z"
        }
        data "ecr_cost_estimate" "seed" {
          repository_names = ["empty"]
          pushes_per_day   = 20
          average_image_mb = 300
          lifecycle_policy = jsonencode({ rules = [{ rulePriority = 1, selection = { tagStatus = "any", countType = "sinceImagePushed", countUnit = "days", countNumber = 14 }, action = { type = "expire" } }] })
        }
        data "ecr_cost_estimate" "all" {
          prices = { storage_gb_month = 0.2 }
        }
        output "app" { value = data.ecr_cost_estimate.app }
        output "seed" { value = data.ecr_cost_estimate.seed }
        output "all" { value = data.ecr_cost_estimate.all }
    '''))
    ws.apply()
    app = ws.output("app")
    unique = 2 * GIB + GIB + GIB // 2 + 2 * CONFIG_SIZE
    [r] = app["repositories"]
    assert r["name"] == "app"
    assert r["image_count"] == 2
    assert r["method"] == "unique_layers"
    assert r["stored_gb"] == round(unique / GIB, 6)
    assert r["monthly_cost_usd"] == round(unique / GIB * 0.10, 4)
    assert r["has_lifecycle_policy"] is True
    # The policy expires old-1: only its own layer and config are freed; the base stays.
    assert r["reclaimable_images"] == 1
    assert r["reclaimable_gb"] == round((GIB + CONFIG_SIZE) / GIB, 6)
    assert r["monthly_savings_usd"] == round((GIB + CONFIG_SIZE) / GIB * 0.10, 4)
    assert app["total_stored_gb"] == r["stored_gb"]
    assert app["total_monthly_cost_usd"] == r["monthly_cost_usd"]
    assert app["method"] == "unique_layers"
    assert app["repositories_without_lifecycle_policy"] == []
    assert app["prices_used"]["storage_gb_month"] == 0.10
    assert "as of" in app["price_source"]
    # Without pushes: 12 months of today's bill, and of the smaller bill with the policy.
    f = app["forecast_12_months_usd"]
    assert abs(f["without_policy"] - 12 * unique / GIB * 0.10) < 0.01
    assert abs(f["with_policy"] - 12 * (unique - GIB - CONFIG_SIZE) / GIB * 0.10) < 0.01

    # The seed's busy team: 20 pushes a day of 300 MB, nothing deleted.
    seed = ws.output("seed")
    [s] = seed["repositories"]
    assert (s["image_count"], s["stored_gb"], s["has_lifecycle_policy"], s["method"]) == (0, 0, False, "no_images")
    assert seed["repositories_without_lifecycle_policy"] == ["empty"]
    expected = sum(20 * d * 300 * MIB / GIB * 0.10 / 30 for d in range(1, 361))
    assert abs(seed["forecast_12_months_usd"]["without_policy"] - round(expected, 2)) < 0.011
    # After the first month the repository holds 600 images of 300 MB: ~$17.58 ≈ $18/month,
    # so the twelfth month alone costs ~12 times that; with a 14-day expiry far less.
    assert seed["forecast_12_months_usd"]["with_policy"] < seed["forecast_12_months_usd"]["without_policy"] / 10

    # Every repository of the registry, with a price override.
    everything = ws.output("all")
    assert [x["name"] for x in everything["repositories"]] == ["app", "empty"]
    assert everything["total_monthly_cost_usd"] == round(unique / GIB * 0.2, 4)
    assert "overridden: storage_gb_month" in everything["price_source"]


def test_cost_estimate_rejects_bad_inputs(ws, provider_hcl):
    ws.write(config(provider_hcl, '''
        data "ecr_cost_estimate" "x" {
          prices         = { storage = 1 }
          pushes_per_day = -3
        }
    '''))
    r = ws.plan(check=False)
    out = r.stdout + r.stderr
    assert r.returncode != 0
    assert "Invalid price override" in out and "storage_gb_month" in out
    assert "pushes_per_day must be between 0 and 1000" in out


REPO_DEFAULTS = '''
    resource "ecr_repository" "x" {
      name = "app"
    }
'''


def test_posture_warnings_appear_in_plan(ws, ecr, provider_hcl):
    ws.write(config(provider_hcl, REPO_DEFAULTS))
    r = ws.plan()
    out = r.stdout + r.stderr
    for fragment in ("Warning: ECR-P001: image tags are mutable", "Warning: ECR-P002: images are not scanned", "Warning: ECR-P003: encrypted with AES256", "posture_ignore"):
        assert fragment in out, out
    assert "Fix: set image_tag_mutability" in out, out
    # A brand-new repository cannot be checked for a lifecycle policy yet.
    assert "ECR-P004" not in out
    ws.apply()
    # Once it exists without a policy, refresh says so.
    r = ws.plan()
    out = r.stdout + r.stderr
    assert "Warning: ECR-P004: repository has no lifecycle policy" in out, out


def test_posture_hardened_repository_with_policy_is_quiet(ws, ecr, provider_hcl):
    ws.write(config(provider_hcl, '''
        resource "ecr_repository" "x" {
          name                 = "app"
          image_tag_mutability = "IMMUTABLE_WITH_EXCLUSION"
          image_tag_mutability_exclusion_filter { filter = "latest*" }
          image_scanning_configuration { scan_on_push = true }
          encryption_configuration { encryption_type = "KMS" }
        }
        resource "ecr_lifecycle_policy" "x" {
          repository = ecr_repository.x.name
          policy     = jsonencode({ rules = [{ rulePriority = 1, selection = { tagStatus = "untagged", countType = "sinceImagePushed", countUnit = "days", countNumber = 7 }, action = { type = "expire" } }] })
        }
    '''))
    out = ws.apply().stdout
    assert "ECR-P00" not in out, out
    out = ws.plan().stdout
    assert "ECR-P00" not in out, out


def test_posture_ignore_and_off(ws, ecr, provider_hcl):
    ws.write(config(provider_hcl, '''
        resource "ecr_repository" "x" {
          name           = "app"
          posture_ignore = ["ECR-P001", "ECR-P003"]
        }
    '''))
    out = ws.plan().stdout
    assert "Warning: ECR-P002" in out and "Warning: ECR-P001" not in out and "Warning: ECR-P003" not in out, out

    quiet = provider_hcl.replace('skip_credentials_validation = true', 'skip_credentials_validation = true\n  posture_checks = "off"')
    ws.write(config(quiet, REPO_DEFAULTS))
    ws.apply()
    out = ws.plan().stdout
    assert "ECR-P00" not in out, out


def test_posture_unknown_ignore_id_is_an_error(ws, provider_hcl):
    ws.write(config(provider_hcl, '''
        resource "ecr_repository" "x" {
          name           = "app"
          posture_ignore = ["ECR-P999"]
        }
    '''))
    r = ws.validate(check=False)
    assert r.returncode != 0
    assert "Unknown posture check id" in r.stdout + r.stderr


def test_posture_error_mode_fails_the_plan(ws, ecr, provider_hcl):
    strict = provider_hcl.replace('skip_credentials_validation = true', 'skip_credentials_validation = true\n  posture_checks = "error"')
    ws.write(config(strict, REPO_DEFAULTS))
    r = ws.plan(check=False)
    out = r.stdout + r.stderr
    assert r.returncode != 0
    assert "Error: ECR-P001: image tags are mutable" in out, out
    assert ecr.describe_repositories()["repositories"] == []

    bad_mode = provider_hcl.replace('skip_credentials_validation = true', 'skip_credentials_validation = true\n  posture_checks = "loud"')
    ws.write(config(bad_mode, REPO_DEFAULTS))
    r = ws.plan(check=False)
    assert r.returncode != 0
    assert "posture_checks must be one of warn, off, error" in r.stdout + r.stderr


def test_authorization_token(ws, provider_hcl):
    # The most verbose provider logging, SDK internals included.
    ws.env["TF_LOG_PROVIDER"] = "TRACE"
    ws.write(config(provider_hcl, '''
        data "ecr_authorization_token" "t" {}
        output "user" { value = data.ecr_authorization_token.t.user_name }
        output "endpoint" { value = data.ecr_authorization_token.t.proxy_endpoint }
        output "expires" { value = data.ecr_authorization_token.t.expires_at }
        output "password" {
          value     = data.ecr_authorization_token.t.password
          sensitive = true
        }
    '''))
    out = ws.apply().stdout
    assert ws.output("user") == "AWS"
    assert ws.output("endpoint").startswith("https://") and ".dkr.ecr.us-east-1.amazonaws.com" in ws.output("endpoint")
    assert ws.output("expires").endswith("Z")
    password = ws.output("password")
    assert password.endswith("-auth-token"), "moto's password is <account>-auth-token"
    assert password not in out
    # The provider never logs the secrets (Terraform's own log is the provider's stderr here).
    import base64

    token = base64.b64encode(f"AWS:{password}".encode()).decode()
    provider_lines = [l for l in ws.log_path.read_text().splitlines() if "terraform-provider-ecr" in l]
    assert any("[TRACE]" in l for l in provider_lines), "provider logged at TRACE"
    leaks = [l for l in provider_lines if password in l or token in l]
    assert not leaks, leaks[:2]


def test_posture_error_mode_fails_refresh_of_repository_without_policy(ws, ecr, provider_hcl):
    body = '''
        resource "ecr_repository" "x" {
          name           = "app"
          posture_ignore = ["ECR-P001", "ECR-P002", "ECR-P003"]
        }
    '''
    ws.write(config(provider_hcl, body))
    ws.apply()
    strict = provider_hcl.replace('skip_credentials_validation = true', 'skip_credentials_validation = true\n  posture_checks = "error"')
    ws.write(config(strict, body))
    r = ws.plan(check=False)
    out = r.stdout + r.stderr
    assert r.returncode != 0
    assert "Error: ECR-P004: repository has no lifecycle policy" in out, out
    # Silenced for this repository: the plan passes again.
    ws.write(config(strict, body.replace('"ECR-P003"]', '"ECR-P003", "ECR-P004"]')))
    assert ws.plan_exitcode()[0] == 2  # posture_ignore itself changes in place
