//! Validation of lifecycle policies against every constraint AWS documents
//! (see `shared/reference/ecr-semantics.md` §1), so that a bad policy fails at
//! `terraform validate` / `plan` instead of at apply time.
//!
//! Validation of text runs on the raw JSON (`serde_json::Value`) first: that is
//! the only way to report unknown properties, JSON `null`s, wrong types and
//! missing properties *by path* and all at once, where serde would stop at the
//! first error.  The same semantic checks then run on whatever could be read,
//! so a document with a typo in one rule still gets its other rules checked.
//! [`validate`] runs the semantic checks on an already-typed policy.
//!
//! Every finding carries a JSON path (`rules[2].selection.tagPatternList`), a
//! stable rule id (see [`ids`]) and a message naming the field and the rule.
//! Findings are ordered by path (array indices numerically).
//!
//! Where AWS documents no rule, this module decides (and says so here):
//! - `rulePriority` must be at least 1 (as Terraform's own data source does);
//!   no maximum is enforced.
//! - An empty tag list counts as missing: an error on a `tagged` rule, ignored
//!   on `untagged` / `any` rules.
//! - "Unique set of prefixes" per storage class: two rules of one storage class
//!   with the *same set* of entries in the same kind of list are an error;
//!   lists that merely overlap are allowed, and a prefix list never equals a
//!   pattern list.
//! - Enum values are case-sensitive (`TAGGED` is rejected, with a hint).
//! - Numbers must be JSON integers: `1.0` is rejected like AWS's JSON-schema
//!   validator does for `integer`.
//! - A `null` counts as a present property for the pairing rules (so
//!   `"targetStorageClass": null` on `expire` gets both findings).
//! - Text length counts Unicode scalar values, as the API model does.
//! - Duplicate JSON keys are not detected (the last one wins).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::{Map, Value};

use super::model::{ActionType, CountType, CountUnit, LifecyclePolicy, StorageClass, TagStatus};

/// Fewest characters `PutLifecyclePolicy` accepts for `lifecyclePolicyText`.
pub const MIN_TEXT_CHARS: usize = 100;
/// Most characters a lifecycle policy may have (service quota, not adjustable).
pub const MAX_TEXT_CHARS: usize = 30_720;
/// Most rules in one lifecycle policy (service quota, not adjustable).
pub const MAX_RULES: usize = 50;
/// Most `*` wildcards in one `tagPatternList` entry.
pub const MAX_PATTERN_WILDCARDS: usize = 4;
/// Archived images are kept (and billed) at least this many days, so a
/// `sinceImageTransitioned` rule may not expire them sooner.
pub const ARCHIVE_MINIMUM_DAYS: i64 = 90;

