//! Provider function signatures and errors (protocol 6.5, Terraform ≥ 1.8, OpenTofu ≥ 1.7):
//! `provider::ecr::<name>(…)` in configurations.

use super::cty::Type;
use crate::proto::tfplugin6 as pb;

#[derive(Clone, Debug, PartialEq)]
pub struct FunctionSignature {
    pub parameters: Vec<FunctionParameter>,
    pub return_type: Type,
    /// One line.
    pub summary: String,
    /// Markdown.
    pub description: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FunctionParameter {
    pub name: String,
    pub ty: Type,
    /// Markdown.
    pub description: String,
}

/// Why a call failed; `argument` (0-based) makes Terraform point at that argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionError {
    pub text: String,
    pub argument: Option<i64>,
}

impl FunctionError {
    pub fn new(text: impl Into<String>) -> Self {
        FunctionError {
            text: text.into(),
            argument: None,
        }
    }
    pub fn at(argument: usize, text: impl Into<String>) -> Self {
        FunctionError {
            text: text.into(),
            argument: Some(argument as i64),
        }
    }
    pub fn to_proto(&self) -> pb::FunctionError {
        pb::FunctionError {
            text: self.text.clone(),
            function_argument: self.argument,
        }
    }
}

impl FunctionSignature {
    pub fn to_proto(&self) -> pb::Function {
        pb::Function {
            // Null and unknown arguments are never passed: Terraform rejects nulls and answers
            // unknown for unknown arguments itself.
            parameters: self
                .parameters
                .iter()
                .map(|p| pb::function::Parameter {
                    name: p.name.clone(),
                    r#type: p.ty.to_json_bytes(),
                    allow_null_value: false,
                    allow_unknown_values: false,
                    description: p.description.clone(),
                    description_kind: pb::StringKind::Markdown as i32,
                })
                .collect(),
            variadic_parameter: None,
            r#return: Some(pb::function::Return {
                r#type: self.return_type.to_json_bytes(),
            }),
            summary: self.summary.clone(),
            description: self.description.clone(),
            description_kind: pb::StringKind::Markdown as i32,
            deprecation_message: String::new(),
        }
    }
}
