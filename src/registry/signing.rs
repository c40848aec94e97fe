//! Managed image signing (`PutSigningConfiguration`): rules naming an AWS Signer signing profile
//! and, optionally, repository filters with wildcards.

use std::sync::LazyLock;

use regex::Regex;

use super::arn::Arn;
use super::{at, Problems, Registry, Step};

/// Rules in a signing configuration (`SigningRuleList`, max 10; "up to 10 per registry").
pub const MAX_RULES: usize = 10;
/// Repository filters per rule (`SigningRepositoryFilterList`, 1–100).
pub const MAX_FILTERS: usize = 100;
/// Length of a filter (`SigningRepositoryFilterValue`).
pub const FILTER_LEN: (usize, usize) = (1, 256);
/// `SigningRepositoryFilterType` values.
pub const FILTER_TYPES: &[&str] = &["WILDCARD_MATCH"];
/// `SigningRepositoryFilterValue`'s pattern: repository-name components where `*` may stand in
/// for any characters.
pub static FILTER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[a-z0-9*]+(?:[._-][a-z0-9*]+)*/)*[a-z0-9*]+(?:[._-][a-z0-9*]+)*$")
        .expect("valid regex")
});
/// `SigningProfileArn`: at most 200 characters of this pattern.
pub static PROFILE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^arn:aws(-[a-z]+)*:signer:[a-z0-9-]+:[0-9]{12}:/signing-profiles/[a-zA-Z0-9_]{2,}$",
    )
    .expect("valid regex")
});
pub const PROFILE_MAX: usize = 200;

/// A filter as configured.
#[derive(Clone, Copy, Debug, Default)]
pub struct FilterSpec<'a> {
    pub filter: Option<&'a str>,
    pub filter_type: Option<&'a str>,
}

/// A rule as configured.
#[derive(Clone, Debug, Default)]
pub struct RuleSpec<'a> {
    pub signing_profile_arn: Option<&'a str>,
    /// `None` when not known.
    pub filters: Option<Vec<FilterSpec<'a>>>,
}

/// Checks the rules of a signing configuration at `base` (the path of the rule list).
pub fn check_rules(rules: &[RuleSpec], registry: Registry, base: &[Step], out: &mut Problems) {
    if rules.len() > MAX_RULES {
        out.error(base.to_vec(), "Too many signing rules", format!("A registry's signing configuration holds at most {MAX_RULES} rules; this one has {}.", rules.len()));
    }
    for (i, r) in rules.iter().enumerate() {
        let rule = at(base, &[Step::Index(i)]);
        if let Some(arn) = r.signing_profile_arn {
            check_profile(
                arn,
                registry,
                &at(&rule, &[Step::Attr("signing_profile_arn")]),
                out,
            );
        }
        let Some(filters) = &r.filters else { continue };
        let fp = at(&rule, &[Step::Attr("repository_filter")]);
        if filters.len() > MAX_FILTERS {
            out.error(
                fp.clone(),
                "Too many repository filters",
                format!(
                    "A signing rule has at most {MAX_FILTERS} repository filters; this one has {}.",
                    filters.len()
                ),
            );
        }
        for (j, f) in filters.iter().enumerate() {
            let p = at(&fp, &[Step::Index(j)]);
            if let Some(s) = f.filter {
                let n = s.chars().count();
                let (min, max) = FILTER_LEN;
                if n < min || n > max || !FILTER_RE.is_match(s) {
                    out.error(at(&p, &[Step::Attr("filter")]), "Invalid filter", format!("filter {s:?} must be {min} to {max} characters of repository-name components (lowercase letters and digits separated by '.', '_', '-', joined by '/'), where '*' matches any characters (e.g. \"prod/*\", \"*-service\")."));
                }
            }
            if let Some(t) = f.filter_type {
                if !FILTER_TYPES.contains(&t) {
                    out.error(
                        at(&p, &[Step::Attr("filter_type")]),
                        "Invalid filter_type",
                        format!(
                            "filter_type must be one of {}; got {t:?}.",
                            FILTER_TYPES.join(", ")
                        ),
                    );
                }
            }
        }
    }
}

