# A pull-through cache rule the platform team manages elsewhere: where it pulls from, and the
# image reference to use in a Dockerfile FROM or a task definition.

data "ecr_pull_through_cache_rule" "quay" {
  ecr_repository_prefix = "quay"
}

output "upstream" {
  value = data.ecr_pull_through_cache_rule.quay.upstream_registry_url
}

output "prometheus_image" {
  value = "${data.ecr_pull_through_cache_rule.quay.repository_url_prefix}/prometheus/prometheus:v3.0.0"
}
