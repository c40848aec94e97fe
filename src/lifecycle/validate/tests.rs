use super::*;
use serde_json::json;

/// Pads a document to the API minimum so tests see only the finding under test.
fn text(doc: &Value) -> String {
    let mut s = serde_json::to_string(doc).unwrap();
    while s.chars().count() < MIN_TEXT_CHARS {
        s.push(' ');
    }
    s
}

fn rule(priority: i64, selection: Value, action: Value) -> Value {
    json!({"rulePriority": priority, "selection": selection, "action": action})
}

fn expire() -> Value {
    json!({"type": "expire"})
}

fn archive() -> Value {
    json!({"type": "transition", "targetStorageClass": "archive"})
}

fn keep(n: i64, prefixes: &[&str]) -> Value {
    json!({"tagStatus": "tagged", "tagPrefixList": prefixes, "countType": "imageCountMoreThan", "countNumber": n})
}

fn untagged_days(n: i64) -> Value {
    json!({"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": n})
}

fn policy(rules: Vec<Value>) -> Value {
    json!({ "rules": rules })
}

fn check(doc: Value) -> Vec<Finding> {
    validate_json(&text(&doc))
}

fn rules_of(f: &[Finding]) -> Vec<(&str, &str)> {
    f.iter().map(|f| (f.path.as_str(), f.rule)).collect()
}

/// Validating a document must give exactly these (path, rule) pairs.
#[track_caller]
fn expect(doc: Value, want: &[(&str, &str)]) {
    let got = check(doc);
    assert_eq!(rules_of(&got), want, "findings: {got:#?}");
}

