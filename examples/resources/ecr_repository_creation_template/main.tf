# Repositories ECR creates itself for the Docker Hub pull-through cache (and for replication into
# this registry) get immutable tags, a lifecycle policy, a pull policy for the workload accounts,
# KMS encryption and tags. KMS and tags need a role ECR can assume.

resource "ecr_repository_creation_template" "docker_hub" {
  prefix               = "docker-hub"
  description          = "Docker Hub mirrors"
  applied_for          = ["PULL_THROUGH_CACHE", "REPLICATION"]
  image_tag_mutability = "IMMUTABLE"
  custom_role_arn      = "arn:aws:iam::123456789012:role/ecr-repository-creation"

  encryption_configuration {
    encryption_type = "KMS"
  }

  lifecycle_policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "expire mirrors 30 days after they were pushed"
      selection = {
        tagStatus   = "any"
        countType   = "sinceImagePushed"
        countUnit   = "days"
        countNumber = 30
      }
      action = { type = "expire" }
    }]
  })

  repository_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "WorkloadsPull"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    }]
  })

  resource_tags = {
    source = "docker-hub"
  }
}

output "template_registry" {
  value = ecr_repository_creation_template.docker_hub.registry_id
}
