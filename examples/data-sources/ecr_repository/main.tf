# A repository another stack (or another team) created: push to it, grant on it, or check its
# settings, without managing it here.

data "ecr_repository" "app" {
  name = "my-org/app"
  # registry_id = "111122223333" # a repository in another account (its policy must allow it)
}

output "push_to" {
  value = data.ecr_repository.app.repository_url
}

output "arn" {
  value = data.ecr_repository.app.arn
}

output "tags_of_newest_image" {
  value = data.ecr_repository.app.most_recent_image_tags
}

output "scan_on_push" {
  value = data.ecr_repository.app.image_scanning_configuration[0].scan_on_push
}
