# The seed's CI gate "Block deploy on critical CVE" (check-scan.sh: wait for the ECR scan of the
# image being released, then fail when it has CRITICAL findings), as part of `terraform plan`:
#
#   - the registry scans every repository on push, and production repositories continuously
#     (ENHANCED scanning, Amazon Inspector);
#   - the data source waits for the scan of the image being released (starting a basic scan if
#     the image was never scanned) and fails the plan when a CRITICAL finding remains that the
#     team has not accepted; the error lists each finding with its package;
#   - the deploy then uses the image by digest, so what was checked is what runs.
#
# Against real AWS: `terraform plan -var image_tag=v1.2.3` with your usual credentials.
# Against a local emulator: add `-var aws_endpoint=http://127.0.0.1:5000` and
# `-var scan_type=BASIC` (emulators have no Inspector). For pipelines without Terraform, the same
# gate is `check-scan.sh` next to this file (`terraform-provider-ecr scan gate`).

terraform {
  required_providers {
    ecr = { source = "ecr-rs/ecr" }
  }
}

variable "aws_endpoint" {
  description = "Endpoint of a local AWS emulator; null means real AWS."
  type        = string
  default     = null
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "repository" {
  description = "Repository of the image being released."
  type        = string
  default     = "prod-app"
}

variable "image_tag" {
  description = "Tag of the image being released."
  type        = string
  default     = "latest"
}

variable "scan_type" {
  description = "BASIC or ENHANCED registry scanning."
  type        = string
  default     = "ENHANCED"
}

variable "accepted_findings" {
  description = "CVE ids the team has reviewed and accepted (each with a ticket, ideally)."
  type        = list(string)
  default     = []
}

provider "ecr" {
  region                      = var.region
  skip_credentials_validation = var.aws_endpoint != null

  endpoints {
    ecr = var.aws_endpoint
    sts = var.aws_endpoint
  }
}

resource "ecr_registry_scanning_configuration" "this" {
  scan_type = var.scan_type

  dynamic "rule" {
    for_each = var.scan_type == "ENHANCED" ? [1] : []
    content {
      scan_frequency = "CONTINUOUS_SCAN"
      repository_filter {
        filter = "prod-*"
      }
    }
  }

  rule {
    scan_frequency = "SCAN_ON_PUSH"
    repository_filter {
      filter = "*"
    }
  }
}

# "Block deploy on critical CVE": a CRITICAL finding that is not accepted fails `terraform plan`.
data "ecr_image_scan_findings" "release" {
  repository            = var.repository
  image_tag             = var.image_tag
  wait_for_scan         = true
  start_scan_if_missing = true
  timeout               = "10m"
  fail_on_severity      = "CRITICAL"
  ignore_findings       = var.accepted_findings
  max_findings          = 20

  depends_on = [ecr_registry_scanning_configuration.this]
}

output "image" {
  description = "The checked image, by digest: deploy this."
  value       = "${var.repository}@${data.ecr_image_scan_findings.release.image_digest}"
}

output "severity_counts" {
  value = data.ecr_image_scan_findings.release.severity_counts
}

output "high_findings" {
  description = "Not blocking, but worth a ticket."
  value = [
    for f in data.ecr_image_scan_findings.release.findings :
    "${f.name} ${coalesce(f.package_name, "?")} ${coalesce(f.package_version, "?")}" if f.severity == "HIGH"
  ]
}
