//! Implements the protocol's [`ProviderHandler`] for a typed [`Provider`]: routes each call to
//! the resource or data source named in it and holds the configured provider data.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use super::dyn_resource::DynResource;
use super::ephemeral::DynEphemeralResource;
use super::erased::DynDataSource;
use super::function::DynFunction;
use super::list::DynListResource;
use super::provider::Provider;
use super::resource::{Ctx, StopSignal};
use super::siblings::Siblings;
use super::val::decode_model;
use crate::protocol::cty::Value;
use crate::protocol::handler::*;
use crate::protocol::{Diagnostics, FunctionError};

pub struct FrameworkServer<P: Provider> {
    provider: P,
    resources: BTreeMap<&'static str, Box<dyn DynResource<P::Data>>>,
    data_sources: BTreeMap<&'static str, Box<dyn DynDataSource<P::Data>>>,
    ephemeral_resources: BTreeMap<&'static str, Box<dyn DynEphemeralResource<P::Data>>>,
    list_resources: BTreeMap<&'static str, Box<dyn DynListResource<P::Data>>>,
    functions: BTreeMap<&'static str, Box<dyn DynFunction>>,
    schemas: ProviderSchemas,
    data: RwLock<Option<Arc<P::Data>>>,
    stop_tx: tokio::sync::watch::Sender<bool>,
    stop: StopSignal,
    /// One registry per server, shared by every plan and read it serves.
    siblings: Arc<Siblings>,
}

impl<P: Provider> FrameworkServer<P> {
    pub fn new(provider: P) -> Self {
        let resources: BTreeMap<_, _> = provider
            .resources()
            .into_iter()
            .map(|r| (r.type_name(), r))
            .collect();
        let data_sources: BTreeMap<_, _> = provider
            .data_sources()
            .into_iter()
            .map(|d| (d.type_name(), d))
            .collect();
        let ephemeral_resources: BTreeMap<_, _> = provider
            .ephemeral_resources()
            .into_iter()
            .map(|e| (e.type_name(), e))
            .collect();
        let list_resources: BTreeMap<_, _> = provider
            .list_resources()
            .into_iter()
            .map(|l| (l.type_name(), l))
            .collect();
        let functions: BTreeMap<_, _> = provider
            .functions()
            .into_iter()
            .map(|f| (f.name(), f))
            .collect();
        let schemas = ProviderSchemas {
            provider: provider.schema(),
            resources: resources
                .iter()
                .map(|(k, r)| (k.to_string(), r.schema().clone()))
                .collect(),
            data_sources: data_sources
                .iter()
                .map(|(k, d)| (k.to_string(), d.schema().clone()))
                .collect(),
            identities: resources
                .iter()
                .map(|(k, r)| (k.to_string(), r.identity_schema().clone()))
                .collect(),
            ephemeral_resources: ephemeral_resources
                .iter()
                .map(|(k, e)| (k.to_string(), e.schema().clone()))
                .collect(),
            list_resources: list_resources
                .iter()
                .map(|(k, l)| (k.to_string(), l.schema().clone()))
                .collect(),
            functions: functions
                .iter()
                .map(|(k, f)| (k.to_string(), f.signature().clone()))
                .collect(),
        };
        let (stop_tx, stop) = StopSignal::channel();
        FrameworkServer {
            provider,
            resources,
            data_sources,
            ephemeral_resources,
            list_resources,
            functions,
            schemas,
            data: RwLock::new(None),
            stop_tx,
            stop,
            siblings: Arc::default(),
        }
    }

    /// Used by tests and by the CLI to run resources with provider data built elsewhere.
    pub fn set_provider_data(&self, data: P::Data) {
        *self.data.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(data));
    }

    fn provider_data(&self) -> Option<Arc<P::Data>> {
        self.data.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn ctx(&self, diags: &mut Diagnostics) -> Option<Ctx<P::Data>> {
        match self.provider_data() {
            Some(provider) => Some(Ctx {
                provider,
                stop: self.stop.clone(),
                siblings: self.siblings.clone(),
            }),
            None => {
                diags.error(
                    "Provider not configured",
                    "The ecr provider was not configured before use. This usually means its configuration depends on values not known until apply, or ConfigureProvider failed.",
                );
                None
            }
        }
    }

    fn resource(&self, name: &str, diags: &mut Diagnostics) -> Option<&dyn DynResource<P::Data>> {
        let r = self.resources.get(name).map(|b| b.as_ref());
        if r.is_none() {
            diags.error(
                "Unknown resource type",
                format!("This provider has no resource type {name:?}."),
            );
        }
        r
    }

    fn data_source(
        &self,
        name: &str,
        diags: &mut Diagnostics,
    ) -> Option<&dyn DynDataSource<P::Data>> {
        lookup(&self.data_sources, "data source", name, diags)
    }

    fn ephemeral(
        &self,
        name: &str,
        diags: &mut Diagnostics,
    ) -> Option<&dyn DynEphemeralResource<P::Data>> {
        lookup(&self.ephemeral_resources, "ephemeral resource", name, diags)
    }

    fn list(&self, name: &str, diags: &mut Diagnostics) -> Option<&dyn DynListResource<P::Data>> {
        lookup(&self.list_resources, "list resource", name, diags)
    }
}

