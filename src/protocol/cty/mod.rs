//! The cty type system and value model that Terraform uses for every value crossing the
//! plugin protocol, with the two wire encodings: MessagePack (`DynamicValue.msgpack`) and
//! JSON (`DynamicValue.json`, `RawState.json`).
//!
//! Values are untyped trees; the codecs are driven by a [`Type`] because the wire formats
//! are only unambiguous relative to a schema (an object and a map look alike, as do
//! lists, sets and tuples).

pub mod json;
pub mod msgpack;
pub mod number;
pub mod types;
pub mod value;

pub use number::Number;
pub use types::Type;
pub use value::Value;

use std::fmt;

/// Nesting limit for decoding. Terraform values are shallow; the limit only exists so
/// hostile or corrupt input yields an error instead of overflowing the stack.
pub(crate) const MAX_DEPTH: usize = 128;

/// One step of the path from the root value to the element an error refers to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PathStep {
    /// An attribute of an object.
    Attr(String),
    /// An element of a map.
    Key(String),
    /// An element of a list, set (position on the wire) or tuple.
    Index(i64),
}

/// A failure to decode, encode or interpret a value, with the path to the failing element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CtyError {
    pub path: Vec<PathStep>,
    pub message: String,
}

impl CtyError {
    /// An error about the value as a whole.
    pub fn new(message: impl Into<String>) -> Self {
        CtyError {
            path: Vec::new(),
            message: message.into(),
        }
    }

    /// An error about the element at `path`.
    pub fn at(path: &[PathStep], message: impl Into<String>) -> Self {
        CtyError {
            path: path.to_vec(),
            message: message.into(),
        }
    }
}

impl fmt::Display for CtyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.path.iter().enumerate() {
            match step {
                PathStep::Attr(a) if i == 0 => f.write_str(a)?,
                PathStep::Attr(a) => write!(f, ".{a}")?,
                PathStep::Key(k) => write!(f, "[{k:?}]")?,
                PathStep::Index(n) => write!(f, "[{n}]")?,
            }
        }
        if !self.path.is_empty() {
            f.write_str(": ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for CtyError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_display_renders_path() {
        let e = CtyError::at(
            &[
                PathStep::Attr("rule".into()),
                PathStep::Index(2),
                PathStep::Key("a b".into()),
                PathStep::Attr("x".into()),
            ],
            "boom",
        );
        assert_eq!(e.to_string(), r#"rule[2]["a b"].x: boom"#);
        assert_eq!(CtyError::new("plain").to_string(), "plain");
    }
}
