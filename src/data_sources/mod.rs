//! Data source types, one file per Terraform type.

use crate::aws::AwsClients;
use crate::framework::{data_source, DynDataSource};

mod ecr_authorization_token;
mod ecr_cost_estimate;
mod ecr_image;
mod ecr_image_scan_findings;
mod ecr_images;
mod ecr_lifecycle_policy_document;
mod ecr_lifecycle_preview;
mod ecr_public_authorization_token;
mod ecr_public_images;
mod ecr_pull_through_cache_rule;
mod ecr_repositories;
mod ecr_repository;
mod ecr_repository_creation_template;

pub fn all() -> Vec<Box<dyn DynDataSource<AwsClients>>> {
    vec![
        data_source(ecr_lifecycle_policy_document::EcrLifecyclePolicyDocument),
        data_source(ecr_lifecycle_preview::EcrLifecyclePreview),
        data_source(ecr_image_scan_findings::EcrImageScanFindings),
        data_source(ecr_public_authorization_token::EcrPublicAuthorizationToken),
        data_source(ecr_cost_estimate::EcrCostEstimate),
        data_source(ecr_authorization_token::EcrAuthorizationToken),
        data_source(ecr_repository::EcrRepositoryData),
        data_source(ecr_repositories::EcrRepositories),
        data_source(ecr_image::EcrImage),
        data_source(ecr_images::EcrImages),
        data_source(ecr_public_images::EcrPublicImages),
        data_source(ecr_pull_through_cache_rule::EcrPullThroughCacheRuleData),
        data_source(ecr_repository_creation_template::EcrRepositoryCreationTemplateData),
    ]
}
