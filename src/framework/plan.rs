//! The plan rules the framework applies on cty values, around the resource's own `modify_plan`:
//! which computed values are unknown, the schema's per-attribute [`PlanRules`] (defaults, keep
//! the prior value, semantic equality), which configured values must stand, and which changes
//! replace the resource.
//!
//! The order, for a resource (in the manner of terraform-plugin-framework):
//! 1. [`mark_computed_unknown`]: on create, and on an update that changes something, every
//!    computed attribute the configuration leaves null is "known after apply";
//! 2. [`apply_rules`]: defaults, `use_state_for_unknown`, semantic equality;
//! 3. the resource's `modify_plan`;
//! 4. [`keep_configured_values`], then [`replace_paths`] adds the `requires_replace` changes.
//!
//! [`PlanRules`]: crate::protocol::schema::PlanRules

use crate::protocol::cty::Value;
use crate::protocol::schema::{Block, BlockNesting};
use crate::protocol::AttrPath;

/// Marks "known after apply" every computed attribute the configuration leaves null, whatever
/// Terraform proposed for it (null on create, the prior value on update). On update the
/// framework calls it only when the proposal differs from the prior state; attributes whose
/// value does not change once set declare `use_state_for_unknown` to keep it.
pub fn mark_computed_unknown(block: &Block, config: &Value, planned: &mut Value) {
    let Value::Object(out) = planned else { return };
    for a in &block.attributes {
        if a.computed && config.get_attr(&a.name).is_none_or(Value::is_null) {
            if let Some(v) = out.get_mut(&a.name) {
                *v = Value::Unknown;
            }
        }
    }
    for b in &block.blocks {
        let (Some(cfg), Some(plan)) = (config.get_attr(&b.type_name), out.get_mut(&b.type_name))
        else {
            continue;
        };
        match (b.nesting, cfg, plan) {
            (BlockNesting::Single | BlockNesting::Group, c, p) => {
                mark_computed_unknown(&b.block, c, p)
            }
            (BlockNesting::List, Value::List(cs), Value::List(ps)) => {
                for (c, p) in cs.iter().zip(ps.iter_mut()) {
                    mark_computed_unknown(&b.block, c, p);
                }
            }
            _ => {}
        }
    }
}

/// Applies the schema's per-attribute plan rules to `planned` (`prior`: the prior state, `None`
/// on create). Elements of list blocks are matched with the configuration's and the prior
/// state's by position, as Terraform's proposal does.
///
/// - `default`: the configuration leaves the attribute null → the default;
/// - `use_state_for_unknown`: on update, an unknown planned value whose configuration is not
///   unknown → the prior state's value (null included, which is what Terraform proposed);
/// - `equivalent`: the configured text means the same as the prior state's → the prior text.
pub fn apply_rules(block: &Block, config: &Value, prior: Option<&Value>, planned: &mut Value) {
    let Value::Object(out) = planned else { return };
    for a in &block.attributes {
        let rules = &a.plan;
        let Some(v) = out.get_mut(&a.name) else {
            continue;
        };
        let cfg = config.get_attr(&a.name).unwrap_or(&Value::Null);
        let before = prior.map(|p| p.get_attr(&a.name).unwrap_or(&Value::Null));
        if let (Some(d), true) = (&rules.default, cfg.is_null()) {
            *v = d.clone();
        }
        if let (true, Some(before)) = (rules.use_state_for_unknown, before) {
            if v.is_unknown() && !cfg.is_unknown() {
                *v = before.clone();
            }
        }
        if let (Some(same), Some(before)) = (&rules.equivalent, before) {
            if let (Some(old), Some(new)) = (before.as_str(), cfg.as_str()) {
                if (same.0)(old, new) {
                    *v = before.clone();
                }
            }
        }
    }
    for b in &block.blocks {
        let Some(plan) = out.get_mut(&b.type_name) else {
            continue;
        };
        let cfg = config.get_attr(&b.type_name).unwrap_or(&Value::Null);
        let before = prior.and_then(|p| p.get_attr(&b.type_name));
        match (b.nesting, plan) {
            (BlockNesting::Single | BlockNesting::Group, p) => {
                apply_rules(&b.block, cfg, before, p)
            }
            (BlockNesting::List, Value::List(ps)) => {
                let cs = cfg.as_slice().unwrap_or(&[]);
                let priors = before.and_then(Value::as_slice);
                for (i, p) in ps.iter_mut().enumerate() {
                    let c = cs.get(i).unwrap_or(&Value::Null);
                    // An element the prior state did not have is planned like a create.
                    let pr = priors.map(|ps| ps.get(i).unwrap_or(&Value::Null));
                    apply_rules(&b.block, c, pr.filter(|v| !v.is_null()), p);
                }
            }
            _ => {}
        }
    }
}

