# Archive, then expire (storage classes, launched November 2025): images not pulled for 30
# days move to the cheaper archive storage class; archived images are deleted 90 days after
# they were archived (ECR's minimum archive period).
#
# The policy is built with the ecr_lifecycle_policy_document data source, which checks every
# ECR rule (for example: sinceImagePulled can only transition, sinceImageTransitioned needs
# storage_class = "archive" and at least 90 days).
#
# Emulator note: moto 5.2.5 still validates lifecycle policies with the pre-archive schema and
# rejects this policy at apply time. Against moto, run `terraform validate` / `terraform plan`
# only; `terraform apply` needs real AWS (or an emulator that knows storage classes).

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

  endpoints {
    ecr = var.aws_endpoint
    sts = var.aws_endpoint
  }
}

resource "ecr_repository" "app" {
  name = "my-org/archived-app"
}

data "ecr_lifecycle_policy_document" "archive_then_expire" {
  rule {
    priority    = 1
    description = "Archive images not pulled for 30 days"
    selection {
      tag_status   = "any"
      count_type   = "sinceImagePulled"
      count_unit   = "days"
      count_number = 30
    }
    action {
      type                 = "transition"
      target_storage_class = "archive"
    }
  }

  rule {
    priority    = 2
    description = "Delete archived images 90 days after archiving"
    selection {
      tag_status    = "any"
      storage_class = "archive"
      count_type    = "sinceImageTransitioned"
      count_unit    = "days"
      count_number  = 90
    }
    action {
      type = "expire"
    }
  }
}

resource "ecr_lifecycle_policy" "app" {
  repository = ecr_repository.app.name
  policy     = data.ecr_lifecycle_policy_document.archive_then_expire.json
}

# Which images would be archived or deleted today (evaluated locally, works on any emulator).
data "ecr_lifecycle_preview" "app" {
  repository = ecr_repository.app.name
  policy     = data.ecr_lifecycle_policy_document.archive_then_expire.json

  # Read at apply time while the repository is being created.
  depends_on = [ecr_repository.app]
}

output "policy_json" {
  value = data.ecr_lifecycle_policy_document.archive_then_expire.json
}

output "would_archive" {
  value = data.ecr_lifecycle_preview.app.transitioning_count
}
