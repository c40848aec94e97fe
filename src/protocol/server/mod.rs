//! The `tfplugin6.Provider` gRPC service: decodes Terraform's DynamicValues with the schema's
//! type, calls the [`ProviderHandler`], encodes answers as msgpack (what every Terraform version
//! reads). Wire-format problems become error diagnostics, never panics.
//!
//! `service.rs` maps each RPC to a method here; `resources.rs` serves managed resources (with
//! their identities), `surfaces.rs` data sources, ephemeral resources, list resources and
//! functions.

mod resources;
mod service;
mod surfaces;

use std::sync::Arc;

use super::cty::{self, Type, Value};
use super::diagnostics::Diagnostics;
use super::handler::*;
use super::path::AttrPath;
use crate::proto::tfplugin6 as pb;
use crate::proto::tfplugin6::provider_server::ProviderServer;

/// Largest message accepted or sent (terraform-plugin-go uses the same limit).
pub const MAX_MESSAGE_SIZE: usize = 256 << 20;

/// The gRPC routes serving `handler`, ready for the plugin transport.
pub fn routes(handler: Arc<dyn ProviderHandler>) -> tonic::service::Routes {
    tonic::service::Routes::new(provider_server(handler))
}

pub fn provider_server(handler: Arc<dyn ProviderHandler>) -> ProviderServer<ProviderService> {
    ProviderServer::new(ProviderService::new(handler))
        .max_decoding_message_size(MAX_MESSAGE_SIZE)
        .max_encoding_message_size(MAX_MESSAGE_SIZE)
}

pub struct ProviderService {
    handler: Arc<dyn ProviderHandler>,
    /// Schemas never change, so the answer is built once.
    schema_response: pb::get_provider_schema::Response,
    provider_type: Type,
}

impl ProviderService {
    pub fn new(handler: Arc<dyn ProviderHandler>) -> Self {
        let s = handler.schemas();
        let schemas = |m: &std::collections::BTreeMap<String, super::schema::Schema>| {
            m.iter().map(|(k, v)| (k.clone(), v.to_proto())).collect()
        };
        let schema_response = pb::get_provider_schema::Response {
            provider: Some(s.provider.to_proto()),
            resource_schemas: schemas(&s.resources),
            data_source_schemas: schemas(&s.data_sources),
            diagnostics: vec![],
            provider_meta: None,
            server_capabilities: Some(capabilities()),
            functions: s
                .functions
                .iter()
                .map(|(k, f)| (k.clone(), f.to_proto()))
                .collect(),
            ephemeral_resource_schemas: schemas(&s.ephemeral_resources),
            list_resource_schemas: schemas(&s.list_resources),
        };
        let provider_type = s.provider.implied_type();
        ProviderService {
            handler,
            schema_response,
            provider_type,
        }
    }

    fn schema_type(
        &self,
        pick: impl Fn(&ProviderSchemas) -> Option<Type>,
        kind: &str,
        name: &str,
    ) -> Result<Type, Diagnostics> {
        pick(self.handler.schemas()).ok_or_else(|| {
            Diagnostics::from_error(
                format!("Unknown {kind}"),
                format!("This provider has no {kind} {name:?}."),
            )
        })
    }

    fn resource_type(&self, name: &str) -> Result<Type, Diagnostics> {
        self.schema_type(
            |s| s.resources.get(name).map(|s| s.implied_type()),
            "resource type",
            name,
        )
    }

    fn data_source_type(&self, name: &str) -> Result<Type, Diagnostics> {
        self.schema_type(
            |s| s.data_sources.get(name).map(|s| s.implied_type()),
            "data source",
            name,
        )
    }

    fn ephemeral_type(&self, name: &str) -> Result<Type, Diagnostics> {
        self.schema_type(
            |s| s.ephemeral_resources.get(name).map(|s| s.implied_type()),
            "ephemeral resource",
            name,
        )
    }

    fn list_type(&self, name: &str) -> Result<Type, Diagnostics> {
        self.schema_type(
            |s| s.list_resources.get(name).map(|s| s.implied_type()),
            "list resource",
            name,
        )
    }

    /// The identity data type of a resource type (every resource has one).
    fn identity_type(&self, name: &str) -> Option<Type> {
        self.handler
            .schemas()
            .identities
            .get(name)
            .map(|s| s.implied_type())
    }
}

pub(crate) fn capabilities() -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        plan_destroy: true,
        get_provider_schema_optional: true,
        move_resource_state: true,
        generate_resource_config: true,
    }
}

/// Absent DynamicValue means null (as Terraform itself decodes it). A value that does not
/// decode becomes an error diagnostic pointing at the offending attribute where Terraform can
/// resolve it.
pub fn decode_dynamic(
    v: Option<&pb::DynamicValue>,
    ty: &Type,
    what: &str,
) -> Result<Value, Diagnostics> {
    let Some(v) = v else { return Ok(Value::Null) };
    let res = if !v.msgpack.is_empty() {
        cty::msgpack::decode(&v.msgpack, ty)
    } else if !v.json.is_empty() {
        cty::json::decode(&v.json, ty)
    } else {
        return Ok(Value::Null);
    };
    res.map_err(|e| {
        let mut d = Diagnostics::new();
        d.attr_error(
            AttrPath::resolvable(ty, &e.path),
            format!("Invalid {what} from Terraform"),
            e.to_string(),
        );
        d
    })
}

