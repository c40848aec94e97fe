# The plan-time lifecycle policy validator as a function (Terraform >= 1.8, OpenTofu >= 1.7): it
# returns the canonical policy JSON, or fails the plan with the validator's findings. It can
# guard any consumer of policy JSON, e.g. hashicorp/aws's aws_ecr_lifecycle_policy:
#
#   resource "aws_ecr_lifecycle_policy" "app" {
#     repository = "my-org/app"
#     policy     = provider::ecr::lifecycle_policy(file("${path.module}/policy.json"))
#   }

locals {
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Expire untagged images after 14 days"
      selection = {
        tagStatus   = "untagged"
        countType   = "sinceImagePushed"
        countUnit   = "days"
        countNumber = 14
      }
      action = { type = "expire" }
    }]
  })
}

output "canonical_policy" {
  value = provider::ecr::lifecycle_policy(local.policy)
}
