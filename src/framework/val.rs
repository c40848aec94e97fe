//! Typed models for resources: `Val<T>` (null / unknown / known) and the bridge between cty
//! values and serde models, so resource files never see cty, msgpack or gRPC.
//!
//! The bridge goes through `serde_json::Value`: unknown values become a sentinel object that only
//! `Val<T>` understands, and the way back is driven by the schema, so lists stay lists, sets stay
//! sets and nested block collections are never null (Terraform requires empty, not null).

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value as Json;

use crate::protocol::cty::{Number, Type, Value};
use crate::protocol::schema::{AttributeType, Block, BlockNesting};

const UNKNOWN_KEY: &str = "$$terraform-unknown$$";

/// A configuration/plan/state value: absent, not known until apply, or known.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Val<T> {
    #[default]
    Null,
    Unknown,
    Known(T),
}

impl<T> Val<T> {
    pub fn known(&self) -> Option<&T> {
        match self {
            Val::Known(t) => Some(t),
            _ => None,
        }
    }
    pub fn into_known(self) -> Option<T> {
        match self {
            Val::Known(t) => Some(t),
            _ => None,
        }
    }
    pub fn is_null(&self) -> bool {
        matches!(self, Val::Null)
    }
    pub fn is_unknown(&self) -> bool {
        matches!(self, Val::Unknown)
    }
    pub fn is_known(&self) -> bool {
        matches!(self, Val::Known(_))
    }
    pub fn as_ref(&self) -> Val<&T> {
        match self {
            Val::Null => Val::Null,
            Val::Unknown => Val::Unknown,
            Val::Known(t) => Val::Known(t),
        }
    }
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Val<U> {
        match self {
            Val::Null => Val::Null,
            Val::Unknown => Val::Unknown,
            Val::Known(t) => Val::Known(f(t)),
        }
    }
}

impl<T: Clone> Val<T> {
    /// The known value, or `default` when null (and when unknown).
    pub fn or(&self, default: T) -> T {
        self.known().cloned().unwrap_or(default)
    }
}

impl<T> From<Option<T>> for Val<T> {
    fn from(o: Option<T>) -> Self {
        o.map_or(Val::Null, Val::Known)
    }
}

impl Val<String> {
    pub fn str(&self) -> Option<&str> {
        self.known().map(String::as_str)
    }
    pub fn of(s: impl Into<String>) -> Self {
        Val::Known(s.into())
    }
}

impl<T> Val<Vec<T>> {
    /// Elements of a known collection; empty when null or unknown.
    pub fn items(&self) -> &[T] {
        self.known().map(Vec::as_slice).unwrap_or(&[])
    }
}

impl<T: Serialize> Serialize for Val<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Val::Null => s.serialize_none(),
            Val::Unknown => {
                use serde::ser::SerializeMap;
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry(UNKNOWN_KEY, &true)?;
                m.end()
            }
            Val::Known(t) => t.serialize(s),
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Val<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let j = Json::deserialize(d)?;
        if j.is_null() {
            return Ok(Val::Null);
        }
        if is_unknown_sentinel(&j) {
            return Ok(Val::Unknown);
        }
        match T::deserialize(&j) {
            Ok(t) => Ok(Val::Known(t)),
            // A collection with unknown elements (e.g. `[ecr_repository.a.name]` at validate)
            // in a model that has no `Val` per element: unknown as a whole.
            Err(_) if contains_unknown(&j) => Ok(Val::Unknown),
            Err(e) => Err(serde::de::Error::custom(e)),
        }
    }
}

fn is_unknown_sentinel(j: &Json) -> bool {
    matches!(j, Json::Object(m) if m.len() == 1 && m.contains_key(UNKNOWN_KEY))
}

fn contains_unknown(j: &Json) -> bool {
    match j {
        Json::Array(a) => a.iter().any(contains_unknown),
        Json::Object(m) => is_unknown_sentinel(j) || m.values().any(contains_unknown),
        _ => false,
    }
}

