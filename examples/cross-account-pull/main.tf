# The seed's multi-account pattern: a tooling account builds and pushes images; the prod and
# staging accounts pull them. Apply this in the tooling account. Each grant owns one statement of
# the repository policy, so other modules (or tools) can add their own grants without overwriting.
#
# Against real AWS: `terraform apply` with the tooling account's credentials.
# Against a local emulator: `terraform apply -var aws_endpoint=http://127.0.0.1:5000`.

terraform {
  required_providers {
    ecr = { source = "ecr-rs/ecr" }
  }
}

variable "aws_endpoint" {
  description = "Endpoint of a local AWS emulator; null means real AWS."
  type        = string
  default     = null
}

variable "prod_account_id" {
  type    = string
  default = "222222222222"
}

variable "staging_account_id" {
  type    = string
  default = "333333333333"
}

provider "ecr" {
  region                      = "us-east-1"
  skip_credentials_validation = var.aws_endpoint != null

  endpoints {
    ecr = var.aws_endpoint
    sts = var.aws_endpoint
  }
}

resource "ecr_repository" "app" {
  name                 = "my-org/app"
  image_tag_mutability = "IMMUTABLE"
}

# Production pulls (and may run the image on Lambda).
resource "ecr_cross_account_grant" "prod" {
  repository  = ecr_repository.app.name
  sid         = "ProdPull"
  principals  = [var.prod_account_id]
  access      = "pull"
  lambda_pull = true
}

# Staging pulls with one deployer role only.
resource "ecr_cross_account_grant" "staging" {
  repository = ecr_repository.app.name
  sid        = "StagingPull"
  principals = ["arn:aws:iam::${var.staging_account_id}:role/deployer"]
}

# Attach these in the prod / staging accounts (e.g. aws_iam_role_policy with the aws provider).
output "prod_consumer_policy" {
  value = ecr_cross_account_grant.prod.consumer_policy_json
}

output "staging_consumer_policy" {
  value = ecr_cross_account_grant.staging.consumer_policy_json
}

output "image" {
  value = "${ecr_repository.app.repository_url}:<tag>"
}