/// [`decode_dynamic`] for a configuration Terraform always sends as a known object (validate,
/// configure and data source reads): a null or wholly unknown value there is a malformed
/// request, reported as such rather than as a provider bug further down.
pub fn decode_config(
    v: Option<&pb::DynamicValue>,
    ty: &Type,
    what: &str,
) -> Result<Value, Diagnostics> {
    match decode_dynamic(v, ty, what)? {
        Value::Null => Err(Diagnostics::from_error(
            format!("Missing {what} from Terraform"),
            format!("The request carried no {what} (absent, empty or null); Terraform always sends one for this call."),
        )),
        Value::Unknown => Err(Diagnostics::from_error(
            format!("Invalid {what} from Terraform"),
            format!("The whole {what} is unknown; Terraform sends an object whose attributes may be unknown, never an unknown {what}."),
        )),
        v => Ok(v),
    }
}

pub fn encode_dynamic(v: &Value, ty: &Type, diags: &mut Diagnostics) -> Option<pb::DynamicValue> {
    match cty::msgpack::encode(v, ty) {
        Ok(msgpack) => Some(pb::DynamicValue {
            msgpack,
            json: vec![],
        }),
        Err(e) => {
            diags.error(
                "Provider produced a value it cannot encode",
                format!("This is a bug in the provider: {e}"),
            );
            None
        }
    }
}

/// Identity data from a request; absent (clients before 6.9) means null.
fn decode_identity(
    d: Option<&pb::ResourceIdentityData>,
    ty: Option<&Type>,
) -> Result<Value, Diagnostics> {
    match (d.and_then(|d| d.identity_data.as_ref()), ty) {
        (Some(v), Some(ty)) => decode_dynamic(Some(v), ty, "resource identity"),
        _ => Ok(Value::Null),
    }
}

/// Identity data for an answer; a null identity leaves the field out.
fn encode_identity(
    v: &Value,
    ty: Option<&Type>,
    diags: &mut Diagnostics,
) -> Option<pb::ResourceIdentityData> {
    let ty = ty?;
    if v.is_null() {
        return None;
    }
    encode_dynamic(v, ty, diags).map(|d| pb::ResourceIdentityData {
        identity_data: Some(d),
    })
}

macro_rules! try_diags {
    ($e:expr, $resp:expr) => {
        match $e {
            Ok(v) => v,
            Err(d) => {
                let d: Diagnostics = d;
                return Ok(tonic::Response::new($resp(d.to_proto())));
            }
        }
    };
}
use try_diags;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::cty::PathStep;

    fn dv(msgpack: &[u8]) -> pb::DynamicValue {
        pb::DynamicValue {
            msgpack: msgpack.to_vec(),
            json: vec![],
        }
    }

    #[test]
    fn decode_errors_point_at_the_attribute() {
        let ty = Type::object([("name", Type::String), ("tags", Type::set(Type::String))]);
        // {"name": 5}
        let d = decode_dynamic(
            Some(&dv(&[0x81, 0xa4, b'n', b'a', b'm', b'e', 0x05])),
            &ty,
            "configuration",
        )
        .unwrap_err();
        assert_eq!(d.0[0].summary, "Invalid configuration from Terraform");
        assert_eq!(d.0[0].attribute, Some(AttrPath::attr("name")));
        assert!(
            d.0[0].detail.contains("string required"),
            "{}",
            d.0[0].detail
        );
        // {"tags": [5]}: the set element has no Terraform path, the set does.
        let d = decode_dynamic(
            Some(&dv(&[0x81, 0xa4, b't', b'a', b'g', b's', 0x91, 0x05])),
            &ty,
            "state",
        )
        .unwrap_err();
        assert_eq!(
            d.0[0].attribute,
            Some(AttrPath(vec![PathStep::Attr("tags".into())]))
        );
    }

    #[test]
    fn configuration_must_be_a_known_value() {
        let ty = Type::object([("name", Type::String)]);
        for (v, summary) in [
            (None, "Missing configuration from Terraform"),
            (Some(dv(&[])), "Missing configuration from Terraform"),
            (Some(dv(&[0xc0])), "Missing configuration from Terraform"),
            (
                Some(dv(&[0xd4, 0, 0])),
                "Invalid configuration from Terraform",
            ),
        ] {
            let d = decode_config(v.as_ref(), &ty, "configuration").unwrap_err();
            assert_eq!(d.0[0].summary, summary);
            assert!(d.has_errors());
        }
        // Null is fine where Terraform means it (prior state on create, config on destroy).
        assert_eq!(decode_dynamic(None, &ty, "prior state"), Ok(Value::Null));
        assert!(decode_config(Some(&dv(&[0x80])), &ty, "configuration").is_ok());
    }

    #[test]
    fn identities_are_left_out_when_null_or_typeless() {
        let ty = Type::object([("name", Type::String)]);
        let mut d = Diagnostics::new();
        assert!(encode_identity(&Value::Null, Some(&ty), &mut d).is_none());
        let v = Value::object([("name", Value::string("app"))]);
        assert!(encode_identity(&v, None, &mut d).is_none());
        let enc = encode_identity(&v, Some(&ty), &mut d).unwrap();
        assert!(d.0.is_empty());
        // And they come back as sent; a request without one (Terraform < 1.12) is null.
        assert_eq!(decode_identity(Some(&enc), Some(&ty)), Ok(v));
        assert_eq!(decode_identity(None, Some(&ty)), Ok(Value::Null));
    }
}
