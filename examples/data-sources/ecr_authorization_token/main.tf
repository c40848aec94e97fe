# Credentials for `docker login` to this account's private registry, e.g. for a docker or helm
# provider in the same configuration. The token and password are sensitive and never logged.

data "ecr_authorization_token" "this" {}

output "registry" {
  value = data.ecr_authorization_token.this.proxy_endpoint
}

output "expires_at" {
  value = data.ecr_authorization_token.this.expires_at
}

# echo "$(terraform output -raw docker_password)" | docker login --username AWS --password-stdin <registry>
output "docker_password" {
  value     = data.ecr_authorization_token.this.password
  sensitive = true
}
