//! What resource and data source files share, below both (a type file never imports another):
//! validators of domain rules and the schema parts several types declare.

pub mod lifecycle_rules;
pub mod policy_text;
pub mod posture;
pub mod validators;
