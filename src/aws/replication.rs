//! The registry's replication configuration: DescribeRegistry / PutReplicationConfiguration in
//! terms of `registry::replication::Rule`, and one lock per registry so rules applied in
//! parallel read-modify-write one after the other.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use aws_sdk_ecr::types::{
    ReplicationConfiguration, ReplicationDestination, ReplicationRule, RepositoryFilter,
    RepositoryFilterType,
};

use super::errors::text;
use super::AwsClients;
use crate::registry::replication::{Destination, Filter, Rule};

/// What DescribeRegistry said.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Remote {
    pub registry_id: Option<String>,
    pub rules: Vec<Rule>,
}

/// The lock of one registry's replication configuration (by region and account), held across
/// read → modify → write → verify.
pub async fn lock(aws: &AwsClients) -> tokio::sync::OwnedMutexGuard<()> {
    static LOCKS: OnceLock<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>> = OnceLock::new();
    let key = format!("{}/{}", aws.region, aws.account_id.as_deref().unwrap_or(""));
    let m = {
        let mut map = LOCKS
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        map.entry(key).or_default().clone()
    };
    m.lock_owned().await
}

pub async fn get(aws: &AwsClients) -> Result<Remote, String> {
    let out = aws
        .ecr
        .describe_registry()
        .send()
        .await
        .map_err(|e| text(&e))?;
    Ok(Remote {
        registry_id: out
            .registry_id()
            .map(str::to_string)
            .or_else(|| aws.account_id.clone()),
        rules: out
            .replication_configuration()
            .map(|c| c.rules().iter().map(from_sdk).collect())
            .unwrap_or_default(),
    })
}

pub async fn put(aws: &AwsClients, rules: &[Rule]) -> Result<(), String> {
    let rules = rules.iter().map(to_sdk).collect::<Result<Vec<_>, _>>()?;
    let config = ReplicationConfiguration::builder()
        .set_rules(Some(rules))
        .build()
        .map_err(|e| e.to_string())?;
    aws.ecr
        .put_replication_configuration()
        .replication_configuration(config)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| text(&e))
}

fn from_sdk(r: &ReplicationRule) -> Rule {
    Rule {
        destinations: r
            .destinations()
            .iter()
            .map(|d| Destination {
                region: d.region().to_string(),
                registry_id: d.registry_id().to_string(),
            })
            .collect(),
        filters: r
            .repository_filters()
            .iter()
            .map(|f| Filter {
                filter: f.filter().to_string(),
                filter_type: f.filter_type().as_str().to_string(),
            })
            .collect(),
    }
}

fn to_sdk(r: &Rule) -> Result<ReplicationRule, String> {
    let destinations = r
        .destinations
        .iter()
        .map(|d| {
            ReplicationDestination::builder()
                .region(&d.region)
                .registry_id(&d.registry_id)
                .build()
                .map_err(|e| e.to_string())
        })
        .collect::<Result<Vec<_>, _>>()?;
    let filters = r
        .filters
        .iter()
        .map(|f| {
            RepositoryFilter::builder()
                .filter(&f.filter)
                .filter_type(RepositoryFilterType::from(f.filter_type.as_str()))
                .build()
                .map_err(|e| e.to_string())
        })
        .collect::<Result<Vec<_>, _>>()?;
    ReplicationRule::builder()
        .set_destinations(Some(destinations))
        .set_repository_filters((!filters.is_empty()).then_some(filters))
        .build()
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_survive_the_sdk_round_trip() {
        let r = Rule {
            destinations: vec![Destination {
                region: "eu-west-1".into(),
                registry_id: "111122223333".into(),
            }],
            filters: vec![Filter {
                filter: "prod".into(),
                filter_type: "PREFIX_MATCH".into(),
            }],
        };
        assert_eq!(from_sdk(&to_sdk(&r).unwrap()), r);
        let bare = Rule {
            destinations: r.destinations.clone(),
            filters: vec![],
        };
        let sdk = to_sdk(&bare).unwrap();
        assert!(
            sdk.repository_filters.is_none(),
            "no filters: the field is left out"
        );
        assert_eq!(from_sdk(&sdk), bare);
    }
}
