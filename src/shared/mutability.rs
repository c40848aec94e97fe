//! Tag mutability and its exclusion filters, as `ecr_repository` and
//! `ecr_repository_creation_template` declare them (same attribute names, same rules).

use std::sync::LazyLock;

use regex::Regex;

use crate::framework::{validate, AttrPath, Diagnostics, Val};

/// `image_tag_mutability` values.
pub const MUTABILITY: &[&str] = &[
    "MUTABLE",
    "IMMUTABLE",
    "IMMUTABLE_WITH_EXCLUSION",
    "MUTABLE_WITH_EXCLUSION",
];
/// Filters in `image_tag_mutability_exclusion_filter` (`ImageTagMutabilityExclusionFilters`, 1–5).
pub const MAX_FILTERS: usize = 5;
/// `ImageTagMutabilityExclusionFilterValue`: 1–128 of these characters.
static FILTER_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[0-9a-zA-Z._*-]{1,128}$").expect("valid regex"));
/// Wildcards in one filter.
const MAX_WILDCARDS: usize = 2;

/// One exclusion filter as configured.
pub struct FilterRef<'a> {
    pub filter: &'a Val<String>,
    pub filter_type: &'a Val<String>,
}

/// Checks `image_tag_mutability` and its exclusion filters (`filters` is `None` when the list is
/// not known yet).
pub fn check(mutability: &Val<String>, filters: Option<&[FilterRef]>, diags: &mut Diagnostics) {
    let mpath = AttrPath::attr("image_tag_mutability");
    let fpath = AttrPath::attr("image_tag_mutability_exclusion_filter");
    validate::check(diags, &mpath, mutability, &[&validate::OneOf(MUTABILITY)]);
    let list = filters.unwrap_or(&[]);
    if list.len() > MAX_FILTERS {
        diags.attr_error(
            fpath.clone(),
            "Too many exclusion filters",
            format!(
                "At most {MAX_FILTERS} image_tag_mutability_exclusion_filter blocks; got {}.",
                list.len()
            ),
        );
    }
    for (i, f) in list.iter().enumerate() {
        let p = fpath.clone().then_index(i);
        validate::check(diags, &p.clone().then_attr("filter"), f.filter, &[&validate::Matches(&FILTER_RE, "is not a valid tag filter: 1–128 characters of letters, digits, '.', '_', '-' and '*'")]);
        if let Some(s) = f.filter.str() {
            let n = s.matches('*').count();
            if n > MAX_WILDCARDS {
                diags.attr_error(
                    p.clone().then_attr("filter"),
                    "Invalid filter",
                    format!("filter {s:?} has {n} wildcards; ECR allows at most {MAX_WILDCARDS}."),
                );
            }
        }
        validate::check(
            diags,
            &p.then_attr("filter_type"),
            f.filter_type,
            &[&validate::OneOf(&["WILDCARD"])],
        );
    }
    match mutability.str() {
        Some(m) => {
            let with_exclusion = m.ends_with("_WITH_EXCLUSION");
            if !with_exclusion && !list.is_empty() {
                diags.attr_error(fpath, "Exclusion filters need an exclusion mode", format!("image_tag_mutability_exclusion_filter is only allowed with IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION, not {m}."));
            } else if with_exclusion && filters.is_some() && list.is_empty() {
                diags.attr_error(mpath, "Missing exclusion filters", format!("{m} needs at least one image_tag_mutability_exclusion_filter block."));
            }
        }
        None if mutability.is_null() && !list.is_empty() => diags.attr_error(fpath, "Exclusion filters need an exclusion mode", "image_tag_mutability_exclusion_filter needs image_tag_mutability = IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION (the default is MUTABLE)."),
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(m: Val<String>, filters: &[(&str, &str)]) -> Vec<String> {
        let vals: Vec<(Val<String>, Val<String>)> = filters
            .iter()
            .map(|(f, t)| (Val::of(*f), Val::of(*t)))
            .collect();
        let refs: Vec<FilterRef> = vals
            .iter()
            .map(|(f, t)| FilterRef {
                filter: f,
                filter_type: t,
            })
            .collect();
        let mut d = Diagnostics::new();
        check(&m, Some(&refs), &mut d);
        d.0.iter()
            .map(|x| x.attribute.as_ref().unwrap().to_string())
            .collect()
    }

    #[test]
    fn modes_and_filters_go_together() {
        assert!(run(
            Val::of("IMMUTABLE_WITH_EXCLUSION"),
            &[("latest", "WILDCARD")]
        )
        .is_empty());
        assert!(run(Val::of("IMMUTABLE"), &[]).is_empty());
        assert_eq!(
            run(Val::of("IMMUTABLE"), &[("latest", "WILDCARD")]),
            ["image_tag_mutability_exclusion_filter"]
        );
        assert_eq!(
            run(Val::of("MUTABLE_WITH_EXCLUSION"), &[]),
            ["image_tag_mutability"]
        );
        assert_eq!(
            run(Val::Null, &[("latest", "WILDCARD")]),
            ["image_tag_mutability_exclusion_filter"]
        );
        assert_eq!(run(Val::of("SOMETIMES"), &[]), ["image_tag_mutability"]);
        assert_eq!(
            run(
                Val::of("IMMUTABLE_WITH_EXCLUSION"),
                &[("a*b*c*", "WILDCARD"), ("bad tag", "REGEX")]
            ),
            [
                "image_tag_mutability_exclusion_filter[0].filter",
                "image_tag_mutability_exclusion_filter[1].filter",
                "image_tag_mutability_exclusion_filter[1].filter_type"
            ]
        );
        let six = [("a", "WILDCARD"); 6];
        assert_eq!(
            run(Val::of("IMMUTABLE_WITH_EXCLUSION"), &six),
            ["image_tag_mutability_exclusion_filter"]
        );
    }
}
