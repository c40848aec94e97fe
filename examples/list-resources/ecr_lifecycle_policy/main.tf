# A repository with a lifecycle policy for the query in query.tfquery.hcl to find. The query
# lists the policies of every repository that has one (Terraform >= 1.14).

resource "ecr_repository" "app" {
  name = "my-org/app"
}

resource "ecr_lifecycle_policy" "app" {
  repository = ecr_repository.app.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Expire untagged images after 14 days"
      selection    = { tagStatus = "untagged", countType = "sinceImagePushed", countUnit = "days", countNumber = 14 }
      action       = { type = "expire" }
    }]
  })
}