/// The paths of `requires_replace` attributes and blocks whose planned value differs from the
/// prior state's, in schema order.
pub fn replace_paths(block: &Block, prior: &Value, planned: &Value) -> Vec<AttrPath> {
    let mut out = Vec::new();
    collect_replace(block, prior, planned, &AttrPath::root(), &mut out);
    out
}

fn collect_replace(
    block: &Block,
    prior: &Value,
    planned: &Value,
    at: &AttrPath,
    out: &mut Vec<AttrPath>,
) {
    for a in block.attributes.iter().filter(|a| a.plan.requires_replace) {
        if prior.get_attr(&a.name) != planned.get_attr(&a.name) {
            out.push(at.clone().then_attr(&a.name));
        }
    }
    for b in &block.blocks {
        let (before, after) = (prior.get_attr(&b.type_name), planned.get_attr(&b.type_name));
        let path = at.clone().then_attr(&b.type_name);
        if b.requires_replace && before != after {
            out.push(path.clone());
        }
        match (b.nesting, before, after) {
            (BlockNesting::Single | BlockNesting::Group, Some(x), Some(y)) => {
                collect_replace(&b.block, x, y, &path, out)
            }
            (BlockNesting::List, Some(Value::List(xs)), Some(Value::List(ys))) => {
                for (i, (x, y)) in xs.iter().zip(ys).enumerate() {
                    collect_replace(&b.block, x, y, &path.clone().then_index(i), out);
                }
            }
            _ => {}
        }
    }
}

/// Terraform's proposed new state, simplified (`ProposedNew` in Terraform's `objchange`): the
/// configuration, with the prior value of each computed attribute the configuration leaves
/// null; list block elements are matched by position. For tests that plan from models.
#[cfg(test)]
pub fn propose(block: &Block, prior: Option<&Value>, config: &Value) -> Value {
    let Value::Object(cfg) = config else {
        return config.clone();
    };
    let mut out = cfg.clone();
    for a in &block.attributes {
        let c = cfg.get(&a.name).unwrap_or(&Value::Null);
        if a.computed && c.is_null() {
            let p = prior
                .and_then(|p| p.get_attr(&a.name))
                .unwrap_or(&Value::Null);
            out.insert(a.name.clone(), p.clone());
        }
    }
    for b in &block.blocks {
        let (Some(c), before) = (
            cfg.get(&b.type_name),
            prior.and_then(|p| p.get_attr(&b.type_name)),
        ) else {
            continue;
        };
        let v = match (b.nesting, c) {
            (BlockNesting::Single | BlockNesting::Group, c) => propose(&b.block, before, c),
            (BlockNesting::List, Value::List(cs)) => {
                let ps = before.and_then(Value::as_slice).unwrap_or(&[]);
                Value::List(
                    cs.iter()
                        .enumerate()
                        .map(|(i, c)| propose(&b.block, ps.get(i), c))
                        .collect(),
                )
            }
            (_, c) => c.clone(),
        };
        out.insert(b.type_name.clone(), v);
    }
    Value::Object(out)
}

/// Terraform accepts, for an attribute the provider does not compute, only the configuration's
/// value or (when both are set) the prior state's, which is how a resource says "equivalent, keep
/// what is there". A serde model can hold less than the value did (a map with one unknown element
/// decodes as wholly unknown, see `Val`), so after a model is encoded back any other value of
/// these attributes is replaced by the proposed state's, which holds the configuration's.
pub fn keep_configured_values(
    block: &Block,
    proposed: &Value,
    prior: Option<&Value>,
    planned: &mut Value,
) {
    let Value::Object(out) = planned else { return };
    for a in block.attributes.iter().filter(|a| !a.computed) {
        let Some(want) = proposed.get_attr(&a.name) else {
            continue;
        };
        let kept_prior = prior
            .and_then(|p| p.get_attr(&a.name))
            .is_some_and(|p| !p.is_null() && !want.is_null() && out.get(&a.name) == Some(p));
        if !kept_prior {
            out.insert(a.name.clone(), want.clone());
        }
    }
    for b in &block.blocks {
        let (Some(prop), Some(plan)) = (proposed.get_attr(&b.type_name), out.get_mut(&b.type_name))
        else {
            continue;
        };
        let prior_b = prior.and_then(|p| p.get_attr(&b.type_name));
        match (b.nesting, prop, plan) {
            (BlockNesting::Single | BlockNesting::Group, p, out) => {
                keep_configured_values(&b.block, p, prior_b, out)
            }
            (BlockNesting::List, Value::List(ps), Value::List(outs)) if ps.len() == outs.len() => {
                let priors = prior_b.and_then(Value::as_slice).unwrap_or(&[]);
                for (i, (p, out)) in ps.iter().zip(outs.iter_mut()).enumerate() {
                    keep_configured_values(&b.block, p, priors.get(i), out);
                }
            }
            _ => {}
        }
    }
}

