//! terraform-provider-ecr: a Terraform/OpenTofu provider for Amazon ECR.
//!
//! Layers, each depending only on those below it (see ARCHITECTURE.md):
//! `plugin` (go-plugin transport) hosts `protocol` (tfplugin6, cty values), which calls
//! `framework` (typed resources), implemented by `resources`/`data_sources` using `aws` and the
//! pure domain modules.

pub mod aws;
pub mod cli;
pub(crate) mod data_sources;
pub mod docs;
pub mod ecr_public;
pub mod ephemeral_resources;
pub mod findings;
pub mod framework;
pub mod functions;
/// Fuzz harness bodies shared by `fuzz/` and `tests/fuzz_corpus.rs`; not a public API.
#[doc(hidden)]
pub mod fuzzing;
pub mod image_uri;
pub mod lifecycle;
pub mod list_resources;
pub(crate) mod lookup;
pub mod plugin;
pub mod policy;
pub mod posture;
pub mod pricing;
pub mod proto;
pub mod protocol;
pub mod provider;
pub mod pullthrough;
pub(crate) mod registry;
pub(crate) mod repository;
pub(crate) mod resources;
pub mod scanning;
pub(crate) mod shared;
pub(crate) mod timestamp;

use std::sync::Arc;

/// The provider's gRPC routes, as Terraform reaches them.
pub fn provider_routes() -> tonic::service::Routes {
    let server = framework::FrameworkServer::new(provider::EcrProvider);
    protocol::server::routes(Arc::new(server))
}
