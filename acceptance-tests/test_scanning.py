"""Scanning end to end: `ecr_registry_scanning_configuration`, `ecr_image_scan_findings` and the
`scan gate` CLI, driven by the real Terraform CLI (and the provider binary) against moto.

moto facts these tests rely on (moto/ecr/models.py):
* GetRegistryScanningConfiguration / PutRegistryScanningConfiguration exist and store what is put;
  the registry id is the account, 123456789012.
* DescribeImageScanFindings raises ScanNotFoundException until StartImageScan was called for the
  image; StartImageScan works once per image per day (LimitExceededException after that).
* After a scan the default result is COMPLETE with one basic finding: CVE-9999-9999, severity
  HIGH, package moto_fake 9.9.9, CVSS2 7.5 — so `fail_on_severity = "CRITICAL"` passes and
  `"HIGH"` blocks.
* Other results (enhanced findings, IN_PROGRESS forever, FAILED statuses) are configured through
  POST /moto-api/static/ecr/scan-finding-results; the first result for an image is then returned
  for every later call with the same imageId. moto does not paginate findings (paging is covered
  by unit tests in src/scanning/fetch.rs).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import textwrap
import time
import urllib.request

import pytest

from harness import REGION, assert_plan, config, push_image

ADDR = "ecr_registry_scanning_configuration.this"
DS = "data.ecr_image_scan_findings.img"
ACCOUNT = "123456789012"
REPO = "app"


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


ENHANCED_CONFIG = """
resource "ecr_registry_scanning_configuration" "this" {
  scan_type = "ENHANCED"

  rule {
    scan_frequency = "CONTINUOUS_SCAN"
    repository_filter {
      filter = "prod-*"
    }
  }

  rule {
    scan_frequency = "SCAN_ON_PUSH"
    repository_filter {
      filter      = "*"
      filter_type = "WILDCARD"
    }
    repository_filter {
      filter = "team/app"
    }
  }
}
"""

ENHANCED_REMOTE_RULES = [
    {"scanFrequency": "CONTINUOUS_SCAN", "repositoryFilters": [{"filter": "prod-*", "filterType": "WILDCARD"}]},
    {
        "scanFrequency": "SCAN_ON_PUSH",
        "repositoryFilters": [{"filter": "*", "filterType": "WILDCARD"}, {"filter": "team/app", "filterType": "WILDCARD"}],
    },
]


def remote_config(ecr) -> dict:
    return ecr.get_registry_scanning_configuration()["scanningConfiguration"]


def moto_scan_result(moto, result: dict) -> None:
    """Queue a custom DescribeImageScanFindings answer in moto for result's repository/image."""
    body = json.dumps({"results": [result], "region": REGION}).encode()
    req = urllib.request.Request(
        f"{moto.url}/moto-api/static/ecr/scan-finding-results", data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status in (200, 201), r.status


def status_result(status: str, description: str, tag: str = "v1") -> dict:
    return {
        "registryId": ACCOUNT,
        "repositoryName": REPO,
        "imageId": {"imageTag": tag},
        "imageScanStatus": {"status": status, "description": description},
    }


ENHANCED_RESULT = {
    "registryId": ACCOUNT,
    "repositoryName": REPO,
    "imageId": {"imageTag": "v1"},
    "imageScanStatus": {"status": "ACTIVE", "description": "Continuous scan is selected for image."},
    "imageScanFindings": {
        "imageScanCompletedAt": 1767225600,
        "vulnerabilitySourceUpdatedAt": 1767139200,
        "findingSeverityCounts": {"CRITICAL": 1, "MEDIUM": 1, "UNTRIAGED": 1},
        "enhancedFindings": [
            {
                "awsAccountId": ACCOUNT,
                "description": "Medium issue in zlib.",
                "findingArn": "arn:aws:inspector2:us-east-1:123456789012:finding/medium",
                "severity": "MEDIUM",
                "score": 5.3,
                "status": "ACTIVE",
                "title": "CVE-2025-0002 - zlib",
                "type": "PACKAGE_VULNERABILITY",
                "fixAvailable": "NO",
                "packageVulnerabilityDetails": {
                    "vulnerabilityId": "CVE-2025-0002",
                    "sourceUrl": "https://nvd.nist.gov/vuln/detail/CVE-2025-0002",
                    "vulnerablePackages": [{"name": "zlib", "version": "1.2.11"}],
                },
            },
            {
                "awsAccountId": ACCOUNT,
                "description": "Remote code execution in openssl.",
                "findingArn": "arn:aws:inspector2:us-east-1:123456789012:finding/critical",
                "severity": "CRITICAL",
                "score": 9.8,
                "status": "ACTIVE",
                "title": "CVE-2025-0001 - openssl",
                "type": "PACKAGE_VULNERABILITY",
                "fixAvailable": "YES",
                "packageVulnerabilityDetails": {
                    "vulnerabilityId": "CVE-2025-0001",
                    "sourceUrl": "https://nvd.nist.gov/vuln/detail/CVE-2025-0001",
                    "cvss": [{"baseScore": 9.8, "scoringVector": "CVSS:3.1/AV:N", "source": "NVD", "version": "3.1"}],
                    "vulnerablePackages": [{"name": "openssl", "version": "3.0.1", "fixedInVersion": "3.0.2"}],
                },
            },
            {
                "awsAccountId": ACCOUNT,
                "description": "Not yet triaged.",
                "findingArn": "arn:aws:inspector2:us-east-1:123456789012:finding/untriaged",
                "severity": "UNTRIAGED",
                "title": "GHSA-aaaa-bbbb-cccc",
                "type": "PACKAGE_VULNERABILITY",
            },
        ],
    },
}


def findings_ds(body: str) -> str:
    inner = textwrap.indent(textwrap.dedent(body).strip(), "  ")
    return f'data "ecr_image_scan_findings" "img" {{\n  repository = "{REPO}"\n{inner}\n}}\n'


OUTPUTS = """
output "status" { value = data.ecr_image_scan_findings.img.scan_status }
output "counts" { value = data.ecr_image_scan_findings.img.severity_counts }
output "findings" { value = data.ecr_image_scan_findings.img.findings }
output "count" { value = data.ecr_image_scan_findings.img.findings_count }
output "digest" { value = data.ecr_image_scan_findings.img.image_digest }
output "completed" { value = data.ecr_image_scan_findings.img.scan_completed_at }
"""


# --------------------------------------------------------------------------------------------
# ecr_registry_scanning_configuration
# --------------------------------------------------------------------------------------------


def test_configuration_round_trip_drift_and_reset_on_destroy(ws, ecr, provider_hcl):
    assert remote_config(ecr) == {"scanType": "BASIC", "rules": []}
    ws.write(config(provider_hcl, ENHANCED_CONFIG))
    ws.apply()
    assert remote_config(ecr) == {"scanType": "ENHANCED", "rules": ENHANCED_REMOTE_RULES}
    attrs = ws.attrs(ADDR)
    assert (attrs["id"], attrs["registry_id"], attrs["scan_type"]) == (ACCOUNT, ACCOUNT, "ENHANCED")
    assert [f["filter_type"] for f in attrs["rule"][0]["repository_filter"]] == ["WILDCARD"]
    assert_plan(ws.plan_exitcode(), 0, "No changes.")

    # Rules reordered by AWS: no diff.
    ecr.put_registry_scanning_configuration(scanType="ENHANCED", rules=list(reversed(ENHANCED_REMOTE_RULES)))
    assert_plan(ws.plan_exitcode(), 0, "No changes.")

    # Changed outside Terraform: the diff shows, apply puts it back.
    ecr.put_registry_scanning_configuration(scanType="BASIC", rules=[])
    assert_plan(ws.plan_exitcode(), 2, "will be updated in-place", '"BASIC" -> "ENHANCED"')
    ws.apply()
    assert remote_config(ecr)["scanType"] == "ENHANCED"

    # In-place update to BASIC scan on push.
    ws.write(
        config(
            provider_hcl,
            """
            resource "ecr_registry_scanning_configuration" "this" {
              scan_type = "BASIC"
              rule {
                scan_frequency = "SCAN_ON_PUSH"
                repository_filter { filter = "app" }
              }
            }
            """,
        )
    )
    assert_plan(ws.plan_exitcode(), 2, "will be updated in-place", "Plan: 0 to add, 1 to change, 0 to destroy.")
    ws.apply()
    assert remote_config(ecr) == {
        "scanType": "BASIC",
        "rules": [{"scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": [{"filter": "app", "filterType": "WILDCARD"}]}],
    }
    assert_plan(ws.plan_exitcode(), 0, "No changes.")

    # Destroy resets the registry to AWS's default.
    ws.destroy()
    assert remote_config(ecr) == {"scanType": "BASIC", "rules": []}


@pytest.mark.compat
def test_import_by_registry_id(ws, ecr, provider_hcl):
    ecr.put_registry_scanning_configuration(scanType="ENHANCED", rules=ENHANCED_REMOTE_RULES)
    ws.write(config(provider_hcl, ENHANCED_CONFIG))
    r = ws.import_(ADDR, "999999999999", check=False)
    assert r.returncode != 0
    assert "The provider is configured for registry 123456789012, not 999999999999" in r.stdout + r.stderr
    r = ws.import_(ADDR, "not-an-id", check=False)
    assert r.returncode != 0 and "is not a registry id (12 digits)" in r.stdout + r.stderr
    ws.import_(ADDR, ACCOUNT)
    attrs = ws.attrs(ADDR)
    assert (attrs["id"], attrs["scan_type"], len(attrs["rule"])) == (ACCOUNT, "ENHANCED", 2)
    assert_plan(ws.plan_exitcode(), 0, "No changes.")


@pytest.mark.parametrize(
    "body,fragments",
    [
        (
            'scan_type = "BASIC"\nrule {\n  scan_frequency = "CONTINUOUS_SCAN"\n  repository_filter { filter = "prod" }\n}',
            ["scan_frequency CONTINUOUS_SCAN is not allowed with scan_type = BASIC", r're:\d+:\s+scan_frequency = "CONTINUOUS_SCAN"'],
        ),
        (
            'scan_type = "ENHANCED"\nrule {\n  scan_frequency = "SCAN_ON_PUSH"\n  repository_filter { filter = "Prod--x" }\n}',
            ['filter "Prod--x" is not a valid repository filter', r're:\d+:\s+repository_filter \{ filter = "Prod--x" \}'],
        ),
        (
            'scan_type = "BASIC"\nrule {\n  scan_frequency = "SCAN_ON_PUSH"\n  repository_filter { filter = "' + "a" * 256 + '" }\n}',
            ["filter must be 1 to 255 characters long"],
        ),
        ('scan_type = "FULL"', ["scan_type must be one of BASIC, ENHANCED"]),
    ],
    ids=["continuous-needs-enhanced", "filter-syntax", "filter-length", "scan-type"],
)
def test_plan_time_validation(ws, provider_hcl, body, fragments):
    inner = textwrap.indent(body, "  ")
    ws.write(config(provider_hcl, f'resource "ecr_registry_scanning_configuration" "this" {{\n{inner}\n}}'))
    r = ws.validate(check=False)
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    for f in fragments:
        # "re:" fragments match the source line Terraform quotes for the attribute a diagnostic points at.
        if f.startswith("re:"):
            assert re.search(f[3:], out), f"{f!r} not in:\n{out}"
        else:
            assert f in out, f"{f!r} not in:\n{out}"


@pytest.mark.parametrize(
    "body,summary",
    [
        ('scan_type = "ENHANCED"\nrule {\n  scan_frequency = "MANUAL"\n  repository_filter { filter = "prod" }\n}', "Rule with scan_frequency MANUAL"),
        ('scan_type = "BASIC"\nrule {\n  scan_frequency = "SCAN_ON_PUSH"\n}', "Rule without repository_filter"),
    ],
    ids=["manual", "no-filter"],
)
def test_undocumented_refusals_are_warnings(ws, provider_hcl, body, summary):
    """AWS documents no refusal of these (issue 19): validate passes with a warning."""
    inner = textwrap.indent(body, "  ")
    ws.write(config(provider_hcl, f'resource "ecr_registry_scanning_configuration" "this" {{\n{inner}\n}}'))
    r = ws.validate(check=False)
    out = r.stdout + r.stderr
    assert r.returncode == 0, out
    assert f"Warning: {summary}" in out, out


def test_scan_on_push_warning_with_enhanced_registry_scanning(ws, ecr, provider_hcl):
    ws.write(
        config(
            provider_hcl,
            ENHANCED_CONFIG,
            """
            resource "ecr_repository" "r" {
              name = "legacy"
              image_scanning_configuration {
                scan_on_push = true
              }
            }
            """,
            'resource "ecr_repository" "quiet" {\n  name = "quiet"\n}',
        )
    )
    out = assert_plan(ws.plan_exitcode(), 2, "Plan: 3 to add")
    # Exactly one warning for the pair, whichever resource was planned second.
    assert out.count("is ignored with ENHANCED") == 1, out
    warning = " ".join(out[out.index("is ignored with ENHANCED"):].split("\nWarning:")[0].split("\nTerraform used")[0].split())
    assert "legacy" in warning, warning
    assert "quiet" not in warning, warning
    # No warning with BASIC scanning.
    ws.write(config(provider_hcl, ENHANCED_CONFIG.replace('"ENHANCED"', '"BASIC"').replace("CONTINUOUS_SCAN", "SCAN_ON_PUSH"),
                    'resource "ecr_repository" "r" {\n  name = "legacy"\n  image_scanning_configuration { scan_on_push = true }\n}'))
    out = assert_plan(ws.plan_exitcode(), 2)
    assert "is ignored with ENHANCED" not in out, out


# --------------------------------------------------------------------------------------------
# ecr_image_scan_findings
# --------------------------------------------------------------------------------------------


def test_findings_pass_at_critical_and_are_normalised(ws, ecr, provider_hcl):
    digest = push_image(ecr, REPO, create=True)
    ws.write(config(provider_hcl, findings_ds('image_tag = "v1"\nstart_scan_if_missing = true\nfail_on_severity = "CRITICAL"'), OUTPUTS))
    ws.apply()
    assert ws.output("status") == "COMPLETE"
    assert ws.output("digest") == digest
    assert ws.output("count") == 1
    counts = ws.output("counts")
    assert counts == {"CRITICAL": 0, "HIGH": 1, "MEDIUM": 0, "LOW": 0, "INFORMATIONAL": 0, "UNDEFINED": 0, "UNTRIAGED": 0}
    (f,) = ws.output("findings")
    assert f["name"] == "CVE-9999-9999"
    assert (f["severity"], f["package_name"], f["package_version"], f["cvss_score"]) == ("HIGH", "moto_fake", "9.9.9", 7.5)
    assert f["uri"].endswith("CVE-9999-9999")
    assert (f["scanner"], f["ignored"], f["fix_available"]) == ("BASIC", False, None)
    assert ws.output("completed").endswith("Z")
    # The scan was started by the data source, and a second plan is quiet (no second StartImageScan:
    # moto would answer LimitExceededException).
    assert_plan(ws.plan_exitcode(), 0)


def test_findings_block_plan_at_high(ws, ecr, provider_hcl):
    push_image(ecr, REPO, create=True)
    ecr.start_image_scan(repositoryName=REPO, imageId={"imageTag": "v1"})
    ws.write(config(provider_hcl, findings_ds('image_tag = "v1"\nfail_on_severity = "HIGH"'), OUTPUTS))
    code, out = ws.plan_exitcode()
    assert code == 1, out
    assert "1 finding(s) at or above HIGH in app:v1" in out
    assert "CVE-9999-9999 (HIGH, moto_fake 9.9.9, CVSS 7.5)" in out
    assert "fail_on_severity" in out


def test_ignore_list_accepts_findings(ws, ecr, provider_hcl):
    push_image(ecr, REPO, create=True)
    ecr.start_image_scan(repositoryName=REPO, imageId={"imageTag": "v1"})
    ws.write(
        config(
            provider_hcl,
            findings_ds('image_tag = "v1"\nfail_on_severity = "LOW"\nignore_findings = ["cve-9999-9999", "CVE-2000-0001"]'),
            OUTPUTS,
        )
    )
    r = ws.apply()
    (f,) = ws.output("findings")
    assert (f["name"], f["ignored"]) == ("CVE-9999-9999", True)
    # An accepted id that is not (or no longer) found is pointed out.
    assert "Ignored findings not present" in r.stdout + r.stderr and '"CVE-2000-0001"' in r.stdout + r.stderr


def test_by_digest_and_max_findings(ws, ecr, provider_hcl):
    digest = push_image(ecr, REPO, create=True)
    ecr.start_image_scan(repositoryName=REPO, imageId={"imageDigest": digest})
    ws.write(config(provider_hcl, findings_ds(f'image_digest = "{digest}"\nmax_findings = 0'), OUTPUTS))
    ws.apply()
    assert ws.output("findings") == []
    assert ws.output("count") == 1


def test_enhanced_findings_are_normalised_and_gated(ws, ecr, moto, provider_hcl):
    push_image(ecr, REPO, create=True)
    moto_scan_result(moto, ENHANCED_RESULT)
    ecr.start_image_scan(repositoryName=REPO, imageId={"imageTag": "v1"})
    ws.write(config(provider_hcl, findings_ds('image_tag = "v1"\nfail_on_severity = "CRITICAL"'), OUTPUTS))
    code, out = ws.plan_exitcode()
    assert code == 1, out
    assert "CVE-2025-0001 (CRITICAL, openssl 3.0.1, CVSS 9.8, fixed in 3.0.2)" in out
    assert "CVE-2025-0002" not in out

    ws.write(config(provider_hcl, findings_ds('image_tag = "v1"\nfail_on_severity = "CRITICAL"\nignore_findings = ["CVE-2025-0001"]'), OUTPUTS))
    ws.apply()
    assert ws.output("status") == "ACTIVE"
    assert ws.output("counts")["UNTRIAGED"] == 1
    assert ws.output("completed") == "2026-01-01T00:00:00Z"
    names = [(f["name"], f["severity"], f["ignored"]) for f in ws.output("findings")]
    assert names == [("CVE-2025-0001", "CRITICAL", True), ("CVE-2025-0002", "MEDIUM", False), ("GHSA-aaaa-bbbb-cccc", "UNTRIAGED", False)]
    crit = ws.output("findings")[0]
    assert (crit["package_name"], crit["fix_available"], crit["fixed_in_version"], crit["scanner"]) == ("openssl", "YES", "3.0.2", "ENHANCED")
    assert crit["uri"] == "https://nvd.nist.gov/vuln/detail/CVE-2025-0001"


def test_scan_that_never_completes_times_out(ws, ecr, moto, provider_hcl):
    push_image(ecr, REPO, create=True)
    moto_scan_result(moto, status_result("IN_PROGRESS", "Scanning"))
    ecr.start_image_scan(repositoryName=REPO, imageId={"imageTag": "v1"})
    ws.write(config(provider_hcl, findings_ds('image_tag = "v1"\nfail_on_severity = "HIGH"\ntimeout = "3s"')))
    started = time.monotonic()
    code, out = ws.plan_exitcode()
    took = time.monotonic() - started
    assert code == 1, out
    assert "Timed out waiting for the image scan" in out and "still IN_PROGRESS after 3s" in out
    assert took < 60, took

    # Without waiting it fails at once, and without a gate it reports the status.
    ws.write(config(provider_hcl, findings_ds('image_tag = "v1"\nfail_on_severity = "HIGH"\nwait_for_scan = false')))
    code, out = ws.plan_exitcode()
    assert code == 1 and "The scan status is IN_PROGRESS" in out, out
    ws.write(config(provider_hcl, findings_ds('image_tag = "v1"\nwait_for_scan = false'), OUTPUTS))
    ws.apply()
    assert (ws.output("status"), ws.output("findings")) == ("IN_PROGRESS", [])


@pytest.mark.parametrize("status", ["FAILED", "UNSUPPORTED_IMAGE", "FINDINGS_UNAVAILABLE"])
def test_failed_scan_statuses_are_clear_errors(ws, ecr, moto, provider_hcl, status):
    push_image(ecr, REPO, create=True)
    moto_scan_result(moto, status_result(status, f"moto says {status}"))
    ecr.start_image_scan(repositoryName=REPO, imageId={"imageTag": "v1"})
    ws.write(config(provider_hcl, findings_ds('image_tag = "v1"\nfail_on_severity = "HIGH"\ntimeout = "2m"')))
    started = time.monotonic()
    code, out = ws.plan_exitcode()
    assert code == 1, out
    assert f"The scan status is {status}: moto says {status}" in out
    assert time.monotonic() - started < 30, "a failed scan must not be waited for"


def test_missing_scan_repository_and_image_errors(ws, ecr, provider_hcl):
    push_image(ecr, REPO, create=True)
    ws.write(config(provider_hcl, findings_ds('image_tag = "v1"\nfail_on_severity = "HIGH"')))
    code, out = ws.plan_exitcode()
    assert code == 1 and "The image has not been scanned" in out and "start_scan_if_missing" in out, out
    ws.write(config(provider_hcl, findings_ds('image_tag = "nope"\nstart_scan_if_missing = true')))
    code, out = ws.plan_exitcode()
    assert code == 1 and "Image not found" in out, out
    ws.write(config(provider_hcl, 'data "ecr_image_scan_findings" "img" {\n  repository = "missing"\n  image_tag = "v1"\n}'))
    code, out = ws.plan_exitcode()
    assert code == 1 and "Repository not found" in out, out


def test_data_source_validation(ws, provider_hcl):
    ws.write(config(provider_hcl, findings_ds('image_tag = "v1"\nimage_digest = "sha256:' + "a" * 64 + '"\nfail_on_severity = "SEVERE"\ntimeout = "2h"')))
    r = ws.validate(check=False)
    out = " ".join((r.stdout + r.stderr).split())  # Terraform wraps long details
    assert r.returncode == 1
    for f in ["Set only one of image_tag and image_digest", "fail_on_severity must be one of CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, none", "at most 1h"]:
        assert f in out, f"{f!r} not in:\n{out}"


# --------------------------------------------------------------------------------------------
# scan gate CLI
# --------------------------------------------------------------------------------------------


def run_gate(provider_dir, moto, *args: str) -> subprocess.CompletedProcess:
    binary = os.path.realpath(provider_dir / "terraform-provider-ecr")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TF_"))}
    env.update(
        {
            "AWS_REGION": REGION,
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_ENDPOINT_URL_ECR": moto.url,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": "/dev/null",
            "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        }
    )
    return subprocess.run([binary, "scan", "gate", *args], env=env, capture_output=True, text=True, timeout=120)


def test_cli_gate_exit_codes(provider_dir, moto, ecr):
    push_image(ecr, REPO, create=True)
    r = run_gate(provider_dir, moto, "--repository", REPO, "--tag", "v1", "--fail-on", "CRITICAL", "--start-scan")
    assert r.returncode == 0, r
    assert r.stdout.startswith("PASS: no unaccepted findings at or above CRITICAL in app:v1"), r.stdout
    assert "HIGH 1" in r.stdout

    r = run_gate(provider_dir, moto, "--repository", REPO, "--tag", "v1", "--fail-on", "HIGH")
    assert r.returncode == 1, r
    assert "BLOCKED: 1 finding(s) at or above HIGH in app:v1" in r.stdout
    assert "CVE-9999-9999 (HIGH, moto_fake 9.9.9, CVSS 7.5)" in r.stdout

    r = run_gate(provider_dir, moto, "--repository", REPO, "--tag", "v1", "--fail-on", "HIGH", "--ignore", "CVE-9999-9999", "--format", "json")
    assert r.returncode == 0, r
    v = json.loads(r.stdout)
    assert (v["result"], v["scanStatus"], v["findingsCount"], v["blocking"]) == ("pass", "COMPLETE", 1, [])
    assert v["ignored"][0]["name"] == "CVE-9999-9999"

    r = run_gate(provider_dir, moto, "--repository", REPO, "--tag", "v1", "--fail-on", "HIGH", "--format", "json")
    assert r.returncode == 1
    v = json.loads(r.stdout)
    assert v["result"] == "blocked"
    assert v["blocking"][0] == {
        "name": "CVE-9999-9999",
        "severity": "HIGH",
        "packageName": "moto_fake",
        "packageVersion": "9.9.9",
        "cvssScore": 7.5,
        "fixedInVersion": None,
        "uri": "https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-9999-9999",
    }


def test_cli_gate_errors_exit_2(provider_dir, moto, ecr):
    push_image(ecr, REPO, create=True)
    r = run_gate(provider_dir, moto, "--repository", REPO, "--tag", "v1", "--fail-on", "HIGH")
    assert r.returncode == 2 and "The image has not been scanned" in r.stderr, r
    r = run_gate(provider_dir, moto, "--repository", "missing", "--tag", "v1", "--fail-on", "HIGH", "--format", "json")
    assert r.returncode == 2, r
    assert json.loads(r.stdout)["result"] == "error"
    r = run_gate(provider_dir, moto, "--repository", REPO, "--fail-on", "HIGH")
    assert r.returncode == 2 and "one of --tag or --digest is required" in r.stderr
    moto_scan_result(moto, status_result("IN_PROGRESS", "Scanning", tag="v2"))
    push_image(ecr, REPO, "v2", salt="2", create=True)
    ecr.start_image_scan(repositoryName=REPO, imageId={"imageTag": "v2"})
    started = time.monotonic()
    r = run_gate(provider_dir, moto, "--repository", REPO, "--tag", "v2", "--fail-on", "HIGH", "--timeout", "3s")
    assert r.returncode == 2 and "still IN_PROGRESS after 3s" in r.stderr, r
    assert time.monotonic() - started < 30


# --------------------------------------------------------------------------------------------
# examples/data-sources/ecr_image_scan_findings (the CVE gate) and its check-scan.sh
# --------------------------------------------------------------------------------------------


def test_example_scan_gate(ws, ecr, moto, provider_dir):
    """The example as shipped: plan passes for moto's HIGH finding (gate at CRITICAL), fails when
    the finding is CRITICAL, and check-scan.sh gives the same verdicts."""
    example = ws.use_example("data-sources/ecr_image_scan_findings", moto.url)
    push_image(ecr, "prod-app", "latest", create=True)
    v = ["-var", "repository=prod-app", "-var", "image_tag=latest"]
    ws.apply(*v)
    assert ws.output("image").startswith("prod-app@sha256:")
    assert ws.output("high_findings") == ["CVE-9999-9999 moto_fake 9.9.9"]
    assert ws.output("severity_counts")["HIGH"] == 1

    script = str(example / "check-scan.sh")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TF_"))}
    env.update(
        {
            "AWS_REGION": REGION,
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_ENDPOINT_URL_ECR": moto.url,
            "AWS_CONFIG_FILE": "/dev/null",
            "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
            "TERRAFORM_PROVIDER_ECR": os.path.realpath(provider_dir / "terraform-provider-ecr"),
        }
    )
    r = subprocess.run([script, "prod-app", "latest"], env=env, capture_output=True, text=True, timeout=120, cwd=ws.path)
    assert r.returncode == 0 and r.stdout.startswith("PASS"), r

    # A critical finding blocks both; accepting it unblocks.
    digest = push_image(ecr, "prod-app", "v2", salt="v2", create=True)
    critical = {
        "registryId": ACCOUNT,
        "repositoryName": "prod-app",
        "imageId": {"imageTag": "v2", "imageDigest": digest},
        "imageScanStatus": {"status": "COMPLETE", "description": "done"},
        "imageScanFindings": {
            "findingSeverityCounts": {"CRITICAL": 1},
            "findings": [{"name": "CVE-2025-1111", "severity": "CRITICAL", "attributes": [{"key": "package_name", "value": "glibc"}, {"key": "package_version", "value": "2.31"}]}],
        },
    }
    moto_scan_result(moto, critical)
    v2 = ["-var", "repository=prod-app", "-var", "image_tag=v2"]
    code, out = ws.plan_exitcode(*v2)
    assert code == 1 and "CVE-2025-1111 (CRITICAL, glibc 2.31)" in out, out
    r = subprocess.run([script, "prod-app", "v2"], env=env, capture_output=True, text=True, timeout=120, cwd=ws.path)
    assert r.returncode == 1 and "CVE-2025-1111 (CRITICAL, glibc 2.31)" in r.stdout, r
    (ws.path / ".accepted-cves").write_text("# reviewed in SEC-42\nCVE-2025-1111\n")
    r = subprocess.run([script, "prod-app", "v2"], env=env, capture_output=True, text=True, timeout=120, cwd=ws.path)
    assert r.returncode == 0, r
    # Passes now: only the outputs change (exit 2 = changes, not an error).
    assert_plan(ws.plan_exitcode(*v2, "-var", 'accepted_findings=["CVE-2025-1111"]'), 2, "Changes to Outputs", absent=("Error:",))


def test_registry_scanning_silences_the_repository_no_scanning_posture_check(ws, provider_hcl):
    """ECR-P002 fires for a repository without scan_on_push, unless registry-level scanning is in
    the same configuration (here planned first through depends_on, so the order is fixed)."""
    repo = 'resource "ecr_repository" "app" {\n  name = "app"\n%s}\n'
    ws.write(config(provider_hcl, repo % ""))
    assert_plan(ws.plan_exitcode(), 2, "Warning: ECR-P002")

    scanning = """
    resource "ecr_registry_scanning_configuration" "this" {
      scan_type = "BASIC"
      rule {
        scan_frequency = "SCAN_ON_PUSH"
        repository_filter {
          filter = "*"
        }
      }
    }
    """
    ws.write(config(provider_hcl, scanning, repo % "  depends_on = [ecr_registry_scanning_configuration.this]\n"))
    assert_plan(ws.plan_exitcode(), 2, absent=("Warning: ECR-P002",))