#[test]
fn valid_policies_have_no_findings() {
    expect(
        policy(vec![
            rule(1, keep(10, &["v"]), expire()),
            rule(2, untagged_days(7), expire()),
            rule(
                3,
                json!({"tagStatus": "tagged", "tagPatternList": ["sha-*"], "countType": "imageCountMoreThan", "countNumber": 5}),
                expire(),
            ),
        ]),
        &[],
    );
    // Documented archive example: any/standard transition, any/archive expire.
    expect(
        policy(vec![
            rule(
                1,
                json!({"tagStatus": "any", "countType": "sinceImagePulled", "countUnit": "days", "countNumber": 30}),
                archive(),
            ),
            rule(
                2,
                json!({"tagStatus": "any", "storageClass": "archive", "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 365}),
                expire(),
            ),
        ]),
        &[],
    );
    // Explicit standard storage class, untagged + any (any does not count as untagged).
    expect(
        policy(vec![
            rule(
                1,
                json!({"tagStatus": "untagged", "storageClass": "standard", "countType": "imageCountMoreThan", "countNumber": 1}),
                expire(),
            ),
            rule(
                2,
                json!({"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 100}),
                archive(),
            ),
        ]),
        &[],
    );
    // Four wildcards are fine; overlapping (not identical) lists are fine; non-sequential priorities.
    expect(
        policy(vec![
            rule(
                10,
                json!({"tagStatus": "tagged", "tagPatternList": ["*test*1*2*3", "test*1*2*3*"], "countType": "imageCountMoreThan", "countNumber": 1}),
                expire(),
            ),
            rule(20, keep(3, &["prod", "web"]), expire()),
            rule(30, keep(3, &["prod"]), expire()),
        ]),
        &[],
    );
}

#[test]
fn malformed_json_reports_line_and_column() {
    let f = validate_json("{\n  \"rules\": [\n    {,\n  ]\n}");
    let syntax: Vec<&Finding> = f.iter().filter(|f| f.rule == ids::JSON_SYNTAX).collect();
    assert_eq!(syntax.len(), 1);
    assert!(
        syntax[0].message.contains("line 3, column 6"),
        "{}",
        syntax[0].message
    );
    assert_eq!(syntax[0].path, "");
    let eof = validate_json("{\"rules\": [");
    assert!(eof
        .iter()
        .any(|f| f.rule == ids::JSON_SYNTAX && f.message.contains("ends before")));
}

#[test]
fn non_object_root() {
    for doc in [json!([1, 2]), json!("x"), json!(3), Value::Null] {
        let f = check(doc);
        assert_eq!(rules_of(&f), [("", ids::ROOT_NOT_OBJECT)]);
    }
}

#[test]
fn unknown_properties_at_every_level_are_named() {
    let mut r = rule(
        1,
        untagged_days(1),
        json!({"type": "expire", "targetStorage": "archive"}),
    );
    r["priority"] = json!(1);
    r["selection"]["tagStatuss"] = json!("x");
    let f = check(json!({"rules": [r], "version": 1, "a b": 2}));
    assert_eq!(
        rules_of(&f),
        [
            ("[\"a b\"]", ids::UNKNOWN_PROPERTY),
            ("rules[0].action.targetStorage", ids::UNKNOWN_PROPERTY),
            ("rules[0].priority", ids::UNKNOWN_PROPERTY),
            ("rules[0].selection.tagStatuss", ids::UNKNOWN_PROPERTY),
            ("version", ids::UNKNOWN_PROPERTY),
        ]
    );
    assert!(f[3].message.contains("\"tagStatuss\"") && f[3].message.contains("\"tagStatus\""));
}

#[test]
fn nulls_are_reported_with_their_path() {
    let f = check(policy(vec![
        json!({"rulePriority": 1, "description": null,
               "selection": {"tagStatus": "tagged", "tagPatternList": ["a", null], "countType": "imageCountMoreThan", "countUnit": null, "countNumber": 1},
               "action": {"type": "expire", "targetStorageClass": null}}),
        json!({"rulePriority": 2, "selection": null, "action": expire()}),
    ]));
    assert_eq!(
        rules_of(&f),
        [
            ("rules[0].action.targetStorageClass", ids::NULL_VALUE),
            // A null is still a property that is present: the pairing rules apply too.
            ("rules[0].action.targetStorageClass", ids::EXPIRE_NO_TARGET),
            ("rules[0].description", ids::NULL_VALUE),
            ("rules[0].selection.countUnit", ids::NULL_VALUE),
            ("rules[0].selection.countUnit", ids::COUNT_UNIT_FORBIDDEN),
            ("rules[0].selection.tagPatternList[1]", ids::NULL_VALUE),
            ("rules[1].selection", ids::NULL_VALUE),
        ]
    );
    assert_eq!(
        rules_of(&check(json!({"rules": null}))),
        [("rules", ids::NULL_VALUE)]
    );
}

#[test]
fn wrong_types() {
    let f = check(policy(vec![
        json!({"rulePriority": "1", "description": 5,
               "selection": {"tagStatus": 1, "tagPrefixList": "v", "countType": "imageCountMoreThan", "countNumber": 1.5},
               "action": []}),
        json!({"rulePriority": 1.0, "selection": {"tagStatus": "tagged", "tagPrefixList": ["v", 3], "countType": "imageCountMoreThan", "countNumber": 18446744073709551615u64}, "action": "expire"}),
    ]));
    assert_eq!(
        rules_of(&f),
        [
            ("rules[0].action", ids::WRONG_TYPE),
            ("rules[0].description", ids::WRONG_TYPE),
            ("rules[0].rulePriority", ids::WRONG_TYPE),
            ("rules[0].selection.countNumber", ids::WRONG_TYPE),
            ("rules[0].selection.tagPrefixList", ids::WRONG_TYPE),
            ("rules[0].selection.tagStatus", ids::WRONG_TYPE),
            ("rules[1].action", ids::WRONG_TYPE),
            ("rules[1].rulePriority", ids::WRONG_TYPE),
            ("rules[1].selection.countNumber", ids::WRONG_TYPE),
            ("rules[1].selection.tagPrefixList[1]", ids::WRONG_TYPE),
        ]
    );
    assert!(f[3].message.contains("whole number, found 1.5"));
    assert!(f[8].message.contains("too large"));
    assert_eq!(
        rules_of(&check(json!({"rules": {}}))),
        [("rules", ids::WRONG_TYPE)]
    );
    assert_eq!(
        rules_of(&check(json!({"rules": [1]}))),
        [("rules[0]", ids::WRONG_TYPE)]
    );
}

#[test]
fn missing_required_properties() {
    expect(json!({}), &[("rules", ids::MISSING_PROPERTY)]);
    expect(
        policy(vec![json!({"description": "x"})]),
        &[
            ("rules[0].action", ids::MISSING_PROPERTY),
            ("rules[0].rulePriority", ids::MISSING_PROPERTY),
            ("rules[0].selection", ids::MISSING_PROPERTY),
        ],
    );
    expect(
        policy(vec![rule(1, json!({}), json!({}))]),
        &[
            ("rules[0].action.type", ids::MISSING_PROPERTY),
            ("rules[0].selection.countNumber", ids::MISSING_PROPERTY),
            ("rules[0].selection.countType", ids::MISSING_PROPERTY),
            ("rules[0].selection.tagStatus", ids::MISSING_PROPERTY),
        ],
    );
}

#[test]
fn unknown_enum_values_list_the_allowed_ones() {
    let f = check(policy(vec![rule(
        1,
        json!({"tagStatus": "TAGGED", "tagPrefixList": ["v"], "storageClass": "glacier", "countType": "sinceImageBuilt", "countUnit": "hours", "countNumber": 1}),
        json!({"type": "keep", "targetStorageClass": "cold"}),
    )]));
    assert_eq!(
        rules_of(&f),
        [
            ("rules[0].action.targetStorageClass", ids::ENUM_VALUE),
            ("rules[0].action.type", ids::ENUM_VALUE),
            ("rules[0].selection.countType", ids::ENUM_VALUE),
            ("rules[0].selection.countUnit", ids::ENUM_VALUE),
            ("rules[0].selection.storageClass", ids::ENUM_VALUE),
            ("rules[0].selection.tagStatus", ids::ENUM_VALUE),
        ]
    );
    assert!(
        f[1].message.contains("\"expire\", \"transition\""),
        "{}",
        f[1].message
    );
    assert!(f[2].message.contains("\"sinceImageTransitioned\""));
    assert!(f[3].message.contains("allowed values are \"days\""));
    assert!(
        f[5].message.contains("did you mean \"tagged\""),
        "{}",
        f[5].message
    );
}

#[test]
fn text_length_limits() {
    let small = r#"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}"#;
    assert!(check_text_length(small).is_none());
    assert!(validate_json(small).is_empty());
    let f = validate_json(r#"{"rules":[]}"#);
    assert_eq!(
        rules_of(&f),
        [("", ids::TEXT_LENGTH), ("rules", ids::RULES_EMPTY)]
    );
    assert!(f[0].message.contains("12 characters"));
    assert!(check_text_length(&"x".repeat(99)).is_some());
    assert!(check_text_length(&"x".repeat(100)).is_none());
    assert!(
        check_text_length(&"é".repeat(MAX_TEXT_CHARS)).is_none(),
        "characters, not bytes"
    );
    let long = check_text_length(&"x".repeat(MAX_TEXT_CHARS + 1)).unwrap();
    assert!(long.message.contains("at most 30720"));
}

#[test]
fn rule_count_limits() {
    expect(policy(vec![]), &[("rules", ids::RULES_EMPTY)]);
    let fifty: Vec<Value> = (1..=50)
        .map(|i| rule(i, keep(1, &[&format!("t{i}-")]), expire()))
        .collect();
    expect(policy(fifty.clone()), &[]);
    let mut many = fifty;
    many.push(rule(51, keep(1, &["t51-"]), expire()));
    expect(policy(many), &[("rules", ids::TOO_MANY_RULES)]);
}

#[test]
fn priorities_unique_and_positive() {
    let f = check(policy(vec![
        rule(2, keep(1, &["a"]), expire()),
        rule(0, keep(1, &["b"]), expire()),
        rule(2, keep(1, &["c"]), expire()),
        rule(-3, keep(1, &["d"]), expire()),
    ]));
    // A priority below 1 has no documented refusal: only the duplicate is an error.
    assert_eq!(
        rules_of(&f),
        [("rules[2].rulePriority", ids::PRIORITY_UNIQUE)]
    );
    assert!(
        f[0].message.contains("rules[0] and rules[2]"),
        "{}",
        f[0].message
    );
    let p = policy(vec![
        rule(0, keep(1, &["b"]), expire()),
        rule(1, keep(1, &["c"]), expire()),
    ]);
    let parsed = parse_policy(&serde_json::to_string(&p).unwrap()).unwrap();
    let warned: Vec<_> = lint(&parsed)
        .into_iter()
        .map(|w| (w.path.to_string(), w.rule))
        .collect();
    assert_eq!(
        warned,
        [("rules[0].rulePriority".to_string(), ids::PRIORITY_MIN)]
    );
}

#[test]
fn any_must_be_last_per_storage_class() {
    let any_keep = json!({"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 5});
    let f = check(policy(vec![
        rule(1, any_keep.clone(), expire()),
        rule(2, keep(1, &["v"]), expire()),
    ]));
    assert_eq!(
        rules_of(&f),
        [("rules[0].rulePriority", ids::ANY_MUST_BE_LAST)]
    );
    assert!(
        f[0].message.contains("rules[1] (rulePriority 2) is higher"),
        "{}",
        f[0].message
    );
    // A higher-priority rule of the *other* storage class is fine.
    let archived = json!({"tagStatus": "tagged", "tagPrefixList": ["v"], "storageClass": "archive", "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 90});
    expect(
        policy(vec![
            rule(1, any_keep.clone(), expire()),
            rule(2, archived, expire()),
        ]),
        &[],
    );
    // Two `any` rules in one class: the lower one is reported.
    let f = check(policy(vec![
        rule(3, any_keep.clone(), expire()),
        rule(4, any_keep, archive()),
    ]));
    assert_eq!(
        rules_of(&f),
        [("rules[0].rulePriority", ids::ANY_MUST_BE_LAST)]
    );
}

#[test]
fn one_untagged_rule_per_storage_class() {
    let f = check(policy(vec![
        rule(1, untagged_days(1), expire()),
        rule(
            2,
            json!({"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 3}),
            expire(),
        ),
        rule(
            3,
            json!({"tagStatus": "untagged", "storageClass": "archive", "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 100}),
            expire(),
        ),
    ]));
    assert_eq!(
        rules_of(&f),
        [("rules[1].selection.tagStatus", ids::SINGLE_UNTAGGED)]
    );
    assert!(f[0]
        .message
        .contains("rules[0] (rulePriority 1) and rules[1] (rulePriority 2)"));
}

#[test]
fn tag_list_rules() {
    let sel = |extra: Value, status: &str| {
        let mut s =
            json!({"tagStatus": status, "countType": "imageCountMoreThan", "countNumber": 1});
        for (k, v) in extra.as_object().unwrap() {
            s[k] = v.clone();
        }
        s
    };
    expect(
        policy(vec![rule(1, sel(json!({}), "tagged"), expire())]),
        &[("rules[0].selection", ids::TAG_LIST_REQUIRED)],
    );
    expect(
        policy(vec![rule(
            1,
            sel(json!({"tagPatternList": []}), "tagged"),
            expire(),
        )]),
        &[("rules[0].selection.tagPatternList", ids::TAG_LIST_REQUIRED)],
    );
    expect(
        policy(vec![rule(
            1,
            sel(
                json!({"tagPatternList": ["a*"], "tagPrefixList": ["a"]}),
                "tagged",
            ),
            expire(),
        )]),
        &[(
            "rules[0].selection.tagPatternList",
            ids::TAG_LISTS_EXCLUSIVE,
        )],
    );
    // An empty second list counts as missing, so this is just a prefix rule.
    expect(
        policy(vec![rule(
            1,
            sel(
                json!({"tagPatternList": [], "tagPrefixList": ["a"]}),
                "tagged",
            ),
            expire(),
        )]),
        &[],
    );
    expect(
        policy(vec![rule(
            1,
            sel(json!({"tagPrefixList": ["a"]}), "untagged"),
            expire(),
        )]),
        &[(
            "rules[0].selection.tagPrefixList",
            ids::TAG_LIST_REQUIRES_TAGGED,
        )],
    );
    expect(
        policy(vec![rule(
            1,
            sel(
                json!({"tagPatternList": ["a"], "tagPrefixList": ["b"]}),
                "any",
            ),
            expire(),
        )]),
        &[
            (
                "rules[0].selection.tagPatternList",
                ids::TAG_LIST_REQUIRES_TAGGED,
            ),
            (
                "rules[0].selection.tagPrefixList",
                ids::TAG_LIST_REQUIRES_TAGGED,
            ),
        ],
    );
    expect(
        policy(vec![rule(
            1,
            sel(json!({"tagPrefixList": []}), "untagged"),
            expire(),
        )]),
        &[],
    );
    // A wrongly typed list is reported once, not also as "missing".
    expect(
        policy(vec![rule(
            1,
            sel(json!({"tagPrefixList": "a"}), "tagged"),
            expire(),
        )]),
        &[("rules[0].selection.tagPrefixList", ids::WRONG_TYPE)],
    );
}

#[test]
fn wildcard_limit() {
    let f = check(policy(vec![rule(
        3,
        json!({"tagStatus": "tagged", "tagPatternList": ["ok*", "a*b*c*d*e*f", "test*1*2*3*4*5*6"], "countType": "imageCountMoreThan", "countNumber": 1}),
        expire(),
    )]));
    assert_eq!(
        rules_of(&f),
        [
            (
                "rules[0].selection.tagPatternList",
                ids::TAG_PATTERN_WILDCARDS
            ),
            (
                "rules[0].selection.tagPatternList",
                ids::TAG_PATTERN_WILDCARDS
            )
        ]
    );
    assert_eq!(
        f[0].message,
        "tagPatternList entry \"a*b*c*d*e*f\" has 5 wildcards; ECR allows at most 4 per pattern"
    );
    assert!(f[1].message.contains("has 6 wildcards"));
}

#[test]
fn identical_tag_lists_in_one_storage_class() {
    let f = check(policy(vec![
        rule(1, keep(1, &["prod", "web"]), expire()),
        rule(2, keep(5, &["web", "prod", "web"]), archive()),
        rule(
            3,
            json!({"tagStatus": "tagged", "tagPatternList": ["prod", "web"], "countType": "imageCountMoreThan", "countNumber": 1}),
            expire(),
        ),
        rule(
            4,
            json!({"tagStatus": "tagged", "tagPrefixList": ["prod", "web"], "storageClass": "archive", "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 90}),
            expire(),
        ),
    ]));
    // Same set (order and duplicates ignored) → error; pattern vs prefix and other class → fine.
    assert_eq!(
        rules_of(&f),
        [("rules[1].selection.tagPrefixList", ids::UNIQUE_TAG_LISTS)]
    );
    assert!(
        f[0].message.contains("as rules[0] (rulePriority 1)"),
        "{}",
        f[0].message
    );
}

#[test]
fn count_unit_iff_since() {
    let f = check(policy(vec![
        rule(
            1,
            json!({"tagStatus": "untagged", "countType": "sinceImagePushed", "countNumber": 3}),
            expire(),
        ),
        rule(
            2,
            json!({"tagStatus": "any", "countType": "imageCountMoreThan", "countUnit": "days", "countNumber": 3}),
            expire(),
        ),
        rule(
            3,
            json!({"tagStatus": "tagged", "tagPrefixList": ["x"], "countType": "sinceImagePulled", "countNumber": 3}),
            archive(),
        ),
    ]));
    assert_eq!(
        rules_of(&f),
        [
            ("rules[0].selection.countUnit", ids::COUNT_UNIT_REQUIRED),
            ("rules[1].rulePriority", ids::ANY_MUST_BE_LAST),
            ("rules[1].selection.countUnit", ids::COUNT_UNIT_FORBIDDEN),
            ("rules[2].selection.countUnit", ids::COUNT_UNIT_REQUIRED),
        ]
    );
    // An invalid unit is one finding, not also "required".
    expect(
        policy(vec![rule(
            1,
            json!({"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "weeks", "countNumber": 3}),
            expire(),
        )]),
        &[("rules[0].selection.countUnit", ids::ENUM_VALUE)],
    );
}

#[test]
fn count_number_minimums() {
    expect(
        policy(vec![rule(1, keep(0, &["a"]), expire())]),
        &[("rules[0].selection.countNumber", ids::COUNT_NUMBER_MIN)],
    );
    expect(
        policy(vec![rule(1, keep(-1, &["a"]), expire())]),
        &[("rules[0].selection.countNumber", ids::COUNT_NUMBER_MIN)],
    );
    let transitioned = |n: i64| json!({"tagStatus": "any", "storageClass": "archive", "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": n});
    expect(
        policy(vec![rule(1, transitioned(89), expire())]),
        &[("rules[0].selection.countNumber", ids::ARCHIVE_MINIMUM_DAYS)],
    );
    expect(policy(vec![rule(1, transitioned(90), expire())]), &[]);
    expect(
        policy(vec![rule(1, transitioned(0), expire())]),
        &[("rules[0].selection.countNumber", ids::COUNT_NUMBER_MIN)],
    );
}

#[test]
fn storage_class_and_action_pairings() {
    let sel = |ct: &str, sc: Option<&str>| {
        let mut s = json!({"tagStatus": "untagged", "countType": ct, "countNumber": 100});
        if ct != "imageCountMoreThan" {
            s["countUnit"] = json!("days");
        }
        if let Some(sc) = sc {
            s["storageClass"] = json!(sc);
        }
        s
    };
    for ct in ["imageCountMoreThan", "sinceImagePushed"] {
        expect(
            policy(vec![rule(1, sel(ct, Some("archive")), expire())]),
            &[(
                "rules[0].selection.storageClass",
                ids::STORAGE_CLASS_COUNT_TYPE,
            )],
        );
        expect(
            policy(vec![rule(1, sel(ct, Some("standard")), archive())]),
            &[],
        );
    }
    expect(
        policy(vec![rule(
            1,
            sel("sinceImagePulled", Some("archive")),
            expire(),
        )]),
        &[
            ("rules[0].action.type", ids::PULLED_NEEDS_TRANSITION),
            (
                "rules[0].selection.storageClass",
                ids::STORAGE_CLASS_COUNT_TYPE,
            ),
        ],
    );
    expect(
        policy(vec![rule(1, sel("sinceImagePulled", None), archive())]),
        &[],
    );
    expect(
        policy(vec![rule(1, sel("sinceImageTransitioned", None), expire())]),
        &[(
            "rules[0].selection.storageClass",
            ids::TRANSITIONED_NEEDS_ARCHIVE,
        )],
    );
    expect(
        policy(vec![rule(
            1,
            sel("sinceImageTransitioned", Some("standard")),
            archive(),
        )]),
        &[
            ("rules[0].action.type", ids::TRANSITIONED_NEEDS_EXPIRE),
            (
                "rules[0].selection.storageClass",
                ids::TRANSITIONED_NEEDS_ARCHIVE,
            ),
        ],
    );
    expect(
        policy(vec![rule(
            1,
            sel("sinceImageTransitioned", Some("archive")),
            expire(),
        )]),
        &[],
    );
}

#[test]
fn action_target_rules() {
    let s = untagged_days(3);
    expect(
        policy(vec![rule(1, s.clone(), json!({"type": "transition"}))]),
        &[(
            "rules[0].action.targetStorageClass",
            ids::TRANSITION_TARGET_REQUIRED,
        )],
    );
    expect(
        policy(vec![rule(
            1,
            s.clone(),
            json!({"type": "transition", "targetStorageClass": "standard"}),
        )]),
        &[(
            "rules[0].action.targetStorageClass",
            ids::TRANSITION_TARGET_ARCHIVE,
        )],
    );
    expect(
        policy(vec![rule(
            1,
            s,
            json!({"type": "expire", "targetStorageClass": "archive"}),
        )]),
        &[("rules[0].action.targetStorageClass", ids::EXPIRE_NO_TARGET)],
    );
}

#[test]
fn all_findings_are_reported_and_sorted_numerically() {
    let mut rules: Vec<Value> = (1..=12)
        .map(|i| rule(i, keep(1, &[&format!("t{i}")]), expire()))
        .collect();
    rules[2]["selection"]["countNumber"] = json!(0);
    rules[10]["selection"]["countNumber"] = json!(0);
    rules[10]["action"]["type"] = json!("delete");
    rules[11]["bogus"] = json!(true);
    let f = check(policy(rules));
    assert_eq!(
        rules_of(&f),
        [
            ("rules[2].selection.countNumber", ids::COUNT_NUMBER_MIN),
            ("rules[10].action.type", ids::ENUM_VALUE),
            ("rules[10].selection.countNumber", ids::COUNT_NUMBER_MIN),
            ("rules[11].bogus", ids::UNKNOWN_PROPERTY),
        ]
    );
}

#[test]
fn typed_validation_matches_text_validation() {
    let doc = policy(vec![
        rule(
            1,
            json!({"tagStatus": "any", "countType": "imageCountMoreThan", "countUnit": "days", "countNumber": 0}),
            json!({"type": "transition"}),
        ),
        rule(1, untagged_days(1), expire()),
        rule(2, untagged_days(2), expire()),
    ]);
    let from_text = check(doc.clone());
    let typed: LifecyclePolicy = serde_json::from_value(doc).unwrap();
    assert_eq!(validate(&typed), from_text);
    assert_eq!(from_text.len(), 6, "{from_text:#?}");
}

#[test]
fn parse_policy_accepts_semantic_errors_but_not_shape_errors() {
    let bad_semantics = text(&policy(vec![rule(1, keep(0, &["a"]), expire())]));
    assert!(parse_policy(&bad_semantics).is_ok());
    let err = parse_policy(&text(&policy(vec![rule(
        1,
        keep(1, &["a"]),
        json!({"type": null}),
    )])))
    .unwrap_err();
    assert!(err.iter().any(Finding::is_shape_error));
    assert!(parse_policy("nope").is_err());
}

#[test]
fn lint_warns_about_and_semantics() {
    let p: LifecyclePolicy = serde_json::from_value(policy(vec![
        rule(1, keep(1, &["latest", "main", "master"]), expire()),
        rule(2, keep(1, &["v", "v"]), expire()),
    ]))
    .unwrap();
    let f = lint(&p);
    assert_eq!(
        rules_of(&f),
        [(
            "rules[0].selection.tagPrefixList",
            ids::MULTI_ENTRY_TAG_LIST
        )]
    );
    assert!(f[0].message.contains("all of them"));
}

#[test]
fn display_includes_path() {
    let f = Finding {
        path: JsonPath::rule(0),
        rule: ids::PRIORITY_MIN,
        message: "m".into(),
    };
    assert_eq!(f.to_string(), "rules[0]: m");
}
