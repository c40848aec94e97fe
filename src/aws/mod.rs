//! AWS access shared by every type: building SDK clients from the provider block (`config`),
//! reads shared or batched across resources (`reads`, `batch`), the DescribeImages reader
//! (`images`), repository policies (`repository_policy`) and the retry while IAM learns a new
//! principal (`propagation`), tags of both services (`tags`), the
//! scanning domain's API (`scan`), and SDK errors recognised by kind and put into words
//! (`errors`).

pub mod batch;
pub mod config;
pub mod errors;
pub mod images;
pub mod propagation;
pub mod reads;
pub mod replication;
pub mod repository_policy;
pub mod scan;
pub mod tags;
pub mod tokens;
pub mod web_identity;

pub use config::{AwsClients, AwsSettings};
