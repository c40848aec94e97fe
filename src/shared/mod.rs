//! What resource and data source files share, below both (a type file never imports another):
//! validators of domain rules, the schema parts several types declare, and the checks of the
//! JSON documents several types take.

pub mod image_filters;
pub mod lifecycle_rules;
pub mod mutability;
pub mod policy_text;
pub mod posture;
pub mod region;
pub mod registry;
pub mod registry_token;
pub mod replication;
pub mod timeouts;
pub mod validators;