/// cty value → JSON with unknown sentinels.
pub fn to_json(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Unknown => serde_json::json!({ UNKNOWN_KEY: true }),
        Value::String(s) => Json::String(s.clone()),
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => number_to_json(n),
        Value::List(items) | Value::Set(items) | Value::Tuple(items) => {
            Json::Array(items.iter().map(to_json).collect())
        }
        Value::Map(m) | Value::Object(m) => {
            Json::Object(m.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
    }
}

fn number_to_json(n: &Number) -> Json {
    if let Some(i) = n.to_i64() {
        return Json::from(i);
    }
    serde_json::Number::from_f64(n.to_f64())
        .map(Json::Number)
        .unwrap_or(Json::Null)
}

/// JSON (from a model) → cty value of type `ty`.
pub fn from_json(j: &Json, ty: &Type) -> Result<Value, String> {
    if j.is_null() {
        return Ok(Value::Null);
    }
    if is_unknown_sentinel(j) {
        return Ok(Value::Unknown);
    }
    Ok(match (ty, j) {
        (Type::String, Json::String(s)) => Value::String(s.clone()),
        (Type::String, Json::Number(n)) => Value::String(n.to_string()),
        (Type::String, Json::Bool(b)) => Value::String(b.to_string()),
        (Type::Bool, Json::Bool(b)) => Value::Bool(*b),
        (Type::Number, Json::Number(n)) => {
            Value::Number(Number::parse(&n.to_string()).map_err(|e| e.to_string())?)
        }
        (Type::List(t), Json::Array(a)) => Value::List(
            a.iter()
                .map(|e| from_json(e, t))
                .collect::<Result<_, _>>()?,
        ),
        (Type::Set(t), Json::Array(a)) => {
            let mut out: Vec<Value> = Vec::new();
            for e in a {
                let v = from_json(e, t)?;
                if !out.contains(&v) {
                    out.push(v);
                }
            }
            Value::Set(out)
        }
        (Type::Map(t), Json::Object(m)) => Value::Map(
            m.iter()
                .map(|(k, e)| Ok((k.clone(), from_json(e, t)?)))
                .collect::<Result<BTreeMap<_, _>, String>>()?,
        ),
        (Type::Object(attrs), Json::Object(m)) => {
            let mut out = BTreeMap::new();
            for (name, t) in attrs {
                let v = match m.get(name) {
                    Some(e) => from_json(e, t).map_err(|e| format!("{name}: {e}"))?,
                    None => Value::Null,
                };
                out.insert(name.clone(), v);
            }
            Value::Object(out)
        }
        (Type::Tuple(ts), Json::Array(a)) if ts.len() == a.len() => Value::Tuple(
            ts.iter()
                .zip(a)
                .map(|(t, e)| from_json(e, t))
                .collect::<Result<_, _>>()?,
        ),
        (Type::Dynamic, other) => dynamic_from_json(other),
        (t, other) => return Err(format!("expected {}, found {other}", t.to_json())),
    })
}

fn dynamic_from_json(j: &Json) -> Value {
    match j {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => Number::parse(&n.to_string())
            .map(Value::Number)
            .unwrap_or(Value::Null),
        Json::String(s) => Value::String(s.clone()),
        Json::Array(a) => Value::Tuple(a.iter().map(dynamic_from_json).collect()),
        Json::Object(m) if is_unknown_sentinel(j) => {
            let _ = m;
            Value::Unknown
        }
        Json::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), dynamic_from_json(v)))
                .collect(),
        ),
    }
}

/// JSON → the cty value of a whole block (resource, data source or provider), normalising
/// absent nested-block collections to empty ones as Terraform expects.
pub fn block_from_json(j: &Json, block: &Block) -> Result<Value, String> {
    if j.is_null() {
        return Ok(Value::Null);
    }
    if is_unknown_sentinel(j) {
        return Ok(Value::Unknown);
    }
    let Json::Object(m) = j else {
        return Err(format!("expected an object, found {j}"));
    };
    let mut out = BTreeMap::new();
    for a in &block.attributes {
        let ty = match &a.ty {
            AttributeType::Type(t) => t.clone(),
            nested => nested.implied_type(),
        };
        let v = match m.get(&a.name) {
            Some(e) => from_json(e, &ty).map_err(|e| format!("{}: {e}", a.name))?,
            None => Value::Null,
        };
        out.insert(a.name.clone(), v);
    }
    for b in &block.blocks {
        let e = m.get(&b.type_name).unwrap_or(&Json::Null);
        let v = if is_unknown_sentinel(e) {
            Value::Unknown
        } else {
            match b.nesting {
                BlockNesting::Single | BlockNesting::Group => block_from_json(e, &b.block)?,
                BlockNesting::List | BlockNesting::Set => {
                    let items = match e {
                        Json::Null => Vec::new(),
                        Json::Array(a) => a
                            .iter()
                            .map(|x| block_from_json(x, &b.block))
                            .collect::<Result<_, _>>()?,
                        other => {
                            return Err(format!("{}: expected a list, found {other}", b.type_name))
                        }
                    };
                    if b.nesting == BlockNesting::List {
                        Value::List(items)
                    } else {
                        Value::Set(items)
                    }
                }
                BlockNesting::Map => match e {
                    Json::Null => Value::Map(BTreeMap::new()),
                    Json::Object(mm) => Value::Map(
                        mm.iter()
                            .map(|(k, x)| Ok((k.clone(), block_from_json(x, &b.block)?)))
                            .collect::<Result<_, String>>()?,
                    ),
                    other => return Err(format!("{}: expected a map, found {other}", b.type_name)),
                },
            }
        };
        out.insert(b.type_name.clone(), v);
    }
    Ok(Value::Object(out))
}

