//! Which hashicorp/aws ECR types become which types here, and why the others stay.

/// A hashicorp/aws type that has a twin here, with the arguments whose names differ
/// (`(path in the aws type, name here)`, the path dotted through nested blocks).
#[derive(Debug)]
pub struct Twin {
    pub aws: &'static str,
    pub ours: &'static str,
    pub renamed: &'static [(&'static str, &'static str)],
}

/// Managed resources; `crate::moves` turns their state into ours, so each gets a `moved` block.
pub const RESOURCES: &[Twin] = &[
    twin("aws_ecr_repository", "ecr_repository"),
    twin("aws_ecr_lifecycle_policy", "ecr_lifecycle_policy"),
    twin("aws_ecr_repository_policy", "ecr_repository_policy"),
    twin("aws_ecr_registry_policy", "ecr_registry_policy"),
    twin(
        "aws_ecr_registry_scanning_configuration",
        "ecr_registry_scanning_configuration",
    ),
    twin(
        "aws_ecr_pull_through_cache_rule",
        "ecr_pull_through_cache_rule",
    ),
    twin("aws_ecrpublic_repository", "ecr_public_repository"),
    twin(
        "aws_ecrpublic_repository_policy",
        "ecr_public_repository_policy",
    ),
    twin(
        "aws_ecr_replication_configuration",
        "ecr_replication_configuration",
    ),
    twin(
        "aws_ecr_repository_creation_template",
        "ecr_repository_creation_template",
    ),
    twin("aws_ecr_account_setting", "ecr_account_setting"),
    twin(
        "aws_ecr_pull_time_update_exclusion",
        "ecr_pull_time_update_exclusion",
    ),
];

/// Data sources; arguments and attributes keep their names (see `super::lookups` for the
/// differences in meaning that are reported).
pub const DATA_SOURCES: &[Twin] = &[
    twin(
        "aws_ecr_lifecycle_policy_document",
        "ecr_lifecycle_policy_document",
    ),
    twin("aws_ecr_authorization_token", "ecr_authorization_token"),
    twin(
        "aws_ecrpublic_authorization_token",
        "ecr_public_authorization_token",
    ),
    twin("aws_ecr_repository", "ecr_repository"),
    twin("aws_ecr_repositories", "ecr_repositories"),
    twin("aws_ecr_image", "ecr_image"),
    twin("aws_ecr_images", "ecr_images"),
    twin("aws_ecrpublic_images", "ecr_public_images"),
    twin(
        "aws_ecr_pull_through_cache_rule",
        "ecr_pull_through_cache_rule",
    ),
    twin(
        "aws_ecr_repository_creation_template",
        "ecr_repository_creation_template",
    ),
];

/// Ephemeral resources (Terraform ≥ 1.10): the registry credentials, never written to state.
pub const EPHEMERALS: &[Twin] = &[
    twin("aws_ecr_authorization_token", "ecr_authorization_token"),
    twin(
        "aws_ecrpublic_authorization_token",
        "ecr_public_authorization_token",
    ),
];

const fn twin(aws: &'static str, ours: &'static str) -> Twin {
    Twin {
        aws,
        ours,
        renamed: &[],
    }
}

/// Why an ECR type of hashicorp/aws without a twin stays as it is.
pub fn no_twin_reason(kind: Kind, aws_type: &str) -> Option<&'static str> {
    let ecr = aws_type.starts_with("aws_ecr_") || aws_type.starts_with("aws_ecrpublic_");
    if !ecr {
        return None;
    }
    Some(match kind {
        Kind::Resource => "terraform-provider-ecr has no such resource yet; it stays on hashicorp/aws, which keeps managing it",
        Kind::DataSource => "terraform-provider-ecr has no such data source yet; it stays on hashicorp/aws",
        Kind::Ephemeral => "terraform-provider-ecr has no such ephemeral resource yet; it stays on hashicorp/aws",
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Resource,
    DataSource,
    Ephemeral,
}

/// Meta-arguments Terraform itself handles; kept as they are in a converted block.
pub const META_ARGUMENTS: &[&str] = &["count", "for_each", "provider", "depends_on"];
pub const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection"];

/// Top-level arguments of `provider "aws"` that `provider "ecr"` has under the same name are
/// copied; these are the nested blocks and their arguments copied likewise (others are
/// reported). `alias` is a meta-argument and always copied.
pub const PROVIDER_ALIAS: &str = "alias";
