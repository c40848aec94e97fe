//! What other resources of this provider were planned in the same Terraform walk, for checks that
//! span resources ("this repository also has grants", "the registry scans ENHANCED").
//!
//! Terraform never shows a provider the whole configuration, but one provider process serves a
//! whole plan walk, calling PlanResourceChange for every instance (in dependency order, up to 10 in
//! parallel). Each resource records what it is here while planning and asks about the others; a
//! pair-wise check fires on whichever of the two is planned second, so it fires exactly once
//! whatever the order. Values unknown at plan time are simply not recorded.
//!
//! There is one registry per provider server (the framework hands it to resources as
//! `Ctx::siblings` and `Plan::siblings`). A process serves one server, and Terraform starts one
//! provider process per walk, so in practice a registry lives for one walk of one Terraform
//! command, as the process-global registry it replaces did.

use std::collections::HashMap;
use std::sync::Mutex;

/// The records of one provider server: (kind, key) to the details recorded for it.
#[derive(Debug, Default)]
pub struct Siblings(Mutex<HashMap<(&'static str, String), Vec<String>>>);

impl Siblings {
    /// Records that a resource of `kind` was planned for `key` (e.g. `("grant", repository_name)`),
    /// with an optional detail kept for messages (e.g. the grant's sid).
    pub fn record(&self, kind: &'static str, key: &str, detail: &str) {
        let mut r = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let v = r.entry((kind, key.to_string())).or_default();
        if !v.iter().any(|d| d == detail) {
            v.push(detail.to_string());
        }
    }

    /// Details recorded so far for (`kind`, `key`); empty when none.
    pub fn seen(&self, kind: &'static str, key: &str) -> Vec<String> {
        let r = self.0.lock().unwrap_or_else(|e| e.into_inner());
        r.get(&(kind, key.to_string())).cloned().unwrap_or_default()
    }

    /// Every (key, details) recorded for `kind`.
    pub fn all(&self, kind: &'static str) -> Vec<(String, Vec<String>)> {
        let r = self.0.lock().unwrap_or_else(|e| e.into_inner());
        r.iter()
            .filter(|((k, _), _)| *k == kind)
            .map(|((_, key), d)| (key.clone(), d.clone()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_and_reports_by_kind_and_key() {
        let s = Siblings::default();
        s.record("a", "repo1", "sid1");
        s.record("a", "repo1", "sid1");
        s.record("a", "repo1", "sid2");
        s.record("b", "repo1", "");
        assert_eq!(s.seen("a", "repo1"), vec!["sid1", "sid2"]);
        assert!(s.seen("a", "repo2").is_empty());
        assert_eq!(s.all("b"), vec![("repo1".to_string(), vec![String::new()])]);
    }

    #[test]
    fn instances_do_not_see_each_other() {
        let (one, two) = (Siblings::default(), Siblings::default());
        one.record("a", "repo1", "sid1");
        assert!(two.seen("a", "repo1").is_empty());
        assert!(two.all("a").is_empty());
        two.record("a", "repo1", "sid2");
        assert_eq!(one.seen("a", "repo1"), vec!["sid1"]);
        assert_eq!(two.seen("a", "repo1"), vec!["sid2"]);
    }
}
