# The vulnerability scanner pulls every image every night; its pulls should not count as "in
# use" for sinceImagePulled lifecycle rules.

resource "ecr_pull_time_update_exclusion" "scanner" {
  principal_arn = "arn:aws:iam::123456789012:role/vulnerability-scanner"
}

output "excluded" {
  value = ecr_pull_time_update_exclusion.scanner.principal_arn
}
