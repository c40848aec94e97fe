//! Validate, plan, apply and read of an erased resource, with the identity kept beside the
//! state: computed on create, carried unchanged through plans and updates, filled on read when
//! the state has none yet (written by an older version, or by a client before 1.12). Only a
//! complete identity (no null attribute) is ever handed out, so none changes once stored.

use std::sync::Arc;

use super::ErasedResource;
use crate::framework::erased::{decode_or_report, encode_final};
use crate::framework::identity;
use crate::framework::plan::{
    apply_rules, keep_configured_values, mark_computed_unknown, replace_paths,
};
use crate::framework::resource::{Ctx, Plan, Resource};
use crate::framework::siblings::Siblings;
use crate::framework::val::encode_model;
use crate::protocol::cty::Value;
use crate::protocol::handler::*;
use crate::protocol::Diagnostics;

impl<R: Resource> ErasedResource<R> {
    /// The identity value of `m`; null (left out of the answer) if it cannot be built.
    pub(super) fn identity_of(
        &self,
        m: &R::Model,
        provider: &R::Provider,
        diags: &mut Diagnostics,
    ) -> Value {
        match identity::encode(&self.inner.identity(m, provider), &self.identity) {
            Ok(v) => v,
            Err(e) => {
                diags.warning(
                    "Cannot build the resource identity",
                    format!("This is a bug in the provider: {e}"),
                );
                Value::Null
            }
        }
    }

    pub(super) fn validate_config(&self, config: &Value) -> Diagnostics {
        let mut diags = Diagnostics::new();
        if let Some(m) = decode_or_report::<R::Model>(config, "configuration", &mut diags) {
            self.inner.validate(&m, &mut diags);
        }
        diags
    }

    pub(super) fn plan_change(
        &self,
        provider: Option<&R::Provider>,
        siblings: &Arc<Siblings>,
        req: PlanResourceChangeRequest,
    ) -> PlanResourceChangeResponse {
        let mut diags = Diagnostics::new();
        // An identity never changes over an object's life: the prior one is the planned one.
        // On create there is none yet; apply makes it.
        let done = |planned_state: Value, requires_replace, diagnostics| {
            let planned_identity = if planned_state.is_null() {
                Value::Null
            } else {
                req.prior_identity.clone()
            };
            PlanResourceChangeResponse {
                planned_state,
                requires_replace,
                planned_private: req.prior_private.clone(),
                planned_identity,
                diagnostics,
            }
        };
        if req.proposed_new_state.is_null() {
            // Destroy (only asked by clients that know plan_destroy).
            return done(Value::Null, vec![], diags);
        }
        let prior_state = (!req.prior_state.is_null()).then_some(&req.prior_state);
        let mut proposed = req.proposed_new_state.clone();
        if prior_state.is_none_or(|p| *p != proposed) {
            mark_computed_unknown(&self.schema.block, &req.config, &mut proposed);
        }
        let mut start = proposed.clone();
        apply_rules(&self.schema.block, &req.config, prior_state, &mut start);
        let (Some(config), Some(planned)) = (
            decode_or_report::<R::Model>(&req.config, "configuration", &mut diags),
            decode_or_report::<R::Model>(&start, "proposed plan", &mut diags),
        ) else {
            return done(req.proposed_new_state.clone(), vec![], diags);
        };
        let prior = match prior_state {
            None => None,
            Some(p) => decode_or_report::<R::Model>(p, "prior state", &mut diags),
        };
        self.inner.validate(&config, &mut diags);
        let mut plan = Plan {
            prior,
            config,
            planned,
            requires_replace: vec![],
            siblings: siblings.clone(),
        };
        self.inner.modify_plan(&mut plan, provider, &mut diags);
        let planned_state = match encode_model(&plan.planned, &self.schema.block) {
            Ok(mut v) => {
                keep_configured_values(&self.schema.block, &proposed, prior_state, &mut v);
                v
            }
            Err(e) => {
                diags.error(
                    "Cannot build the plan",
                    format!("This is a bug in the provider: {e}"),
                );
                return done(req.proposed_new_state.clone(), vec![], diags);
            }
        };
        let mut replace = plan.requires_replace;
        if let Some(prior) = prior_state {
            for p in replace_paths(&self.schema.block, prior, &planned_state) {
                if !replace.contains(&p) {
                    replace.push(p);
                }
            }
        }
        done(planned_state, replace, diags)
    }

