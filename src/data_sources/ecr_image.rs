//! `ecr_image`: one image of a private repository, by tag, by digest, or the most recently
//! pushed one. By tag or digest it is one DescribeImages call; `most_recent` walks the pages
//! once, holding only the newest image seen.

use serde::{Deserialize, Serialize};

use crate::aws::images::{describe_one, info, newest_active, ImagesError};
use crate::aws::AwsClients;
use crate::framework::{
    validate, AttrPath, Attribute, Block, Ctx, DataSource, Diagnostics, Schema, Val,
};
use crate::image_uri;
use crate::lookup::syntax::{format_time, repository_url};
use crate::lookup::ImageInfo;
use crate::shared::image_filters::repository_not_found;
use crate::shared::region;
use crate::shared::validators::{ImageDigest, ImageTag, RegistryId, RepositoryName};

pub struct EcrImage;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Model {
    pub id: Val<String>,
    pub repository_name: Val<String>,
    pub registry_id: Val<String>,
    pub image_tag: Val<String>,
    pub image_digest: Val<String>,
    pub most_recent: Val<bool>,
    pub image_tags: Val<Vec<String>>,
    pub image_uri: Val<String>,
    pub image_pushed_at: Val<i64>,
    pub image_size_in_bytes: Val<i64>,
    pub image_manifest_media_type: Val<String>,
    pub artifact_media_type: Val<String>,
    pub last_recorded_pull_time: Val<String>,
    pub image_status: Val<String>,
    pub region: Val<String>,
}

const SELECTORS: &str = "image_tag, image_digest or most_recent = true";

/// Plan-time: exactly one of the three selectors. Unknown values may still turn out null or
/// false, so only what is already certain is reported.
fn check_selectors(c: &Model, diags: &mut Diagnostics) {
    let set: Vec<&str> = [
        ("image_tag", c.image_tag.str().is_some()),
        ("image_digest", c.image_digest.str().is_some()),
        ("most_recent", c.most_recent.known() == Some(&true)),
    ]
    .into_iter()
    .filter_map(|(n, on)| on.then_some(n))
    .collect();
    let unknown =
        c.image_tag.is_unknown() || c.image_digest.is_unknown() || c.most_recent.is_unknown();
    if set.len() > 1 {
        for name in &set[1..] {
            diags.attr_error(
                AttrPath::attr(*name),
                format!("Conflicting {} and {name}", set[0]),
                format!(
                    "Set exactly one of {SELECTORS}; {} are {} set.",
                    set.join(" and "),
                    if set.len() == 2 { "both" } else { "all" }
                ),
            );
        }
    } else if set.is_empty() && !unknown {
        let path = if c.most_recent.known() == Some(&false) {
            "most_recent"
        } else {
            "image_tag"
        };
        diags.attr_error(
            AttrPath::attr(path),
            "No image selected",
            format!("Set exactly one of {SELECTORS} to say which image to read."),
        );
    }
}

#[async_trait::async_trait]
impl DataSource for EcrImage {
    type Model = Model;
    type Provider = AwsClients;

