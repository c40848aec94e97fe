//! The `tfplugin6.Provider` gRPC service: decodes Terraform's DynamicValues with the schema's
//! type, calls the [`ProviderHandler`], encodes answers as msgpack (what every Terraform version
//! reads). Wire-format problems become error diagnostics, never panics.

use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::cty::{self, Type, Value};
use super::diagnostics::Diagnostics;
use super::handler::*;
use super::path::AttrPath;
use crate::proto::tfplugin6 as pb;
use crate::proto::tfplugin6::provider_server::{Provider, ProviderServer};

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
        let schema_response = pb::get_provider_schema::Response {
            provider: Some(s.provider.to_proto()),
            resource_schemas: s
                .resources
                .iter()
                .map(|(k, v)| (k.clone(), v.to_proto()))
                .collect(),
            data_source_schemas: s
                .data_sources
                .iter()
                .map(|(k, v)| (k.clone(), v.to_proto()))
                .collect(),
            diagnostics: vec![],
            provider_meta: None,
            server_capabilities: Some(capabilities()),
            functions: Default::default(),
            ephemeral_resource_schemas: Default::default(),
        };
        let provider_type = s.provider.implied_type();
        ProviderService {
            handler,
            schema_response,
            provider_type,
        }
    }

    fn resource_type(&self, name: &str) -> Result<Type, Diagnostics> {
        self.handler
            .schemas()
            .resources
            .get(name)
            .map(|s| s.implied_type())
            .ok_or_else(|| {
                Diagnostics::from_error(
                    "Unknown resource type",
                    format!("This provider has no resource type {name:?}."),
                )
            })
    }

    fn data_source_type(&self, name: &str) -> Result<Type, Diagnostics> {
        self.handler
            .schemas()
            .data_sources
            .get(name)
            .map(|s| s.implied_type())
            .ok_or_else(|| {
                Diagnostics::from_error(
                    "Unknown data source",
                    format!("This provider has no data source {name:?}."),
                )
            })
    }
}

fn capabilities() -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        plan_destroy: true,
        get_provider_schema_optional: true,
        move_resource_state: false,
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

macro_rules! try_diags {
    ($e:expr, $resp:expr) => {
        match $e {
            Ok(v) => v,
            Err(d) => {
                let d: Diagnostics = d;
                return Ok(Response::new($resp(d.to_proto())));
            }
        }
    };
}

#[tonic::async_trait]
impl Provider for ProviderService {
    async fn get_metadata(
        &self,
        _r: Request<pb::get_metadata::Request>,
    ) -> Result<Response<pb::get_metadata::Response>, Status> {
        let s = self.handler.schemas();
        Ok(Response::new(pb::get_metadata::Response {
            server_capabilities: Some(capabilities()),
            diagnostics: vec![],
            data_sources: s
                .data_sources
                .keys()
                .map(|k| pb::get_metadata::DataSourceMetadata {
                    type_name: k.clone(),
                })
                .collect(),
            resources: s
                .resources
                .keys()
                .map(|k| pb::get_metadata::ResourceMetadata {
                    type_name: k.clone(),
                })
                .collect(),
            functions: vec![],
            ephemeral_resources: vec![],
        }))
    }

    async fn get_provider_schema(
        &self,
        _r: Request<pb::get_provider_schema::Request>,
    ) -> Result<Response<pb::get_provider_schema::Response>, Status> {
        Ok(Response::new(self.schema_response.clone()))
    }

    async fn validate_provider_config(
        &self,
        r: Request<pb::validate_provider_config::Request>,
    ) -> Result<Response<pb::validate_provider_config::Response>, Status> {
        let r = r.into_inner();
        let resp = |diagnostics| pb::validate_provider_config::Response { diagnostics };
        let config = try_diags!(
            decode_config(
                r.config.as_ref(),
                &self.provider_type,
                "provider configuration"
            ),
            resp
        );
        Ok(Response::new(resp(
            self.handler
                .validate_provider_config(config)
                .await
                .to_proto(),
        )))
    }

