use super::policy::policy_of;
use super::reconcile::reconcile;
use super::*;
use crate::aws::reads::RemotePolicy;
use crate::protocol::diagnostics::Severity;
use crate::shared::lifecycle_rules::document::build_rules;
use crate::shared::lifecycle_rules::testing::{n, rule, seed, sel, strs};
use crate::shared::lifecycle_rules::{ActionBlock, SelectionBlock};
use serde_json::Number;

fn model_rules(rules: Vec<RuleBlock>) -> Model {
    Model {
        repository: Val::of("app"),
        rule: Val::Known(rules),
        ..Default::default()
    }
}

fn diags_for(m: &Model) -> Diagnostics {
    let mut d = Diagnostics::new();
    EcrLifecyclePolicy.validate(m, &mut d);
    d
}

fn errors(d: &Diagnostics) -> Vec<(String, String, String)> {
    d.0.iter()
        .filter(|x| x.severity == Severity::Error)
        .map(|x| {
            (
                x.attribute
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                x.summary.clone(),
                x.detail.clone(),
            )
        })
        .collect()
}

#[test]
fn seed_policy_is_valid_and_canonical() {
    let m = model_rules(seed());
    let d = diags_for(&m);
    assert!(d.is_empty(), "{d:?}");
    let mut q = Diagnostics::new();
    let c = policy_of(&m, &mut q).unwrap();
    assert_eq!(
        c,
        concat!(
            r#"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}},"#,
            r#"{"rulePriority":2,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":7},"action":{"type":"expire"}},"#,
            r#"{"rulePriority":3,"selection":{"tagStatus":"tagged","tagPatternList":["sha-*"],"countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}}]}"#
        )
    );
    // The JSON form of the same policy, written differently, has the same canonical text.
    let json = Model {
        repository: Val::of("app"),
        policy: Val::of(format!(" {}\n", c.replace(",", ", "))),
        rule: Val::Known(vec![]),
        ..Default::default()
    };
    assert_eq!(policy_of(&json, &mut q), Some(c));
    assert!(q.is_empty());
}

#[test]
fn findings_point_at_the_rule_block_attribute() {
    let mut rules = seed();
    // rule[2]: five wildcards; rule[1] duplicates rule[0]'s priority.
    rules[2].selection = Val::Known(vec![SelectionBlock {
        tag_pattern_list: strs(&["a*b*c*d*e*f"]),
        ..sel("tagged", "imageCountMoreThan", 5)
    }]);
    rules[1].priority = n(1);
    let e = errors(&diags_for(&model_rules(rules)));
    assert!(
        e.iter()
            .any(|(p, s, d)| p == "rule[2].selection[0].tag_pattern_list"
                && s == "Too many wildcards in a tag pattern"
                && d.starts_with("rule[2].selection[0].tag_pattern_list: tag_pattern_list entry")),
        "{e:#?}"
    );
    assert!(
        e.iter().any(|(p, s, d)| p == "rule[1].priority"
            && s == "Duplicate rule priority"
            && d.contains("both rule[0] and rule[1]")),
        "{e:#?}"
    );
}

#[test]
fn rules_left_out_for_unknowns_keep_the_index_mapping() {
    let mut rules = seed();
    // rule[0] has an unknown priority: left out, so document rule 0 is config rule 1.
    rules[0].priority = Val::Unknown;
    rules[2].selection = Val::Known(vec![SelectionBlock {
        tag_prefix_list: strs(&["x"]),
        ..sel("any", "imageCountMoreThan", 5)
    }]);
    let built = build_rules(&rules);
    assert_eq!(built.index, vec![1, 2]);
    assert!(!built.complete);
    let e = errors(&diags_for(&model_rules(rules.clone())));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].0, "rule[2].selection[0].tag_prefix_list");
    assert!(e[0].2.contains("tag_status \"any\""), "{}", e[0].2);
    // Unknown everything: nothing reported, policy_json unknown.
    let unknown = Model {
        repository: Val::of("app"),
        rule: Val::Unknown,
        ..Default::default()
    };
    assert!(diags_for(&unknown).is_empty());
    let mut q = Diagnostics::new();
    assert_eq!(policy_of(&model_rules(rules), &mut q), None);
}

