# terraform query -generate-config-out=imported.tf

list "ecr_lifecycle_policy" "all" {
  provider         = ecr
  include_resource = true
}
