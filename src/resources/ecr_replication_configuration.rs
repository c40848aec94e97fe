//! `ecr_replication_configuration`: the registry's whole replication configuration (every rule),
//! as hashicorp/aws's `aws_ecr_replication_configuration`. A singleton per registry and region:
//! id = registry id; destroy leaves the registry with no rules.

use serde::{Deserialize, Serialize};

use super::cross;
use super::identity;
use crate::aws::replication as io;
use crate::aws::AwsClients;
use crate::framework::IdentitySchema;
use crate::framework::{
    AttrPath, Attribute, Block, Ctx, Diagnostics, NestedBlock, Plan, Resource, Schema, Val,
};
use crate::registry::replication::{self as domain, Rule};
use crate::registry::{is_account_id, Problems, Registry, Step};
use crate::shared::region;
use crate::shared::registry::{registry_of, registry_only, report};
use crate::shared::replication::{self as blocks, Destination, Filter};

pub struct EcrReplicationConfiguration;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Model {
    pub id: Val<String>,
    pub registry_id: Val<String>,
    pub replication_configuration: Val<Vec<Configuration>>,
    pub region: Val<String>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Configuration {
    pub rule: Val<Vec<RuleBlock>>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct RuleBlock {
    pub destination: Val<Vec<Destination>>,
    pub repository_filter: Val<Vec<Filter>>,
}

fn rule_blocks(m: &Model) -> &[RuleBlock] {
    m.replication_configuration
        .items()
        .first()
        .map_or(&[], |c| c.rule.items())
}

/// The configured rules when every value is known.
fn known_rules(m: &Model) -> Option<Vec<Rule>> {
    if !m.replication_configuration.is_known()
        || m.replication_configuration
            .items()
            .iter()
            .any(|c| !c.rule.is_known())
    {
        return None;
    }
    rule_blocks(m)
        .iter()
        .map(|r| blocks::known_rule(&r.destination, &r.repository_filter))
        .collect()
}

fn check(m: &Model, registry: Registry, out: &mut Problems) {
    let specs: Vec<_> = rule_blocks(m)
        .iter()
        .map(|r| blocks::spec(&r.destination, &r.repository_filter))
        .collect();
    domain::check_rules(
        &specs,
        registry,
        &[
            Step::Attr("replication_configuration"),
            Step::Index(0),
            Step::Attr("rule"),
        ],
        out,
    );
}

/// The identity (`import { identity = { … } }`, Terraform ≥ 1.12).
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Identity {
    pub account_id: Val<String>,
    pub region: Val<String>,
}

#[async_trait::async_trait]
impl Resource for EcrReplicationConfiguration {
    type Model = Model;
    type Provider = AwsClients;
    type Identity = Identity;

    fn type_name(&self) -> &'static str {
        "ecr_replication_configuration"
    }

    /// A `moved` block from hashicorp/aws's twin (`crate::moves`).
    fn move_state(
        &self,
        source: &crate::framework::MoveSource<'_>,
        provider: Option<&AwsClients>,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        super::common::move_from_aws(source, diags, |s| {
            moved_from_aws(s, provider.map(|p| p.region.as_str()))
        })
    }

    fn identity_schema(&self) -> IdentitySchema {
        identity::regional(&[])
    }

    fn identity(&self, m: &Model, aws: &AwsClients) -> Identity {
        Identity {
            account_id: identity::account(&m.registry_id, aws),
            region: identity::region(&m.region, aws),
        }
    }

    fn import_id(&self, i: &Identity, aws: &AwsClients, diags: &mut Diagnostics) -> Option<String> {
        identity::registry_import_id(&i.account_id, &i.region, aws, diags)
    }

    fn schema(&self) -> Schema {
        let rule = NestedBlock::list(
            "rule",
            Block::new(format!("One replication rule (1–{} rules): images pushed to repositories matching its filters are copied to each destination.", domain::MAX_RULES))
                .block(blocks::destination_block())
                .block(blocks::filter_block()),
        )
        .min(1)
        .max(domain::MAX_RULES as i64);
        Schema::new(
            0,
            Block::new("The registry's whole replication configuration: every rule copying pushed images to other regions and accounts (cross-region and cross-account replication).\n\nThis is a **registry-wide singleton** (one per account and region), like hashicorp/aws's `aws_ecr_replication_configuration`, whose arguments it takes. It owns every rule: rules written by other tools are removed at the next apply. To let several stacks own one rule each, use [`ecr_replication_rule`](ecr_replication_rule.md) instead; the two in one configuration fail at plan (*Replication configuration managed twice*). Destroying the resource leaves the registry with no rules.\n\nAll rules are checked at `terraform validate` / `plan`: rule, destination and filter counts, region and account id syntax, filter syntax and type, and (once the provider knows its account) a destination that is the registry itself.")
                .attr(Attribute::string("id").computed().use_state_for_unknown().description("The registry id."))
                .attr(Attribute::string("registry_id").computed().use_state_for_unknown().description("The registry (AWS account) id."))
                .attr(region::resource_attribute())
                .block(
                    NestedBlock::list(
                        "replication_configuration",
                        Block::new("The replication configuration. Without it the registry has no rules.").block(rule),
                    )
                    .max(1),
                ),
        )
    }

    fn docs(&self) -> crate::framework::Docs {
        crate::framework::Docs {
            notes: "## Behaviour

- Create and update put the whole rule list (PutReplicationConfiguration) and read it back.
- Rules changed outside Terraform show as an in-place update; all rules removed outside Terraform
  means the configuration is gone, and the next plan creates it again.
- AWS reordering destinations or filters inside a rule never shows a diff.
- Cross-account destinations need a registry policy in the destination account allowing
  `ecr:ReplicateImage` and `ecr:CreateRepository` from this registry
  (see [`ecr_registry_policy`](ecr_registry_policy.md)).
- Repositories created by replication take their settings from a
  [`ecr_repository_creation_template`](ecr_repository_creation_template.md) with
  `applied_for = [\"REPLICATION\"]` in the destination registry.

Moving from hashicorp/aws: the arguments are the same, so a `moved` block from
`aws_ecr_replication_configuration` (or `terraform import` with the account id) keeps the rules
as they are."
                .into(),
            import: Some(crate::framework::ImportDocs {
                id: "Import with the registry (account) id of the provider's credentials (`<account-id>@<region>` for another region than the provider's).",
                example: "123456789012",
            }),
            ..Default::default()
        }
    }

    fn validate(&self, c: &Model, diags: &mut Diagnostics) {
        region::validate(&c.region, diags);
        let mut out = Problems::default();
        check(c, Registry::default(), &mut out);
        report(out, &AttrPath::root(), diags);
    }

    fn modify_plan(
        &self,
        plan: &mut Plan<Model>,
        provider: Option<&AwsClients>,
        diags: &mut Diagnostics,
    ) {
        region::plan(
            &mut plan.planned.region,
            &plan.config.region,
            plan.prior.as_ref().map(|m| &m.region),
            provider.map(|a| a.region.as_str()),
            &mut plan.requires_replace,
        );
        let registry = registry_of(provider, &plan.planned.region);
        report(
            registry_only(|r, out| check(&plan.config, r, out), registry),
            &AttrPath::root(),
            diags,
        );
        cross::replication_configuration_planned(&plan.siblings, registry.region, diags);
        if let Some(prior) = &plan.prior {
            plan.planned.id = prior.id.clone();
            plan.planned.registry_id = prior.registry_id.clone();
        }
    }

    async fn create(
        &self,
        ctx: &Ctx<AwsClients>,
        plan: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        self.write(ctx, plan, diags).await
    }

    async fn read(
        &self,
        ctx: &Ctx<AwsClients>,
        state: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let aws = ctx.provider.in_region(state.region.str());
        match io::get(&aws).await {
            Ok(remote) => {
                if remote.rules.is_empty() && !rule_blocks(&state).is_empty() {
                    tracing::info!("replication rules removed outside Terraform; removing the configuration from state");
                    return None;
                }
                let mut m = apply_remote(state, remote);
                region::read(&mut m.region, &aws.region);
                Some(m)
            }
            Err(e) => {
                diags.error("Reading the replication configuration failed", e);
                None
            }
        }
    }

    async fn update(
        &self,
        ctx: &Ctx<AwsClients>,
        prior: Model,
        plan: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        self.write(ctx, plan, diags).await.or(Some(prior))
    }

    async fn delete(&self, ctx: &Ctx<AwsClients>, state: Model, diags: &mut Diagnostics) {
        let aws = ctx.provider.in_region(state.region.str());
        let _guard = io::lock(&aws).await;
        if let Err(e) = io::put(&aws, &[]).await {
            diags.error("Removing the replication rules failed", e);
        }
    }

    async fn import(
        &self,
        ctx: &Ctx<AwsClients>,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let (id, in_region) = region::split_import_id(id);
        if !is_account_id(id) {
            diags.error(
                "Invalid import id",
                format!("{id:?} is not a registry id (12 digits). Import with: terraform import ecr_replication_configuration.NAME <account-id> (or <account-id>@<region>)"),
            );
            return None;
        }
        match io::get(&ctx.provider.in_region(in_region)).await {
            Ok(remote) if remote.registry_id.as_deref().is_some_and(|r| r != id) => {
                diags.error(
                    "Import id is not this provider's registry",
                    format!("The provider is configured for registry {}, not {id}. A replication configuration can only be managed with credentials of its own account.", remote.registry_id.unwrap_or_default()),
                );
                None
            }
            Ok(_) => Some(Model {
                id: Val::of(id),
                registry_id: Val::of(id),
                region: in_region.map_or(Val::Null, Val::of),
                ..Default::default()
            }),
            Err(e) => {
                diags.error("Reading the replication configuration failed", e);
                None
            }
        }
    }
}

impl EcrReplicationConfiguration {
    async fn write(
        &self,
        ctx: &Ctx<AwsClients>,
        plan: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let Some(rules) = known_rules(&plan) else {
            diags.error(
                "Replication rules not known",
                "The rules still have unknown values at apply time. This is a bug in the provider.",
            );
            return None;
        };
        let aws = ctx.provider.in_region(plan.region.str());
        let _guard = io::lock(&aws).await;
        if let Err(e) = io::put(&aws, &rules).await {
            diags.error("Putting the replication configuration failed", e);
            return None;
        }
        match io::get(&aws).await {
            Ok(remote) => Some(apply_remote(plan, remote)),
            Err(e) => {
                diags.warning("Could not read the replication configuration back", e);
                let mut m = plan;
                m.id = aws.account_id.clone().map_or(Val::Null, Val::Known);
                m.registry_id = m.id.clone();
                Some(m)
            }
        }
    }
}

/// State from what AWS holds; rules that AWS only reordered inside keep the prior form.
fn apply_remote(prior: Model, remote: io::Remote) -> Model {
    let prior_rules = known_rules(&prior).unwrap_or_default();
    let rules: Vec<Rule> = remote
        .rules
        .into_iter()
        .enumerate()
        .map(|(i, r)| match prior_rules.get(i) {
            Some(p) => domain::keep_order(p, r),
            None => r,
        })
        .collect();
    let id = remote.registry_id.map(Val::Known).unwrap_or(prior.id);
    let configuration = if rules.is_empty() {
        vec![]
    } else {
        vec![Configuration {
            rule: Val::Known(
                rules
                    .iter()
                    .map(|r| {
                        let (destination, repository_filter) = blocks::blocks(r);
                        RuleBlock {
                            destination,
                            repository_filter,
                        }
                    })
                    .collect(),
            ),
        }]
    };
    Model {
        registry_id: id.clone(),
        id,
        replication_configuration: Val::Known(configuration),
        region: prior.region,
    }
}

// ------------------------------------------------------------------------------------------
// `moved` from hashicorp/aws's aws_ecr_replication_configuration (crate::moves has the translation)

/// This type's state for hashicorp/aws's `aws_ecr_replication_configuration` state `src`; `provider_region` fills a 5.x state's missing region.
fn moved_from_aws(
    src: &crate::moves::Source<'_>,
    provider_region: Option<&str>,
) -> Result<Model, crate::moves::MoveError> {
    let c = crate::moves::registry::replication_configuration(src)?;
    let rules: Vec<RuleBlock> = c
        .rules
        .iter()
        .map(|r| {
            let (destination, repository_filter) = blocks::blocks(&Rule {
                destinations: r
                    .destinations
                    .iter()
                    .map(|(region, registry_id)| domain::Destination {
                        region: region.clone(),
                        registry_id: registry_id.clone(),
                    })
                    .collect(),
                filters: r
                    .filters
                    .iter()
                    .map(|(filter, filter_type)| domain::Filter {
                        filter: filter.clone(),
                        filter_type: filter_type.clone(),
                    })
                    .collect(),
            });
            RuleBlock {
                destination,
                repository_filter,
            }
        })
        .collect();
    let id: Val<String> = c.registry_id.into();
    Ok(Model {
        id: id.clone(),
        registry_id: id,
        replication_configuration: Val::Known(if rules.is_empty() {
            vec![]
        } else {
            vec![Configuration {
                rule: Val::Known(rules),
            }]
        }),
        region: c.region.or(provider_region.map(str::to_string)).into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::Siblings;
    use std::sync::Arc;

    fn model(ids: &[&str]) -> Model {
        let rules = ids
            .iter()
            .map(|id| {
                let (destination, repository_filter) = blocks::blocks(&Rule::parse_id(id).unwrap());
                RuleBlock {
                    destination,
                    repository_filter,
                }
            })
            .collect();
        Model {
            replication_configuration: Val::Known(vec![Configuration {
                rule: Val::Known(rules),
            }]),
            ..Default::default()
        }
    }

    fn plan_with(siblings: Arc<Siblings>, m: Model) -> Plan<Model> {
        Plan {
            prior: None,
            config: m.clone(),
            planned: m,
            requires_replace: vec![],
            siblings,
        }
    }

    #[test]
    fn validation_points_into_the_rule_list() {
        let mut m = model(&[
            "eu-west-1:111122223333|PREFIX_MATCH:a",
            "us-east-1:111122223333",
        ]);
        if let Val::Known(c) = &mut m.replication_configuration {
            if let Val::Known(rules) = &mut c[0].rule {
                if let Val::Known(d) = &mut rules[1].destination {
                    d[0].registry_id = Val::of("12");
                }
            }
        }
        let mut d = Diagnostics::new();
        EcrReplicationConfiguration.validate(&m, &mut d);
        let paths: Vec<String> =
            d.0.iter()
                .map(|x| x.attribute.as_ref().unwrap().to_string())
                .collect();
        assert_eq!(
            paths,
            [
                "replication_configuration[0].rule[0].repository_filter[0].filter",
                "replication_configuration[0].rule[1].destination[0].registry_id"
            ]
        );
        assert!(d.has_errors());
    }

    #[test]
    fn a_rule_resource_beside_it_fails_the_plan_either_order() {
        let siblings = Arc::new(Siblings::default());
        siblings.record::<cross::ReplicationRule>(cross::REGISTRY, "eu-west-1:111122223333".into());
        let mut d = Diagnostics::new();
        EcrReplicationConfiguration.modify_plan(
            &mut plan_with(siblings.clone(), model(&["eu-west-2:111122223333"])),
            None,
            &mut d,
        );
        assert!(d.has_errors());
        assert!(d.0[0].detail.contains("eu-west-1:111122223333"));
        assert!(
            !siblings
                .seen::<cross::ReplicationConfiguration>(cross::REGISTRY)
                .is_empty(),
            "recorded for rules planned later"
        );
        let mut d = Diagnostics::new();
        EcrReplicationConfiguration.modify_plan(
            &mut plan_with(
                Arc::new(Siblings::default()),
                model(&["eu-west-2:111122223333"]),
            ),
            None,
            &mut d,
        );
        assert!(d.is_empty());
    }

    #[test]
    fn the_registry_is_the_resources_own_region() {
        // A rule resource of us-east-1's registry does not clash with eu-west-1's configuration.
        let siblings = Arc::new(Siblings::default());
        let mut d = Diagnostics::new();
        cross::replication_rule_planned(
            &siblings,
            Some("us-east-1"),
            Some("eu-west-2:111122223333"),
            &mut d,
        );
        let mut m = model(&["eu-west-1:111122223333"]);
        m.region = Val::of("eu-west-1");
        let mut p = plan_with(siblings.clone(), m.clone());
        EcrReplicationConfiguration.modify_plan(&mut p, None, &mut d);
        assert!(!d.has_errors(), "{d:?}");
        assert_eq!(p.planned.region, Val::of("eu-west-1"));
        // In us-east-1 it clashes.
        let mut other = m;
        other.region = Val::of("us-east-1");
        EcrReplicationConfiguration.modify_plan(&mut plan_with(siblings, other), None, &mut d);
        assert!(d.has_errors());
        // A destination in the resource's own region (same account) is the registry itself.
        let registry = registry_of(None, &p.planned.region);
        let own = Registry {
            account: Some("111122223333"),
            ..registry
        };
        let only = registry_only(|r, out| check(&p.config, r, out), own);
        assert_eq!(
            only.paths(),
            ["replication_configuration[0].rule[0].destination[0]"]
        );
    }

    #[test]
    fn changing_region_replaces() {
        let mut prior = model(&["eu-west-2:111122223333"]);
        prior.region = Val::of("eu-west-1");
        let mut config = prior.clone();
        config.region = Val::of("eu-central-1");
        let mut p = plan_with(Arc::new(Siblings::default()), config);
        p.prior = Some(prior.clone());
        let mut d = Diagnostics::new();
        EcrReplicationConfiguration.modify_plan(&mut p, None, &mut d);
        assert_eq!(p.requires_replace, [AttrPath::attr("region")]);
        let mut same = plan_with(Arc::new(Siblings::default()), prior.clone());
        same.prior = Some(prior);
        EcrReplicationConfiguration.modify_plan(&mut same, None, &mut d);
        assert!(same.requires_replace.is_empty());
    }

    #[test]
    fn reordered_destinations_keep_the_prior_form_and_changes_show() {
        let prior = model(&["eu-west-2:111122223333+eu-west-1:111122223333"]);
        let remote = io::Remote {
            registry_id: Some("111122223333".into()),
            rules: vec![Rule::parse_id("eu-west-1:111122223333+eu-west-2:111122223333").unwrap()],
        };
        let m = apply_remote(prior.clone(), remote);
        assert_eq!(m.replication_configuration, prior.replication_configuration);
        assert_eq!(m.id.str(), Some("111122223333"));
        let changed = io::Remote {
            registry_id: None,
            rules: vec![Rule::parse_id("eu-west-3:111122223333").unwrap()],
        };
        let m = apply_remote(prior, changed);
        assert_eq!(known_rules(&m).unwrap()[0].id(), "eu-west-3:111122223333");
    }

    #[test]
    fn self_destination_is_reported_once_at_plan() {
        let registry = Registry {
            region: Some("eu-west-1"),
            account: Some("111122223333"),
        };
        let m = model(&["eu-west-1:111122223333"]);
        let only = registry_only(|r, out| check(&m, r, out), registry);
        assert_eq!(
            only.paths(),
            ["replication_configuration[0].rule[0].destination[0]"]
        );
    }
}