#[test]
fn unknown_values_are_skipped_not_errors() {
    let mut rules = seed();
    rules[1].selection = Val::Known(vec![SelectionBlock {
        count_unit: Val::Unknown,
        ..sel("untagged", "sinceImagePushed", 7)
    }]);
    rules[2].description = Val::Unknown;
    rules[0].selection = Val::Known(vec![SelectionBlock {
        tag_prefix_list: Val::Known(vec![Val::Unknown]),
        ..sel("tagged", "imageCountMoreThan", 10)
    }]);
    assert!(diags_for(&model_rules(rules)).is_empty());
    let json = Model {
        repository: Val::of("app"),
        policy: Val::Unknown,
        rule: Val::Known(vec![]),
        ..Default::default()
    };
    assert!(diags_for(&json).is_empty());
}

#[test]
fn every_structured_mistake_names_the_attribute() {
    let cases: Vec<(RuleBlock, &str, &str)> = vec![
        (
            rule(1, sel("tagged", "imageCountMoreThan", 3)),
            "rule[0].selection[0]",
            "Tagged rule without a tag list",
        ),
        (
            rule(
                1,
                SelectionBlock {
                    count_unit: Val::of("days"),
                    ..sel("any", "imageCountMoreThan", 3)
                },
            ),
            "rule[0].selection[0].count_unit",
            "Count unit not allowed with an image count",
        ),
        (
            rule(1, sel("untagged", "sinceImagePulled", 3)),
            "rule[0]",
            "sinceImagePulled can only transition images",
        ),
        (
            RuleBlock {
                action: Val::Known(vec![ActionBlock {
                    r#type: Val::of("transition"),
                    ..Default::default()
                }]),
                ..rule(1, sel("untagged", "sinceImagePulled", 3))
            },
            "rule[0].action[0].target_storage_class",
            "Transition without a target storage class",
        ),
        (
            rule(1, sel("TAGGED", "imageCountMoreThan", 3)),
            "rule[0].selection[0].tag_status",
            "Value not allowed in lifecycle policy",
        ),
        (
            RuleBlock {
                priority: Val::Known(Number::from_f64(1.5).unwrap()),
                ..rule(1, sel("any", "imageCountMoreThan", 3))
            },
            "rule[0].priority",
            "Wrong value type in lifecycle policy",
        ),
        (
            rule(1, sel("untagged", "imageCountMoreThan", 0)),
            "rule[0].selection[0].count_number",
            "Count number below 1",
        ),
    ];
    for (r, path, summary) in cases {
        let e = errors(&diags_for(&model_rules(vec![r])));
        assert!(
            e.iter().any(|(p, s, _)| p == path && s == summary),
            "{path}: {e:#?}"
        );
    }
    // any before another rule of the same storage class.
    let e = errors(&diags_for(&model_rules(vec![
        rule(1, sel("any", "imageCountMoreThan", 3)),
        rule(2, sel("untagged", "imageCountMoreThan", 3)),
    ])));
    assert!(
        e.iter().any(|(p, s, d)| p == "rule[0].priority"
            && s.contains("highest priority")
            && d.contains("rule[1] (priority 2)")),
        "{e:#?}"
    );
}

#[test]
fn json_form_findings_point_at_policy() {
    let m = Model {
        repository: Val::of("app"),
        policy: Val::of(
            r#"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1,"bogus":1},"action":{"type":"expire"}}]}"#,
        ),
        rule: Val::Known(vec![]),
        ..Default::default()
    };
    let e = errors(&diags_for(&m));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].0, "policy");
    assert_eq!(e[0].1, "Unknown property in lifecycle policy");
    assert!(e[0].2.contains("rules[0].selection.bogus"), "{}", e[0].2);
    let bad = Model {
        policy: Val::of("{\"rules\": ["),
        ..m.clone()
    };
    let e = errors(&diags_for(&bad));
    assert_eq!(
        (e[0].0.as_str(), e[0].1.as_str()),
        ("policy", "Malformed lifecycle policy JSON")
    );
    let both = Model {
        rule: Val::Known(seed()),
        ..m.clone()
    };
    assert!(errors(&diags_for(&both))
        .iter()
        .any(|(p, s, _)| p == "policy" && s.contains("Conflicting")));
    let neither = Model {
        policy: Val::Null,
        ..m
    };
    assert!(errors(&diags_for(&neither))
        .iter()
        .any(|(_, s, _)| s == "Missing lifecycle policy"));
}

