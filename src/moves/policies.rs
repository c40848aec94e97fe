//! The three policy documents: `aws_ecr_repository_policy`, `aws_ecr_registry_policy` and
//! `aws_ecrpublic_repository_policy`. hashicorp/aws stores the policy as normalised JSON text;
//! this provider compares policies by meaning, so the text moves as it is.

use super::{source_attributes, MoveError, Source};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RepositoryPolicy {
    pub repository: String,
    pub policy: String,
    pub registry_id: Option<String>,
    pub region: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegistryPolicy {
    pub policy: String,
    pub registry_id: Option<String>,
    pub region: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PublicRepositoryPolicy {
    pub repository_name: String,
    pub policy: String,
    pub registry_id: Option<String>,
}

pub fn repository_policy(src: &Source<'_>) -> Result<RepositoryPolicy, MoveError> {
    let a = source_attributes(src, "ecr_repository_policy")?;
    let repository = match a.string("repository").or_else(|| a.string("id")) {
        Some(r) => r,
        None => a.required("repository")?,
    };
    Ok(RepositoryPolicy {
        repository,
        policy: a.required("policy")?,
        registry_id: a.string("registry_id"),
        region: a.region(),
    })
}

pub fn registry_policy(src: &Source<'_>) -> Result<RegistryPolicy, MoveError> {
    let a = source_attributes(src, "ecr_registry_policy")?;
    Ok(RegistryPolicy {
        policy: a.required("policy")?,
        registry_id: a.string("registry_id").or_else(|| a.string("id")),
        region: a.region(),
    })
}

/// ECR Public exists only in us-east-1; a `region` in the state is not carried over.
pub fn public_repository_policy(src: &Source<'_>) -> Result<PublicRepositoryPolicy, MoveError> {
    let a = source_attributes(src, "ecr_public_repository_policy")?;
    let repository_name = match a.string("repository_name").or_else(|| a.string("id")) {
        Some(r) => r,
        None => a.required("repository_name")?,
    };
    Ok(PublicRepositoryPolicy {
        repository_name,
        policy: a.required("policy")?,
        registry_id: a.string("registry_id"),
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::aws_source;
    use super::*;

    const POLICY: &str = r#"{\"Statement\":[{\"Action\":[\"ecr:BatchGetImage\",\"ecr:GetDownloadUrlForLayer\"],\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::210987654321:root\"},\"Sid\":\"pull\"}],\"Version\":\"2012-10-17\"}"#;

    #[test]
    fn repository_policy_v5_and_v6() {
        let v5 = format!(
            r#"{{"id":"app","policy":"{POLICY}","registry_id":"123456789012","repository":"app"}}"#
        );
        let p = repository_policy(&aws_source("aws_ecr_repository_policy", &v5)).unwrap();
        assert_eq!(p.repository, "app");
        assert!(p.policy.contains("ecr:BatchGetImage"));
        assert_eq!(p.region, None);
        let v6 = format!(
            r#"{{"id":"app","policy":"{POLICY}","region":"us-east-2","registry_id":"123456789012","repository":"app"}}"#
        );
        let p = repository_policy(&aws_source("aws_ecr_repository_policy", &v6)).unwrap();
        assert_eq!(p.region.as_deref(), Some("us-east-2"));
    }

    #[test]
    fn registry_policy_takes_the_registry_from_the_id_when_needed() {
        let v6 = format!(
            r#"{{"id":"123456789012","policy":"{POLICY}","region":"us-east-1","registry_id":""}}"#
        );
        let p = registry_policy(&aws_source("aws_ecr_registry_policy", &v6)).unwrap();
        assert_eq!(p.registry_id.as_deref(), Some("123456789012"));
        assert_eq!(p.region.as_deref(), Some("us-east-1"));
    }

    #[test]
    fn public_repository_policy_ignores_the_region() {
        let v6 = format!(
            r#"{{"id":"tool","policy":"{POLICY}","region":"us-east-1","registry_id":"123456789012","repository_name":"tool"}}"#
        );
        let p =
            public_repository_policy(&aws_source("aws_ecrpublic_repository_policy", &v6)).unwrap();
        assert_eq!(p.repository_name, "tool");
        assert_eq!(p.registry_id.as_deref(), Some("123456789012"));
        let e = public_repository_policy(&aws_source(
            "aws_ecrpublic_repository_policy",
            r#"{"repository_name":"tool"}"#,
        ))
        .unwrap_err();
        assert!(e.detail.contains("\"policy\""));
    }
}
