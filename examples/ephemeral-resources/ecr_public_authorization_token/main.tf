# A public.ecr.aws token opened for this run only: nothing of it reaches the state or a saved
# plan (Terraform >= 1.10). Authenticated pulls from ECR Public get higher rate limits; a helm
# provider takes it as:
#
#   provider "helm" {
#     registries = [{
#       url      = "oci://public.ecr.aws"
#       username = ephemeral.ecr_public_authorization_token.this.user_name
#       password = ephemeral.ecr_public_authorization_token.this.password
#     }]
#   }
#
# Here a provisioner logs in for a later step by writing a Docker config, as `docker login` would.

ephemeral "ecr_public_authorization_token" "this" {}

resource "terraform_data" "docker_config" {
  provisioner "local-exec" {
    command = "mkdir -p .docker && printf '{\"auths\":{\"public.ecr.aws\":{\"auth\":\"%s\"}}}' \"$AUTH\" > .docker/config.json"
    environment = {
      AUTH = ephemeral.ecr_public_authorization_token.this.authorization_token
    }
  }
}
