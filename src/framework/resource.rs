//! The typed traits resource and data source files implement, and their type erasure.

use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::plan::{
    apply_rules, keep_configured_values, mark_computed_unknown, replace_paths, unknowns_to_null,
};
use super::siblings::Siblings;
use super::val::{decode_model, encode_model};
use crate::protocol::cty::{self, Value};
use crate::protocol::handler::*;
use crate::protocol::{AttrPath, Diagnostics, Schema};

/// Set when Terraform calls StopProvider (the user pressed Ctrl-C). Long waits check it.
#[derive(Clone, Debug)]
pub struct StopSignal(tokio::sync::watch::Receiver<bool>);

impl StopSignal {
    pub fn channel() -> (tokio::sync::watch::Sender<bool>, StopSignal) {
        let (tx, rx) = tokio::sync::watch::channel(false);
        (tx, StopSignal(rx))
    }
    pub fn is_stopped(&self) -> bool {
        *self.0.borrow()
    }
    /// Sleeps for `d`; returns false (early) if the provider is being stopped.
    pub async fn sleep(&self, d: Duration) -> bool {
        let mut rx = self.0.clone();
        if *rx.borrow() {
            return false;
        }
        tokio::select! {
            _ = tokio::time::sleep(d) => true,
            _ = rx.wait_for(|s| *s) => false,
        }
    }
}

/// What every CRUD call gets: the configured provider data, the stop signal and the server's
/// sibling records.
pub struct Ctx<P> {
    pub provider: Arc<P>,
    pub stop: StopSignal,
    pub siblings: Arc<Siblings>,
}

/// A plan being built: the framework fills `planned` from Terraform's proposal (computed values
/// unknown on create) and the resource adjusts it.
pub struct Plan<M> {
    pub prior: Option<M>,
    pub config: M,
    pub planned: M,
    pub requires_replace: Vec<AttrPath>,
    /// What other resources recorded in this provider server (see `framework::siblings`).
    pub siblings: Arc<Siblings>,
}

impl<M> Plan<M> {
    pub fn is_create(&self) -> bool {
        self.prior.is_none()
    }
}

/// What the generated registry page says beyond the schema's descriptions (see `crate::docs`).
/// Attributes are documented only by their schema description; this holds the rest.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Docs {
    /// Registry subcategory (front matter); "" for none.
    pub subcategory: &'static str,
    /// Extra markdown sections (each starting with `## `) placed after the attribute reference:
    /// behaviour notes, caveats, further examples.
    pub notes: std::borrow::Cow<'static, str>,
    /// Resources only: how `terraform import` identifies an object; None when it can't be imported.
    pub import: Option<ImportDocs>,
}

/// The import section of a resource's page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportDocs {
    /// Markdown: what the id is, and anything import cannot restore.
    pub id: &'static str,
    /// An example id, shown as `terraform import <type>.example <example>`.
    pub example: &'static str,
}

/// A managed resource type.
#[async_trait::async_trait]
pub trait Resource: Send + Sync + 'static {
    type Model: Serialize + DeserializeOwned + Default + Clone + Send + Sync + 'static;
    type Provider: Send + Sync + 'static;

    fn type_name(&self) -> &'static str;
    /// The schema, with each attribute's plan rules (defaults, `use_state_for_unknown`,
    /// `requires_replace`, semantic equality: see `framework::plan`).
    fn schema(&self) -> Schema;
    /// Documentation beyond the schema descriptions, for the generated docs page.
    fn docs(&self) -> Docs {
        Docs::default()
    }
    /// Plan-time checks on the configuration (values may be unknown).
    fn validate(&self, _config: &Self::Model, _diags: &mut Diagnostics) {}
    /// Adjusts the plan after the schema's plan rules were applied (what they cannot say:
    /// values computed from other attributes or from the provider, cross-resource checks);
    /// `provider` is None when the provider configuration is not known yet.
    fn modify_plan(
        &self,
        _plan: &mut Plan<Self::Model>,
        _provider: Option<&Self::Provider>,
        _diags: &mut Diagnostics,
    ) {
    }

    /// Creates the object. Return the state of whatever exists even when a later step failed,
    /// so Terraform records it (as tainted) instead of losing it.
    async fn create(
        &self,
        ctx: &Ctx<Self::Provider>,
        plan: Self::Model,
        diags: &mut Diagnostics,
    ) -> Option<Self::Model>;
    /// Refreshes; `None` means the object is gone.
    async fn read(
        &self,
        ctx: &Ctx<Self::Provider>,
        state: Self::Model,
        diags: &mut Diagnostics,
    ) -> Option<Self::Model>;
    /// Updates in place; on failure return the best knowledge of the remote object.
    async fn update(
        &self,
        ctx: &Ctx<Self::Provider>,
        prior: Self::Model,
        plan: Self::Model,
        diags: &mut Diagnostics,
    ) -> Option<Self::Model>;
    async fn delete(&self, ctx: &Ctx<Self::Provider>, state: Self::Model, diags: &mut Diagnostics);
    /// Builds enough state from an import id for `read` to fill in the rest.
    async fn import(
        &self,
        ctx: &Ctx<Self::Provider>,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<Self::Model>;
}

