# The three newest release images (tags matching v*), e.g. for a rollback list; the filters and
# ordering run on one DescribeImages page walk.

data "ecr_images" "releases" {
  repository_name   = "my-org/app"
  tag_pattern       = "v*"
  most_recent_first = true
  limit             = 3
}

data "ecr_images" "untagged" {
  repository_name = "my-org/app"
  tag_status      = "UNTAGGED"
}

output "latest_releases" {
  value = [for id in data.ecr_images.releases.image_ids : id.image_tag]
}

output "release_digests" {
  value = [for i in data.ecr_images.releases.images : i.image_digest]
}

output "untagged_count" {
  value = length(data.ecr_images.untagged.images)
}
