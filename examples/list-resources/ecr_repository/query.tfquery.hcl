# terraform query                                  # lists the repositories
# terraform query -generate-config-out=imported.tf # writes resource and import blocks for them

list "ecr_repository" "team" {
  provider = ecr

  config {
    name_prefix = "my-org/"
  }

  # The full state of each repository, so the generated configuration plans no change.
  include_resource = true
}