/// A data source type.
#[async_trait::async_trait]
pub trait DataSource: Send + Sync + 'static {
    type Model: Serialize + DeserializeOwned + Default + Clone + Send + Sync + 'static;
    type Provider: Send + Sync + 'static;

    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    /// Documentation beyond the schema descriptions, for the generated docs page.
    fn docs(&self) -> Docs {
        Docs::default()
    }
    fn validate(&self, _config: &Self::Model, _diags: &mut Diagnostics) {}
    async fn read(
        &self,
        ctx: &Ctx<Self::Provider>,
        config: Self::Model,
        diags: &mut Diagnostics,
    ) -> Option<Self::Model>;
}

/// The provider itself: its block, configuration and the types it serves.
#[async_trait::async_trait]
pub trait Provider: Send + Sync + 'static {
    type Config: DeserializeOwned + Default + Send + Sync;
    type Data: Send + Sync + 'static;

    fn schema(&self) -> Schema;
    /// Documentation beyond the schema descriptions, for the generated `docs/index.md`.
    fn docs(&self) -> Docs {
        Docs::default()
    }
    fn validate(&self, _config: &Self::Config, _diags: &mut Diagnostics) {}
    async fn configure(
        &self,
        terraform_version: &str,
        config: Self::Config,
        diags: &mut Diagnostics,
    ) -> Option<Self::Data>;
    fn resources(&self) -> Vec<Box<dyn DynResource<Self::Data>>>;
    fn data_sources(&self) -> Vec<Box<dyn DynDataSource<Self::Data>>>;
}

/// A resource with its model erased to cty values.
#[async_trait::async_trait]
pub trait DynResource<P>: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> &Schema;
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
    async fn import(&self, ctx: &Ctx<P>, id: &str) -> (Vec<ImportedResource>, Diagnostics);
    fn upgrade(&self, req: UpgradeResourceStateRequest) -> (Value, Diagnostics);
}

#[async_trait::async_trait]
pub trait DynDataSource<P>: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> &Schema;
    fn docs(&self) -> Docs;
    fn validate(&self, config: &Value) -> Diagnostics;
    async fn read(&self, ctx: &Ctx<P>, config: Value) -> (Value, Diagnostics);
}

pub fn resource<R: Resource>(r: R) -> Box<dyn DynResource<R::Provider>> {
    let schema = r.schema();
    Box::new(Erased { inner: r, schema })
}

pub fn data_source<D: DataSource>(d: D) -> Box<dyn DynDataSource<D::Provider>> {
    let schema = d.schema();
    Box::new(Erased { inner: d, schema })
}

struct Erased<T> {
    inner: T,
    schema: Schema,
}

impl<T> Erased<T> {
    fn decode<M: DeserializeOwned>(
        &self,
        v: &Value,
        what: &str,
        diags: &mut Diagnostics,
    ) -> Option<M> {
        match decode_model(v) {
            Ok(m) => Some(m),
            Err(e) => {
                diags.error(
                    format!("Cannot read the {what}"),
                    format!("This is a bug in the provider: {e}"),
                );
                None
            }
        }
    }
    fn encode<M: Serialize>(&self, m: &M, diags: &mut Diagnostics) -> Value {
        match encode_model(m, &self.schema.block) {
            Ok(mut v) => {
                if unknowns_to_null(&mut v) {
                    tracing::warn!("provider left unknown values in a final state; stored as null");
                }
                v
            }
            Err(e) => {
                diags.error(
                    "Cannot build the new state",
                    format!("This is a bug in the provider: {e}"),
                );
                Value::Null
            }
        }
    }
}

