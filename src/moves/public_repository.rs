//! `aws_ecrpublic_repository` → `ecr_public_repository`.

use std::collections::BTreeMap;

use super::{source_attributes, MoveError, Source};

/// A public repository as hashicorp/aws stored it. ECR Public exists only in us-east-1, so a
/// `region` in the state is not carried over.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PublicRepository {
    pub repository_name: String,
    pub arn: Option<String>,
    pub registry_id: Option<String>,
    pub repository_uri: Option<String>,
    /// `None` when the state has no catalog data, or only empty values (what AWS reports for a
    /// repository created without any).
    pub catalog_data: Option<CatalogData>,
    pub tags: BTreeMap<String, String>,
    pub tags_all: BTreeMap<String, String>,
    pub force_destroy: bool,
    pub delete_timeout: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CatalogData {
    pub description: Option<String>,
    pub about_text: Option<String>,
    pub usage_text: Option<String>,
    pub architectures: Vec<String>,
    pub operating_systems: Vec<String>,
    pub logo_image_blob: Option<String>,
}

impl CatalogData {
    fn is_empty(&self) -> bool {
        *self == CatalogData::default()
    }
}

pub fn from_aws(src: &Source<'_>) -> Result<PublicRepository, MoveError> {
    let a = source_attributes(src, "ecr_public_repository")?;
    let name = match a.string("repository_name").or_else(|| a.string("id")) {
        Some(n) => n,
        None => a.required("repository_name")?,
    };
    let catalog_data = a
        .block("catalog_data")
        .map(|c| CatalogData {
            description: c.string("description"),
            about_text: c.string("about_text"),
            usage_text: c.string("usage_text"),
            architectures: c.strings("architectures"),
            operating_systems: c.strings("operating_systems"),
            logo_image_blob: c.string("logo_image_blob"),
        })
        .filter(|c| !c.is_empty());
    let tags = a.string_map("tags");
    let mut tags_all = a.string_map("tags_all");
    if tags_all.is_empty() {
        tags_all = tags.clone();
    }
    Ok(PublicRepository {
        repository_name: name,
        arn: a.string("arn"),
        registry_id: a.string("registry_id"),
        repository_uri: a.string("repository_uri"),
        catalog_data,
        tags,
        tags_all,
        force_destroy: a.bool("force_destroy").unwrap_or(false),
        delete_timeout: a.delete_timeout(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::aws_source;
    use super::*;

    #[test]
    fn v6_with_catalog_data() {
        let v6 = r##"{
            "arn": "arn:aws:ecr-public::123456789012:repository/tool",
            "catalog_data": [{
                "about_text": "# Tool",
                "architectures": ["ARM 64", "x86-64"],
                "description": "A tool",
                "logo_image_blob": "",
                "operating_systems": ["Linux"],
                "usage_text": ""
            }],
            "force_destroy": null,
            "id": "tool",
            "region": "us-east-1",
            "registry_id": "123456789012",
            "repository_name": "tool",
            "repository_uri": "public.ecr.aws/a1b2c3d4/tool",
            "tags": {"team": "oss"},
            "tags_all": {"team": "oss"},
            "timeouts": {"delete": "5m"}
        }"##;
        let r = from_aws(&aws_source("aws_ecrpublic_repository", v6)).unwrap();
        assert_eq!(r.repository_name, "tool");
        assert_eq!(
            r.catalog_data,
            Some(CatalogData {
                description: Some("A tool".into()),
                about_text: Some("# Tool".into()),
                architectures: vec!["ARM 64".into(), "x86-64".into()],
                operating_systems: vec!["Linux".into()],
                ..Default::default()
            })
        );
        assert!(!r.force_destroy);
        assert_eq!(r.delete_timeout.as_deref(), Some("5m"));
        assert_eq!(r.tags_all.len(), 1);
    }

    #[test]
    fn v5_without_catalog_data() {
        let v5 = r#"{
            "arn": "arn:aws:ecr-public::123456789012:repository/tool",
            "catalog_data": [{"about_text": "", "architectures": [], "description": "", "logo_image_blob": "", "operating_systems": [], "usage_text": ""}],
            "force_destroy": true,
            "id": "tool",
            "registry_id": "123456789012",
            "repository_name": "tool",
            "repository_uri": "public.ecr.aws/a1b2c3d4/tool",
            "tags": null,
            "tags_all": {},
            "timeouts": null
        }"#;
        let r = from_aws(&aws_source("aws_ecrpublic_repository", v5)).unwrap();
        assert_eq!(r.catalog_data, None);
        assert!(r.force_destroy);
        assert!(r.tags.is_empty());
    }
}
