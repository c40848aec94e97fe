# One replication rule per team, each owned by the stack of that team: every rule only adds,
# changes or removes itself and keeps the other rules of the registry (written by other stacks
# or tools) as they are.

variable "team" {
  type    = string
  default = "payments"
}

resource "ecr_replication_rule" "team" {
  destination {
    region      = "eu-west-1"
    registry_id = "123456789012"
  }
  destination {
    region      = "ap-southeast-2"
    registry_id = "123456789012"
  }

  repository_filter {
    filter      = "my-org/${var.team}"
    filter_type = "PREFIX_MATCH"
  }
}

output "rule_id" {
  value = ecr_replication_rule.team.id
}
