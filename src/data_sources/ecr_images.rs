//! `ecr_images`: the images of a private repository, filtered and ordered, from one
//! DescribeImages page walk (1000 images a call).

use serde::{Deserialize, Serialize};

use crate::shared::image_filters::{
    self, repository_not_found, Filters, ImageItem, ITEM_FIELDS_DOC,
};
use std::ops::ControlFlow;

use aws_sdk_ecr::types::{ImageStatusFilter, TagStatus as SdkTagStatus};

use crate::aws::images::{info, ImageQuery, ImagesError, PAGE_SIZE};
use crate::aws::AwsClients;
use crate::framework::validate::OneOf;
use crate::framework::{
    validate, AttrPath, Attribute, Block, Ctx, DataSource, Diagnostics, Schema, Val,
};
use crate::lookup::{image_ids, TagStatus, IMAGE_STATUSES};
use crate::protocol::cty::Type;
use crate::shared::region;
use crate::shared::validators::{RegistryId, RepositoryName};

pub struct EcrImages;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Model {
    pub id: Val<String>,
    pub repository_name: Val<String>,
    pub registry_id: Val<String>,
    pub tag_status: Val<String>,
    pub tag_pattern: Val<String>,
    pub image_status: Val<String>,
    pub pushed_after: Val<String>,
    pub most_recent_first: Val<bool>,
    pub limit: Val<i64>,
    pub image_ids: Val<Vec<ImageId>>,
    pub images: Val<Vec<ImageItem>>,
    pub region: Val<String>,
}

/// One `(digest, tag)` pair of `image_ids`.
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct ImageId {
    pub image_digest: String,
    pub image_tag: Option<String>,
}

fn image_id_type() -> Type {
    Type::Object(
        [
            ("image_digest".to_string(), Type::String),
            ("image_tag".to_string(), Type::String),
        ]
        .into_iter()
        .collect(),
    )
}

impl Model {
    fn filters(&self) -> Filters<'_> {
        Filters {
            tag_status: &self.tag_status,
            tag_pattern: &self.tag_pattern,
            pushed_after: &self.pushed_after,
            most_recent_first: &self.most_recent_first,
            limit: &self.limit,
        }
    }
}

#[async_trait::async_trait]
impl DataSource for EcrImages {
    type Model = Model;
    type Provider = AwsClients;

