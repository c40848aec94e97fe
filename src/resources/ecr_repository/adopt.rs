//! CreateRepository answered that the name is taken: adopt the repository only when it is the
//! leftover of an interrupted create (see `common::adoption_verdict`).

use std::collections::BTreeMap;

use aws_sdk_ecr::types::{DescribeImagesFilter, ImageStatusFilter};

use super::remote::{apply_remote, describe_repository, finalize};
use super::{EcrRepository, Model};
use crate::aws::errors;
use crate::aws::tags::TagApi;
use crate::aws::AwsClients;
use crate::framework::{Ctx, Diagnostics};
use crate::resources::common::{adopt_if_leftover, Existing};

impl EcrRepository {
    /// CreateRepository said the name is taken: adopt the repository only if it is what our own
    /// CreateRepository would have made — the leftover of an apply interrupted after AWS created
    /// it (see `common::adoption_verdict`) — otherwise fail with the reasons and the import
    /// command. A leftover matches the plan in every setting, since one call set them all.
    pub(super) async fn adopt(
        &self,
        ctx: &Ctx<AwsClients>,
        plan: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let aws = &ctx.provider.in_region(plan.region.str());
        let name = plan.name.str().unwrap_or_default().to_string();
        let read = async {
            let Some(repo) = describe_repository(aws, &name).await? else {
                return Ok(None);
            };
            let holds_images = holds_images(aws, &name).await?;
            let tags = aws
                .ecr
                .list(repo.repository_arn().unwrap_or_default())
                .await?;
            // What AWS holds, as state would record it.
            let mut current = plan.clone();
            apply_remote(&mut current, &repo, &tags, &aws.default_tags);
            finalize(&mut current, &plan);
            let existing = Existing {
                holds_images,
                created_at: repo.created_at().map(|t| t.secs()),
                mismatches: settings_mismatches(&plan, &current),
            };
            Ok(Some((existing, current)))
        };
        adopt_if_leftover(diags, "ECR repository", "ecr_repository", &name, read).await
    }
}

/// Where the existing repository (`current`, read from AWS) differs from what CreateRepository
/// would have made for `plan`, each as a readable phrase; empty when it is identical.
pub(super) fn settings_mismatches(plan: &Model, current: &Model) -> Vec<String> {
    let mut out = Vec::new();
    let mutability = |m: &Model| {
        m.image_tag_mutability
            .str()
            .unwrap_or("MUTABLE")
            .to_string()
    };
    if mutability(plan) != mutability(current) {
        out.push(format!(
            "image_tag_mutability {} differs from planned {}",
            mutability(current),
            mutability(plan)
        ));
    }
    let filters = |m: &Model| {
        let mut f: Vec<(String, String)> = m
            .image_tag_mutability_exclusion_filter
            .items()
            .iter()
            .map(|f| {
                let t = f.filter_type.str().unwrap_or("WILDCARD");
                (
                    t.to_string(),
                    f.filter.str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        f.sort();
        f
    };
    if filters(plan) != filters(current) {
        out.push("its image tag mutability exclusion filters differ from the planned ones".into());
    }
    let scan = |m: &Model| {
        m.image_scanning_configuration
            .items()
            .first()
            .is_some_and(|s| s.scan_on_push.or(false))
    };
    if scan(plan) != scan(current) {
        out.push(format!(
            "scan_on_push {} differs from planned {}",
            scan(current),
            scan(plan)
        ));
    }
    out.extend(encryption_mismatch(plan, current));
    if let (Some(want), Some(have)) = (plan.tags_all.known(), current.tags_all.known()) {
        if want != have {
            out.push(format!(
                "its tags {} differ from the planned {}",
                show_tags(have),
                show_tags(want)
            ));
        }
    }
    out
}

/// Why the existing repository's encryption (`current`, read back) rules out adopting it for
/// `plan`; `None` when it matches. An unset planned `kms_key` accepts AWS's choice of key.
pub(super) fn encryption_mismatch(plan: &Model, current: &Model) -> Option<String> {
    let enc = |m: &Model| {
        let e = m.encryption_configuration.items().first();
        (
            e.and_then(|e| e.encryption_type.str())
                .unwrap_or("AES256")
                .to_string(),
            e.and_then(|e| e.kms_key.str()).map(str::to_string),
        )
    };
    let ((want_type, want_key), (have_type, have_key)) = (enc(plan), enc(current));
    if want_type != have_type {
        return Some(format!(
            "encryption {have_type} differs from planned {want_type}"
        ));
    }
    let want_key = want_key?;
    let have_key = have_key.unwrap_or_else(|| "(none)".into());
    (want_key != have_key)
        .then(|| format!("encryption KMS key {have_key} differs from planned {want_key}"))
}

fn show_tags(t: &BTreeMap<String, String>) -> String {
    let pairs: Vec<String> = t.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{{{}}}", pairs.join(", "))
}

/// Whether the repository holds any image (any status); one call, one result at most.
async fn holds_images(aws: &AwsClients, name: &str) -> Result<bool, String> {
    let out = aws
        .ecr
        .describe_images()
        .repository_name(name)
        .filter(
            DescribeImagesFilter::builder()
                .image_status(ImageStatusFilter::Any)
                .build(),
        )
        .max_results(1)
        .send()
        .await
        .map_err(|e| format!("DescribeImages: {}", errors::text(&e)))?;
    Ok(!out.image_details().is_empty())
}
