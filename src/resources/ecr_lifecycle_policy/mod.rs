//! `ecr_lifecycle_policy`: the lifecycle policy of one repository, written as structured `rule`
//! blocks or as JSON text.
//!
//! - every AWS constraint is checked at `terraform validate`/`plan` (via [`crate::lifecycle`]), with
//!   the diagnostic on the offending rule block attribute or on `policy`, instead of failing at
//!   apply time (hashicorp/aws checks only enum values);
//! - a change is an in-place `PutLifecyclePolicy`, never a replacement (no window without a
//!   policy);
//! - comparison is lossless and by meaning ([`lifecycle::canonical`]): formatting, key order, rule
//!   order and written-out defaults never show a diff, every real change does.
//!
//! The rule blocks, the document built from them and its validation are shared with the
//! `ecr_lifecycle_policy_document` data source ([`crate::shared::lifecycle_rules`]). Here: the
//! resource ([`mod@self`]), the configured policy and PutLifecyclePolicy ([`policy`]), what a read
//! makes of AWS's policy ([`reconcile`]), and the page's notes (`docs.md`).

mod moved;
mod policy;
mod reconcile;
#[cfg(test)]
mod tests;

use std::time::Duration;

use aws_sdk_ecr::operation::delete_lifecycle_policy::DeleteLifecyclePolicyError;
use serde::{Deserialize, Serialize};

use self::policy::{policy_for_apply, policy_of, put_policy};
use self::reconcile::reconcile;
use super::common::retry_while_not_found;
use super::cross;
use super::identity;
use crate::aws::errors::{self, is};
use crate::aws::AwsClients;
use crate::framework::IdentitySchema;
use crate::framework::{
    import, validate, AttrPath, Attribute, Block, Ctx, Diagnostics, Plan, Resource, Schema, Val,
};
use crate::lifecycle;
use crate::repository;
use crate::shared::lifecycle_rules::{rule_block, rules_canonical, RuleBlock};
use crate::shared::region;
use crate::shared::validators::RepositoryName;

pub use self::moved::moved_from_aws;

pub struct EcrLifecyclePolicy;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Model {
    pub id: Val<String>,
    pub repository: Val<String>,
    pub registry_id: Val<String>,
    pub policy: Val<String>,
    pub policy_json: Val<String>,
    pub rule: Val<Vec<RuleBlock>>,
    pub region: Val<String>,
}

/// The page's sections beyond the attribute descriptions (see `crate::docs`).
const DOCS_NOTES: &str = include_str!("docs.md");

/// The identity (`import { identity = { … } }`, Terraform ≥ 1.12), as hashicorp/aws names it
/// where it has one: account, region and `repository`.
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Identity {
    pub account_id: Val<String>,
    pub region: Val<String>,
    pub repository: Val<String>,
}

#[async_trait::async_trait]
impl Resource for EcrLifecyclePolicy {
    type Model = Model;
    type Provider = AwsClients;
    type Identity = Identity;

