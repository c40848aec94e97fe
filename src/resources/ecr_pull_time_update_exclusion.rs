//! `ecr_pull_time_update_exclusion`: an IAM principal whose image pulls do not update the
//! images' last recorded pull time (so scanners and replicators do not keep old images "in use"
//! for `sinceImagePulled` lifecycle rules). As hashicorp/aws's type; no update: a new principal
//! replaces it.

use serde::{Deserialize, Serialize};

use aws_sdk_ecr::operation::deregister_pull_time_update_exclusion::DeregisterPullTimeUpdateExclusionError;
use aws_sdk_ecr::operation::register_pull_time_update_exclusion::RegisterPullTimeUpdateExclusionError;

use super::identity;
use crate::aws::errors::{is, text};
use crate::aws::AwsClients;
use crate::framework::IdentitySchema;
use crate::framework::{AttrPath, Attribute, Block, Ctx, Diagnostics, Plan, Resource, Schema, Val};
use crate::registry::{pull_time, Problems};
use crate::shared::region;
use crate::shared::registry::{registry_of, registry_only, report};

pub struct EcrPullTimeUpdateExclusion;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Model {
    pub id: Val<String>,
    pub principal_arn: Val<String>,
    pub region: Val<String>,
}

/// The identity (`import { identity = { … } }`, Terraform ≥ 1.12).
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Identity {
    pub account_id: Val<String>,
    pub region: Val<String>,
    pub principal_arn: Val<String>,
}

#[async_trait::async_trait]
impl Resource for EcrPullTimeUpdateExclusion {
    type Model = Model;
    type Provider = AwsClients;
    type Identity = Identity;