    fn type_name(&self) -> &'static str {
        "ecr_images"
    }

    fn docs(&self) -> crate::framework::Docs {
        crate::framework::Docs {
            notes: r#"## Usage notes

The newest release image, as `ecr_image` with `most_recent` cannot filter by tag:

```terraform
data "ecr_images" "latest_release" {
  repository_name   = "my-org/app"
  tag_pattern       = "v*"
  most_recent_first = true
  limit             = 1
}

locals {
  release_digest = one(data.ecr_images.latest_release.images).image_digest
}
```

A data source whose arguments are not known until apply (for example a repository created in
the same configuration) is read during apply, as Terraform does for every data source.

Cost: one `DescribeImages` call per 1,000 images (`maxResults` 1000; hashicorp/aws's
`aws_ecr_images` makes one `ListImages` call per 100). `tag_status` and `image_status` are
applied by AWS; the other filters by the provider on the same pages."#
                .into(),
            ..Default::default()
        }
    }

    fn schema(&self) -> Schema {
        let block = Block::new("The images of a private ECR repository: their ids (digest and tag pairs, as hashicorp/aws's `aws_ecr_images`) and details, filtered by tag status, tag pattern, push time and storage status, in a stable order.\n\nRead with one `DescribeImages` page walk (1,000 images per call). Results are sorted (by push time, then digest; tags alphabetically), so an unchanged repository gives the same state on every read.")
            .attr(Attribute::string("id").computed().description("The repository name."))
            .attr(Attribute::string("repository_name").required().description("Name of the repository."))
            .attr(Attribute::string("registry_id").optional().description("Account id (12 digits) of the registry holding the repository, for a repository in another account (its repository policy must allow `ecr:DescribeImages`). Default: the caller's registry."))
            .attr(region::data_source_attribute())
            .attr(Attribute::string("image_status").optional().description("`ACTIVE` (AWS's default), `ARCHIVED`, `ACTIVATING` (being restored from the archive) or `ANY`. Sent to DescribeImages as `filter.imageStatus`."));
        let block = image_filters::filter_attrs(block, true)
            .attr(
                Attribute::new("image_ids", Type::List(Box::new(image_id_type())))
                    .computed()
                    .description("One object per tag of each image kept, `image_digest` and `image_tag` (only the tags matching `tag_pattern` when it is set), and one with `image_tag = null` for an untagged image; in the images' order, tags sorted."),
            )
            .attr(
                Attribute::new("images", Type::List(Box::new(image_filters::private_item_type())))
                    .computed()
                    .description(format!("The images kept, in order: {ITEM_FIELDS_DOC}, `image_status` (`ACTIVE`, `ARCHIVED` or `ACTIVATING`) and `last_recorded_pull_time` (RFC 3339, null if never pulled).")),
            );
        Schema::new(0, block)
    }

    fn validate(&self, c: &Model, diags: &mut Diagnostics) {
        region::validate(&c.region, diags);
        validate::check(
            diags,
            &AttrPath::attr("repository_name"),
            &c.repository_name,
            &[&RepositoryName],
        );
        validate::check(
            diags,
            &AttrPath::attr("registry_id"),
            &c.registry_id,
            &[&RegistryId],
        );
        validate::check(
            diags,
            &AttrPath::attr("image_status"),
            &c.image_status,
            &[&OneOf(IMAGE_STATUSES)],
        );
        image_filters::validate_filters(&c.filters(), diags);
    }

    async fn read(
        &self,
        ctx: &Ctx<AwsClients>,
        mut c: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let aws = &ctx.provider.in_region(c.region.str());
        region::read(&mut c.region, &aws.region);
        let repo = c.repository_name.str().unwrap_or_default().to_string();
        let registry = c.registry_id.str();
        let query = image_filters::query(&c.filters());
        let mut aws_query = ImageQuery::new(&repo)
            .registry_id(registry)
            .image_status(ImageStatusFilter::from(
                c.image_status.str().unwrap_or("ACTIVE"),
            ))
            .page_size(PAGE_SIZE);
        if query.tag_status != TagStatus::Any {
            aws_query = aws_query.tag_status(SdkTagStatus::from(query.tag_status.as_str()));
        }
        let mut kept = Vec::new();
        // AWS applies tag_status too; checking again costs nothing and holds only what is kept.
        let walked = aws_query
            .each(&aws.ecr, |d| {
                let i = info(&d);
                if query.admits(&i) {
                    kept.push(i);
                }
                ControlFlow::Continue(())
            })
            .await;
        match walked {
            Ok(pages) => {
                tracing::debug!(repository = %repo, calls = pages.calls, kept = kept.len(), "listed images")
            }
            Err(ImagesError::RepositoryNotFound(t)) => {
                repository_not_found(diags, "repository_name", &repo, registry, &t);
                return None;
            }
            Err(e) => {
                diags.error(
                    format!("Listing the images of {repo:?} failed"),
                    e.to_string(),
                );
                return None;
            }
        }
        let selected = query.select(kept);
        let ids = image_ids(&query, &selected)
            .into_iter()
            .map(|(image_digest, image_tag)| ImageId {
                image_digest,
                image_tag,
            })
            .collect();
        Some(Model {
            id: Val::of(repo.clone()),
            image_ids: Val::Known(ids),
            images: Val::Known(selected.iter().map(|i| ImageItem::new(i, &repo)).collect()),
            ..c
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::val::encode_model;
    use crate::lookup::ImageInfo;

    #[test]
    fn validation_names_each_attribute() {
        let m = Model {
            repository_name: Val::of("Bad_Name"),
            registry_id: Val::of("123"),
            image_status: Val::of("active"),
            limit: Val::Known(-1),
            ..Default::default()
        };
        let mut d = Diagnostics::new();
        EcrImages.validate(&m, &mut d);
        let paths: Vec<String> =
            d.0.iter()
                .filter_map(|x| x.attribute.as_ref().map(ToString::to_string))
                .collect();
        assert_eq!(
            paths,
            ["repository_name", "registry_id", "image_status", "limit"]
        );
    }

    #[test]
    fn unknown_arguments_validate_cleanly() {
        let m = Model {
            repository_name: Val::Unknown,
            registry_id: Val::Unknown,
            image_status: Val::Unknown,
            tag_pattern: Val::Unknown,
            limit: Val::Unknown,
            ..Default::default()
        };
        let mut d = Diagnostics::new();
        EcrImages.validate(&m, &mut d);
        assert!(d.0.is_empty(), "{d:?}");
    }

    #[test]
    fn state_encodes_with_null_tags_for_untagged_images() {
        let q = crate::lookup::Query::default();
        let imgs = q.select([
            ImageInfo::new("sha256:a", &[], 1),
            ImageInfo::new("sha256:b", &["v1"], 2),
        ]);
        let m = Model {
            repository_name: Val::of("app"),
            image_ids: Val::Known(
                image_ids(&q, &imgs)
                    .into_iter()
                    .map(|(image_digest, image_tag)| ImageId {
                        image_digest,
                        image_tag,
                    })
                    .collect(),
            ),
            images: Val::Known(imgs.iter().map(|i| ImageItem::new(i, "app")).collect()),
            ..Default::default()
        };
        let v = encode_model(&m, &EcrImages.schema().block).unwrap();
        let json = crate::framework::val::to_json(&v);
        assert_eq!(json["image_ids"][0]["image_tag"], serde_json::Value::Null);
        assert_eq!(json["image_ids"][1]["image_tag"], "v1");
        assert_eq!(json["images"][1]["image_pushed_at"], "1970-01-01T00:00:02Z");
        assert_eq!(json["images"][0]["repository_name"], "app");
    }
}
