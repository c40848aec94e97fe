# Registry credentials opened for this run only: nothing of the token reaches the state or a
# saved plan (Terraform >= 1.10). Typical use is another provider's registry auth:
#
#   provider "docker" {
#     registry_auth {
#       address  = ephemeral.ecr_authorization_token.this.proxy_endpoint
#       username = ephemeral.ecr_authorization_token.this.user_name
#       password = ephemeral.ecr_authorization_token.this.password
#     }
#   }
#
# Here a provisioner writes a Docker config for a later build step, as `docker login` would.

ephemeral "ecr_authorization_token" "this" {}

resource "terraform_data" "docker_config" {
  provisioner "local-exec" {
    command = "mkdir -p .docker && printf '{\"auths\":{\"%s\":{\"auth\":\"%s\"}}}' \"$REGISTRY\" \"$AUTH\" > .docker/config.json"
    environment = {
      REGISTRY = ephemeral.ecr_authorization_token.this.proxy_endpoint
      AUTH     = ephemeral.ecr_authorization_token.this.authorization_token
    }
  }
}
