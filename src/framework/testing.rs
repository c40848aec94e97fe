//! Unit tests of a resource's plan through the framework's whole pipeline, from models:
//! Terraform's proposal, the schema's plan rules, the resource's `modify_plan`, the kept
//! configured values and the replace paths.

use std::sync::Arc;

use super::dyn_resource::resource;
use super::plan::propose;
use super::resource::Resource;
use super::siblings::Siblings;
use super::val::{decode_model, encode_model};
use crate::protocol::handler::PlanResourceChangeRequest;
use crate::protocol::{AttrPath, Diagnostics};

/// What a plan came to.
pub struct Planned<M> {
    pub planned: M,
    pub requires_replace: Vec<AttrPath>,
    pub diags: Diagnostics,
}

/// Plans `config` over `prior` (`None`: create) as PlanResourceChange would.
pub fn plan<R: Resource>(
    r: R,
    prior: Option<&R::Model>,
    config: &R::Model,
    provider: Option<&R::Provider>,
    siblings: &Arc<Siblings>,
) -> Planned<R::Model> {
    let schema = r.schema();
    let block = &schema.block;
    let config = encode_model(config, block).expect("config encodes");
    let prior = match prior {
        Some(p) => encode_model(p, block).expect("prior encodes"),
        None => crate::protocol::cty::Value::Null,
    };
    let proposed = propose(block, (!prior.is_null()).then_some(&prior), &config);
    let resp = resource(r).plan(
        provider,
        siblings,
        PlanResourceChangeRequest {
            type_name: String::new(),
            prior_state: prior,
            proposed_new_state: proposed,
            config,
            prior_private: vec![],
            prior_identity: crate::protocol::cty::Value::Null,
        },
    );
    Planned {
        planned: decode_model(&resp.planned_state).expect("plan decodes"),
        requires_replace: resp.requires_replace,
        diags: resp.diagnostics,
    }
}
