# What the registry's repositories cost per month, what a lifecycle policy would save now, and a
# 12-month forecast for a busy team (20 pushes a day of ~300 MB). Each unique layer is
# counted once, as AWS bills it; prices come from an embedded table (override with `prices`).

data "ecr_lifecycle_policy_document" "candidate" {
  rule {
    priority = 1
    selection {
      tag_status   = "untagged"
      count_type   = "sinceImagePushed"
      count_unit   = "days"
      count_number = 7
    }
  }
  rule {
    priority = 2
    selection {
      tag_status   = "any"
      count_type   = "imageCountMoreThan"
      count_number = 30
    }
  }
}

data "ecr_cost_estimate" "registry" {
  # Every repository in the registry; list names in repository_names to narrow it.
  lifecycle_policy = data.ecr_lifecycle_policy_document.candidate.json
  pushes_per_day   = 20
  average_image_mb = 300
}

output "monthly_cost_usd" {
  value = data.ecr_cost_estimate.registry.total_monthly_cost_usd
}

output "stored_gb" {
  value = data.ecr_cost_estimate.registry.total_stored_gb
}

output "monthly_savings_usd" {
  value = data.ecr_cost_estimate.registry.total_monthly_savings_usd
}

output "forecast_12_months_usd" {
  value = data.ecr_cost_estimate.registry.forecast_12_months_usd
}

output "repositories_without_lifecycle_policy" {
  value = data.ecr_cost_estimate.registry.repositories_without_lifecycle_policy
}

output "how_bytes_were_counted" {
  value = "${data.ecr_cost_estimate.registry.method}; prices: ${data.ecr_cost_estimate.registry.price_source}"
}
