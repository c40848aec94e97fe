//! Serde model of the ECR lifecycle policy document, complete as of the
//! November 2025 archive launch (storage classes, `transition` actions and the
//! `sinceImagePulled` / `sinceImageTransitioned` count types).
//!
//! The model is deliberately permissive about *combinations* of fields (for
//! example it can represent a `transition` action without a target): those are
//! semantic rules reported by [`mod@super::validate`], not parse errors, so that a
//! user sees every problem at once with a path to it.  It is strict about
//! *shape*: unknown properties are rejected (`deny_unknown_fields`), as AWS does.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An ECR lifecycle policy document (the text given to `PutLifecyclePolicy`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Amazon ECR lifecycle policy",
    extend("examples" = [{
        "rules": [{
            "rulePriority": 1,
            "description": "Expire untagged images older than 14 days",
            "selection": {
                "tagStatus": "untagged",
                "countType": "sinceImagePushed",
                "countUnit": "days",
                "countNumber": 14
            },
            "action": { "type": "expire" }
        }]
    }])
)]
pub struct LifecyclePolicy {
    /// The rules of the policy: at least 1 and at most 50. Rules are applied
    /// from the lowest `rulePriority` to the highest; an image is expired or
    /// transitioned by at most one rule.
    #[schemars(length(min = 1, max = 50))]
    pub rules: Vec<Rule>,
}

/// One lifecycle rule: which images it selects and what it does to them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(extend("allOf" = [
    {
        "if": {
            "properties": { "selection": { "properties": { "countType": { "const": "sinceImagePulled" } }, "required": ["countType"] } },
            "required": ["selection"]
        },
        "then": { "properties": { "action": { "properties": { "type": { "const": "transition" } } } } }
    },
    {
        "if": {
            "properties": { "selection": { "properties": { "countType": { "const": "sinceImageTransitioned" } }, "required": ["countType"] } },
            "required": ["selection"]
        },
        "then": { "properties": { "action": { "properties": { "type": { "const": "expire" } } } } }
    }
]))]
pub struct Rule {
    /// Order in which rules are applied: lower numbers first. Must be unique
    /// within the policy and at least 1; values need not be sequential. A rule
    /// with `tagStatus` `any` must have the highest `rulePriority` among the
    /// rules of its storage class.
    #[schemars(range(min = 1))]
    pub rule_priority: i64,
    /// Free-text description of the rule (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub description: Option<String>,
    /// Which images the rule applies to.
    pub selection: Selection,
    /// What happens to the selected images.
    pub action: Action,
}

/// Image selection criteria of a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(extend("allOf" = [
    {
        "if": { "properties": { "countType": { "enum": ["sinceImagePushed", "sinceImagePulled", "sinceImageTransitioned"] } }, "required": ["countType"] },
        "then": { "required": ["countUnit"] },
        "else": { "not": { "required": ["countUnit"] } }
    },
    {
        "if": { "properties": { "tagStatus": { "const": "tagged" } }, "required": ["tagStatus"] },
        "then": {
            "anyOf": [
                { "properties": { "tagPrefixList": { "minItems": 1 } }, "required": ["tagPrefixList"] },
                { "properties": { "tagPatternList": { "minItems": 1 } }, "required": ["tagPatternList"] }
            ],
            "not": {
                "properties": { "tagPrefixList": { "minItems": 1 }, "tagPatternList": { "minItems": 1 } },
                "required": ["tagPrefixList", "tagPatternList"]
            }
        },
        "else": {
            "not": {
                "anyOf": [
                    { "properties": { "tagPrefixList": { "minItems": 1 } }, "required": ["tagPrefixList"] },
                    { "properties": { "tagPatternList": { "minItems": 1 } }, "required": ["tagPatternList"] }
                ]
            }
        }
    },
    {
        "if": { "properties": { "countType": { "const": "sinceImageTransitioned" } }, "required": ["countType"] },
        "then": {
            "properties": { "storageClass": { "const": "archive" }, "countNumber": { "minimum": 90 } },
            "required": ["storageClass"]
        },
        "else": { "properties": { "storageClass": { "const": "standard" } } }
    }
]))]
pub struct Selection {
    /// Whether the rule selects tagged images (`tagged`, which then needs
    /// exactly one of `tagPrefixList` / `tagPatternList`), untagged images
    /// (`untagged`), or every image (`any`, which must be the last rule of its
    /// storage class).
    pub tag_status: TagStatus,
    /// Tag prefixes, only with `tagStatus` `tagged` and not together with
    /// `tagPatternList`. An image is selected when **every** entry is a prefix
    /// of at least one of its tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<String>")]
    pub tag_prefix_list: Option<Vec<String>>,
    /// Tag patterns, only with `tagStatus` `tagged` and not together with
    /// `tagPrefixList`. `*` matches any run of characters (including none) and
    /// a pattern must match a whole tag; at most 4 `*` per pattern. An image
    /// is selected when **every** entry matches at least one of its tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<String>", inner(regex(pattern = r"^[^*]*(\*[^*]*){0,4}$")))]
    pub tag_pattern_list: Option<Vec<String>>,
    /// Storage class the rule selects images from (default `standard`).
    /// Must be `archive` for `sinceImageTransitioned` and `standard` (or
    /// omitted) for every other count type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "StorageClass")]
    pub storage_class: Option<StorageClass>,
    /// How `countNumber` is interpreted.
    pub count_type: CountType,
    /// Unit of `countNumber`: required with the `since*` count types and not
    /// allowed with `imageCountMoreThan`. Only `days` exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "CountUnit")]
    pub count_unit: Option<CountUnit>,
    /// A whole number of at least 1: the number of images to keep
    /// (`imageCountMoreThan`) or an age in days (`since*`). At least 90 with
    /// `sinceImageTransitioned`, because ECR bills and keeps archived images
    /// for a minimum of 90 days.
    #[schemars(range(min = 1))]
    pub count_number: i64,
}

