//! The walk over the raw JSON: every shape problem (unknown properties, nulls, wrong types,
//! missing properties) by path and all at once, and a view of whatever could be read for the
//! semantic checks.

use serde_json::{Map, Value};

use super::finding::{Findings, JsonPath};
use super::ids;
use crate::lifecycle::model::{ActionType, CountType, CountUnit, StorageClass, TagStatus};

/// A field as read from the document.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Field<T> {
    Absent,
    /// Present but unusable (null, wrong type, unknown value): already reported.
    Invalid,
    Value(T),
}

impl<T> Field<T> {
    pub(super) fn is_present(&self) -> bool {
        !matches!(self, Field::Absent)
    }
    pub(super) fn value(&self) -> Option<&T> {
        match self {
            Field::Value(v) => Some(v),
            _ => None,
        }
    }
}

impl<T> From<Option<T>> for Field<T> {
    fn from(o: Option<T>) -> Self {
        o.map_or(Field::Absent, Field::Value)
    }
}

/// Tag list entries; `None` marks an entry that is not a string (already reported).
pub(super) type TagList = Vec<Option<String>>;

pub(super) struct SelectionView {
    pub(super) tag_status: Field<TagStatus>,
    pub(super) prefix: Field<TagList>,
    pub(super) pattern: Field<TagList>,
    pub(super) storage_class: Field<StorageClass>,
    pub(super) count_type: Field<CountType>,
    pub(super) count_unit: Field<CountUnit>,
    pub(super) count_number: Field<i64>,
}

pub(super) struct ActionView {
    pub(super) action_type: Field<ActionType>,
    pub(super) target: Field<StorageClass>,
}

/// What the semantic checks know about one rule; `None` parts could not be read.
pub(super) struct RuleView {
    pub(super) index: usize,
    pub(super) priority: Field<i64>,
    pub(super) selection: Option<SelectionView>,
    pub(super) action: Option<ActionView>,
}