    fn type_name(&self) -> &'static str {
        "ecr_lifecycle_policy"
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
        identity::regional(&[(
            "repository",
            "Name of the repository the policy belongs to.",
        )])
    }

    fn identity(&self, m: &Model, aws: &AwsClients) -> Identity {
        Identity {
            account_id: identity::account(&m.registry_id, aws),
            region: identity::region(&m.region, aws),
            repository: m.repository.clone(),
        }
    }

    fn import_id(&self, i: &Identity, aws: &AwsClients, diags: &mut Diagnostics) -> Option<String> {
        if !identity::check_scope(&i.account_id, None, aws, diags) {
            return None;
        }
        identity::in_region(
            identity::required(&i.repository, "repository", diags).map(str::to_string),
            &i.region,
            aws,
        )
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new("The lifecycle policy of an ECR repository: which images ECR expires (deletes) or transitions to the archive storage class, and when.\n\nWrite the policy either as structured `rule` blocks or as JSON text in `policy`: exactly one of the two. Every AWS constraint is checked at `terraform validate`/`plan`; changes are applied in place; formatting, key order and rule order never show a diff. A repository has a single lifecycle policy: two `ecr_lifecycle_policy` resources for the same repository overwrite each other.")
                .attr(Attribute::string("id").computed().use_state_for_unknown().description("The repository name."))
                .attr(region::resource_attribute())
                .attr(Attribute::string("repository").required().requires_replace().description("Name of the repository the policy belongs to. A repository has one lifecycle policy: two resources for the same repository overwrite each other."))
                .attr(Attribute::string("registry_id").computed().use_state_for_unknown().description("Account id of the registry holding the repository."))
                .attr(Attribute::string("policy").optional().semantic_equality(lifecycle::semantically_equal).description("The policy as JSON text (for example from `file(...)`, `jsonencode(...)` or [`data.ecr_lifecycle_policy_document.x.json`](../data-sources/ecr_lifecycle_policy_document.md)). Conflicts with `rule`. Whitespace, key order, rule order and written-out defaults do not cause diffs."))
                .attr(Attribute::string("policy_json").computed().description("Canonical JSON of the policy as sent to ECR: compact, rules sorted by priority, defaults omitted. Known at plan time when every value of the policy is, so the plan shows the exact policy."))
                .block(rule_block(0)),
        )
    }

    fn docs(&self) -> crate::framework::Docs {
        crate::framework::Docs {
            notes: DOCS_NOTES.into(),
            import: Some(crate::framework::ImportDocs {
                id: "Import with the repository name. Import fills `policy` with the policy text read from ECR; a \
                     configuration in the JSON form then plans no changes. If your configuration uses `rule` blocks, \
                     the first plan after import shows an in-place update that switches the stored form (it puts \
                     the same policy).",
                example: "my-org/app",
            }),
            ..Default::default()
        }
    }

    fn validate(&self, c: &Model, diags: &mut Diagnostics) {
        let repo = AttrPath::attr("repository");
        validate::check(diags, &repo, &c.repository, &[&RepositoryName]);
        region::validate(&c.region, diags);
        if let (Some(canonical), Val::Known(rules)) = (policy_of(c, diags), &c.rule) {
            if !rules.is_empty() {
                moved::record_rule_blocks(&canonical, rules);
            }
        }
    }

    fn modify_plan(
        &self,
        plan: &mut Plan<Model>,
        provider: Option<&AwsClients>,
        _diags: &mut Diagnostics,
    ) {
        region::plan(
            &mut plan.planned.region,
            &plan.config.region,
            plan.prior.as_ref().map(|m| &m.region),
            provider.map(|a| a.region.as_str()),
            &mut plan.requires_replace,
        );
        // Validation already reported its findings through validate(); don't repeat them.
        let mut quiet = Diagnostics::new();
        let canonical = policy_of(&plan.config, &mut quiet);
        // For ecr_repository's ECR-P004 (no lifecycle policy) check, refreshed after this plan.
        if let Some(repo) = plan.config.repository.str() {
            cross::lifecycle_policy_planned(&plan.siblings, repo);
        }
        let p = &mut plan.planned;
        p.policy_json = canonical.clone().map_or(Val::Unknown, Val::Known);
        // `id` and `registry_id` keep the prior value and `policy` keeps the prior text when it
        // means the same (schema plan rules); a new `repository` replaces the resource.
        let Some(prior) = &plan.prior else {
            p.id = p.repository.clone();
            return;
        };
        // A semantically equal configuration keeps what state holds: no diff for formatting.
        if let (Some(prior_json), Some(canon)) = (prior.policy_json.str(), canonical.as_deref()) {
            if lifecycle::semantically_equal(prior_json, canon) {
                p.policy_json = prior.policy_json.clone();
            }
        }
        let c = &plan.config;
        if let (Val::Known(prior_rules), Val::Known(config_rules), Some(canon)) =
            (&prior.rule, &c.rule, canonical.as_deref())
        {
            if !prior_rules.is_empty()
                && rules_canonical(prior_rules).as_deref() == Some(canon)
                && prior_is_valid_plan(prior_rules, config_rules)
            {
                p.rule = prior.rule.clone();
            }
        }
    }

    async fn create(
        &self,
        ctx: &Ctx<AwsClients>,
        plan: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let aws = &ctx.provider.in_region(plan.region.str());
        let repo = plan.repository.str().unwrap_or_default().to_string();
        let text = policy_for_apply(&plan, diags)?;
        let registry_id = match put_policy(aws, &repo, &text, &plan, diags).await {
            Some(id) => id,
            None => return None,
        };
        // From here the policy exists: always return state.
        let mut state = plan.clone();
        state.id = Val::of(repo.clone());
        state.registry_id = registry_id.into();
        state.policy_json = Val::of(text);
        // ECR is eventually consistent: wait until a read sees the policy, so an immediate
        // refresh does not drop it from state.
        match retry_while_not_found(&ctx.stop, Duration::from_secs(120), || aws.lifecycle_policies.get(&repo)).await {
            Ok(Some(remote)) => {
                if state.registry_id.is_null() {
                    state.registry_id = remote.registry_id.into();
                }
            }
            Ok(None) => diags.warning(
                format!("The lifecycle policy of {repo:?} is not visible yet"),
                "PutLifecyclePolicy succeeded but GetLifecyclePolicy kept answering not found for 2 minutes.",
            ),
            Err(e) => diags.warning(format!("Reading the lifecycle policy of {repo:?} after creation failed"), e),
        }
        Some(state)
    }

    async fn read(
        &self,
        ctx: &Ctx<AwsClients>,
        state: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let aws = &ctx.provider.in_region(state.region.str());
        let repo = state
            .repository
            .str()
            .or(state.id.str())
            .unwrap_or_default()
            .to_string();
        let fetched = aws.lifecycle_policies.take_or_get(&repo).await;
        match fetched {
            Ok(Some(remote)) => {
                let mut m = reconcile(state, &repo, remote, diags);
                region::read(&mut m.region, &aws.region);
                Some(m)
            }
            Ok(None) => {
                tracing::info!(repository = %repo, "lifecycle policy no longer exists; removing from state");
                None
            }
            Err(e) => {
                diags.error(
                    format!("Reading the lifecycle policy of {repo:?} failed"),
                    e,
                );
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
        let aws = &ctx.provider.in_region(prior.region.str());
        let repo = plan.repository.str().unwrap_or_default().to_string();
        let Some(text) = policy_for_apply(&plan, diags) else {
            return Some(prior);
        };
        let Some(registry_id) = put_policy(aws, &repo, &text, &plan, diags).await else {
            return Some(prior);
        };
        let mut state = plan;
        state.id = Val::of(repo);
        state.registry_id = registry_id.map(Val::Known).unwrap_or(prior.registry_id);
        if !state
            .policy_json
            .str()
            .is_some_and(|p| lifecycle::semantically_equal(p, &text))
        {
            state.policy_json = Val::of(text);
        }
        Some(state)
    }

    async fn delete(&self, ctx: &Ctx<AwsClients>, state: Model, diags: &mut Diagnostics) {
        let repo = state
            .repository
            .str()
            .or(state.id.str())
            .unwrap_or_default()
            .to_string();
        match ctx
            .provider
            .in_region(state.region.str())
            .ecr
            .delete_lifecycle_policy()
            .repository_name(&repo)
            .send()
            .await
        {
            Ok(_) => {}
            Err(e)
                if is(&e, |k: &DeleteLifecyclePolicyError| {
                    k.is_lifecycle_policy_not_found_exception()
                        || k.is_repository_not_found_exception()
                }) => {}
            Err(e) => diags.error(
                format!("Deleting the lifecycle policy of {repo:?} failed"),
                errors::text(&e),
            ),
        }
    }

    async fn import(
        &self,
        _ctx: &Ctx<AwsClients>,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        // Read fills `policy` with the remote text (the JSON form).
        let m: Model = import::passthrough_in_region(
            self.type_name(),
            id,
            &["id", "repository"],
            repository::check_name,
            region::is_region_name,
            "<repository-name>",
            diags,
        )?;
        Some(Model {
            rule: Val::Known(vec![]),
            ..m
        })
    }
}

/// Whether the prior rule blocks may stand as the planned value for `config`: Terraform accepts
/// a planned value equal to the prior one only where config and prior are both non-null, and
/// block counts must match the configuration.
fn prior_is_valid_plan(prior: &[RuleBlock], config: &[RuleBlock]) -> bool {
    fn same<T>(a: &Val<T>, b: &Val<T>) -> bool {
        a.is_null() == b.is_null() && !a.is_unknown() && !b.is_unknown()
    }
    prior.len() == config.len()
        && prior.iter().zip(config).all(|(p, c)| {
            same(&p.priority, &c.priority)
                && same(&p.description, &c.description)
                && p.selection.items().len() == c.selection.items().len()
                && p.action.items().len() == c.action.items().len()
                && p.selection
                    .items()
                    .iter()
                    .zip(c.selection.items())
                    .all(|(p, c)| {
                        same(&p.tag_status, &c.tag_status)
                            && same(&p.tag_prefix_list, &c.tag_prefix_list)
                            && same(&p.tag_pattern_list, &c.tag_pattern_list)
                            && same(&p.storage_class, &c.storage_class)
                            && same(&p.count_type, &c.count_type)
                            && same(&p.count_unit, &c.count_unit)
                            && same(&p.count_number, &c.count_number)
                    })
                && p.action.items().iter().zip(c.action.items()).all(|(p, c)| {
                    same(&p.r#type, &c.r#type)
                        && same(&p.target_storage_class, &c.target_storage_class)
                })
        })
}
