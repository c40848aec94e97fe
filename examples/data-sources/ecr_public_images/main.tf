# The images of a public repository in ECR Public (always us-east-1): the newest release, and
# one image by tag.

data "ecr_public_images" "newest_release" {
  repository_name   = "my-org/my-tool"
  tag_pattern       = "v*"
  most_recent_first = true
  limit             = 1
}

data "ecr_public_images" "stable" {
  repository_name = "my-org/my-tool"
  image_ids {
    image_tag = "stable"
  }
}

output "newest_release_tags" {
  value = one(data.ecr_public_images.newest_release.images).image_tags
}

output "stable_digest" {
  value = one(data.ecr_public_images.stable.images).image_digest
}