/// The action a rule applies to the images it selects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(extend(
    "if" = { "properties": { "type": { "const": "transition" } }, "required": ["type"] },
    "then" = { "properties": { "targetStorageClass": { "const": "archive" } }, "required": ["targetStorageClass"] },
    "else" = { "not": { "required": ["targetStorageClass"] } }
))]
pub struct Action {
    /// `expire` deletes the images; `transition` moves them to another storage
    /// class (needs `targetStorageClass`).
    #[serde(rename = "type")]
    pub r#type: ActionType,
    /// Storage class to move images to; required with `transition` (only
    /// `archive` exists) and not allowed with `expire`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "StorageClass")]
    pub target_storage_class: Option<StorageClass>,
}

/// Declares a string enum with its wire names in one place, so serde, the JSON
/// Schema and validation messages ("allowed values: …") cannot drift apart.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $wire)] $variant),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name used in the JSON document.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }

            /// Parses the exact (case-sensitive) JSON name.
            pub fn from_wire(s: &str) -> Option<Self> {
                match s { $($wire => Some($name::$variant),)+ _ => None }
            }

            /// The allowed JSON names, for messages and the CLI.
            pub fn wire_names() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.as_str()).collect()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

wire_enum! {
    /// Which images a rule selects by tag.
    TagStatus {
        /// Images with at least one tag matching the rule's tag list.
        Tagged = "tagged",
        /// Images without any tag.
        Untagged = "untagged",
        /// All images, tagged or not.
        Any = "any",
    }
}

wire_enum! {
    /// Storage class of images: `standard` (active, pullable) or `archive`.
    StorageClass {
        /// Active images (the default).
        Standard = "standard",
        /// Archived images (cheaper storage, must be restored before pulling).
        Archive = "archive",
    }
}

wire_enum! {
    /// How a rule's `countNumber` is interpreted.
    CountType {
        /// Keep the `countNumber` most recently pushed images; act on the rest.
        ImageCountMoreThan = "imageCountMoreThan",
        /// Act on images pushed more than `countNumber` days ago.
        SinceImagePushed = "sinceImagePushed",
        /// Act on images last pulled more than `countNumber` days ago (transition only).
        SinceImagePulled = "sinceImagePulled",
        /// Act on archived images archived more than `countNumber` days ago (expire only).
        SinceImageTransitioned = "sinceImageTransitioned",
    }
}

wire_enum! {
    /// Unit of `countNumber` for the `since*` count types.
    CountUnit {
        /// Days (24 hours).
        Days = "days",
    }
}

wire_enum! {
    /// What a rule does to the images it selects.
    ActionType {
        /// Delete the images.
        Expire = "expire",
        /// Move the images to `targetStorageClass`.
        Transition = "transition",
    }
}

impl CountType {
    /// Whether the type measures an age and therefore needs `countUnit`.
    pub fn is_since(self) -> bool {
        !matches!(self, CountType::ImageCountMoreThan)
    }
}

impl Selection {
    /// The storage class the rule applies to, with the documented default.
    pub fn effective_storage_class(&self) -> StorageClass {
        self.storage_class.unwrap_or(StorageClass::Standard)
    }
}

/// The JSON Schema (draft 2020-12) of the lifecycle policy document, as shipped
/// in `docs/lifecycle-policy.schema.json` for editors.
///
/// Optional fields are described by their value type only: AWS rejects JSON
/// `null` anywhere in the document, so the schema must not admit it.
pub fn json_schema() -> Value {
    let schema = schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<LifecyclePolicy>();
    tidy(schema.to_value())
}