impl RuleView {
    pub(super) fn from_rule(index: usize, r: &crate::lifecycle::model::Rule) -> Self {
        let list = |l: &Option<Vec<String>>| -> Field<TagList> {
            l.as_ref()
                .map(|v| v.iter().cloned().map(Some).collect())
                .into()
        };
        RuleView {
            index,
            priority: Field::Value(r.rule_priority),
            selection: Some(SelectionView {
                tag_status: Field::Value(r.selection.tag_status),
                prefix: list(&r.selection.tag_prefix_list),
                pattern: list(&r.selection.tag_pattern_list),
                storage_class: r.selection.storage_class.into(),
                count_type: Field::Value(r.selection.count_type),
                count_unit: r.selection.count_unit.into(),
                count_number: Field::Value(r.selection.count_number),
            }),
            action: Some(ActionView {
                action_type: Field::Value(r.action.r#type),
                target: r.action.target_storage_class.into(),
            }),
        }
    }

    /// "rules[3] (rulePriority 7)", for messages about several rules.
    pub(super) fn name(&self, out: &Findings<'_>) -> String {
        let rule = out.names.rule(self.index);
        match self.priority {
            Field::Value(p) => format!("{rule} ({} {p})", out.f("rulePriority")),
            _ => rule,
        }
    }

    /// The storage class the rule applies to, if it can be known.
    pub(super) fn storage_class(&self) -> Option<StorageClass> {
        match &self.selection.as_ref()?.storage_class {
            Field::Absent => Some(StorageClass::Standard),
            Field::Value(c) => Some(*c),
            Field::Invalid => None,
        }
    }

    pub(super) fn tag_status(&self) -> Option<TagStatus> {
        self.selection.as_ref()?.tag_status.value().copied()
    }
}

const ROOT_PROPS: &[&str] = &["rules"];
const RULE_PROPS: &[&str] = &["rulePriority", "description", "selection", "action"];
const RULE_REQUIRED: &[&str] = &["rulePriority", "selection", "action"];
const SELECTION_PROPS: &[&str] = &[
    "tagStatus",
    "tagPrefixList",
    "tagPatternList",
    "storageClass",
    "countType",
    "countUnit",
    "countNumber",
];
const SELECTION_REQUIRED: &[&str] = &["tagStatus", "countType", "countNumber"];
const ACTION_PROPS: &[&str] = &["type", "targetStorageClass"];
const ACTION_REQUIRED: &[&str] = &["type"];

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn quoted_list<S: AsRef<str>>(names: &[S]) -> String {
    names
        .iter()
        .map(|n| format!("\"{}\"", n.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn null_finding(out: &mut Findings<'_>, path: JsonPath, name: &str) {
    out.push(
        path,
        ids::NULL_VALUE,
        format!("{name} is null; ECR rejects JSON null anywhere in a lifecycle policy (omit the property instead)"),
    );
}

/// Checks that `v` is an object with only `allowed` and all `required` properties.
fn object<'a>(
    v: &'a Value,
    path: &JsonPath,
    name: &str,
    allowed: &[&str],
    required: &[&str],
    out: &mut Findings<'_>,
) -> Option<&'a Map<String, Value>> {
    let map = match v {
        Value::Object(m) => m,
        Value::Null => {
            null_finding(out, path.clone(), name);
            return None;
        }
        other => {
            out.push(
                path.clone(),
                ids::WRONG_TYPE,
                format!("{name} must be an object, found {}", type_name(other)),
            );
            return None;
        }
    };
    for key in map.keys() {
        if !allowed.contains(&key.as_str()) {
            out.push(
                path.key(key),
                ids::UNKNOWN_PROPERTY,
                format!(
                    "unknown property \"{key}\" in {name}; the allowed properties are {}",
                    quoted_list(&allowed.iter().map(|a| out.f(a)).collect::<Vec<_>>())
                ),
            );
        }
    }
    for key in required {
        if !map.contains_key(*key) {
            out.push(
                path.key(key),
                ids::MISSING_PROPERTY,
                format!("{name} is missing the required property \"{}\"", out.f(key)),
            );
        }
    }
    Some(map)
}

fn enum_field<T: Copy>(
    map: &Map<String, Value>,
    key: &str,
    path: &JsonPath,
    from_wire: fn(&str) -> Option<T>,
    names: &[&str],
    out: &mut Findings<'_>,
) -> Field<T> {
    let path = path.key(key);
    let name = out.f(key);
    match map.get(key) {
        None => Field::Absent,
        Some(Value::Null) => {
            null_finding(out, path, &name);
            Field::Invalid
        }
        Some(Value::String(s)) => match from_wire(s) {
            Some(v) => Field::Value(v),
            None => {
                let hint = names
                    .iter()
                    .find(|n| n.eq_ignore_ascii_case(s))
                    .map(|n| format!(" (values are case-sensitive: did you mean \"{n}\"?)"))
                    .unwrap_or_default();
                out.push(
                    path,
                    ids::ENUM_VALUE,
                    format!(
                        "{name} \"{s}\" is not an allowed value; allowed values are {}{hint}",
                        quoted_list(names)
                    ),
                );
                Field::Invalid
            }
        },
        Some(other) => {
            out.push(
                path,
                ids::WRONG_TYPE,
                format!(
                    "{name} must be a string (one of {}), found {}",
                    quoted_list(names),
                    type_name(other)
                ),
            );
            Field::Invalid
        }
    }
}

fn integer_field(
    map: &Map<String, Value>,
    key: &str,
    path: &JsonPath,
    out: &mut Findings<'_>,
) -> Field<i64> {
    let path = path.key(key);
    let name = out.f(key);
    match map.get(key) {
        None => Field::Absent,
        Some(Value::Null) => {
            null_finding(out, path, &name);
            Field::Invalid
        }
        Some(Value::Number(n)) => {
            if let Some(i) = n.as_i64() {
                Field::Value(i)
            } else if n.is_u64() {
                out.push(path, ids::WRONG_TYPE, format!("{name} {n} is too large"));
                Field::Invalid
            } else {
                out.push(
                    path,
                    ids::WRONG_TYPE,
                    format!("{name} must be a whole number, found {n}"),
                );
                Field::Invalid
            }
        }
        Some(other) => {
            out.push(
                path,
                ids::WRONG_TYPE,
                format!("{name} must be a whole number, found {}", type_name(other)),
            );
            Field::Invalid
        }
    }
}

fn string_field(map: &Map<String, Value>, key: &str, path: &JsonPath, out: &mut Findings<'_>) {
    let path = path.key(key);
    let name = out.f(key);
    match map.get(key) {
        None | Some(Value::String(_)) => {}
        Some(Value::Null) => null_finding(out, path, &name),
        Some(other) => out.push(
            path,
            ids::WRONG_TYPE,
            format!("{name} must be a string, found {}", type_name(other)),
        ),
    }
}

fn list_field(
    map: &Map<String, Value>,
    key: &str,
    path: &JsonPath,
    out: &mut Findings<'_>,
) -> Field<TagList> {
    let path = path.key(key);
    let name = out.f(key);
    match map.get(key) {
        None => Field::Absent,
        Some(Value::Null) => {
            null_finding(out, path, &name);
            Field::Invalid
        }
        Some(Value::Array(items)) => Field::Value(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| match item {
                    Value::String(s) => Some(s.clone()),
                    Value::Null => {
                        null_finding(out, path.index(i), &format!("{name} entry {i}"));
                        None
                    }
                    other => {
                        out.push(
                            path.index(i),
                            ids::WRONG_TYPE,
                            format!(
                                "{name} entries must be strings, entry {i} is {}",
                                type_name(other)
                            ),
                        );
                        None
                    }
                })
                .collect(),
        ),
        Some(other) => {
            out.push(
                path,
                ids::WRONG_TYPE,
                format!(
                    "{name} must be an array of strings, found {}",
                    type_name(other)
                ),
            );
            Field::Invalid
        }
    }
}

/// Walks the whole document; returns how many rules the `rules` array holds and the rules it
/// could read (None when there is no readable `rules` array).
pub(super) fn walk_document(
    value: &Value,
    out: &mut Findings<'_>,
) -> Option<(usize, Vec<RuleView>)> {
    let root = JsonPath::root();
    let map = match value {
        Value::Object(m) => m,
        other => {
            out.push(
                root,
                ids::ROOT_NOT_OBJECT,
                format!(
                    "the policy document must be a JSON object with a \"rules\" array, found {}",
                    type_name(other)
                ),
            );
            return None;
        }
    };
    // Already known to be an object, so this only reports unknown/missing properties.
    object(
        value,
        &root,
        "the policy document",
        ROOT_PROPS,
        ROOT_PROPS,
        out,
    );
    let rules = match map.get("rules")? {
        Value::Array(a) => a,
        Value::Null => {
            null_finding(out, root.key("rules"), "rules");
            return None;
        }
        other => {
            out.push(
                root.key("rules"),
                ids::WRONG_TYPE,
                format!(
                    "rules must be an array of rule objects, found {}",
                    type_name(other)
                ),
            );
            return None;
        }
    };
    Some((
        rules.len(),
        rules
            .iter()
            .enumerate()
            .filter_map(|(i, r)| walk_rule(i, r, out))
            .collect(),
    ))
}

fn walk_rule(index: usize, v: &Value, out: &mut Findings<'_>) -> Option<RuleView> {
    let path = JsonPath::rule(index);
    let name = out.names.rule(index);
    let map = object(v, &path, &name, RULE_PROPS, RULE_REQUIRED, out)?;
    let priority = integer_field(map, "rulePriority", &path, out);
    string_field(map, "description", &path, out);
    let selection = map.get("selection").and_then(|s| {
        let path = path.key("selection");
        let m = object(
            s,
            &path,
            "selection",
            SELECTION_PROPS,
            SELECTION_REQUIRED,
            out,
        )?;
        Some(SelectionView {
            tag_status: enum_field(
                m,
                "tagStatus",
                &path,
                TagStatus::from_wire,
                &TagStatus::wire_names(),
                out,
            ),
            prefix: list_field(m, "tagPrefixList", &path, out),
            pattern: list_field(m, "tagPatternList", &path, out),
            storage_class: enum_field(
                m,
                "storageClass",
                &path,
                StorageClass::from_wire,
                &StorageClass::wire_names(),
                out,
            ),
            count_type: enum_field(
                m,
                "countType",
                &path,
                CountType::from_wire,
                &CountType::wire_names(),
                out,
            ),
            count_unit: enum_field(
                m,
                "countUnit",
                &path,
                CountUnit::from_wire,
                &CountUnit::wire_names(),
                out,
            ),
            count_number: integer_field(m, "countNumber", &path, out),
        })
    });
    let action = map.get("action").and_then(|a| {
        let path = path.key("action");
        let m = object(a, &path, "action", ACTION_PROPS, ACTION_REQUIRED, out)?;
        Some(ActionView {
            action_type: enum_field(
                m,
                "type",
                &path,
                ActionType::from_wire,
                &ActionType::wire_names(),
                out,
            ),
            target: enum_field(
                m,
                "targetStorageClass",
                &path,
                StorageClass::from_wire,
                &StorageClass::wire_names(),
                out,
            ),
        })
    });
    Some(RuleView {
        index,
        priority,
        selection,
        action,
    })
}
