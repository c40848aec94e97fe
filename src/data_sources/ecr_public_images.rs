//! `ecr_public_images`: the images of an ECR Public repository (us-east-1), every page of
//! DescribeImages or the images named in `image_ids`, filtered and ordered like `ecr_images`.

use serde::{Deserialize, Serialize};

use crate::aws::images::{public_info, walk_public, ImagesError};
use crate::aws::AwsClients;
use crate::framework::validate;
use crate::framework::{
    AttrPath, Attribute, Block, Ctx, DataSource, Diagnostics, NestedBlock, Schema, Val,
};
use crate::shared::image_filters::{
    self, repository_not_found, Filters, ImageItem, ITEM_FIELDS_DOC,
};
use crate::shared::validators::{ImageDigest, ImageTag, PublicRepositoryName, RegistryId};

pub struct EcrPublicImages;

/// `imageIds` of ECR Public's DescribeImages: 1–100 entries (API model).
const MAX_IDS: usize = 100;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Model {
    pub id: Val<String>,
    pub repository_name: Val<String>,
    pub registry_id: Val<String>,
    pub image_ids: Val<Vec<ImageIdFilter>>,
    pub tag_status: Val<String>,
    pub tag_pattern: Val<String>,
    pub pushed_after: Val<String>,
    pub most_recent_first: Val<bool>,
    pub limit: Val<i64>,
    pub images: Val<Vec<ImageItem>>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct ImageIdFilter {
    pub image_tag: Val<String>,
    pub image_digest: Val<String>,
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

fn describe_id(f: &ImageIdFilter) -> String {
    match (f.image_tag.str(), f.image_digest.str()) {
        (Some(t), Some(d)) => format!("tag {t:?} with digest {d:?}"),
        (Some(t), None) => format!("tag {t:?}"),
        (None, Some(d)) => format!("digest {d:?}"),
        (None, None) => "an empty image id".into(),
    }
}

#[async_trait::async_trait]
impl DataSource for EcrPublicImages {
    type Model = Model;
    type Provider = AwsClients;

    fn type_name(&self) -> &'static str {
        "ecr_public_images"
    }

    fn docs(&self) -> crate::framework::Docs {
        crate::framework::Docs {
            notes: r#"## Usage notes

ECR Public lives in us-east-1: this data source reads there whatever the provider's `region`.
Its `DescribeImages` has no filter, so `tag_status`, `tag_pattern` and `pushed_after` are
applied by the provider over one page walk (1,000 images per call).

Moving from hashicorp/aws's `aws_ecrpublic_images`: `repository_name`, `registry_id`, the
`image_ids` block and `images` keep their names and fields; `image_tags` in `images` are
sorted and `images` is ordered (oldest first unless `most_recent_first`)."#
                .into(),
            ..Default::default()
        }
    }

    fn schema(&self) -> Schema {
        let block = Block::new("The images of an Amazon ECR Public repository. ECR Public exists only in us-east-1, so this data source has no `region` argument: it always reads us-east-1, whatever the provider's region. It reads every image, or only those named in `image_ids`, filtered and ordered like [`ecr_images`](ecr_images.md). A tag or digest in `image_ids` that the repository does not hold is an error naming it.")
            .attr(Attribute::string("id").computed().description("The repository name."))
            .attr(Attribute::string("repository_name").required().description("Name of the public repository, 2–205 characters (ECR Public's name pattern)."))
            .attr(Attribute::string("registry_id").optional().description("Account id (12 digits) of the public registry holding the repository. Default: the caller's public registry."))
            .block(
                NestedBlock::list(
                    "image_ids",
                    Block::new("Read only these images (at most 100, one DescribeImages call). Each names an image by tag, by digest, or both.")
                        .attr(Attribute::string("image_tag").optional().description("Image tag."))
                        .attr(Attribute::string("image_digest").optional().description("Image digest, `sha256:` and 64 lowercase hex digits.")),
                )
                .max(MAX_IDS as i64),
            );
        let block = image_filters::filter_attrs(block, false).attr(
            Attribute::new(
                "images",
                crate::protocol::cty::Type::List(Box::new(image_filters::public_item_type())),
            )
            .computed()
            .description(format!("The images kept, in order: {ITEM_FIELDS_DOC}.")),
        );
        Schema::new(0, block)
    }

    fn validate(&self, c: &Model, diags: &mut Diagnostics) {
        validate::check(
            diags,
            &AttrPath::attr("repository_name"),
            &c.repository_name,
            &[&PublicRepositoryName],
        );
        validate::check(
            diags,
            &AttrPath::attr("registry_id"),
            &c.registry_id,
            &[&RegistryId],
        );
        for (i, f) in c.image_ids.items().iter().enumerate() {
            let at = AttrPath::attr("image_ids").then_index(i);
            if f.image_tag.is_null() && f.image_digest.is_null() {
                diags.attr_error(
                    at.clone(),
                    "Empty image id",
                    "Each image_ids block needs image_tag, image_digest or both.",
                );
            }
            validate::check(
                diags,
                &at.clone().then_attr("image_tag"),
                &f.image_tag,
                &[&ImageTag],
            );
            validate::check(
                diags,
                &at.then_attr("image_digest"),
                &f.image_digest,
                &[&ImageDigest],
            );
        }
        image_filters::validate_filters(&c.filters(), diags);
    }

    async fn read(
        &self,
        ctx: &Ctx<AwsClients>,
        c: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let repo = c.repository_name.str().unwrap_or_default().to_string();
        let registry = c.registry_id.str();
        let query = image_filters::query(&c.filters());
        let ids: Vec<(Option<String>, Option<String>)> = c
            .image_ids
            .items()
            .iter()
            .map(|f| {
                (
                    f.image_tag.str().map(str::to_string),
                    f.image_digest.str().map(str::to_string),
                )
            })
            .collect();
        let mut kept = Vec::new();
        let walked = walk_public(&ctx.provider.ecr_public, &repo, registry, &ids, |d| {
            let i = public_info(d);
            if query.admits(&i) {
                kept.push(i);
            }
        })
        .await;
        match walked {
            Ok(calls) => {
                tracing::debug!(repository = %repo, calls, kept = kept.len(), "listed public images")
            }
            Err(ImagesError::RepositoryNotFound(t)) => {
                repository_not_found(diags, "repository_name", &repo, registry, &t);
                return None;
            }
            Err(ImagesError::ImageNotFound(t)) => {
                let asked: Vec<String> = c.image_ids.items().iter().map(describe_id).collect();
                let summary = match asked.as_slice() {
                    [one] => format!("No image with {one} in {repo:?}"),
                    _ => format!("An image of image_ids is not in {repo:?}"),
                };
                diags.attr_error(
                    AttrPath::attr("image_ids"),
                    summary,
                    format!("Asked for: {}.\n\n{t}", asked.join("; ")),
                );
                return None;
            }
            Err(ImagesError::Other(t)) => {
                diags.error(
                    format!("Listing the images of public repository {repo:?} failed"),
                    t,
                );
                return None;
            }
        }
        let selected = query.select(kept);
        Some(Model {
            id: Val::of(repo.clone()),
            images: Val::Known(selected.iter().map(|i| ImageItem::new(i, &repo)).collect()),
            ..c
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::val::{encode_model, to_json};
    use crate::lookup::ImageInfo;

    #[test]
    fn validation_points_into_image_ids() {
        let m = Model {
            repository_name: Val::of("my__tool"),
            image_ids: Val::Known(vec![
                ImageIdFilter::default(),
                ImageIdFilter {
                    image_digest: Val::of("sha256:00"),
                    ..Default::default()
                },
            ]),
            ..Default::default()
        };
        let mut d = Diagnostics::new();
        EcrPublicImages.validate(&m, &mut d);
        let paths: Vec<String> =
            d.0.iter()
                .filter_map(|x| x.attribute.as_ref().map(ToString::to_string))
                .collect();
        assert_eq!(
            paths,
            [
                "repository_name",
                "image_ids[0]",
                "image_ids[1].image_digest"
            ]
        );
    }

    #[test]
    fn public_images_have_no_private_fields_in_state() {
        let mut i = ImageInfo::new("sha256:a", &["v1"], 5);
        i.status = Some("ACTIVE".into());
        let m = Model {
            repository_name: Val::of("tool"),
            images: Val::Known(vec![ImageItem::new(&i, "tool")]),
            ..Default::default()
        };
        let j = to_json(&encode_model(&m, &EcrPublicImages.schema().block).unwrap());
        assert!(j["images"][0].get("image_status").is_none(), "{j}");
        assert_eq!(j["images"][0]["image_tags"][0], "v1");
        assert_eq!(j["image_ids"], serde_json::json!([]));
    }

    #[test]
    fn image_ids_are_described_by_what_was_given() {
        let f = ImageIdFilter {
            image_tag: Val::of("v9"),
            ..Default::default()
        };
        assert_eq!(describe_id(&f), "tag \"v9\"");
    }
}
