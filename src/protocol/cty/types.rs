//! cty types and their JSON representation (schema attribute `type`, dynamic-value headers).

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value as Json;

use super::CtyError;

/// A cty type. `Dynamic` is cty's `DynamicPseudoType`: "any type, decided per value".
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    String,
    Number,
    Bool,
    Dynamic,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Object(BTreeMap<String, Type>),
    Tuple(Vec<Type>),
}

impl Type {
    pub fn list(element: Type) -> Type {
        Type::List(Box::new(element))
    }

    pub fn set(element: Type) -> Type {
        Type::Set(Box::new(element))
    }

    pub fn map(element: Type) -> Type {
        Type::Map(Box::new(element))
    }

    pub fn object<'a>(attrs: impl IntoIterator<Item = (&'a str, Type)>) -> Type {
        Type::Object(attrs.into_iter().map(|(k, t)| (k.to_owned(), t)).collect())
    }

    pub fn tuple(elements: impl IntoIterator<Item = Type>) -> Type {
        Type::Tuple(elements.into_iter().collect())
    }

    /// The cty JSON form. Never emits the optional-attributes third element of `object`:
    /// schema types must not carry it (Terraform strips it from type constraints too).
    pub fn to_json(&self) -> Json {
        match self {
            Type::String => Json::from("string"),
            Type::Number => Json::from("number"),
            Type::Bool => Json::from("bool"),
            Type::Dynamic => Json::from("dynamic"),
            Type::List(t) => Json::Array(vec!["list".into(), t.to_json()]),
            Type::Set(t) => Json::Array(vec!["set".into(), t.to_json()]),
            Type::Map(t) => Json::Array(vec!["map".into(), t.to_json()]),
            Type::Object(attrs) => {
                let attrs = attrs
                    .iter()
                    .map(|(k, t)| (k.clone(), t.to_json()))
                    .collect();
                Json::Array(vec!["object".into(), Json::Object(attrs)])
            }
            Type::Tuple(ts) => Json::Array(vec![
                "tuple".into(),
                Json::Array(ts.iter().map(Type::to_json).collect()),
            ]),
        }
    }

    /// Whether `dynamic` appears anywhere in the type (values then carry their own types).
    pub fn has_dynamic(&self) -> bool {
        match self {
            Type::Dynamic => true,
            Type::String | Type::Number | Type::Bool => false,
            Type::List(t) | Type::Set(t) | Type::Map(t) => t.has_dynamic(),
            Type::Object(attrs) => attrs.values().any(Type::has_dynamic),
            Type::Tuple(ts) => ts.iter().any(Type::has_dynamic),
        }
    }

    /// The compact JSON text of [`Type::to_json`].
    pub fn to_json_bytes(&self) -> Vec<u8> {
        self.to_json().to_string().into_bytes()
    }

    /// Parses cty type JSON, rejecting unknown kinds and malformed shapes.
    pub fn from_json(json: &Json) -> Result<Type, CtyError> {
        let bad = || CtyError::new(format!("invalid type specification {json}"));
        match json {
            Json::String(s) => match s.as_str() {
                "string" => Ok(Type::String),
                "number" => Ok(Type::Number),
                "bool" => Ok(Type::Bool),
                "dynamic" => Ok(Type::Dynamic),
                _ => Err(bad()),
            },
            Json::Array(parts) => {
                let (Some(Json::String(kind)), Some(arg)) = (parts.first(), parts.get(1)) else {
                    return Err(bad());
                };
                let extra = parts.get(2..).unwrap_or_default();
                match (kind.as_str(), extra) {
                    ("list", []) => Ok(Type::list(Type::from_json(arg)?)),
                    ("set", []) => Ok(Type::set(Type::from_json(arg)?)),
                    ("map", []) => Ok(Type::map(Type::from_json(arg)?)),
                    ("tuple", []) => match arg {
                        Json::Array(ts) => ts
                            .iter()
                            .map(Type::from_json)
                            .collect::<Result<_, _>>()
                            .map(Type::Tuple),
                        _ => Err(bad()),
                    },
                    // The optional third element lists optional attributes of a type
                    // constraint; it is irrelevant for values, so it is checked and dropped.
                    ("object", []) | ("object", [Json::Array(_)]) => {
                        if let [Json::Array(optional)] = extra {
                            if !optional.iter().all(Json::is_string) {
                                return Err(bad());
                            }
                        }
                        match arg {
                            Json::Object(attrs) => attrs
                                .iter()
                                .map(|(k, t)| Ok((k.clone(), Type::from_json(t)?)))
                                .collect::<Result<_, CtyError>>()
                                .map(Type::Object),
                            _ => Err(bad()),
                        }
                    }
                    _ => Err(bad()),
                }
            }
            _ => Err(bad()),
        }
    }

    /// Parses cty type JSON text.
    pub fn from_json_bytes(bytes: &[u8]) -> Result<Type, CtyError> {
        let json: Json = serde_json::from_slice(bytes)
            .map_err(|e| CtyError::new(format!("invalid type JSON: {e}")))?;
        Type::from_json(&json)
    }
}

