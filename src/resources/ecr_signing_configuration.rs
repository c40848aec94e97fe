//! `ecr_signing_configuration`: the registry's managed-signing rules (AWS Signer signing
//! profiles and the repositories whose pushed images they sign). awscc's
//! `awscc_ecr_signing_configuration` shape, in blocks. A singleton per registry and region:
//! id = registry id; destroy deletes the configuration.

use aws_sdk_ecr::types::{
    SigningConfiguration, SigningRepositoryFilter, SigningRepositoryFilterType, SigningRule,
};
use serde::{Deserialize, Serialize};

use aws_sdk_ecr::operation::delete_signing_configuration::DeleteSigningConfigurationError;
use aws_sdk_ecr::operation::get_signing_configuration::GetSigningConfigurationError;

use super::identity;
use crate::aws::errors::{is, text};
use crate::aws::AwsClients;
use crate::framework::IdentitySchema;
use crate::framework::{
    AttrPath, Attribute, Block, Ctx, Diagnostics, NestedBlock, Plan, Resource, Schema, Val,
};
use crate::registry::signing::{self as domain, FilterSpec, RuleSpec};
use crate::registry::{is_account_id, Problems, Registry, Step};
use crate::shared::region;
use crate::shared::registry::{registry_of, registry_only, report};

