# Shared by every example folder, each of which links it as its provider.tf.
#
# Region, credentials and endpoints come from the standard AWS environment, as with real AWS:
# AWS_REGION, AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, and — only to aim at a
# local emulator — AWS_ENDPOINT_URL, or per service AWS_ENDPOINT_URL_ECR, AWS_ENDPOINT_URL_STS,
# AWS_ENDPOINT_URL_ECR_PUBLIC. See examples/provider for the settings you can write here instead.

terraform {
  required_providers {
    ecr = { source = "ecr-rs/ecr" }
  }
}

provider "ecr" {
  default_tags {
    tags = { managed-by = "terraform" }
  }
}
