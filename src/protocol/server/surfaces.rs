//! Everything that is not a managed resource: metadata, data sources, ephemeral resources
//! (6.7), list resources streamed to `terraform query` (6.10) and provider functions (6.5).

use tokio::sync::mpsc;
use tonic::{Response, Status};

use super::service::ListStream;
use super::{
    capabilities, decode_config, decode_dynamic, encode_dynamic, encode_identity, try_diags,
    ProviderService,
};
use crate::proto::tfplugin6 as pb;
use crate::protocol::cty::{self, Type, Value};
use crate::protocol::diagnostics::Diagnostics;
use crate::protocol::function::FunctionError;
use crate::protocol::handler::*;

type Answer<T> = Result<Response<T>, tonic::Status>;

/// Results in flight between the listing task and the gRPC stream; a small buffer keeps a slow
/// client from making the provider read ahead much.
const LIST_BUFFER: usize = 8;

impl ProviderService {
    pub(super) fn metadata(&self) -> pb::get_metadata::Response {
        let s = self.handler.schemas();
        pb::get_metadata::Response {
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
            functions: s
                .functions
                .keys()
                .map(|k| pb::get_metadata::FunctionMetadata { name: k.clone() })
                .collect(),
            ephemeral_resources: s
                .ephemeral_resources
                .keys()
                .map(|k| pb::get_metadata::EphemeralMetadata {
                    type_name: k.clone(),
                })
                .collect(),
            list_resources: s
                .list_resources
                .keys()
                .map(|k| pb::get_metadata::ListResourceMetadata {
                    type_name: k.clone(),
                })
                .collect(),
        }
    }

