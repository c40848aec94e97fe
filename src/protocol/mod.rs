//! The tfplugin6 protocol: cty types and values with their wire codecs, schemas, diagnostics
//! with attribute paths, and the gRPC service that turns Terraform's calls into calls on a
//! [`ProviderHandler`] working with decoded values.
//!
//! Nothing here knows about AWS or about any particular resource.

pub mod cty;
pub mod diagnostics;
pub mod function;
pub mod handler;
pub mod identity;
pub mod path;
pub mod schema;
pub mod server;

pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use function::{FunctionError, FunctionParameter, FunctionSignature};
pub use handler::*;
pub use identity::{IdentityAttribute, IdentitySchema};
pub use path::AttrPath;
pub use schema::{
    Attribute, AttributeType, Block, BlockNesting, NestedAttributes, NestedBlock, ObjectNesting,
    Schema,
};