#[test]
fn long_canonical_text_is_rejected() {
    let rules: Vec<RuleBlock> = (1..=50)
        .map(|i| RuleBlock {
            description: Val::of("x".repeat(650)),
            ..rule(
                i,
                SelectionBlock {
                    tag_prefix_list: strs(&[&format!("p{i}-")]),
                    ..sel("tagged", "imageCountMoreThan", 3)
                },
            )
        })
        .collect();
    let e = errors(&diags_for(&model_rules(rules)));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].0, "rule");
    assert!(
        e[0].1.contains("too short or too long") && e[0].2.contains("at most 30720"),
        "{e:#?}"
    );
}

#[test]
fn wholly_unknown_blocks_are_unknown_not_null() {
    let v = crate::protocol::cty::Value::object([
        ("repository", crate::protocol::cty::Value::string("app")),
        (
            "rule",
            crate::protocol::cty::Value::List(vec![crate::protocol::cty::Value::Unknown]),
        ),
    ]);
    let m: Model = crate::framework::val::decode_model(&v).unwrap();
    assert!(m.rule.items()[0].unknown);
    assert!(diags_for(&m).is_empty());
    let back = crate::framework::val::encode_model(&m, &EcrLifecyclePolicy.schema().block).unwrap();
    assert!(back.get_attr("rule").is_some());
}

#[test]
fn lint_warnings_do_not_fail() {
    let m = model_rules(vec![
        rule(
            1,
            SelectionBlock {
                tag_prefix_list: strs(&["v", "release"]),
                ..sel("tagged", "imageCountMoreThan", 10)
            },
        ),
        rule(2, sel("any", "sinceImagePushed", 30)),
    ]);
    let d = diags_for(&m);
    assert!(!d.has_errors(), "{d:?}");
    assert_eq!(d.0.len(), 1);
    assert_eq!(
        d.0[0].attribute.as_ref().unwrap().to_string(),
        "rule[0].selection[0].tag_prefix_list"
    );
}

#[test]
fn formatting_changes_plan_the_prior_value() {
    let text = r#"{"rules":[{"rulePriority":1,"description":"keep","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}}]}"#;
    let prior = Model {
        region: Val::of("us-east-1"),
        id: Val::of("app"),
        repository: Val::of("app"),
        registry_id: Val::of("123456789012"),
        policy: Val::of(text),
        policy_json: Val::of(lifecycle::canonicalize_text(text).unwrap()),
        rule: Val::Known(vec![]),
    };
    let reformatted = text
        .replace(":", " : ")
        .replace("{\"rulePriority\":1,", "{")
        .replace("\"action\"", "\"rulePriority\":1,\"action\"");
    let config = Model {
        policy: Val::of(reformatted.clone()),
        id: Val::Null,
        registry_id: Val::Null,
        policy_json: Val::Null,
        ..prior.clone()
    };
    // Through the framework: Terraform's proposal, the schema's plan rules, modify_plan.
    let plan = |config: &Model| {
        crate::framework::testing::plan(
            EcrLifecyclePolicy,
            Some(&prior),
            config,
            None,
            &Default::default(),
        )
        .planned
    };
    assert_eq!(plan(&config), prior);
    // A real change is planned as such.
    let changed = Model {
        policy: Val::of(text.replace("10", "11")),
        ..config
    };
    let planned = plan(&changed);
    assert_ne!(planned.policy, prior.policy);
    assert!(planned
        .policy_json
        .str()
        .unwrap()
        .contains("\"countNumber\":11"));
}

