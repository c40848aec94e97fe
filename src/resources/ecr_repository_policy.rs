//! `ecr_repository_policy`: the whole policy document of one repository.

use serde::{Deserialize, Serialize};

use super::cross;
use super::identity;
use crate::aws::repository_policy::{self as io, SetError};
use crate::aws::AwsClients;
use crate::framework::IdentitySchema;
use crate::framework::{
    import, validate, AttrPath, Attribute, Block, Ctx, Diagnostics, Plan, Resource, Schema, Val,
};
use crate::policy::{self, Kind};
use crate::repository;
use crate::shared::policy_text::{check_policy, policy_posture};
use crate::shared::posture;
use crate::shared::region;
use crate::shared::validators::RepositoryName;

pub struct EcrRepositoryPolicy;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Model {
    pub id: Val<String>,
    pub repository: Val<String>,
    pub policy: Val<String>,
    pub registry_id: Val<String>,
    pub posture_ignore: Val<Vec<String>>,
    pub region: Val<String>,
}

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
impl Resource for EcrRepositoryPolicy {
    type Model = Model;
    type Provider = AwsClients;
    type Identity = Identity;

    fn type_name(&self) -> &'static str {
        "ecr_repository_policy"
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
            Block::new("The whole resource policy of one repository (there is one per repository).\n\nFor grants made from several modules, prefer [`ecr_cross_account_grant`](ecr_cross_account_grant.md) (one statement each); a configuration that has both for the same repository fails at plan time (*Repository policy managed twice*).")
                .attr(Attribute::string("id").computed().description("The repository name."))
                .attr(region::resource_attribute())
                .attr(Attribute::string("repository").required().requires_replace().description("Name of the repository."))
                .attr(Attribute::string("policy").required().semantic_equality(policy::semantically_equal).description("The policy document (JSON, e.g. from `jsonencode`), at most 10 240 characters. Checked at plan time with the same code as `terraform-provider-ecr policy validate`: what AWS refuses is an error (not JSON, no `Statement`, `Effect` other than `Allow`/`Deny`, a statement without `Action` or `Principal`, a principal that cannot name anyone or an IAM user group), anything merely unusual a warning (role-session principals, actions ECR does not know, duplicate Sids); diagnostics quote the JSON path (`Statement[0].Action[1]`). Compared by meaning: key order, whitespace, list order, a single value vs a one-element list, an account id vs `arn:aws:iam::<id>:root`, `\"Principal\": \"*\"` vs `{\"AWS\": \"*\"}`, a missing `Version` vs `2008-10-17`, and the case of actions and condition operators never show a diff."))
                .attr(Attribute::string("registry_id").computed().use_state_for_unknown().description("Account id of the registry holding the repository."))
                .attr(Attribute::string_set("posture_ignore").optional().description("Posture check ids to silence for this policy, e.g. `[\"ECR-P005\"]` (a `*` principal without a restricting condition). See [posture checks](../posture-checks.md).")),
        )
    }

    fn docs(&self) -> crate::framework::Docs {
        crate::framework::Docs {
            notes: "## Behaviour

Principals IAM does not know yet are retried for up to 2 minutes (`Invalid repository policy
provided`, `Principal not found`)."
                .into(),
            import: Some(crate::framework::ImportDocs {
                id: "Import with the repository name.",
                example: "my-org/app",
            }),
            ..Default::default()
        }
    }

    fn validate(&self, c: &Model, diags: &mut Diagnostics) {
        region::validate(&c.region, diags);
        let repo = AttrPath::attr("repository");
        validate::check(diags, &repo, &c.repository, &[&RepositoryName]);
        check_policy(&c.policy, Kind::Repository, "policy", diags);
        posture::validate_ignore(c.posture_ignore.items(), "posture_ignore", diags);
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
        policy_posture(
            &plan.config.policy,
            plan.config.posture_ignore.items(),
            provider.map(|a| a.posture),
            "ecr_repository_policy",
            diags,
        );
        if let Some(repo) = plan.config.repository.str() {
            cross::repository_policy_planned(&plan.siblings, repo, diags);
        }
        // `registry_id` keeps the prior value and `policy` the prior text when it means the
        // same (schema plan rules); a new `repository` replaces the resource.
        plan.planned.id = plan.planned.repository.clone();
    }

    async fn create(
        &self,
        ctx: &Ctx<AwsClients>,
        plan: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        self.put(ctx, plan, diags).await
    }

    async fn read(
        &self,
        ctx: &Ctx<AwsClients>,
        state: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let repo = state
            .repository
            .str()
            .or(state.id.str())
            .unwrap_or_default()
            .to_string();
        let aws = ctx.provider.in_region(state.region.str());
        match io::get(&aws, &repo).await {
            Ok(Some(remote)) => {
                let mut m = state;
                region::read(&mut m.region, &aws.region);
                m.id = Val::of(repo.clone());
                m.repository = Val::of(repo);
                if !m
                    .policy
                    .str()
                    .is_some_and(|p| policy::semantically_equal(p, &remote.text))
                {
                    m.policy = Val::of(remote.text);
                }
                if let Some(r) = remote.registry_id {
                    m.registry_id = Val::of(r);
                }
                Some(m)
            }
            Ok(None) => None,
            Err(e) => {
                diags.error(
                    format!("Reading the policy of repository {repo:?} failed"),
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
        self.put(ctx, plan, diags).await.or(Some(prior))
    }

    async fn delete(&self, ctx: &Ctx<AwsClients>, state: Model, diags: &mut Diagnostics) {
        let repo = state.repository.str().unwrap_or_default().to_string();
        let _guard = io::lock(&repo).await;
        if let Err(e) = io::delete(&ctx.provider.in_region(state.region.str()), &repo).await {
            diags.error(
                format!("Deleting the policy of repository {repo:?} failed"),
                e,
            );
        }
    }

    async fn import(
        &self,
        _ctx: &Ctx<AwsClients>,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        import::passthrough_in_region(
            self.type_name(),
            id,
            &["id", "repository"],
            repository::check_name,
            region::is_region_name,
            "<repository-name>",
            diags,
        )
    }
}

impl EcrRepositoryPolicy {
    async fn put(
        &self,
        ctx: &Ctx<AwsClients>,
        plan: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let repo = plan.repository.str().unwrap_or_default().to_string();
        let text = plan.policy.str().unwrap_or_default().to_string();
        let _guard = io::lock(&repo).await;
        match io::set(
            &ctx.provider.in_region(plan.region.str()),
            &ctx.stop,
            &repo,
            &text,
        )
        .await
        {
            Ok(registry_id) => {
                let mut state = plan;
                state.id = Val::of(repo);
                state.registry_id = registry_id.map(Val::Known).unwrap_or(Val::Null);
                Some(state)
            }
            Err(SetError::RepositoryNotFound(e)) => {
                diags.attr_error(
                    AttrPath::attr("repository"),
                    format!("ECR repository {repo:?} not found"),
                    e,
                );
                None
            }
            Err(SetError::Invalid(e)) => {
                diags.attr_error(
                    AttrPath::attr("policy"),
                    format!("AWS refused the policy of repository {repo:?}"),
                    e,
                );
                None
            }
            Err(SetError::Other(e)) => {
                diags.error(
                    format!("Writing the policy of repository {repo:?} failed"),
                    e,
                );
                None
            }
        }
    }
}

// ------------------------------------------------------------------------------------------
// `moved` from hashicorp/aws's aws_ecr_repository_policy (crate::moves has the translation)

/// This type's state for hashicorp/aws's `aws_ecr_repository_policy` state `src`; `provider_region` fills a 5.x state's missing region.
pub fn moved_from_aws(
    src: &crate::moves::Source<'_>,
    provider_region: Option<&str>,
) -> Result<Model, crate::moves::MoveError> {
    let p = crate::moves::policies::repository_policy(src)?;
    Ok(Model {
        id: Val::of(p.repository.clone()),
        repository: Val::of(p.repository),
        policy: Val::of(p.policy),
        registry_id: p.registry_id.into(),
        posture_ignore: Val::Null,
        region: p.region.or(provider_region.map(str::to_string)).into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_findings_point_at_policy() {
        let m = Model {
            repository: Val::of("app"),
            policy: Val::of(
                r#"{"Statement":[{"Effect":"Permit","Principal":"*","Action":"ecr:Pull"}]}"#,
            ),
            ..Default::default()
        };
        let mut d = Diagnostics::new();
        EcrRepositoryPolicy.validate(&m, &mut d);
        assert!(d.has_errors());
        assert_eq!(d.0[0].attribute, Some(AttrPath::attr("policy")));
        let error =
            d.0.iter()
                .find(|x| x.detail.contains("Statement[0].Effect"))
                .expect("an error at Effect");
        assert_eq!(error.attribute, Some(AttrPath::attr("policy")));
        // An unknown action is a warning on the same attribute.
        assert!(d.0.iter().any(
            |x| x.detail.contains("ecr:Pull") && x.attribute == Some(AttrPath::attr("policy"))
        ));
    }
}
