//! Bringing objects under management and describing them: import (by id or by identity),
//! moves from other resource types, state and identity upgrades, configuration generation.

use super::ErasedResource;
use crate::framework::erased::{decode_or_report, encode_final};
use crate::framework::identity;
use crate::framework::moving::MoveSource;
use crate::framework::resource::{Ctx, Resource};
use crate::framework::val::encode_model;
use crate::protocol::cty::{self, Value};
use crate::protocol::handler::*;
use crate::protocol::schema::{Block, BlockNesting};
use crate::protocol::{AttrPath, Diagnostics};

impl<R: Resource> ErasedResource<R> {
    /// The identity of `m` if complete; an identity with a null attribute is never handed to
    /// Terraform (a later read filling it in would be an identity change), so it is left out
    /// and the next read supplies it.
    fn complete_identity_of(
        &self,
        m: &R::Model,
        provider: &R::Provider,
        diags: &mut Diagnostics,
    ) -> Value {
        let v = self.identity_of(m, provider, diags);
        if identity::is_complete(&v) {
            v
        } else {
            Value::Null
        }
    }

    pub(super) async fn import_state(
        &self,
        ctx: &Ctx<R::Provider>,
        req: ImportResourceStateRequest,
    ) -> (Vec<ImportedResource>, Diagnostics) {
        let mut diags = Diagnostics::new();
        let id = if !req.id.is_empty() {
            req.id.clone()
        } else if !req.identity.is_null() {
            let Some(given) = self.given_identity(&req.identity, &mut diags) else {
                return (vec![], diags);
            };
            match self.inner.import_id(&given, &ctx.provider, &mut diags) {
                Some(id) => id,
                None => {
                    if !diags.has_errors() {
                        diags.error(
                            "Cannot import by identity",
                            format!("This {} cannot be imported by identity.", req.type_name),
                        );
                    }
                    return (vec![], diags);
                }
            }
        } else {
            diags.error(
                "Nothing to import",
                "The import request carried neither an id nor an identity.",
            );
            return (vec![], diags);
        };
        let Some(mut m) = self.inner.import(ctx, &id, &mut diags).await else {
            return (vec![], diags);
        };
        let mut computed = self.identity_of(&m, &ctx.provider, &mut diags);
        if !identity::is_complete(&computed) {
            // The stub lacks what only a read shows (e.g. the registry's account when the
            // provider skipped STS): read it now rather than store an incomplete identity.
            if let Some(full) = self.inner.read(ctx, m.clone(), &mut diags).await {
                m = full;
                computed = self.identity_of(&m, &ctx.provider, &mut diags);
            }
        }
        let state = encode_final(&m, &self.schema.block, &mut diags);
        if diags.has_errors() {
            return (vec![], diags);
        }
        let kept = identity::keep(&req.identity, &computed);
        let identity = if identity::is_complete(&kept) {
            kept
        } else {
            Value::Null
        };
        (
            vec![ImportedResource {
                type_name: self.inner.type_name().to_string(),
                state,
                private: vec![],
                identity,
            }],
            diags,
        )
    }

    /// An identity from an import block, as the typed identity.
    fn given_identity(&self, v: &Value, diags: &mut Diagnostics) -> Option<R::Identity> {
        match identity::decode::<R::Identity>(v) {
            Ok(i) => Some(i),
            Err(e) => {
                diags.error(
                    "Cannot read the identity",
                    format!("This is a bug in the provider: {e}"),
                );
                None
            }
        }
    }

    pub(super) fn upgrade_state(&self, req: UpgradeResourceStateRequest) -> (Value, Diagnostics) {
        let mut diags = Diagnostics::new();
        if req.version > self.schema.version {
            diags.error(
                "State written by a newer provider",
                format!(
                    "The state of this {} was written with schema version {}, newer than this provider's {}. Upgrade terraform-provider-ecr.",
                    req.type_name, req.version, self.schema.version
                ),
            );
            return (Value::Null, diags);
        }
        let Some(json) = req.raw_json else {
            if req.has_flatmap {
                diags.error(
                    "Unsupported legacy state",
                    "Flatmap state (Terraform 0.11 and older) was never written by this provider.",
                );
            }
            return (Value::Null, diags);
        };
        let ty = self.schema.implied_type();
        match cty::json::decode_lenient(&json, &ty) {
            Ok(v) => (v, diags),
            Err(e) => {
                diags.attr_error(
                    AttrPath::resolvable(&ty, &e.path),
                    "Cannot read the stored state",
                    format!("The state of this {} is not valid: {e}", req.type_name),
                );
                (Value::Null, diags)
            }
        }
    }

    pub(super) fn upgrade_identity_json(
        &self,
        version: i64,
        raw_json: &[u8],
    ) -> (Value, Diagnostics) {
        let mut diags = Diagnostics::new();
        let name = self.inner.type_name();
        if version > self.identity.version {
            diags.error(
                "Identity written by a newer provider",
                format!(
                    "The identity of this {name} was written with identity version {version}, newer than this provider's {}. Upgrade terraform-provider-ecr.",
                    self.identity.version
                ),
            );
            return (Value::Null, diags);
        }
        match identity::decode_json(raw_json, &self.identity) {
            Ok(v) => (v, diags),
            Err(e) => {
                diags.error(
                    "Cannot read the stored identity",
                    format!("The identity of this {name} is not valid: {e}"),
                );
                (Value::Null, diags)
            }
        }
    }

