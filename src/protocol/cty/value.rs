//! cty values as an untyped tree; the codecs pair them with a [`Type`].

use std::collections::BTreeMap;

use super::{Number, Type};

/// A cty value. `Null` and `Unknown` can stand in for a value of any type.
///
/// Sets are vectors whose order carries no meaning; equality ignores it.
#[derive(Clone, Debug)]
pub enum Value {
    Null,
    /// Not known until apply. Refinements sent by newer Terraform versions are dropped.
    Unknown,
    String(String),
    Number(Number),
    Bool(bool),
    List(Vec<Value>),
    Set(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Object(BTreeMap<String, Value>),
    Tuple(Vec<Value>),
}

impl Value {
    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    pub fn number(n: impl Into<Number>) -> Value {
        Value::Number(n.into())
    }

    pub fn object<'a>(attrs: impl IntoIterator<Item = (&'a str, Value)>) -> Value {
        Value::Object(attrs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    /// A set, with duplicates removed as cty would.
    pub fn set(elements: impl IntoIterator<Item = Value>) -> Value {
        let mut elements: Vec<Value> = elements.into_iter().collect();
        dedup_set(&mut elements);
        Value::Set(elements)
    }

    /// A null of the given type. Values do not carry types, so this is just `Null`; it
    /// exists so call sites read like cty's `NullVal(ty)`.
    pub fn null_of(_ty: &Type) -> Value {
        Value::Null
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown)
    }

    /// True when no `Unknown` appears anywhere inside.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown => false,
            Value::Null | Value::String(_) | Value::Number(_) | Value::Bool(_) => true,
            Value::List(vs) | Value::Set(vs) | Value::Tuple(vs) => {
                vs.iter().all(Value::is_wholly_known)
            }
            Value::Map(m) | Value::Object(m) => m.values().all(Value::is_wholly_known),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The elements of a list, set or tuple.
    pub fn as_slice(&self) -> Option<&[Value]> {
        match self {
            Value::List(vs) | Value::Set(vs) | Value::Tuple(vs) => Some(vs),
            _ => None,
        }
    }

    /// The entries of a map or object.
    pub fn as_map(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Map(m) | Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// An attribute of an object (`None` for absent attributes and non-objects).
    pub fn get_attr(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Object(m) => m.get(name),
            _ => None,
        }
    }

    /// The type to announce when this value fills a `dynamic` slot on the wire.
    ///
    /// Null and unknown give `Dynamic`. Collection element types are unified across
    /// elements, so nulls or empty collections among them do not hide the real type; a
    /// list or map whose elements cannot be unified becomes a tuple or object.
    pub fn implied_type(&self) -> Type {
        match self {
            Value::Null | Value::Unknown => Type::Dynamic,
            Value::String(_) => Type::String,
            Value::Number(_) => Type::Number,
            Value::Bool(_) => Type::Bool,
            Value::List(vs) => match unify_all(vs.iter()) {
                Some(t) => Type::list(t),
                None => Type::Tuple(vs.iter().map(Value::implied_type).collect()),
            },
            Value::Set(vs) => Type::set(unify_all(vs.iter()).unwrap_or(Type::Dynamic)),
            Value::Map(m) => match unify_all(m.values()) {
                Some(t) => Type::map(t),
                None => Type::Object(implied_attrs(m)),
            },
            Value::Object(m) => Type::Object(implied_attrs(m)),
            Value::Tuple(vs) => Type::Tuple(vs.iter().map(Value::implied_type).collect()),
        }
    }

    /// A short name of the value's kind, for error messages.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Unknown => "unknown",
            Value::String(_) => "string",
            Value::Number(_) => "number",
            Value::Bool(_) => "bool",
            Value::List(_) => "list",
            Value::Set(_) => "set",
            Value::Map(_) => "map",
            Value::Object(_) => "object",
            Value::Tuple(_) => "tuple",
        }
    }
}

fn implied_attrs(m: &BTreeMap<String, Value>) -> BTreeMap<String, Type> {
    m.iter()
        .map(|(k, v)| (k.clone(), v.implied_type()))
        .collect()
}

