# Every repository in the registry, e.g. to attach the same policy to each team's repositories.

data "ecr_repositories" "all" {}

output "team_repositories" {
  value = sort([for n in data.ecr_repositories.all.names : n if can(regex("^my-org/", n))])
}
