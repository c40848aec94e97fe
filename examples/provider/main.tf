# Configuring the provider. Everything is optional: what is not set here comes from the standard
# AWS environment (AWS_REGION, AWS_PROFILE, shared config files, SSO, instance and task roles),
# endpoints included (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_ECR, ...; or an `endpoints` block).

terraform {
  required_providers {
    ecr = { source = "ecr-rs/ecr" }
  }
}

provider "ecr" {
  region         = "us-east-1"
  posture_checks = "warn" # "error" fails the plan on best-practice findings (for CI)

  default_tags {
    tags = { managed-by = "terraform", team = "platform" }
  }
}

# A second configuration that works through a role, e.g. a deployer role in the same account.
provider "ecr" {
  alias  = "deployer"
  region = "us-east-1"

  assume_role {
    role_arn     = "arn:aws:iam::123456789012:role/ecr-deployer"
    session_name = "terraform"
    duration     = "15m"
  }
}

# Registry credentials through each configuration (`docker login` needs no more).
data "ecr_authorization_token" "default" {}

data "ecr_authorization_token" "deployer" {
  provider = ecr.deployer
}

output "registry" {
  value = data.ecr_authorization_token.default.proxy_endpoint
}

output "registry_via_role" {
  value = data.ecr_authorization_token.deployer.proxy_endpoint
}