/// Stable identifiers of the constraints, for [`Finding::rule`].
pub mod ids {
    /// The text is not JSON.
    pub const JSON_SYNTAX: &str = "json-syntax";
    /// The document is JSON but not an object.
    pub const ROOT_NOT_OBJECT: &str = "root-not-object";
    /// A property the document format does not define.
    pub const UNKNOWN_PROPERTY: &str = "unknown-property";
    /// JSON `null` used as a value.
    pub const NULL_VALUE: &str = "null-value";
    /// A value of the wrong JSON type (or a non-integer / out-of-range number).
    pub const WRONG_TYPE: &str = "wrong-type";
    /// A required property is absent.
    pub const MISSING_PROPERTY: &str = "missing-property";
    /// A string that is not one of the allowed values.
    pub const ENUM_VALUE: &str = "enum-value";
    /// Policy text shorter than 100 or longer than 30720 characters.
    pub const TEXT_LENGTH: &str = "text-length";
    /// `rules` is empty.
    pub const RULES_EMPTY: &str = "rules-empty";
    /// More than 50 rules.
    pub const TOO_MANY_RULES: &str = "too-many-rules";
    /// Two rules share a `rulePriority`.
    pub const PRIORITY_UNIQUE: &str = "priority-unique";
    /// `rulePriority` below 1.
    pub const PRIORITY_MIN: &str = "priority-min";
    /// A `tagStatus: any` rule is not the last of its storage class.
    pub const ANY_MUST_BE_LAST: &str = "any-must-be-last";
    /// More than one `untagged` rule in a storage class.
    pub const SINGLE_UNTAGGED: &str = "single-untagged";
    /// `tagged` rule without a (non-empty) tag list.
    pub const TAG_LIST_REQUIRED: &str = "tag-list-required";
    /// Both `tagPrefixList` and `tagPatternList` on one rule.
    pub const TAG_LISTS_EXCLUSIVE: &str = "tag-lists-exclusive";
    /// A tag list on an `untagged` or `any` rule.
    pub const TAG_LIST_REQUIRES_TAGGED: &str = "tag-list-requires-tagged";
    /// More than 4 `*` in a `tagPatternList` entry.
    pub const TAG_PATTERN_WILDCARDS: &str = "tag-pattern-wildcards";
    /// Two rules of one storage class with the same tag list.
    pub const UNIQUE_TAG_LISTS: &str = "unique-tag-lists";
    /// `since*` count type without `countUnit`.
    pub const COUNT_UNIT_REQUIRED: &str = "count-unit-required";
    /// `countUnit` with `imageCountMoreThan`.
    pub const COUNT_UNIT_FORBIDDEN: &str = "count-unit-forbidden";
    /// `countNumber` below 1.
    pub const COUNT_NUMBER_MIN: &str = "count-number-min";
    /// `storageClass: archive` with a count type that only works on standard images.
    pub const STORAGE_CLASS_COUNT_TYPE: &str = "storage-class-count-type";
    /// `sinceImageTransitioned` without `storageClass: archive`.
    pub const TRANSITIONED_NEEDS_ARCHIVE: &str = "transitioned-needs-archive";
    /// `sinceImageTransitioned` with a `transition` action.
    pub const TRANSITIONED_NEEDS_EXPIRE: &str = "transitioned-needs-expire";
    /// `sinceImagePulled` with an `expire` action.
    pub const PULLED_NEEDS_TRANSITION: &str = "pulled-needs-transition";
    /// `sinceImageTransitioned` with `countNumber` below 90.
    pub const ARCHIVE_MINIMUM_DAYS: &str = "archive-minimum-days";
    /// `transition` without `targetStorageClass`.
    pub const TRANSITION_TARGET_REQUIRED: &str = "transition-target-required";
    /// `transition` to a storage class other than `archive`.
    pub const TRANSITION_TARGET_ARCHIVE: &str = "transition-target-archive";
    /// `expire` with a `targetStorageClass`.
    pub const EXPIRE_NO_TARGET: &str = "expire-no-target";
    /// Advisory (from [`super::lint`] only): a multi-entry tag list matches
    /// only images having tags for *all* entries.
    pub const MULTI_ENTRY_TAG_LIST: &str = "multi-entry-tag-list";
}

/// Rule ids that mean the text could not be read as a policy at all (shape
/// errors), as opposed to a readable policy breaking a semantic rule.
const SHAPE_RULES: &[&str] = &[
    ids::JSON_SYNTAX,
    ids::ROOT_NOT_OBJECT,
    ids::UNKNOWN_PROPERTY,
    ids::NULL_VALUE,
    ids::WRONG_TYPE,
    ids::MISSING_PROPERTY,
    ids::ENUM_VALUE,
];

/// One broken constraint.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Finding {
    /// JSON path of the offending value, e.g. `rules[2].selection.tagPatternList`;
    /// empty for the document as a whole.
    pub path: String,
    /// Stable id of the constraint (one of [`ids`]).
    pub rule: &'static str,
    /// What is wrong, in words that name the field and the rule.
    pub message: String,
}

