//! A small typed framework over the protocol layer: providers, resources and data sources are
//! Rust traits with serde models. This layer owns the plan/apply bookkeeping Terraform demands
//! (unknown computed values on create, replacement paths, no unknowns after apply, removal on
//! read-not-found) so resource files only describe their API calls and validation.

mod dyn_resource;
pub mod ephemeral;
mod erased;
pub mod function;
pub mod hints;
pub mod identity;
pub mod import;
pub mod list;
pub mod moving;
pub mod plan;
mod provider;
pub mod resource;
pub mod server;
pub mod siblings;
#[cfg(test)]
pub mod testing;
pub mod val;
pub mod validate;

pub use dyn_resource::{resource, DynResource};
pub use ephemeral::{ephemeral_resource, DynEphemeralResource, EphemeralResource, Opened, Renewed};
pub use erased::{data_source, DynDataSource};
pub use function::{function, DynFunction, Function};
pub use list::{list_resource, DynListResource, ListOut, ListResource};
pub use moving::MoveSource;
pub use provider::Provider;
pub use resource::{Ctx, DataSource, Docs, ImportDocs, Plan, Resource, StopSignal};
pub use server::FrameworkServer;
pub use siblings::Siblings;
pub use val::Val;

pub use crate::protocol::{
    AttrPath, Attribute, Block, Diagnostics, FunctionError, FunctionParameter, FunctionSignature,
    IdentitySchema, NestedBlock, Schema,
};