    async fn validate_resource_config(
        &self,
        r: Request<pb::validate_resource_config::Request>,
    ) -> Result<Response<pb::validate_resource_config::Response>, Status> {
        let r = r.into_inner();
        let resp = |diagnostics| pb::validate_resource_config::Response { diagnostics };
        let ty = try_diags!(self.resource_type(&r.type_name), resp);
        let config = try_diags!(decode_config(r.config.as_ref(), &ty, "configuration"), resp);
        Ok(Response::new(resp(
            self.handler
                .validate_resource_config(&r.type_name, config)
                .await
                .to_proto(),
        )))
    }

    async fn validate_data_resource_config(
        &self,
        r: Request<pb::validate_data_resource_config::Request>,
    ) -> Result<Response<pb::validate_data_resource_config::Response>, Status> {
        let r = r.into_inner();
        let resp = |diagnostics| pb::validate_data_resource_config::Response { diagnostics };
        let ty = try_diags!(self.data_source_type(&r.type_name), resp);
        let config = try_diags!(decode_config(r.config.as_ref(), &ty, "configuration"), resp);
        Ok(Response::new(resp(
            self.handler
                .validate_data_source_config(&r.type_name, config)
                .await
                .to_proto(),
        )))
    }

    async fn upgrade_resource_state(
        &self,
        r: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
        let r = r.into_inner();
        let resp = |diagnostics| pb::upgrade_resource_state::Response {
            upgraded_state: None,
            diagnostics,
        };
        let ty = try_diags!(self.resource_type(&r.type_name), resp);
        let raw = r.raw_state.unwrap_or_default();
        let req = UpgradeResourceStateRequest {
            type_name: r.type_name.clone(),
            version: r.version,
            raw_json: (!raw.json.is_empty()).then_some(raw.json),
            has_flatmap: !raw.flatmap.is_empty(),
        };
        let (value, mut diags) = self.handler.upgrade_resource_state(req).await;
        let upgraded_state = if diags.has_errors() {
            None
        } else {
            encode_dynamic(&value, &ty, &mut diags)
        };
        Ok(Response::new(pb::upgrade_resource_state::Response {
            upgraded_state,
            diagnostics: diags.to_proto(),
        }))
    }

    async fn get_resource_identity_schemas(
        &self,
        _r: Request<pb::get_resource_identity_schemas::Request>,
    ) -> Result<Response<pb::get_resource_identity_schemas::Response>, Status> {
        Ok(Response::new(
            pb::get_resource_identity_schemas::Response::default(),
        ))
    }

    async fn upgrade_resource_identity(
        &self,
        _r: Request<pb::upgrade_resource_identity::Request>,
    ) -> Result<Response<pb::upgrade_resource_identity::Response>, Status> {
        Ok(Response::new(pb::upgrade_resource_identity::Response {
            upgraded_identity: None,
            diagnostics: Diagnostics::from_error(
                "Resource identity is not supported",
                "This provider does not define resource identities.",
            )
            .to_proto(),
        }))
    }

    async fn configure_provider(
        &self,
        r: Request<pb::configure_provider::Request>,
    ) -> Result<Response<pb::configure_provider::Response>, Status> {
        let r = r.into_inner();
        let resp = |diagnostics| pb::configure_provider::Response { diagnostics };
        let config = try_diags!(
            decode_config(
                r.config.as_ref(),
                &self.provider_type,
                "provider configuration"
            ),
            resp
        );
        Ok(Response::new(resp(
            self.handler
                .configure_provider(r.terraform_version, config)
                .await
                .to_proto(),
        )))
    }

    async fn read_resource(
        &self,
        r: Request<pb::read_resource::Request>,
    ) -> Result<Response<pb::read_resource::Response>, Status> {
        let r = r.into_inner();
        let resp = |diagnostics| pb::read_resource::Response {
            diagnostics,
            ..Default::default()
        };
        let ty = try_diags!(self.resource_type(&r.type_name), resp);
        let current_state =
            try_diags!(decode_dynamic(r.current_state.as_ref(), &ty, "state"), resp);
        let out = self
            .handler
            .read_resource(ReadResourceRequest {
                type_name: r.type_name,
                current_state,
                private: r.private,
            })
            .await;
        let mut diags = out.diagnostics;
        let new_state = encode_dynamic(&out.new_state, &ty, &mut diags);
        Ok(Response::new(pb::read_resource::Response {
            new_state,
            diagnostics: diags.to_proto(),
            private: out.private,
            deferred: None,
            new_identity: None,
        }))
    }

