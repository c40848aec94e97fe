# Before changing a repository's lifecycle policy: which images would the new policy expire today?
# Evaluated locally from the repository's images (no StartLifecyclePolicyPreview, nothing
# changes). Here a production rule "keep the last 10 release images".

variable "repository" {
  description = "The repository whose images to evaluate."
  type        = string
  default     = "my-org/app"
}

data "ecr_lifecycle_policy_document" "candidate" {
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
}

data "ecr_lifecycle_preview" "candidate" {
  repository = var.repository
  policy     = data.ecr_lifecycle_policy_document.candidate.json # omit to preview the current policy
}

output "would_expire" {
  value = data.ecr_lifecycle_preview.candidate.expiring_count
}

output "expiring_tags" {
  value = flatten([for i in data.ecr_lifecycle_preview.candidate.images : i.image_tags if i.action == "expire"])
}

output "bytes_reclaimed" {
  value = data.ecr_lifecycle_preview.candidate.bytes_reclaimed
}
