//! Moving state that hashicorp/aws wrote into this provider's types (`moved` blocks across
//! providers, Terraform ≥ 1.8's MoveResourceState).
//!
//! Pure translation: the JSON attributes hashicorp/aws 5.x and 6.x store for an ECR type become
//! plain values of the matching type here (one module per type); the resource files turn them
//! into their models. No AWS, gRPC or framework types. What the source may look like — schema
//! versions, attributes present or absent across versions, SDKv2's empty strings for unset
//! values — is documented in `docs/design/moves.md`.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value as Json};

pub mod lifecycle_policy;
pub mod policies;
pub mod public_repository;
pub mod pull_through_cache_rule;
pub mod registry;
pub mod registry_scanning;
pub mod repository;

/// Provider addresses whose ECR state we translate. Terraform sends the fully qualified address
/// of the provider that wrote the state; OpenTofu's registry host differs.
pub const AWS_PROVIDER_ADDRESSES: [&str; 2] = [
    "registry.terraform.io/hashicorp/aws",
    "registry.opentofu.org/hashicorp/aws",
];

/// This provider's type and its hashicorp/aws twin, for every type that accepts a move.
pub const TWINS: &[(&str, &str)] = &[
    ("ecr_repository", "aws_ecr_repository"),
    ("ecr_lifecycle_policy", "aws_ecr_lifecycle_policy"),
    ("ecr_repository_policy", "aws_ecr_repository_policy"),
    ("ecr_registry_policy", "aws_ecr_registry_policy"),
    (
        "ecr_registry_scanning_configuration",
        "aws_ecr_registry_scanning_configuration",
    ),
    (
        "ecr_pull_through_cache_rule",
        "aws_ecr_pull_through_cache_rule",
    ),
    ("ecr_public_repository", "aws_ecrpublic_repository"),
    (
        "ecr_public_repository_policy",
        "aws_ecrpublic_repository_policy",
    ),
    (
        "ecr_replication_configuration",
        "aws_ecr_replication_configuration",
    ),
    (
        "ecr_repository_creation_template",
        "aws_ecr_repository_creation_template",
    ),
    ("ecr_account_setting", "aws_ecr_account_setting"),
    (
        "ecr_pull_time_update_exclusion",
        "aws_ecr_pull_time_update_exclusion",
    ),
];

/// The hashicorp/aws type a type of ours accepts moves from.
pub fn twin_of(target: &str) -> Option<&'static str> {
    TWINS.iter().find(|(t, _)| *t == target).map(|(_, s)| *s)
}

/// What Terraform hands over in a move: where the state comes from and the state itself.
#[derive(Clone, Debug)]
pub struct Source<'a> {
    /// e.g. `registry.terraform.io/hashicorp/aws`.
    pub provider_address: &'a str,
    /// e.g. `aws_ecr_repository`.
    pub type_name: &'a str,
    pub schema_version: i64,
    /// The stored attributes.
    pub state: &'a Json,
    /// The stored resource identity (hashicorp/aws ≥ 6.10 writes one for some types), if any.
    pub identity: Option<&'a Json>,
}

/// Why a move cannot be done: a diagnostic's summary and detail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MoveError {
    pub summary: String,
    pub detail: String,
}

impl MoveError {
    fn new(summary: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            summary: summary.into(),
            detail: detail.into(),
        }
    }
}

impl fmt::Display for MoveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.summary, self.detail)
    }
}

/// The newest schema version hashicorp/aws has written for each of its ECR types (all of them 0
/// in 5.x and 6.x); a higher one is a format we have not seen.
const KNOWN_SCHEMA_VERSION: i64 = 0;

