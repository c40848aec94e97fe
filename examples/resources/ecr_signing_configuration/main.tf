# Managed signing: images pushed to production repositories are signed with the release
# signing profile, everything else with the CI profile. The pusher needs signer:SignPayload on
# the profile.

resource "ecr_signing_configuration" "this" {
  rule {
    signing_profile_arn = "arn:aws:signer:us-east-1:123456789012:/signing-profiles/release"
    repository_filter {
      filter      = "my-org/prod-*"
      filter_type = "WILDCARD_MATCH"
    }
  }

  rule {
    signing_profile_arn = "arn:aws:signer:us-east-1:123456789012:/signing-profiles/ci_builds"
  }
}

output "signing_registry" {
  value = ecr_signing_configuration.this.registry_id
}
