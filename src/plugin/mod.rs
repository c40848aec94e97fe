//! go-plugin transport: how Terraform starts, reaches and stops a provider process.
//!
//! Nothing here knows about Terraform resources or the tfplugin6 messages: [`serve`] takes any
//! tonic service and hosts it the way go-plugin's own server would (handshake line on stdout,
//! AutoMTLS, controller, health, debug/reattach).

pub mod handshake;
pub mod logging;
pub mod server;
pub mod tls;

pub use server::{serve, ServeOptions};
