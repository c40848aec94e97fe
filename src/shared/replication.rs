//! What `ecr_replication_configuration` and `ecr_replication_rule` share: the `destination` and
//! `repository_filter` blocks of a rule (schema and model), and their conversion to the
//! domain's rules.

use serde::{Deserialize, Serialize};

use crate::framework::{Attribute, Block, NestedBlock, Val};
use crate::registry::replication::{
    self, Destination as DomainDestination, DestinationSpec, Filter as DomainFilter, FilterSpec,
    Rule, RuleSpec,
};

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Destination {
    pub region: Val<String>,
    pub registry_id: Val<String>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Filter {
    pub filter: Val<String>,
    pub filter_type: Val<String>,
}

/// The `destination` block of a rule.
pub fn destination_block() -> NestedBlock {
    NestedBlock::list(
        "destination",
        Block::new(format!("Where the rule replicates to (1–{} destinations). Each is a registry: an account and a region; the registry being configured (the provider's account and region) cannot be one.", replication::MAX_DESTINATIONS))
            .attr(Attribute::string("region").required().description("Region to replicate to, e.g. `eu-west-1`."))
            .attr(Attribute::string("registry_id").required().description("Account id (12 digits) of the destination registry: the provider's own account for cross-region replication, another account for cross-account replication (that account's registry policy must allow `ecr:ReplicateImage` and `ecr:CreateRepository` from this one, see `ecr_registry_policy`).")),
    )
    .min(1)
    .max(replication::MAX_DESTINATIONS as i64)
}

/// The `repository_filter` block of a rule.
pub fn filter_block() -> NestedBlock {
    NestedBlock::list(
        "repository_filter",
        Block::new(format!("Which repositories the rule replicates (1–{} filters); without any, every repository is replicated.", replication::MAX_FILTERS))
            .attr(Attribute::string("filter").required().description("Repository name prefix, 2–256 characters: lowercase letters and digits separated by `.`, `_`, `-` and `/` (no wildcards)."))
            .attr(Attribute::string("filter_type").required().description("`PREFIX_MATCH` (the only type).")),
    )
    .max(replication::MAX_FILTERS as i64)
}

/// A rule's blocks as the domain checks them (`None` for what is not known yet).
pub fn spec<'a>(
    destinations: &'a Val<Vec<Destination>>,
    filters: &'a Val<Vec<Filter>>,
) -> RuleSpec<'a> {
    RuleSpec {
        destinations: destinations.known().map(|ds| {
            ds.iter()
                .map(|d| DestinationSpec {
                    region: d.region.str(),
                    registry_id: d.registry_id.str(),
                })
                .collect()
        }),
        filters: match filters {
            Val::Known(fs) => Some(
                fs.iter()
                    .map(|f| FilterSpec {
                        filter: f.filter.str(),
                        filter_type: f.filter_type.str(),
                    })
                    .collect(),
            ),
            Val::Null => Some(vec![]),
            Val::Unknown => None,
        },
    }
}

/// The rule, when every value is known.
pub fn known_rule(
    destinations: &Val<Vec<Destination>>,
    filters: &Val<Vec<Filter>>,
) -> Option<Rule> {
    spec(destinations, filters).known()
}

/// The blocks of a rule (no filters: an empty list, as Terraform holds an absent block list).
pub fn blocks(rule: &Rule) -> (Val<Vec<Destination>>, Val<Vec<Filter>>) {
    (
        Val::Known(
            rule.destinations
                .iter()
                .map(|d: &DomainDestination| Destination {
                    region: Val::of(&d.region),
                    registry_id: Val::of(&d.registry_id),
                })
                .collect(),
        ),
        Val::Known(
            rule.filters
                .iter()
                .map(|f: &DomainFilter| Filter {
                    filter: Val::of(&f.filter),
                    filter_type: Val::of(&f.filter_type),
                })
                .collect(),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_rules_convert_both_ways() {
        let rule =
            Rule::parse_id("eu-west-1:111122223333+eu-west-2:444455556666|PREFIX_MATCH:prod")
                .unwrap();
        let (d, f) = blocks(&rule);
        assert_eq!(known_rule(&d, &f), Some(rule));
        // An absent filter list is no filter; an unknown one is not known.
        let no_filters = known_rule(&d, &Val::Null).unwrap();
        assert!(no_filters.filters.is_empty());
        assert_eq!(known_rule(&d, &Val::Unknown), None);
        let mut partial = d.clone();
        if let Val::Known(v) = &mut partial {
            v[0].region = Val::Unknown;
        }
        assert_eq!(known_rule(&partial, &f), None);
    }
}