    fn type_name(&self) -> &'static str {
        "ecr_image"
    }

    fn docs(&self) -> crate::framework::Docs {
        crate::framework::Docs {
            notes: r#"## Usage notes

Deploy exactly the image that was looked up by pinning its digest:

```terraform
data "ecr_image" "release" {
  repository_name = "my-org/app"
  image_tag       = "v1.2.3"
}

locals {
  image = "${data.ecr_image.release.image_uri}@${data.ecr_image.release.image_digest}"
}
```

`most_recent` picks the image pushed last (not the one tagged `latest`). To pick the newest
image whose tag matches a pattern, use [`ecr_images`](ecr_images.md) with `tag_pattern`,
`most_recent_first = true` and `limit = 1`.

Moving from hashicorp/aws's `aws_ecr_image`: the arguments and attributes have the same names;
`image_tag` and `image_digest` can no longer be combined (set exactly one), and `image_uri` is
`url:tag` when the image is looked up by tag."#
                .into(),
            ..Default::default()
        }
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new("One image of a private ECR repository, by tag, by digest, or the most recently pushed one.\n\nBy tag or digest this is one `DescribeImages` call; a tag or digest the repository does not hold is an error naming it (not an empty result). `most_recent` reads the repository's active images once, 1,000 per call, keeping only the newest.")
                .attr(Attribute::string("id").computed().description("The image digest."))
                .attr(Attribute::string("repository_name").required().description("Name of the repository."))
                .attr(Attribute::string("registry_id").optional().computed().description("Account id (12 digits) of the registry holding the repository, for a repository in another account (its repository policy must allow `ecr:DescribeImages`). Default: the caller's registry, which this attribute then holds."))
                .attr(region::data_source_attribute())
                .attr(Attribute::string("image_tag").optional().description("Tag of the image. Exactly one of `image_tag`, `image_digest` and `most_recent = true` is required."))
                .attr(Attribute::string("image_digest").optional().computed().description("Digest of the image manifest, `sha256:` and 64 lowercase hex digits (checked at plan time). Exactly one of `image_tag`, `image_digest` and `most_recent = true` is required; otherwise this holds the digest of the image found."))
                .attr(Attribute::bool("most_recent").optional().description("Read the image pushed most recently (by `imagePushedAt`; among images pushed at the same instant, the smallest digest), among the repository's active (not archived) images. It is the newest push, not the image tagged `latest`. An empty repository is an error."))
                .attr(Attribute::string_list("image_tags").computed().description("Tags of the image, sorted; empty for an untagged image."))
                .attr(Attribute::string("image_uri").computed().description("What to pull: `<repository_url>:<image_tag>` when looked up by tag, else `<repository_url>@<digest>`."))
                .attr(Attribute::number("image_pushed_at").computed().description("When the image was pushed, unix seconds (as hashicorp/aws)."))
                .attr(Attribute::number("image_size_in_bytes").computed().description("Size of the image as ECR reports it (`imageSizeInBytes`)."))
                .attr(Attribute::string("image_manifest_media_type").computed().description("Media type of the manifest, e.g. `application/vnd.oci.image.manifest.v1+json`."))
                .attr(Attribute::string("artifact_media_type").computed().description("Media type of the artifact (the config's), e.g. `application/vnd.oci.image.config.v1+json`."))
                .attr(Attribute::string("last_recorded_pull_time").computed().description("When the image was last pulled as ECR recorded it (RFC 3339), null if never."))
                .attr(Attribute::string("image_status").computed().description("`ACTIVE`, `ARCHIVED` (in the archive storage class: cannot be pulled until restored) or `ACTIVATING` (being restored).")),
        )
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
            &AttrPath::attr("image_tag"),
            &c.image_tag,
            &[&ImageTag],
        );
        validate::check(
            diags,
            &AttrPath::attr("image_digest"),
            &c.image_digest,
            &[&ImageDigest],
        );
        check_selectors(c, diags);
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
        let tag = c.image_tag.str();
        let digest = c.image_digest.str();
        let found = if tag.is_some() || digest.is_some() {
            match describe_one(&aws.ecr, &repo, registry, tag, digest).await {
                Ok(d) => info(&d),
                Err(ImagesError::ImageNotFound(t)) => {
                    let (path, what) = match (tag, digest) {
                        (Some(t), _) => ("image_tag", format!("tag {t:?}")),
                        (None, d) => (
                            "image_digest",
                            format!("digest {:?}", d.unwrap_or_default()),
                        ),
                    };
                    diags.attr_error(
                        AttrPath::attr(path),
                        format!("No image with {what} in {repo:?}"),
                        format!("ECR repository {repo:?} holds no image with {what}.\n\n{t}"),
                    );
                    return None;
                }
                Err(ImagesError::RepositoryNotFound(t)) => {
                    repository_not_found(diags, "repository_name", &repo, registry, &t);
                    return None;
                }
                Err(ImagesError::Other(t)) => {
                    diags.error(format!("Reading an image of {repo:?} failed"), t);
                    return None;
                }
            }
        } else {
            let newest = match newest_active(&aws.ecr, &repo, registry).await {
                Ok((newest, pages)) => {
                    tracing::debug!(repository = %repo, calls = pages.calls, "walked images for most_recent");
                    newest
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
            };
            match newest {
                Some(i) => i,
                None => {
                    diags.attr_error(
                        AttrPath::attr("most_recent"),
                        format!("No image in {repo:?}"),
                        format!("ECR repository {repo:?} holds no active image, so there is no most recent one."),
                    );
                    return None;
                }
            }
        };
        Some(state(c, found, &aws.region, aws.account_id.as_deref()))
    }
}

