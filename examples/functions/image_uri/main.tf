# An image URI from a repository URL and a tag or digest (Terraform >= 1.8, OpenTofu >= 1.7),
# typically `ecr_repository.app.repository_url` and a release tag or the digest CI pushed.

variable "repository_url" {
  type    = string
  default = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-org/app"
}

output "by_tag" {
  value = provider::ecr::image_uri(var.repository_url, "1.4.2")
  # "123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-org/app:1.4.2"
}

output "by_digest" {
  value = provider::ecr::image_uri(var.repository_url, "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
  # "123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-org/app@sha256:0123…cdef"
}