/// Checks that `src` is hashicorp/aws state of `target`'s twin and returns its attributes.
pub fn source_attributes(src: &Source<'_>, target: &str) -> Result<Attrs, MoveError> {
    let Some(twin) = twin_of(target) else {
        return Err(MoveError::new(
            "Unsupported move",
            format!("{target} does not accept moves from another provider."),
        ));
    };
    if !AWS_PROVIDER_ADDRESSES.contains(&src.provider_address) {
        return Err(MoveError::new(
            "Unsupported source provider",
            format!(
                "{target} accepts moves only from {twin} of hashicorp/aws ({}), not from {} of {}.",
                AWS_PROVIDER_ADDRESSES.join(" or "),
                src.type_name,
                if src.provider_address.is_empty() {
                    "an unnamed provider"
                } else {
                    src.provider_address
                },
            ),
        ));
    }
    if src.type_name != twin {
        let hint = match TWINS.iter().find(|(_, s)| *s == src.type_name) {
            Some((ours, _)) => format!(" Move {} to {ours} instead.", src.type_name),
            None => String::new(),
        };
        return Err(MoveError::new(
            "Unsupported source type",
            format!(
                "{target} accepts moves only from {twin}, not from {}.{hint}",
                src.type_name
            ),
        ));
    }
    if src.schema_version > KNOWN_SCHEMA_VERSION {
        return Err(MoveError::new(
            "State written by an unknown hashicorp/aws version",
            format!(
                "This {} state has schema version {}; hashicorp/aws 5.x and 6.x write version {KNOWN_SCHEMA_VERSION}. Upgrade terraform-provider-ecr, or move with `removed` and `import` blocks instead.",
                src.type_name, src.schema_version
            ),
        ));
    }
    let Json::Object(attrs) = src.state.clone() else {
        return Err(MoveError::new(
            "Cannot read the source state",
            format!("The {} state is not a JSON object.", src.type_name),
        ));
    };
    let identity = match src.identity {
        Some(Json::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    Ok(Attrs {
        type_name: twin,
        attrs,
        identity,
    })
}

/// The attributes of a source state, read the way SDKv2 writes them: unset strings may be `""`
/// or null, unset lists and maps `[]`, `{}` or null, a missing attribute (older versions) the same
/// as null.
#[derive(Clone, Debug)]
pub struct Attrs {
    type_name: &'static str,
    attrs: Map<String, Json>,
    identity: Map<String, Json>,
}

impl Attrs {
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    fn get(&self, name: &str) -> Option<&Json> {
        self.attrs.get(name).filter(|v| !v.is_null())
    }

    /// A string attribute; `None` when null, missing or empty.
    pub fn string(&self, name: &str) -> Option<String> {
        string_of(self.get(name)?)
    }

    /// A string the state must have (a required argument).
    pub fn required(&self, name: &str) -> Result<String, MoveError> {
        self.string(name).ok_or_else(|| {
            MoveError::new(
                "Cannot read the source state",
                format!(
                    "The {} state has no {name:?}: it was not written by hashicorp/aws, or it is damaged.",
                    self.type_name
                ),
            )
        })
    }

    pub fn bool(&self, name: &str) -> Option<bool> {
        self.get(name)?.as_bool()
    }

    /// A map of strings; empty when null or missing.
    pub fn string_map(&self, name: &str) -> BTreeMap<String, String> {
        match self.get(name) {
            Some(Json::Object(m)) => m
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect(),
            _ => BTreeMap::new(),
        }
    }

    /// A list or set of strings, in stored order; empty when null or missing.
    pub fn strings(&self, name: &str) -> Vec<String> {
        strings_of(self.get(name))
    }

    /// The objects of a nested block (list, set or single); empty when none.
    pub fn blocks(&self, name: &str) -> Vec<Attrs> {
        let objects: Vec<&Map<String, Json>> = match self.get(name) {
            Some(Json::Array(items)) => items.iter().filter_map(Json::as_object).collect(),
            Some(Json::Object(m)) => vec![m],
            _ => vec![],
        };
        objects
            .into_iter()
            .map(|m| Attrs {
                type_name: self.type_name,
                attrs: m.clone(),
                identity: Map::new(),
            })
            .collect()
    }

    /// The first object of a nested block, if any.
    pub fn block(&self, name: &str) -> Option<Attrs> {
        self.blocks(name).into_iter().next()
    }

    /// `region` from the state (6.x) or, failing that, from the resource identity.
    pub fn region(&self) -> Option<String> {
        self.string("region")
            .or_else(|| self.identity.get("region").and_then(string_of))
    }

    /// `timeouts { delete }` (SDKv2 stores the block as an object, or null when not configured).
    pub fn delete_timeout(&self) -> Option<String> {
        self.block("timeouts")?.string("delete")
    }
}

fn string_of(v: &Json) -> Option<String> {
    v.as_str().filter(|s| !s.is_empty()).map(str::to_string)
}

fn strings_of(v: Option<&Json>) -> Vec<String> {
    match v {
        Some(Json::Array(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => vec![],
    }
}

#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// A source as Terraform hands it over for `moved { from = <source_type>.x }`; the JSON
    /// is leaked so tests can write states inline.
    pub fn aws_source(type_name: &'static str, state: &str) -> Source<'static> {
        let state: &'static Json = Box::leak(Box::new(
            serde_json::from_str(state).expect("test state is JSON"),
        ));
        Source {
            provider_address: "registry.terraform.io/hashicorp/aws",
            type_name,
            schema_version: 0,
            state,
            identity: None,
        }
    }

    pub fn json(text: &str) -> &'static Json {
        Box::leak(Box::new(serde_json::from_str(text).expect("test JSON")))
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{aws_source, json};
    use super::*;

    #[test]
    fn every_twin_is_an_aws_type_of_the_same_service() {
        for (ours, theirs) in TWINS {
            assert_eq!(twin_of(ours), Some(*theirs));
            assert!(theirs.starts_with("aws_ecr"), "{theirs}");
        }
        assert_eq!(twin_of("ecr_cross_account_grant"), None);
    }

    #[test]
    fn both_registries_of_hashicorp_aws_are_accepted() {
        for address in AWS_PROVIDER_ADDRESSES {
            let src = Source {
                provider_address: address,
                ..aws_source("aws_ecr_registry_policy", r#"{"policy":"{}"}"#)
            };
            assert!(source_attributes(&src, "ecr_registry_policy").is_ok());
        }
    }

    #[test]
    fn another_provider_is_refused_naming_what_is_accepted() {
        let src = Source {
            provider_address: "registry.terraform.io/hashicorp/awscc",
            ..aws_source("aws_ecr_repository", "{}")
        };
        let e = source_attributes(&src, "ecr_repository").unwrap_err();
        assert_eq!(e.summary, "Unsupported source provider");
        assert!(e.detail.contains("hashicorp/awscc"), "{e}");
        assert!(
            e.detail.contains("registry.opentofu.org/hashicorp/aws"),
            "{e}"
        );
    }

    #[test]
    fn a_type_other_than_the_twin_is_refused_with_the_right_target() {
        let src = aws_source("aws_ecr_lifecycle_policy", r#"{"repository":"a"}"#);
        let e = source_attributes(&src, "ecr_repository").unwrap_err();
        assert_eq!(e.summary, "Unsupported source type");
        assert!(
            e.detail
                .contains("Move aws_ecr_lifecycle_policy to ecr_lifecycle_policy instead"),
            "{e}"
        );
        let e =
            source_attributes(&aws_source("aws_s3_bucket", "{}"), "ecr_repository").unwrap_err();
        assert!(e.detail.ends_with("not from aws_s3_bucket."), "{e}");
        let e = source_attributes(
            &aws_source("aws_ecr_repository", "{}"),
            "ecr_cross_account_grant",
        )
        .unwrap_err();
        assert_eq!(e.summary, "Unsupported move");
    }

    #[test]
    fn newer_schema_versions_and_non_objects_are_refused() {
        let src = Source {
            schema_version: 1,
            ..aws_source("aws_ecr_repository", "{}")
        };
        let e = source_attributes(&src, "ecr_repository").unwrap_err();
        assert!(e.detail.contains("schema version 1"), "{e}");
        let e = source_attributes(&aws_source("aws_ecr_repository", "[1]"), "ecr_repository")
            .unwrap_err();
        assert!(e.detail.contains("not a JSON object"), "{e}");
    }

    #[test]
    fn sdkv2_empty_values_read_as_unset() {
        let a = source_attributes(
            &aws_source(
                "aws_ecr_repository",
                r#"{"name":"x","kms":"","tags":null,"timeouts":{"delete":"5m"},"list":["a","b"]}"#,
            ),
            "ecr_repository",
        )
        .unwrap();
        assert_eq!(a.string("kms"), None);
        assert_eq!(a.string("missing"), None);
        assert!(a.string_map("tags").is_empty());
        assert_eq!(a.delete_timeout().as_deref(), Some("5m"));
        assert_eq!(a.strings("list"), ["a", "b"]);
        assert!(a.required("arn").unwrap_err().detail.contains("\"arn\""));
    }

    #[test]
    fn region_falls_back_to_the_identity() {
        let src = Source {
            identity: Some(json(
                r#"{"account_id":"123456789012","name":"x","region":"eu-west-1"}"#,
            )),
            ..aws_source("aws_ecr_repository", r#"{"name":"x"}"#)
        };
        let a = source_attributes(&src, "ecr_repository").unwrap();
        assert_eq!(a.region().as_deref(), Some("eu-west-1"));
        let src = Source {
            identity: None,
            ..aws_source("aws_ecr_repository", r#"{"name":"x","region":"us-west-2"}"#)
        };
        let a = source_attributes(&src, "ecr_repository").unwrap();
        assert_eq!(a.region().as_deref(), Some("us-west-2"));
    }
}
