# Registry-wide scanning: Amazon Inspector (ENHANCED) scans production repositories continuously,
# as new CVEs are published, and every other repository when an image is pushed. Destroying this
# resource resets the registry to BASIC scanning without rules.

resource "ecr_registry_scanning_configuration" "this" {
  scan_type = "ENHANCED"

  rule {
    scan_frequency = "CONTINUOUS_SCAN"
    repository_filter {
      filter = "my-org/prod-*"
    }
  }

  rule {
    scan_frequency = "SCAN_ON_PUSH"
    repository_filter {
      filter = "*"
    }
  }
}

output "registry_id" {
  value = ecr_registry_scanning_configuration.this.registry_id
}
