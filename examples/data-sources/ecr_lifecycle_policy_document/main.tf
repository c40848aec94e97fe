# A lifecycle policy built from structured rules and checked against every ECR rule at
# `terraform validate`, with no AWS call: here archive, then expire (storage classes, November
# 2025). Images not pulled for 30 days move to the cheaper archive storage class; archived images
# are deleted 90 days after they were archived (ECR's minimum archive period). The checks catch,
# for example, sinceImagePulled with an expire action, or sinceImageTransitioned under 90 days.

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

# Canonical JSON for ecr_lifecycle_policy's `policy`, ecr_lifecycle_preview or ecr_cost_estimate.
output "policy_json" {
  value = data.ecr_lifecycle_policy_document.archive_then_expire.json
}
