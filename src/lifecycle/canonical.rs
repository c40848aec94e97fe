//! Canonical text of a lifecycle policy, so that drift detection compares
//! meaning and not formatting: AWS re-sorts rules and reformats the text it
//! returns, and users write JSON however they like.
//!
//! Equal canonical text ⇔ same behaviour. Normalisations (each one is an
//! identity of AWS semantics, nothing else is normalised):
//! - compact JSON, properties in the fixed order of the AWS template;
//! - rules sorted by `rulePriority` (AWS applies them in that order and
//!   returns them sorted);
//! - `storageClass: "standard"` omitted (it is the default);
//! - `description: ""` omitted (no description);
//! - tag lists sorted and de-duplicated (matching is AND across entries, so
//!   order and repeats carry no meaning); an empty list omitted (it counts as
//!   missing).
//!
//! Everything else — priorities, descriptions (including whitespace), list
//! kind (prefix vs pattern), count type/unit/number, action and target — is
//! kept as written, so a real change always changes the text.

use super::model::{LifecyclePolicy, Rule, StorageClass};
use super::validate::{parse_policy, Finding};

/// Deterministic compact JSON of `policy` (see the module docs).
pub fn canonical_json(policy: &LifecyclePolicy) -> String {
    let mut rules: Vec<(String, Rule)> = policy
        .rules
        .iter()
        .map(|r| {
            let r = normalize_rule(r);
            (to_json(&r), r)
        })
        .collect();
    // Ties (duplicate priorities, an invalid policy) are broken by content so
    // the result does not depend on document order.
    rules.sort_by(|(ta, a), (tb, b)| {
        a.rule_priority
            .cmp(&b.rule_priority)
            .then_with(|| ta.cmp(tb))
    });
    to_json(&LifecyclePolicy {
        rules: rules.into_iter().map(|(_, r)| r).collect(),
    })
}

/// Canonical text of policy text. Fails only when the text cannot be read as
/// a policy (syntax, types, unknown properties, nulls…), with the findings;
/// semantic rule violations do not prevent canonicalisation.
///
/// # Errors
/// The findings of [`super::validate_json`] when the text is not a readable policy.
pub fn canonicalize_text(text: &str) -> Result<String, Vec<Finding>> {
    parse_policy(text).map(|p| canonical_json(&p))
}

/// Whether two policy texts mean the same. Texts that cannot both be read as
/// policies are compared as JSON values (or, if not JSON, as strings), so an
/// unreadable policy is never reported equal to a different one.
pub fn semantically_equal(a: &str, b: &str) -> bool {
    match (canonicalize_text(a), canonicalize_text(b)) {
        (Ok(ca), Ok(cb)) => ca == cb,
        _ => match (
            serde_json::from_str::<serde_json::Value>(a),
            serde_json::from_str::<serde_json::Value>(b),
        ) {
            (Ok(va), Ok(vb)) => va == vb,
            _ => a == b,
        },
    }
}

fn normalize_rule(rule: &Rule) -> Rule {
    let mut r = rule.clone();
    if r.description.as_deref() == Some("") {
        r.description = None;
    }
    for list in [
        &mut r.selection.tag_prefix_list,
        &mut r.selection.tag_pattern_list,
    ] {
        if let Some(items) = list {
            items.sort();
            items.dedup();
            if items.is_empty() {
                *list = None;
            }
        }
    }
    if r.selection.storage_class == Some(StorageClass::Standard) {
        r.selection.storage_class = None;
    }
    r
}

