//! `aws_ecr_pull_through_cache_rule` → `ecr_pull_through_cache_rule`.

use super::{source_attributes, MoveError, Source};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PullThroughCacheRule {
    pub ecr_repository_prefix: String,
    pub upstream_registry_url: String,
    pub credential_arn: Option<String>,
    pub custom_role_arn: Option<String>,
    /// `None` also for `ROOT`, AWS's default, which hashicorp/aws stores as AWS reports it.
    pub upstream_repository_prefix: Option<String>,
    pub registry_id: Option<String>,
    pub region: Option<String>,
}

pub fn from_aws(src: &Source<'_>) -> Result<PullThroughCacheRule, MoveError> {
    let a = source_attributes(src, "ecr_pull_through_cache_rule")?;
    let prefix = match a.string("ecr_repository_prefix").or_else(|| a.string("id")) {
        Some(p) => p,
        None => a.required("ecr_repository_prefix")?,
    };
    Ok(PullThroughCacheRule {
        ecr_repository_prefix: prefix,
        upstream_registry_url: a.required("upstream_registry_url")?,
        credential_arn: a.string("credential_arn"),
        custom_role_arn: a.string("custom_role_arn"),
        upstream_repository_prefix: a
            .string("upstream_repository_prefix")
            .filter(|p| p != "ROOT"),
        registry_id: a.string("registry_id"),
        region: a.region(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::aws_source;
    use super::*;

    #[test]
    fn v5_state_with_sdkv2_empty_strings() {
        let v5 = r#"{
            "credential_arn": "",
            "custom_role_arn": "",
            "ecr_repository_prefix": "ecr-public",
            "id": "ecr-public",
            "registry_id": "123456789012",
            "upstream_registry_url": "public.ecr.aws",
            "upstream_repository_prefix": "ROOT"
        }"#;
        let r = from_aws(&aws_source("aws_ecr_pull_through_cache_rule", v5)).unwrap();
        assert_eq!(
            r,
            PullThroughCacheRule {
                ecr_repository_prefix: "ecr-public".into(),
                upstream_registry_url: "public.ecr.aws".into(),
                registry_id: Some("123456789012".into()),
                ..Default::default()
            }
        );
    }

    #[test]
    fn v6_state_with_credentials() {
        let v6 = r#"{
            "credential_arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/hub-AbCdEf",
            "custom_role_arn": null,
            "ecr_repository_prefix": "docker-hub",
            "id": "docker-hub",
            "region": "us-east-1",
            "registry_id": "123456789012",
            "upstream_registry_url": "registry-1.docker.io",
            "upstream_repository_prefix": null
        }"#;
        let r = from_aws(&aws_source("aws_ecr_pull_through_cache_rule", v6)).unwrap();
        assert!(r
            .credential_arn
            .unwrap()
            .contains("ecr-pullthroughcache/hub"));
        assert_eq!(r.custom_role_arn, None);
        assert_eq!(r.region.as_deref(), Some("us-east-1"));
        let e = from_aws(&aws_source(
            "aws_ecr_pull_through_cache_rule",
            r#"{"ecr_repository_prefix":"x"}"#,
        ))
        .unwrap_err();
        assert!(e.detail.contains("upstream_registry_url"));
    }
}
