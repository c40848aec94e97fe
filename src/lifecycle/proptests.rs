//! Property tests across the module: canonical form is idempotent, policies
//! round-trip through text, typed and text validation agree, and nothing
//! panics on arbitrary input.

use std::collections::BTreeSet;

use proptest::prelude::*;
use serde_json::{json, Value};

use super::model::{
    Action, ActionType, CountType, CountUnit, LifecyclePolicy, Rule, Selection, StorageClass,
    TagStatus,
};
use super::validate::ids;
use super::{
    canonical_json, canonicalize_text, evaluate, parse_policy, semantically_equal, validate,
    validate_json, Image,
};

fn tag_list() -> impl Strategy<Value = Option<Vec<String>>> {
    prop::option::of(prop::collection::vec(
        prop::sample::select(vec!["v", "prod", "a*b", "*x*", "", "sha-", "a*b*c*d*e*"])
            .prop_map(String::from),
        0..4,
    ))
}

fn rule() -> impl Strategy<Value = Rule> {
    (
        (
            -1i64..8,
            prop::option::of(prop::sample::select(vec!["", "d", "é \"q\""]).prop_map(String::from)),
        ),
        (
            prop::sample::select(TagStatus::ALL.to_vec()),
            tag_list(),
            tag_list(),
        ),
        (
            prop::option::of(prop::sample::select(StorageClass::ALL.to_vec())),
            prop::sample::select(CountType::ALL.to_vec()),
            prop::option::of(Just(CountUnit::Days)),
            -1i64..200,
        ),
        (
            prop::sample::select(ActionType::ALL.to_vec()),
            prop::option::of(prop::sample::select(StorageClass::ALL.to_vec())),
        ),
    )
        .prop_map(
            |((p, d), (ts, pre, pat), (sc, ct, cu, n), (at, tsc))| Rule {
                rule_priority: p,
                description: d,
                selection: Selection {
                    tag_status: ts,
                    tag_prefix_list: pre,
                    tag_pattern_list: pat,
                    storage_class: sc,
                    count_type: ct,
                    count_unit: cu,
                    count_number: n,
                },
                action: Action {
                    r#type: at,
                    target_storage_class: tsc,
                },
            },
        )
}

fn policy() -> impl Strategy<Value = LifecyclePolicy> {
    prop::collection::vec(rule(), 0..6).prop_map(|rules| LifecyclePolicy { rules })
}

/// Arbitrary JSON, biased towards the policy's own property names.
fn json_value() -> impl Strategy<Value = Value> {
    let names = prop::sample::select(vec![
        "rules",
        "rulePriority",
        "selection",
        "action",
        "tagStatus",
        "tagPrefixList",
        "tagPatternList",
        "storageClass",
        "countType",
        "countUnit",
        "countNumber",
        "type",
        "targetStorageClass",
        "x",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        prop::sample::select(vec![
            "tagged",
            "any",
            "days",
            "expire",
            "archive",
            "imageCountMoreThan",
            "a*"
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 40, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(names.clone().prop_map(String::from), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn canonical_is_idempotent(p in policy()) {
        let c = canonical_json(&p);
        prop_assert_eq!(canonicalize_text(&c).unwrap(), c.clone());
        prop_assert!(semantically_equal(&c, &serde_json::to_string_pretty(&p).unwrap()));
    }

    #[test]
    fn policies_round_trip_through_text(p in policy()) {
        let text = serde_json::to_string(&p).unwrap();
        prop_assert_eq!(parse_policy(&text).unwrap(), p);
    }

    #[test]
    fn typed_and_text_validation_agree(p in policy()) {
        let text = serde_json::to_string_pretty(&p).unwrap();
        let from_text: Vec<_> = validate_json(&text).into_iter().filter(|f| f.rule != ids::TEXT_LENGTH).collect();
        prop_assert_eq!(validate(&p), from_text);
    }

    #[test]
    fn canonical_form_keeps_validity(p in policy()) {
        // Normalisation must neither hide nor create semantic errors
        // (paths differ because rules are re-sorted and repeated list entries
        // are merged, so compare the set of broken rules).
        let before: BTreeSet<_> = validate(&p).into_iter().map(|f| f.rule).collect();
        let canon = parse_policy(&canonical_json(&p)).unwrap();
        let after: BTreeSet<_> = validate(&canon).into_iter().map(|f| f.rule).collect();
        prop_assert_eq!(before, after);
    }

    #[test]
    fn arbitrary_text_never_panics(s in ".{0,200}") {
        let _ = validate_json(&s);
        let _ = canonicalize_text(&s);
    }

    #[test]
    fn arbitrary_json_never_panics(v in json_value(), rules in prop::collection::vec(json_value(), 0..4)) {
        let _ = validate_json(&v.to_string());
        let _ = validate_json(&json!({ "rules": rules }).to_string());
    }

    #[test]
    fn evaluation_never_panics_and_claims_at_most_once(
        p in policy(),
        images in prop::collection::vec((prop::sample::subsequence(vec!["v1", "prod", "ab", "xx"], 0..3), 0i64..400, any::<bool>()), 0..12),
    ) {
        let now = 400 * 86_400;
        let images: Vec<Image> = images.iter().enumerate().map(|(i, (tags, age, archived))| Image {
            storage_class: if *archived { StorageClass::Archive } else { StorageClass::Standard },
            last_archived_at: archived.then_some(now - age * 43_200),
            size_bytes: Some(1),
            ..Image::new(format!("sha256:{i}"), tags, now - age * 86_400)
        }).collect();
        let e = evaluate(&p, &images, now);
        prop_assert_eq!(e.results.len(), images.len());
        prop_assert_eq!(e.expiring + e.transitioning, e.results.iter().filter(|r| r.action.is_some()).count());
        for r in &e.results {
            if let Some(prio) = r.rule_priority {
                prop_assert!(p.rules.iter().any(|rule| rule.rule_priority == prio));
            }
        }
    }
}
