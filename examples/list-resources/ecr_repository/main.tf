# Repositories for the query in query.tfquery.hcl to find. `terraform query` (Terraform >= 1.14)
# lists every repository of the registry, managed here or not; with -generate-config-out it
# writes a resource block and an import block for each, ready to bring them under management.

resource "ecr_repository" "seeded" {
  for_each = toset(["my-org/app", "my-org/worker"])
  name     = each.key
}
