//! List resources (protocol 6.10, `terraform query`, Terraform ≥ 1.14): every object of a
//! resource type, each with its identity and, when asked, its full state, so that
//! `terraform query -generate-config-out` can write the configuration and import blocks.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::erased::{decode_or_report, encode_final};
use super::identity;
use super::resource::{Ctx, Docs, Resource};
use crate::protocol::cty::Value;
use crate::protocol::handler::{ListResourceEvent, ListResourceRequest, ListSink};
use crate::protocol::{Diagnostics, IdentitySchema, Schema};

/// Lists the objects of the resource type `Resource` (the list resource has its name).
#[async_trait::async_trait]
pub trait ListResource: Send + Sync + 'static {
    type Resource: Resource;
    /// The `config { … }` block of a `list` block (filters).
    type Config: Serialize + DeserializeOwned + Default + Clone + Send + Sync + 'static;

    /// The schema of the `config` block.
    fn schema(&self) -> Schema;
    /// Documentation beyond the schema descriptions, for the generated docs page.
    fn docs(&self) -> Docs {
        Docs::default()
    }
    /// Checks on the configuration (values may be unknown).
    fn validate(&self, _config: &Self::Config, _diags: &mut Diagnostics) {}
    /// Pushes every matching object into `out` until done or `out` refuses more.
    async fn list(
        &self,
        ctx: &Ctx<<Self::Resource as Resource>::Provider>,
        config: Self::Config,
        out: &mut ListOut<'_, Self::Resource>,
    );
}

/// Where a listing sends its results: each model goes out with its identity, and with its
/// state when the query asked for it.
pub struct ListOut<'a, R: Resource> {
    resource: &'a R,
    schema: &'a Schema,
    identity: &'a IdentitySchema,
    provider: &'a R::Provider,
    include_resource: bool,
    remaining: i64,
    sink: &'a mut dyn ListSink,
}

impl<R: Resource> ListOut<'_, R> {
    /// Whether the query wants full states (`include_resource = true`): only then is reading
    /// each object worth its API calls.
    pub fn include_resource(&self) -> bool {
        self.include_resource
    }

    /// Sends one object; false when no more are wanted (limit reached, client gone).
    pub async fn push(&mut self, display_name: impl Into<String>, model: &R::Model) -> bool {
        if self.remaining <= 0 {
            return false;
        }
        let mut diagnostics = Diagnostics::new();
        let identity =
            identity::encode(&self.resource.identity(model, self.provider), self.identity)
                .unwrap_or_else(|e| {
                    diagnostics.error(
                        "Cannot build the resource identity",
                        format!("This is a bug in the provider: {e}"),
                    );
                    Value::Null
                });
        let resource = self
            .include_resource
            .then(|| encode_final(model, &self.schema.block, &mut diagnostics));
        self.remaining -= 1;
        self.sink
            .send(ListResourceEvent {
                identity,
                display_name: display_name.into(),
                resource,
                diagnostics,
            })
            .await
            && self.remaining > 0
    }

    /// Reports a problem (an error ends the listing on Terraform's side); false when the
    /// client is gone.
    pub async fn report(&mut self, diagnostics: Diagnostics) -> bool {
        let stop = diagnostics.has_errors();
        let sent = self
            .sink
            .send(ListResourceEvent {
                identity: Value::Null,
                display_name: String::new(),
                resource: None,
                diagnostics,
            })
            .await;
        sent && !stop
    }
}

#[async_trait::async_trait]
pub trait DynListResource<P>: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> &Schema;
    fn docs(&self) -> Docs;
    fn validate(&self, config: &Value) -> Diagnostics;
    async fn list(&self, ctx: &Ctx<P>, req: ListResourceRequest, sink: &mut dyn ListSink);
}

/// `resource` is the resource type whose objects `list` produces.
pub fn list_resource<L: ListResource>(
    list: L,
    resource: L::Resource,
) -> Box<dyn DynListResource<<L::Resource as Resource>::Provider>> {
    let schema = list.schema();
    let resource_schema = resource.schema();
    let identity = resource.identity_schema();
    Box::new(ErasedList {
        inner: list,
        schema,
        resource,
        resource_schema,
        identity,
    })
}

struct ErasedList<L: ListResource> {
    inner: L,
    schema: Schema,
    resource: L::Resource,
    resource_schema: Schema,
    identity: IdentitySchema,
}

impl<L: ListResource> ErasedList<L> {
    /// A list block without `config { … }` sends null: the default (no filter).
    fn config(&self, v: &Value, diags: &mut Diagnostics) -> Option<L::Config> {
        if v.is_null() {
            return Some(L::Config::default());
        }
        decode_or_report::<L::Config>(v, "list configuration", diags)
    }
}

#[async_trait::async_trait]
impl<L: ListResource> DynListResource<<L::Resource as Resource>::Provider> for ErasedList<L> {
    fn type_name(&self) -> &'static str {
        self.resource.type_name()
    }
    fn schema(&self) -> &Schema {
        &self.schema
    }
    fn docs(&self) -> Docs {
        self.inner.docs()
    }
    fn validate(&self, config: &Value) -> Diagnostics {
        let mut diags = Diagnostics::new();
        if let Some(c) = self.config(config, &mut diags) {
            self.inner.validate(&c, &mut diags);
        }
        diags
    }
    async fn list(
        &self,
        ctx: &Ctx<<L::Resource as Resource>::Provider>,
        req: ListResourceRequest,
        sink: &mut dyn ListSink,
    ) {
        let mut diags = Diagnostics::new();
        let config = self.config(&req.config, &mut diags);
        if let Some(c) = &config {
            self.inner.validate(c, &mut diags);
        }
        let mut out = ListOut {
            resource: &self.resource,
            schema: &self.resource_schema,
            identity: &self.identity,
            provider: &ctx.provider,
            include_resource: req.include_resource,
            remaining: if req.limit > 0 { req.limit } else { i64::MAX },
            sink,
        };
        match config {
            Some(c) if !diags.has_errors() => {
                if !diags.is_empty() && !out.report(diags).await {
                    return;
                }
                self.inner.list(ctx, c, &mut out).await;
            }
            _ => {
                out.report(diags).await;
            }
        }
    }
}
