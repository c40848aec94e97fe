//! What resource and data source files share, below both (a type file never imports another):
//! validators of domain rules and the schema parts several types declare.

pub mod validators;
