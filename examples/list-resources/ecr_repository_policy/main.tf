# A repository with a permissions policy for the query in query.tfquery.hcl to find. The query
# lists the policies of every repository that has one (Terraform >= 1.14).

resource "ecr_repository" "app" {
  name = "my-org/app"
}

resource "ecr_repository_policy" "app" {
  repository = ecr_repository.app.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "ClusterPull"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    }]
  })
}
