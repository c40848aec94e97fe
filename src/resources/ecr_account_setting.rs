//! `ecr_account_setting`: one registry account setting (basic scan type version, registry policy
//! scope, blob mounting), as hashicorp/aws's `aws_ecr_account_setting`. Destroy puts AWS's
//! default back (hashicorp/aws leaves the value as it was).

use serde::{Deserialize, Serialize};

use super::identity;
use crate::aws::errors::text;
use crate::aws::AwsClients;
use crate::framework::IdentitySchema;
use crate::framework::{AttrPath, Attribute, Block, Ctx, Diagnostics, Plan, Resource, Schema, Val};
use crate::registry::account_setting::{self as domain, SETTINGS};
use crate::registry::Problems;
use crate::shared::region;
use crate::shared::registry::report;

pub struct EcrAccountSetting;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Model {
    pub id: Val<String>,
    pub name: Val<String>,
    pub value: Val<String>,
    pub region: Val<String>,
}

fn settings_table() -> String {
    let mut s = String::from(
        "| `name` | `value` | default (restored on destroy) | what it sets |\n|---|---|---|---|\n",
    );
    for x in SETTINGS {
        let mut values: Vec<String> = x.values.iter().map(|v| format!("`{v}`")).collect();
        values.extend(
            x.legacy
                .iter()
                .map(|(v, _)| format!("`{v}` (legacy, warns)")),
        );
        s.push_str(&format!(
            "| `{}` | {} | `{}` | {} |\n",
            x.name,
            values.join(", "),
            x.default,
            x.about
        ));
    }
    s
}

/// The identity (`import { identity = { … } }`, Terraform ≥ 1.12).
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Identity {
    pub account_id: Val<String>,
    pub region: Val<String>,
    pub name: Val<String>,
}

#[async_trait::async_trait]
impl Resource for EcrAccountSetting {
    type Model = Model;
    type Provider = AwsClients;
    type Identity = Identity;

