# The parts of an image URI (Terraform >= 1.8, OpenTofu >= 1.7): no AWS call is made.

locals {
  image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:1.4.2"
}

output "parts" {
  value = provider::ecr::parse_image_uri(local.image)
  # {
  #   registry_id     = "123456789012"
  #   region          = "eu-west-1"
  #   repository_name = "team/app"
  #   tag             = "1.4.2"
  #   digest          = null
  #   registry_host   = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
  # }
}

# ECR Public: registry_id is the registry alias, region us-east-1.
output "public_repository" {
  value = provider::ecr::parse_image_uri("public.ecr.aws/docker/library/nginx:1.27").repository_name
  # "library/nginx"
}

# Deploy by digest only: a validation that fails the plan for a tag-only URI.
variable "deploy_image" {
  type    = string
  default = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

  validation {
    condition     = provider::ecr::parse_image_uri(var.deploy_image).digest != null
    error_message = "Deploy images by digest."
  }
}