    pub(super) async fn apply_change(
        &self,
        ctx: &Ctx<R::Provider>,
        req: ApplyResourceChangeRequest,
    ) -> ApplyResourceChangeResponse {
        let mut diags = Diagnostics::new();
        let private = req.planned_private.clone();
        let mut model = None;
        let new_state = if req.planned_state.is_null() {
            match decode_or_report::<R::Model>(&req.prior_state, "prior state", &mut diags) {
                Some(state) => {
                    self.inner.delete(ctx, state, &mut diags).await;
                    if diags.has_errors() {
                        req.prior_state.clone()
                    } else {
                        Value::Null
                    }
                }
                None => req.prior_state.clone(),
            }
        } else if req.prior_state.is_null() {
            match decode_or_report::<R::Model>(&req.planned_state, "plan", &mut diags) {
                Some(plan) => match self.inner.create(ctx, plan, &mut diags).await {
                    Some(m) => {
                        let v = encode_final(&m, &self.schema.block, &mut diags);
                        model = Some(m);
                        v
                    }
                    None => Value::Null,
                },
                None => Value::Null,
            }
        } else {
            let prior = decode_or_report::<R::Model>(&req.prior_state, "prior state", &mut diags);
            let plan = decode_or_report::<R::Model>(&req.planned_state, "plan", &mut diags);
            match (prior, plan) {
                (Some(prior), Some(plan)) => {
                    match self.inner.update(ctx, prior, plan, &mut diags).await {
                        Some(m) => {
                            let v = encode_final(&m, &self.schema.block, &mut diags);
                            model = Some(m);
                            v
                        }
                        None => req.prior_state.clone(),
                    }
                }
                _ => req.prior_state.clone(),
            }
        };
        let new_identity = match (&model, new_state.is_null()) {
            (_, true) => Value::Null,
            (Some(m), false) => {
                let computed = self.identity_of(m, &ctx.provider, &mut diags);
                let kept = identity::keep(&req.planned_identity, &computed);
                if identity::is_complete(&kept) {
                    kept
                } else {
                    req.planned_identity.clone()
                }
            }
            (None, false) => req.planned_identity.clone(),
        };
        ApplyResourceChangeResponse {
            new_state,
            private,
            new_identity,
            diagnostics: diags,
        }
    }

    pub(super) async fn refresh(
        &self,
        ctx: &Ctx<R::Provider>,
        req: ReadResourceRequest,
    ) -> ReadResourceResponse {
        let mut diags = Diagnostics::new();
        let mut new_identity = req.current_identity.clone();
        let new_state = match decode_or_report::<R::Model>(&req.current_state, "state", &mut diags)
        {
            Some(state) => match self.inner.read(ctx, state, &mut diags).await {
                Some(m) => {
                    if !identity::is_complete(&new_identity) {
                        let computed = self.identity_of(&m, &ctx.provider, &mut diags);
                        let kept = identity::keep(&new_identity, &computed);
                        if identity::is_complete(&kept) {
                            new_identity = kept;
                        }
                    }
                    encode_final(&m, &self.schema.block, &mut diags)
                }
                // On an error keep what we had; on a clean "not found" the object is gone.
                None if diags.has_errors() => req.current_state.clone(),
                None => Value::Null,
            },
            None => req.current_state.clone(),
        };
        ReadResourceResponse {
            new_state,
            private: req.private,
            new_identity,
            diagnostics: diags,
        }
    }
}
