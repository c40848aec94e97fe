# The image behind a release tag, pinned by digest for a task definition: what was looked up is
# exactly what runs, even if the tag is moved later.

variable "release" {
  description = "The release tag to deploy."
  type        = string
  default     = "v1.2.3"
}

data "ecr_image" "release" {
  repository_name = "my-org/app"
  image_tag       = var.release
}

data "ecr_image" "newest" {
  repository_name = "my-org/app"
  most_recent     = true # the last push, whatever its tag
}

output "pinned_image" {
  value = "${trimsuffix(data.ecr_image.release.image_uri, ":${var.release}")}@${data.ecr_image.release.image_digest}"
}

output "release_pushed_at" {
  value = data.ecr_image.release.image_pushed_at
}

output "newest_tags" {
  value = data.ecr_image.newest.image_tags
}