    async fn plan_resource_change(
        &self,
        r: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        let r = r.into_inner();
        let resp = |diagnostics| pb::plan_resource_change::Response {
            diagnostics,
            ..Default::default()
        };
        let ty = try_diags!(self.resource_type(&r.type_name), resp);
        let prior_state = try_diags!(
            decode_dynamic(r.prior_state.as_ref(), &ty, "prior state"),
            resp
        );
        let proposed_new_state = try_diags!(
            decode_dynamic(r.proposed_new_state.as_ref(), &ty, "proposed state"),
            resp
        );
        let config = try_diags!(
            decode_dynamic(r.config.as_ref(), &ty, "configuration"),
            resp
        );
        let out = self
            .handler
            .plan_resource_change(PlanResourceChangeRequest {
                type_name: r.type_name,
                prior_state,
                proposed_new_state,
                config,
                prior_private: r.prior_private,
            })
            .await;
        let mut diags = out.diagnostics;
        let planned_state = encode_dynamic(&out.planned_state, &ty, &mut diags);
        Ok(Response::new(pb::plan_resource_change::Response {
            planned_state,
            requires_replace: out.requires_replace.iter().map(|p| p.to_proto()).collect(),
            planned_private: out.planned_private,
            diagnostics: diags.to_proto(),
            legacy_type_system: false,
            deferred: None,
            planned_identity: None,
        }))
    }

    async fn apply_resource_change(
        &self,
        r: Request<pb::apply_resource_change::Request>,
    ) -> Result<Response<pb::apply_resource_change::Response>, Status> {
        let r = r.into_inner();
        let resp = |diagnostics| pb::apply_resource_change::Response {
            diagnostics,
            ..Default::default()
        };
        let ty = try_diags!(self.resource_type(&r.type_name), resp);
        let prior_state = try_diags!(
            decode_dynamic(r.prior_state.as_ref(), &ty, "prior state"),
            resp
        );
        let planned_state = try_diags!(
            decode_dynamic(r.planned_state.as_ref(), &ty, "planned state"),
            resp
        );
        let config = try_diags!(
            decode_dynamic(r.config.as_ref(), &ty, "configuration"),
            resp
        );
        let out = self
            .handler
            .apply_resource_change(ApplyResourceChangeRequest {
                type_name: r.type_name,
                prior_state,
                planned_state,
                config,
                planned_private: r.planned_private,
            })
            .await;
        let mut diags = out.diagnostics;
        let new_state = encode_dynamic(&out.new_state, &ty, &mut diags);
        Ok(Response::new(pb::apply_resource_change::Response {
            new_state,
            private: out.private,
            diagnostics: diags.to_proto(),
            legacy_type_system: false,
            new_identity: None,
        }))
    }

    async fn import_resource_state(
        &self,
        r: Request<pb::import_resource_state::Request>,
    ) -> Result<Response<pb::import_resource_state::Response>, Status> {
        let r = r.into_inner();
        let resp = |diagnostics| pb::import_resource_state::Response {
            diagnostics,
            ..Default::default()
        };
        let ty = try_diags!(self.resource_type(&r.type_name), resp);
        let (imported, mut diags) = self
            .handler
            .import_resource_state(&r.type_name, &r.id)
            .await;
        let mut imported_resources = Vec::new();
        for i in imported {
            let state = encode_dynamic(&i.state, &ty, &mut diags);
            imported_resources.push(pb::import_resource_state::ImportedResource {
                type_name: i.type_name,
                state,
                private: i.private,
                identity: None,
            });
        }
        Ok(Response::new(pb::import_resource_state::Response {
            imported_resources,
            diagnostics: diags.to_proto(),
            deferred: None,
        }))
    }