#[test]
fn reordered_rule_blocks_plan_the_prior_value_when_allowed() {
    let mut q = Diagnostics::new();
    let plan_for = |prior_rules: Vec<RuleBlock>, config_rules: Vec<RuleBlock>| {
        let mut q = Diagnostics::new();
        let canon = policy_of(&model_rules(prior_rules.clone()), &mut q).unwrap();
        let prior = Model {
            id: Val::of("app"),
            registry_id: Val::of("1"),
            policy_json: Val::of(canon),
            ..model_rules(prior_rules)
        };
        let config = model_rules(config_rules);
        let mut plan = Plan {
            prior: Some(prior.clone()),
            config: config.clone(),
            planned: config.clone(),
            requires_replace: vec![],
            siblings: Default::default(),
        };
        EcrLifecyclePolicy.modify_plan(&mut plan, None, &mut q);
        (prior, config, plan.planned)
    };
    // Same-shaped rules swapped, tag list entries reordered: the prior value is planned.
    let a = rule(
        1,
        SelectionBlock {
            tag_prefix_list: strs(&["v", "release"]),
            ..sel("tagged", "imageCountMoreThan", 10)
        },
    );
    let b = rule(
        2,
        SelectionBlock {
            tag_prefix_list: strs(&["rc"]),
            ..sel("tagged", "imageCountMoreThan", 3)
        },
    );
    let mut a2 = a.clone();
    a2.selection = Val::Known(vec![SelectionBlock {
        tag_prefix_list: strs(&["release", "v"]),
        ..sel("tagged", "imageCountMoreThan", 10)
    }]);
    let (prior, _, planned) = plan_for(vec![a.clone(), b.clone()], vec![b.clone(), a2]);
    assert_eq!(planned.rule, prior.rule);
    assert_eq!(planned.policy_json, prior.policy_json);
    // Differently-shaped rules swapped: Terraform compares blocks by position, so the
    // configuration is planned (an in-place update that puts the same policy).
    let mut reversed = seed();
    reversed.reverse();
    let (prior, config, planned) = plan_for(seed(), reversed);
    assert_eq!(planned.rule, config.rule);
    assert_eq!(planned.policy_json, prior.policy_json);
    let prior_rules = seed();
    let canon = policy_of(&model_rules(prior_rules.clone()), &mut q).unwrap();
    let prior = Model {
        id: Val::of("app"),
        registry_id: Val::of("1"),
        policy_json: Val::of(canon),
        ..model_rules(prior_rules.clone())
    };
    // storage_class = "standard" written out: same meaning, but the prior null can't stand in
    // for a configured value, so the configuration is planned.
    let mut explicit = prior_rules;
    if let Val::Known(s) = &mut explicit[1].selection {
        s[0].storage_class = Val::of("standard");
    }
    let config = model_rules(explicit);
    let mut plan = Plan {
        prior: Some(prior.clone()),
        config: config.clone(),
        planned: config.clone(),
        requires_replace: vec![],
        siblings: Default::default(),
    };
    EcrLifecyclePolicy.modify_plan(&mut plan, None, &mut q);
    assert_eq!(plan.planned.rule, config.rule);
    assert_eq!(plan.planned.policy_json, prior.policy_json);
}

#[test]
fn read_keeps_equal_text_and_shows_drift() {
    let mine = "{ \"rules\": [ {\"action\": {\"type\": \"expire\"}, \"rulePriority\": 1, \"selection\": {\"countNumber\": 10, \"countType\": \"imageCountMoreThan\", \"tagStatus\": \"any\"}} ] }";
    let state = Model {
        repository: Val::of("app"),
        policy: Val::of(mine),
        policy_json: Val::of(lifecycle::canonicalize_text(mine).unwrap()),
        rule: Val::Known(vec![]),
        ..Default::default()
    };
    let aws_text = lifecycle::canonicalize_text(mine).unwrap();
    let mut d = Diagnostics::new();
    let same = reconcile(
        state.clone(),
        "app",
        RemotePolicy {
            registry_id: Some("1".into()),
            text: aws_text.clone(),
        },
        &mut d,
    );
    assert_eq!(same.policy, state.policy);
    assert_eq!(same.registry_id, Val::of("1"));
    let drifted = aws_text.replace("10", "3");
    let read = reconcile(
        state,
        "app",
        RemotePolicy {
            registry_id: None,
            text: drifted.clone(),
        },
        &mut d,
    );
    assert_eq!(read.policy, Val::of(drifted));
    assert!(d.is_empty());
}

