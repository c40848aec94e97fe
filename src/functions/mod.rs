//! Provider functions (Terraform ≥ 1.8, OpenTofu ≥ 1.7), one file per function, called as
//! `provider::ecr::<name>(…)`. They need no provider configuration and make no AWS calls.

use crate::framework::{function, DynFunction, FunctionParameter};

pub mod image_uri;
pub mod lifecycle_policy;
pub mod parse_image_uri;

pub fn all() -> Vec<Box<dyn DynFunction>> {
    vec![
        function(parse_image_uri::ParseImageUri),
        function(image_uri::ImageUri),
        function(lifecycle_policy::LifecyclePolicy),
    ]
}

/// A string parameter.
fn string_param(name: &str, description: &str) -> FunctionParameter {
    FunctionParameter {
        name: name.into(),
        ty: crate::protocol::cty::Type::String,
        description: description.into(),
    }
}
