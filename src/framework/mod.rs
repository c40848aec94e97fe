//! A small typed framework over the protocol layer: providers, resources and data sources are
//! Rust traits with serde models. This layer owns the plan/apply bookkeeping Terraform demands
//! (unknown computed values on create, replacement paths, no unknowns after apply, removal on
//! read-not-found) so resource files only describe their API calls and validation.

pub mod hints;
pub mod import;
pub mod plan;
pub mod resource;
pub mod server;
pub mod siblings;
#[cfg(test)]
pub mod testing;
pub mod val;
pub mod validate;

pub use resource::{
    data_source, resource, Ctx, DataSource, Docs, DynDataSource, DynResource, ImportDocs, Plan,
    Provider, Resource, StopSignal,
};
pub use server::FrameworkServer;
pub use siblings::Siblings;
pub use val::Val;

pub use crate::protocol::{AttrPath, Attribute, Block, Diagnostics, NestedBlock, Schema};
