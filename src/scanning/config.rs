//! Registry scanning configuration rules (`docs/design/ecr-limits.md`, AWS
//! PutRegistryScanningConfiguration): scan types, the frequencies each allows, rule and filter
//! counts, filter syntax and length.

use std::sync::LazyLock;

use regex::Regex;

use crate::findings::Severity;

pub const SCAN_TYPES: &[&str] = &["BASIC", "ENHANCED"];
pub const FILTER_TYPES: &[&str] = &["WILDCARD"];
pub const MAX_RULES: usize = 2;
pub const MAX_FILTERS_PER_RULE: usize = 100;
pub const FILTER_MAX_LEN: usize = 255;

/// AWS's ScanningRepositoryFilter value pattern.
pub static FILTER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$").expect("valid regex")
});

/// Frequencies a rule may use under `scan_type` (None for an unknown scan type).
pub fn allowed_frequencies(scan_type: &str) -> Option<&'static [&'static str]> {
    match scan_type {
        "BASIC" => Some(&["SCAN_ON_PUSH"]),
        "ENHANCED" => Some(&["SCAN_ON_PUSH", "CONTINUOUS_SCAN"]),
        _ => None,
    }
}

/// Checks a rule's `scan_frequency` against the registry's scan type: what is wrong and how
/// bad it is, or `None`. A frequency the scan type does not support is an error (the API
/// reference of RegistryScanningRule lists what each type supports); `MANUAL` is in the API's
/// enum but is what unmatched repositories get, so it is only a warning.
pub fn check_frequency(scan_type: &str, frequency: &str) -> Option<(Severity, String)> {
    let allowed = allowed_frequencies(scan_type)?;
    if allowed.contains(&frequency) {
        return None;
    }
    if frequency == "MANUAL" {
        return Some((Severity::Warning, format!(
            "scan_frequency MANUAL is what repositories matching no rule get; a rule with it scans nothing on its own. Remove the rule, or use {}.",
            allowed.join(" or ")
        )));
    }
    let known = ["SCAN_ON_PUSH", "CONTINUOUS_SCAN"].contains(&frequency);
    Some((
        Severity::Error,
        if known {
            format!(
            "scan_frequency {frequency} is not allowed with scan_type = {scan_type}: {scan_type} scanning supports {} only{}.",
            allowed.join(" and "),
            if scan_type == "BASIC" { " (continuous scanning needs ENHANCED)" } else { "" }
        )
        } else {
            format!(
                "scan_frequency must be one of {}; got {frequency:?}.",
                allowed.join(", ")
            )
        },
    ))
}

/// Checks one repository filter value: 1–255 characters matching AWS's pattern.
pub fn check_filter(filter: &str) -> Result<(), String> {
    let n = filter.chars().count();
    if n == 0 || n > FILTER_MAX_LEN {
        return Err(format!(
            "filter must be 1 to {FILTER_MAX_LEN} characters long; {filter:?} has {n}."
        ));
    }
    if !FILTER_RE.is_match(filter) {
        return Err(format!(
            "filter {filter:?} is not a valid repository filter: lowercase letters, digits and '*', separated by single '.', '_', '-' or '/' (pattern {}), e.g. \"prod-*\" or \"team/*\".",
            FILTER_RE.as_str()
        ));
    }
    Ok(())
}

/// How AWS applies a filter to a repository name: without `*` a substring match, with `*` a
/// whole-name glob. Used to explain which repositories a configuration covers.
pub fn filter_matches(filter: &str, repository: &str) -> bool {
    if !filter.contains('*') {
        return repository.contains(filter);
    }
    let parts: Vec<&str> = filter.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !repository.starts_with(first)
        || repository.len() < first.len() + last.len()
        || !repository.ends_with(last)
    {
        return false;
    }
    let mut rest = &repository[first.len()..repository.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frequencies_per_scan_type() {
        assert!(check_frequency("BASIC", "SCAN_ON_PUSH").is_none());
        assert!(check_frequency("ENHANCED", "SCAN_ON_PUSH").is_none());
        assert!(check_frequency("ENHANCED", "CONTINUOUS_SCAN").is_none());
        let (sev, e) = check_frequency("BASIC", "CONTINUOUS_SCAN").unwrap();
        assert_eq!(sev, Severity::Error);
        assert!(e.contains("needs ENHANCED"), "{e}");
        let (sev, e) = check_frequency("BASIC", "MANUAL").unwrap();
        assert_eq!(sev, Severity::Warning);
        assert!(e.contains("matching no rule"), "{e}");
        assert_eq!(
            check_frequency("ENHANCED", "MANUAL").unwrap().0,
            Severity::Warning
        );
        let (sev, e) = check_frequency("ENHANCED", "DAILY").unwrap();
        assert_eq!(sev, Severity::Error);
        assert!(e.contains("must be one of"));
        // An unknown scan type is reported on scan_type, not again on every rule.
        assert!(check_frequency("FANCY", "DAILY").is_none());
    }

    #[test]
    fn filters() {
        for ok in ["prod", "*", "prod-*", "team/*", "a.b_c-d/e*f", "*prod", "x"] {
            assert!(check_filter(ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "Prod", "-prod", "prod-", "a--b", "a//b", "a b", "prod!", "/team",
        ] {
            assert!(check_filter(bad).is_err(), "{bad}");
        }
        assert!(check_filter(&"a".repeat(255)).is_ok());
        assert!(check_filter(&"a".repeat(256))
            .unwrap_err()
            .contains("1 to 255"));
    }

    #[test]
    fn filter_semantics_follow_the_aws_table() {
        // No wildcard: substring. With wildcard: whole name.
        assert!(filter_matches("prod", "repo-prod-1"));
        assert!(filter_matches("*prod", "prod"));
        assert!(filter_matches("*prod", "repo-prod"));
        assert!(!filter_matches("*prod", "prod-repo"));
        assert!(filter_matches("prod*", "prod-repo"));
        assert!(!filter_matches("prod*", "repo-prod"));
        assert!(filter_matches("a*b*c", "axxbyyc"));
        assert!(!filter_matches("a*b*c", "axxcyyb"));
        assert!(filter_matches("*", "anything"));
        assert!(!filter_matches("ab*ba", "aba"));
    }
}