/// cty value → typed model.
pub fn decode_model<M: DeserializeOwned>(v: &Value) -> Result<M, String> {
    serde_json::from_value(to_json(v)).map_err(|e| e.to_string())
}

/// Typed value → cty value of type `ty` (identities, function results: anything not a block).
pub fn encode_typed<T: Serialize>(t: &T, ty: &Type) -> Result<Value, String> {
    let j = serde_json::to_value(t).map_err(|e| e.to_string())?;
    from_json(&j, ty)
}

/// Typed model → cty value shaped by `block`.
pub fn encode_model<M: Serialize>(m: &M, block: &Block) -> Result<Value, String> {
    let j = serde_json::to_value(m).map_err(|e| e.to_string())?;
    block_from_json(&j, block)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::schema::{Attribute, NestedBlock};

    #[derive(Serialize, Deserialize, Default, Debug, PartialEq)]
    #[serde(default)]
    struct Filter {
        filter: Val<String>,
    }

    #[derive(Serialize, Deserialize, Default, Debug, PartialEq)]
    #[serde(default)]
    struct Model {
        name: Val<String>,
        count: Val<i64>,
        tags: Val<BTreeMap<String, String>>,
        filters: Val<Vec<Filter>>,
    }

    fn block() -> Block {
        Block::new("t")
            .attr(Attribute::string("name").required())
            .attr(Attribute::number("count").optional())
            .attr(Attribute::string_map("tags").optional())
            .block(NestedBlock::list(
                "filters",
                Block::new("f").attr(Attribute::string("filter").required()),
            ))
    }

    #[test]
    fn null_unknown_and_known_round_trip() {
        let v = Value::object([
            ("name", Value::Unknown),
            ("count", Value::Number(Number::from_i64(3))),
            ("tags", Value::Null),
            (
                "filters",
                Value::List(vec![Value::object([("filter", Value::string("a*"))])]),
            ),
        ]);
        let m: Model = decode_model(&v).unwrap();
        assert_eq!(m.name, Val::Unknown);
        assert_eq!(m.count, Val::Known(3));
        assert_eq!(m.tags, Val::Null);
        assert_eq!(m.filters.items()[0].filter.str(), Some("a*"));
        assert_eq!(encode_model(&m, &block()).unwrap(), v);
    }

    #[test]
    fn collection_with_unknown_elements_is_unknown_but_wrong_types_still_fail() {
        #[derive(Deserialize, Debug)]
        struct Names {
            names: Val<Vec<String>>,
        }
        let partly = Value::object([(
            "names",
            Value::List(vec![Value::string("a"), Value::Unknown]),
        )]);
        let m: Names = decode_model(&partly).unwrap();
        assert_eq!(m.names, Val::Unknown);
        let known = Value::object([("names", Value::List(vec![Value::string("a")]))]);
        let m: Names = decode_model(&known).unwrap();
        assert_eq!(m.names, Val::Known(vec!["a".to_string()]));
        let wrong = Value::object([(
            "names",
            Value::List(vec![Value::Number(Number::from_i64(1))]),
        )]);
        assert!(decode_model::<Names>(&wrong).is_err());
    }

    #[test]
    fn absent_block_lists_become_empty_not_null() {
        let m = Model {
            name: Val::of("x"),
            ..Default::default()
        };
        let v = encode_model(&m, &block()).unwrap();
        assert_eq!(v.get_attr("filters"), Some(&Value::List(vec![])));
        assert_eq!(v.get_attr("count"), Some(&Value::Null));
    }

    #[test]
    fn type_mismatch_is_an_error_not_a_panic() {
        let j = serde_json::json!({"name": ["not", "a", "string"]});
        assert!(block_from_json(&j, &block()).is_err());
    }
}
