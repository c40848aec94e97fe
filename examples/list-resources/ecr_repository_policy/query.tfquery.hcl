# terraform query -generate-config-out=imported.tf

list "ecr_repository_policy" "all" {
  provider         = ecr
  include_resource = true
}
