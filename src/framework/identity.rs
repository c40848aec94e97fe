//! Resource identity values between the typed `Resource::Identity` structs and cty, and the
//! rules the framework keeps for them: an identity is stored complete (no null attribute: a
//! later read that fills one in would be an "Unexpected Identity Change" to Terraform) and, once
//! stored, never changes.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::val::{decode_model, encode_typed};
use crate::protocol::cty::{self, Value};
use crate::protocol::IdentitySchema;

/// Typed identity → cty object with every attribute of `schema`.
pub fn encode<I: Serialize>(identity: &I, schema: &IdentitySchema) -> Result<Value, String> {
    encode_typed(identity, &schema.implied_type())
}

/// cty identity (from Terraform) → typed identity.
pub fn decode<I: DeserializeOwned>(v: &Value) -> Result<I, String> {
    decode_model(v)
}

/// Stored identity JSON of an older identity schema version → cty (version 0 is the only one).
pub fn decode_json(json: &[u8], schema: &IdentitySchema) -> Result<Value, String> {
    cty::json::decode_lenient(json, &schema.implied_type()).map_err(|e| e.to_string())
}

/// True when every attribute is known and not null.
pub fn is_complete(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.values().all(|a| !a.is_null() && a.is_wholly_known()),
        _ => false,
    }
}

/// The identity to answer when Terraform already holds `current`: unchanged, except that null
/// attributes (an identity stored incomplete) take the `computed` value.
pub fn keep(current: &Value, computed: &Value) -> Value {
    match (current, computed) {
        (Value::Object(cur), Value::Object(new)) => Value::Object(
            cur.iter()
                .map(|(k, v)| {
                    let v = match (v, new.get(k)) {
                        (Value::Null, Some(n)) => n.clone(),
                        _ => v.clone(),
                    };
                    (k.clone(), v)
                })
                .collect::<BTreeMap<_, _>>(),
        ),
        (Value::Null, _) => computed.clone(),
        _ => current.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::Val;

    #[derive(serde::Serialize, serde::Deserialize, Default, Clone, PartialEq, Debug)]
    #[serde(default)]
    struct Id {
        account_id: Val<String>,
        name: Val<String>,
    }

    fn schema() -> IdentitySchema {
        IdentitySchema::new(0)
            .optional("account_id", "")
            .required("name", "")
    }

    #[test]
    fn round_trip_with_every_attribute() {
        let id = Id {
            name: Val::of("app"),
            ..Default::default()
        };
        let v = encode(&id, &schema()).unwrap();
        assert_eq!(
            v,
            Value::object([("account_id", Value::Null), ("name", Value::string("app"))])
        );
        assert!(!is_complete(&v));
        assert_eq!(decode::<Id>(&v).unwrap(), id);
        let json = br#"{"account_id":"111122223333","name":"app","gone":"x"}"#;
        assert!(is_complete(&decode_json(json, &schema()).unwrap()));
    }

    #[test]
    fn a_stored_identity_only_gains_what_it_lacked() {
        let current = Value::object([("account_id", Value::Null), ("name", Value::string("a"))]);
        let computed = Value::object([
            ("account_id", Value::string("111122223333")),
            ("name", Value::string("b")),
        ]);
        assert_eq!(
            keep(&current, &computed),
            Value::object([
                ("account_id", Value::string("111122223333")),
                ("name", Value::string("a"))
            ])
        );
        assert_eq!(keep(&Value::Null, &computed), computed);
    }
}
