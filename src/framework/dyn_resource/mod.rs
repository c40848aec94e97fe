//! A resource with its model and identity erased to cty values: what the server routes calls
//! to. `lifecycle.rs` serves validate/plan/apply/read, `adoption.rs` everything that brings an
//! object under management or describes it (import by id or identity, moves from other types,
//! state and identity upgrades, configuration generation).

mod adoption;
mod lifecycle;

use std::sync::Arc;

use super::resource::{Ctx, Docs, Resource};
use super::siblings::Siblings;
use crate::protocol::cty::Value;
use crate::protocol::handler::*;
use crate::protocol::{Diagnostics, IdentitySchema, Schema};

#[async_trait::async_trait]
pub trait DynResource<P>: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> &Schema;
    fn identity_schema(&self) -> &IdentitySchema;
    fn docs(&self) -> Docs;
    fn validate(&self, config: &Value) -> Diagnostics;
    fn plan(
        &self,
        provider: Option<&P>,
        siblings: &Arc<Siblings>,
        req: PlanResourceChangeRequest,
    ) -> PlanResourceChangeResponse;
    async fn apply(
        &self,
        ctx: &Ctx<P>,
        req: ApplyResourceChangeRequest,
    ) -> ApplyResourceChangeResponse;
    async fn read(&self, ctx: &Ctx<P>, req: ReadResourceRequest) -> ReadResourceResponse;
    async fn import(
        &self,
        ctx: &Ctx<P>,
        req: ImportResourceStateRequest,
    ) -> (Vec<ImportedResource>, Diagnostics);
    fn upgrade(&self, req: UpgradeResourceStateRequest) -> (Value, Diagnostics);
    fn upgrade_identity(&self, version: i64, raw_json: &[u8]) -> (Value, Diagnostics);
    fn move_state(
        &self,
        provider: Option<&P>,
        req: MoveResourceStateRequest,
    ) -> MoveResourceStateResponse;
    fn generate_config(&self, state: &Value) -> (Value, Diagnostics);
}

pub fn resource<R: Resource>(r: R) -> Box<dyn DynResource<R::Provider>> {
    let schema = r.schema();
    let identity = r.identity_schema();
    Box::new(ErasedResource {
        inner: r,
        schema,
        identity,
    })
}

struct ErasedResource<R> {
    inner: R,
    schema: Schema,
    identity: IdentitySchema,
}

#[async_trait::async_trait]
impl<R: Resource> DynResource<R::Provider> for ErasedResource<R> {
    fn type_name(&self) -> &'static str {
        self.inner.type_name()
    }
    fn schema(&self) -> &Schema {
        &self.schema
    }
    fn identity_schema(&self) -> &IdentitySchema {
        &self.identity
    }
    fn docs(&self) -> Docs {
        self.inner.docs()
    }
    fn validate(&self, config: &Value) -> Diagnostics {
        self.validate_config(config)
    }
    fn plan(
        &self,
        provider: Option<&R::Provider>,
        siblings: &Arc<Siblings>,
        req: PlanResourceChangeRequest,
    ) -> PlanResourceChangeResponse {
        self.plan_change(provider, siblings, req)
    }
    async fn apply(
        &self,
        ctx: &Ctx<R::Provider>,
        req: ApplyResourceChangeRequest,
    ) -> ApplyResourceChangeResponse {
        self.apply_change(ctx, req).await
    }
    async fn read(&self, ctx: &Ctx<R::Provider>, req: ReadResourceRequest) -> ReadResourceResponse {
        self.refresh(ctx, req).await
    }
    async fn import(
        &self,
        ctx: &Ctx<R::Provider>,
        req: ImportResourceStateRequest,
    ) -> (Vec<ImportedResource>, Diagnostics) {
        self.import_state(ctx, req).await
    }
    fn upgrade(&self, req: UpgradeResourceStateRequest) -> (Value, Diagnostics) {
        self.upgrade_state(req)
    }
    fn upgrade_identity(&self, version: i64, raw_json: &[u8]) -> (Value, Diagnostics) {
        self.upgrade_identity_json(version, raw_json)
    }
    fn move_state(
        &self,
        provider: Option<&R::Provider>,
        req: MoveResourceStateRequest,
    ) -> MoveResourceStateResponse {
        self.move_from(provider, req)
    }
    fn generate_config(&self, state: &Value) -> (Value, Diagnostics) {
        self.config_from_state(state)
    }
}