    fn type_name(&self) -> &'static str {
        "ecr_account_setting"
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
        identity::regional(&[("name", "The setting's name, e.g. `BLOB_MOUNTING`.")])
    }

    fn identity(&self, m: &Model, aws: &AwsClients) -> Identity {
        Identity {
            account_id: identity::account(&Val::Null, aws),
            region: identity::region(&m.region, aws),
            name: m.name.clone(),
        }
    }

    fn import_id(&self, i: &Identity, aws: &AwsClients, diags: &mut Diagnostics) -> Option<String> {
        if !identity::check_scope(&i.account_id, None, aws, diags) {
            return None;
        }
        let name = identity::required(&i.name, "name", diags).map(str::to_string);
        identity::in_region(name, &i.region, aws)
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new("One account setting of the registry (per account and region).\n\nDestroying the resource puts AWS's default value back (the table in *Settings*). A value changed outside Terraform shows as an in-place update.")
                .attr(Attribute::string("id").computed().use_state_for_unknown().description("The setting's name."))
                .attr(region::resource_attribute())
                .attr(Attribute::string("name").required().requires_replace().description(format!("The setting: {}.", domain::names().iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "))))
                .attr(Attribute::string("value").required().description("The value, checked against the setting's documented values at `terraform validate` (see *Settings*). Updated in place.")),
        )
    }

    fn docs(&self) -> crate::framework::Docs {
        crate::framework::Docs {
            notes: format!("## Settings\n\n{}\n`CLAIR` and `V1` were documented until 2025 and hashicorp/aws accepts them: they plan with a warning (AWS recommends against reverting to them, and may refuse them).\n\nMoving from hashicorp/aws: same arguments (`name`, `value`); import with the setting's name (`<name>@<region>` for another region than the provider's).", settings_table()).into(),
            import: Some(crate::framework::ImportDocs { id: "Import with the setting's name.", example: "REGISTRY_POLICY_SCOPE" }),
            ..Default::default()
        }
    }

    fn validate(&self, c: &Model, diags: &mut Diagnostics) {
        region::validate(&c.region, diags);
        let mut out = Problems::default();
        domain::check(c.name.str(), c.value.str(), &mut out);
        report(out, &AttrPath::root(), diags);
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
        plan.planned.id = plan.planned.name.clone();
    }

    async fn create(
        &self,
        ctx: &Ctx<AwsClients>,
        plan: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        if let Err(e) = put(&ctx.provider.in_region(plan.region.str()), &plan).await {
            diags.error(
                format!("Setting {} failed", plan.name.str().unwrap_or_default()),
                e,
            );
            return None;
        }
        self.read(ctx, plan, diags).await
    }

    async fn read(
        &self,
        ctx: &Ctx<AwsClients>,
        state: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let name = state.name.str().unwrap_or_default().to_string();
        let aws = ctx.provider.in_region(state.region.str());
        let mut region = state.region.clone();
        region::read(&mut region, &aws.region);
        match aws.ecr.get_account_setting().name(&name).send().await {
            // A setting always has a value: it is never "gone", only changed.
            Ok(out) => Some(Model {
                id: Val::of(&name),
                name: Val::of(&name),
                value: out.value().map(Val::of).unwrap_or(state.value),
                region,
            }),
            Err(e) => {
                diags.error(format!("Reading account setting {name} failed"), text(&e));
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
        if let Err(e) = put(&ctx.provider.in_region(plan.region.str()), &plan).await {
            diags.error(
                format!("Updating {} failed", plan.name.str().unwrap_or_default()),
                e,
            );
            return Some(prior);
        }
        self.read(ctx, plan, diags).await
    }

    async fn delete(&self, ctx: &Ctx<AwsClients>, state: Model, diags: &mut Diagnostics) {
        let name = state.name.str().unwrap_or_default();
        let Some(s) = domain::setting(name) else {
            return;
        };
        let reset = Model {
            value: Val::of(s.default),
            ..state.clone()
        };
        if let Err(e) = put(&ctx.provider.in_region(state.region.str()), &reset).await {
            diags.error(
                format!("Restoring {name} to its default {} failed", s.default),
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
        let (id, in_region) = region::split_import_id(id);
        if domain::setting(id).is_none() {
            diags.error(
                "Invalid import id",
                format!(
                    "{id:?} is not an account setting this provider manages; use one of {} (or <name>@<region>).",
                    domain::names().join(", ")
                ),
            );
            return None;
        }
        Some(Model {
            id: Val::of(id),
            name: Val::of(id),
            value: Val::Null,
            region: in_region.map_or(Val::Null, Val::of),
        })
    }
}

async fn put(aws: &AwsClients, m: &Model) -> Result<(), String> {
    aws.ecr
        .put_account_setting()
        .name(m.name.str().unwrap_or_default())
        .value(m.value.str().unwrap_or_default())
        .send()
        .await
        .map(|_| ())
        .map_err(|e| text(&e))
}

// ------------------------------------------------------------------------------------------
// `moved` from hashicorp/aws's aws_ecr_account_setting (crate::moves has the translation)

/// This type's state for hashicorp/aws's `aws_ecr_account_setting` state `src`; `provider_region` fills a 5.x state's missing region.
fn moved_from_aws(
    src: &crate::moves::Source<'_>,
    provider_region: Option<&str>,
) -> Result<Model, crate::moves::MoveError> {
    let s = crate::moves::registry::account_setting(src)?;
    Ok(Model {
        id: Val::of(&s.name),
        name: Val::of(&s.name),
        value: Val::of(s.value),
        region: s.region.or(provider_region.map(str::to_string)).into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_against_their_name() {
        let diags = |n: &str, v: &str| {
            let mut d = Diagnostics::new();
            EcrAccountSetting.validate(
                &Model {
                    name: Val::of(n),
                    value: Val::of(v),
                    ..Default::default()
                },
                &mut d,
            );
            d
        };
        assert!(diags("BLOB_MOUNTING", "ENABLED").is_empty());
        let d = diags("BLOB_MOUNTING", "V2");
        assert_eq!(d.0[0].attribute, Some(AttrPath::attr("value")));
        assert!(d.has_errors());
        assert!(!diags("REGISTRY_POLICY_SCOPE", "V1").has_errors());
        assert!(
            settings_table().contains("| `BLOB_MOUNTING` | `ENABLED`, `DISABLED` | `DISABLED` |")
        );
    }
}