    pub(super) async fn validate_data_source(
        &self,
        r: pb::validate_data_resource_config::Request,
    ) -> Answer<pb::validate_data_resource_config::Response> {
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

    pub(super) async fn read_data(
        &self,
        r: pb::read_data_source::Request,
    ) -> Answer<pb::read_data_source::Response> {
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

    pub(super) async fn validate_ephemeral(
        &self,
        r: pb::validate_ephemeral_resource_config::Request,
    ) -> Answer<pb::validate_ephemeral_resource_config::Response> {
        let resp = |diagnostics| pb::validate_ephemeral_resource_config::Response { diagnostics };
        let ty = try_diags!(self.ephemeral_type(&r.type_name), resp);
        let config = try_diags!(decode_config(r.config.as_ref(), &ty, "configuration"), resp);
        Ok(Response::new(resp(
            self.handler
                .validate_ephemeral_resource_config(&r.type_name, config)
                .await
                .to_proto(),
        )))
    }

    pub(super) async fn open_ephemeral(
        &self,
        r: pb::open_ephemeral_resource::Request,
    ) -> Answer<pb::open_ephemeral_resource::Response> {
        let resp = |diagnostics| pb::open_ephemeral_resource::Response {
            diagnostics,
            ..Default::default()
        };
        let ty = try_diags!(self.ephemeral_type(&r.type_name), resp);
        let config = try_diags!(decode_config(r.config.as_ref(), &ty, "configuration"), resp);
        let out = self
            .handler
            .open_ephemeral_resource(&r.type_name, config)
            .await;
        let mut diags = out.diagnostics;
        let result = if diags.has_errors() {
            None
        } else {
            encode_dynamic(&out.result, &ty, &mut diags)
        };
        Ok(Response::new(pb::open_ephemeral_resource::Response {
            diagnostics: diags.to_proto(),
            renew_at: out.renew_at.map(prost_types::Timestamp::from),
            result,
            private: out.private,
            deferred: None,
        }))
    }

    pub(super) async fn renew_ephemeral(
        &self,
        r: pb::renew_ephemeral_resource::Request,
    ) -> Answer<pb::renew_ephemeral_resource::Response> {
        let resp = |diagnostics| pb::renew_ephemeral_resource::Response {
            diagnostics,
            ..Default::default()
        };
        try_diags!(self.ephemeral_type(&r.type_name), resp);
        let out = self
            .handler
            .renew_ephemeral_resource(&r.type_name, r.private)
            .await;
        Ok(Response::new(pb::renew_ephemeral_resource::Response {
            diagnostics: out.diagnostics.to_proto(),
            renew_at: out.renew_at.map(prost_types::Timestamp::from),
            private: out.private,
        }))
    }

    pub(super) async fn close_ephemeral(
        &self,
        r: pb::close_ephemeral_resource::Request,
    ) -> Answer<pb::close_ephemeral_resource::Response> {
        let resp = |diagnostics| pb::close_ephemeral_resource::Response { diagnostics };
        try_diags!(self.ephemeral_type(&r.type_name), resp);
        Ok(Response::new(resp(
            self.handler
                .close_ephemeral_resource(&r.type_name, r.private)
                .await
                .to_proto(),
        )))
    }

    pub(super) async fn validate_list(
        &self,
        r: pb::validate_list_resource_config::Request,
    ) -> Answer<pb::validate_list_resource_config::Response> {
        let resp = |diagnostics| pb::validate_list_resource_config::Response { diagnostics };
        let ty = try_diags!(self.list_type(&r.type_name), resp);
        // A list block without `config { … }` sends a null config.
        let config = try_diags!(
            decode_dynamic(r.config.as_ref(), &ty, "configuration"),
            resp
        );
        Ok(Response::new(resp(
            self.handler
                .validate_list_resource_config(&r.type_name, config)
                .await
                .to_proto(),
        )))
    }

    /// Starts the listing in its own task and streams its results as they come; the task ends
    /// when the listing is done or the client stops reading.
    pub(super) fn list(&self, r: pb::list_resource::Request) -> ListStream {
        let (tx, rx) = mpsc::channel(LIST_BUFFER);
        let decoded = self.list_type(&r.type_name).and_then(|ty| {
            let config = decode_dynamic(r.config.as_ref(), &ty, "configuration")?;
            let resource = self.resource_type(&r.type_name)?;
            Ok((config, resource))
        });
        let identity = self.identity_type(&r.type_name);
        let handler = self.handler.clone();
        tokio::spawn(async move {
            let mut sink = ChannelSink {
                tx,
                identity,
                resource: None,
            };
            match decoded {
                Err(d) => {
                    sink.send(ListResourceEvent {
                        identity: Value::Null,
                        display_name: String::new(),
                        resource: None,
                        diagnostics: d,
                    })
                    .await;
                }
                Ok((config, resource)) => {
                    sink.resource = Some(resource);
                    let req = ListResourceRequest {
                        type_name: r.type_name,
                        config,
                        include_resource: r.include_resource_object,
                        limit: r.limit,
                    };
                    handler.list_resource(req, &mut sink).await;
                }
            }
        });
        Box::pin(tokio_stream::wrappers::ReceiverStream::new(rx))
    }

    pub(super) async fn call(&self, r: pb::call_function::Request) -> pb::call_function::Response {
        let fail = |e: FunctionError| pb::call_function::Response {
            result: None,
            error: Some(e.to_proto()),
        };
        let Some(sig) = self.handler.schemas().functions.get(&r.name) else {
            return fail(FunctionError::new(format!(
                "this provider has no function {:?}",
                r.name
            )));
        };
        if r.arguments.len() != sig.parameters.len() {
            return fail(FunctionError::new(format!(
                "{} takes {} arguments, got {}",
                r.name,
                sig.parameters.len(),
                r.arguments.len()
            )));
        }
        let mut args = Vec::with_capacity(r.arguments.len());
        for (i, (arg, param)) in r.arguments.iter().zip(&sig.parameters).enumerate() {
            match decode_dynamic(Some(arg), &param.ty, "argument") {
                Ok(v) => args.push(v),
                Err(d) => {
                    let text = d.0.first().map(|d| d.detail.clone()).unwrap_or_default();
                    return fail(FunctionError::at(
                        i,
                        format!("invalid {}: {text}", param.name),
                    ));
                }
            }
        }
        let return_type = sig.return_type.clone();
        match self.handler.call_function(&r.name, args).await {
            Ok(v) => match cty::msgpack::encode(&v, &return_type) {
                Ok(msgpack) => pb::call_function::Response {
                    result: Some(pb::DynamicValue {
                        msgpack,
                        json: vec![],
                    }),
                    error: None,
                },
                Err(e) => fail(FunctionError::new(format!(
                    "this is a bug in the provider: its result does not encode: {e}"
                ))),
            },
            Err(e) => fail(e),
        }
    }
}

/// Encodes each result with the resource type's schema and identity and hands it to the stream.
struct ChannelSink {
    tx: mpsc::Sender<Result<pb::list_resource::Event, Status>>,
    identity: Option<Type>,
    resource: Option<Type>,
}

#[async_trait::async_trait]
impl ListSink for ChannelSink {
    async fn send(&mut self, event: ListResourceEvent) -> bool {
        let mut diags = event.diagnostics;
        let identity = encode_identity(&event.identity, self.identity.as_ref(), &mut diags);
        let resource_object = match (&event.resource, &self.resource) {
            (Some(v), Some(ty)) => encode_dynamic(v, ty, &mut diags),
            _ => None,
        };
        let out = pb::list_resource::Event {
            identity,
            display_name: event.display_name,
            resource_object,
            diagnostic: diags.to_proto(),
        };
        self.tx.send(Ok(out)).await.is_ok()
    }
}
