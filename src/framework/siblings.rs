//! What other resources of this provider were planned in the same Terraform walk, for checks that
//! span resources ("this repository also has grants", "the registry scans ENHANCED").
//!
//! Terraform never shows a provider the whole configuration, but one provider process serves a
//! whole plan walk, calling PlanResourceChange for every instance (in dependency order, up to 10 in
//! parallel). Each resource records what it is here while planning and asks about the others; a
//! pair-wise check fires on whichever of the two is planned second, so it fires exactly once
//! whatever the order. Values unknown at plan time are simply not recorded.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

fn registry() -> &'static Mutex<HashMap<(&'static str, String), Vec<String>>> {
    static R: OnceLock<Mutex<HashMap<(&'static str, String), Vec<String>>>> = OnceLock::new();
    R.get_or_init(Default::default)
}

/// Records that a resource of `kind` was planned for `key` (e.g. `("grant", repository_name)`),
/// with an optional detail kept for messages (e.g. the grant's sid).
pub fn record(kind: &'static str, key: &str, detail: &str) {
    let mut r = registry().lock().unwrap_or_else(|e| e.into_inner());
    let v = r.entry((kind, key.to_string())).or_default();
    if !v.iter().any(|d| d == detail) {
        v.push(detail.to_string());
    }
}

/// Details recorded so far for (`kind`, `key`); empty when none.
pub fn seen(kind: &'static str, key: &str) -> Vec<String> {
    let r = registry().lock().unwrap_or_else(|e| e.into_inner());
    r.get(&(kind, key.to_string())).cloned().unwrap_or_default()
}

/// Every (key, details) recorded for `kind`.
pub fn all(kind: &'static str) -> Vec<(String, Vec<String>)> {
    let r = registry().lock().unwrap_or_else(|e| e.into_inner());
    r.iter()
        .filter(|((k, _), _)| *k == kind)
        .map(|((_, key), d)| (key.clone(), d.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_and_reports_by_kind_and_key() {
        record("unit-a", "repo1", "sid1");
        record("unit-a", "repo1", "sid1");
        record("unit-a", "repo1", "sid2");
        record("unit-b", "repo1", "");
        assert_eq!(seen("unit-a", "repo1"), vec!["sid1", "sid2"]);
        assert!(seen("unit-a", "repo2").is_empty());
        assert_eq!(
            all("unit-b"),
            vec![("repo1".to_string(), vec![String::new()])]
        );
    }
}
