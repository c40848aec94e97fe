//! Registry-wide types' plumbing: turning `registry` findings into diagnostics on attribute
//! paths, and where the provider's registry is.

use crate::aws::AwsClients;
use crate::framework::{AttrPath, Diagnostics, Val};
use crate::registry::{Problems, Registry, Step};

/// The registry a resource configures: its own planned `region` (the provider's when null, none
/// while unknown) and the provider's account (only when credentials were validated).
pub fn registry_of<'a>(provider: Option<&'a AwsClients>, region: &'a Val<String>) -> Registry<'a> {
    Registry {
        region: match region {
            Val::Known(r) => Some(r.as_str()),
            Val::Unknown => None,
            Val::Null => provider.map(|p| p.region.as_str()),
        },
        account: provider.and_then(|p| p.account_id.as_deref()),
    }
}

/// The attribute path of a finding, below `base`.
pub fn path(base: &AttrPath, steps: &[Step]) -> AttrPath {
    steps.iter().fold(base.clone(), |p, s| match s {
        Step::Attr(a) => p.then_attr(*a),
        Step::Index(i) => p.then_index(*i),
    })
}

/// Reports `problems` on their paths below `base` (root when `base` is the root path).
pub fn report(problems: Problems, base: &AttrPath, diags: &mut Diagnostics) {
    for p in problems.0 {
        let at = path(base, &p.path);
        if at.is_root() {
            if p.error {
                diags.error(p.summary, p.detail);
            } else {
                diags.warning(p.summary, p.detail);
            }
        } else if p.error {
            diags.attr_error(at, p.summary, p.detail);
        } else {
            diags.attr_warning(at, p.summary, p.detail);
        }
    }
}

/// The findings of `check` that only arise once the registry (region, account) is known: those
/// of a run with `registry` that a run without it does not report. Checks run without the
/// registry at validate time, and again with it at plan time; this keeps each finding to once.
pub fn registry_only(check: impl Fn(Registry, &mut Problems), registry: Registry) -> Problems {
    let mut without = Problems::default();
    check(Registry::default(), &mut without);
    let mut with = Problems::default();
    check(registry, &mut with);
    Problems(
        with.0
            .into_iter()
            .filter(|p| !without.0.contains(p))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_land_on_their_paths() {
        let mut ps = Problems::default();
        ps.error(
            vec![
                Step::Attr("rule"),
                Step::Index(1),
                Step::Attr("destination"),
            ],
            "e",
            "d",
        );
        ps.warning(vec![], "w", "d");
        let mut d = Diagnostics::new();
        report(
            ps,
            &AttrPath::attr("replication_configuration").then_index(0),
            &mut d,
        );
        assert_eq!(
            d.0[0]
                .attribute
                .as_ref()
                .map(ToString::to_string)
                .as_deref(),
            Some("replication_configuration[0].rule[1].destination")
        );
        assert_eq!(
            d.0[1]
                .attribute
                .as_ref()
                .map(ToString::to_string)
                .as_deref(),
            Some("replication_configuration[0]")
        );
        let mut d = Diagnostics::new();
        let mut ps = Problems::default();
        ps.warning(vec![], "w", "d");
        report(ps, &AttrPath::root(), &mut d);
        assert_eq!(d.0[0].attribute, None);
    }

    #[test]
    fn registry_dependent_findings_are_kept_apart() {
        let check = |r: Registry, out: &mut Problems| {
            out.error(vec![Step::Attr("always")], "a", "a");
            if r.account.is_some() {
                out.error(vec![Step::Attr("needs_account")], "b", "b");
            }
        };
        let only = registry_only(
            check,
            Registry {
                region: Some("us-east-1"),
                account: Some("111122223333"),
            },
        );
        assert_eq!(only.paths(), ["needs_account"]);
        assert!(registry_only(check, Registry::default()).0.is_empty());
    }
}