    async fn move_resource_state(
        &self,
        r: Request<pb::move_resource_state::Request>,
    ) -> Result<Response<pb::move_resource_state::Response>, Status> {
        let r = r.into_inner();
        Ok(Response::new(pb::move_resource_state::Response {
            diagnostics: Diagnostics::from_error(
                "Moving resource state is not supported",
                format!(
                    "terraform-provider-ecr cannot move {} state into {}.",
                    r.source_type_name, r.target_type_name
                ),
            )
            .to_proto(),
            ..Default::default()
        }))
    }

    async fn read_data_source(
        &self,
        r: Request<pb::read_data_source::Request>,
    ) -> Result<Response<pb::read_data_source::Response>, Status> {
        let r = r.into_inner();
        let resp = |diagnostics| pb::read_data_source::Response {
            diagnostics,
            ..Default::default()
        };
        let ty = try_diags!(self.data_source_type(&r.type_name), resp);
        let config = try_diags!(decode_config(r.config.as_ref(), &ty, "configuration"), resp);
        let (state, mut diags) = self.handler.read_data_source(&r.type_name, config).await;
        let state = if diags.has_errors() && state.is_null() {
            None
        } else {
            encode_dynamic(&state, &ty, &mut diags)
        };
        Ok(Response::new(pb::read_data_source::Response {
            state,
            diagnostics: diags.to_proto(),
            deferred: None,
        }))
    }

    async fn validate_ephemeral_resource_config(
        &self,
        r: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Result<Response<pb::validate_ephemeral_resource_config::Response>, Status> {
        Ok(Response::new(
            pb::validate_ephemeral_resource_config::Response {
                diagnostics: no_ephemeral(&r.into_inner().type_name),
            },
        ))
    }

    async fn open_ephemeral_resource(
        &self,
        r: Request<pb::open_ephemeral_resource::Request>,
    ) -> Result<Response<pb::open_ephemeral_resource::Response>, Status> {
        Ok(Response::new(pb::open_ephemeral_resource::Response {
            diagnostics: no_ephemeral(&r.into_inner().type_name),
            ..Default::default()
        }))
    }

    async fn renew_ephemeral_resource(
        &self,
        r: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Result<Response<pb::renew_ephemeral_resource::Response>, Status> {
        Ok(Response::new(pb::renew_ephemeral_resource::Response {
            diagnostics: no_ephemeral(&r.into_inner().type_name),
            ..Default::default()
        }))
    }

    async fn close_ephemeral_resource(
        &self,
        r: Request<pb::close_ephemeral_resource::Request>,
    ) -> Result<Response<pb::close_ephemeral_resource::Response>, Status> {
        Ok(Response::new(pb::close_ephemeral_resource::Response {
            diagnostics: no_ephemeral(&r.into_inner().type_name),
        }))
    }

    async fn get_functions(
        &self,
        _r: Request<pb::get_functions::Request>,
    ) -> Result<Response<pb::get_functions::Response>, Status> {
        Ok(Response::new(pb::get_functions::Response::default()))
    }

    async fn call_function(
        &self,
        r: Request<pb::call_function::Request>,
    ) -> Result<Response<pb::call_function::Response>, Status> {
        Ok(Response::new(pb::call_function::Response {
            result: None,
            error: Some(pb::FunctionError {
                text: format!(
                    "this provider defines no function {:?}",
                    r.into_inner().name
                ),
                function_argument: None,
            }),
        }))
    }

    async fn stop_provider(
        &self,
        _r: Request<pb::stop_provider::Request>,
    ) -> Result<Response<pb::stop_provider::Response>, Status> {
        let error = self.handler.stop().await.err().unwrap_or_default();
        Ok(Response::new(pb::stop_provider::Response { error }))
    }
}

fn no_ephemeral(type_name: &str) -> Vec<pb::Diagnostic> {
    Diagnostics::from_error(
        "Unknown ephemeral resource",
        format!("This provider has no ephemeral resource {type_name:?}."),
    )
    .to_proto()
}

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
}
