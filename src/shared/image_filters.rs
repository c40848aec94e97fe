//! What the lookup data sources share (`ecr_image`, `ecr_images`, `ecr_public_images`,
//! `ecr_repository`): the filter arguments of `ecr_images` and
//! `ecr_public_images` (schema, plan-time validation, the `lookup::Query` they make), the
//! `images` list they return, and the repository-not-found error.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::framework::{validate, AttrPath, Attribute, Block, Diagnostics, Val};
use crate::lookup::syntax::{format_time, parse_time, pattern_warning};
use crate::lookup::{ImageInfo, Query, TagStatus};
use crate::protocol::cty::Type;

/// The filter arguments of a model, borrowed.
pub struct Filters<'a> {
    pub tag_status: &'a Val<String>,
    pub tag_pattern: &'a Val<String>,
    pub pushed_after: &'a Val<String>,
    pub most_recent_first: &'a Val<bool>,
    pub limit: &'a Val<i64>,
}

/// Adds the filter arguments to `block`; `server_side` says whether AWS applies `tag_status`.
pub fn filter_attrs(block: Block, server_side: bool) -> Block {
    let where_ = if server_side {
        "Sent to DescribeImages as `filter.tagStatus`."
    } else {
        "Applied by the provider (ECR Public's DescribeImages has no filter)."
    };
    block
        .attr(Attribute::string("tag_status").optional().description(format!("`TAGGED`, `UNTAGGED` or `ANY` (default). {where_}")))
        .attr(Attribute::string("tag_pattern").optional().description("Keep images with a tag matching this wildcard pattern, with the lifecycle-policy syntax and matcher: `*` matches any run of characters (none included), everything else is literal, and the whole tag must match (`v*` matches `v1.2` but not `dev-v1`). Only matching tags are listed in `image_ids`; `images` shows every tag of the kept images. With `tag_status = \"UNTAGGED\"` it keeps nothing (a warning)."))
        .attr(Attribute::string("pushed_after").optional().description("Keep images pushed strictly after this RFC 3339 time (`2026-01-31T00:00:00Z`)."))
        .attr(Attribute::bool("most_recent_first").optional().description("Order by push time, newest first. Default `false`: oldest first. Images pushed at the same time are ordered by digest, so the order is the same on every read."))
        .attr(Attribute::number("limit").optional().description("Keep at most this many images (at least 1), taken after ordering: with `most_recent_first = true`, the newest ones."))
}

/// Plan-time checks of the filter arguments (unknown values are skipped).
pub fn validate_filters(f: &Filters<'_>, diags: &mut Diagnostics) {
    validate::check(
        diags,
        &AttrPath::attr("tag_status"),
        f.tag_status,
        &[&validate::OneOf(TagStatus::NAMES)],
    );
    if let Some(p) = f.tag_pattern.str() {
        let path = AttrPath::attr("tag_pattern");
        // Both are warnings: the read can run, it just keeps nothing (docs/design/validation.md).
        if p.is_empty() {
            diags.attr_warning(
                path,
                "tag_pattern matches no tag",
                "An empty tag_pattern matches no tag, so no image is kept; omit it to keep images with any tag.",
            );
        } else if let Some(w) = pattern_warning(p) {
            diags.attr_warning(path, "tag_pattern matches no tag", w);
        }
        if f.tag_status.str() == Some("UNTAGGED") {
            diags.attr_warning(
                AttrPath::attr("tag_status"),
                "Conflicting tag_status and tag_pattern",
                "tag_status = \"UNTAGGED\" keeps only images without tags, and tag_pattern only images with a matching tag: together they keep nothing. Remove one of them.",
            );
        }
    }
    if let Some(s) = f.pushed_after.str() {
        if let Err(e) = parse_time(s) {
            diags.attr_error(
                AttrPath::attr("pushed_after"),
                "Invalid pushed_after",
                format!(
                    "pushed_after {s:?} is not an RFC 3339 time such as 2026-01-31T00:00:00Z: {e}."
                ),
            );
        }
    }
    if let Some(n) = f.limit.known() {
        if *n < 1 {
            diags.attr_error(
                AttrPath::attr("limit"),
                "Invalid limit",
                format!("limit must be at least 1; got {n}. Omit it to keep every image."),
            );
        }
    }
}

/// The query the (validated, known) filter arguments describe.
pub fn query(f: &Filters<'_>) -> Query {
    Query {
        tag_status: f
            .tag_status
            .str()
            .and_then(TagStatus::parse)
            .unwrap_or_default(),
        tag_pattern: f.tag_pattern.str().map(str::to_string),
        pushed_after: f.pushed_after.str().and_then(|s| parse_time(s).ok()),
        newest_first: f.most_recent_first.or(false),
        limit: f.limit.known().map(|n| (*n).max(1) as usize),
    }
}

/// The repository-not-found error of a lookup, pointing at the attribute `path` naming it.
pub fn repository_not_found(
    diags: &mut Diagnostics,
    path: &str,
    repo: &str,
    registry: Option<&str>,
    aws: &str,
) {
    let whose = registry
        .map(|r| format!(" in registry {r}"))
        .unwrap_or_default();
    diags.attr_error(
        AttrPath::attr(path),
        format!("ECR repository {repo:?} not found{whose}"),
        aws.to_string(),
    );
}

/// One image in `images`.
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct ImageItem {
    pub image_digest: String,
    pub image_tags: Vec<String>,
    pub image_pushed_at: Option<String>,
    pub image_size_in_bytes: Option<i64>,
    pub image_manifest_media_type: Option<String>,
    pub artifact_media_type: Option<String>,
    pub registry_id: Option<String>,
    pub repository_name: String,
    /// Private ECR only (not in `public_item_type`).
    pub image_status: Option<String>,
    /// Private ECR only (not in `public_item_type`).
    pub last_recorded_pull_time: Option<String>,
}

