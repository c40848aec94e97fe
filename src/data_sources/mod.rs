//! Data source types, one file per Terraform type.

use crate::aws::AwsClients;
use crate::framework::{data_source, DynDataSource};

mod ecr_authorization_token;
mod ecr_cost_estimate;
mod ecr_image_scan_findings;
mod ecr_lifecycle_policy_document;
mod ecr_lifecycle_preview;
mod ecr_public_authorization_token;

pub fn all() -> Vec<Box<dyn DynDataSource<AwsClients>>> {
    vec![
        data_source(ecr_lifecycle_policy_document::EcrLifecyclePolicyDocument),
        data_source(ecr_lifecycle_preview::EcrLifecyclePreview),
        data_source(ecr_image_scan_findings::EcrImageScanFindings),
        data_source(ecr_public_authorization_token::EcrPublicAuthorizationToken),
        data_source(ecr_cost_estimate::EcrCostEstimate),
        data_source(ecr_authorization_token::EcrAuthorizationToken),
    ]
}
