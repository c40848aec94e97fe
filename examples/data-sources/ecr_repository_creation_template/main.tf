# The template another stack manages for pull-through cache repositories: check what the
# repositories ECR creates under a prefix will get before relying on them.

data "ecr_repository_creation_template" "docker_hub" {
  prefix = "docker-hub"
}

output "applies_to" {
  value = data.ecr_repository_creation_template.docker_hub.applied_for
}

output "new_repositories_immutable" {
  value = data.ecr_repository_creation_template.docker_hub.image_tag_mutability == "IMMUTABLE"
}

output "keeps_images" {
  value = try(jsondecode(data.ecr_repository_creation_template.docker_hub.lifecycle_policy).rules[0].selection.countNumber, null)
}
