# Who may push to a public repository (anyone may pull from ECR Public): here, the CI role.
# The policy is compared by meaning, so formatting and list order never show a diff.

variable "ci_role_arn" {
  description = "IAM role your CI uses to push images."
  type        = string
  default     = "arn:aws:iam::111122223333:role/ci"
}

resource "ecr_public_repository" "tool" {
  repository_name = "my-org/my-tool"
}

resource "ecr_public_repository_policy" "tool" {
  repository_name = ecr_public_repository.tool.repository_name

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "CIPush"
      Effect    = "Allow"
      Principal = { AWS = var.ci_role_arn }
      Action = [
        "ecr-public:BatchCheckLayerAvailability",
        "ecr-public:CompleteLayerUpload",
        "ecr-public:InitiateLayerUpload",
        "ecr-public:PutImage",
        "ecr-public:UploadLayerPart",
      ]
    }]
  })
}

output "registry_id" {
  value = ecr_public_repository_policy.tool.registry_id
}
