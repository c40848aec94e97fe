//! Managed resource types, one file per Terraform type.

use crate::aws::AwsClients;
use crate::framework::{resource, DynResource};

mod common;
mod cross;
mod ecr_account_setting;
mod ecr_cross_account_grant;
pub(crate) mod ecr_lifecycle_policy;
mod ecr_public_repository;
mod ecr_public_repository_policy;
pub(crate) mod ecr_pull_through_cache_rule;
mod ecr_pull_time_update_exclusion;
mod ecr_registry_policy;
mod ecr_registry_scanning_configuration;
mod ecr_replication_configuration;
mod ecr_replication_rule;
pub(crate) mod ecr_repository;
mod ecr_repository_creation_template;
pub(crate) mod ecr_repository_policy;
mod ecr_signing_configuration;
mod identity;

pub fn all() -> Vec<Box<dyn DynResource<AwsClients>>> {
    vec![
        resource(ecr_repository::EcrRepository),
        resource(ecr_lifecycle_policy::EcrLifecyclePolicy),
        resource(ecr_registry_scanning_configuration::EcrRegistryScanningConfiguration),
        resource(ecr_public_repository::EcrPublicRepository),
        resource(ecr_public_repository_policy::EcrPublicRepositoryPolicy),
        resource(ecr_pull_through_cache_rule::EcrPullThroughCacheRule),
        resource(ecr_cross_account_grant::EcrCrossAccountGrant),
        resource(ecr_repository_policy::EcrRepositoryPolicy),
        resource(ecr_registry_policy::EcrRegistryPolicy),
        resource(ecr_replication_configuration::EcrReplicationConfiguration),
        resource(ecr_replication_rule::EcrReplicationRule),
        resource(ecr_repository_creation_template::EcrRepositoryCreationTemplate),
        resource(ecr_account_setting::EcrAccountSetting),
        resource(ecr_signing_configuration::EcrSigningConfiguration),
        resource(ecr_pull_time_update_exclusion::EcrPullTimeUpdateExclusion),
    ]
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_regional_type_takes_region() {
        for r in super::all() {
            let name = r.type_name();
            let regional = !name.starts_with("ecr_public_");
            let has = r.schema().block.attribute("region").is_some();
            assert_eq!(has, regional, "{name}: region argument");
        }
    }
}
