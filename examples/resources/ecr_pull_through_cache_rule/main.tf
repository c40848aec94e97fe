# Pull-through cache rules: Docker Hub (authenticated: Docker Hub rate-limits anonymous
# pulls), Quay and registry.k8s.io (anonymous). Images are then pulled through ECR:
#
#   FROM <account>.dkr.ecr.<region>.amazonaws.com/docker-hub/library/node:20-alpine
#
# The Docker Hub secret must be a Secrets Manager secret named "ecr-pullthroughcache/<name>" in
# the same account and region, holding {"username": "...", "accessToken": "..."}; create it with
# the aws provider (aws_secretsmanager_secret) or by hand, and pass its ARN.

variable "docker_hub_secret_arn" {
  description = "ARN of the Secrets Manager secret ecr-pullthroughcache/docker-hub."
  type        = string
  default     = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf"
}

resource "ecr_pull_through_cache_rule" "docker_hub" {
  ecr_repository_prefix = "docker-hub"
  upstream_registry_url = "registry-1.docker.io"
  credential_arn        = var.docker_hub_secret_arn
}

resource "ecr_pull_through_cache_rule" "quay" {
  ecr_repository_prefix = "quay"
  upstream_registry_url = "quay.io"
}

resource "ecr_pull_through_cache_rule" "k8s" {
  ecr_repository_prefix = "k8s"
  upstream_registry_url = "registry.k8s.io"
}

output "node_base_image" {
  value = "${ecr_pull_through_cache_rule.docker_hub.repository_url_prefix}/library/node:20-alpine"
}

output "pause_image" {
  value = "${ecr_pull_through_cache_rule.k8s.repository_url_prefix}/pause:3.10"
}
