//! AWS access shared by every resource: building SDK clients from the provider block, and
//! turning SDK errors into diagnostics a user can act on.

pub mod batch;
pub mod config;
pub mod errors;
pub mod scan;
pub mod web_identity;

pub use config::{AwsClients, AwsSettings};
