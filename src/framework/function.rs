//! Provider functions (protocol 6.5): pure computations called as `provider::ecr::<name>(…)`.
//! A function file takes typed arguments and returns a typed result; the framework decodes and
//! encodes them by the signature.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::resource::Docs;
use super::val::{encode_typed, to_json};
use crate::protocol::cty::Value;
use crate::protocol::{FunctionError, FunctionSignature};

pub trait Function: Send + Sync + 'static {
    /// The arguments, in parameter order: a tuple such as `(String, String)`.
    type Args: DeserializeOwned;
    /// Encoded with the signature's return type (`Option` fields become null).
    type Output: Serialize;

    fn name(&self) -> &'static str;
    fn signature(&self) -> FunctionSignature;
    /// Documentation beyond the signature, for the generated docs page.
    fn docs(&self) -> Docs {
        Docs::default()
    }
    fn call(&self, args: Self::Args) -> Result<Self::Output, FunctionError>;
}

pub trait DynFunction: Send + Sync {
    fn name(&self) -> &'static str;
    fn signature(&self) -> &FunctionSignature;
    fn docs(&self) -> Docs;
    /// `args` are known, non-null values of the parameter types.
    fn call(&self, args: Vec<Value>) -> Result<Value, FunctionError>;
}

pub fn function<F: Function>(f: F) -> Box<dyn DynFunction> {
    let signature = f.signature();
    Box::new(ErasedFunction {
        inner: f,
        signature,
    })
}

struct ErasedFunction<F> {
    inner: F,
    signature: FunctionSignature,
}

impl<F: Function> DynFunction for ErasedFunction<F> {
    fn name(&self) -> &'static str {
        self.inner.name()
    }
    fn signature(&self) -> &FunctionSignature {
        &self.signature
    }
    fn docs(&self) -> Docs {
        self.inner.docs()
    }
    fn call(&self, args: Vec<Value>) -> Result<Value, FunctionError> {
        let json = serde_json::Value::Array(args.iter().map(to_json).collect());
        let args: F::Args = serde_json::from_value(json).map_err(|e| {
            FunctionError::new(format!(
                "this is a bug in the provider: arguments do not decode: {e}"
            ))
        })?;
        let out = self.inner.call(args)?;
        encode_typed(&out, &self.signature.return_type).map_err(|e| {
            FunctionError::new(format!(
                "this is a bug in the provider: result does not encode: {e}"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::cty::Type;
    use crate::protocol::FunctionParameter;

    struct Join;
    #[derive(Serialize)]
    struct Joined {
        text: String,
        note: Option<String>,
    }
    impl Function for Join {
        type Args = (String, String);
        type Output = Joined;
        fn name(&self) -> &'static str {
            "join"
        }
        fn signature(&self) -> FunctionSignature {
            let p = |n: &str| FunctionParameter {
                name: n.into(),
                ty: Type::String,
                description: String::new(),
            };
            FunctionSignature {
                parameters: vec![p("a"), p("b")],
                return_type: Type::object([("text", Type::String), ("note", Type::String)]),
                summary: String::new(),
                description: String::new(),
            }
        }
        fn call(&self, (a, b): (String, String)) -> Result<Joined, FunctionError> {
            if b.is_empty() {
                return Err(FunctionError::at(1, "b is empty"));
            }
            Ok(Joined {
                text: format!("{a}{b}"),
                note: None,
            })
        }
    }

    #[test]
    fn arguments_and_results_go_through_the_signature() {
        let f = function(Join);
        assert_eq!(
            f.call(vec![Value::string("a"), Value::string("b")]),
            Ok(Value::object([
                ("text", Value::string("ab")),
                ("note", Value::Null)
            ]))
        );
        assert_eq!(
            f.call(vec![Value::string("a"), Value::string("")]),
            Err(FunctionError::at(1, "b is empty"))
        );
        assert!(f.call(vec![Value::string("a")]).is_err());
    }
}
