# `terraform query` (Terraform >= 1.14) with query.tfquery.hcl lists the lifecycle policies of
# every repository that has one; with -generate-config-out it writes an ecr_lifecycle_policy
# block (the policy as jsonencode) and an import block for each.
