//! `ecr_replication_rule`: one rule of the registry's replication configuration. Several rules —
//! and rules written by other tools — share the configuration: each apply reads the rule list,
//! replaces or adds only this rule (every other rule keeps its content and position, see
//! `registry::replication::upsert`), writes it back and reads it again to verify. Rules of one
//! registry are serialised inside the provider (`aws::replication::lock`).

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::cross;
use super::identity;
use crate::aws::replication as io;
use crate::aws::AwsClients;
use crate::framework::IdentitySchema;
use crate::framework::{AttrPath, Attribute, Block, Ctx, Diagnostics, Plan, Resource, Schema, Val};
use crate::registry::replication::{self as domain, Rule};
use crate::registry::{Problems, Registry};
use crate::shared::region;
use crate::shared::registry::{registry_of, registry_only, report};
use crate::shared::replication::{self as blocks, Destination, Filter};

pub struct EcrReplicationRule;

/// Read → modify → write → verify attempts before giving up on a configuration that keeps
/// changing under us (another tool writing it at the same time).
const ATTEMPTS: usize = 6;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Model {
    pub id: Val<String>,
    pub registry_id: Val<String>,
    pub destination: Val<Vec<Destination>>,
    pub repository_filter: Val<Vec<Filter>>,
    pub region: Val<String>,
}

fn rule_of(m: &Model) -> Option<Rule> {
    blocks::known_rule(&m.destination, &m.repository_filter)
}

fn check(m: &Model, registry: Registry, out: &mut Problems) {
    domain::check_rule(
        &blocks::spec(&m.destination, &m.repository_filter),
        registry,
        &[],
        out,
    );
}

/// The identity (`import { identity = { … } }`, Terraform ≥ 1.12).
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Identity {
    pub account_id: Val<String>,
    pub region: Val<String>,
    pub rule: Val<String>,
}

#[async_trait::async_trait]
impl Resource for EcrReplicationRule {
    type Model = Model;
    type Provider = AwsClients;
    type Identity = Identity;

