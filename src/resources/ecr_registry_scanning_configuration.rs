//! `ecr_registry_scanning_configuration`: the registry-wide scanning configuration (basic or
//! enhanced scanning, and which repositories are scanned how). A singleton per registry and
//! region: id = registry id; destroy resets it to AWS's default (BASIC, no rules).

use aws_sdk_ecr::types::{
    RegistryScanningConfiguration, RegistryScanningRule, ScanFrequency, ScanType,
    ScanningRepositoryFilter, ScanningRepositoryFilterType,
};
use serde::{Deserialize, Serialize};

use super::cross;
use super::identity;
use crate::aws::errors;
use crate::aws::AwsClients;
use crate::findings::Severity;
use crate::framework::validate::{self, OneOf};
use crate::framework::IdentitySchema;
use crate::framework::{
    AttrPath, Attribute, Block, Ctx, Diagnostics, NestedBlock, Plan, Resource, Schema, Val,
};
use crate::scanning::config::{
    check_filter, check_frequency, FILTER_TYPES, MAX_FILTERS_PER_RULE, MAX_RULES, SCAN_TYPES,
};
use crate::shared::region;

pub struct EcrRegistryScanningConfiguration;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Model {
    pub id: Val<String>,
    pub registry_id: Val<String>,
    pub scan_type: Val<String>,
    pub rule: Val<Vec<Rule>>,
    pub region: Val<String>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Rule {
    pub scan_frequency: Val<String>,
    pub repository_filter: Val<Vec<Filter>>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Filter {
    pub filter: Val<String>,
    pub filter_type: Val<String>,
}

/// The identity (`import { identity = { … } }`, Terraform ≥ 1.12): one per account and region.
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Identity {
    pub account_id: Val<String>,
    pub region: Val<String>,
}

#[async_trait::async_trait]
impl Resource for EcrRegistryScanningConfiguration {
    type Model = Model;
    type Provider = AwsClients;
    type Identity = Identity;

    fn type_name(&self) -> &'static str {
        "ecr_registry_scanning_configuration"
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
            notes: r#"## Repository `scan_on_push` with ENHANCED scanning

When this configuration uses `scan_type = "ENHANCED"` and an `ecr_repository` in the same
configuration sets `image_scanning_configuration { scan_on_push = true }`, `terraform plan`
shows a warning on whichever of the two is planned second: AWS ignores the repository setting
under enhanced scanning (the repository is scanned according to this resource's rules, or not
at all if no filter matches it). Remove the repository's block and cover the repository with a
rule here.

## More examples

Basic scanning on push for some repositories:

```terraform
resource "ecr_registry_scanning_configuration" "this" {
  scan_type = "BASIC"
  rule {
    scan_frequency = "SCAN_ON_PUSH"
    repository_filter { filter = "my-org/" }
  }
}
```"#.into(),
            import: Some(crate::framework::ImportDocs {
                id: "Import with the registry (account) id of the provider's credentials. An id of another \
                     account is refused: a registry's scanning configuration can only be managed with \
                     credentials of that account.",
                example: "123456789012",
            }),
            ..Default::default()
        }
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new("The registry's image scanning configuration: `BASIC` or `ENHANCED` (Amazon Inspector) scanning and which repositories are scanned on push or continuously.\n\nThis is a **registry-wide singleton** (one per AWS account and region): a registry always has a scanning configuration, so the resource is never \"gone\". Changes made outside Terraform show as an in-place update; `apply` puts the configured one back. **Destroying the resource resets the registry to AWS's default** (`BASIC`, no rules: images are then only scanned when someone starts a scan); it does not keep the last configuration.\n\nAll rules are checked at `terraform validate` / `plan`: the frequencies each scan type allows, the number of rules and filters, and the filter syntax and length.")
                .attr(Attribute::string("id").computed().use_state_for_unknown().description("The registry id."))
                .attr(region::resource_attribute())
                .attr(Attribute::string("registry_id").computed().use_state_for_unknown().description("The registry (AWS account) id."))
                .attr(Attribute::string("scan_type").required().description("`BASIC` or `ENHANCED`. With `ENHANCED`, repositories that match no rule are **not scanned at all**, and AWS ignores the repositories' own `image_scanning_configuration { scan_on_push }` setting."))
                .block(
                    NestedBlock::list(
                        "rule",
                        Block::new("Which repositories are scanned how (at most 2 rules). Repositories matching no rule are scanned manually only (`BASIC`) or not at all (`ENHANCED`); when both `ENHANCED` rules match, continuous scanning wins.")
                            .attr(Attribute::string("scan_frequency").required().description("`SCAN_ON_PUSH` (BASIC or ENHANCED) or `CONTINUOUS_SCAN` (ENHANCED only). `MANUAL` is what unmatched repositories get and cannot be set in a rule."))
                            .block(NestedBlock::list(
                                "repository_filter",
                                Block::new("Repositories the rule applies to (1–100 filters).")
                                    .attr(Attribute::string("filter").required().description("Repository name filter, 1–255 characters: lowercase letters, digits and `*`, separated by single `.`, `_`, `-` or `/` (AWS's pattern `^[a-z0-9*](?:[._\\-/a-z0-9*]?[a-z0-9*]+)*$`). Without `*` it matches names **containing** it; with `*` it matches whole names (`*prod` matches `prod` and `repo-prod`, not `prod-repo`)."))
                                    .attr(Attribute::string("filter_type").optional().computed().default_string("WILDCARD").description("`WILDCARD` (the only type; default).")),
                            )
                            .max(MAX_FILTERS_PER_RULE as i64)),
                    )
                    .max(MAX_RULES as i64),
                ),
        )
    }

    fn validate(&self, c: &Model, diags: &mut Diagnostics) {
        region::validate(&c.region, diags);
        validate::check(
            diags,
            &AttrPath::attr("scan_type"),
            &c.scan_type,
            &[&OneOf(SCAN_TYPES)],
        );
        let rules = c.rule.items();
        if rules.len() > MAX_RULES {
            diags.attr_error(
                AttrPath::attr("rule"),
                "Too many rules",
                format!(
                    "A registry scanning configuration has at most {MAX_RULES} rules; got {}.",
                    rules.len()
                ),
            );
        }
        for (i, r) in rules.iter().enumerate() {
            let p = AttrPath::attr("rule").then_index(i);
            if let (Some(t), Some(f)) = (c.scan_type.str(), r.scan_frequency.str()) {
                if SCAN_TYPES.contains(&t) {
                    match check_frequency(t, f) {
                        Some((Severity::Error, e)) => diags.attr_error(
                            p.clone().then_attr("scan_frequency"),
                            "Invalid scan_frequency",
                            e,
                        ),
                        Some((Severity::Warning, e)) => diags.attr_warning(
                            p.clone().then_attr("scan_frequency"),
                            "Rule with scan_frequency MANUAL",
                            e,
                        ),
                        None => {}
                    }
                }
            }
            let filters = r.repository_filter.items();
            if r.repository_filter.is_known() && filters.is_empty() {
                diags.attr_warning(p.clone(), "Rule without repository_filter", format!("rule {i} has no repository_filter block, so it matches no repository (use filter = \"*\" for every repository)."));
            }
            if filters.len() > MAX_FILTERS_PER_RULE {
                diags.attr_error(
                    p.clone().then_attr("repository_filter"),
                    "Too many filters",
                    format!(
                        "A rule has at most {MAX_FILTERS_PER_RULE} repository filters; got {}.",
                        filters.len()
                    ),
                );
            }
            for (j, f) in filters.iter().enumerate() {
                let fp = p.clone().then_attr("repository_filter").then_index(j);
                if let Some(s) = f.filter.str() {
                    if let Err(e) = check_filter(s) {
                        diags.attr_error(fp.clone().then_attr("filter"), "Invalid filter", e);
                    }
                }
                validate::check(
                    diags,
                    &fp.then_attr("filter_type"),
                    &f.filter_type,
                    &[&OneOf(FILTER_TYPES)],
                );
            }
        }
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
        // `id` and `registry_id` keep the prior value, `filter_type` defaults to WILDCARD
        // (schema plan rules).
        let planned = &plan.planned;
        let rules: Vec<(String, String)> = planned
            .rule
            .items()
            .iter()
            .flat_map(|r| {
                r.repository_filter.items().iter().filter_map(|f| {
                    Some((
                        r.scan_frequency.str()?.to_string(),
                        f.filter.str()?.to_string(),
                    ))
                })
            })
            .collect();
        cross::registry_scanning_planned(
            &plan.siblings,
            !planned.rule.items().is_empty(),
            planned.scan_type.str(),
            &rules,
            diags,
        );
    }

    async fn create(
        &self,
        ctx: &Ctx<AwsClients>,
        plan: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        if let Err(e) = put(&ctx.provider.in_region(plan.region.str()), &plan).await {
            diags.error("Setting the registry scanning configuration failed", e);
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
        let aws = ctx.provider.in_region(state.region.str());
        match get(&aws).await {
            // A registry always has a configuration: it is never "gone", only changed.
            Ok((registry_id, cfg)) => {
                let mut m = apply_remote(state, &registry_id, cfg.as_ref());
                region::read(&mut m.region, &aws.region);
                Some(m)
            }
            Err(e) => {
                diags.error("Reading the registry scanning configuration failed", e);
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
        if let Err(e) = put(&ctx.provider.in_region(prior.region.str()), &plan).await {
            diags.error("Updating the registry scanning configuration failed", e);
            return Some(prior);
        }
        self.read(ctx, plan, diags).await
    }

    async fn delete(&self, ctx: &Ctx<AwsClients>, state: Model, diags: &mut Diagnostics) {
        let aws = ctx.provider.in_region(state.region.str());
        let reset = Model {
            scan_type: Val::of("BASIC"),
            rule: Val::Known(vec![]),
            ..Default::default()
        };
        if let Err(e) = put(&aws, &reset).await {
            diags.error(
                "Resetting the registry scanning configuration to BASIC failed",
                e,
            );
        }
    }

    async fn import(
        &self,
        ctx: &Ctx<AwsClients>,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let (id, in_region) = match id.rsplit_once('@') {
            Some((id, r)) if region::is_region_name(r) => (id, Some(r)),
            _ => (id, None),
        };
        if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
            diags.error(
                "Invalid import id",
                format!("{id:?} is not a registry id (12 digits). Import with: terraform import ecr_registry_scanning_configuration.NAME <account-id>[@<region>]"),
            );
            return None;
        }
        match get(&ctx.provider.in_region(in_region)).await {
            Ok((registry_id, _)) if !registry_id.is_empty() && registry_id != id => {
                diags.error(
                    "Import id is not this provider's registry",
                    format!("The provider is configured for registry {registry_id}, not {id}. A registry scanning configuration can only be managed with credentials of its own account."),
                );
                None
            }
            Ok(_) => Some(Model {
                id: Val::of(id),
                registry_id: Val::of(id),
                region: in_region.map(Val::of).unwrap_or_default(),
                ..Default::default()
            }),
            Err(e) => {
                diags.error("Reading the registry scanning configuration failed", e);
                None
            }
        }
    }
}

async fn get(aws: &AwsClients) -> Result<(String, Option<RegistryScanningConfiguration>), String> {
    let out = aws
        .ecr
        .get_registry_scanning_configuration()
        .send()
        .await
        .map_err(|e| errors::text(&e))?;
    let registry = out
        .registry_id()
        .map(str::to_string)
        .or_else(|| aws.account_id.clone())
        .unwrap_or_default();
    Ok((registry, out.scanning_configuration().cloned()))
}

async fn put(aws: &AwsClients, m: &Model) -> Result<(), String> {
    let rules = to_sdk_rules(m)?;
    aws.ecr
        .put_registry_scanning_configuration()
        .scan_type(ScanType::from(m.scan_type.str().unwrap_or("BASIC")))
        .set_rules(Some(rules))
        .send()
        .await
        .map(|_| ())
        .map_err(|e| errors::text(&e))
}

fn to_sdk_rules(m: &Model) -> Result<Vec<RegistryScanningRule>, String> {
    m.rule
        .items()
        .iter()
        .map(|r| {
            let filters = r
                .repository_filter
                .items()
                .iter()
                .map(|f| {
                    ScanningRepositoryFilter::builder()
                        .filter(f.filter.str().unwrap_or_default())
                        .filter_type(ScanningRepositoryFilterType::from(
                            f.filter_type.str().unwrap_or("WILDCARD"),
                        ))
                        .build()
                        .map_err(|e| e.to_string())
                })
                .collect::<Result<Vec<_>, _>>()?;
            RegistryScanningRule::builder()
                .scan_frequency(ScanFrequency::from(
                    r.scan_frequency.str().unwrap_or_default(),
                ))
                .set_repository_filters(Some(filters))
                .build()
                .map_err(|e| e.to_string())
        })
        .collect()
}

/// A rule's identity for comparison: frequency and its filters as a sorted list.
fn rule_key(r: &Rule) -> (String, Vec<(String, String)>) {
    let mut f: Vec<(String, String)> = r
        .repository_filter
        .items()
        .iter()
        .map(|f| {
            (
                f.filter.str().unwrap_or_default().to_string(),
                f.filter_type.str().unwrap_or("WILDCARD").to_string(),
            )
        })
        .collect();
    f.sort();
    (r.scan_frequency.str().unwrap_or_default().to_string(), f)
}

fn same_rules(a: &[Rule], b: &[Rule]) -> bool {
    let mut ka: Vec<_> = a.iter().map(rule_key).collect();
    let mut kb: Vec<_> = b.iter().map(rule_key).collect();
    ka.sort();
    kb.sort();
    ka == kb
}

/// State from what AWS holds. Rules and filters that only differ in order from `prior` keep
/// the prior order, so AWS reordering them never shows a diff.
fn apply_remote(
    prior: Model,
    registry_id: &str,
    cfg: Option<&RegistryScanningConfiguration>,
) -> Model {
    let scan_type = cfg
        .and_then(|c| c.scan_type())
        .map(|t| t.as_str().to_string())
        .unwrap_or_else(|| "BASIC".into());
    let remote: Vec<Rule> = cfg
        .map(|c| {
            c.rules()
                .iter()
                .map(|r| Rule {
                    scan_frequency: Val::of(r.scan_frequency().as_str()),
                    repository_filter: Val::Known(
                        r.repository_filters()
                            .iter()
                            .map(|f| Filter {
                                filter: Val::of(f.filter()),
                                filter_type: Val::of(f.filter_type().as_str()),
                            })
                            .collect(),
                    ),
                })
                .collect()
        })
        .unwrap_or_default();
    let rules = if same_rules(prior.rule.items(), &remote) {
        prior.rule.items().to_vec()
    } else {
        remote
    };
    let id = if registry_id.is_empty() {
        prior.id.clone()
    } else {
        Val::of(registry_id)
    };
    Model {
        id: id.clone(),
        registry_id: id,
        scan_type: Val::of(scan_type),
        rule: Val::Known(rules),
        region: prior.region,
    }
}

// ------------------------------------------------------------------------------------------
// `moved` from hashicorp/aws's aws_ecr_registry_scanning_configuration (crate::moves has the translation)

/// This type's state for hashicorp/aws's `aws_ecr_registry_scanning_configuration` state `src`; `provider_region` fills a 5.x state's missing region.
pub fn moved_from_aws(
    src: &crate::moves::Source<'_>,
    provider_region: Option<&str>,
) -> Result<Model, crate::moves::MoveError> {
    let s = crate::moves::registry_scanning::from_aws(src)?;
    let id: Val<String> = s.registry_id.into();
    Ok(Model {
        id: id.clone(),
        registry_id: id,
        scan_type: Val::of(s.scan_type),
        rule: Val::Known(
            s.rules
                .into_iter()
                .map(|r| Rule {
                    scan_frequency: Val::of(r.scan_frequency),
                    repository_filter: Val::Known(
                        r.filters
                            .into_iter()
                            .map(|(filter, filter_type)| Filter {
                                filter: Val::of(filter),
                                filter_type: Val::of(filter_type),
                            })
                            .collect(),
                    ),
                })
                .collect(),
        ),
        region: s.region.or(provider_region.map(str::to_string)).into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(freq: &str, filters: &[&str]) -> Rule {
        Rule {
            scan_frequency: Val::of(freq),
            repository_filter: Val::Known(
                filters
                    .iter()
                    .map(|f| Filter {
                        filter: Val::of(*f),
                        filter_type: Val::Null,
                    })
                    .collect(),
            ),
        }
    }

    fn paths(m: &Model) -> Vec<String> {
        let mut d = Diagnostics::new();
        EcrRegistryScanningConfiguration.validate(m, &mut d);
        d.0.iter()
            .map(|x| {
                x.attribute
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            })
            .collect()
    }

    #[test]
    fn validation_follows_the_scan_type() {
        let ok = Model {
            scan_type: Val::of("ENHANCED"),
            rule: Val::Known(vec![
                rule("CONTINUOUS_SCAN", &["prod-*"]),
                rule("SCAN_ON_PUSH", &["*"]),
            ]),
            ..Default::default()
        };
        assert!(paths(&ok).is_empty());
        let basic = Model {
            scan_type: Val::of("BASIC"),
            ..ok.clone()
        };
        assert_eq!(paths(&basic), ["rule[0].scan_frequency"]);
        let bad = Model {
            scan_type: Val::of("BASIC"),
            rule: Val::Known(vec![
                rule("MANUAL", &["Prod", "ok"]),
                rule("SCAN_ON_PUSH", &[]),
            ]),
            ..Default::default()
        };
        assert_eq!(
            paths(&bad),
            [
                "rule[0].scan_frequency",
                "rule[0].repository_filter[0].filter",
                "rule[1]"
            ]
        );
        let three = Model {
            scan_type: Val::of("BASIC"),
            rule: Val::Known(vec![rule("SCAN_ON_PUSH", &["a"]); 3]),
            ..Default::default()
        };
        assert_eq!(paths(&three), ["rule"]);
        assert_eq!(
            paths(&Model {
                scan_type: Val::of("FULL"),
                ..Default::default()
            }),
            ["scan_type"]
        );
        // Unknown scan type: frequencies are checked once it is known.
        assert!(paths(&Model {
            scan_type: Val::Unknown,
            ..basic
        })
        .is_empty());
    }

    #[test]
    fn reordered_rules_keep_the_prior_order() {
        let prior = Model {
            scan_type: Val::of("ENHANCED"),
            rule: Val::Known(vec![
                rule("SCAN_ON_PUSH", &["b", "a"]),
                rule("CONTINUOUS_SCAN", &["c"]),
            ]),
            ..Default::default()
        };
        let cfg = RegistryScanningConfiguration::builder()
            .scan_type(ScanType::Enhanced)
            .rules(
                RegistryScanningRule::builder()
                    .scan_frequency(ScanFrequency::ContinuousScan)
                    .repository_filters(
                        ScanningRepositoryFilter::builder()
                            .filter("c")
                            .filter_type(ScanningRepositoryFilterType::Wildcard)
                            .build()
                            .unwrap(),
                    )
                    .build()
                    .unwrap(),
            )
            .rules(
                RegistryScanningRule::builder()
                    .scan_frequency(ScanFrequency::ScanOnPush)
                    .repository_filters(
                        ScanningRepositoryFilter::builder()
                            .filter("a")
                            .filter_type(ScanningRepositoryFilterType::Wildcard)
                            .build()
                            .unwrap(),
                    )
                    .repository_filters(
                        ScanningRepositoryFilter::builder()
                            .filter("b")
                            .filter_type(ScanningRepositoryFilterType::Wildcard)
                            .build()
                            .unwrap(),
                    )
                    .build()
                    .unwrap(),
            )
            .build();
        let m = apply_remote(prior.clone(), "123456789012", Some(&cfg));
        assert_eq!(m.rule, prior.rule);
        assert_eq!(m.id.str(), Some("123456789012"));
        // A real change outside Terraform shows: AWS's rules are taken.
        let changed = RegistryScanningConfiguration::builder()
            .scan_type(ScanType::Basic)
            .build();
        let m = apply_remote(prior, "123456789012", Some(&changed));
        assert_eq!(
            (m.scan_type.str(), m.rule.items().len()),
            (Some("BASIC"), 0)
        );
    }

    #[test]
    fn scan_on_push_warning_fires_on_the_second_of_the_pair() {
        // Repository planned first: no warning yet; the configuration then warns on scan_type.
        let siblings = std::sync::Arc::new(crate::framework::Siblings::default());
        let mut d = Diagnostics::new();
        cross::repository_scan_on_push(&siblings, Some("early-repo"), true, &mut d);
        assert!(d.is_empty());
        let planned = Model {
            scan_type: Val::of("ENHANCED"),
            rule: Val::Known(vec![rule("CONTINUOUS_SCAN", &["late*"])]),
            ..Default::default()
        };
        let mut plan = Plan {
            prior: None,
            config: planned.clone(),
            planned,
            requires_replace: vec![],
            siblings: siblings.clone(),
        };
        EcrRegistryScanningConfiguration.modify_plan(&mut plan, None, &mut d);
        assert_eq!(d.0.len(), 1);
        assert_eq!(d.0[0].attribute, Some(AttrPath::attr("scan_type")));
        assert!(d.0[0].detail.contains("early-repo"));
        // A repository planned after it warns on its own attribute, saying how it is covered.
        let mut d = Diagnostics::new();
        cross::repository_scan_on_push(&siblings, Some("late-repo"), true, &mut d);
        assert_eq!(
            d.0[0].attribute,
            Some(
                AttrPath::attr("image_scanning_configuration")
                    .then_index(0)
                    .then_attr("scan_on_push")
            )
        );
        assert!(
            d.0[0].detail.contains("scanned continuously"),
            "{}",
            d.0[0].detail
        );
        let mut d = Diagnostics::new();
        cross::repository_scan_on_push(&siblings, Some("other"), true, &mut d);
        assert!(d.0[0].detail.contains("not scanned at all"));
        let mut d = Diagnostics::new();
        cross::repository_scan_on_push(&siblings, Some("quiet"), false, &mut d);
        assert!(d.is_empty());
    }
}
