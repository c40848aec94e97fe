# ECR Public Gallery: a public repository for a command-line tool, with the catalog data the
# Gallery shows. ECR Public exists only in us-east-1: the provider always calls it there,
# whatever its `region`, so this works unchanged next to a private registry in any region.

resource "ecr_public_repository" "tool" {
  repository_name = "my-org/my-tool"

  catalog_data {
    description       = "my-tool: a small command-line tool, packaged as a container image"
    architectures     = ["x86-64", "ARM 64"]
    operating_systems = ["Linux"]
    logo_image_blob   = filebase64("${path.module}/logo.png")

    about_text = <<-EOT
      # my-tool

      A small command-line tool. Images are multi-architecture (x86-64 and ARM 64).
    EOT

    usage_text = <<-EOT
      ```sh
      docker run --rm public.ecr.aws/<alias>/my-org/my-tool:latest --help
      ```
    EOT
  }

  tags = {
    project = "my-tool"
  }
}

output "repository_uri" {
  value = ecr_public_repository.tool.repository_uri
}
