# An image URI from a repository URL and a tag or digest (Terraform >= 1.8, OpenTofu >= 1.7).

resource "ecr_repository" "app" {
  name                 = "my-org/app"
  image_tag_mutability = "IMMUTABLE"
}

output "by_tag" {
  value = provider::ecr::image_uri(ecr_repository.app.repository_url, "1.4.2")
  # "<account>.dkr.ecr.<region>.amazonaws.com/my-org/app:1.4.2"
}

output "by_digest" {
  value = provider::ecr::image_uri(ecr_repository.app.repository_url, "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
  # "<account>.dkr.ecr.<region>.amazonaws.com/my-org/app@sha256:0123…cdef"
}