    fn type_name(&self) -> &'static str {
        "ecr_pull_time_update_exclusion"
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
        identity::regional(&[("principal_arn", "ARN of the excluded IAM role or user.")])
    }

    fn identity(&self, m: &Model, aws: &AwsClients) -> Identity {
        Identity {
            account_id: identity::account(&Val::Null, aws),
            region: identity::region(&m.region, aws),
            principal_arn: m.principal_arn.clone(),
        }
    }

    fn import_id(&self, i: &Identity, aws: &AwsClients, diags: &mut Diagnostics) -> Option<String> {
        if !identity::check_scope(&i.account_id, None, aws, diags) {
            return None;
        }
        let arn = identity::required(&i.principal_arn, "principal_arn", diags).map(str::to_string);
        identity::in_region(arn, &i.region, aws)
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new(format!("Excludes an IAM principal from pull-time recording: ECR does not update an image's last recorded pull time when this principal pulls it. Use it for scanners, replicators and caches, so that their pulls do not keep images alive under `sinceImagePulled` lifecycle rules.\n\nA registry holds at most {} exclusions.", pull_time::MAX_EXCLUSIONS))
                .attr(Attribute::string("id").computed().use_state_for_unknown().description("The principal ARN."))
                .attr(region::resource_attribute())
                .attr(Attribute::string("principal_arn").required().requires_replace().description("ARN of an IAM role or user (`arn:aws:iam::<account>:role/<name>` or `:user/<name>`, at most 200 characters); STS session ARNs are refused.")),
        )
    }

    fn docs(&self) -> crate::framework::Docs {
        crate::framework::Docs {
            notes: "## Behaviour\n\n- An exclusion deregistered outside Terraform is removed from state, and the next plan registers it again.\n- Registering a principal that is already excluded fails with the `terraform import` command to use.".into(),
            import: Some(crate::framework::ImportDocs { id: "Import with the principal ARN (`<arn>@<region>` for another region than the provider's).", example: "arn:aws:iam::123456789012:role/scanner" }),
            ..Default::default()
        }
    }

    fn validate(&self, c: &Model, diags: &mut Diagnostics) {
        region::validate(&c.region, diags);
        let mut out = Problems::default();
        if let Some(arn) = c.principal_arn.str() {
            pull_time::check_principal(arn, Default::default(), &mut out);
        }
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
        if let Some(arn) = plan.config.principal_arn.str() {
            report(
                registry_only(
                    |r, out| pull_time::check_principal(arn, r, out),
                    registry_of(provider, &plan.planned.region),
                ),
                &AttrPath::root(),
                diags,
            );
        }
        plan.planned.id = plan.planned.principal_arn.clone();
    }

    async fn create(
        &self,
        ctx: &Ctx<AwsClients>,
        plan: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let arn = plan.principal_arn.str().unwrap_or_default().to_string();
        let aws = ctx.provider.in_region(plan.region.str());
        match aws
            .ecr
            .register_pull_time_update_exclusion()
            .principal_arn(&arn)
            .send()
            .await
        {
            Ok(_) => Some(Model {
                id: Val::of(&arn),
                principal_arn: Val::of(&arn),
                region: Val::of(aws.region.as_str()),
            }),
            Err(e)
                if is(
                    &e,
                    RegisterPullTimeUpdateExclusionError::is_exclusion_already_exists_exception,
                ) =>
            {
                diags.attr_error(AttrPath::attr("principal_arn"), "Principal already excluded", format!("{arn} is already excluded from pull-time recording (registered outside this configuration). Import it instead: terraform import <address> {arn}@{}", aws.region));
                None
            }
            Err(e) => {
                diags.attr_error(
                    AttrPath::attr("principal_arn"),
                    format!("Excluding {arn} from pull-time recording failed"),
                    text(&e),
                );
                None
            }
        }
    }

    async fn read(
        &self,
        ctx: &Ctx<AwsClients>,
        state: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let arn = state.principal_arn.str().unwrap_or_default().to_string();
        let aws = ctx.provider.in_region(state.region.str());
        match list(&aws).await {
            Ok(all) if all.contains(&arn) => {
                let mut region = state.region;
                region::read(&mut region, &aws.region);
                Some(Model {
                    id: Val::of(&arn),
                    principal_arn: Val::of(&arn),
                    region,
                })
            }
            Ok(_) => {
                tracing::info!(principal = %arn, "pull-time update exclusion removed outside Terraform; removing it from state");
                None
            }
            Err(e) => {
                diags.error("Listing pull-time update exclusions failed", e);
                None
            }
        }
    }

    async fn update(
        &self,
        _ctx: &Ctx<AwsClients>,
        _prior: Model,
        plan: Model,
        _diags: &mut Diagnostics,
    ) -> Option<Model> {
        // Every argument forces replacement; nothing to change in place.
        Some(plan)
    }

    async fn delete(&self, ctx: &Ctx<AwsClients>, state: Model, diags: &mut Diagnostics) {
        let arn = state.principal_arn.str().unwrap_or_default();
        match ctx
            .provider
            .in_region(state.region.str())
            .ecr
            .deregister_pull_time_update_exclusion()
            .principal_arn(arn)
            .send()
            .await
        {
            Ok(_) => {}
            Err(e)
                if is(
                    &e,
                    DeregisterPullTimeUpdateExclusionError::is_exclusion_not_found_exception,
                ) => {}
            Err(e) => diags.error(
                format!("Removing the pull-time update exclusion of {arn} failed"),
                text(&e),
            ),
        }
    }

    async fn import(
        &self,
        _ctx: &Ctx<AwsClients>,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let (id, in_region) = region::split_import_id(id);
        let mut out = Problems::default();
        pull_time::check_principal(id, Default::default(), &mut out);
        if let Some(p) = out.0.into_iter().find(|p| p.error) {
            diags.error("Invalid import id", p.detail);
            return None;
        }
        Some(Model {
            id: Val::of(id),
            principal_arn: Val::of(id),
            region: in_region.map_or(Val::Null, Val::of),
        })
    }
}

/// Every excluded principal (ListPullTimeUpdateExclusions, all pages).
async fn list(aws: &AwsClients) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = aws
            .ecr
            .list_pull_time_update_exclusions()
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| text(&e))?;
        out.extend(page.pull_time_update_exclusions().iter().cloned());
        match page.next_token() {
            Some(t) if !t.is_empty() && Some(t) != token.as_deref() => token = Some(t.to_string()),
            _ => return Ok(out),
        }
    }
}

// ------------------------------------------------------------------------------------------
// `moved` from hashicorp/aws's aws_ecr_pull_time_update_exclusion (crate::moves has the translation)

/// This type's state for hashicorp/aws's `aws_ecr_pull_time_update_exclusion` state `src`; `provider_region` fills a missing region.
fn moved_from_aws(
    src: &crate::moves::Source<'_>,
    provider_region: Option<&str>,
) -> Result<Model, crate::moves::MoveError> {
    let x = crate::moves::registry::pull_time_update_exclusion(src)?;
    Ok(Model {
        id: Val::of(&x.principal_arn),
        principal_arn: Val::of(x.principal_arn),
        region: x.region.or(provider_region.map(str::to_string)).into(),
    })
}
