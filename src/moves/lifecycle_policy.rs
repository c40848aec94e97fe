//! `aws_ecr_lifecycle_policy` → `ecr_lifecycle_policy`.

use super::{source_attributes, MoveError, Source};

/// A lifecycle policy as hashicorp/aws stored it: always JSON text (hashicorp/aws normalises it
/// on write), whether the configuration wrote it by hand, with `jsonencode` or from
/// `aws_ecr_lifecycle_policy_document`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LifecyclePolicy {
    pub repository: String,
    pub registry_id: Option<String>,
    pub policy: String,
    pub region: Option<String>,
}

pub fn from_aws(src: &Source<'_>) -> Result<LifecyclePolicy, MoveError> {
    let a = source_attributes(src, "ecr_lifecycle_policy")?;
    let repository = match a.string("repository").or_else(|| a.string("id")) {
        Some(r) => r,
        None => a.required("repository")?,
    };
    Ok(LifecyclePolicy {
        repository,
        registry_id: a.string("registry_id"),
        policy: a.required("policy")?,
        region: a.region(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{aws_source, json};
    use super::super::Source;
    use super::*;

    /// As hashicorp/aws writes it: the policy normalised to compact JSON.
    const V5: &str = r#"{
        "id": "app",
        "policy": "{\"rules\":[{\"action\":{\"type\":\"expire\"},\"rulePriority\":1,\"selection\":{\"countNumber\":14,\"countType\":\"sinceImagePushed\",\"countUnit\":\"days\",\"tagStatus\":\"untagged\"}}]}",
        "registry_id": "123456789012",
        "repository": "app"
    }"#;

    #[test]
    fn reads_v5_and_v6_states() {
        let p = from_aws(&aws_source("aws_ecr_lifecycle_policy", V5)).unwrap();
        assert_eq!(p.repository, "app");
        assert_eq!(p.registry_id.as_deref(), Some("123456789012"));
        assert!(p.policy.contains("sinceImagePushed"));
        assert_eq!(p.region, None);

        let v6 = V5.replacen('{', r#"{"region": "ap-south-1","#, 1);
        let identity =
            json(r#"{"account_id":"123456789012","region":"ap-south-1","repository":"app"}"#);
        let src = Source {
            identity: Some(identity),
            ..aws_source("aws_ecr_lifecycle_policy", &v6)
        };
        let p = from_aws(&src).unwrap();
        assert_eq!(p.region.as_deref(), Some("ap-south-1"));
    }

    #[test]
    fn a_state_without_policy_is_refused() {
        let e = from_aws(&aws_source(
            "aws_ecr_lifecycle_policy",
            r#"{"repository":"app"}"#,
        ))
        .unwrap_err();
        assert!(e.detail.contains("\"policy\""), "{e}");
    }
}