/// Rebuilds objects with keys inserted in sorted order, so the output is the
/// same whether or not `serde_json`'s `preserve_order` feature is enabled, and
/// unwraps the doc-comment line breaks in descriptions (editors show them
/// verbatim, mid-sentence).
fn tidy(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut entries: Vec<(String, Value)> = m.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| match v {
                        Value::String(s) if k == "description" => {
                            let joined = s.replace('\n', " ");
                            (k, Value::String(joined))
                        }
                        v => (k, tidy(v)),
                    })
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.into_iter().map(tidy).collect()),
        other => other,
    }
}

/// [`json_schema`] as pretty-printed text with a trailing newline: the exact
/// content of `docs/lifecycle-policy.schema.json`.
pub fn json_schema_pretty() -> String {
    let mut s = serde_json::to_string_pretty(&json_schema()).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema_file_path() -> std::path::PathBuf {
        match std::env::var_os("LIFECYCLE_SCHEMA_PATH") {
            Some(p) => p.into(),
            None => concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/docs/lifecycle-policy.schema.json"
            )
            .into(),
        }
    }

    /// Keeps the committed schema in sync with the model. Regenerate with
    /// `LIFECYCLE_SCHEMA_UPDATE=1 cargo test lifecycle::model`.
    #[test]
    fn committed_schema_file_matches_generated() {
        let path = schema_file_path();
        let generated = json_schema_pretty();
        if std::env::var_os("LIFECYCLE_SCHEMA_UPDATE").is_some() {
            std::fs::write(&path, &generated).expect("write schema file");
        }
        let committed = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        assert!(
            committed == generated,
            "{} is out of date; regenerate it with LIFECYCLE_SCHEMA_UPDATE=1 cargo test",
            path.display()
        );
    }

    #[test]
    fn wire_names_match_serde() {
        fn check<T: Serialize + Copy>(all: &[T], name: fn(T) -> &'static str) {
            for v in all {
                assert_eq!(
                    serde_json::to_value(v).unwrap(),
                    Value::String(name(*v).into())
                );
            }
        }
        check(TagStatus::ALL, TagStatus::as_str);
        check(StorageClass::ALL, StorageClass::as_str);
        check(CountType::ALL, CountType::as_str);
        check(CountUnit::ALL, CountUnit::as_str);
        check(ActionType::ALL, ActionType::as_str);
        assert_eq!(
            CountType::from_wire("sinceImagePulled"),
            Some(CountType::SinceImagePulled)
        );
        assert_eq!(TagStatus::from_wire("TAGGED"), None);
    }

    fn walk<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
        out.push(v);
        match v {
            Value::Object(m) => m.values().for_each(|x| walk(x, out)),
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }

    #[test]
    fn schema_is_closed_described_and_null_free() {
        let schema = json_schema();
        let defs = schema["$defs"].as_object().expect("$defs");
        let mut objects = vec![&schema];
        objects.extend(defs.values().filter(|d| d.get("properties").is_some()));
        assert_eq!(objects.len(), 4, "policy, rule, selection, action");
        for obj in objects {
            assert_eq!(obj["additionalProperties"], Value::Bool(false), "{obj}");
            for (name, prop) in obj["properties"].as_object().unwrap() {
                let d = prop["description"].as_str().unwrap_or("");
                assert!(!d.is_empty(), "property {name} has no description");
            }
        }
        let mut all = Vec::new();
        walk(&schema, &mut all);
        assert!(
            !all.iter().any(|v| **v == Value::String("null".into())),
            "schema admits null"
        );
        let sel = &defs["Selection"];
        let req: Vec<&str> = sel["required"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(req, ["tagStatus", "countType", "countNumber"]);
    }

    #[test]
    fn schema_pattern_limits_wildcards() {
        // The regex in the schema is simple enough to check by hand here.
        let schema = json_schema();
        let p = schema["$defs"]["Selection"]["properties"]["tagPatternList"]["items"]["pattern"]
            .as_str()
            .unwrap();
        assert_eq!(p, r"^[^*]*(\*[^*]*){0,4}$");
    }

    #[test]
    fn round_trip_full_rule() {
        let text = r#"{"rules":[{"rulePriority":3,"description":"d","selection":{"tagStatus":"tagged","tagPatternList":["p*"],"storageClass":"standard","countType":"sinceImagePulled","countUnit":"days","countNumber":30},"action":{"type":"transition","targetStorageClass":"archive"}}]}"#;
        let p: LifecyclePolicy = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&p).unwrap(), text);
        assert!(serde_json::from_str::<LifecyclePolicy>(r#"{"rules":[],"x":1}"#).is_err());
    }
}
