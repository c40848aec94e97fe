# A production repository as AWS recommends: immutable tags (with `latest*` exempt), scan on
# push, KMS encryption, tags, and a lifecycle policy so old images do not pile up (and are not
# billed) forever. This passes every posture check (ECR-P001…P004) without warnings.

resource "ecr_repository" "app" {
  name                 = "my-org/app"
  image_tag_mutability = "IMMUTABLE_WITH_EXCLUSION"

  image_tag_mutability_exclusion_filter {
    filter = "latest*"
  }

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS" # the AWS-managed key for ECR; set kms_key for your own
  }

  tags = { team = "platform", env = "prod" }
}

resource "ecr_lifecycle_policy" "app" {
  repository = ecr_repository.app.name

  rule {
    priority    = 1
    description = "Expire untagged images after 7 days"
    selection {
      tag_status   = "untagged"
      count_type   = "sinceImagePushed"
      count_unit   = "days"
      count_number = 7
    }
  }
}

output "repository_url" {
  value = ecr_repository.app.repository_url
}
