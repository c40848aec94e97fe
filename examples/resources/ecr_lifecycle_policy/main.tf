# Two lifecycle policies:
#   - production: keep the last 10 release images (v*), expire untagged images after 7 days,
#     keep the last 5 SHA-tagged images (sha-*) — written as structured rule blocks;
#   - development: expire every image 14 days after push — written as JSON text.
# Both are checked against every ECR rule at `terraform validate`/`plan`.

resource "ecr_repository" "prod" {
  name                 = "my-org/app"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration { scan_on_push = true }
  encryption_configuration { encryption_type = "KMS" }
}

resource "ecr_repository" "dev" {
  name                 = "my-org/app-dev"
  image_tag_mutability = "IMMUTABLE"
  force_delete         = true
  image_scanning_configuration { scan_on_push = true }
  encryption_configuration { encryption_type = "KMS" }
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

# The canonical JSON AWS stores, e.g. to feed ecr_lifecycle_preview or ecr_cost_estimate.
output "prod_policy_json" {
  value = ecr_lifecycle_policy.prod.policy_json
}