impl Finding {
    /// Whether the finding is about the document's shape (syntax, types,
    /// properties) rather than a semantic rule.
    pub fn is_shape_error(&self) -> bool {
        SHAPE_RULES.contains(&self.rule)
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Validates policy text as sent to `PutLifecyclePolicy`: syntax, shape,
/// length and every semantic rule. An empty result means AWS should accept it.
pub fn validate_json(text: &str) -> Vec<Finding> {
    analyse(text).1
}

/// Validates a typed policy (semantic rules only: its shape is right by
/// construction). Callers that serialise it should also run
/// [`check_text_length`] on the text they will send.
pub fn validate(policy: &LifecyclePolicy) -> Vec<Finding> {
    let views: Vec<RuleView> = policy
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| RuleView::from_rule(i, r))
        .collect();
    let mut out = Findings::default();
    check_rule_count(policy.rules.len(), &mut out);
    semantic_checks(&views, &mut out);
    out.finish()
}

/// Checks the API's length limits on the policy text (100 to 30720
/// characters, counted as Unicode scalar values like the API model does).
pub fn check_text_length(text: &str) -> Option<Finding> {
    let n = text.chars().count();
    if n < MIN_TEXT_CHARS {
        Some(Finding {
            path: String::new(),
            rule: ids::TEXT_LENGTH,
            message: format!(
                "the policy text is {n} characters long; ECR requires at least {MIN_TEXT_CHARS} \
                 (a rule description can pad a very short policy)"
            ),
        })
    } else if n > MAX_TEXT_CHARS {
        Some(Finding {
            path: String::new(),
            rule: ids::TEXT_LENGTH,
            message: format!(
                "the policy text is {n} characters long; ECR allows at most {MAX_TEXT_CHARS}"
            ),
        })
    } else {
        None
    }
}

/// Reads policy text into the typed model. Succeeds when the text has the
/// right shape even if it breaks semantic rules (use [`validate_json`] for
/// those).
///
/// # Errors
/// Every finding of [`validate_json`] when the text is not a readable policy.
pub fn parse_policy(text: &str) -> Result<LifecyclePolicy, Vec<Finding>> {
    match analyse(text) {
        (Some(policy), _) => Ok(policy),
        (None, findings) => Err(findings),
    }
}

/// Advisory findings that are legal for AWS but often not what the author
/// meant (meant to be shown as warnings). Currently: a tag list with several
/// entries, which AWS treats as "all of these" and not "any of these".
pub fn lint(policy: &LifecyclePolicy) -> Vec<Finding> {
    let mut out = Findings::default();
    for (i, rule) in policy.rules.iter().enumerate() {
        // AWS documents no minimum (its examples start at 1; Terraform's document data source
        // insists on 1): a warning, not an error (docs/design/validation.md).
        if rule.rule_priority < 1 {
            out.push(
                Path::rules(i).key("rulePriority"),
                ids::PRIORITY_MIN,
                format!(
                    "rulePriority is {}; AWS's documentation numbers rules from 1, and a priority \
                     below 1 is not documented to work",
                    rule.rule_priority
                ),
            );
        }
        let lists = [
            ("tagPrefixList", &rule.selection.tag_prefix_list),
            ("tagPatternList", &rule.selection.tag_pattern_list),
        ];
        for (name, list) in lists {
            let Some(list) = list else { continue };
            let distinct: BTreeSet<&String> = list.iter().collect();
            if distinct.len() > 1 {
                out.push(
                    Path::rules(i).key("selection").key(name),
                    ids::MULTI_ENTRY_TAG_LIST,
                    format!(
                        "{name} has {} entries; ECR selects only images that have tags matching \
                         all of them, not any of them (use one rule per entry to protect or \
                         expire each separately)",
                        distinct.len()
                    ),
                );
            }
        }
    }
    out.finish()
}

/// One pass over the text: the typed policy if the shape is right, and all findings.
pub(crate) fn analyse(text: &str) -> (Option<LifecyclePolicy>, Vec<Finding>) {
    let mut out = Findings::default();
    if let Some(f) = check_text_length(text) {
        out.items.push((Vec::new(), f.rule, f.message));
    }
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let what = match e.classify() {
                serde_json::error::Category::Eof => "the text ends before the JSON document does",
                _ => "the text is not valid JSON",
            };
            out.push(
                Path::root(),
                ids::JSON_SYNTAX,
                format!("{what}: {e} (line {}, column {})", e.line(), e.column()),
            );
            return (None, out.finish());
        }
    };
    let views = walk_document(&value, &mut out);
    let shape_ok = !out
        .items
        .iter()
        .any(|(_, rule, _)| SHAPE_RULES.contains(rule));
    if let Some(views) = &views {
        semantic_checks(views, &mut out);
    }
    let mut policy = None;
    if shape_ok {
        // The walk checks everything serde does, so this should not fail; if it
        // ever does, say so rather than return "unreadable" without a finding.
        match serde_json::from_value::<LifecyclePolicy>(value) {
            Ok(p) => policy = Some(p),
            Err(e) => out.push(
                Path::root(),
                ids::WRONG_TYPE,
                format!("the policy could not be read: {e}"),
            ),
        }
    }
    (policy, out.finish())
}