impl ImageItem {
    pub fn new(i: &ImageInfo, repository: &str) -> ImageItem {
        ImageItem {
            image_digest: i.digest.clone(),
            image_tags: i.tags.clone(),
            image_pushed_at: i.pushed_at.map(format_time),
            image_size_in_bytes: i.size_bytes,
            image_manifest_media_type: i.manifest_media_type.clone(),
            artifact_media_type: i.artifact_media_type.clone(),
            registry_id: i.registry_id.clone(),
            repository_name: repository.to_string(),
            image_status: i.status.clone(),
            last_recorded_pull_time: i.last_pulled_at.map(format_time),
        }
    }
}

/// The element type of `ecr_public_images.images` (hashicorp/aws's `aws_ecrpublic_images`).
pub fn public_item_type() -> Type {
    Type::Object(item_fields(false))
}

/// The element type of `ecr_images.images`: the public one plus `image_status` and
/// `last_recorded_pull_time`.
pub fn private_item_type() -> Type {
    Type::Object(item_fields(true))
}

fn item_fields(private: bool) -> BTreeMap<String, Type> {
    let s = |n: &str| (n.to_string(), Type::String);
    let mut m: BTreeMap<String, Type> = [
        s("image_digest"),
        ("image_tags".to_string(), Type::List(Box::new(Type::String))),
        s("image_pushed_at"),
        ("image_size_in_bytes".to_string(), Type::Number),
        s("image_manifest_media_type"),
        s("artifact_media_type"),
        s("registry_id"),
        s("repository_name"),
    ]
    .into_iter()
    .collect();
    if private {
        m.extend([s("image_status"), s("last_recorded_pull_time")]);
    }
    m
}

/// The description of `images`' fields common to both data sources.
pub const ITEM_FIELDS_DOC: &str = "`image_digest`, `image_tags` (sorted; empty for an untagged image), `image_pushed_at` (RFC 3339, whole seconds), `image_size_in_bytes`, `image_manifest_media_type`, `artifact_media_type`, `registry_id` and `repository_name`";

#[cfg(test)]
mod tests {
    use super::*;

    fn filters<'a>(
        s: &'a Val<String>,
        p: &'a Val<String>,
        a: &'a Val<String>,
        m: &'a Val<bool>,
        l: &'a Val<i64>,
    ) -> Filters<'a> {
        Filters {
            tag_status: s,
            tag_pattern: p,
            pushed_after: a,
            most_recent_first: m,
            limit: l,
        }
    }

    fn paths(d: &Diagnostics) -> Vec<String> {
        d.0.iter()
            .filter_map(|x| x.attribute.as_ref().map(ToString::to_string))
            .collect()
    }

    #[test]
    fn each_bad_argument_is_named() {
        let (s, p, a, m, l) = (
            Val::of("tagged"),
            Val::of(""),
            Val::of("last week"),
            Val::Null,
            Val::Known(0),
        );
        let mut d = Diagnostics::new();
        validate_filters(&filters(&s, &p, &a, &m, &l), &mut d);
        assert_eq!(
            paths(&d),
            ["tag_status", "tag_pattern", "pushed_after", "limit"]
        );
        assert!(d.has_errors());
    }

    #[test]
    fn untagged_with_a_pattern_conflicts_and_odd_patterns_warn() {
        let (s, p, a, m, l) = (
            Val::of("UNTAGGED"),
            Val::of("v/*"),
            Val::Null,
            Val::Null,
            Val::Null,
        );
        let mut d = Diagnostics::new();
        validate_filters(&filters(&s, &p, &a, &m, &l), &mut d);
        assert_eq!(paths(&d), ["tag_pattern", "tag_status"]);
        assert!(
            !d.has_errors(),
            "both only warn: the read runs and keeps nothing"
        );
    }

    #[test]
    fn unknown_and_null_values_pass_and_make_the_default_query() {
        let (s, p, a, m, l) = (
            Val::Unknown,
            Val::Unknown,
            Val::Unknown,
            Val::Unknown,
            Val::Unknown,
        );
        let mut d = Diagnostics::new();
        validate_filters(&filters(&s, &p, &a, &m, &l), &mut d);
        assert!(d.0.is_empty());
        let nulls = (Val::Null, Val::Null, Val::Null, Val::Null, Val::Null);
        assert_eq!(
            query(&filters(&nulls.0, &nulls.1, &nulls.2, &nulls.3, &nulls.4)),
            Query::default()
        );
    }

    #[test]
    fn arguments_make_the_query() {
        let (s, p, a, m, l) = (
            Val::of("TAGGED"),
            Val::of("v*"),
            Val::of("2026-01-01T00:00:00Z"),
            Val::Known(true),
            Val::Known(3),
        );
        let q = query(&filters(&s, &p, &a, &m, &l));
        assert_eq!(q.tag_status, TagStatus::Tagged);
        assert_eq!(q.pushed_after.unwrap().secs, 1_767_225_600);
        assert!(q.newest_first);
        assert_eq!((q.tag_pattern.as_deref(), q.limit), (Some("v*"), Some(3)));
    }

    #[test]
    fn item_types_differ_by_the_private_fields() {
        let (Type::Object(public), Type::Object(private)) =
            (public_item_type(), private_item_type())
        else {
            panic!()
        };
        let extra: Vec<&String> = private
            .keys()
            .filter(|k| !public.contains_key(*k))
            .collect();
        assert_eq!(extra, ["image_status", "last_recorded_pull_time"]);
    }
}
