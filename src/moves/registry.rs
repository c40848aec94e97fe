//! The registry-wide types with a hashicorp/aws twin: `aws_ecr_replication_configuration` →
//! `ecr_replication_configuration`, `aws_ecr_repository_creation_template` →
//! `ecr_repository_creation_template`, `aws_ecr_account_setting` → `ecr_account_setting` and
//! `aws_ecr_pull_time_update_exclusion` → `ecr_pull_time_update_exclusion`.

use std::collections::BTreeMap;

use super::{source_attributes, MoveError, Source};

/// A replication rule: destinations `(region, registry_id)` and filters `(filter, filter_type)`,
/// in stored order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplicationRule {
    pub destinations: Vec<(String, String)>,
    pub filters: Vec<(String, String)>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplicationConfiguration {
    pub registry_id: Option<String>,
    pub rules: Vec<ReplicationRule>,
    pub region: Option<String>,
}

pub fn replication_configuration(src: &Source<'_>) -> Result<ReplicationConfiguration, MoveError> {
    let a = source_attributes(src, "ecr_replication_configuration")?;
    let mut rules = vec![];
    for r in a
        .block("replication_configuration")
        .map(|c| c.blocks("rule"))
        .unwrap_or_default()
    {
        let mut destinations = vec![];
        for d in r.blocks("destination") {
            destinations.push((d.required("region")?, d.required("registry_id")?));
        }
        let filters = r
            .blocks("repository_filter")
            .iter()
            .filter_map(|f| {
                let filter = f.string("filter")?;
                // PREFIX_MATCH is the only filter type AWS has for replication.
                Some((
                    filter,
                    f.string("filter_type")
                        .unwrap_or_else(|| "PREFIX_MATCH".into()),
                ))
            })
            .collect();
        rules.push(ReplicationRule {
            destinations,
            filters,
        });
    }
    Ok(ReplicationConfiguration {
        registry_id: a.string("registry_id").or_else(|| a.string("id")),
        rules,
        region: a.region(),
    })
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreationTemplate {
    pub prefix: String,
    pub description: Option<String>,
    /// Sorted (a set in hashicorp/aws).
    pub applied_for: Vec<String>,
    pub custom_role_arn: Option<String>,
    /// `MUTABLE` when the state has none (AWS's default).
    pub image_tag_mutability: String,
    /// `(filter, filter_type)`, 6.10+.
    pub exclusion_filters: Vec<(String, String)>,
    /// `(encryption_type, kms_key)`; `None` for AWS's default (AES256 without a key), which
    /// hashicorp/aws stores whether or not the configuration wrote it.
    pub encryption: Option<(String, Option<String>)>,
    pub lifecycle_policy: Option<String>,
    pub repository_policy: Option<String>,
    pub resource_tags: BTreeMap<String, String>,
    pub registry_id: Option<String>,
    pub region: Option<String>,
}

pub fn creation_template(src: &Source<'_>) -> Result<CreationTemplate, MoveError> {
    let a = source_attributes(src, "ecr_repository_creation_template")?;
    let prefix = match a.string("prefix").or_else(|| a.string("id")) {
        Some(p) => p,
        None => a.required("prefix")?,
    };
    let mut applied_for = a.strings("applied_for");
    applied_for.sort();
    applied_for.dedup();
    let encryption = a.block("encryption_configuration").and_then(|e| {
        let kind = e
            .string("encryption_type")
            .unwrap_or_else(|| "AES256".into());
        let key = e.string("kms_key");
        (kind != "AES256" || key.is_some()).then_some((kind, key))
    });
    Ok(CreationTemplate {
        prefix,
        description: a.string("description"),
        applied_for,
        custom_role_arn: a.string("custom_role_arn"),
        image_tag_mutability: a
            .string("image_tag_mutability")
            .unwrap_or_else(|| "MUTABLE".into()),
        exclusion_filters: a
            .blocks("image_tag_mutability_exclusion_filter")
            .iter()
            .filter_map(|f| Some((f.string("filter")?, f.string("filter_type")?)))
            .collect(),
        encryption,
        lifecycle_policy: a.string("lifecycle_policy"),
        repository_policy: a.string("repository_policy"),
        resource_tags: a.string_map("resource_tags"),
        registry_id: a.string("registry_id"),
        region: a.region(),
    })
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountSetting {
    pub name: String,
    pub value: String,
    pub region: Option<String>,
}

pub fn account_setting(src: &Source<'_>) -> Result<AccountSetting, MoveError> {
    let a = source_attributes(src, "ecr_account_setting")?;
    let name = match a.string("name").or_else(|| a.string("id")) {
        Some(n) => n,
        None => a.required("name")?,
    };
    Ok(AccountSetting {
        name,
        value: a.required("value")?,
        region: a.region(),
    })
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PullTimeUpdateExclusion {
    pub principal_arn: String,
    pub region: Option<String>,
}

pub fn pull_time_update_exclusion(src: &Source<'_>) -> Result<PullTimeUpdateExclusion, MoveError> {
    let a = source_attributes(src, "ecr_pull_time_update_exclusion")?;
    Ok(PullTimeUpdateExclusion {
        principal_arn: a.required("principal_arn")?,
        region: a.region(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::aws_source;
    use super::*;

    #[test]
    fn replication_from_v6_and_v5_state() {
        let v6 = r#"{
            "id": "123456789012",
            "region": "eu-west-1",
            "registry_id": "123456789012",
            "replication_configuration": [{"rule": [
                {"destination": [{"region": "us-west-2", "registry_id": "123456789012"},
                                 {"region": "eu-central-1", "registry_id": "444455556666"}],
                 "repository_filter": [{"filter": "prod", "filter_type": "PREFIX_MATCH"}]},
                {"destination": [{"region": "ap-south-1", "registry_id": "123456789012"}],
                 "repository_filter": []}
            ]}]
        }"#;
        let r = replication_configuration(&aws_source("aws_ecr_replication_configuration", v6))
            .unwrap();
        assert_eq!(r.region.as_deref(), Some("eu-west-1"));
        assert_eq!(r.registry_id.as_deref(), Some("123456789012"));
        assert_eq!(
            r.rules,
            [
                ReplicationRule {
                    destinations: vec![
                        ("us-west-2".into(), "123456789012".into()),
                        ("eu-central-1".into(), "444455556666".into())
                    ],
                    filters: vec![("prod".into(), "PREFIX_MATCH".into())],
                },
                ReplicationRule {
                    destinations: vec![("ap-south-1".into(), "123456789012".into())],
                    filters: vec![],
                }
            ]
        );
        // 5.x: no region; an empty configuration (all rules removed) moves as no rules.
        let v5 =
            r#"{"id":"123456789012","registry_id":"123456789012","replication_configuration":[]}"#;
        let r = replication_configuration(&aws_source("aws_ecr_replication_configuration", v5))
            .unwrap();
        assert_eq!((r.region, r.rules.len()), (None, 0));
        let broken = r#"{"replication_configuration":[{"rule":[{"destination":[{"region":"us-west-2"}]}]}]}"#;
        let e = replication_configuration(&aws_source("aws_ecr_replication_configuration", broken))
            .unwrap_err();
        assert!(e.detail.contains("registry_id"), "{e}");
    }

    #[test]
    fn creation_template_from_v6_state_drops_what_aws_reports_by_default() {
        let v6 = r#"{
            "applied_for": ["REPLICATION", "PULL_THROUGH_CACHE"],
            "custom_role_arn": "",
            "description": "",
            "encryption_configuration": [{"encryption_type": "AES256", "kms_key": ""}],
            "id": "docker-hub",
            "image_tag_mutability": "IMMUTABLE_WITH_EXCLUSION",
            "image_tag_mutability_exclusion_filter": [{"filter": "latest*", "filter_type": "WILDCARD"}],
            "lifecycle_policy": "",
            "prefix": "docker-hub",
            "region": "us-east-1",
            "registry_id": "123456789012",
            "repository_policy": "",
            "resource_tags": {}
        }"#;
        let t = creation_template(&aws_source("aws_ecr_repository_creation_template", v6)).unwrap();
        assert_eq!(
            t,
            CreationTemplate {
                prefix: "docker-hub".into(),
                applied_for: vec!["PULL_THROUGH_CACHE".into(), "REPLICATION".into()],
                image_tag_mutability: "IMMUTABLE_WITH_EXCLUSION".into(),
                exclusion_filters: vec![("latest*".into(), "WILDCARD".into())],
                registry_id: Some("123456789012".into()),
                region: Some("us-east-1".into()),
                ..Default::default()
            }
        );
    }

    #[test]
    fn creation_template_from_v5_state_keeps_kms_and_documents() {
        let v5 = r#"{
            "applied_for": ["CREATE_ON_PUSH"],
            "custom_role_arn": "arn:aws:iam::123456789012:role/ecr-template",
            "description": "team templates",
            "encryption_configuration": [{"encryption_type": "KMS", "kms_key": "arn:aws:kms:us-east-1:123456789012:key/abc"}],
            "id": "team",
            "image_tag_mutability": "MUTABLE",
            "lifecycle_policy": "{\"rules\":[]}",
            "prefix": "team",
            "registry_id": "123456789012",
            "repository_policy": null,
            "resource_tags": {"team": "platform"}
        }"#;
        let t = creation_template(&aws_source("aws_ecr_repository_creation_template", v5)).unwrap();
        assert_eq!(
            t.encryption,
            Some((
                "KMS".into(),
                Some("arn:aws:kms:us-east-1:123456789012:key/abc".into())
            ))
        );
        assert_eq!(t.region, None);
        assert_eq!(t.description.as_deref(), Some("team templates"));
        assert_eq!(t.lifecycle_policy.as_deref(), Some("{\"rules\":[]}"));
        assert_eq!(t.repository_policy, None);
        assert_eq!(t.resource_tags["team"], "platform");
        assert!(t.exclusion_filters.is_empty());
    }

    #[test]
    fn account_setting_and_exclusion() {
        let s = account_setting(&aws_source(
            "aws_ecr_account_setting",
            r#"{"name":"BLOB_MOUNTING","value":"ENABLED","region":"eu-west-1"}"#,
        ))
        .unwrap();
        assert_eq!(
            s,
            AccountSetting {
                name: "BLOB_MOUNTING".into(),
                value: "ENABLED".into(),
                region: Some("eu-west-1".into())
            }
        );
        // 5.x (SDKv2 until 5.81) stored an id.
        let s = account_setting(&aws_source(
            "aws_ecr_account_setting",
            r#"{"id":"BASIC_SCAN_TYPE_VERSION","value":"AWS_NATIVE"}"#,
        ))
        .unwrap();
        assert_eq!(s.name, "BASIC_SCAN_TYPE_VERSION");
        assert!(
            account_setting(&aws_source("aws_ecr_account_setting", r#"{"name":"X"}"#))
                .unwrap_err()
                .detail
                .contains("\"value\"")
        );
        let x = pull_time_update_exclusion(&aws_source(
            "aws_ecr_pull_time_update_exclusion",
            r#"{"principal_arn":"arn:aws:iam::123456789012:role/scanner","region":"us-east-1"}"#,
        ))
        .unwrap();
        assert_eq!(x.principal_arn, "arn:aws:iam::123456789012:role/scanner");
        assert_eq!(x.region.as_deref(), Some("us-east-1"));
    }
}
