# `terraform query` (Terraform >= 1.14) with query.tfquery.hcl lists the registry's repositories,
# managed by Terraform or not (here: created by hand or by another tool). With
# -generate-config-out it writes a resource block and an import block for each; move them into
# the configuration and apply to bring the repositories under management.