    fn type_name(&self) -> &'static str {
        "ecr_replication_rule"
    }

    fn identity_schema(&self) -> IdentitySchema {
        identity::regional(&[("rule", "The rule's `id` when it was created or imported (a rule has no name in AWS: after an update of its destinations or filters, import by the new `id`).")])
    }

    fn identity(&self, m: &Model, aws: &AwsClients) -> Identity {
        Identity {
            account_id: identity::account(&m.registry_id, aws),
            region: identity::region(&m.region, aws),
            rule: m.id.clone(),
        }
    }

    fn import_id(&self, i: &Identity, aws: &AwsClients, diags: &mut Diagnostics) -> Option<String> {
        if !identity::check_scope(&i.account_id, None, aws, diags) {
            return None;
        }
        let rule = identity::required(&i.rule, "rule", diags).map(str::to_string);
        identity::in_region(rule, &i.region, aws)
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new("**One rule** of the registry's replication configuration: images pushed to repositories matching its filters are copied to each destination.\n\nAny number of these — and rules written by other tools or other Terraform states — share the registry's configuration: each only ever adds, changes or removes its own rule and keeps every other rule as it is. Use it when different stacks own different rules (hashicorp/aws has only the whole-configuration resource; [`ecr_replication_configuration`](ecr_replication_configuration.md) is its equivalent here). The two in one configuration fail at plan, and so do two `ecr_replication_rule` with the same destinations and filters.\n\nA rule has no name in AWS: this resource finds its rule by its destinations and filters (their order does not matter). A rule edited outside Terraform is therefore seen as removed, and the next plan adds it again.")
                .attr(Attribute::string("id").computed().description("The rule's destinations and filters as text, sorted: `<region>:<registry_id>[+…]` then `|PREFIX_MATCH:<filter>[+…]` when it has filters. Changes when the rule does."))
                .attr(Attribute::string("registry_id").computed().use_state_for_unknown().description("The registry (AWS account) id holding the configuration."))
                .attr(region::resource_attribute())
                .block(blocks::destination_block())
                .block(blocks::filter_block()),
        )
    }

    fn docs(&self) -> crate::framework::Docs {
        crate::framework::Docs {
            notes: format!("## Behaviour

- **Create** reads the registry's rules, appends this rule (or finds it already there), writes the
  list back and reads it again to verify. **Update** replaces the old rule at its position.
  **Delete** removes only this rule. Every other rule keeps its content and position.
- **Parallel applies are safe**: Terraform applies up to 10 resources at once; rules of one
  registry are serialised inside the provider, so no update is lost. A writer outside Terraform
  that changes the configuration between our read and write is detected by the verifying read and
  the edit is retried (up to {ATTEMPTS} times).
- A registry holds at most {} rules; adding one more fails at apply with the count.
- **Drift**: a rule removed (or edited) outside Terraform is removed from state and planned
  for creation again.", domain::MAX_RULES).into(),
            import: Some(crate::framework::ImportDocs {
                id: "Import with the rule's `id` (destinations, then filters: `eu-west-1:111122223333+us-west-2:111122223333|PREFIX_MATCH:prod`) or with its position in the registry's rule list (`0` for the first rule, as `aws ecr describe-registry` lists them); either followed by `@<region>` for another region than the provider's.",
                example: "eu-west-1:111122223333|PREFIX_MATCH:prod",
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
        let rule = rule_of(&plan.planned);
        cross::replication_rule_planned(
            &plan.siblings,
            registry.region,
            rule.as_ref().map(Rule::id).as_deref(),
            diags,
        );
        let p = &mut plan.planned;
        p.id = rule.map_or(Val::Unknown, |r| Val::of(r.id()));
        if let Some(prior) = &plan.prior {
            p.registry_id = prior.registry_id.clone();
            if prior.id == p.id {
                // Same rule, maybe written in another order: keep what state holds.
                p.destination = prior.destination.clone();
                p.repository_filter = prior.repository_filter.clone();
            }
        }
    }

    async fn create(
        &self,
        ctx: &Ctx<AwsClients>,
        plan: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        self.write(ctx, None, plan, diags).await
    }

    async fn read(
        &self,
        ctx: &Ctx<AwsClients>,
        state: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let Some(rule) = rule_of(&state) else {
            diags.error(
                "Cannot read the replication rule",
                "The state holds no complete rule. This is a bug in the provider.",
            );
            return None;
        };
        let aws = ctx.provider.in_region(state.region.str());
        match io::get(&aws).await {
            Ok(remote) => match domain::position(&remote.rules, &rule) {
                Some(i) => {
                    let mut m = finish(state, &rule, remote.rules[i].clone(), remote.registry_id);
                    region::read(&mut m.region, &aws.region);
                    Some(m)
                }
                None => {
                    tracing::info!(rule = %rule.id(), "replication rule removed outside Terraform; removing it from state");
                    None
                }
            },
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
        self.write(ctx, Some(prior.clone()), plan, diags)
            .await
            .or(Some(prior))
    }

    async fn delete(&self, ctx: &Ctx<AwsClients>, state: Model, diags: &mut Diagnostics) {
        let Some(rule) = rule_of(&state) else { return };
        let aws = &*ctx.provider.in_region(state.region.str());
        let _guard = io::lock(aws).await;
        for attempt in 0..ATTEMPTS {
            let remote = match io::get(aws).await {
                Ok(r) => r,
                Err(e) => return diags.error("Reading the replication configuration failed", e),
            };
            let Some(next) = domain::remove(&remote.rules, &rule) else {
                return;
            };
            if let Err(e) = io::put(aws, &next).await {
                return diags.error(format!("Removing replication rule {} failed", rule.id()), e);
            }
            match io::get(aws).await {
                Ok(r) if domain::position(&r.rules, &rule).is_none() => return,
                Ok(_) => {
                    tracing::warn!(rule = %rule.id(), attempt, "rule still present after removal (concurrent writer?); retrying")
                }
                Err(e) => {
                    return diags.warning("Could not verify the replication configuration", e)
                }
            }
            if !ctx.stop.sleep(backoff(attempt)).await {
                break;
            }
        }
        diags.error(
            format!("Replication rule {} keeps reappearing", rule.id()),
            "Another tool seems to write the registry's replication configuration at the same time. Stop it and run terraform destroy again.",
        );
    }

    async fn import(
        &self,
        ctx: &Ctx<AwsClients>,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let (id, in_region) = region::split_import_id(id);
        let rule = if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
            let remote = match io::get(&ctx.provider.in_region(in_region)).await {
                Ok(r) => r,
                Err(e) => {
                    diags.error("Reading the replication configuration failed", e);
                    return None;
                }
            };
            let i: usize = id.parse().unwrap_or(usize::MAX);
            match remote.rules.get(i) {
                Some(r) => r.clone(),
                None => {
                    diags.error("No such replication rule", format!("The registry has {} replication rules; there is no rule {id} (positions start at 0).", remote.rules.len()));
                    return None;
                }
            }
        } else {
            match Rule::parse_id(id) {
                Ok(r) => r,
                Err(e) => {
                    diags.error("Invalid import id", format!("{e}. Or import by position: terraform import ecr_replication_rule.NAME 0"));
                    return None;
                }
            }
        };
        let (destination, repository_filter) = blocks::blocks(&rule);
        Some(Model {
            id: Val::of(rule.id()),
            registry_id: Val::Null,
            destination,
            repository_filter,
            region: in_region.map_or(Val::Null, Val::of),
        })
    }
}

impl EcrReplicationRule {
    /// Create or update: read-modify-write the rule list under the registry lock, verify, retry
    /// when another writer got in between.
    async fn write(
        &self,
        ctx: &Ctx<AwsClients>,
        prior: Option<Model>,
        plan: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let aws = &*ctx.provider.in_region(plan.region.str());
        let Some(rule) = rule_of(&plan) else {
            diags.error(
                "Replication rule not known",
                "The rule still has unknown values at apply time. This is a bug in the provider.",
            );
            return None;
        };
        let old = prior.as_ref().and_then(rule_of);
        let _guard = io::lock(aws).await;
        let mut written = false;
        for attempt in 0..ATTEMPTS {
            let remote = match io::get(aws).await {
                Ok(r) => r,
                Err(e) => {
                    diags.error("Reading the replication configuration failed", e);
                    return None;
                }
            };
            if attempt == 0 {
                // The account is known now even when the provider skipped credential validation.
                let registry = Registry {
                    region: Some(&aws.region),
                    account: remote.registry_id.as_deref(),
                };
                let mut out = Problems::default();
                domain::check_rule(
                    &blocks::spec(&plan.destination, &plan.repository_filter),
                    registry,
                    &[],
                    &mut out,
                );
                out.0.retain(|p| p.error);
                if out.has_errors() {
                    report(out, &AttrPath::root(), diags);
                    return None;
                }
            }
            let next = match domain::upsert(&remote.rules, old.as_ref(), &rule) {
                Ok(n) => n,
                Err(e) => {
                    diags.attr_error(
                        AttrPath::attr("destination"),
                        "Too many replication rules",
                        e,
                    );
                    return None;
                }
            };
            if next != remote.rules {
                if let Err(e) = io::put(aws, &next).await {
                    diags.error(format!("Writing replication rule {} failed", rule.id()), e);
                    return None;
                }
                written = true;
            }
            match io::get(aws).await {
                Ok(r) => {
                    if let Some(i) = domain::position(&r.rules, &rule) {
                        return Some(finish(
                            plan.clone(),
                            &rule,
                            r.rules[i].clone(),
                            r.registry_id,
                        ));
                    }
                    tracing::warn!(rule = %rule.id(), attempt, "rule missing after write (concurrent writer?); retrying");
                }
                Err(e) => {
                    diags.warning("Could not verify the replication configuration", e);
                    return Some(finish(
                        plan.clone(),
                        &rule,
                        rule.clone(),
                        remote.registry_id,
                    ));
                }
            }
            if !ctx.stop.sleep(backoff(attempt)).await {
                break;
            }
        }
        diags.error(
            format!("Replication rule {} could not be kept", rule.id()),
            format!("The rule was written {} but a re-read did not find it {ATTEMPTS} times: another tool is overwriting the registry's replication configuration at the same time. Stop it (or manage every rule with Terraform) and apply again.", if written { "at least once" } else { "never" }),
        );
        written.then(|| finish(plan, &rule, rule.clone(), None))
    }
}

/// State for `rule` as AWS holds it (`remote`), in the planned form when only the order differs.
fn finish(state: Model, planned: &Rule, remote: Rule, registry_id: Option<String>) -> Model {
    let rule = domain::keep_order(planned, remote);
    let (destination, repository_filter) = if rule == *planned {
        (state.destination.clone(), state.repository_filter.clone())
    } else {
        blocks::blocks(&rule)
    };
    Model {
        id: Val::of(rule.id()),
        registry_id: registry_id.map(Val::Known).unwrap_or(state.registry_id),
        destination,
        repository_filter,
        region: state.region,
    }
}

fn backoff(attempt: usize) -> Duration {
    // Spread retries of competing writers apart.
    let jitter = (std::process::id() as u64 * 37 + attempt as u64 * 101) % 400;
    Duration::from_millis(300 * (1 << attempt.min(4)) as u64 + jitter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::Siblings;
    use std::sync::Arc;

    fn model(id: &str) -> Model {
        let (destination, repository_filter) = blocks::blocks(&Rule::parse_id(id).unwrap());
        Model {
            destination,
            repository_filter,
            ..Default::default()
        }
    }

    fn plan(siblings: &Arc<Siblings>, m: Model) -> (Plan<Model>, Diagnostics) {
        let mut p = Plan {
            prior: None,
            config: m.clone(),
            planned: m,
            requires_replace: vec![],
            siblings: siblings.clone(),
        };
        let mut d = Diagnostics::new();
        EcrReplicationRule.modify_plan(&mut p, None, &mut d);
        (p, d)
    }

    #[test]
    fn plan_sets_the_id_and_catches_twins_and_whole_configurations() {
        let siblings = Arc::new(Siblings::default());
        let (p, d) = plan(
            &siblings,
            model("eu-west-2:111122223333+eu-west-1:111122223333"),
        );
        assert!(d.is_empty());
        assert_eq!(
            p.planned.id.str(),
            Some("eu-west-1:111122223333+eu-west-2:111122223333")
        );
        let (_, d) = plan(&siblings, model("eu-west-3:111122223333"));
        assert!(d.is_empty(), "another rule is fine");
        let (_, d) = plan(
            &siblings,
            model("eu-west-1:111122223333+eu-west-2:111122223333"),
        );
        assert_eq!(d.0[0].summary, "Replication rule managed twice");
        siblings.record::<cross::ReplicationConfiguration>(cross::REGISTRY, ());
        let (_, d) = plan(&siblings, model("eu-west-1:444455556666"));
        assert_eq!(d.0[0].summary, "Replication configuration managed twice");
    }

    #[test]
    fn unknown_values_leave_the_id_unknown() {
        let mut m = model("eu-west-1:111122223333");
        m.repository_filter = Val::Unknown;
        let (p, d) = plan(&Arc::new(Siblings::default()), m);
        assert!(d.is_empty());
        assert!(p.planned.id.is_unknown());
    }

    #[test]
    fn finish_keeps_the_configured_order() {
        let state = model("eu-west-2:111122223333+eu-west-1:111122223333");
        let planned = rule_of(&state).unwrap();
        let remote = Rule::parse_id("eu-west-1:111122223333+eu-west-2:111122223333").unwrap();
        let m = finish(state.clone(), &planned, remote, Some("111122223333".into()));
        assert_eq!(m.destination, state.destination);
        assert_eq!(m.registry_id.str(), Some("111122223333"));
    }
}
