# ECR Public Gallery: a public repository for a command-line tool, with the catalog data the
# Gallery shows, a policy that lets CI push to it, and a token for `docker login public.ecr.aws`.
#
# ECR Public exists only in us-east-1. The provider always calls it there, whatever `region`
# says, so this works unchanged with a provider configured for your private registry's region.
#
# Against real AWS: `terraform apply` with your usual credentials (they must be usable in
# us-east-1). Against a local test double: pass `-var ecrpublic_endpoint=http://127.0.0.1:PORT`.

terraform {
  required_providers {
    ecr = { source = "ecr-rs/ecr" }
  }
}

variable "ecrpublic_endpoint" {
  description = "Endpoint of a local ECR Public stand-in; null means real AWS."
  type        = string
  default     = null
}

variable "ci_role_arn" {
  description = "IAM role your CI uses to push images."
  type        = string
  default     = "arn:aws:iam::111122223333:role/ci"
}

provider "ecr" {
  region                      = "eu-west-1" # ECR Public still goes to us-east-1
  skip_credentials_validation = var.ecrpublic_endpoint != null

  endpoints {
    ecrpublic = var.ecrpublic_endpoint
  }

  default_tags {
    tags = { managed-by = "terraform" }
  }
}

resource "ecr_public_repository" "tool" {
  repository_name = "my-org/my-tool"

  catalog_data {
    description       = "my-tool: a small command-line tool, packaged as a container image"
    architectures     = ["x86-64", "ARM 64"]
    operating_systems = ["Linux"]
    logo_image_blob   = filebase64("${path.module}/logo.png")

    about_text = <<-EOT
      # my-tool

      A small command-line tool. Images are multi-architecture (x86-64 and ARM 64).
    EOT

    usage_text = <<-EOT
      ```sh
      docker run --rm public.ecr.aws/<alias>/my-org/my-tool:latest --help
      ```
    EOT
  }

  tags = {
    project = "my-tool"
  }
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

# For `docker login --username AWS --password-stdin public.ecr.aws`.
data "ecr_public_authorization_token" "this" {}

output "repository_uri" {
  value = ecr_public_repository.tool.repository_uri
}

output "registry_user" {
  value = data.ecr_public_authorization_token.this.user_name
}

output "registry_password" {
  value     = data.ecr_public_authorization_token.this.password
  sensitive = true
}