/// The type named `name`, or an error diagnostic saying there is none.
fn lookup<'a, T: ?Sized>(
    types: &'a BTreeMap<&'static str, Box<T>>,
    kind: &str,
    name: &str,
    diags: &mut Diagnostics,
) -> Option<&'a T> {
    let t = types.get(name).map(|b| b.as_ref());
    if t.is_none() {
        diags.error(
            format!("Unknown {kind}"),
            format!("This provider has no {kind} {name:?}."),
        );
    }
    t
}

#[async_trait::async_trait]
impl<P: Provider> ProviderHandler for FrameworkServer<P> {
    fn schemas(&self) -> &ProviderSchemas {
        &self.schemas
    }

    async fn validate_provider_config(&self, config: Value) -> Diagnostics {
        let mut diags = Diagnostics::new();
        match decode_model::<P::Config>(&config) {
            Ok(c) => self.provider.validate(&c, &mut diags),
            Err(e) => diags.error("Invalid provider configuration", e),
        }
        diags
    }

    async fn configure_provider(&self, terraform_version: String, config: Value) -> Diagnostics {
        let mut diags = Diagnostics::new();
        let config = match decode_model::<P::Config>(&config) {
            Ok(c) => c,
            Err(e) => {
                diags.error("Invalid provider configuration", e);
                return diags;
            }
        };
        if let Some(data) = self
            .provider
            .configure(&terraform_version, config, &mut diags)
            .await
        {
            self.set_provider_data(data);
        }
        diags
    }

    async fn validate_resource_config(&self, type_name: &str, config: Value) -> Diagnostics {
        let mut diags = Diagnostics::new();
        if let Some(r) = self.resource(type_name, &mut diags) {
            diags.extend(r.validate(&config));
        }
        diags
    }

    async fn validate_data_source_config(&self, type_name: &str, config: Value) -> Diagnostics {
        let mut diags = Diagnostics::new();
        if let Some(d) = self.data_source(type_name, &mut diags) {
            diags.extend(d.validate(&config));
        }
        diags
    }

    async fn upgrade_resource_state(
        &self,
        req: UpgradeResourceStateRequest,
    ) -> (Value, Diagnostics) {
        let mut diags = Diagnostics::new();
        match self.resource(&req.type_name, &mut diags) {
            Some(r) => r.upgrade(req),
            None => (Value::Null, diags),
        }
    }

    async fn upgrade_resource_identity(
        &self,
        type_name: &str,
        version: i64,
        raw_json: &[u8],
    ) -> (Value, Diagnostics) {
        let mut diags = Diagnostics::new();
        match self.resource(type_name, &mut diags) {
            Some(r) => r.upgrade_identity(version, raw_json),
            None => (Value::Null, diags),
        }
    }

    async fn read_resource(&self, req: ReadResourceRequest) -> ReadResourceResponse {
        let mut diags = Diagnostics::new();
        let fail = |diagnostics, req: ReadResourceRequest| ReadResourceResponse {
            new_state: req.current_state,
            private: req.private,
            new_identity: req.current_identity,
            diagnostics,
        };
        let Some(r) = self.resource(&req.type_name, &mut diags) else {
            return fail(diags, req);
        };
        let Some(ctx) = self.ctx(&mut diags) else {
            return fail(diags, req);
        };
        r.read(&ctx, req).await
    }

    async fn plan_resource_change(
        &self,
        req: PlanResourceChangeRequest,
    ) -> PlanResourceChangeResponse {
        let mut diags = Diagnostics::new();
        let Some(r) = self.resource(&req.type_name, &mut diags) else {
            return PlanResourceChangeResponse {
                planned_state: Value::Null,
                requires_replace: vec![],
                planned_private: vec![],
                planned_identity: Value::Null,
                diagnostics: diags,
            };
        };
        let data = self.provider_data();
        r.plan(data.as_deref(), &self.siblings, req)
    }

    async fn apply_resource_change(
        &self,
        req: ApplyResourceChangeRequest,
    ) -> ApplyResourceChangeResponse {
        let mut diags = Diagnostics::new();
        let fail = |diagnostics, req: ApplyResourceChangeRequest| ApplyResourceChangeResponse {
            new_state: req.prior_state,
            private: req.planned_private,
            new_identity: req.planned_identity,
            diagnostics,
        };
        let Some(r) = self.resource(&req.type_name, &mut diags) else {
            return fail(diags, req);
        };
        let Some(ctx) = self.ctx(&mut diags) else {
            return fail(diags, req);
        };
        r.apply(&ctx, req).await
    }

