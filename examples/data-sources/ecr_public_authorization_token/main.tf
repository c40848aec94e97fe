# A token for `docker login public.ecr.aws`: authenticated pulls get higher rate limits than
# anonymous ones, and pushes to your public repositories need it. The token and password are
# sensitive and never logged.

data "ecr_public_authorization_token" "this" {}

output "registry_user" {
  value = data.ecr_public_authorization_token.this.user_name
}

output "expires_at" {
  value = data.ecr_public_authorization_token.this.expires_at
}

# echo "$(terraform output -raw registry_password)" | docker login --username AWS --password-stdin public.ecr.aws
output "registry_password" {
  value     = data.ecr_public_authorization_token.this.password
  sensitive = true
}
