//! `ecr_lifecycle_preview`: which images of a repository a lifecycle policy would expire or
//! transition now, evaluated locally ([`crate::lifecycle::evaluate`]) over the repository's
//! images (DescribeImages, every status, all pages).
//!
//! Unlike StartLifecyclePolicyPreview this needs no polling, works for a policy that is not
//! applied yet, and is reproducible with a fixed `now`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::aws::images::{lifecycle_image, ImageQuery, ImagesError};
use crate::aws::AwsClients;
use crate::framework::{
    validate, AttrPath, Attribute, Block, Ctx, DataSource, Diagnostics, Schema, Val,
};
use crate::lifecycle::{self, Acted};
use crate::protocol::cty::Type;
use crate::shared::lifecycle_rules::check_policy_text;
use crate::shared::region;
use crate::shared::validators::RepositoryName;
use crate::timestamp::{format_rfc3339, now_secs, parse_rfc3339};

pub struct EcrLifecyclePreview;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Model {
    pub repository: Val<String>,
    pub policy: Val<String>,
    pub now: Val<String>,
    pub images: Val<Vec<PreviewImage>>,
    pub expiring_count: Val<i64>,
    pub transitioning_count: Val<i64>,
    pub bytes_reclaimed: Val<i64>,
    pub region: Val<String>,
}

/// One image the policy acts on.
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct PreviewImage {
    pub image_digest: String,
    pub image_tags: Vec<String>,
    pub action: String,
    pub target_storage_class: Option<String>,
    pub rule_priority: i64,
}

fn image_type() -> Type {
    let attrs: BTreeMap<String, Type> = [
        ("image_digest", Type::String),
        ("image_tags", Type::List(Box::new(Type::String))),
        ("action", Type::String),
        ("target_storage_class", Type::String),
        ("rule_priority", Type::Number),
    ]
    .into_iter()
    .map(|(k, t)| (k.to_string(), t))
    .collect();
    Type::Object(attrs)
}

impl From<&Acted> for PreviewImage {
    fn from(a: &Acted) -> Self {
        PreviewImage {
            image_digest: a.digest.clone(),
            image_tags: a.tags.clone(),
            action: a.action.as_str().to_string(),
            target_storage_class: a.target_storage_class.map(|c| c.as_str().to_string()),
            rule_priority: a.rule_priority,
        }
    }
}

#[async_trait::async_trait]
impl DataSource for EcrLifecyclePreview {
    type Model = Model;
    type Provider = AwsClients;

