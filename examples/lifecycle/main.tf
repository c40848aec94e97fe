# The seed's two lifecycle policies:
#   - production: keep the last 10 release images (v*), expire untagged images after 7 days,
#     keep the last 5 SHA-tagged images (sha-*) — written as structured rule blocks;
#   - development: expire every image 14 days after push — written as JSON text.
# Both are checked against every ECR rule at `terraform validate`/`plan`, and a preview shows
# which images the production policy would expire today.
#
# Against real AWS: `terraform apply` with your usual credentials.
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

  endpoints {
    ecr = var.aws_endpoint
    sts = var.aws_endpoint
  }
}

resource "ecr_repository" "prod" {
  name = "my-org/app"
}

resource "ecr_repository" "dev" {
  name         = "my-org/app-dev"
  force_delete = true
}

# Structured form. Rule priorities apply lowest first; an image is acted on by one rule at most.
resource "ecr_lifecycle_policy" "prod" {
  repository = ecr_repository.prod.name

  rule {
    priority    = 1
    description = "Keep the last 10 release images"
    selection {
      tag_status       = "tagged"
      tag_pattern_list = ["v*"]
      count_type       = "imageCountMoreThan"
      count_number     = 10
    }
  }

  rule {
    priority    = 2
    description = "Expire untagged images after 7 days"
    selection {
      tag_status   = "untagged"
      count_type   = "sinceImagePushed"
      count_unit   = "days"
      count_number = 7
    }
    action {
      type = "expire"
    }
  }

  rule {
    priority    = 3
    description = "Keep the last 5 SHA-tagged images"
    selection {
      tag_status       = "tagged"
      tag_pattern_list = ["sha-*"]
      count_type       = "imageCountMoreThan"
      count_number     = 5
    }
  }
}

# JSON form: formatting, key order and rule order never cause a diff.
resource "ecr_lifecycle_policy" "dev" {
  repository = ecr_repository.dev.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Dev repository: expire every image 14 days after push"
      selection = {
        tagStatus   = "any"
        countType   = "sinceImagePushed"
        countUnit   = "days"
        countNumber = 14
      }
      action = { type = "expire" }
    }]
  })
}

# What the production policy would do to the repository's images right now.
data "ecr_lifecycle_preview" "prod" {
  repository = ecr_repository.prod.name
  policy     = ecr_lifecycle_policy.prod.policy_json

  # Read at apply time while the repository is being created.
  depends_on = [ecr_repository.prod]
}

output "prod_policy_json" {
  value = ecr_lifecycle_policy.prod.policy_json
}

output "prod_would_expire" {
  value = data.ecr_lifecycle_preview.prod.expiring_count
}
