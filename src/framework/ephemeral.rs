//! Ephemeral resources (protocol 6.7, Terraform ≥ 1.10): values opened for one run and never
//! written to state or plan files, e.g. registry credentials for another provider.

use std::time::SystemTime;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::erased::{decode_or_report, encode_final};
use super::resource::{Ctx, Docs};
use crate::protocol::cty::Value;
use crate::protocol::handler::{OpenEphemeralResourceResponse, RenewEphemeralResourceResponse};
use crate::protocol::{Diagnostics, Schema};

/// What `open` produces.
pub struct Opened<M, P> {
    pub result: M,
    /// When Terraform should call `renew` if the run still uses the value.
    pub renew_at: Option<SystemTime>,
    /// Handed back to `renew` and `close`. Terraform keeps it in memory only; keep secrets out
    /// of it anyway.
    pub private: Option<P>,
}

/// What `renew` produces: the next renewal time (None: no further renewal) and new private
/// data (None: keep nothing).
pub struct Renewed<P> {
    pub renew_at: Option<SystemTime>,
    pub private: Option<P>,
}

#[async_trait::async_trait]
pub trait EphemeralResource: Send + Sync + 'static {
    type Model: Serialize + DeserializeOwned + Default + Clone + Send + Sync + 'static;
    type Provider: Send + Sync + 'static;
    type Private: Serialize + DeserializeOwned + Send + Sync + 'static;

    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    /// Documentation beyond the schema descriptions, for the generated docs page.
    fn docs(&self) -> Docs {
        Docs::default()
    }
    /// Checks on the configuration (values may be unknown).
    fn validate(&self, _config: &Self::Model, _diags: &mut Diagnostics) {}
    async fn open(
        &self,
        ctx: &Ctx<Self::Provider>,
        config: Self::Model,
        diags: &mut Diagnostics,
    ) -> Option<Opened<Self::Model, Self::Private>>;
    /// Called at `renew_at` while the value is still in use.
    async fn renew(
        &self,
        _ctx: &Ctx<Self::Provider>,
        _private: Option<Self::Private>,
        _diags: &mut Diagnostics,
    ) -> Renewed<Self::Private> {
        Renewed {
            renew_at: None,
            private: None,
        }
    }
    /// Called when the run no longer needs the value.
    async fn close(
        &self,
        _ctx: &Ctx<Self::Provider>,
        _private: Option<Self::Private>,
        _diags: &mut Diagnostics,
    ) {
    }
}

#[async_trait::async_trait]
pub trait DynEphemeralResource<P>: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> &Schema;
    fn docs(&self) -> Docs;
    fn validate(&self, config: &Value) -> Diagnostics;
    async fn open(&self, ctx: &Ctx<P>, config: Value) -> OpenEphemeralResourceResponse;
    async fn renew(&self, ctx: &Ctx<P>, private: Option<Vec<u8>>)
        -> RenewEphemeralResourceResponse;
    async fn close(&self, ctx: &Ctx<P>, private: Option<Vec<u8>>) -> Diagnostics;
}

pub fn ephemeral_resource<E: EphemeralResource>(
    e: E,
) -> Box<dyn DynEphemeralResource<E::Provider>> {
    let schema = e.schema();
    Box::new(ErasedEphemeral { inner: e, schema })
}

struct ErasedEphemeral<E> {
    inner: E,
    schema: Schema,
}

fn private_to_bytes<T: Serialize>(p: Option<T>, diags: &mut Diagnostics) -> Option<Vec<u8>> {
    match serde_json::to_vec(&p?) {
        Ok(b) => Some(b),
        Err(e) => {
            diags.error(
                "Cannot keep the ephemeral resource's private data",
                format!("This is a bug in the provider: {e}"),
            );
            None
        }
    }
}

fn private_from_bytes<T: DeserializeOwned>(b: Option<Vec<u8>>) -> Option<T> {
    serde_json::from_slice(&b?).ok()
}

#[async_trait::async_trait]
impl<E: EphemeralResource> DynEphemeralResource<E::Provider> for ErasedEphemeral<E> {
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
        if let Some(m) = decode_or_report::<E::Model>(config, "configuration", &mut diags) {
            self.inner.validate(&m, &mut diags);
        }
        diags
    }

    async fn open(&self, ctx: &Ctx<E::Provider>, config: Value) -> OpenEphemeralResourceResponse {
        let mut diags = Diagnostics::new();
        let failed = |diagnostics| OpenEphemeralResourceResponse {
            result: Value::Null,
            renew_at: None,
            private: None,
            diagnostics,
        };
        let Some(m) = decode_or_report::<E::Model>(&config, "configuration", &mut diags) else {
            return failed(diags);
        };
        self.inner.validate(&m, &mut diags);
        if diags.has_errors() {
            return failed(diags);
        }
        let Some(opened) = self.inner.open(ctx, m, &mut diags).await else {
            return failed(diags);
        };
        let result = encode_final(&opened.result, &self.schema.block, &mut diags);
        let private = private_to_bytes(opened.private, &mut diags);
        OpenEphemeralResourceResponse {
            result,
            renew_at: opened.renew_at,
            private,
            diagnostics: diags,
        }
    }

    async fn renew(
        &self,
        ctx: &Ctx<E::Provider>,
        private: Option<Vec<u8>>,
    ) -> RenewEphemeralResourceResponse {
        let mut diags = Diagnostics::new();
        let renewed = self
            .inner
            .renew(ctx, private_from_bytes(private), &mut diags)
            .await;
        let private = private_to_bytes(renewed.private, &mut diags);
        RenewEphemeralResourceResponse {
            renew_at: renewed.renew_at,
            private,
            diagnostics: diags,
        }
    }

    async fn close(&self, ctx: &Ctx<E::Provider>, private: Option<Vec<u8>>) -> Diagnostics {
        let mut diags = Diagnostics::new();
        self.inner
            .close(ctx, private_from_bytes(private), &mut diags)
            .await;
        diags
    }
}
