//! AWS access shared by every resource: building SDK clients from the provider block, and
//! turning SDK errors into diagnostics a user can act on.

pub mod batch;
pub mod config;
pub mod errors;
pub mod images;
pub mod reads;
pub mod replication;
pub mod repository_policy;
pub mod scan;
pub mod tags;
pub mod tokens;

pub use config::{AwsClients, AwsSettings};