/// Terraform-style friendly names, for error messages.
impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::String => f.write_str("string"),
            Type::Number => f.write_str("number"),
            Type::Bool => f.write_str("bool"),
            Type::Dynamic => f.write_str("dynamic"),
            Type::List(t) => write!(f, "list of {t}"),
            Type::Set(t) => write!(f, "set of {t}"),
            Type::Map(t) => write!(f, "map of {t}"),
            Type::Object(_) => f.write_str("object"),
            Type::Tuple(_) => f.write_str("tuple"),
        }
    }
}

#[cfg(test)]
pub(crate) mod strategies {
    use super::Type;
    use proptest::prelude::*;

    fn build(leaf: BoxedStrategy<Type>) -> BoxedStrategy<Type> {
        leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                inner.clone().prop_map(Type::list),
                inner.clone().prop_map(Type::set),
                inner.clone().prop_map(Type::map),
                prop::collection::btree_map("\\PC{0,6}", inner.clone(), 0..4)
                    .prop_map(Type::Object),
                prop::collection::vec(inner, 0..4).prop_map(Type::Tuple),
            ]
        })
        .boxed()
    }

    /// Any type, including `dynamic` at any depth.
    pub(crate) fn arb_type() -> BoxedStrategy<Type> {
        build(
            prop_oneof![
                Just(Type::String),
                Just(Type::Number),
                Just(Type::Bool),
                Just(Type::Dynamic)
            ]
            .boxed(),
        )
    }

    /// A type without `dynamic`: what a value in a dynamic slot actually carries.
    pub(crate) fn arb_concrete_type() -> BoxedStrategy<Type> {
        build(prop_oneof![Just(Type::String), Just(Type::Number), Just(Type::Bool)].boxed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn to_json_shapes() {
        let t = Type::object([
            ("name", Type::String),
            ("tags", Type::map(Type::String)),
            ("rules", Type::list(Type::object([("n", Type::Number)]))),
            ("ids", Type::set(Type::Bool)),
            ("any", Type::Dynamic),
            ("pair", Type::tuple([Type::String, Type::Number])),
        ]);
        assert_eq!(
            t.to_json(),
            json!(["object", {
                "name": "string",
                "tags": ["map", "string"],
                "rules": ["list", ["object", {"n": "number"}]],
                "ids": ["set", "bool"],
                "any": "dynamic",
                "pair": ["tuple", ["string", "number"]],
            }])
        );
        assert_eq!(
            Type::list(Type::String).to_json_bytes(),
            br#"["list","string"]"#
        );
        assert_eq!(Type::from_json_bytes(&t.to_json_bytes()), Ok(t));
    }

    #[test]
    fn object_optional_attrs_element_is_accepted_and_dropped() {
        let t = Type::from_json(&json!(["object", {"a": "string", "b": "number"}, ["b"]])).unwrap();
        assert_eq!(t, Type::object([("a", Type::String), ("b", Type::Number)]));
        assert_eq!(
            t.to_json(),
            json!(["object", {"a": "string", "b": "number"}])
        );
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            json!("strin"),
            json!("String"),
            json!(42),
            json!(null),
            json!([]),
            json!(["list"]),
            json!(["list", "string", "x"]),
            json!(["foo", "string"]),
            json!(["list", "nope"]),
            json!(["object", ["a"]]),
            json!(["object", {"a": "string"}, ["a"], 1]),
            json!(["object", {"a": "string"}, [1]]),
            json!(["object", {"a": "string"}, "a"]),
            json!(["tuple", {}]),
            json!(["tuple", ["string"], []]),
            json!({"list": "string"}),
        ] {
            assert!(Type::from_json(&bad).is_err(), "accepted {bad}");
        }
        assert!(Type::from_json_bytes(b"\"string\" x").is_err());
        assert!(Type::from_json_bytes(b"").is_err());
    }

    #[test]
    fn display_is_friendly() {
        assert_eq!(
            Type::list(Type::map(Type::String)).to_string(),
            "list of map of string"
        );
        assert_eq!(Type::object([]).to_string(), "object");
    }

    proptest! {
        #[test]
        fn json_round_trip(t in strategies::arb_type()) {
            prop_assert_eq!(Type::from_json(&t.to_json()), Ok(t.clone()));
            prop_assert_eq!(Type::from_json_bytes(&t.to_json_bytes()), Ok(t));
        }
    }
}