pub struct EcrSigningConfiguration;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Model {
    pub id: Val<String>,
    pub registry_id: Val<String>,
    pub rule: Val<Vec<Rule>>,
    pub region: Val<String>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Rule {
    pub signing_profile_arn: Val<String>,
    pub repository_filter: Val<Vec<Filter>>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Filter {
    pub filter: Val<String>,
    pub filter_type: Val<String>,
}

fn check(m: &Model, registry: Registry, out: &mut Problems) {
    let specs: Vec<RuleSpec> = m
        .rule
        .items()
        .iter()
        .map(|r| RuleSpec {
            signing_profile_arn: r.signing_profile_arn.str(),
            filters: r.repository_filter.known().map(|fs| {
                fs.iter()
                    .map(|f| FilterSpec {
                        filter: f.filter.str(),
                        filter_type: f.filter_type.str(),
                    })
                    .collect()
            }),
        })
        .collect();
    domain::check_rules(&specs, registry, &[Step::Attr("rule")], out);
}

/// The identity (`import { identity = { … } }`, Terraform ≥ 1.12).
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Identity {
    pub account_id: Val<String>,
    pub region: Val<String>,
}

#[async_trait::async_trait]
impl Resource for EcrSigningConfiguration {
    type Model = Model;
    type Provider = AwsClients;
    type Identity = Identity;

    fn type_name(&self) -> &'static str {
        "ecr_signing_configuration"
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
        Schema::new(
            0,
            Block::new("The registry's managed-signing configuration: which AWS Signer signing profile signs the images pushed to which repositories. ECR signs each image when it is pushed, with the identity of the pusher, who needs `signer:SignPayload` on the profile.\n\nThis is a **registry-wide singleton** (one per account and region). hashicorp/aws has no such type yet; the shape follows awscc's `awscc_ecr_signing_configuration` (in blocks). Destroying the resource deletes the configuration: images pushed afterwards are not signed; existing signatures stay.")
                .attr(Attribute::string("id").computed().use_state_for_unknown().description("The registry id."))
                .attr(Attribute::string("registry_id").computed().use_state_for_unknown().description("The registry (AWS account) id."))
                .attr(region::resource_attribute())
                .block(
                    NestedBlock::list(
                        "rule",
                        Block::new(format!("A signing rule (1–{}): a signing profile and the repositories it signs.", domain::MAX_RULES))
                            .attr(Attribute::string("signing_profile_arn").required().description("ARN of the AWS Signer signing profile (`arn:aws:signer:<region>:<account>:/signing-profiles/<name>`, at most 200 characters; not a profile version ARN)."))
                            .block(
                                NestedBlock::list(
                                    "repository_filter",
                                    Block::new(format!("Repositories whose images the rule signs (1–{} filters); without any, every repository.", domain::MAX_FILTERS))
                                        .attr(Attribute::string("filter").required().description("Repository name pattern, 1–256 characters of lowercase letters, digits, `.`, `_`, `-`, `/`, where `*` matches any characters (`prod/*`, `*-service`, `*prod*`)."))
                                        .attr(Attribute::string("filter_type").required().description("`WILDCARD_MATCH` (the only type).")),
                                )
                                .max(domain::MAX_FILTERS as i64),
                            ),
                    )
                    .min(1)
                    .max(domain::MAX_RULES as i64),
                ),
        )
    }

    fn docs(&self) -> crate::framework::Docs {
        crate::framework::Docs {
            notes: "## Behaviour\n\n- Rules changed outside Terraform show as an in-place update; a configuration deleted outside Terraform is removed from state and planned for creation again.\n- AWS reordering filters inside a rule never shows a diff.".into(),
            import: Some(crate::framework::ImportDocs { id: "Import with the registry (account) id of the provider's credentials (`<account-id>@<region>` for another region than the provider's).", example: "123456789012" }),
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
        report(
            registry_only(
                |r, out| check(&plan.config, r, out),
                registry_of(provider, &plan.planned.region),
            ),
            &AttrPath::root(),
            diags,
        );
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
        match get(&aws).await {
            // No rules is no configuration (AWS answers SigningConfigurationNotFoundException,
            // some emulators an empty list).
            Ok(Some((_, rules))) if rules.is_empty() && !state.rule.items().is_empty() => {
                tracing::info!(
                    "signing configuration emptied outside Terraform; removing it from state"
                );
                None
            }
            Ok(Some((registry_id, rules))) => {
                let mut m = apply_remote(state, registry_id, rules);
                region::read(&mut m.region, &aws.region);
                Some(m)
            }
            Ok(None) => {
                tracing::info!(
                    "signing configuration deleted outside Terraform; removing it from state"
                );
                None
            }
            Err(e) => {
                diags.error("Reading the signing configuration failed", e);
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
        match aws.ecr.delete_signing_configuration().send().await {
            Ok(_) => {}
            Err(e)
                if is(
                    &e,
                    DeleteSigningConfigurationError::is_signing_configuration_not_found_exception,
                ) => {}
            Err(e) => diags.error("Deleting the signing configuration failed", text(&e)),
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
            diags.error("Invalid import id", format!("{id:?} is not a registry id (12 digits). Import with: terraform import ecr_signing_configuration.NAME <account-id> (or <account-id>@<region>)"));
            return None;
        }
        match get(&ctx.provider.in_region(in_region)).await {
            Ok(Some((registry_id, _))) if registry_id.as_deref().is_some_and(|r| r != id) => {
                diags.error(
                    "Import id is not this provider's registry",
                    format!(
                        "The provider is configured for registry {}, not {id}.",
                        registry_id.unwrap_or_default()
                    ),
                );
                None
            }
            Ok(Some((_, rules))) if rules.is_empty() => {
                diags.error(
                    "No signing configuration",
                    format!("Registry {id} has no signing rules to import."),
                );
                None
            }
            Ok(Some(_)) => Some(Model {
                id: Val::of(id),
                registry_id: Val::of(id),
                rule: Val::Known(vec![]),
                region: in_region.map_or(Val::Null, Val::of),
            }),
            Ok(None) => {
                diags.error(
                    "No signing configuration",
                    format!("Registry {id} has no signing configuration to import."),
                );
                None
            }
            Err(e) => {
                diags.error("Reading the signing configuration failed", e);
                None
            }
        }
    }
}

impl EcrSigningConfiguration {
    async fn write(
        &self,
        ctx: &Ctx<AwsClients>,
        plan: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let rules = match to_sdk(&plan) {
            Ok(r) => r,
            Err(e) => {
                diags.error("Building the signing configuration failed", e);
                return None;
            }
        };
        let config = match SigningConfiguration::builder()
            .set_rules(Some(rules))
            .build()
        {
            Ok(c) => c,
            Err(e) => {
                diags.error("Building the signing configuration failed", e.to_string());
                return None;
            }
        };
        let aws = ctx.provider.in_region(plan.region.str());
        if let Err(e) = aws
            .ecr
            .put_signing_configuration()
            .signing_configuration(config)
            .send()
            .await
        {
            diags.error("Putting the signing configuration failed", text(&e));
            return None;
        }
        match get(&aws).await {
            Ok(Some((registry_id, rules))) => Some(apply_remote(plan, registry_id, rules)),
            Ok(None) => {
                diags.error("Signing configuration missing after it was put", "GetSigningConfiguration found none right after PutSigningConfiguration. Run terraform apply again.");
                None
            }
            Err(e) => {
                diags.warning("Could not read the signing configuration back", e);
                let mut m = plan;
                m.id = aws.account_id.clone().map_or(Val::Null, Val::Known);
                m.registry_id = m.id.clone();
                Some(m)
            }
        }
    }
}

/// `Ok(None)`: the registry has no signing configuration.
async fn get(aws: &AwsClients) -> Result<Option<(Option<String>, Vec<Rule>)>, String> {
    match aws.ecr.get_signing_configuration().send().await {
        Ok(out) => {
            let registry = out
                .registry_id()
                .map(str::to_string)
                .or_else(|| aws.account_id.clone());
            let rules = out
                .signing_configuration()
                .map(|c| c.rules().iter().map(from_sdk).collect())
                .unwrap_or_default();
            Ok(Some((registry, rules)))
        }
        Err(e)
            if is(
                &e,
                GetSigningConfigurationError::is_signing_configuration_not_found_exception,
            ) =>
        {
            Ok(None)
        }
        Err(e) => Err(text(&e)),
    }
}

fn from_sdk(r: &SigningRule) -> Rule {
    Rule {
        signing_profile_arn: Val::of(r.signing_profile_arn()),
        repository_filter: Val::Known(
            r.repository_filters()
                .iter()
                .map(|f| Filter {
                    filter: Val::of(f.filter()),
                    filter_type: Val::of(f.filter_type().as_str()),
                })
                .collect(),
        ),
    }
}

fn to_sdk(m: &Model) -> Result<Vec<SigningRule>, String> {
    m.rule
        .items()
        .iter()
        .map(|r| {
            let filters = r
                .repository_filter
                .items()
                .iter()
                .map(|f| {
                    SigningRepositoryFilter::builder()
                        .filter(f.filter.str().unwrap_or_default())
                        .filter_type(SigningRepositoryFilterType::from(
                            f.filter_type.str().unwrap_or("WILDCARD_MATCH"),
                        ))
                        .build()
                        .map_err(|e| e.to_string())
                })
                .collect::<Result<Vec<_>, _>>()?;
            SigningRule::builder()
                .signing_profile_arn(r.signing_profile_arn.str().unwrap_or_default())
                .set_repository_filters((!filters.is_empty()).then_some(filters))
                .build()
                .map_err(|e| e.to_string())
        })
        .collect()
}

/// A rule's identity: its profile and its filters as a sorted set.
fn rule_key(r: &Rule) -> (String, Vec<(String, String)>) {
    let mut f: Vec<(String, String)> = r
        .repository_filter
        .items()
        .iter()
        .map(|f| {
            (
                f.filter.str().unwrap_or_default().to_string(),
                f.filter_type.str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    f.sort();
    f.dedup();
    (
        r.signing_profile_arn.str().unwrap_or_default().to_string(),
        f,
    )
}

/// State from what AWS holds; rules whose filters AWS only reordered keep the prior form.
fn apply_remote(prior: Model, registry_id: Option<String>, remote: Vec<Rule>) -> Model {
    let rules = remote
        .into_iter()
        .enumerate()
        .map(|(i, r)| match prior.rule.items().get(i) {
            Some(p) if rule_key(p) == rule_key(&r) => p.clone(),
            _ => r,
        })
        .collect();
    let id = registry_id.map(Val::Known).unwrap_or(prior.id);
    Model {
        registry_id: id.clone(),
        id,
        rule: Val::Known(rules),
        region: prior.region,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(arn: &str, filters: &[&str]) -> Rule {
        Rule {
            signing_profile_arn: Val::of(arn),
            repository_filter: Val::Known(
                filters
                    .iter()
                    .map(|f| Filter {
                        filter: Val::of(*f),
                        filter_type: Val::of("WILDCARD_MATCH"),
                    })
                    .collect(),
            ),
        }
    }
    const P: &str = "arn:aws:signer:us-east-1:123456789012:/signing-profiles/ci";

    #[test]
    fn validation_paths() {
        let m = Model {
            rule: Val::Known(vec![
                rule(P, &["prod/*"]),
                rule(
                    "arn:aws:signer:us-east-1:123456789012:/signing-profiles/x",
                    &["Bad"],
                ),
            ]),
            ..Default::default()
        };
        let mut d = Diagnostics::new();
        EcrSigningConfiguration.validate(&m, &mut d);
        let paths: Vec<String> =
            d.0.iter()
                .map(|x| x.attribute.as_ref().unwrap().to_string())
                .collect();
        assert_eq!(
            paths,
            [
                "rule[1].signing_profile_arn",
                "rule[1].repository_filter[0].filter"
            ]
        );
    }

    #[test]
    fn reordered_filters_keep_the_prior_form() {
        let prior = Model {
            rule: Val::Known(vec![rule(P, &["b*", "a*"])]),
            ..Default::default()
        };
        let m = apply_remote(
            prior.clone(),
            Some("123456789012".into()),
            vec![rule(P, &["a*", "b*"])],
        );
        assert_eq!(m.rule, prior.rule);
        let m = apply_remote(prior, None, vec![rule(P, &["a*"])]);
        assert_eq!(m.rule.items()[0].repository_filter.items().len(), 1);
        assert!(m.id.is_null());
    }

    #[test]
    fn sdk_rules_leave_out_empty_filters() {
        let m = Model {
            rule: Val::Known(vec![rule(P, &[])]),
            ..Default::default()
        };
        let sdk = to_sdk(&m).unwrap();
        assert!(sdk[0].repository_filters.is_none());
        assert_eq!(from_sdk(&sdk[0]).signing_profile_arn.str(), Some(P));
    }
}