/// Replaces any unknown left in a value that must be wholly known (state after apply/read).
pub fn unknowns_to_null(v: &mut Value) -> bool {
    match v {
        Value::Unknown => {
            *v = Value::Null;
            true
        }
        Value::List(items) | Value::Set(items) | Value::Tuple(items) => items
            .iter_mut()
            .fold(false, |acc, i| unknowns_to_null(i) || acc),
        Value::Map(m) | Value::Object(m) => m
            .values_mut()
            .fold(false, |acc, i| unknowns_to_null(i) || acc),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::schema::{Attribute, NestedBlock};

    #[test]
    fn computed_nulls_become_unknown_but_configured_values_stay() {
        let block = Block::new("")
            .attr(Attribute::string("name").required())
            .attr(Attribute::string("arn").computed())
            .attr(Attribute::string("mode").optional().computed())
            .block(NestedBlock::list(
                "enc",
                Block::new("").attr(Attribute::string("key").optional().computed()),
            ));
        let config = Value::object([
            ("name", Value::string("a")),
            ("arn", Value::Null),
            ("mode", Value::string("X")),
            (
                "enc",
                Value::List(vec![Value::object([("key", Value::Null)])]),
            ),
        ]);
        let mut planned = config.clone();
        mark_computed_unknown(&block, &config, &mut planned);
        assert_eq!(planned.get_attr("arn"), Some(&Value::Unknown));
        assert_eq!(planned.get_attr("mode"), Some(&Value::string("X")));
        assert_eq!(planned.get_attr("name"), Some(&Value::string("a")));
        let Some(Value::List(enc)) = planned.get_attr("enc") else {
            panic!()
        };
        assert_eq!(enc[0].get_attr("key"), Some(&Value::Unknown));
    }

    #[test]
    fn unknowns_are_cleared_deeply() {
        let mut v = Value::object([
            ("a", Value::Unknown),
            ("b", Value::List(vec![Value::Unknown])),
        ]);
        assert!(unknowns_to_null(&mut v));
        assert!(v.is_wholly_known());
    }

    #[test]
    fn configured_values_survive_a_lossy_model() {
        let block = Block::new("")
            .attr(Attribute::string_map("tags").optional())
            .attr(Attribute::string_map("tags_all").computed())
            .block(NestedBlock::list(
                "rule",
                Block::new("")
                    .attr(Attribute::string("name").optional())
                    .attr(Attribute::string("id").optional().computed()),
            ));
        // The configuration's map has one unknown element; the model could only say "unknown".
        let tags = Value::Map([("commit".to_string(), Value::Unknown)].into());
        let proposed = Value::object([
            ("tags", tags.clone()),
            ("tags_all", Value::Unknown),
            (
                "rule",
                Value::List(vec![Value::object([
                    ("name", Value::string("a")),
                    ("id", Value::Null),
                ])]),
            ),
        ]);
        let mut planned = Value::object([
            ("tags", Value::Unknown),
            ("tags_all", Value::Unknown),
            (
                "rule",
                Value::List(vec![Value::object([
                    ("name", Value::Unknown),
                    ("id", Value::string("computed-by-provider")),
                ])]),
            ),
        ]);
        keep_configured_values(&block, &proposed, None, &mut planned);
        assert_eq!(planned.get_attr("tags"), Some(&tags));
        assert_eq!(planned.get_attr("tags_all"), Some(&Value::Unknown));
        let Some(Value::List(rule)) = planned.get_attr("rule") else {
            panic!()
        };
        assert_eq!(rule[0].get_attr("name"), Some(&Value::string("a")));
        assert_eq!(
            rule[0].get_attr("id"),
            Some(&Value::string("computed-by-provider")),
            "what the provider computes is its own"
        );
    }

    #[test]
    fn a_prior_value_kept_as_equivalent_stays() {
        let block = Block::new("").attr(Attribute::string("policy").required());
        let prior = Value::object([("policy", Value::string("{\"a\": 1}"))]);
        let proposed = Value::object([("policy", Value::string("{\"a\":1}"))]);
        // The resource judged the configuration equivalent and planned the prior value.
        let mut planned = prior.clone();
        keep_configured_values(&block, &proposed, Some(&prior), &mut planned);
        assert_eq!(planned, prior);
        // Anything else is replaced by the configuration's value.
        let mut planned = Value::object([("policy", Value::string("other"))]);
        keep_configured_values(&block, &proposed, Some(&prior), &mut planned);
        assert_eq!(planned, proposed);
    }
}
