# What the registry's repositories cost per month, what a lifecycle policy would save, and a
# 12-month forecast for the seed's busy team (20 pushes a day of ~300 MB) — plus the posture
# warnings `terraform plan` shows for a repository left at AWS's defaults.
#
# Against real AWS: `terraform apply` with your usual credentials (read-only for the data sources).
# Against a local emulator: `terraform apply -var aws_endpoint=http://127.0.0.1:5000`.

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

provider "ecr" {
  region                      = var.region
  skip_credentials_validation = var.aws_endpoint != null
  posture_checks              = "warn" # "error" in CI makes the warnings below fail the plan

  endpoints {
    ecr = var.aws_endpoint
    sts = var.aws_endpoint
  }
}

# AWS defaults: plan warns ECR-P001 (mutable tags), ECR-P002 (no scanning), ECR-P003 (AES256),
# and, once it exists, ECR-P004 (no lifecycle policy). This one is a scratch repository, so
# the encryption finding is accepted explicitly.
resource "ecr_repository" "scratch" {
  name           = "example/scratch"
  force_delete   = true
  posture_ignore = ["ECR-P003"]
}

# The policy to try: expire untagged images after 7 days, keep the last 30 others.
data "ecr_lifecycle_policy_document" "candidate" {
  rule {
    priority = 1
    selection {
      tag_status   = "untagged"
      count_type   = "sinceImagePushed"
      count_unit   = "days"
      count_number = 7
    }
  }
  rule {
    priority = 2
    selection {
      tag_status   = "any"
      count_type   = "imageCountMoreThan"
      count_number = 30
    }
  }
}

data "ecr_cost_estimate" "registry" {
  # Every repository in the registry; list names in repository_names to narrow it.
  lifecycle_policy = data.ecr_lifecycle_policy_document.candidate.json
  pushes_per_day   = 20
  average_image_mb = 300
  depends_on       = [ecr_repository.scratch]
}

output "monthly_cost_usd" {
  value = data.ecr_cost_estimate.registry.total_monthly_cost_usd
}

output "monthly_savings_usd" {
  value = data.ecr_cost_estimate.registry.total_monthly_savings_usd
}

output "forecast_12_months_usd" {
  value = data.ecr_cost_estimate.registry.forecast_12_months_usd
}

output "repositories_without_lifecycle_policy" {
  value = data.ecr_cost_estimate.registry.repositories_without_lifecycle_policy
}

output "how_bytes_were_counted" {
  value = "${data.ecr_cost_estimate.registry.method}; prices: ${data.ecr_cost_estimate.registry.price_source}"
}

data "ecr_authorization_token" "this" {}

output "docker_login" {
  value     = "docker login --username ${data.ecr_authorization_token.this.user_name} --password ${data.ecr_authorization_token.this.password} ${data.ecr_authorization_token.this.proxy_endpoint}"
  sensitive = true
}