    fn type_name(&self) -> &'static str {
        "ecr_lifecycle_preview"
    }

    fn docs(&self) -> crate::framework::Docs {
        crate::framework::Docs {
            notes: r#"## Usage notes

Without `policy`, the repository's current lifecycle policy is previewed:

```terraform
data "ecr_lifecycle_preview" "current" {
  repository = "my-org/app"
}
```

When the repository is created in the same configuration, add
`depends_on = [ecr_repository.app]` so the preview is read after it exists."#
                .into(),
            ..Default::default()
        }
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new("Previews a lifecycle policy: the images of a repository it would expire or transition to the archive **now**, with the rule that claims each image and the bytes reclaimed.\n\nThe policy is evaluated locally, following ECR's documented rules (priorities, protection by higher rules' tag filters, counting of protected images by lower `imageCountMoreThan` rules, anchored wildcards, AND across tag list entries, strict \"older than\", storage classes), over the images `DescribeImages` returns (all statuses, all pages). Unlike ECR's own `StartLifecyclePolicyPreview`, it needs no polling, works for a policy that is not applied yet, and gives reproducible results with a fixed `now`. Not modelled: images referenced by a manifest list (ECR skips them until the list goes), and ECR's delay of up to 24 hours before it acts. Images being restored from the archive (`ACTIVATING`) are left out.")
                .attr(region::data_source_attribute())
                .attr(Attribute::string("repository").required().description("Name of the repository whose images are evaluated."))
                .attr(Attribute::string("policy").optional().description("Policy JSON to evaluate (for example `ecr_lifecycle_policy.x.policy_json` or `data.ecr_lifecycle_policy_document.x.json`), validated like `ecr_lifecycle_policy.policy`. Default: the repository's current lifecycle policy (an error if it has none)."))
                .attr(Attribute::string("now").optional().computed().description("Evaluation time, RFC 3339 (`2026-01-31T00:00:00Z`), for reproducible results. Default: the time of the read, which this attribute then holds."))
                .attr(
                    Attribute::new("images", Type::List(Box::new(image_type())))
                        .computed()
                        .description("The images the policy acts on, oldest first: `image_digest`, `image_tags`, `action` (`expire` or `transition`), `target_storage_class` (`archive` for transitions, else null) and `rule_priority` (the rule that claimed the image). `image_tags` is empty for untagged images."),
                )
                .attr(Attribute::number("expiring_count").computed().description("Number of images that would be expired."))
                .attr(Attribute::number("transitioning_count").computed().description("Number of images that would be transitioned to the archive."))
                .attr(Attribute::number("bytes_reclaimed").computed().description("Total size of the images that would be expired (`imageSizeInBytes`)."))
        )
    }

    fn validate(&self, c: &Model, diags: &mut Diagnostics) {
        region::validate(&c.region, diags);
        let repo = AttrPath::attr("repository");
        validate::check(diags, &repo, &c.repository, &[&RepositoryName]);
        check_policy_text(&c.policy, &AttrPath::attr("policy"), diags);
        if let Some(now) = c.now.str() {
            if let Err(e) = parse_rfc3339(now) {
                diags.attr_error(
                    AttrPath::attr("now"),
                    "Invalid now",
                    format!(
                        "now {now:?} is not an RFC 3339 time such as 2026-01-31T00:00:00Z: {e}."
                    ),
                );
            }
        }
    }

    async fn read(
        &self,
        ctx: &Ctx<AwsClients>,
        mut c: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let aws = &ctx.provider.in_region(c.region.str());
        region::read(&mut c.region, &aws.region);
        let repo = c.repository.str().unwrap_or_default().to_string();
        let now = match c.now.str() {
            Some(s) => parse_rfc3339(s).ok()?,
            None => now_secs(),
        };
        let text = match c.policy.str() {
            Some(t) => t.to_string(),
            None => match aws.lifecycle_policies.get(&repo).await {
                Ok(Some(remote)) => remote.text,
                Ok(None) => {
                    diags.attr_error(
                        AttrPath::attr("repository"),
                        format!("No lifecycle policy to preview for {repo:?}"),
                        "The repository does not exist or has no lifecycle policy. Set `policy` to preview one before applying it.",
                    );
                    return None;
                }
                Err(e) => {
                    diags.error(
                        format!("Reading the lifecycle policy of {repo:?} failed"),
                        e,
                    );
                    return None;
                }
            },
        };
        let policy = match lifecycle::parse_policy(&text) {
            Ok(p) => p,
            Err(findings) => {
                let what = if c.policy.is_known() {
                    "The policy"
                } else {
                    "The repository's current lifecycle policy"
                };
                let list: Vec<String> = findings.iter().map(ToString::to_string).collect();
                diags.attr_error(
                    AttrPath::attr("policy"),
                    "Cannot read the lifecycle policy",
                    format!(
                        "{what} is not a readable lifecycle policy:\n{}",
                        list.join("\n")
                    ),
                );
                return None;
            }
        };
        let details = match ImageQuery::new(&repo).all(&aws.ecr).await {
            Ok((d, _)) => d,
            Err(ImagesError::RepositoryNotFound(e)) => {
                diags.attr_error(
                    AttrPath::attr("repository"),
                    format!("ECR repository {repo:?} not found"),
                    e,
                );
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
        let images: Vec<_> = details.iter().filter_map(lifecycle_image).collect();
        let p = lifecycle::preview(&policy, &images, now);
        Some(Model {
            now: Val::of(
                c.now
                    .str()
                    .map(str::to_string)
                    .unwrap_or_else(|| format_rfc3339(now)),
            ),
            images: Val::Known(p.acted.iter().map(PreviewImage::from).collect()),
            expiring_count: Val::Known(p.expiring as i64),
            transitioning_count: Val::Known(p.transitioning as i64),
            bytes_reclaimed: Val::Known(p.bytes_reclaimed),
            ..c
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::val::encode_model;
    use crate::lifecycle::Image;

    #[test]
    fn acted_images_encode_with_the_schema() {
        let policy = lifecycle::parse_policy(r#"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}},{"rulePriority":2,"selection":{"tagStatus":"any","countType":"sinceImagePushed","countUnit":"days","countNumber":7},"action":{"type":"expire"}}]}"#).unwrap();
        let day = 86_400;
        let imgs = vec![
            Image::new("sha256:new", &["v2"], 10 * day),
            Image::new("sha256:old", &["v1"], day),
            Image::new("sha256:untagged", &[], 2 * day),
        ];
        let p = lifecycle::preview(&policy, &imgs, 10 * day);
        let m = Model {
            repository: Val::of("app"),
            images: Val::Known(p.acted.iter().map(PreviewImage::from).collect()),
            ..Default::default()
        };
        assert_eq!(m.images.items()[0].image_digest, "sha256:old");
        assert_eq!(m.images.items()[0].action, "expire");
        assert!(encode_model(&m, &EcrLifecyclePreview.schema().block).is_ok());
    }

    #[test]
    fn validation() {
        let mut d = Diagnostics::new();
        let m = Model {
            repository: Val::of("app"),
            now: Val::of("yesterday"),
            policy: Val::of("{"),
            ..Default::default()
        };
        EcrLifecyclePreview.validate(&m, &mut d);
        let paths: Vec<String> =
            d.0.iter()
                .filter_map(|x| x.attribute.as_ref().map(ToString::to_string))
                .collect();
        assert_eq!(paths, ["policy", "now"]);
    }
}
