# A repository's whole permissions policy, managed as one document: the CI role pushes, the
# cluster's node role pulls. Checked at plan time (ecr: action names, principals, size) and
# compared by meaning, so formatting and list order never show a diff. To add single statements
# next to policies managed elsewhere, use ecr_cross_account_grant instead (not both on one
# repository).

variable "repository" {
  description = "The repository (created elsewhere, e.g. as in the ecr_repository example)."
  type        = string
  default     = "my-org/app"
}

resource "ecr_repository_policy" "app" {
  repository = var.repository

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "CIPush"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::111122223333:role/ci" }
        Action = [
          "ecr:BatchCheckLayerAvailability",
          "ecr:CompleteLayerUpload",
          "ecr:InitiateLayerUpload",
          "ecr:PutImage",
          "ecr:UploadLayerPart",
        ]
      },
      {
        Sid       = "ClusterPull"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::111122223333:role/eks-node" }
        Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
      },
    ]
  })
}

output "registry_id" {
  value = ecr_repository_policy.app.registry_id
}