    pub(super) fn move_from(
        &self,
        provider: Option<&R::Provider>,
        req: MoveResourceStateRequest,
    ) -> MoveResourceStateResponse {
        let mut diags = Diagnostics::new();
        let fail = |diagnostics| MoveResourceStateResponse {
            target_state: Value::Null,
            target_private: vec![],
            target_identity: Value::Null,
            diagnostics,
        };
        let state: serde_json::Value = match serde_json::from_slice(&req.source_state_json) {
            Ok(s) => s,
            Err(e) => {
                diags.error(
                    "Cannot read the state being moved",
                    format!(
                        "The stored state of the {} is not JSON: {e}",
                        req.source_type_name
                    ),
                );
                return fail(diags);
            }
        };
        let source_identity: Option<serde_json::Value> = req
            .source_identity_json
            .as_deref()
            .and_then(|j| serde_json::from_slice(j).ok());
        let source = MoveSource {
            provider_address: &req.source_provider_address,
            type_name: &req.source_type_name,
            schema_version: req.source_schema_version,
            state: &state,
            identity: source_identity.as_ref(),
            identity_schema_version: req.source_identity_schema_version,
        };
        let Some(m) = self.inner.move_state(&source, provider, &mut diags) else {
            if !diags.has_errors() {
                diags.error(
                    "Unsupported move",
                    format!(
                        "{} cannot take the state of {} from {}.",
                        req.target_type_name, req.source_type_name, req.source_provider_address
                    ),
                );
            }
            return fail(diags);
        };
        let target_state = encode_final(&m, &self.schema.block, &mut diags);
        let target_identity = match provider {
            Some(p) => self.complete_identity_of(&m, p, &mut diags),
            None => Value::Null,
        };
        MoveResourceStateResponse {
            target_state,
            target_private: vec![],
            target_identity,
            diagnostics: diags,
        }
    }

    pub(super) fn config_from_state(&self, state: &Value) -> (Value, Diagnostics) {
        let mut diags = Diagnostics::new();
        let Some(m) = decode_or_report::<R::Model>(state, "state", &mut diags) else {
            return (Value::Null, diags);
        };
        let m = self.inner.generate_config(m);
        match encode_model(&m, &self.schema.block) {
            Ok(mut v) => {
                drop_computed_only(&self.schema.block, &mut v);
                (v, diags)
            }
            Err(e) => {
                diags.error(
                    "Cannot build the configuration",
                    format!("This is a bug in the provider: {e}"),
                );
                (Value::Null, diags)
            }
        }
    }
}

/// A configuration never sets computed-only attributes (Terraform rejects them), nor unknowns.
fn drop_computed_only(block: &Block, v: &mut Value) {
    let Value::Object(out) = v else { return };
    for a in &block.attributes {
        if let Some(x) = out.get_mut(&a.name) {
            if (a.computed && !a.optional) || !x.is_wholly_known() {
                *x = Value::Null;
            }
        }
    }
    for b in &block.blocks {
        let Some(x) = out.get_mut(&b.type_name) else {
            continue;
        };
        match (b.nesting, x) {
            (BlockNesting::Single | BlockNesting::Group, x) => drop_computed_only(&b.block, x),
            (_, Value::List(items) | Value::Set(items)) => {
                for i in items {
                    drop_computed_only(&b.block, i);
                }
            }
            (_, Value::Map(m)) => {
                for i in m.values_mut() {
                    drop_computed_only(&b.block, i);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::schema::{Attribute, NestedBlock};

    #[test]
    fn generated_configuration_leaves_out_computed_only_attributes() {
        let block = Block::new("")
            .attr(Attribute::string("name").required())
            .attr(Attribute::string("arn").computed())
            .attr(Attribute::string("mode").optional().computed())
            .block(NestedBlock::list(
                "rule",
                Block::new("")
                    .attr(Attribute::string("filter").required())
                    .attr(Attribute::string("id").computed()),
            ));
        let mut v = Value::object([
            ("name", Value::string("app")),
            ("arn", Value::string("arn:x")),
            ("mode", Value::string("MUTABLE")),
            (
                "rule",
                Value::List(vec![Value::object([
                    ("filter", Value::string("v*")),
                    ("id", Value::string("1")),
                ])]),
            ),
        ]);
        drop_computed_only(&block, &mut v);
        assert_eq!(
            v,
            Value::object([
                ("name", Value::string("app")),
                ("arn", Value::Null),
                ("mode", Value::string("MUTABLE")),
                (
                    "rule",
                    Value::List(vec![Value::object([
                        ("filter", Value::string("v*")),
                        ("id", Value::Null),
                    ])]),
                ),
            ])
        );
    }
}
