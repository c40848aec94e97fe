//! `moved` from hashicorp/aws's `aws_ecr_repository` (`crate::moves` has the translation).

use super::{Encryption, ExclusionFilter, Model, Scanning};
use crate::framework::{hints, Val};
use crate::shared::timeouts::Timeouts;

/// Hint kind: which blocks saying only what AWS does by default the configuration writes out,
/// recorded at validate (keyed by repository name) for a move in the same Terraform command.
pub(super) const MOVED_SHAPE_HINT: &str = "moved-shape-repository";

/// Records the configuration's default-only blocks (`scan_on_push = false`; `AES256` without a
/// key), which hashicorp/aws's state cannot tell from absent ones.
pub(super) fn record_default_blocks(c: &Model) {
    let Some(name) = c.name.str() else { return };
    let scan_off = c
        .image_scanning_configuration
        .items()
        .first()
        .is_some_and(|s| s.scan_on_push.known() == Some(&false));
    let aes = c.encryption_configuration.items().first().is_some_and(|e| {
        e.encryption_type.str().is_none_or(|t| t == "AES256") && e.kms_key.is_null()
    });
    if scan_off || aes {
        let shape = format!(
            "{}{}",
            if scan_off { "scan-off " } else { "" },
            if aes { "aes256" } else { "" }
        );
        hints::record(MOVED_SHAPE_HINT, name, Some(shape.trim()));
    }
}

/// This type's state for hashicorp/aws's `aws_ecr_repository` state `src`; `provider_region`
/// fills a 5.x state's missing region.
pub fn moved_from_aws(
    src: &crate::moves::Source<'_>,
    provider_region: Option<&str>,
) -> Result<Model, crate::moves::MoveError> {
    let r = crate::moves::repository::from_aws(src)?;
    let shape = hints::lookup(MOVED_SHAPE_HINT, &r.name).unwrap_or_default();
    let scanning = match r.scan_on_push {
        Some(on) => vec![Scanning {
            scan_on_push: Val::Known(on),
        }],
        None if shape.contains("scan-off") => vec![Scanning {
            scan_on_push: Val::Known(false),
        }],
        None => vec![],
    };
    let encryption = match r.encryption {
        Some(e) => vec![Encryption {
            encryption_type: Val::of(e.encryption_type),
            kms_key: e.kms_key.into(),
        }],
        None if shape.contains("aes256") => vec![Encryption {
            encryption_type: Val::of("AES256"),
            kms_key: Val::Null,
        }],
        None => vec![],
    };
    Ok(Model {
        id: Val::of(r.name.clone()),
        name: Val::of(r.name),
        arn: r.arn.into(),
        registry_id: r.registry_id.into(),
        repository_url: r.repository_url.into(),
        image_tag_mutability: Val::of(r.image_tag_mutability),
        image_tag_mutability_exclusion_filter: Val::Known(
            r.exclusion_filters
                .into_iter()
                .map(|(filter, filter_type)| ExclusionFilter {
                    filter: Val::of(filter),
                    filter_type: Val::of(filter_type),
                })
                .collect(),
        ),
        image_scanning_configuration: Val::Known(scanning),
        encryption_configuration: Val::Known(encryption),
        tags: if r.tags.is_empty() {
            Val::Null
        } else {
            Val::Known(r.tags)
        },
        tags_all: Val::Known(r.tags_all),
        force_delete: Val::Known(r.force_delete),
        posture_ignore: Val::Null,
        region: r.region.or(provider_region.map(str::to_string)).into(),
        timeouts: match r.delete_timeout {
            Some(d) => Val::Known(Timeouts { delete: Val::of(d) }),
            None => Val::Null,
        },
    })
}