// ---------------------------------------------------------------------------
// Paths and the findings collector

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Seg {
    Index(usize),
    Key(String),
}

/// A JSON path kept as segments so findings sort with indices numerically.
#[derive(Debug, Clone, Default)]
struct Path(Vec<Seg>);

impl Path {
    fn root() -> Self {
        Path(Vec::new())
    }
    fn rules(i: usize) -> Self {
        Path::root().key("rules").index(i)
    }
    fn key(&self, k: &str) -> Self {
        let mut p = self.0.clone();
        p.push(Seg::Key(k.to_string()));
        Path(p)
    }
    fn index(&self, i: usize) -> Self {
        let mut p = self.0.clone();
        p.push(Seg::Index(i));
        Path(p)
    }
}

fn render(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Index(i) => {
                s.push('[');
                s.push_str(&i.to_string());
                s.push(']');
            }
            Seg::Key(k) if is_identifier(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Key(k) => {
                s.push('[');
                s.push_str(&serde_json::to_string(k).unwrap_or_default());
                s.push(']');
            }
        }
    }
    s
}

fn is_identifier(k: &str) -> bool {
    let mut chars = k.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[derive(Default)]
struct Findings {
    items: Vec<(Vec<Seg>, &'static str, String)>,
}

impl Findings {
    fn push(&mut self, path: Path, rule: &'static str, message: String) {
        self.items.push((path.0, rule, message));
    }

    /// Sorted by path (stable, so findings on one path keep discovery order).
    fn finish(mut self) -> Vec<Finding> {
        self.items.sort_by(|a, b| a.0.cmp(&b.0));
        self.items
            .into_iter()
            .map(|(p, rule, message)| Finding {
                path: render(&p),
                rule,
                message,
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------
// Raw JSON walk

/// A field as read from the document.
#[derive(Debug, Clone, PartialEq)]
enum Field<T> {
    Absent,
    /// Present but unusable (null, wrong type, unknown value): already reported.
    Invalid,
    Value(T),
}

impl<T> Field<T> {
    fn is_present(&self) -> bool {
        !matches!(self, Field::Absent)
    }
    fn value(&self) -> Option<&T> {
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
type TagList = Vec<Option<String>>;

struct SelectionView {
    tag_status: Field<TagStatus>,
    prefix: Field<TagList>,
    pattern: Field<TagList>,
    storage_class: Field<StorageClass>,
    count_type: Field<CountType>,
    count_unit: Field<CountUnit>,
    count_number: Field<i64>,
}

struct ActionView {
    action_type: Field<ActionType>,
    target: Field<StorageClass>,
}

/// What the semantic checks know about one rule; `None` parts could not be read.
struct RuleView {
    index: usize,
    priority: Field<i64>,
    selection: Option<SelectionView>,
    action: Option<ActionView>,
}

impl RuleView {
    fn from_rule(index: usize, r: &super::model::Rule) -> Self {
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
    fn name(&self) -> String {
        match self.priority {
            Field::Value(p) => format!("rules[{}] (rulePriority {p})", self.index),
            _ => format!("rules[{}]", self.index),
        }
    }

    /// The storage class the rule applies to, if it can be known.
    fn storage_class(&self) -> Option<StorageClass> {
        match &self.selection.as_ref()?.storage_class {
            Field::Absent => Some(StorageClass::Standard),
            Field::Value(c) => Some(*c),
            Field::Invalid => None,
        }
    }

    fn tag_status(&self) -> Option<TagStatus> {
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

fn quoted_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("\"{n}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn null_finding(out: &mut Findings, path: Path, name: &str) {
    out.push(
        path,
        ids::NULL_VALUE,
        format!("{name} is null; ECR rejects JSON null anywhere in a lifecycle policy (omit the property instead)"),
    );
}

/// Checks that `v` is an object with only `allowed` and all `required` properties.
fn object<'a>(
    v: &'a Value,
    path: &Path,
    name: &str,
    allowed: &[&str],
    required: &[&str],
    out: &mut Findings,
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
                    quoted_list(allowed)
                ),
            );
        }
    }
    for key in required {
        if !map.contains_key(*key) {
            out.push(
                path.key(key),
                ids::MISSING_PROPERTY,
                format!("{name} is missing the required property \"{key}\""),
            );
        }
    }
    Some(map)
}

fn enum_field<T: Copy>(
    map: &Map<String, Value>,
    key: &str,
    path: &Path,
    from_wire: fn(&str) -> Option<T>,
    names: &[&str],
    out: &mut Findings,
) -> Field<T> {
    let path = path.key(key);
    match map.get(key) {
        None => Field::Absent,
        Some(Value::Null) => {
            null_finding(out, path, key);
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
                        "{key} \"{s}\" is not an allowed value; allowed values are {}{hint}",
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
                    "{key} must be a string (one of {}), found {}",
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
    path: &Path,
    out: &mut Findings,
) -> Field<i64> {
    let path = path.key(key);
    match map.get(key) {
        None => Field::Absent,
        Some(Value::Null) => {
            null_finding(out, path, key);
            Field::Invalid
        }
        Some(Value::Number(n)) => {
            if let Some(i) = n.as_i64() {
                Field::Value(i)
            } else if n.is_u64() {
                out.push(path, ids::WRONG_TYPE, format!("{key} {n} is too large"));
                Field::Invalid
            } else {
                out.push(
                    path,
                    ids::WRONG_TYPE,
                    format!("{key} must be a whole number, found {n}"),
                );
                Field::Invalid
            }
        }
        Some(other) => {
            out.push(
                path,
                ids::WRONG_TYPE,
                format!("{key} must be a whole number, found {}", type_name(other)),
            );
            Field::Invalid
        }
    }
}

fn string_field(map: &Map<String, Value>, key: &str, path: &Path, out: &mut Findings) {
    let path = path.key(key);
    match map.get(key) {
        None | Some(Value::String(_)) => {}
        Some(Value::Null) => null_finding(out, path, key),
        Some(other) => out.push(
            path,
            ids::WRONG_TYPE,
            format!("{key} must be a string, found {}", type_name(other)),
        ),
    }
}

fn list_field(
    map: &Map<String, Value>,
    key: &str,
    path: &Path,
    out: &mut Findings,
) -> Field<TagList> {
    let path = path.key(key);
    match map.get(key) {
        None => Field::Absent,
        Some(Value::Null) => {
            null_finding(out, path, key);
            Field::Invalid
        }
        Some(Value::Array(items)) => Field::Value(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| match item {
                    Value::String(s) => Some(s.clone()),
                    Value::Null => {
                        null_finding(out, path.index(i), &format!("{key} entry {i}"));
                        None
                    }
                    other => {
                        out.push(
                            path.index(i),
                            ids::WRONG_TYPE,
                            format!(
                                "{key} entries must be strings, entry {i} is {}",
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
                    "{key} must be an array of strings, found {}",
                    type_name(other)
                ),
            );
            Field::Invalid
        }
    }
}

/// Walks the whole document; returns the rules it could read (None when
/// there is no readable `rules` array).
fn walk_document(value: &Value, out: &mut Findings) -> Option<Vec<RuleView>> {
    let root = Path::root();
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
    check_rule_count(rules.len(), out);
    Some(
        rules
            .iter()
            .enumerate()
            .filter_map(|(i, r)| walk_rule(i, r, out))
            .collect(),
    )
}

fn walk_rule(index: usize, v: &Value, out: &mut Findings) -> Option<RuleView> {
    let path = Path::rules(index);
    let name = format!("rules[{index}]");
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

// ---------------------------------------------------------------------------
// Semantic checks (shared by text and typed validation)

fn check_rule_count(n: usize, out: &mut Findings) {
    let path = Path::root().key("rules");
    if n == 0 {
        out.push(
            path,
            ids::RULES_EMPTY,
            "rules is empty; a lifecycle policy needs at least 1 rule".into(),
        );
    } else if n > MAX_RULES {
        out.push(
            path,
            ids::TOO_MANY_RULES,
            format!("the policy has {n} rules; ECR allows at most {MAX_RULES} rules per lifecycle policy"),
        );
    }
}

/// Whether a tag list counts as given: an empty list counts as missing.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ListState {
    Missing,
    Given,
    Unknown,
}

fn list_state(f: &Field<TagList>) -> ListState {
    match f {
        Field::Absent => ListState::Missing,
        Field::Value(v) if v.is_empty() => ListState::Missing,
        Field::Value(_) => ListState::Given,
        Field::Invalid => ListState::Unknown,
    }
}

fn semantic_checks(views: &[RuleView], out: &mut Findings) {
    for v in views {
        check_rule(v, out);
    }
    check_unique_priorities(views, out);
    check_per_storage_class(views, out);
}

fn check_rule(v: &RuleView, out: &mut Findings) {
    let path = Path::rules(v.index);
    let action_type = v
        .action
        .as_ref()
        .and_then(|a| a.action_type.value().copied());
    if let Some(sel) = &v.selection {
        check_selection(sel, &path.key("selection"), out);
        if let Some(ct) = sel.count_type.value() {
            let type_path = path.key("action").key("type");
            match (ct, action_type) {
                (CountType::SinceImageTransitioned, Some(ActionType::Transition)) => out.push(
                    type_path,
                    ids::TRANSITIONED_NEEDS_EXPIRE,
                    "action type \"transition\" cannot be used with countType \"sinceImageTransitioned\"; \
                     archived images can only be expired"
                        .into(),
                ),
                (CountType::SinceImagePulled, Some(ActionType::Expire)) => out.push(
                    type_path,
                    ids::PULLED_NEEDS_TRANSITION,
                    "action type \"expire\" cannot be used with countType \"sinceImagePulled\"; \
                     that count type can only transition images to the archive"
                        .into(),
                ),
                _ => {}
            }
        }
    }
    if let Some(action) = &v.action {
        let target_path = path.key("action").key("targetStorageClass");
        match (action.action_type.value(), &action.target) {
            (Some(ActionType::Transition), Field::Absent) => out.push(
                target_path,
                ids::TRANSITION_TARGET_REQUIRED,
                "action type \"transition\" needs targetStorageClass \"archive\"".into(),
            ),
            (Some(ActionType::Transition), Field::Value(c)) if *c != StorageClass::Archive => out.push(
                target_path,
                ids::TRANSITION_TARGET_ARCHIVE,
                format!("targetStorageClass \"{c}\" is not supported; images can only be transitioned to \"archive\""),
            ),
            (Some(ActionType::Expire), t) if t.is_present() => out.push(
                target_path,
                ids::EXPIRE_NO_TARGET,
                "targetStorageClass is only allowed with action type \"transition\"; remove it from this \"expire\" action"
                    .into(),
            ),
            _ => {}
        }
    }
}

fn check_selection(sel: &SelectionView, path: &Path, out: &mut Findings) {
    let prefix = list_state(&sel.prefix);
    let pattern = list_state(&sel.pattern);
    match sel.tag_status.value() {
        Some(TagStatus::Tagged) => {
            if prefix == ListState::Missing && pattern == ListState::Missing {
                // Point at an empty list if the user wrote one, else at the selection.
                let at = if sel.prefix.is_present() {
                    path.key("tagPrefixList")
                } else if sel.pattern.is_present() {
                    path.key("tagPatternList")
                } else {
                    path.clone()
                };
                out.push(
                    at,
                    ids::TAG_LIST_REQUIRED,
                    "tagStatus \"tagged\" needs a non-empty tagPrefixList or tagPatternList \
                     (an empty list counts as missing)"
                        .into(),
                );
            } else if prefix == ListState::Given && pattern == ListState::Given {
                out.push(
                    path.key("tagPatternList"),
                    ids::TAG_LISTS_EXCLUSIVE,
                    "both tagPrefixList and tagPatternList are given; a rule may use only one of them".into(),
                );
            }
        }
        Some(status @ (TagStatus::Untagged | TagStatus::Any)) => {
            for (name, state) in [("tagPrefixList", prefix), ("tagPatternList", pattern)] {
                if state == ListState::Given {
                    out.push(
                        path.key(name),
                        ids::TAG_LIST_REQUIRES_TAGGED,
                        format!("{name} is only allowed when tagStatus is \"tagged\", and this rule has tagStatus \"{status}\""),
                    );
                }
            }
        }
        None => {}
    }
    if let Field::Value(entries) = &sel.pattern {
        for s in entries.iter().flatten() {
            let stars = s.matches('*').count();
            if stars > MAX_PATTERN_WILDCARDS {
                out.push(
                    path.key("tagPatternList"),
                    ids::TAG_PATTERN_WILDCARDS,
                    format!(
                        "tagPatternList entry {} has {stars} wildcards; ECR allows at most {MAX_PATTERN_WILDCARDS} per pattern",
                        serde_json::to_string(s).unwrap_or_default()
                    ),
                );
            }
        }
    }

    let count_type = sel.count_type.value().copied();
    if let Some(ct) = count_type {
        if ct.is_since() && !sel.count_unit.is_present() {
            out.push(
                path.key("countUnit"),
                ids::COUNT_UNIT_REQUIRED,
                format!("countType \"{ct}\" needs countUnit \"days\""),
            );
        } else if !ct.is_since() && sel.count_unit.is_present() {
            out.push(
                path.key("countUnit"),
                ids::COUNT_UNIT_FORBIDDEN,
                format!("countUnit is not allowed with countType \"{ct}\" (it counts images, not days); remove it"),
            );
        }
    }
    if let Field::Value(n) = sel.count_number {
        if n < 1 {
            out.push(
                path.key("countNumber"),
                ids::COUNT_NUMBER_MIN,
                format!("countNumber is {n}; it must be a whole number of at least 1"),
            );
        } else if count_type == Some(CountType::SinceImageTransitioned) && n < ARCHIVE_MINIMUM_DAYS
        {
            out.push(
                path.key("countNumber"),
                ids::ARCHIVE_MINIMUM_DAYS,
                format!(
                    "countNumber is {n} days; with countType \"sinceImageTransitioned\" it must be at least \
                     {ARCHIVE_MINIMUM_DAYS}, because archived images cannot be deleted before \
                     {ARCHIVE_MINIMUM_DAYS} days in the archive"
                ),
            );
        }
    }
    match (count_type, &sel.storage_class) {
        (Some(CountType::SinceImageTransitioned), Field::Absent) => out.push(
            path.key("storageClass"),
            ids::TRANSITIONED_NEEDS_ARCHIVE,
            "countType \"sinceImageTransitioned\" needs storageClass \"archive\" (it selects archived images)".into(),
        ),
        (Some(CountType::SinceImageTransitioned), Field::Value(c)) if *c != StorageClass::Archive => out.push(
            path.key("storageClass"),
            ids::TRANSITIONED_NEEDS_ARCHIVE,
            format!("countType \"sinceImageTransitioned\" needs storageClass \"archive\", not \"{c}\""),
        ),
        (Some(ct), Field::Value(StorageClass::Archive)) if ct != CountType::SinceImageTransitioned => out.push(
            path.key("storageClass"),
            ids::STORAGE_CLASS_COUNT_TYPE,
            format!(
                "storageClass \"archive\" cannot be used with countType \"{ct}\"; only \"standard\" is supported \
                 (archived images can only be selected with \"sinceImageTransitioned\")"
            ),
        ),
        _ => {}
    }
}

fn check_unique_priorities(views: &[RuleView], out: &mut Findings) {
    let mut first: BTreeMap<i64, &RuleView> = BTreeMap::new();
    for v in views {
        let Field::Value(p) = v.priority else {
            continue;
        };
        match first.get(&p) {
            Some(prev) => out.push(
                Path::rules(v.index).key("rulePriority"),
                ids::PRIORITY_UNIQUE,
                format!(
                    "rulePriority {p} is used by both rules[{}] and rules[{}]; every rule needs a different rulePriority",
                    prev.index, v.index
                ),
            ),
            None => {
                first.insert(p, v);
            }
        }
    }
}

fn check_per_storage_class(views: &[RuleView], out: &mut Findings) {
    for class in StorageClass::ALL.iter().copied() {
        let rules: Vec<&RuleView> = views
            .iter()
            .filter(|v| v.storage_class() == Some(class))
            .collect();

        // `any` must come last: no rule of the class may have a higher priority.
        let highest = rules
            .iter()
            .filter_map(|v| v.priority.value().map(|p| (*p, *v)))
            .max_by_key(|(p, v)| (*p, std::cmp::Reverse(v.index)));
        for v in &rules {
            if v.tag_status() != Some(TagStatus::Any) {
                continue;
            }
            let (Some(p), Some((hp, hv))) = (v.priority.value(), highest) else {
                continue;
            };
            if hp > *p {
                out.push(
                    Path::rules(v.index).key("rulePriority"),
                    ids::ANY_MUST_BE_LAST,
                    format!(
                        "{} selects tagStatus \"any\" in the {class} storage class, so it must have the highest \
                         rulePriority of that storage class, but {} is higher",
                        v.name(),
                        hv.name()
                    ),
                );
            }
        }

        // At most one `untagged` rule per storage class (`any` does not count).
        let untagged: Vec<&&RuleView> = rules
            .iter()
            .filter(|v| v.tag_status() == Some(TagStatus::Untagged))
            .collect();
        if let Some((first, rest)) = untagged.split_first() {
            for v in rest {
                out.push(
                    Path::rules(v.index).key("selection").key("tagStatus"),
                    ids::SINGLE_UNTAGGED,
                    format!(
                        "{} and {} both select untagged images in the {class} storage class; only one rule per \
                         storage class may select untagged images",
                        first.name(),
                        v.name()
                    ),
                );
            }
        }

        // "Unique set of prefixes": the same tag list on two rules of a class is
        // an error. Overlapping lists (sharing some entries) are allowed.
        let mut seen: BTreeMap<(&str, BTreeSet<&str>), &RuleView> = BTreeMap::new();
        for v in &rules {
            if v.tag_status() != Some(TagStatus::Tagged) {
                continue;
            }
            let Some(sel) = &v.selection else { continue };
            let given: Vec<(&str, &TagList)> = [
                ("tagPrefixList", &sel.prefix),
                ("tagPatternList", &sel.pattern),
            ]
            .into_iter()
            .filter_map(|(n, f)| f.value().filter(|l| !l.is_empty()).map(|l| (n, l)))
            .collect();
            let [(name, list)] = given.as_slice() else {
                continue;
            };
            let Some(set) = list
                .iter()
                .map(|e| e.as_deref())
                .collect::<Option<BTreeSet<&str>>>()
            else {
                continue;
            };
            let shown = serde_json::to_string(&set).unwrap_or_default();
            match seen.get(&(*name, set.clone())) {
                Some(prev) => out.push(
                    Path::rules(v.index).key("selection").key(name),
                    ids::UNIQUE_TAG_LISTS,
                    format!(
                        "{} uses the same {name} {shown} as {} in the {class} storage class; ECR requires each rule \
                         of a storage class to select a unique set of tags (lists that merely overlap are fine)",
                        v.name(),
                        prev.name()
                    ),
                ),
                None => {
                    seen.insert((*name, set), v);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
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
            .map(|w| (w.path, w.rule))
            .collect();
        assert_eq!(
            warned,
            [("rules[0].rulePriority".to_string(), ids::PRIORITY_MIN)]
        );
    }

    #[test]
    fn any_must_be_last_per_storage_class() {
        let any_keep =
            json!({"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 5});
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
        assert_eq!(f[0].message, "tagPatternList entry \"a*b*c*d*e*f\" has 5 wildcards; ECR allows at most 4 per pattern");
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
            path: "rules[0]".into(),
            rule: ids::PRIORITY_MIN,
            message: "m".into(),
        };
        assert_eq!(f.to_string(), "rules[0]: m");
    }
}
