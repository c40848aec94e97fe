use super::document::{blocks_from_policy, rules_canonical};
use super::paths::{config_path, BlockNames};
use super::testing::seed;
use super::{check_rules, ActionBlock, RuleBlock, SelectionBlock};
use crate::framework::{Diagnostics, Val};
use crate::lifecycle;
use crate::lifecycle::validate::{JsonPath, Names};
use serde_json::Number;

#[test]
fn paths_and_messages() {
    // Nothing a path could hold makes the mapping panic.
    for weird in [
        JsonPath::root().key("a\"é"),
        JsonPath::root().index(0).key("x"),
        JsonPath::rule(99_999_999),
        JsonPath::root().key("é").index(0),
        JsonPath::rule(0).key("selection").key("é").index(1),
    ] {
        let _ = config_path(&weird, &[], &[]);
    }
    let blocks = seed();
    assert_eq!(
        config_path(
            &JsonPath::rule(1)
                .key("selection")
                .key("tagPrefixList")
                .index(0),
            &blocks,
            &[0, 2]
        )
        .to_string(),
        "rule[2].selection[0].tag_prefix_list[0]"
    );
    assert_eq!(
        config_path(
            &JsonPath::rule(0).key("action").key("type"),
            &blocks,
            &[0, 1]
        )
        .to_string(),
        "rule[0]"
    );
    assert_eq!(
        config_path(&JsonPath::rule(9), &blocks, &[0]).to_string(),
        "rule"
    );
    assert_eq!(
        config_path(&JsonPath::root(), &blocks, &[0]).to_string(),
        "rule"
    );
    // Messages are written in the configuration's names (document rule i is rule[index[i]]).
    let names = BlockNames { index: &[3, 5] };
    assert_eq!(
        format!(
            "{} ({} 2) uses the same {} as {}; {} \"sinceImagePushed\"",
            names.rule(1),
            names.field("rulePriority"),
            names.field("tagPrefixList"),
            names.rule(0),
            names.field("targetStorageClass")
        ),
        "rule[5] (priority 2) uses the same tag_prefix_list as rule[3]; target_storage_class \"sinceImagePushed\""
    );
    assert_eq!(
        names.rule(7),
        "rules[7]",
        "a rule left out keeps its document name"
    );
    let doc = r#"{"rules":[{"rulePriority":1,"description":"padding padding padding","selection":{"tagStatus":"tagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}},{"rulePriority":2,"selection":{"tagStatus":"tagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":2},"action":{"type":"expire"}}]}"#;
    let f = lifecycle::validate::validate_json_with(doc, &names);
    assert!(
        f.iter().any(|f| f.message.starts_with(
            "rule[5] (priority 2) uses the same tag_prefix_list [\"v\"] as rule[3] (priority 1)"
        )),
        "{f:#?}"
    );
}

#[test]
fn blocks_round_trip_through_the_policy() {
    let text = r#"{"rules":[{"rulePriority":1,"description":"d","selection":{"tagStatus":"tagged","tagPatternList":["p*"],"countType":"sinceImagePulled","countUnit":"days","countNumber":30},"action":{"type":"transition","targetStorageClass":"archive"}},{"rulePriority":2,"selection":{"tagStatus":"any","storageClass":"archive","countType":"sinceImageTransitioned","countUnit":"days","countNumber":90},"action":{"type":"expire"}}]}"#;
    let p = lifecycle::parse_policy(text).unwrap();
    let blocks = blocks_from_policy(&p, &[]);
    assert_eq!(
        rules_canonical(&blocks),
        Some(lifecycle::canonical_json(&p))
    );
    let mut d = Diagnostics::new();
    assert!(check_rules(&Val::Known(blocks), &mut d).is_some(), "{d:?}");
}

fn arb_val<T: std::fmt::Debug + Clone + 'static>(
    known: impl proptest::strategy::Strategy<Value = T> + 'static,
) -> impl proptest::strategy::Strategy<Value = Val<T>> {
    use proptest::prelude::*;
    prop_oneof![1 => Just(Val::Null), 1 => Just(Val::Unknown), 6 => known.prop_map(Val::Known)]
}

fn arb_rule() -> impl proptest::strategy::Strategy<Value = RuleBlock> {
    use proptest::prelude::*;
    let word = |w: Vec<&'static str>| prop::sample::select(w).prop_map(String::from);
    let list = || {
        arb_val(prop::collection::vec(
            arb_val(word(vec!["v", "a*b*c*d*e*", "sha-", ""])),
            0..3,
        ))
    };
    let num = || arb_val((-1i64..120).prop_map(Number::from));
    let sel = (
        arb_val(word(vec!["tagged", "untagged", "any", "TAGGED"])),
        list(),
        list(),
        arb_val(word(vec!["standard", "archive"])),
        arb_val(word(vec![
            "imageCountMoreThan",
            "sinceImagePushed",
            "sinceImagePulled",
            "sinceImageTransitioned",
        ])),
        arb_val(word(vec!["days", "hours"])),
        num(),
    )
        .prop_map(|(ts, pre, pat, sc, ct, cu, cn)| SelectionBlock {
            tag_status: ts,
            tag_prefix_list: pre,
            tag_pattern_list: pat,
            storage_class: sc,
            count_type: ct,
            count_unit: cu,
            count_number: cn,
            unknown: false,
        });
    let act = (
        arb_val(word(vec!["expire", "transition"])),
        arb_val(word(vec!["archive", "standard"])),
    )
        .prop_map(|(t, c)| ActionBlock {
            r#type: t,
            target_storage_class: c,
            unknown: false,
        });
    (
        num(),
        arb_val(word(vec!["", "d"])),
        arb_val(prop::collection::vec(sel, 0..2)),
        arb_val(prop::collection::vec(act, 0..2)),
        any::<u8>(),
    )
        .prop_map(|(p, d, s, a, u)| RuleBlock {
            priority: p,
            description: d,
            selection: s,
            action: a,
            unknown: u == 0,
        })
}

proptest::proptest! {
    /// Any configuration: no panic, every diagnostic on `rule` or inside an existing rule,
    /// and a canonical text only for configurations without errors.
    #[test]
    fn any_rule_blocks_are_mapped_safely(rules in proptest::collection::vec(arb_rule(), 0..6)) {
        let mut d = Diagnostics::new();
        let canonical = check_rules(&Val::Known(rules.clone()), &mut d);
        for x in &d.0 {
            let p = x.attribute.as_ref().unwrap();
            proptest::prop_assert_eq!(&p.0[0], &crate::protocol::cty::PathStep::Attr("rule".into()));
            if let Some(crate::protocol::cty::PathStep::Index(i)) = p.0.get(1) {
                proptest::prop_assert!((*i as usize) < rules.len());
            }
            proptest::prop_assert!(x.detail.starts_with(&p.to_string()));
        }
        if canonical.is_some() {
            proptest::prop_assert!(!d.has_errors());
            proptest::prop_assert!(lifecycle::validate_json(canonical.as_deref().unwrap()).is_empty());
        }
    }
}
