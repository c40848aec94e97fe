//! ECR lifecycle policies as a pure domain: no AWS SDK, gRPC or Terraform
//! types here, so the provider, its data sources and the CI command line all
//! share one implementation that is unit-testable offline.
//!
//! - [`model`]: serde model of the policy document (as of the November 2025
//!   archive launch) and its JSON Schema ([`json_schema`]).
//! - [`validate`](mod@validate): every documented AWS constraint, reported
//!   with a JSON path, a stable rule id and a readable message, so a bad
//!   policy fails at plan time rather than at apply time.
//! - [`evaluate`](mod@evaluate): which images a policy would expire or
//!   transition now, following AWS's evaluation rules.
//! - [`canonical`]: canonical text for comparing policies without false diffs.
//!
//! The rules and their sources are in `docs/design/lifecycle.md`.

pub mod canonical;
pub mod evaluate;
pub mod images;
pub mod model;
pub mod preview;
pub mod summary;
pub mod validate;

#[cfg(test)]
mod proptests;

pub use canonical::{canonical_json, canonicalize_text, semantically_equal};
pub use evaluate::{
    evaluate, selection_matches_tags, tag_pattern_matches, Evaluation, Image, ImageResult,
};
pub use model::{
    json_schema, json_schema_pretty, Action, ActionType, CountType, CountUnit, LifecyclePolicy,
    Rule, Selection, StorageClass, TagStatus,
};
pub use preview::{preview, Acted, Preview};
pub use summary::summary;
pub use validate::{check_text_length, lint, parse_policy, validate, validate_json, Finding};
