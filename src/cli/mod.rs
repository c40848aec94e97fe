//! Subcommands of the provider binary for people and CI, run without Terraform. They use the
//! same code as the provider (validation, evaluation), so a policy that passes here passes at
//! `terraform plan`.

pub mod docs;
mod findings;
mod io;
pub mod lifecycle;
pub mod migrate;
pub mod policy;
pub mod pullthrough;
pub mod scan;
