# A CI gate, "block the deploy on a critical CVE", as part of `terraform plan`: wait for the
# scan of the image being released (starting a basic scan if it was never scanned), then fail
# the plan when a CRITICAL finding remains that the team has not accepted; the error lists each
# finding with its package. The deploy then uses the image by digest, so what was checked is what
# runs. For pipelines without Terraform, check-scan.sh next to this file is the same gate
# (`terraform-provider-ecr scan gate`).

variable "repository" {
  description = "Repository of the image being released."
  type        = string
  default     = "my-org/app"
}

variable "image_tag" {
  description = "Tag of the image being released."
  type        = string
  default     = "v1.2.3"
}

variable "accepted_findings" {
  description = "CVE ids the team has reviewed and accepted (each with a ticket, ideally)."
  type        = list(string)
  default     = []
}

data "ecr_image_scan_findings" "release" {
  repository            = var.repository
  image_tag             = var.image_tag
  wait_for_scan         = true
  start_scan_if_missing = true
  timeout               = "10m"
  fail_on_severity      = "CRITICAL"
  ignore_findings       = var.accepted_findings
  max_findings          = 20
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
