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
pub mod migrate;
pub mod moves;
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

/// This provider's schemas as `terraform-provider-ecr migrate` needs them (arguments and blocks
/// per type).
pub fn migrate_targets() -> migrate::Ours {
    use framework::Provider as _;
    fn shape(b: &protocol::Block) -> migrate::Shape {
        migrate::Shape {
            arguments: b
                .attributes
                .iter()
                .filter(|a| a.required || a.optional)
                .map(|a| a.name.clone())
                .collect(),
            blocks: b
                .blocks
                .iter()
                .map(|n| (n.type_name.clone(), shape(&n.block)))
                .collect(),
        }
    }
    let p = provider::EcrProvider;
    migrate::Ours {
        provider: shape(&p.schema().block),
        resources: p
            .resources()
            .iter()
            .map(|r| (r.type_name().to_string(), shape(&r.schema().block)))
            .collect(),
        data_sources: p
            .data_sources()
            .iter()
            .map(|d| (d.type_name().to_string(), shape(&d.schema().block)))
            .collect(),
        ephemeral_resources: p
            .ephemeral_resources()
            .iter()
            .map(|e| (e.type_name().to_string(), shape(&e.schema().block)))
            .collect(),
    }
}
