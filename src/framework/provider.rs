//! The provider itself: its block, configuration and every type it serves, each erased to the
//! form the server routes calls to.

use serde::de::DeserializeOwned;

use super::dyn_resource::DynResource;
use super::ephemeral::DynEphemeralResource;
use super::erased::DynDataSource;
use super::function::DynFunction;
use super::list::DynListResource;
use super::resource::Docs;
use crate::protocol::{Diagnostics, Schema};

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
    /// Ephemeral resources (Terraform ≥ 1.10): values that are never stored.
    fn ephemeral_resources(&self) -> Vec<Box<dyn DynEphemeralResource<Self::Data>>> {
        vec![]
    }
    /// List resources (`terraform query`, Terraform ≥ 1.14).
    fn list_resources(&self) -> Vec<Box<dyn DynListResource<Self::Data>>> {
        vec![]
    }
    /// Provider functions (Terraform ≥ 1.8, OpenTofu ≥ 1.7).
    fn functions(&self) -> Vec<Box<dyn DynFunction>> {
        vec![]
    }
}
