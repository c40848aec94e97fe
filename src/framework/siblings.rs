//! What other resources of this provider were planned in the same Terraform walk, for checks that
//! span resources ("this repository also has grants", "the registry scans ENHANCED").
//!
//! Terraform never shows a provider the whole configuration, but one provider process serves a
//! whole plan walk, calling PlanResourceChange for every instance (in dependency order, up to 10 in
//! parallel). Each resource records what it is here while planning and asks about the others; a
//! pair-wise check fires on whichever of the two is planned second, so it fires exactly once
//! whatever the order. Values unknown at plan time are simply not recorded.
//!
//! Records are keyed by a type ([`Record`]), not by a string each side spells out, so a writer
//! and its reader cannot drift apart: a typo does not compile instead of silently switching a
//! check off. The kinds and the checks that use them live together (`resources::cross`).
//!
//! There is one registry per provider server (the framework hands it to resources as
//! `Ctx::siblings` and `Plan::siblings`). A process serves one server, and Terraform starts one
//! provider process per walk, so in practice a registry lives for one walk of one Terraform
//! command.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::Mutex;

/// A kind of record: a marker type, and what each record of it carries for messages.
pub trait Record: 'static {
    type Detail: Clone + PartialEq + Send + Sync + 'static;
}

/// The records of one provider server: (kind, key) to the details recorded for it.
#[derive(Default)]
pub struct Siblings(Mutex<HashMap<(TypeId, String), Box<dyn Any + Send + Sync>>>);

impl std::fmt::Debug for Siblings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Siblings")
    }
}

impl Siblings {
    /// Records that a resource of kind `R` was planned for `key` (e.g. a repository name), with
    /// a detail kept for messages (e.g. a grant's sid). The same detail is kept once.
    pub fn record<R: Record>(&self, key: &str, detail: R::Detail) {
        let mut r = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let entry = r
            .entry((TypeId::of::<R>(), key.to_string()))
            .or_insert_with(|| Box::new(Vec::<R::Detail>::new()));
        if let Some(v) = entry.downcast_mut::<Vec<R::Detail>>() {
            if !v.contains(&detail) {
                v.push(detail);
            }
        }
    }

    /// Records like [`Siblings::record`] and returns the details recorded before, in one step:
    /// of two resources of the same kind planned at the same moment, exactly one sees the other
    /// (a `seen` then a `record` would let both see nothing).
    pub fn claim<R: Record>(&self, key: &str, detail: R::Detail) -> Vec<R::Detail> {
        let mut r = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let entry = r
            .entry((TypeId::of::<R>(), key.to_string()))
            .or_insert_with(|| Box::new(Vec::<R::Detail>::new()));
        let Some(v) = entry.downcast_mut::<Vec<R::Detail>>() else {
            return vec![];
        };
        let before = v.clone();
        if !v.contains(&detail) {
            v.push(detail);
        }
        before
    }

    /// Details recorded so far for (`R`, `key`); empty when none.
    pub fn seen<R: Record>(&self, key: &str) -> Vec<R::Detail> {
        let r = self.0.lock().unwrap_or_else(|e| e.into_inner());
        r.get(&(TypeId::of::<R>(), key.to_string()))
            .and_then(|d| d.downcast_ref::<Vec<R::Detail>>())
            .cloned()
            .unwrap_or_default()
    }

    /// Every (key, details) recorded for `R`.
    pub fn all<R: Record>(&self) -> Vec<(String, Vec<R::Detail>)> {
        let r = self.0.lock().unwrap_or_else(|e| e.into_inner());
        r.iter()
            .filter(|((k, _), _)| *k == TypeId::of::<R>())
            .filter_map(|((_, key), d)| {
                Some((key.clone(), d.downcast_ref::<Vec<R::Detail>>()?.clone()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct A;
    impl Record for A {
        type Detail = String;
    }
    struct B;
    impl Record for B {
        type Detail = ();
    }

    #[test]
    fn records_and_reports_by_kind_and_key() {
        let s = Siblings::default();
        s.record::<A>("repo1", "sid1".into());
        s.record::<A>("repo1", "sid1".into());
        s.record::<A>("repo1", "sid2".into());
        s.record::<B>("repo1", ());
        assert_eq!(s.seen::<A>("repo1"), vec!["sid1", "sid2"]);
        assert!(s.seen::<A>("repo2").is_empty());
        assert_eq!(s.all::<B>(), vec![("repo1".to_string(), vec![()])]);
    }

    #[test]
    fn instances_do_not_see_each_other() {
        let (one, two) = (Siblings::default(), Siblings::default());
        one.record::<A>("repo1", "sid1".into());
        assert!(two.seen::<A>("repo1").is_empty());
        assert!(two.all::<A>().is_empty());
        two.record::<A>("repo1", "sid2".into());
        assert_eq!(one.seen::<A>("repo1"), vec!["sid1"]);
        assert_eq!(two.seen::<A>("repo1"), vec!["sid2"]);
    }

    #[test]
    fn of_two_equal_claims_racing_exactly_one_sees_the_other() {
        for _ in 0..200 {
            let s = std::sync::Arc::new(Siblings::default());
            let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
            let racers: Vec<_> = (0..2)
                .map(|_| {
                    let (s, barrier) = (s.clone(), barrier.clone());
                    std::thread::spawn(move || {
                        barrier.wait();
                        s.claim::<A>("registry", "rule-1".into())
                    })
                })
                .collect();
            let saw: Vec<bool> = racers
                .into_iter()
                .map(|t| t.join().unwrap().contains(&"rule-1".to_string()))
                .collect();
            assert_eq!(saw.iter().filter(|b| **b).count(), 1, "{saw:?}");
        }
    }
}
