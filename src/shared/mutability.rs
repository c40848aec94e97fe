//! Tag mutability and its exclusion filters, as `ecr_repository` and
//! `ecr_repository_creation_template` declare them (same attribute names, same rules).

use crate::framework::validate::{self, Matches, OneOf};
use crate::framework::{AttrPath, Diagnostics, Val};
use crate::repository::{FILTER_MAX_WILDCARDS as MAX_WILDCARDS, FILTER_RE, MUTABILITY};

/// Filters in `image_tag_mutability_exclusion_filter` (`ImageTagMutabilityExclusionFilters`, 1–5).
pub const MAX_FILTERS: usize = 5;

/// One exclusion filter as configured.
pub struct FilterRef<'a> {
    pub filter: &'a Val<String>,
    pub filter_type: &'a Val<String>,
}

/// Checks `image_tag_mutability` and its exclusion filters (`filters` is `None` when the list is
/// not known yet). What AWS documents refusing (values, filter syntax, more than 5 filters) is
/// an error; a mode and filters that do not go together, or many wildcards, only warn
/// (docs/design/validation.md).
pub fn check(mutability: &Val<String>, filters: Option<&[FilterRef]>, diags: &mut Diagnostics) {
    let mpath = AttrPath::attr("image_tag_mutability");
    let fpath = AttrPath::attr("image_tag_mutability_exclusion_filter");
    validate::check(diags, &mpath, mutability, &[&OneOf(MUTABILITY)]);
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
        validate::check(
            diags,
            &p.clone().then_attr("filter"),
            f.filter,
            &[&Matches(&FILTER_RE, "is not a valid tag filter: 1–128 characters of letters, digits, '.', '_', '-' and '*'")],
        );
        if let Some(s) = f.filter.str() {
            let n = s.matches('*').count();
            if n > MAX_WILDCARDS {
                diags.attr_warning(
                    p.clone().then_attr("filter"),
                    "Filter with many wildcards",
                    format!("filter {s:?} has {n} wildcards; AWS's examples use one or two, and AWS may refuse more."),
                );
            }
        }
        validate::check(
            diags,
            &p.then_attr("filter_type"),
            f.filter_type,
            &[&OneOf(&["WILDCARD"])],
        );
    }
    match mutability.str() {
        Some(m) => {
            let with_exclusion = m.ends_with("_WITH_EXCLUSION");
            if !with_exclusion && !list.is_empty() {
                diags.attr_warning(fpath, "Exclusion filters need an exclusion mode", format!("image_tag_mutability_exclusion_filter only has an effect with IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION, not {m}; AWS may refuse the combination."));
            } else if with_exclusion && filters.is_some() && list.is_empty() {
                diags.attr_warning(mpath, "Missing exclusion filters", format!("{m} without an image_tag_mutability_exclusion_filter block excludes no tag; AWS may refuse it."));
            }
        }
        None if mutability.is_null() && !list.is_empty() => diags.attr_warning(fpath, "Exclusion filters need an exclusion mode", "image_tag_mutability_exclusion_filter only has an effect with image_tag_mutability = IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION (the default is MUTABLE); AWS may refuse the combination."),
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
