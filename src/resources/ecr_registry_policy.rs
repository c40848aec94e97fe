//! `ecr_registry_policy`: the registry-wide permissions policy (one per account and region;
//! replication and pull-through cache permissions for other accounts).

use serde::{Deserialize, Serialize};

use aws_sdk_ecr::operation::delete_registry_policy::DeleteRegistryPolicyError;
use aws_sdk_ecr::operation::get_registry_policy::GetRegistryPolicyError;
use aws_sdk_ecr::operation::put_registry_policy::PutRegistryPolicyError;

use super::identity;
use crate::aws::errors::{self, is};
use crate::aws::propagation::{is_principal_propagation, retry_while_propagating};
use crate::aws::AwsClients;
use crate::framework::IdentitySchema;
use crate::framework::{
    import, AttrPath, Attribute, Block, Ctx, Diagnostics, Plan, Resource, Schema, Val,
};
use crate::policy::{self, Kind};
use crate::shared::policy_text::{check_policy, policy_posture};
use crate::shared::posture;
use crate::shared::region;

pub struct EcrRegistryPolicy;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Model {
    pub id: Val<String>,
    pub policy: Val<String>,
    pub registry_id: Val<String>,
    pub posture_ignore: Val<Vec<String>>,
    pub region: Val<String>,
}

/// The identity (`import { identity = { … } }`, Terraform ≥ 1.12): one per account and region.
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Identity {
    pub account_id: Val<String>,
    pub region: Val<String>,
}

#[async_trait::async_trait]
impl Resource for EcrRegistryPolicy {
    type Model = Model;
    type Provider = AwsClients;
    type Identity = Identity;

    fn type_name(&self) -> &'static str {
        "ecr_registry_policy"
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

    fn docs(&self) -> crate::framework::Docs {
        crate::framework::Docs {
            import: Some(crate::framework::ImportDocs {
                id: "Import with the registry (account) id.",
                example: "123456789012",
            }),
            ..Default::default()
        }
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new("The registry permissions policy of the provider's account and region.\n\nIt is a singleton: declare it once per account and region (two resources overwrite each other). It grants other accounts registry-level actions such as `ecr:ReplicateImage`, `ecr:CreateRepository` and `ecr:BatchImportUpstreamImage` (with the default `REGISTRY_POLICY_SCOPE` V1 AWS enforces only those here; V2 allows any ECR action). The policy is validated at plan time like [`ecr_repository_policy`](ecr_repository_policy.md).")
                .attr(Attribute::string("id").computed().use_state_for_unknown().description("The registry (account) id."))
                .attr(region::resource_attribute())
                .attr(Attribute::string("policy").required().semantic_equality(policy::semantically_equal).description("The policy document (JSON), at most 10 240 characters, checked at plan time like `ecr_repository_policy` (errors only for what AWS refuses, warnings for the unusual; `terraform-provider-ecr policy validate --kind registry` runs the same checks) and compared by meaning (no diff for key order, whitespace, list order or the forms AWS rewrites)."))
                .attr(Attribute::string("registry_id").computed().use_state_for_unknown().description("The registry (account) id."))
                .attr(Attribute::string_set("posture_ignore").optional().description("Posture check ids to silence for this policy, e.g. `[\"ECR-P005\"]` (a `*` principal without a restricting condition). See [posture checks](../posture-checks.md).")),
        )
    }

    fn validate(&self, c: &Model, diags: &mut Diagnostics) {
        region::validate(&c.region, diags);
        check_policy(&c.policy, Kind::Registry, "policy", diags);
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
            "ecr_registry_policy",
            diags,
        );
        // `id` and `registry_id` keep the prior value, `policy` the prior text when it means
        // the same (schema plan rules).
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
        let aws = ctx.provider.in_region(state.region.str());
        match aws.ecr.get_registry_policy().send().await {
            Ok(out) => {
                let text = out.policy_text()?;
                let mut m = state;
                region::read(&mut m.region, &aws.region);
                if !m
                    .policy
                    .str()
                    .is_some_and(|p| policy::semantically_equal(p, text))
                {
                    m.policy = Val::of(text);
                }
                if let Some(r) = out.registry_id() {
                    m.registry_id = Val::of(r);
                    m.id = Val::of(r);
                }
                Some(m)
            }
            Err(e)
                if is(
                    &e,
                    GetRegistryPolicyError::is_registry_policy_not_found_exception,
                ) =>
            {
                None
            }
            Err(e) => {
                diags.error("Reading the registry policy failed", errors::text(&e));
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
        let aws = ctx.provider.in_region(state.region.str());
        match aws.ecr.delete_registry_policy().send().await {
            Ok(_) => {}
            Err(e)
                if is(
                    &e,
                    DeleteRegistryPolicyError::is_registry_policy_not_found_exception,
                ) => {}
            Err(e) => diags.error("Deleting the registry policy failed", errors::text(&e)),
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
            &["id", "registry_id"],
            |id| {
                let account = id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit());
                (!account).then(|| "a registry (account) id has 12 digits".to_string())
            },
            region::is_region_name,
            "123456789012",
            diags,
        )
    }
}

impl EcrRegistryPolicy {
    async fn put(
        &self,
        ctx: &Ctx<AwsClients>,
        plan: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let text = plan.policy.str().unwrap_or_default().to_string();
        let aws = ctx.provider.in_region(plan.region.str());
        let sent = retry_while_propagating(
            &ctx.stop,
            "registry policy",
            || aws.ecr.put_registry_policy().policy_text(&text).send(),
            |e| {
                is(e, PutRegistryPolicyError::is_invalid_parameter_exception)
                    && is_principal_propagation(&errors::text(e))
            },
        )
        .await;
        match sent {
            Ok(out) => {
                let mut state = plan;
                let id: Val<String> = out.registry_id().map(str::to_string).into();
                state.id = id.clone();
                state.registry_id = id;
                Some(state)
            }
            Err(gave_up) => {
                diags.attr_error(
                    AttrPath::attr("policy"),
                    "Putting the registry policy failed",
                    errors::text(&gave_up.error),
                );
                None
            }
        }
    }
}

// ------------------------------------------------------------------------------------------
// `moved` from hashicorp/aws's aws_ecr_registry_policy (crate::moves has the translation)

/// This type's state for hashicorp/aws's `aws_ecr_registry_policy` state `src`; `provider_region` fills a 5.x state's missing region.
pub fn moved_from_aws(
    src: &crate::moves::Source<'_>,
    provider_region: Option<&str>,
) -> Result<Model, crate::moves::MoveError> {
    let p = crate::moves::policies::registry_policy(src)?;
    let id: Val<String> = p.registry_id.into();
    Ok(Model {
        id: id.clone(),
        policy: Val::of(p.policy),
        registry_id: id,
        posture_ignore: Val::Null,
        region: p.region.or(provider_region.map(str::to_string)).into(),
    })
}
