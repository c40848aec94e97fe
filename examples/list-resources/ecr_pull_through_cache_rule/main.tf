# `terraform query` (Terraform >= 1.14) with query.tfquery.hcl lists the registry's
# ecr_pull_through_cache_rule rules; with -generate-config-out it writes a resource block and an
# import block for each.
