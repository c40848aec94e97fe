//! The per-resource `region` argument (as in hashicorp/aws v6): optional, defaulting to the
//! provider's region, and a change replaces the resource. ECR Public types have none (ECR Public
//! exists only in us-east-1).

use crate::framework::{AttrPath, Attribute, Diagnostics, Val};

/// AWS region names: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`, ...
pub fn is_region_name(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
}

/// The `region` attribute of a resource.
pub fn resource_attribute() -> Attribute {
    Attribute::string("region").optional().computed().description(
        "AWS region the object lives in, e.g. `eu-west-1`; defaults to the provider's `region`. Changing it replaces the object. Import ids take it as a suffix: `<id>@<region>`.",
    )
}

/// The `region` attribute of a data source.
pub fn data_source_attribute() -> Attribute {
    Attribute::string("region")
        .optional()
        .computed()
        .description("AWS region to read from; defaults to the provider's `region`.")
}

/// Refuses a configured region that is not a region name.
pub fn validate(region: &Val<String>, diags: &mut Diagnostics) {
    if let Some(r) = region.str() {
        if !is_region_name(r) {
            diags.attr_error(
                AttrPath::attr("region"),
                "Invalid region",
                format!(
                    "region {r:?} is not an AWS region name (like \"us-east-1\" or \"eu-west-2\")."
                ),
            );
        }
    }
}

/// The planned region: the configured one, else the provider's (when configured), else the
/// prior state's. A change from a known prior region replaces the object (a prior without one
/// is a state written before `region` existed: the object is where the provider pointed).
pub fn plan(
    planned: &mut Val<String>,
    config: &Val<String>,
    prior: Option<&Val<String>>,
    provider_region: Option<&str>,
    requires_replace: &mut Vec<AttrPath>,
) {
    *planned = match (config, provider_region, prior) {
        (Val::Known(_) | Val::Unknown, _, _) => config.clone(),
        (Val::Null, Some(r), _) => Val::of(r),
        (Val::Null, None, Some(p)) if p.is_known() => p.clone(),
        (Val::Null, None, _) => Val::Unknown,
    };
    if let Some(Val::Known(before)) = prior {
        if planned.is_known() && planned.str() != Some(before.as_str()) {
            requires_replace.push(AttrPath::attr("region"));
        }
    }
}

/// An import id with hashicorp/aws v6's optional region suffix, `<id>@<region>`, split into the
/// id and the region. An `@` followed by anything but a region name stays in the id (IAM user
/// and role names may hold `@`).
pub fn split_import_id(id: &str) -> (&str, Option<&str>) {
    match id.rsplit_once('@') {
        Some((rest, r)) if is_region_name(r) => (rest, Some(r)),
        _ => (id, None),
    }
}

/// The region state records for an object read through clients of `client_region`.
pub fn read(state: &mut Val<String>, client_region: &str) {
    if !state.is_known() {
        *state = Val::of(client_region);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names() {
        for ok in [
            "us-east-1",
            "eu-central-2",
            "us-gov-west-1",
            "cn-north-1",
            "ap-southeast-5",
        ] {
            assert!(is_region_name(ok), "{ok}");
        }
        for bad in [
            "",
            "us-east",
            "US-EAST-1",
            "us_east_1",
            "useast1",
            "us-east-1a",
            "-us-east-1",
        ] {
            assert!(!is_region_name(bad), "{bad}");
        }
        let mut d = Diagnostics::new();
        validate(&Val::of("eu-west"), &mut d);
        assert_eq!(d.0[0].attribute, Some(AttrPath::attr("region")));
    }

    #[test]
    fn import_ids_split_off_a_region_suffix() {
        assert_eq!(
            split_import_id("123456789012@eu-west-1"),
            ("123456789012", Some("eu-west-1"))
        );
        assert_eq!(split_import_id("BLOB_MOUNTING"), ("BLOB_MOUNTING", None));
        assert_eq!(
            split_import_id("arn:aws:iam::123456789012:user/a@b.com"),
            ("arn:aws:iam::123456789012:user/a@b.com", None)
        );
        assert_eq!(
            split_import_id("arn:aws:iam::123456789012:user/a@b@us-west-2"),
            ("arn:aws:iam::123456789012:user/a@b", Some("us-west-2"))
        );
    }

    #[test]
    fn planned_region_and_replacement() {
        let plan_of = |config: Val<String>, prior: Option<Val<String>>, provider: Option<&str>| {
            let mut planned = Val::Null;
            let mut replace = vec![];
            plan(
                &mut planned,
                &config,
                prior.as_ref(),
                provider,
                &mut replace,
            );
            (planned, !replace.is_empty())
        };
        // Create: the provider's region, or the configured one.
        assert_eq!(
            plan_of(Val::Null, None, Some("us-east-1")),
            (Val::of("us-east-1"), false)
        );
        assert_eq!(
            plan_of(Val::of("eu-west-1"), None, Some("us-east-1")),
            (Val::of("eu-west-1"), false)
        );
        // Update: same region, no replacement; another one replaces.
        assert_eq!(
            plan_of(Val::Null, Some(Val::of("us-east-1")), Some("us-east-1")),
            (Val::of("us-east-1"), false)
        );
        assert_eq!(
            plan_of(
                Val::of("eu-west-1"),
                Some(Val::of("us-east-1")),
                Some("us-east-1")
            ),
            (Val::of("eu-west-1"), true)
        );
        // A state from before `region` existed takes the provider's without replacement.
        assert_eq!(
            plan_of(Val::Null, Some(Val::Null), Some("us-east-1")),
            (Val::of("us-east-1"), false)
        );
        // Provider not configured yet: keep what state says, else unknown.
        assert_eq!(
            plan_of(Val::Null, Some(Val::of("us-west-2")), None),
            (Val::of("us-west-2"), false)
        );
        assert_eq!(plan_of(Val::Null, None, None), (Val::Unknown, false));
        assert_eq!(
            plan_of(Val::Unknown, Some(Val::of("us-west-2")), None),
            (Val::Unknown, false)
        );
    }
}
