//! `aws_ecr_repository` → `ecr_repository`.

use std::collections::BTreeMap;

use super::{source_attributes, MoveError, Source};

/// A private repository as hashicorp/aws stored it, in `ecr_repository`'s terms.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Repository {
    pub name: String,
    pub arn: Option<String>,
    pub registry_id: Option<String>,
    pub repository_url: Option<String>,
    /// `MUTABLE` when the state has none.
    pub image_tag_mutability: String,
    /// (filter, filter_type) pairs, hashicorp/aws ≥ 6.8.
    pub exclusion_filters: Vec<(String, String)>,
    /// `Some` only when scanning on push is on: hashicorp/aws stores the block AWS reports even
    /// when the configuration has none, so `false` is AWS's default, not a configured block.
    pub scan_on_push: Option<bool>,
    /// `Some` only when not AWS's default (AES256 without a key), for the same reason.
    pub encryption: Option<Encryption>,
    /// The repository's own tags (without the provider's default tags).
    pub tags: BTreeMap<String, String>,
    pub tags_all: BTreeMap<String, String>,
    pub force_delete: bool,
    pub region: Option<String>,
    pub delete_timeout: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Encryption {
    pub encryption_type: String,
    pub kms_key: Option<String>,
}

pub fn from_aws(src: &Source<'_>) -> Result<Repository, MoveError> {
    let a = source_attributes(src, "ecr_repository")?;
    let name = a.string("name").or_else(|| a.string("id"));
    let name = match name {
        Some(n) => n,
        None => a.required("name")?,
    };
    let encryption = a.block("encryption_configuration").and_then(|e| {
        let encryption_type = e
            .string("encryption_type")
            .unwrap_or_else(|| "AES256".into());
        let kms_key = e.string("kms_key");
        (encryption_type != "AES256" || kms_key.is_some()).then_some(Encryption {
            encryption_type,
            kms_key,
        })
    });
    let scan_on_push = a
        .block("image_scanning_configuration")
        .and_then(|s| s.bool("scan_on_push"))
        .filter(|on| *on);
    let exclusion_filters = a
        .blocks("image_tag_mutability_exclusion_filter")
        .iter()
        .filter_map(|f| {
            Some((
                f.string("filter")?,
                f.string("filter_type").unwrap_or_else(|| "WILDCARD".into()),
            ))
        })
        .collect();
    let tags = a.string_map("tags");
    let mut tags_all = a.string_map("tags_all");
    if tags_all.is_empty() {
        tags_all = tags.clone();
    }
    Ok(Repository {
        name,
        arn: a.string("arn"),
        registry_id: a.string("registry_id"),
        repository_url: a.string("repository_url"),
        image_tag_mutability: a
            .string("image_tag_mutability")
            .unwrap_or_else(|| "MUTABLE".into()),
        exclusion_filters,
        scan_on_push,
        encryption,
        tags,
        tags_all,
        force_delete: a.bool("force_delete").unwrap_or(false),
        region: a.region(),
        delete_timeout: a.delete_timeout(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::aws_source;
    use super::*;

    /// hashicorp/aws 5.x: no `region`, no exclusion filters; `force_delete` null when never set;
    /// the blocks AWS reports always stored, with `""` for an unset key.
    const V5: &str = r#"{
        "arn": "arn:aws:ecr:us-east-1:123456789012:repository/my-org/app",
        "encryption_configuration": [{"encryption_type": "AES256", "kms_key": ""}],
        "force_delete": null,
        "id": "my-org/app",
        "image_scanning_configuration": [{"scan_on_push": false}],
        "image_tag_mutability": "MUTABLE",
        "name": "my-org/app",
        "registry_id": "123456789012",
        "repository_url": "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-org/app",
        "tags": {},
        "tags_all": {},
        "timeouts": null
    }"#;

    /// hashicorp/aws 6.x with everything set (and provider default_tags `managed-by`).
    const V6: &str = r#"{
        "arn": "arn:aws:ecr:eu-west-1:123456789012:repository/app",
        "encryption_configuration": [{"encryption_type": "KMS", "kms_key": "arn:aws:kms:eu-west-1:123456789012:key/k"}],
        "force_delete": true,
        "id": "app",
        "image_scanning_configuration": [{"scan_on_push": true}],
        "image_tag_mutability": "IMMUTABLE_WITH_EXCLUSION",
        "image_tag_mutability_exclusion_filter": [{"filter": "latest*", "filter_type": "WILDCARD"}],
        "name": "app",
        "region": "eu-west-1",
        "registry_id": "123456789012",
        "repository_url": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app",
        "tags": {"team": "platform"},
        "tags_all": {"managed-by": "terraform", "team": "platform"},
        "timeouts": {"delete": "30m"}
    }"#;

    #[test]
    fn v5_defaults_become_absent_blocks_and_false() {
        let r = from_aws(&aws_source("aws_ecr_repository", V5)).unwrap();
        assert_eq!(
            r,
            Repository {
                name: "my-org/app".into(),
                arn: Some("arn:aws:ecr:us-east-1:123456789012:repository/my-org/app".into()),
                registry_id: Some("123456789012".into()),
                repository_url: Some(
                    "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-org/app".into()
                ),
                image_tag_mutability: "MUTABLE".into(),
                force_delete: false,
                ..Default::default()
            }
        );
    }

    #[test]
    fn v6_keeps_every_setting() {
        let r = from_aws(&aws_source("aws_ecr_repository", V6)).unwrap();
        assert_eq!(r.image_tag_mutability, "IMMUTABLE_WITH_EXCLUSION");
        assert_eq!(
            r.exclusion_filters,
            [("latest*".to_string(), "WILDCARD".to_string())]
        );
        assert_eq!(r.scan_on_push, Some(true));
        assert_eq!(
            r.encryption,
            Some(Encryption {
                encryption_type: "KMS".into(),
                kms_key: Some("arn:aws:kms:eu-west-1:123456789012:key/k".into()),
            })
        );
        assert_eq!(r.tags.len(), 1);
        assert_eq!(
            r.tags_all.get("managed-by").map(String::as_str),
            Some("terraform")
        );
        assert!(r.force_delete);
        assert_eq!(r.region.as_deref(), Some("eu-west-1"));
        assert_eq!(r.delete_timeout.as_deref(), Some("30m"));
    }

    #[test]
    fn kms_without_a_key_is_kept_and_a_missing_name_falls_back_to_the_id() {
        let state = r#"{"id": "app", "encryption_configuration": [{"encryption_type": "KMS", "kms_key": ""}], "tags": null, "tags_all": null}"#;
        let r = from_aws(&aws_source("aws_ecr_repository", state)).unwrap();
        assert_eq!(r.name, "app");
        assert_eq!(
            r.encryption,
            Some(Encryption {
                encryption_type: "KMS".into(),
                kms_key: None
            })
        );
        assert!(r.tags_all.is_empty());
        let e = from_aws(&aws_source("aws_ecr_repository", "{}")).unwrap_err();
        assert!(e.detail.contains("\"name\""), "{e}");
    }
}