fn check_profile(s: &str, registry: Registry, path: &[Step], out: &mut Problems) {
    if s.chars().count() > PROFILE_MAX || !PROFILE_RE.is_match(s) {
        out.error(path.to_vec(), "Invalid signing_profile_arn", format!("signing_profile_arn {s:?} is not an AWS Signer signing profile ARN (arn:<partition>:signer:<region>:<account>:/signing-profiles/<name>, name of letters, digits and '_', at most {PROFILE_MAX} characters); a profile version ARN is not accepted."));
        return;
    }
    let Ok(arn) = Arn::parse(s) else { return };
    if let Some(partition) = registry.partition() {
        if arn.partition != partition {
            out.error(path.to_vec(), "Signing profile in another partition", format!("signing_profile_arn is in partition {:?} but this registry is in {partition:?}.", arn.partition));
            return;
        }
    }
    if let Some(region) = registry.region {
        if arn.region != region {
            out.warning(path.to_vec(), "Signing profile in another region", format!("The signing profile is in {} but the registry is in {region}; signing jobs for pushed images then run against another region's Signer.", arn.region));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROFILE: &str = "arn:aws:signer:eu-west-1:111122223333:/signing-profiles/ci_profile";

    fn run(rules: &[RuleSpec]) -> Problems {
        let mut p = Problems::default();
        check_rules(
            rules,
            Registry {
                region: Some("eu-west-1"),
                account: Some("111122223333"),
            },
            &[Step::Attr("rule")],
            &mut p,
        );
        p
    }
    fn rule<'a>(arn: &'a str, filters: &[&'a str]) -> RuleSpec<'a> {
        RuleSpec {
            signing_profile_arn: Some(arn),
            filters: Some(
                filters
                    .iter()
                    .map(|f| FilterSpec {
                        filter: Some(f),
                        filter_type: Some("WILDCARD_MATCH"),
                    })
                    .collect(),
            ),
        }
    }

    #[test]
    fn good_rules_pass() {
        assert!(run(&[
            rule(PROFILE, &["prod/*", "*-service", "*prod*", "team/app"]),
            rule(PROFILE, &[])
        ])
        .0
        .is_empty());
    }

    #[test]
    fn profile_arns() {
        for bad in [
            "arn:aws:signer:eu-west-1:111122223333:/signing-profiles/a",
            "arn:aws:signer:eu-west-1:111122223333:/signing-profiles/ci_profile/abcdef12",
            "arn:aws:kms:eu-west-1:111122223333:/signing-profiles/ci_profile",
            "ci_profile",
            "arn:aws-cn:signer:cn-north-1:111122223333:/signing-profiles/ci_profile",
        ] {
            let p = run(&[rule(bad, &[])]);
            assert_eq!(p.paths(), ["rule[0].signing_profile_arn"], "{bad}");
            assert!(p.has_errors(), "{bad}");
        }
        let p = run(&[rule(
            "arn:aws:signer:us-east-1:111122223333:/signing-profiles/ci_profile",
            &[],
        )]);
        assert_eq!(p.paths(), ["rule[0].signing_profile_arn"]);
        assert!(!p.has_errors());
    }

    #[test]
    fn limits_and_filters() {
        let eleven: Vec<RuleSpec> = (0..11).map(|_| rule(PROFILE, &[])).collect();
        assert_eq!(run(&eleven).paths(), ["rule"]);
        let many: Vec<&str> = (0..101).map(|_| "a").collect();
        assert_eq!(
            run(&[rule(PROFILE, &many)]).paths(),
            ["rule[0].repository_filter"]
        );
        let p = run(&[RuleSpec {
            signing_profile_arn: Some(PROFILE),
            filters: Some(vec![
                FilterSpec {
                    filter: Some("Prod"),
                    filter_type: Some("PREFIX_MATCH"),
                },
                FilterSpec {
                    filter: Some("a//b"),
                    filter_type: None,
                },
            ]),
        }]);
        assert_eq!(
            p.paths(),
            [
                "rule[0].repository_filter[0].filter",
                "rule[0].repository_filter[0].filter_type",
                "rule[0].repository_filter[1].filter"
            ]
        );
    }
}