/// The state for the image found.
fn state(c: Model, i: ImageInfo, region: &str, account: Option<&str>) -> Model {
    let registry = i
        .registry_id
        .clone()
        .or_else(|| c.registry_id.str().map(str::to_string))
        .or_else(|| account.map(str::to_string));
    let repo = c.repository_name.str().unwrap_or_default().to_string();
    // By tag `url:tag`, else `url@digest`; a tag or digest AWS reported builds (the domain
    // refuses only what ECR cannot hold), so a failure leaves the attribute null.
    let uri = registry.as_deref().and_then(|r| {
        let url = repository_url(r, region, &repo);
        image_uri::build(&url, c.image_tag.str().unwrap_or(&i.digest)).ok()
    });
    Model {
        id: Val::of(i.digest.clone()),
        registry_id: registry.into(),
        image_digest: Val::of(i.digest.clone()),
        image_tags: Val::Known(i.tags.clone()),
        image_uri: uri.into(),
        image_pushed_at: i.pushed_at.map(|t| t.secs).into(),
        image_size_in_bytes: i.size_bytes.into(),
        image_manifest_media_type: i.manifest_media_type.clone().into(),
        artifact_media_type: i.artifact_media_type.clone().into(),
        last_recorded_pull_time: i.last_pulled_at.map(format_time).into(),
        image_status: i.status.clone().into(),
        ..c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn errors(m: &Model) -> Vec<(String, String)> {
        let mut d = Diagnostics::new();
        EcrImage.validate(m, &mut d);
        d.0.iter()
            .map(|x| {
                (
                    x.attribute
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                    x.summary.clone(),
                )
            })
            .collect()
    }

    fn model(tag: Val<String>, digest: Val<String>, most_recent: Val<bool>) -> Model {
        Model {
            repository_name: Val::of("app"),
            image_tag: tag,
            image_digest: digest,
            most_recent,
            ..Default::default()
        }
    }

    #[test]
    fn exactly_one_selector() {
        assert!(errors(&model(Val::of("v1"), Val::Null, Val::Null)).is_empty());
        assert!(errors(&model(Val::Null, Val::of(D), Val::Null)).is_empty());
        assert!(errors(&model(Val::Null, Val::Null, Val::Known(true))).is_empty());
        assert_eq!(
            errors(&model(Val::of("v1"), Val::of(D), Val::Null)),
            [(
                "image_digest".to_string(),
                "Conflicting image_tag and image_digest".to_string()
            )]
        );
        let all = errors(&model(Val::of("v1"), Val::of(D), Val::Known(true)));
        assert_eq!(
            all.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
            ["image_digest", "most_recent"]
        );
        assert_eq!(
            errors(&model(Val::Null, Val::Null, Val::Null))[0].1,
            "No image selected"
        );
        // most_recent = false selects nothing.
        assert_eq!(
            errors(&model(Val::Null, Val::Null, Val::Known(false)))[0].0,
            "most_recent"
        );
        // An unknown selector may still be the one: nothing to say yet.
        assert!(errors(&model(Val::Unknown, Val::Null, Val::Null)).is_empty());
        assert!(errors(&model(Val::Null, Val::Null, Val::Unknown)).is_empty());
        // ... but two known ones already conflict.
        assert_eq!(
            errors(&model(Val::of("v1"), Val::Unknown, Val::Known(true))).len(),
            1
        );
    }

    #[test]
    fn digest_tag_and_registry_syntax_point_at_their_attribute() {
        let m = Model {
            registry_id: Val::of("12"),
            ..model(Val::Null, Val::of("sha256:abc"), Val::Null)
        };
        let e = errors(&m);
        assert_eq!(
            e.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
            ["registry_id", "image_digest"]
        );
        assert_eq!(
            errors(&model(Val::of(""), Val::Null, Val::Null))[0].0,
            "image_tag"
        );
    }

    #[test]
    fn state_builds_the_uri_by_how_the_image_was_asked_for() {
        let mut i = ImageInfo::new(D, &["v1", "latest"], 1_700_000_000);
        i.registry_id = Some("210987654321".into());
        i.last_pulled_at = Some(crate::lookup::Stamp::from_secs(1_700_000_100));
        let by_tag = state(
            model(Val::of("v1"), Val::Null, Val::Null),
            i.clone(),
            "eu-west-1",
            Some("123456789012"),
        );
        assert_eq!(
            by_tag.image_uri.str(),
            Some("210987654321.dkr.ecr.eu-west-1.amazonaws.com/app:v1")
        );
        assert_eq!(by_tag.registry_id.str(), Some("210987654321"));
        assert_eq!(by_tag.image_pushed_at.known(), Some(&1_700_000_000));
        assert_eq!(
            by_tag.last_recorded_pull_time.str(),
            Some("2023-11-14T22:15:00Z")
        );
        assert_eq!(by_tag.image_tags.known().unwrap(), &["latest", "v1"]);
        let newest = state(
            model(Val::Null, Val::Null, Val::Known(true)),
            i,
            "eu-west-1",
            None,
        );
        assert_eq!(
            newest.image_uri.str(),
            Some(format!("210987654321.dkr.ecr.eu-west-1.amazonaws.com/app@{D}").as_str())
        );
        assert_eq!(newest.image_digest.str(), Some(D));
    }
}