#[test]
fn structured_drift_rebuilds_only_the_changed_rule() {
    let blocks = seed();
    let mut q = Diagnostics::new();
    let canon = policy_of(&model_rules(blocks.clone()), &mut q).unwrap();
    let state = Model {
        policy_json: Val::of(canon.clone()),
        ..model_rules(blocks.clone())
    };
    let drifted = canon.replace("\"countNumber\":7", "\"countNumber\":9");
    let read = reconcile(
        state,
        "app",
        RemotePolicy {
            registry_id: None,
            text: drifted,
        },
        &mut q,
    );
    let rules = read.rule.items();
    assert_eq!(rules.len(), 3);
    assert_eq!(rules[0], blocks[0]);
    assert_eq!(rules[2], blocks[2]);
    assert_eq!(rules[1].selection.items()[0].count_number, n(9));
    assert!(read.policy.is_null());
    // Unreadable remote text falls back to `policy`, with a warning.
    let state = Model {
        policy_json: Val::of(canon),
        ..model_rules(blocks)
    };
    let read = reconcile(
        state,
        "app",
        RemotePolicy {
            registry_id: None,
            text: "{\"rules\":[{\"new\":1}]}".into(),
        },
        &mut q,
    );
    assert_eq!(read.rule, Val::Known(vec![]));
    assert!(read.policy.is_known());
    assert_eq!(q.0.len(), 1);
}

#[test]
fn moved_json_takes_the_rule_blocks_the_configuration_writes() {
    let text = r#"{"rules":[{"action":{"type":"expire"},"rulePriority":1,"selection":{"countNumber":9,"countType":"sinceImagePushed","countUnit":"days","tagStatus":"untagged"}}]}"#;
    let state = serde_json::json!({"id": "moved-lc", "repository": "moved-lc", "policy": text, "registry_id": "123456789012"});
    let src = crate::moves::Source {
        provider_address: "registry.terraform.io/hashicorp/aws",
        type_name: "aws_ecr_lifecycle_policy",
        schema_version: 0,
        state: &state,
        identity: None,
    };
    let m = moved_from_aws(&src, Some("us-east-1")).unwrap();
    assert_eq!(m.policy, Val::of(text));
    assert_eq!(m.rule, Val::Known(vec![]));
    // The configuration writes the same policy as blocks (seen at validate): the moved
    // state takes them, and planning that configuration changes nothing.
    let block = RuleBlock {
        priority: Val::Known(Number::from(1)),
        selection: Val::Known(vec![SelectionBlock {
            tag_status: Val::of("untagged"),
            count_type: Val::of("sinceImagePushed"),
            count_unit: Val::of("days"),
            count_number: Val::Known(Number::from(9)),
            ..Default::default()
        }]),
        // As Terraform sends an absent block: an empty list.
        action: Val::Known(vec![]),
        ..Default::default()
    };
    let config = Model {
        repository: Val::of("moved-lc"),
        rule: Val::Known(vec![block.clone()]),
        ..Default::default()
    };
    EcrLifecyclePolicy.validate(&config, &mut Diagnostics::new());
    let m = moved_from_aws(&src, Some("us-east-1")).unwrap();
    assert_eq!(m.policy, Val::Null);
    assert_eq!(m.rule, Val::Known(vec![block]));
    assert_eq!(m.region, Val::of("us-east-1"));
    let planned = crate::framework::testing::plan(
        EcrLifecyclePolicy,
        Some(&m),
        &config,
        None,
        &Default::default(),
    );
    assert_eq!(planned.planned, m, "a pure move: nothing to change");
    assert!(planned.requires_replace.is_empty());
    crate::framework::hints::record(
        super::moved::MOVED_RULES_HINT,
        &super::moved::rules_key(m.policy_json.str().unwrap()),
        None,
    );
}