/// cty requires every element of a list, set or map to have the same type. With a `dynamic`
/// element type each element arrives with its own; decoders call this so that a collection
/// mixing, say, a number and a string is an error (cty itself would panic on it, and no encoder
/// can write it back as a collection).
pub(crate) fn check_uniform<'a>(
    element_type: &Type,
    elements: impl Iterator<Item = &'a Value>,
    kind: &str,
) -> Result<(), String> {
    if element_type.has_dynamic() && unify_all(elements).is_none() {
        return Err(format!(
            "the elements of a {kind} must all have the same type"
        ));
    }
    Ok(())
}

fn unify_all<'a>(mut values: impl Iterator<Item = &'a Value>) -> Option<Type> {
    values.try_fold(Type::Dynamic, |acc, v| unify(acc, v.implied_type()))
}

/// The most specific type both arguments conform to, treating `Dynamic` (from nulls,
/// unknowns and empty collections) as a wildcard.
fn unify(a: Type, b: Type) -> Option<Type> {
    match (a, b) {
        (Type::Dynamic, t) | (t, Type::Dynamic) => Some(t),
        (Type::List(a), Type::List(b)) => unify(*a, *b).map(Type::list),
        (Type::Set(a), Type::Set(b)) => unify(*a, *b).map(Type::set),
        (Type::Map(a), Type::Map(b)) => unify(*a, *b).map(Type::map),
        (Type::Object(a), Type::Object(b)) if a.keys().eq(b.keys()) => a
            .into_iter()
            .zip(b.into_values())
            .map(|((k, a), b)| Some((k, unify(a, b)?)))
            .collect::<Option<_>>()
            .map(Type::Object),
        (Type::Tuple(a), Type::Tuple(b)) if a.len() == b.len() => a
            .into_iter()
            .zip(b)
            .map(|(a, b)| unify(a, b))
            .collect::<Option<_>>()
            .map(Type::Tuple),
        (a, b) => (a == b).then_some(a),
    }
}

/// Removes repeated set elements the way cty does: only wholly known elements can be
/// equal (cty never merges two unknowns, which might turn out different).
pub(crate) fn dedup_set(elements: &mut Vec<Value>) {
    let mut i = 0;
    while i < elements.len() {
        if elements[i].is_wholly_known() && elements[..i].contains(&elements[i]) {
            elements.remove(i);
        } else {
            i += 1;
        }
    }
}

/// The distinct elements of a set, per [`dedup_set`], without cloning.
pub(crate) fn distinct(elements: &[Value]) -> Vec<&Value> {
    let mut out: Vec<&Value> = Vec::with_capacity(elements.len());
    for v in elements {
        if !(v.is_wholly_known() && out.contains(&v)) {
            out.push(v);
        }
    }
    out
}

