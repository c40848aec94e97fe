# The registry's permissions policy (one per account and region): the tooling account may
# replicate images into this registry and create the repositories replication needs.

variable "registry_account_id" {
  description = "The account that owns this registry."
  type        = string
  default     = "123456789012"
}

variable "tooling_account_id" {
  type    = string
  default = "111122223333"
}

resource "ecr_registry_policy" "this" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "ReplicationFromTooling"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${var.tooling_account_id}:root" }
      Action    = ["ecr:CreateRepository", "ecr:ReplicateImage"]
      Resource  = "arn:aws:ecr:us-east-1:${var.registry_account_id}:repository/*"
    }]
  })
}

output "registry_id" {
  value = ecr_registry_policy.this.registry_id
}
