//! The typed traits resource and data source files implement (their erasure to cty values is
//! in `dyn_resource/` and `erased.rs`), and what their calls get (`Ctx`, `Plan`, `Docs`).

use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::moving::MoveSource;
use super::siblings::Siblings;
use crate::protocol::{AttrPath, Diagnostics, IdentitySchema, Schema};

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
    /// The resource identity (Terraform ≥ 1.12): a serde struct of the attributes of
    /// `identity_schema`, stored beside the state and accepted by `import { identity = {…} }`.
    type Identity: Serialize
        + DeserializeOwned
        + Default
        + Clone
        + PartialEq
        + Send
        + Sync
        + 'static;

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

    fn identity_schema(&self) -> IdentitySchema;
    /// The identity of the object `state` describes, the provider filling what the state lacks
    /// (account, region). It must name the same object for the object's whole life: the
    /// framework stores it on create and import and then keeps it.
    fn identity(&self, state: &Self::Model, provider: &Self::Provider) -> Self::Identity;
    /// The id `import` understands for an identity from an import block (attributes the block
    /// leaves out are null). None, with an error, when this provider cannot import it (another
    /// account, another region).
    fn import_id(
        &self,
        identity: &Self::Identity,
        provider: &Self::Provider,
        diags: &mut Diagnostics,
    ) -> Option<String>;

    /// A `moved` block from a resource of another type, usually another provider's
    /// (MoveResourceState). Return this type's model for `source`, or None with an error
    /// diagnostic; None without one means "not movable from there" and the framework says so.
    /// The model need not be complete: the refresh of the next plan reads the object. `provider`
    /// is None when the provider is not configured yet. The default accepts nothing.
    fn move_state(
        &self,
        _source: &MoveSource<'_>,
        _provider: Option<&Self::Provider>,
        _diags: &mut Diagnostics,
    ) -> Option<Self::Model> {
        None
    }

    /// `terraform query -generate-config-out`: the configuration to write for an object read
    /// from AWS (`state`). The framework drops computed-only attributes afterwards; drop here
    /// what would be noise (defaults) or conflict (two forms of one setting). Applying the
    /// written configuration after its import must plan no change.
    fn generate_config(&self, state: Self::Model) -> Self::Model {
        state
    }
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
