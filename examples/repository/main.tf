# A production repository as the seed recommends: immutable tags (with `latest*` exempt),
# scan on push, KMS-free AES256 default, tags, and default tags from the provider.
#
# Against real AWS: `terraform apply` with your usual credentials.
# Against the local emulator: `scripts/demo` sets `aws_endpoint` for you.

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

  default_tags {
    tags = { managed-by = "terraform", project = "demo" }
  }
}

resource "ecr_repository" "app" {
  name                 = "my-org/app"
  image_tag_mutability = "IMMUTABLE_WITH_EXCLUSION"

  image_tag_mutability_exclusion_filter {
    filter = "latest*"
  }

  image_scanning_configuration {
    scan_on_push = true
  }

  tags = { team = "platform", env = "prod" }
}

resource "ecr_repository" "dev" {
  name         = "my-org/app-dev"
  force_delete = true
}

output "repository_url" {
  value = ecr_repository.app.repository_url
}

output "dev_repository_url" {
  value = ecr_repository.dev.repository_url
}
