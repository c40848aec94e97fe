//! Pure plan helpers on cty values.

use crate::protocol::cty::Value;
use crate::protocol::schema::{Block, BlockNesting};

/// On create, every computed attribute the configuration leaves null is "known after apply".
pub fn mark_computed_unknown(block: &Block, config: &Value, planned: &mut Value) {
    let Value::Object(out) = planned else { return };
    for a in &block.attributes {
        if a.computed && config.get_attr(&a.name).is_none_or(Value::is_null) {
            if let Some(v) = out.get_mut(&a.name) {
                if v.is_null() {
                    *v = Value::Unknown;
                }
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