#[async_trait::async_trait]
impl<R: Resource> DynResource<R::Provider> for Erased<R> {
    fn type_name(&self) -> &'static str {
        self.inner.type_name()
    }
    fn schema(&self) -> &Schema {
        &self.schema
    }
    fn docs(&self) -> Docs {
        self.inner.docs()
    }

    fn validate(&self, config: &Value) -> Diagnostics {
        let mut diags = Diagnostics::new();
        if let Some(m) = self.decode::<R::Model>(config, "configuration", &mut diags) {
            self.inner.validate(&m, &mut diags);
        }
        diags
    }

    fn plan(
        &self,
        provider: Option<&R::Provider>,
        siblings: &Arc<Siblings>,
        req: PlanResourceChangeRequest,
    ) -> PlanResourceChangeResponse {
        let mut diags = Diagnostics::new();
        let done = |planned_state, requires_replace, diagnostics| PlanResourceChangeResponse {
            planned_state,
            requires_replace,
            planned_private: req.prior_private.clone(),
            diagnostics,
        };
        if req.proposed_new_state.is_null() {
            // Destroy (only asked by clients that know plan_destroy).
            return done(Value::Null, vec![], diags);
        }
        let prior_state = (!req.prior_state.is_null()).then_some(&req.prior_state);
        let mut proposed = req.proposed_new_state.clone();
        if prior_state.is_none_or(|p| *p != proposed) {
            mark_computed_unknown(&self.schema.block, &req.config, &mut proposed);
        }
        let mut start = proposed.clone();
        apply_rules(&self.schema.block, &req.config, prior_state, &mut start);
        let (Some(config), Some(planned)) = (
            self.decode::<R::Model>(&req.config, "configuration", &mut diags),
            self.decode::<R::Model>(&start, "proposed plan", &mut diags),
        ) else {
            return done(req.proposed_new_state.clone(), vec![], diags);
        };
        let prior = match prior_state {
            None => None,
            Some(p) => self.decode::<R::Model>(p, "prior state", &mut diags),
        };
        self.inner.validate(&config, &mut diags);
        let mut plan = Plan {
            prior,
            config,
            planned,
            requires_replace: vec![],
            siblings: siblings.clone(),
        };
        self.inner.modify_plan(&mut plan, provider, &mut diags);
        let planned_state = match encode_model(&plan.planned, &self.schema.block) {
            Ok(mut v) => {
                keep_configured_values(&self.schema.block, &proposed, prior_state, &mut v);
                v
            }
            Err(e) => {
                diags.error(
                    "Cannot build the plan",
                    format!("This is a bug in the provider: {e}"),
                );
                return done(req.proposed_new_state.clone(), vec![], diags);
            }
        };
        let mut replace = plan.requires_replace;
        if let Some(prior) = prior_state {
            for p in replace_paths(&self.schema.block, prior, &planned_state) {
                if !replace.contains(&p) {
                    replace.push(p);
                }
            }
        }
        done(planned_state, replace, diags)
    }

    async fn apply(
        &self,
        ctx: &Ctx<R::Provider>,
        req: ApplyResourceChangeRequest,
    ) -> ApplyResourceChangeResponse {
        let mut diags = Diagnostics::new();
        let private = req.planned_private.clone();
        let new_state = if req.planned_state.is_null() {
            match self.decode::<R::Model>(&req.prior_state, "prior state", &mut diags) {
                Some(state) => {
                    self.inner.delete(ctx, state, &mut diags).await;
                    if diags.has_errors() {
                        req.prior_state.clone()
                    } else {
                        Value::Null
                    }
                }
                None => req.prior_state.clone(),
            }
        } else if req.prior_state.is_null() {
            match self.decode::<R::Model>(&req.planned_state, "plan", &mut diags) {
                Some(plan) => match self.inner.create(ctx, plan, &mut diags).await {
                    Some(m) => self.encode(&m, &mut diags),
                    None => Value::Null,
                },
                None => Value::Null,
            }
        } else {
            let prior = self.decode::<R::Model>(&req.prior_state, "prior state", &mut diags);
            let plan = self.decode::<R::Model>(&req.planned_state, "plan", &mut diags);
            match (prior, plan) {
                (Some(prior), Some(plan)) => {
                    match self.inner.update(ctx, prior, plan, &mut diags).await {
                        Some(m) => self.encode(&m, &mut diags),
                        None => req.prior_state.clone(),
                    }
                }
                _ => req.prior_state.clone(),
            }
        };
        ApplyResourceChangeResponse {
            new_state,
            private,
            diagnostics: diags,
        }
    }

    async fn read(&self, ctx: &Ctx<R::Provider>, req: ReadResourceRequest) -> ReadResourceResponse {
        let mut diags = Diagnostics::new();
        let new_state = match self.decode::<R::Model>(&req.current_state, "state", &mut diags) {
            Some(state) => match self.inner.read(ctx, state, &mut diags).await {
                Some(m) => self.encode(&m, &mut diags),
                // On an error keep what we had; on a clean "not found" the object is gone.
                None if diags.has_errors() => req.current_state.clone(),
                None => Value::Null,
            },
            None => req.current_state.clone(),
        };
        ReadResourceResponse {
            new_state,
            private: req.private,
            diagnostics: diags,
        }
    }

    async fn import(
        &self,
        ctx: &Ctx<R::Provider>,
        id: &str,
    ) -> (Vec<ImportedResource>, Diagnostics) {
        let mut diags = Diagnostics::new();
        let Some(m) = self.inner.import(ctx, id, &mut diags).await else {
            return (vec![], diags);
        };
        let state = self.encode(&m, &mut diags);
        if diags.has_errors() {
            return (vec![], diags);
        }
        (
            vec![ImportedResource {
                type_name: self.type_name().to_string(),
                state,
                private: vec![],
            }],
            diags,
        )
    }

    fn upgrade(&self, req: UpgradeResourceStateRequest) -> (Value, Diagnostics) {
        let mut diags = Diagnostics::new();
        if req.version > self.schema.version {
            diags.error(
                "State written by a newer provider",
                format!(
                    "The state of this {} was written with schema version {}, newer than this provider's {}. Upgrade terraform-provider-ecr.",
                    req.type_name, req.version, self.schema.version
                ),
            );
            return (Value::Null, diags);
        }
        let Some(json) = req.raw_json else {
            if req.has_flatmap {
                diags.error(
                    "Unsupported legacy state",
                    "Flatmap state (Terraform 0.11 and older) was never written by this provider.",
                );
            }
            return (Value::Null, diags);
        };
        let ty = self.schema.implied_type();
        match cty::json::decode_lenient(&json, &ty) {
            Ok(v) => (v, diags),
            Err(e) => {
                diags.attr_error(
                    AttrPath::resolvable(&ty, &e.path),
                    "Cannot read the stored state",
                    format!("The state of this {} is not valid: {e}", req.type_name),
                );
                (Value::Null, diags)
            }
        }
    }
}

#[async_trait::async_trait]
impl<D: DataSource> DynDataSource<D::Provider> for Erased<D> {
    fn type_name(&self) -> &'static str {
        self.inner.type_name()
    }
    fn schema(&self) -> &Schema {
        &self.schema
    }
    fn docs(&self) -> Docs {
        self.inner.docs()
    }
    fn validate(&self, config: &Value) -> Diagnostics {
        let mut diags = Diagnostics::new();
        if let Some(m) = self.decode::<D::Model>(config, "configuration", &mut diags) {
            self.inner.validate(&m, &mut diags);
        }
        diags
    }
    async fn read(&self, ctx: &Ctx<D::Provider>, config: Value) -> (Value, Diagnostics) {
        let mut diags = Diagnostics::new();
        let Some(m) = self.decode::<D::Model>(&config, "configuration", &mut diags) else {
            return (Value::Null, diags);
        };
        self.inner.validate(&m, &mut diags);
        if diags.has_errors() {
            return (Value::Null, diags);
        }
        match self.inner.read(ctx, m, &mut diags).await {
            Some(out) => (self.encode(&out, &mut diags), diags),
            None => (Value::Null, diags),
        }
    }
}
