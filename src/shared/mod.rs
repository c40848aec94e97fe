//! What resource and data source files share, below both (a type file never imports another).

pub mod mutability;
pub mod policies;
pub mod registry;
pub mod replication;