/// Order-insensitive comparison: equal distinct elements, matched one to one (so two
/// unknowns on one side need two on the other). Quadratic, which is fine for the sizes
/// of sets found in Terraform configurations.
fn set_eq(a: &[Value], b: &[Value]) -> bool {
    let (a, b) = (distinct(a), distinct(b));
    if a.len() != b.len() {
        return false;
    }
    let mut used = vec![false; b.len()];
    a.iter()
        .all(|x| match (0..b.len()).find(|&i| !used[i] && b[i] == *x) {
            Some(i) => {
                used[i] = true;
                true
            }
            None => false,
        })
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) | (Value::Unknown, Value::Unknown) => true,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::List(a), Value::List(b)) | (Value::Tuple(a), Value::Tuple(b)) => a == b,
            (Value::Set(a), Value::Set(b)) => set_eq(a, b),
            (Value::Map(a), Value::Map(b)) | (Value::Object(a), Value::Object(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Value {}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<Number> for Value {
    fn from(n: Number) -> Value {
        Value::Number(n)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Value {
        Value::Number(n.into())
    }
}

#[cfg(test)]
pub(crate) mod strategies {
    use super::super::number::strategies::arb_number;
    use super::super::types::strategies::arb_concrete_type;
    use super::{Type, Value};
    use proptest::prelude::*;

    /// A value conforming to `ty`: null (and, if `unknowns`, unknown) at any depth.
    pub(crate) fn arb_value(ty: &Type, unknowns: bool) -> BoxedStrategy<Value> {
        let known = known_value(ty, unknowns);
        if unknowns {
            prop_oneof![1 => Just(Value::Null), 1 => Just(Value::Unknown), 6 => known].boxed()
        } else {
            prop_oneof![1 => Just(Value::Null), 6 => known].boxed()
        }
    }

    /// `ty` with each `dynamic` replaced by some concrete type.
    fn concretize(ty: &Type) -> BoxedStrategy<Type> {
        match ty {
            Type::Dynamic => arb_concrete_type(),
            Type::List(t) => concretize(t).prop_map(Type::list).boxed(),
            Type::Set(t) => concretize(t).prop_map(Type::set).boxed(),
            Type::Map(t) => concretize(t).prop_map(Type::map).boxed(),
            Type::Object(attrs) => attrs
                .iter()
                .map(|(k, t)| {
                    let k = k.clone();
                    concretize(t).prop_map(move |t| (k.clone(), t))
                })
                .collect::<Vec<_>>()
                .prop_map(|kts| Type::Object(kts.into_iter().collect()))
                .boxed(),
            Type::Tuple(ts) => ts
                .iter()
                .map(concretize)
                .collect::<Vec<_>>()
                .prop_map(Type::Tuple)
                .boxed(),
            t => Just(t.clone()).boxed(),
        }
    }

    fn known_value(ty: &Type, unknowns: bool) -> BoxedStrategy<Value> {
        let elems = |t: &Type| prop::collection::vec(arb_value(t, unknowns), 0..4);
        match ty {
            // As in cty, a collection's elements share one type even when the element type is
            // dynamic: pick that type once for the whole collection.
            Type::List(t) | Type::Set(t) | Type::Map(t) if t.has_dynamic() => {
                let outer = ty.clone();
                concretize(t)
                    .prop_flat_map(move |ct| {
                        let concrete = match &outer {
                            Type::List(_) => Type::list(ct),
                            Type::Set(_) => Type::set(ct),
                            _ => Type::map(ct),
                        };
                        known_value(&concrete, unknowns)
                    })
                    .boxed()
            }
            Type::String => any::<String>().prop_map(Value::String).boxed(),
            Type::Number => arb_number().prop_map(Value::Number).boxed(),
            Type::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
            Type::List(t) => elems(t).prop_map(Value::List).boxed(),
            Type::Set(t) => elems(t).prop_map(Value::set).boxed(),
            Type::Map(t) => prop::collection::btree_map("\\PC{0,5}", arb_value(t, unknowns), 0..4)
                .prop_map(Value::Map)
                .boxed(),
            Type::Object(attrs) => attrs
                .iter()
                .map(|(k, t)| {
                    let k = k.clone();
                    arb_value(t, unknowns).prop_map(move |v| (k.clone(), v))
                })
                .collect::<Vec<_>>()
                .prop_map(|kvs| Value::Object(kvs.into_iter().collect()))
                .boxed(),
            Type::Tuple(ts) => ts
                .iter()
                .map(|t| arb_value(t, unknowns))
                .collect::<Vec<_>>()
                .prop_map(Value::Tuple)
                .boxed(),
            // A dynamic slot holds a value of some concrete type.
            Type::Dynamic => arb_concrete_type()
                .prop_flat_map(move |t| known_value(&t, unknowns))
                .boxed(),
        }
    }

    /// Any type together with a value conforming to it.
    pub(crate) fn arb_typed_value(unknowns: bool) -> BoxedStrategy<(Type, Value)> {
        super::super::types::strategies::arb_type()
            .prop_flat_map(move |t| arb_value(&t, unknowns).prop_map(move |v| (t.clone(), v)))
            .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Value {
        Value::string(x)
    }

    #[test]
    fn set_equality_ignores_order_and_known_duplicates() {
        assert_eq!(
            Value::Set(vec![s("a"), s("b")]),
            Value::Set(vec![s("b"), s("a")])
        );
        assert_eq!(
            Value::Set(vec![s("a"), s("a"), s("b")]),
            Value::Set(vec![s("b"), s("a")])
        );
        assert_ne!(Value::Set(vec![s("a")]), Value::Set(vec![s("a"), s("b")]));
        assert_ne!(
            Value::Set(vec![Value::Unknown, Value::Unknown]),
            Value::Set(vec![Value::Unknown])
        );
        assert_ne!(
            Value::List(vec![s("a"), s("b")]),
            Value::List(vec![s("b"), s("a")])
        );
        let nested = |a, b| Value::Set(vec![Value::Set(vec![s(a), s(b)]), Value::Null]);
        assert_eq!(nested("x", "y"), nested("y", "x"));
        assert_ne!(Value::Set(vec![]), Value::List(vec![]));
        assert_ne!(Value::Map(BTreeMap::new()), Value::Object(BTreeMap::new()));
    }

    #[test]
    fn set_constructor_dedups_known_elements_only() {
        let v = Value::set([
            s("a"),
            s("a"),
            Value::Null,
            Value::Null,
            Value::Unknown,
            Value::Unknown,
        ]);
        assert_eq!(v.as_slice().map(<[Value]>::len), Some(4));
        let partly = || Value::object([("id", Value::Unknown)]);
        assert_eq!(
            Value::set([partly(), partly()])
                .as_slice()
                .map(<[Value]>::len),
            Some(2)
        );
    }

    #[test]
    fn helpers() {
        let v = Value::object([
            ("name", s("repo")),
            ("n", Value::from(3)),
            ("on", true.into()),
            ("later", Value::Unknown),
        ]);
        assert_eq!(v.get_attr("name").and_then(Value::as_str), Some("repo"));
        assert_eq!(
            v.get_attr("n")
                .and_then(Value::as_number)
                .and_then(Number::to_i64),
            Some(3)
        );
        assert_eq!(v.get_attr("on").and_then(Value::as_bool), Some(true));
        assert_eq!(v.get_attr("missing"), None);
        assert!(!v.is_wholly_known());
        assert!(v.get_attr("later").is_some_and(Value::is_unknown));
        assert!(Value::null_of(&Type::String).is_null());
        assert!(Value::List(vec![Value::Null]).is_wholly_known());
        assert_eq!(s("x").get_attr("x"), None);
    }

    #[test]
    fn implied_types() {
        assert_eq!(Value::Null.implied_type(), Type::Dynamic);
        assert_eq!(
            Value::List(vec![]).implied_type(),
            Type::list(Type::Dynamic)
        );
        assert_eq!(
            Value::List(vec![Value::Null, s("a")]).implied_type(),
            Type::list(Type::String)
        );
        assert_eq!(
            Value::List(vec![Value::List(vec![]), Value::List(vec![Value::from(1)])])
                .implied_type(),
            Type::list(Type::list(Type::Number))
        );
        assert_eq!(
            Value::List(vec![s("a"), Value::from(1)]).implied_type(),
            Type::tuple([Type::String, Type::Number])
        );
        assert_eq!(
            Value::object([("a", s("x")), ("b", Value::Null)]).implied_type(),
            Type::object([("a", Type::String), ("b", Type::Dynamic)])
        );
        let m = Value::Map([("k".to_owned(), Value::Null), ("l".to_owned(), true.into())].into());
        assert_eq!(m.implied_type(), Type::map(Type::Bool));
        let mixed = Value::Map([("k".to_owned(), s("x")), ("l".to_owned(), true.into())].into());
        assert_eq!(
            mixed.implied_type(),
            Type::object([("k", Type::String), ("l", Type::Bool)])
        );
        assert_eq!(
            Value::Set(vec![Value::Unknown]).implied_type(),
            Type::set(Type::Dynamic)
        );
    }
}
