//! `ecr_repository` (data source): a repository that exists, by name: DescribeRepositories,
//! ListTagsForResource, and one DescribeImages page walk for the newest image's tags.

use std::collections::BTreeMap;

use aws_sdk_ecr::operation::describe_repositories::DescribeRepositoriesError;
use aws_sdk_ecr::types::Repository;
use serde::{Deserialize, Serialize};

use crate::aws::errors::{is, text};
use crate::aws::images::{newest_active, ImagesError};
use crate::aws::AwsClients;
use crate::framework::{
    validate, AttrPath, Attribute, Block, Ctx, DataSource, Diagnostics, Schema, Val,
};
use crate::lookup::syntax::format_time;
use crate::lookup::Stamp;
use crate::protocol::cty::Type;
use crate::shared::image_filters::repository_not_found;
use crate::shared::region;
use crate::shared::validators::{RegistryId, RepositoryName};

pub struct EcrRepositoryData;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Model {
    pub id: Val<String>,
    pub name: Val<String>,
    pub registry_id: Val<String>,
    pub arn: Val<String>,
    pub repository_url: Val<String>,
    pub created_at: Val<String>,
    pub image_tag_mutability: Val<String>,
    pub image_tag_mutability_exclusion_filter: Val<Vec<ExclusionFilter>>,
    pub image_scanning_configuration: Val<Vec<Scanning>>,
    pub encryption_configuration: Val<Vec<Encryption>>,
    pub tags: Val<BTreeMap<String, String>>,
    pub most_recent_image_tags: Val<Vec<String>>,
    pub region: Val<String>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct ExclusionFilter {
    pub filter: String,
    pub filter_type: String,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct Scanning {
    pub scan_on_push: bool,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct Encryption {
    pub encryption_type: String,
    pub kms_key: Option<String>,
}

fn object(fields: &[(&str, Type)]) -> Type {
    Type::List(Box::new(Type::Object(
        fields
            .iter()
            .map(|(n, t)| (n.to_string(), t.clone()))
            .collect(),
    )))
}

/// What DescribeRepositories says, in state form (everything but tags and images).
fn from_repository(c: Model, r: &Repository) -> Model {
    Model {
        id: Val::of(r.repository_name().unwrap_or_default()),
        name: Val::of(r.repository_name().unwrap_or_default()),
        registry_id: r.registry_id().map(str::to_string).into(),
        arn: r.repository_arn().map(str::to_string).into(),
        repository_url: r.repository_uri().map(str::to_string).into(),
        created_at: r
            .created_at()
            .map(|t| {
                format_time(Stamp {
                    secs: t.secs(),
                    nanos: 0,
                })
            })
            .into(),
        image_tag_mutability: Val::of(
            r.image_tag_mutability()
                .map(|m| m.as_str())
                .unwrap_or("MUTABLE"),
        ),
        image_tag_mutability_exclusion_filter: Val::Known(
            r.image_tag_mutability_exclusion_filters()
                .iter()
                .map(|f| ExclusionFilter {
                    filter: f.filter().to_string(),
                    filter_type: f.filter_type().as_str().to_string(),
                })
                .collect(),
        ),
        image_scanning_configuration: Val::Known(vec![Scanning {
            scan_on_push: r
                .image_scanning_configuration()
                .is_some_and(|s| s.scan_on_push()),
        }]),
        encryption_configuration: Val::Known(vec![Encryption {
            encryption_type: r
                .encryption_configuration()
                .map(|e| e.encryption_type().as_str())
                .unwrap_or("AES256")
                .to_string(),
            kms_key: r
                .encryption_configuration()
                .and_then(|e| e.kms_key())
                .map(str::to_string),
        }]),
        ..c
    }
}

#[async_trait::async_trait]
impl DataSource for EcrRepositoryData {
    type Model = Model;
    type Provider = AwsClients;

    fn type_name(&self) -> &'static str {
        "ecr_repository"
    }

    fn docs(&self) -> crate::framework::Docs {
        crate::framework::Docs {
            notes: r#"## Usage notes

Another stack's repository, to push to or to grant access on:

```terraform
data "ecr_repository" "shared" {
  name = "platform/base-images"
}

output "push_to" {
  value = data.ecr_repository.shared.repository_url
}
```

Calls: `DescribeRepositories`, `ListTagsForResource` and one `DescribeImages` call per 1,000
images (for `most_recent_image_tags`). For a repository in another account, reading its tags
needs `ecr:ListTagsForResource` there; when that call fails, `tags` is left null with a warning
and the rest is read."#
                .into(),
            ..Default::default()
        }
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new("A private ECR repository that exists, looked up by name (in this account's registry or, with `registry_id`, another account's): its URL and ARN, settings, tags and the tags of its newest image. The same names as hashicorp/aws's `aws_ecr_repository` data source.")
                .attr(Attribute::string("id").computed().description("The repository name."))
                .attr(Attribute::string("name").required().description("Name of the repository."))
                .attr(Attribute::string("registry_id").optional().computed().description("Account id (12 digits) of the registry holding the repository, for a repository in another account. Default: the caller's registry, which this attribute then holds."))
                .attr(region::data_source_attribute())
                .attr(Attribute::string("arn").computed().description("Repository ARN."))
                .attr(Attribute::string("repository_url").computed().description("URL to `docker push` to and pull from: `<account>.dkr.ecr.<region>.amazonaws.com/<name>`."))
                .attr(Attribute::string("created_at").computed().description("When the repository was created (RFC 3339)."))
                .attr(Attribute::string("image_tag_mutability").computed().description("`MUTABLE`, `IMMUTABLE`, `IMMUTABLE_WITH_EXCLUSION` or `MUTABLE_WITH_EXCLUSION`."))
                .attr(Attribute::new("image_tag_mutability_exclusion_filter", object(&[("filter", Type::String), ("filter_type", Type::String)])).computed().description("Tag filters exempt from the mutability setting: `filter` and `filter_type` (`WILDCARD`)."))
                .attr(Attribute::new("image_scanning_configuration", object(&[("scan_on_push", Type::Bool)])).computed().description("One element: `scan_on_push`."))
                .attr(Attribute::new("encryption_configuration", object(&[("encryption_type", Type::String), ("kms_key", Type::String)])).computed().description("One element: `encryption_type` (`AES256`, `KMS` or `KMS_DSSE`) and `kms_key` (null for AES256)."))
                .attr(Attribute::string_map("tags").computed().description("Tags on the repository (null when they cannot be read, see below)."))
                .attr(Attribute::string_list("most_recent_image_tags").computed().description("Tags (sorted) of the image pushed most recently among the repository's active images; empty when the repository has no image or its newest image is untagged.")),
        )
    }

    fn validate(&self, c: &Model, diags: &mut Diagnostics) {
        region::validate(&c.region, diags);
        validate::check(diags, &AttrPath::attr("name"), &c.name, &[&RepositoryName]);
        validate::check(
            diags,
            &AttrPath::attr("registry_id"),
            &c.registry_id,
            &[&RegistryId],
        );
    }

    async fn read(
        &self,
        ctx: &Ctx<AwsClients>,
        mut c: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let aws = &ctx.provider.in_region(c.region.str());
        region::read(&mut c.region, &aws.region);
        let name = c.name.str().unwrap_or_default().to_string();
        let registry = c.registry_id.str().map(str::to_string);
        let out = aws
            .ecr
            .describe_repositories()
            .repository_names(&name)
            .set_registry_id(registry.clone())
            .send()
            .await;
        let repo = match out {
            Ok(o) => o
                .repositories()
                .iter()
                .find(|r| r.repository_name() == Some(name.as_str()))
                .cloned(),
            Err(e)
                if is(
                    &e,
                    DescribeRepositoriesError::is_repository_not_found_exception,
                ) =>
            {
                None
            }
            Err(e) => {
                diags.error(format!("Reading ECR repository {name:?} failed"), text(&e));
                return None;
            }
        };
        let Some(repo) = repo else {
            repository_not_found(
                diags,
                "name",
                &name,
                registry.as_deref(),
                "DescribeRepositories found no repository of that name.",
            );
            return None;
        };
        let mut m = from_repository(c, &repo);
        let arn = repo.repository_arn().unwrap_or_default();
        let foreign = registry
            .as_deref()
            .is_some_and(|r| aws.account_id.as_deref() != Some(r));
        match aws
            .ecr
            .list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await
        {
            Ok(o) => {
                m.tags = Val::Known(
                    o.tags()
                        .iter()
                        .map(|t| (t.key().to_string(), t.value().to_string()))
                        .collect(),
                );
            }
            // Another account's repository: its policy may allow describing but not tag reads.
            Err(e) if foreign => {
                m.tags = Val::Null;
                diags.attr_warning(
                    AttrPath::attr("tags"),
                    format!("Tags of {name:?} not readable"),
                    format!("ListTagsForResource on registry {} failed, so `tags` is null; the rest of the repository was read.\n\n{}", m.registry_id.str().unwrap_or_default(), text(&e)),
                );
            }
            Err(e) => {
                diags.error(format!("Reading the tags of {name:?} failed"), text(&e));
                return None;
            }
        }
        let newest = match newest_active(&aws.ecr, &name, repo.registry_id()).await {
            Ok((newest, _)) => newest,
            Err(ImagesError::RepositoryNotFound(t)) => {
                // Deleted between the two calls.
                repository_not_found(diags, "name", &name, registry.as_deref(), &t);
                return None;
            }
            Err(e) => {
                diags.error(
                    format!("Listing the images of {name:?} failed"),
                    e.to_string(),
                );
                return None;
            }
        };
        m.most_recent_image_tags = Val::Known(newest.map(|i| i.tags).unwrap_or_default());
        Some(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::val::{encode_model, to_json};
    use aws_sdk_ecr::types::{
        EncryptionConfiguration, EncryptionType, ImageScanningConfiguration, ImageTagMutability,
        ImageTagMutabilityExclusionFilter, ImageTagMutabilityExclusionFilterType,
    };

    #[test]
    fn repository_fields_map_to_state() {
        let r = Repository::builder()
            .repository_name("app")
            .registry_id("123456789012")
            .repository_arn("arn:aws:ecr:us-east-1:123456789012:repository/app")
            .repository_uri("123456789012.dkr.ecr.us-east-1.amazonaws.com/app")
            .created_at(aws_smithy_types::DateTime::from_secs(1_767_225_600))
            .image_tag_mutability(ImageTagMutability::ImmutableWithExclusion)
            .image_tag_mutability_exclusion_filters(
                ImageTagMutabilityExclusionFilter::builder()
                    .filter("latest")
                    .filter_type(ImageTagMutabilityExclusionFilterType::Wildcard)
                    .build()
                    .unwrap(),
            )
            .image_scanning_configuration(
                ImageScanningConfiguration::builder()
                    .scan_on_push(true)
                    .build(),
            )
            .encryption_configuration(
                EncryptionConfiguration::builder()
                    .encryption_type(EncryptionType::Kms)
                    .kms_key("arn:aws:kms:us-east-1:123456789012:key/k")
                    .build()
                    .unwrap(),
            )
            .build();
        let m = from_repository(
            Model {
                name: Val::of("app"),
                ..Default::default()
            },
            &r,
        );
        let j = to_json(&encode_model(&m, &EcrRepositoryData.schema().block).unwrap());
        assert_eq!(j["created_at"], "2026-01-01T00:00:00Z");
        assert_eq!(j["image_tag_mutability"], "IMMUTABLE_WITH_EXCLUSION");
        assert_eq!(
            j["image_tag_mutability_exclusion_filter"][0]["filter"],
            "latest"
        );
        assert_eq!(j["image_scanning_configuration"][0]["scan_on_push"], true);
        assert_eq!(j["encryption_configuration"][0]["encryption_type"], "KMS");
        assert_eq!(j["registry_id"], "123456789012");
    }

    #[test]
    fn aws_defaults_fill_what_an_older_answer_omits() {
        let r = Repository::builder().repository_name("app").build();
        let m = from_repository(Model::default(), &r);
        assert_eq!(m.image_tag_mutability.str(), Some("MUTABLE"));
        assert_eq!(
            m.encryption_configuration.items()[0].encryption_type,
            "AES256"
        );
        assert!(!m.image_scanning_configuration.items()[0].scan_on_push);
    }

    #[test]
    fn validation() {
        let mut d = Diagnostics::new();
        EcrRepositoryData.validate(
            &Model {
                name: Val::of("UPPER"),
                registry_id: Val::of("x"),
                ..Default::default()
            },
            &mut d,
        );
        let paths: Vec<String> =
            d.0.iter()
                .filter_map(|x| x.attribute.as_ref().map(ToString::to_string))
                .collect();
        assert_eq!(paths, ["name", "registry_id"]);
    }
}
