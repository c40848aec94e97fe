//! Type erasure shared by every kind of type: typed models to and from cty values, and the
//! erased data source. Resources are in `dyn_resource.rs`, ephemeral resources in
//! `ephemeral.rs`, list resources in `list.rs`.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::plan::unknowns_to_null;
use super::resource::{Ctx, DataSource, Docs};
use super::val::{decode_model, encode_model};
use crate::protocol::cty::Value;
use crate::protocol::{Block, Diagnostics, Schema};

/// A value from Terraform as the typed model; a failure is a provider bug (the schema and the
/// model disagree), reported as such.
pub(crate) fn decode_or_report<M: DeserializeOwned>(
    v: &Value,
    what: &str,
    diags: &mut Diagnostics,
) -> Option<M> {
    match decode_model(v) {
        Ok(m) => Some(m),
        Err(e) => {
            diags.error(
                format!("Cannot read the {what}"),
                format!("This is a bug in the provider: {e}"),
            );
            None
        }
    }
}

/// A typed model as a final value of `block` (state, data source result, ephemeral result):
/// unknowns left by the provider become null, as Terraform forbids them there.
pub(crate) fn encode_final<M: Serialize>(m: &M, block: &Block, diags: &mut Diagnostics) -> Value {
    match encode_model(m, block) {
        Ok(mut v) => {
            if unknowns_to_null(&mut v) {
                tracing::warn!("provider left unknown values in a final state; stored as null");
            }
            v
        }
        Err(e) => {
            diags.error(
                "Cannot build the new state",
                format!("This is a bug in the provider: {e}"),
            );
            Value::Null
        }
    }
}

#[async_trait::async_trait]
pub trait DynDataSource<P>: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> &Schema;
    fn docs(&self) -> Docs;
    fn validate(&self, config: &Value) -> Diagnostics;
    async fn read(&self, ctx: &Ctx<P>, config: Value) -> (Value, Diagnostics);
}

pub fn data_source<D: DataSource>(d: D) -> Box<dyn DynDataSource<D::Provider>> {
    let schema = d.schema();
    Box::new(ErasedDataSource { inner: d, schema })
}

struct ErasedDataSource<D> {
    inner: D,
    schema: Schema,
}

#[async_trait::async_trait]
impl<D: DataSource> DynDataSource<D::Provider> for ErasedDataSource<D> {
    fn type_name(&self) -> &'static str {
        self.inner.type_name()
    }
    fn schema(&self) -> &Schema {
        &self.schema
    }
    fn docs(&self) -> Docs {
        self.inner.docs()
    }
    fn validate(&self, config: &Value) -> Diagnostics {
        let mut diags = Diagnostics::new();
        if let Some(m) = decode_or_report::<D::Model>(config, "configuration", &mut diags) {
            self.inner.validate(&m, &mut diags);
        }
        diags
    }
    async fn read(&self, ctx: &Ctx<D::Provider>, config: Value) -> (Value, Diagnostics) {
        let mut diags = Diagnostics::new();
        let Some(m) = decode_or_report::<D::Model>(&config, "configuration", &mut diags) else {
            return (Value::Null, diags);
        };
        self.inner.validate(&m, &mut diags);
        if diags.has_errors() {
            return (Value::Null, diags);
        }
        match self.inner.read(ctx, m, &mut diags).await {
            Some(out) => (encode_final(&out, &self.schema.block, &mut diags), diags),
            None => (Value::Null, diags),
        }
    }
}
