# A whole registry setup in one configuration, as the platform team of a multi-account setup
# would apply it in the tooling account:
#
#   1. registry scanning: every image is scanned on push;
#   2. the production repository (immutable tags, KMS, scan on push) and a development one;
#   3. lifecycle policies (production: keep 10 releases, expire untagged after 7 days,
#      keep 5 SHA builds; development: expire after 14 days);
#   4. cross-account pull: prod (and its Lambda functions) and staging's deployer role;
#   5. pull-through cache for Docker Hub (authenticated), Quay and registry.k8s.io;
#   6. the CVE gate: with `-var release_tag=v1.2.3`, the plan fails when the release image has an
#      unaccepted CRITICAL finding, and the image to deploy is output by digest;
#   7. what the production policy would expire today, and what the repositories cost per month.

variable "release_tag" {
  description = "Tag of the image being released; null skips the CVE gate (e.g. on the first apply)."
  type        = string
  default     = null
}

variable "accepted_findings" {
  description = "CVE ids the team has reviewed and accepted."
  type        = list(string)
  default     = []
}

variable "prod_account_id" {
  type    = string
  default = "222222222222"
}

variable "staging_account_id" {
  type    = string
  default = "333333333333"
}

variable "docker_hub_secret_arn" {
  description = "ARN of the Secrets Manager secret ecr-pullthroughcache/docker-hub ({\"username\", \"accessToken\"})."
  type        = string
  default     = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf"
}

# 1. Registry scanning ------------------------------------------------------------------------

resource "ecr_registry_scanning_configuration" "this" {
  scan_type = "BASIC"

  rule {
    scan_frequency = "SCAN_ON_PUSH"
    repository_filter {
      filter = "*"
    }
  }
}

# 2. Repositories ----------------------------------------------------------------------------

resource "ecr_repository" "prod" {
  name                 = "my-org/app"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration { scan_on_push = true }
  encryption_configuration { encryption_type = "KMS" }
  tags = { env = "prod" }
}

resource "ecr_repository" "dev" {
  name                 = "my-org/app-dev"
  image_tag_mutability = "MUTABLE"
  posture_ignore       = ["ECR-P001"] # developers re-push `latest` on purpose
  force_delete         = true
  image_scanning_configuration { scan_on_push = true }
  encryption_configuration { encryption_type = "KMS" }
  tags = { env = "dev" }
}

# 3. Lifecycle policies ----------------------------------------------------------------------

data "ecr_lifecycle_policy_document" "prod" {
  rule {
    priority    = 1
    description = "Keep the last 10 release images"
    selection {
      tag_status       = "tagged"
      tag_pattern_list = ["v*"]
      count_type       = "imageCountMoreThan"
      count_number     = 10
    }
  }
  rule {
    priority    = 2
    description = "Expire untagged images after 7 days"
    selection {
      tag_status   = "untagged"
      count_type   = "sinceImagePushed"
      count_unit   = "days"
      count_number = 7
    }
  }
  rule {
    priority    = 3
    description = "Keep the last 5 SHA-tagged images"
    selection {
      tag_status       = "tagged"
      tag_pattern_list = ["sha-*"]
      count_type       = "imageCountMoreThan"
      count_number     = 5
    }
  }
}

resource "ecr_lifecycle_policy" "prod" {
  repository = ecr_repository.prod.name
  policy     = data.ecr_lifecycle_policy_document.prod.json
}

resource "ecr_lifecycle_policy" "dev" {
  repository = ecr_repository.dev.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Expire every image 14 days after push"
      selection    = { tagStatus = "any", countType = "sinceImagePushed", countUnit = "days", countNumber = 14 }
      action       = { type = "expire" }
    }]
  })
}

# 4. Cross-account pull ----------------------------------------------------------------------

resource "ecr_cross_account_grant" "prod" {
  repository  = ecr_repository.prod.name
  sid         = "ProdPull"
  principals  = [var.prod_account_id]
  lambda_pull = true
}

resource "ecr_cross_account_grant" "staging" {
  repository = ecr_repository.prod.name
  sid        = "StagingPull"
  principals = ["arn:aws:iam::${var.staging_account_id}:role/deployer"]
}

# 5. Pull-through cache ----------------------------------------------------------------------

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

# Repositories the pull-through cache creates get immutable tags and a lifecycle policy too
# (every repository created from the template inherits them).
resource "ecr_repository_creation_template" "mirrors" {
  for_each = toset(["docker-hub", "quay", "k8s"])

  prefix               = each.key
  description          = "${each.key} mirrors"
  applied_for          = ["PULL_THROUGH_CACHE"]
  image_tag_mutability = "IMMUTABLE"
  lifecycle_policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "expire mirrored images 60 days after they were pulled in"
      selection    = { tagStatus = "any", countType = "sinceImagePushed", countUnit = "days", countNumber = 60 }
      action       = { type = "expire" }
    }]
  })
}

# 5b. Replication: production images are copied to the disaster-recovery region -----------------

resource "ecr_replication_rule" "dr" {
  destination {
    region      = "us-west-2"
    registry_id = ecr_repository.prod.registry_id
  }
  repository_filter {
    filter      = "my-org/app"
    filter_type = "PREFIX_MATCH"
  }
}

# 6. CVE gate --------------------------------------------------------------------------------

data "ecr_image_scan_findings" "release" {
  count = var.release_tag == null ? 0 : 1

  repository            = ecr_repository.prod.name
  image_tag             = var.release_tag
  wait_for_scan         = true
  start_scan_if_missing = true
  timeout               = "10m"
  fail_on_severity      = "CRITICAL"
  ignore_findings       = var.accepted_findings
}

# 7. Lifecycle preview and cost ----------------------------------------------------------------

data "ecr_lifecycle_preview" "prod" {
  repository = ecr_repository.prod.name
  policy     = data.ecr_lifecycle_policy_document.prod.json
  depends_on = [ecr_repository.prod] # read after the repository exists
}

data "ecr_cost_estimate" "app" {
  repository_names = [ecr_repository.prod.name, ecr_repository.dev.name]
  pushes_per_day   = 20
  average_image_mb = 300
  depends_on       = [ecr_lifecycle_policy.prod, ecr_lifecycle_policy.dev] # each repository's own policy
}

# Outputs ------------------------------------------------------------------------------------

output "release_image" {
  description = "The checked release image, by digest: deploy this."
  value       = one([for r in data.ecr_image_scan_findings.release : "${ecr_repository.prod.repository_url}@${r.image_digest}"])
}

output "release_severity_counts" {
  value = one(data.ecr_image_scan_findings.release[*].severity_counts)
}

output "prod_consumer_policy" {
  description = "Attach in the prod account (e.g. aws_iam_role_policy with the aws provider)."
  value       = ecr_cross_account_grant.prod.consumer_policy_json
}

output "node_base_image" {
  value = "${ecr_pull_through_cache_rule.docker_hub.repository_url_prefix}/library/node:20-alpine"
}

output "prod_would_expire" {
  value = data.ecr_lifecycle_preview.prod.expiring_count
}

output "monthly_cost_usd" {
  value = data.ecr_cost_estimate.app.total_monthly_cost_usd
}

output "forecast_12_months_usd" {
  value = data.ecr_cost_estimate.app.forecast_12_months_usd
}
