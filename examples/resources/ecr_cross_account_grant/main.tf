# A multi-account pattern: a tooling account builds and pushes images; the prod and
# staging accounts pull them. Apply this in the tooling account. Each grant owns one statement of
# the repository's policy, so other modules (or tools) can add their own grants without
# overwriting these.

variable "repository" {
  description = "The repository to share (created elsewhere, e.g. as in the ecr_repository example)."
  type        = string
  default     = "my-org/app"
}

variable "prod_account_id" {
  type    = string
  default = "222222222222"
}

variable "staging_account_id" {
  type    = string
  default = "333333333333"
}

# Production pulls (and may run the image on Lambda).
resource "ecr_cross_account_grant" "prod" {
  repository  = var.repository
  sid         = "ProdPull"
  principals  = [var.prod_account_id]
  access      = "pull"
  lambda_pull = true
}

# Staging pulls with one deployer role only.
resource "ecr_cross_account_grant" "staging" {
  repository = var.repository
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
