# terraform query -generate-config-out=imported.tf

list "ecr_pull_through_cache_rule" "all" {
  provider         = ecr
  include_resource = true
}
