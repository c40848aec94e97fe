# `terraform query` (Terraform >= 1.14) with query.tfquery.hcl lists the permissions policies of
# every repository that has one; with -generate-config-out it writes an ecr_repository_policy
# block and an import block for each.
