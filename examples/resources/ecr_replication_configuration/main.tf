# The registry's whole replication configuration: production images are copied to a second
# region of this account and to the disaster-recovery account; everything else to the second
# region only. Rules written by other tools are replaced at apply; destroying this resource
# leaves the registry with no rules. (Use ecr_replication_rule when several stacks own rules.)

resource "ecr_replication_configuration" "this" {
  replication_configuration {
    rule {
      destination {
        region      = "eu-west-1"
        registry_id = "123456789012"
      }
      destination {
        region      = "eu-central-1"
        registry_id = "210987654321" # its registry policy must allow ecr:ReplicateImage from here
      }
      repository_filter {
        filter      = "my-org/prod"
        filter_type = "PREFIX_MATCH"
      }
    }

    rule {
      destination {
        region      = "eu-west-1"
        registry_id = "123456789012"
      }
    }
  }
}

output "registry_id" {
  value = ecr_replication_configuration.this.registry_id
}