    async fn import_resource_state(
        &self,
        req: ImportResourceStateRequest,
    ) -> (Vec<ImportedResource>, Diagnostics) {
        let mut diags = Diagnostics::new();
        let Some(r) = self.resource(&req.type_name, &mut diags) else {
            return (vec![], diags);
        };
        let Some(ctx) = self.ctx(&mut diags) else {
            return (vec![], diags);
        };
        r.import(&ctx, req).await
    }

    async fn move_resource_state(
        &self,
        req: MoveResourceStateRequest,
    ) -> MoveResourceStateResponse {
        let mut diags = Diagnostics::new();
        let Some(r) = self.resource(&req.target_type_name, &mut diags) else {
            return MoveResourceStateResponse {
                target_state: Value::Null,
                target_private: vec![],
                target_identity: Value::Null,
                diagnostics: diags,
            };
        };
        let data = self.provider_data();
        r.move_state(data.as_deref(), req)
    }

    async fn generate_resource_config(
        &self,
        type_name: &str,
        state: Value,
    ) -> (Value, Diagnostics) {
        let mut diags = Diagnostics::new();
        match self.resource(type_name, &mut diags) {
            Some(r) => r.generate_config(&state),
            None => (Value::Null, diags),
        }
    }

    async fn read_data_source(&self, type_name: &str, config: Value) -> (Value, Diagnostics) {
        let mut diags = Diagnostics::new();
        let Some(d) = self.data_source(type_name, &mut diags) else {
            return (Value::Null, diags);
        };
        let Some(ctx) = self.ctx(&mut diags) else {
            return (Value::Null, diags);
        };
        d.read(&ctx, config).await
    }

    async fn validate_ephemeral_resource_config(
        &self,
        type_name: &str,
        config: Value,
    ) -> Diagnostics {
        let mut diags = Diagnostics::new();
        if let Some(e) = self.ephemeral(type_name, &mut diags) {
            diags.extend(e.validate(&config));
        }
        diags
    }

    async fn open_ephemeral_resource(
        &self,
        type_name: &str,
        config: Value,
    ) -> OpenEphemeralResourceResponse {
        let mut diags = Diagnostics::new();
        let found = self.ephemeral(type_name, &mut diags);
        match (found, self.ctx(&mut diags)) {
            (Some(e), Some(ctx)) => e.open(&ctx, config).await,
            _ => OpenEphemeralResourceResponse {
                result: Value::Null,
                renew_at: None,
                private: None,
                diagnostics: diags,
            },
        }
    }

    async fn renew_ephemeral_resource(
        &self,
        type_name: &str,
        private: Option<Vec<u8>>,
    ) -> RenewEphemeralResourceResponse {
        let mut diags = Diagnostics::new();
        let found = self.ephemeral(type_name, &mut diags);
        match (found, self.ctx(&mut diags)) {
            (Some(e), Some(ctx)) => e.renew(&ctx, private).await,
            _ => RenewEphemeralResourceResponse {
                renew_at: None,
                private: None,
                diagnostics: diags,
            },
        }
    }

    async fn close_ephemeral_resource(
        &self,
        type_name: &str,
        private: Option<Vec<u8>>,
    ) -> Diagnostics {
        let mut diags = Diagnostics::new();
        let found = self.ephemeral(type_name, &mut diags);
        match (found, self.ctx(&mut diags)) {
            (Some(e), Some(ctx)) => e.close(&ctx, private).await,
            _ => diags,
        }
    }

    async fn validate_list_resource_config(&self, type_name: &str, config: Value) -> Diagnostics {
        let mut diags = Diagnostics::new();
        if let Some(l) = self.list(type_name, &mut diags) {
            diags.extend(l.validate(&config));
        }
        diags
    }

    async fn list_resource(&self, req: ListResourceRequest, sink: &mut dyn ListSink) {
        let mut diags = Diagnostics::new();
        let found = self.list(&req.type_name, &mut diags);
        match (found, self.ctx(&mut diags)) {
            (Some(l), Some(ctx)) => l.list(&ctx, req, sink).await,
            _ => {
                sink.send(ListResourceEvent {
                    identity: Value::Null,
                    display_name: String::new(),
                    resource: None,
                    diagnostics: diags,
                })
                .await;
            }
        }
    }

    async fn call_function(&self, name: &str, args: Vec<Value>) -> Result<Value, FunctionError> {
        match self.functions.get(name) {
            Some(f) => f.call(args),
            None => Err(FunctionError::new(format!(
                "this provider has no function {name:?}"
            ))),
        }
    }

    async fn stop(&self) -> Result<(), String> {
        let _ = self.stop_tx.send(true);
        Ok(())
    }
}