/// Serialises with the derive's fixed field order (independent of whether
/// `serde_json`'s `preserve_order` feature is on). Cannot fail for these types.
fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::super::model::{Action, ActionType, CountType, CountUnit, Selection, TagStatus};
    use super::*;

    fn full_rule() -> Rule {
        Rule {
            rule_priority: 2,
            description: Some("keep releases".into()),
            selection: Selection {
                tag_status: TagStatus::Tagged,
                tag_prefix_list: Some(vec!["v".into(), "release".into()]),
                tag_pattern_list: None,
                storage_class: Some(StorageClass::Standard),
                count_type: CountType::SinceImagePulled,
                count_unit: Some(CountUnit::Days),
                count_number: 30,
            },
            action: Action {
                r#type: ActionType::Transition,
                target_storage_class: Some(StorageClass::Archive),
            },
        }
    }

    fn base() -> LifecyclePolicy {
        let untagged = Rule {
            rule_priority: 1,
            description: None,
            selection: Selection {
                tag_status: TagStatus::Untagged,
                tag_prefix_list: None,
                tag_pattern_list: None,
                storage_class: None,
                count_type: CountType::ImageCountMoreThan,
                count_unit: None,
                count_number: 3,
            },
            action: Action {
                r#type: ActionType::Expire,
                target_storage_class: None,
            },
        };
        LifecyclePolicy {
            rules: vec![full_rule(), untagged],
        }
    }

    #[test]
    fn canonical_form_shape() {
        assert_eq!(
            canonical_json(&base()),
            concat!(
                r#"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":3},"action":{"type":"expire"}},"#,
                r#"{"rulePriority":2,"description":"keep releases","selection":{"tagStatus":"tagged","tagPrefixList":["release","v"],"countType":"sinceImagePulled","countUnit":"days","countNumber":30},"action":{"type":"transition","targetStorageClass":"archive"}}]}"#
            )
        );
    }

    #[test]
    fn formatting_and_defaults_do_not_matter() {
        let a = r#"{"rules":[
            {"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 3}, "action": {"type": "expire"}},
            {"rulePriority": 2, "description": "keep releases",
             "selection": {"tagStatus": "tagged", "tagPrefixList": ["v", "release"], "countType": "sinceImagePulled", "countUnit": "days", "countNumber": 30},
             "action": {"type": "transition", "targetStorageClass": "archive"}}]}"#;
        // Rules reordered, keys reordered, defaults written out, list reordered
        // with a repeat, an empty description and an empty second list, escapes.
        let b = r#"{ "rules" : [ { "action" : { "targetStorageClass" : "archive", "type" : "transition" },
              "selection" : { "countNumber" : 30, "countUnit" : "days", "countType" : "sinceImagePulled",
                "storageClass" : "standard", "tagPatternList": [], "tagPrefixList" : [ "release", "v", "\u0076" ], "tagStatus" : "tagged" },
              "description" : "keep releases", "rulePriority" : 2 },
            { "description": "", "action" : { "type" : "expire" }, "rulePriority" : 1,
              "selection" : { "storageClass": "standard", "countNumber" : 3, "countType" : "imageCountMoreThan", "tagStatus" : "untagged" } } ] }"#;
        assert!(semantically_equal(a, b));
        assert_eq!(canonicalize_text(a).unwrap(), canonical_json(&base()));
        assert_eq!(canonicalize_text(b).unwrap(), canonical_json(&base()));
    }

    #[test]
    fn every_single_field_change_changes_the_canonical_text() {
        let base_text = canonical_json(&base());
        type Edit = fn(&mut Rule);
        let edits: &[(&str, Edit)] = &[
            ("rulePriority", |r| r.rule_priority = 3),
            ("description", |r| {
                r.description = Some("keep releases ".into())
            }),
            ("description removed", |r| r.description = None),
            ("tagStatus", |r| r.selection.tag_status = TagStatus::Any),
            ("tagPrefixList entry", |r| {
                r.selection.tag_prefix_list = Some(vec!["v".into(), "releases".into()])
            }),
            ("tagPrefixList entry removed", |r| {
                r.selection.tag_prefix_list = Some(vec!["v".into()])
            }),
            ("list kind", |r| {
                r.selection.tag_pattern_list = r.selection.tag_prefix_list.take()
            }),
            ("tagPatternList added", |r| {
                r.selection.tag_pattern_list = Some(vec!["x".into()])
            }),
            ("storageClass", |r| {
                r.selection.storage_class = Some(StorageClass::Archive)
            }),
            ("countType", |r| {
                r.selection.count_type = CountType::SinceImagePushed
            }),
            ("countUnit", |r| r.selection.count_unit = None),
            ("countNumber", |r| r.selection.count_number = 31),
            ("action type", |r| r.action.r#type = ActionType::Expire),
            ("targetStorageClass", |r| {
                r.action.target_storage_class = Some(StorageClass::Standard)
            }),
            ("targetStorageClass removed", |r| {
                r.action.target_storage_class = None
            }),
        ];
        for (name, edit) in edits {
            let mut p = base();
            edit(&mut p.rules[0]);
            assert_ne!(canonical_json(&p), base_text, "changing {name} was hidden");
        }
        let mut fewer = base();
        fewer.rules.pop();
        assert_ne!(
            canonical_json(&fewer),
            base_text,
            "removing a rule was hidden"
        );
        let mut swapped = base();
        swapped.rules[0].rule_priority = 1;
        swapped.rules[1].rule_priority = 2;
        assert_ne!(
            canonical_json(&swapped),
            base_text,
            "swapping priorities was hidden"
        );
    }

    #[test]
    fn canonical_form_is_idempotent_and_readable() {
        let c = canonical_json(&base());
        assert_eq!(canonicalize_text(&c).unwrap(), c);
        assert!(super::super::validate::validate_json(&c).is_empty());
    }

    #[test]
    fn duplicate_priorities_do_not_depend_on_order() {
        let mut a = base();
        a.rules[1].rule_priority = 2;
        let mut b = a.clone();
        b.rules.reverse();
        assert_eq!(canonical_json(&a), canonical_json(&b));
    }

    #[test]
    fn unreadable_texts() {
        assert!(canonicalize_text("{").is_err());
        let with_null = r#"{"rules":[{"rulePriority":1,"description":null,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}"#;
        let errs = canonicalize_text(with_null).unwrap_err();
        assert_eq!(errs[0].path, "rules[0].description");
        let without = with_null.replace(r#""description":null,"#, "");
        assert!(!semantically_equal(with_null, &without));
        assert!(semantically_equal(with_null, with_null));
        assert!(semantically_equal(r#"{"x": 1}"#, r#"{ "x":1 }"#));
        assert!(!semantically_equal("nope", "nope "));
        assert!(semantically_equal("nope", "nope"));
    }
}
