# A pull-through cache rule for the query in query.tfquery.hcl to find (Terraform >= 1.14).
# ECR Public needs no upstream credentials.

resource "ecr_pull_through_cache_rule" "ecr_public" {
  ecr_repository_prefix = "ecr-public"
  upstream_registry_url = "public.ecr.aws"
}
