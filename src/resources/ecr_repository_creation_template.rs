//! `ecr_repository_creation_template`: the settings ECR gives the repositories it creates itself
//! (pull-through cache, replication, create on push) under a prefix, as hashicorp/aws's
//! `aws_ecr_repository_creation_template`. Its lifecycle and repository policies are checked by
//! the same code as `ecr_lifecycle_policy` and `ecr_repository_policy` (`shared::policies`).

use std::collections::BTreeMap;

use aws_sdk_ecr::types::{
    EncryptionConfigurationForRepositoryCreationTemplate, EncryptionType, ImageTagMutability,
    ImageTagMutabilityExclusionFilter, ImageTagMutabilityExclusionFilterType, RctAppliedFor,
    RepositoryCreationTemplate, Tag,
};
use serde::{Deserialize, Serialize};

use aws_sdk_ecr::operation::create_repository_creation_template::CreateRepositoryCreationTemplateError;
use aws_sdk_ecr::operation::delete_repository_creation_template::DeleteRepositoryCreationTemplateError;

use super::identity;
use crate::aws::errors::{is, text};
use crate::aws::templates::describe_template;
use crate::aws::AwsClients;
use crate::framework::IdentitySchema;
use crate::framework::{
    hints, validate, AttrPath, Attribute, Block, Ctx, Diagnostics, NestedBlock, Plan, Resource,
    Schema, Val,
};
use crate::policy::{self, Kind};
use crate::registry::template::{self as domain, TemplateSpec};
use crate::registry::Problems;
use crate::shared::lifecycle_rules::check_policy_text;
use crate::shared::mutability::{self, FilterRef};
use crate::shared::policy_text::{check_policy, policy_posture_at};
use crate::shared::posture as report_posture;
use crate::shared::region;
use crate::shared::registry::{registry_of, registry_only, report};
use crate::{lifecycle, posture};

pub struct EcrRepositoryCreationTemplate;

/// Hint kind: whether the configuration of a template (by prefix) has an encryption block.
const HINT_ENCRYPTION: &str = "template-encryption-block";

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Model {
    pub id: Val<String>,
    pub prefix: Val<String>,
    pub description: Val<String>,
    pub applied_for: Val<Vec<Val<String>>>,
    pub custom_role_arn: Val<String>,
    pub image_tag_mutability: Val<String>,
    pub image_tag_mutability_exclusion_filter: Val<Vec<ExclusionFilter>>,
    pub encryption_configuration: Val<Vec<Encryption>>,
    pub lifecycle_policy: Val<String>,
    pub repository_policy: Val<String>,
    pub resource_tags: Val<BTreeMap<String, String>>,
    pub registry_id: Val<String>,
    pub posture_ignore: Val<Vec<String>>,
    pub region: Val<String>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct ExclusionFilter {
    pub filter: Val<String>,
    pub filter_type: Val<String>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Encryption {
    pub encryption_type: Val<String>,
    pub kms_key: Val<String>,
}

fn spec(m: &Model) -> TemplateSpec<'_> {
    let enc = m.encryption_configuration.items().first();
    TemplateSpec {
        prefix: m.prefix.str(),
        description: m.description.str(),
        applied_for: m
            .applied_for
            .known()
            .map(|v| v.iter().map(Val::str).collect()),
        custom_role_arn: m.custom_role_arn.str(),
        has_custom_role: !m.custom_role_arn.is_null(),
        encryption_type: enc.and_then(|e| e.encryption_type.str()),
        kms_key: enc.and_then(|e| e.kms_key.str()),
        resource_tags: m
            .resource_tags
            .known()
            .map(|t| t.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect())
            .unwrap_or_default(),
        has_tags: !m.resource_tags.is_null()
            && m.resource_tags.known().is_none_or(|t| !t.is_empty()),
        lifecycle_policy: m.lifecycle_policy.str(),
    }
}

/// The identity (`import { identity = { … } }`, Terraform ≥ 1.12).
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Identity {
    pub account_id: Val<String>,
    pub region: Val<String>,
    pub prefix: Val<String>,
}

#[async_trait::async_trait]
impl Resource for EcrRepositoryCreationTemplate {
    type Model = Model;
    type Provider = AwsClients;
    type Identity = Identity;

    fn type_name(&self) -> &'static str {
        "ecr_repository_creation_template"
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
            "prefix",
            "The template's prefix (`ROOT` for the catch-all template).",
        )])
    }

    fn identity(&self, m: &Model, aws: &AwsClients) -> Identity {
        Identity {
            account_id: identity::account(&m.registry_id, aws),
            region: identity::region(&m.region, aws),
            prefix: m.prefix.clone(),
        }
    }

    fn import_id(&self, i: &Identity, aws: &AwsClients, diags: &mut Diagnostics) -> Option<String> {
        if !identity::check_scope(&i.account_id, None, aws, diags) {
            return None;
        }
        let prefix = identity::required(&i.prefix, "prefix", diags).map(str::to_string);
        identity::in_region(prefix, &i.region, aws)
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new("A repository creation template: the settings (tag mutability, encryption, lifecycle and repository policies, tags) ECR gives the repositories **it creates itself** under a prefix — through a pull-through cache rule, replication, or a push to a repository that does not exist yet (create on push).\n\nArguments as hashicorp/aws's `aws_ecr_repository_creation_template`. Everything but `prefix` is updated in place. The two JSON policies are checked at plan by the same code as [`ecr_lifecycle_policy`](ecr_lifecycle_policy.md) and [`ecr_repository_policy`](ecr_repository_policy.md), and compared by meaning (reformatting never shows a diff). Plan warns about mutable tags (`ECR-P001`) and a missing lifecycle policy (`ECR-P004`) as for a repository, since every repository created from the template inherits them; see [posture checks](../posture-checks.md).")
                .attr(Attribute::string("id").computed().use_state_for_unknown().description("The prefix."))
                .attr(Attribute::string("prefix").required().requires_replace().description("The repository namespace the template applies to, 1–256 characters (`prod` applies to `prod/…`; a trailing `/` is implied), or `ROOT` for every repository no other template matches. When used with a pull-through cache rule, the rule's `ecr_repository_prefix`."))
                .attr(Attribute::string("description").optional().description("Description, at most 256 characters."))
                .attr(Attribute::string_set("applied_for").required().description("When the template applies: `PULL_THROUGH_CACHE`, `REPLICATION`, `CREATE_ON_PUSH` (at least one)."))
                .attr(Attribute::string("custom_role_arn").optional().description("An IAM role of the registry's own account that ECR assumes to create the repositories (needed for KMS encryption and `resource_tags`; without one ECR uses its service-linked role)."))
                .attr(Attribute::string("image_tag_mutability").optional().computed().default_string("MUTABLE").description("`MUTABLE` (default), `IMMUTABLE`, `IMMUTABLE_WITH_EXCLUSION` or `MUTABLE_WITH_EXCLUSION` for the created repositories; the `*_WITH_EXCLUSION` modes need `image_tag_mutability_exclusion_filter` blocks."))
                .attr(Attribute::string("lifecycle_policy").optional().semantic_equality(lifecycle::semantically_equal).description("Lifecycle policy (JSON) of the created repositories, at most 30 720 characters. Every rule `ecr_lifecycle_policy` checks is checked at plan."))
                .attr(Attribute::string("repository_policy").optional().semantic_equality(policy::semantically_equal).description("Repository policy (JSON) of the created repositories, at most 10 240 characters. Checked at plan like `ecr_repository_policy`'s `policy`."))
                .attr(Attribute::string_map("resource_tags").optional().description("Tags of the created repositories (keys 1–128, values at most 256 characters)."))
                .attr(Attribute::string("registry_id").computed().use_state_for_unknown().description("The registry (AWS account) id."))
                .attr(region::resource_attribute())
                .attr(Attribute::string_set("posture_ignore").optional().description("Posture check ids to silence for this template, e.g. `[\"ECR-P001\"]`."))
                .block(
                    NestedBlock::list(
                        "image_tag_mutability_exclusion_filter",
                        Block::new("Tags exempt from the mutability setting (1–5 filters, only with a `*_WITH_EXCLUSION` mode).")
                            .attr(Attribute::string("filter").required().description("Tag filter: 1–128 characters of `a-z A-Z 0-9 . _ - *`, at most two `*` wildcards."))
                            .attr(Attribute::string("filter_type").required().description("`WILDCARD` (the only type).")),
                    )
                    .max(mutability::MAX_FILTERS as i64),
                )
                .block(
                    NestedBlock::list(
                        "encryption_configuration",
                        Block::new("Encryption of the created repositories (default AES256). Updated in place: it applies to repositories created afterwards.")
                            .attr(Attribute::string("encryption_type").optional().computed().description("`AES256` (default), `KMS` or `KMS_DSSE`."))
                            .attr(Attribute::string("kms_key").optional().computed().use_state_for_unknown().description("Full ARN of a KMS key in the registry's region, for `KMS`/`KMS_DSSE`; AWS uses the `aws/ecr` managed key when unset.")),
                    )
                    .max(1),
                ),
        )
    }

    fn docs(&self) -> crate::framework::Docs {
        crate::framework::Docs {
            notes: "## Behaviour

- A template deleted outside Terraform is removed from state and planned for creation again;
  changed outside Terraform, the plan shows the difference.
- `lifecycle_policy` and `repository_policy` keep the text you wrote as long as AWS holds a
  document with the same meaning.
- KMS encryption or `resource_tags` without `custom_role_arn` plan with a warning: ECR's
  service-linked role cannot use them, so creating repositories from the template would fail.

Moving from hashicorp/aws: the arguments are the same (plus `posture_ignore`); import with the
prefix."
                .into(),
            import: Some(crate::framework::ImportDocs {
                id: "Import with the prefix (`ROOT` for the catch-all template), followed by `@<region>` for another region than the provider's.",
                example: "docker-hub",
            }),
            ..Default::default()
        }
    }

    fn validate(&self, c: &Model, diags: &mut Diagnostics) {
        // Whether the configuration writes an encryption block, for the refresh that follows in
        // this Terraform command (AWS always answers with one; see `apply_remote`).
        // Keyed by prefix, and region when the configuration names one (two regions may each
        // have a template for the same prefix).
        if let (Some(prefix), Val::Known(enc)) = (c.prefix.str(), &c.encryption_configuration) {
            hints::record(
                HINT_ENCRYPTION,
                &hint_key(prefix, c.region.str()),
                Some(if enc.is_empty() { "no" } else { "yes" }),
            );
        }
        region::validate(&c.region, diags);
        let mut out = Problems::default();
        domain::check(&spec(c), Default::default(), &mut out);
        report(out, &AttrPath::root(), diags);
        let filters: Option<Vec<FilterRef>> =
            c.image_tag_mutability_exclusion_filter.known().map(|fs| {
                fs.iter()
                    .map(|f| FilterRef {
                        filter: &f.filter,
                        filter_type: &f.filter_type,
                    })
                    .collect()
            });
        mutability::check(&c.image_tag_mutability, filters.as_deref(), diags);
        for (i, e) in c.encryption_configuration.items().iter().enumerate() {
            let p = AttrPath::attr("encryption_configuration").then_index(i);
            validate::check(
                diags,
                &p.clone().then_attr("encryption_type"),
                &e.encryption_type,
                &[&validate::OneOf(&["AES256", "KMS", "KMS_DSSE"])],
            );
            if e.kms_key.is_known()
                && e.encryption_type.str().is_none_or(|t| t == "AES256")
                && !e.encryption_type.is_unknown()
            {
                diags.attr_error(
                    p.then_attr("kms_key"),
                    "kms_key needs KMS encryption",
                    "kms_key is only allowed with encryption_type = \"KMS\" or \"KMS_DSSE\".",
                );
            }
        }
        check_policy_text(
            &c.lifecycle_policy,
            &AttrPath::attr("lifecycle_policy"),
            diags,
        );
        check_policy(
            &c.repository_policy,
            Kind::Repository,
            "repository_policy",
            diags,
        );
        report_posture::validate_ignore(c.posture_ignore.items(), "posture_ignore", diags);
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
        let c = &plan.config;
        report(
            registry_only(
                |r, out| domain::check(&spec(c), r, out),
                registry_of(provider, &plan.planned.region),
            ),
            &AttrPath::root(),
            diags,
        );
        if let Some(aws) = provider {
            let mutability = if c.image_tag_mutability.is_null() {
                Some("MUTABLE")
            } else {
                c.image_tag_mutability.str()
            };
            let has_lifecycle = if c.lifecycle_policy.is_unknown() {
                None
            } else {
                Some(!c.lifecycle_policy.is_null())
            };
            let findings = posture::template_findings(
                c.prefix.str().unwrap_or_default(),
                mutability,
                has_lifecycle,
            );
            report_posture::report(
                findings,
                aws.posture,
                c.posture_ignore.items(),
                "ecr_repository_creation_template",
                diags,
            );
            policy_posture_at(
                &c.repository_policy,
                "repository_policy",
                c.posture_ignore.items(),
                Some(aws.posture),
                "ecr_repository_creation_template",
                diags,
            );
        }
        let p = &mut plan.planned;
        if let Val::Known(enc) = &mut p.encryption_configuration {
            for (i, e) in enc.iter_mut().enumerate() {
                let cfg = c.encryption_configuration.items().get(i);
                if cfg.is_none_or(|x| x.encryption_type.is_null()) {
                    e.encryption_type = Val::of("AES256");
                }
                if e.encryption_type.str() == Some("AES256")
                    && cfg.is_none_or(|x| x.kms_key.is_null())
                {
                    e.kms_key = Val::Null;
                }
            }
        }
        p.id = p.prefix.clone();
        // registry_id keeps the prior value and the two documents the prior text when it means
        // the same (schema plan rules).
    }

    async fn create(
        &self,
        ctx: &Ctx<AwsClients>,
        plan: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let prefix = plan.prefix.str().unwrap_or_default().to_string();
        let s = match Settings::of(&plan) {
            Ok(s) => s,
            Err(e) => {
                diags.error("Building the repository creation template failed", e);
                return None;
            }
        };
        let aws = ctx.provider.in_region(plan.region.str());
        let req = aws
            .ecr
            .create_repository_creation_template()
            .prefix(&prefix)
            .set_description(s.description)
            .set_applied_for(Some(s.applied_for))
            .set_custom_role_arn(s.custom_role_arn)
            .image_tag_mutability(s.mutability)
            .set_image_tag_mutability_exclusion_filters(s.exclusion_filters)
            .set_encryption_configuration(s.encryption)
            .set_lifecycle_policy(s.lifecycle_policy)
            .set_repository_policy(s.repository_policy)
            .set_resource_tags(s.resource_tags);
        match req.send().await {
            Ok(_) => {}
            Err(e)
                if is(
                    &e,
                    CreateRepositoryCreationTemplateError::is_template_already_exists_exception,
                ) =>
            {
                diags.attr_error(
                    AttrPath::attr("prefix"),
                    format!("A repository creation template for {prefix:?} already exists"),
                    format!(
                        "{}\n\nImport it instead: terraform import <address> {prefix}@{}",
                        text(&e),
                        aws.region
                    ),
                );
                return None;
            }
            Err(e) => {
                diags.error(
                    format!("Creating the repository creation template {prefix:?} failed"),
                    text(&e),
                );
                return None;
            }
        }
        match self.read(ctx, plan.clone(), diags).await {
            Some(m) => Some(m),
            None if !diags.has_errors() => {
                diags.error("Repository creation template missing after create", format!("DescribeRepositoryCreationTemplates did not find {prefix:?} right after it was created."));
                Some(plan)
            }
            None => Some(plan),
        }
    }

    async fn read(
        &self,
        ctx: &Ctx<AwsClients>,
        state: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let prefix = state.prefix.str().unwrap_or_default().to_string();
        let aws = ctx.provider.in_region(state.region.str());
        match describe_template(&aws, &prefix).await {
            Ok(Some((registry_id, t))) => {
                let configured =
                    hints::lookup(HINT_ENCRYPTION, &hint_key(&prefix, Some(&aws.region)))
                        .or_else(|| hints::lookup(HINT_ENCRYPTION, &prefix))
                        .map(|h| h == "yes");
                let mut m = apply_remote(state, registry_id, &t, configured);
                region::read(&mut m.region, &aws.region);
                Some(m)
            }
            Ok(None) => {
                tracing::info!(prefix = %prefix, "repository creation template deleted outside Terraform; removing it from state");
                None
            }
            Err(e) => {
                diags.error(
                    format!("Reading the repository creation template {prefix:?} failed"),
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
        let prefix = plan.prefix.str().unwrap_or_default().to_string();
        let s = match Settings::of(&plan) {
            Ok(s) => s,
            Err(e) => {
                diags.error("Building the repository creation template failed", e);
                return Some(prior);
            }
        };
        // Cleared arguments are sent empty, so AWS drops them (an absent field keeps its value).
        let req = ctx
            .provider
            .in_region(plan.region.str())
            .ecr
            .update_repository_creation_template()
            .prefix(&prefix)
            .description(s.description.unwrap_or_default())
            .set_applied_for(Some(s.applied_for))
            .custom_role_arn(s.custom_role_arn.unwrap_or_default())
            .image_tag_mutability(s.mutability)
            .set_image_tag_mutability_exclusion_filters(s.exclusion_filters)
            .encryption_configuration(s.encryption.unwrap_or_else(aes256))
            .lifecycle_policy(s.lifecycle_policy.unwrap_or_default())
            .repository_policy(s.repository_policy.unwrap_or_default())
            .set_resource_tags(Some(s.resource_tags.unwrap_or_default()));
        if let Err(e) = req.send().await {
            diags.error(
                format!("Updating the repository creation template {prefix:?} failed"),
                text(&e),
            );
            return Some(prior);
        }
        self.read(ctx, plan, diags).await
    }

    async fn delete(&self, ctx: &Ctx<AwsClients>, state: Model, diags: &mut Diagnostics) {
        let prefix = state.prefix.str().unwrap_or_default();
        match ctx
            .provider
            .in_region(state.region.str())
            .ecr
            .delete_repository_creation_template()
            .prefix(prefix)
            .send()
            .await
        {
            Ok(_) => {}
            Err(e)
                if is(
                    &e,
                    DeleteRepositoryCreationTemplateError::is_template_not_found_exception,
                ) => {}
            Err(e) => diags.error(
                format!("Deleting the repository creation template {prefix:?} failed"),
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
        domain::check(
            &TemplateSpec {
                prefix: Some(id),
                ..Default::default()
            },
            Default::default(),
            &mut out,
        );
        if let Some(p) = out.0.into_iter().find(|p| p.error) {
            diags.error("Invalid import id", p.detail);
            return None;
        }
        Some(Model {
            id: Val::of(id),
            prefix: Val::of(id),
            region: in_region.map_or(Val::Null, Val::of),
            ..Default::default()
        })
    }
}

/// The key of a template's encryption hint: `<prefix>@<region>` for a configured region, else
/// the prefix (the provider's region).
fn hint_key(prefix: &str, region: Option<&str>) -> String {
    match region {
        Some(r) => format!("{prefix}@{r}"),
        None => prefix.to_string(),
    }
}

fn aes256() -> EncryptionConfigurationForRepositoryCreationTemplate {
    EncryptionConfigurationForRepositoryCreationTemplate::builder()
        .encryption_type(EncryptionType::Aes256)
        .build()
        .expect("encryption_type is set")
}

/// A template's settings in SDK types.
struct Settings {
    description: Option<String>,
    applied_for: Vec<RctAppliedFor>,
    custom_role_arn: Option<String>,
    mutability: ImageTagMutability,
    exclusion_filters: Option<Vec<ImageTagMutabilityExclusionFilter>>,
    encryption: Option<EncryptionConfigurationForRepositoryCreationTemplate>,
    lifecycle_policy: Option<String>,
    repository_policy: Option<String>,
    resource_tags: Option<Vec<Tag>>,
}

impl Settings {
    fn of(m: &Model) -> Result<Settings, String> {
        let filters = m
            .image_tag_mutability_exclusion_filter
            .items()
            .iter()
            .map(|f| {
                ImageTagMutabilityExclusionFilter::builder()
                    .filter(f.filter.str().unwrap_or_default())
                    .filter_type(ImageTagMutabilityExclusionFilterType::from(
                        f.filter_type.str().unwrap_or("WILDCARD"),
                    ))
                    .build()
                    .map_err(|e| e.to_string())
            })
            .collect::<Result<Vec<_>, _>>()?;
        let encryption = match m.encryption_configuration.items().first() {
            Some(e) => Some(
                EncryptionConfigurationForRepositoryCreationTemplate::builder()
                    .encryption_type(EncryptionType::from(
                        e.encryption_type.str().unwrap_or("AES256"),
                    ))
                    .set_kms_key(e.kms_key.str().map(str::to_string))
                    .build()
                    .map_err(|e| e.to_string())?,
            ),
            None => None,
        };
        let tags = m
            .resource_tags
            .known()
            .map(|t| {
                t.iter()
                    .map(|(k, v)| {
                        Tag::builder()
                            .key(k)
                            .value(v)
                            .build()
                            .map_err(|e| e.to_string())
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?;
        Ok(Settings {
            description: m.description.str().map(str::to_string),
            applied_for: m
                .applied_for
                .items()
                .iter()
                .filter_map(|v| v.str().map(RctAppliedFor::from))
                .collect(),
            custom_role_arn: m.custom_role_arn.str().map(str::to_string),
            mutability: ImageTagMutability::from(m.image_tag_mutability.str().unwrap_or("MUTABLE")),
            exclusion_filters: (!filters.is_empty()).then_some(filters),
            encryption,
            lifecycle_policy: m.lifecycle_policy.str().map(str::to_string),
            repository_policy: m.repository_policy.str().map(str::to_string),
            resource_tags: tags,
        })
    }
}

/// An optional string as state holds it: AWS's empty string is "not set".
fn opt(s: Option<&str>) -> Val<String> {
    s.filter(|s| !s.is_empty()).map_or(Val::Null, Val::of)
}

/// State from what AWS holds, keeping the prior's form where AWS only echoes a default or
/// reformats a document. `encryption_block`: whether the configuration writes an encryption
/// block, when known (AWS answers AES256 for a template created without one).
fn apply_remote(
    prior: Model,
    registry_id: Option<String>,
    t: &RepositoryCreationTemplate,
    encryption_block: Option<bool>,
) -> Model {
    let remote_lifecycle = opt(t.lifecycle_policy());
    let lifecycle_policy = match (prior.lifecycle_policy.str(), remote_lifecycle.str()) {
        (Some(a), Some(b)) if lifecycle::semantically_equal(a, b) => prior.lifecycle_policy.clone(),
        _ => remote_lifecycle,
    };
    let remote_policy = opt(t.repository_policy());
    let repository_policy = match (prior.repository_policy.str(), remote_policy.str()) {
        (Some(a), Some(b)) if policy::semantically_equal(a, b) => prior.repository_policy.clone(),
        _ => remote_policy,
    };
    let encryption = t.encryption_configuration().map(|e| Encryption {
        encryption_type: Val::of(e.encryption_type().as_str()),
        kms_key: opt(e.kms_key()),
    });
    let encryption_configuration = match encryption {
        // AWS's default echoed back for a template configured without the block: no diff.
        // Without a hint, a state without the block keeps none (an import's null takes it).
        Some(e)
            if e.encryption_type.str() == Some("AES256")
                && e.kms_key.is_null()
                && encryption_block.map_or(
                    prior
                        .encryption_configuration
                        .known()
                        .is_some_and(Vec::is_empty),
                    |b| !b,
                ) =>
        {
            vec![]
        }
        Some(e) => vec![e],
        None => vec![],
    };
    let tags: BTreeMap<String, String> = t
        .resource_tags()
        .iter()
        .map(|x| (x.key().to_string(), x.value().to_string()))
        .collect();
    let resource_tags =
        if tags.is_empty() && prior.resource_tags.known().is_none_or(BTreeMap::is_empty) {
            if prior.resource_tags.is_known() {
                prior.resource_tags.clone()
            } else {
                Val::Null
            }
        } else {
            Val::Known(tags)
        };
    let prefix = t.prefix().map_or(prior.prefix.clone(), Val::of);
    Model {
        id: prefix.clone(),
        prefix,
        description: opt(t.description()),
        applied_for: Val::Known({
            let mut v: Vec<String> = t
                .applied_for()
                .iter()
                .map(|a| a.as_str().to_string())
                .collect();
            v.sort();
            v.into_iter().map(Val::Known).collect()
        }),
        custom_role_arn: opt(t.custom_role_arn()),
        image_tag_mutability: Val::of(t.image_tag_mutability().map_or("MUTABLE", |m| m.as_str())),
        image_tag_mutability_exclusion_filter: Val::Known(
            t.image_tag_mutability_exclusion_filters()
                .iter()
                .map(|f| ExclusionFilter {
                    filter: Val::of(f.filter()),
                    filter_type: Val::of(f.filter_type().as_str()),
                })
                .collect(),
        ),
        encryption_configuration: Val::Known(encryption_configuration),
        lifecycle_policy,
        repository_policy,
        resource_tags,
        registry_id: registry_id.map_or(prior.registry_id.clone(), Val::Known),
        posture_ignore: prior.posture_ignore,
        region: prior.region,
    }
}

// ------------------------------------------------------------------------------------------
// `moved` from hashicorp/aws's aws_ecr_repository_creation_template (crate::moves has the translation)

/// This type's state for hashicorp/aws's `aws_ecr_repository_creation_template` state `src`; `provider_region` fills a 5.x state's missing region. The refresh that follows the move shapes the encryption block like the configuration (`apply_remote`).
fn moved_from_aws(
    src: &crate::moves::Source<'_>,
    provider_region: Option<&str>,
) -> Result<Model, crate::moves::MoveError> {
    let t = crate::moves::registry::creation_template(src)?;
    Ok(Model {
        id: Val::of(&t.prefix),
        prefix: Val::of(t.prefix),
        description: t.description.into(),
        applied_for: Val::Known(t.applied_for.into_iter().map(Val::Known).collect()),
        custom_role_arn: t.custom_role_arn.into(),
        image_tag_mutability: Val::of(t.image_tag_mutability),
        image_tag_mutability_exclusion_filter: Val::Known(
            t.exclusion_filters
                .into_iter()
                .map(|(filter, filter_type)| ExclusionFilter {
                    filter: Val::of(filter),
                    filter_type: Val::of(filter_type),
                })
                .collect(),
        ),
        encryption_configuration: Val::Known(
            t.encryption
                .into_iter()
                .map(|(kind, key)| Encryption {
                    encryption_type: Val::of(kind),
                    kms_key: key.into(),
                })
                .collect(),
        ),
        lifecycle_policy: t.lifecycle_policy.into(),
        repository_policy: t.repository_policy.into(),
        resource_tags: if t.resource_tags.is_empty() {
            Val::Null
        } else {
            Val::Known(t.resource_tags)
        },
        registry_id: t.registry_id.into(),
        posture_ignore: Val::Null,
        region: t.region.or(provider_region.map(str::to_string)).into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIFECYCLE: &str = r#"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}"#;

    fn base() -> Model {
        Model {
            prefix: Val::of("docker-hub"),
            applied_for: Val::Known(vec![Val::of("PULL_THROUGH_CACHE")]),
            ..Default::default()
        }
    }

    fn paths(m: &Model) -> Vec<(String, bool)> {
        let mut d = Diagnostics::new();
        EcrRepositoryCreationTemplate.validate(m, &mut d);
        d.0.iter()
            .map(|x| {
                (
                    x.attribute
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                    x.severity == crate::protocol::diagnostics::Severity::Error,
                )
            })
            .collect()
    }

    #[test]
    fn the_lifecycle_policy_is_checked_like_ecr_lifecycle_policy() {
        let good = Model {
            lifecycle_policy: Val::of(LIFECYCLE),
            ..base()
        };
        assert!(paths(&good).is_empty());
        // Two rules with the same priority: refused by the lifecycle rules.
        let dup = LIFECYCLE.replace("[{", "[{\"rulePriority\":1,\"selection\":{\"tagStatus\":\"any\",\"countType\":\"imageCountMoreThan\",\"countNumber\":5},\"action\":{\"type\":\"expire\"}},{");
        let bad = Model {
            lifecycle_policy: Val::of(dup),
            ..base()
        };
        let found = paths(&bad);
        assert!(
            found.iter().any(|(p, e)| p == "lifecycle_policy" && *e),
            "{found:?}"
        );
        let mut direct = Diagnostics::new();
        check_policy_text(
            &bad.lifecycle_policy,
            &AttrPath::attr("lifecycle_policy"),
            &mut direct,
        );
        assert_eq!(
            direct.0.len(),
            found
                .iter()
                .filter(|(p, _)| p == "lifecycle_policy")
                .count(),
            "same findings as the shared check"
        );
    }

    #[test]
    fn the_repository_policy_is_checked_like_ecr_repository_policy() {
        let bad = Model {
            repository_policy: Val::of(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Permit","Principal":"*","Action":"ecr:BatchGetImage"}]}"#,
            ),
            ..base()
        };
        let found = paths(&bad);
        assert!(
            found.contains(&("repository_policy".to_string(), true)),
            "{found:?}"
        );
        let mut direct = Diagnostics::new();
        check_policy(
            &bad.repository_policy,
            Kind::Repository,
            "repository_policy",
            &mut direct,
        );
        assert_eq!(
            direct.0.len(),
            found.len(),
            "the same findings as ecr_repository_policy's check"
        );
    }

    #[test]
    fn arguments_are_checked_at_their_paths() {
        let m = Model {
            prefix: Val::of("Bad Prefix"),
            description: Val::of("d".repeat(257)),
            applied_for: Val::Known(vec![Val::of("ON_PULL")]),
            image_tag_mutability: Val::of("IMMUTABLE"),
            image_tag_mutability_exclusion_filter: Val::Known(vec![ExclusionFilter {
                filter: Val::of("latest"),
                filter_type: Val::of("WILDCARD"),
            }]),
            encryption_configuration: Val::Known(vec![Encryption {
                encryption_type: Val::of("AES256"),
                kms_key: Val::of("arn:aws:kms:us-east-1:123456789012:key/abc"),
            }]),
            ..Default::default()
        };
        let got: Vec<String> = paths(&m).into_iter().map(|(p, _)| p).collect();
        assert_eq!(
            got,
            [
                "prefix",
                "description",
                "applied_for",
                "image_tag_mutability_exclusion_filter",
                "encryption_configuration[0].kms_key"
            ]
        );
    }

    #[test]
    fn reformatted_documents_and_echoed_defaults_keep_the_prior_form() {
        let pretty = serde_json::to_string_pretty(
            &serde_json::from_str::<serde_json::Value>(LIFECYCLE).unwrap(),
        )
        .unwrap();
        let prior = Model {
            encryption_configuration: Val::Known(vec![]),
            lifecycle_policy: Val::of(&pretty),
            registry_id: Val::of("123456789012"),
            ..base()
        };
        let t = RepositoryCreationTemplate::builder()
            .prefix("docker-hub")
            .applied_for(RctAppliedFor::PullThroughCache)
            .lifecycle_policy(LIFECYCLE)
            .image_tag_mutability(ImageTagMutability::Mutable)
            .encryption_configuration(aes256())
            .build();
        let m = apply_remote(prior.clone(), None, &t, None);
        // The configuration's form, when the validate of this command recorded it, wins; an
        // import (no prior block, no hint) takes AWS's block.
        assert_eq!(
            apply_remote(prior.clone(), None, &t, Some(true))
                .encryption_configuration
                .items()
                .len(),
            1
        );
        let imported = Model {
            encryption_configuration: Val::Null,
            ..prior.clone()
        };
        assert_eq!(
            apply_remote(imported.clone(), None, &t, None)
                .encryption_configuration
                .items()
                .len(),
            1
        );
        assert_eq!(
            apply_remote(imported, None, &t, Some(false)).encryption_configuration,
            Val::Known(vec![])
        );
        assert_eq!(m.lifecycle_policy, prior.lifecycle_policy);
        assert_eq!(m.encryption_configuration, Val::Known(vec![]));
        assert_eq!(m.registry_id.str(), Some("123456789012"));
        assert!(m.description.is_null() && m.resource_tags.is_null());
        // A real change shows.
        let changed = RepositoryCreationTemplate::builder()
            .prefix("docker-hub")
            .lifecycle_policy(LIFECYCLE.replace("14", "30"))
            .build();
        assert_ne!(
            apply_remote(prior, None, &changed, None)
                .lifecycle_policy
                .str(),
            Some(pretty.as_str())
        );
    }

    #[test]
    fn documents_over_aws_size_limits_are_refused_at_their_paths() {
        // CreateRepositoryCreationTemplate: lifecyclePolicy at most 30 720 characters,
        // repositoryPolicy at most 10 240 (AWS ECR API reference, RepositoryCreationTemplate).
        let mut m = base();
        m.lifecycle_policy = Val::of(format!(
            "{}{}",
            &LIFECYCLE[..LIFECYCLE.len() - 1],
            " ".repeat(30_721 - LIFECYCLE.len()) + "}"
        ));
        assert_eq!(m.lifecycle_policy.str().unwrap().chars().count(), 30_721);
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Pull","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"ecr:BatchGetImage"}]}"#;
        m.repository_policy = Val::of(format!(
            "{}{}}}",
            &policy[..policy.len() - 1],
            " ".repeat(10_241 - policy.len())
        ));
        assert_eq!(m.repository_policy.str().unwrap().chars().count(), 10_241);
        let p = paths(&m);
        // One error each, on the attribute.
        assert_eq!(
            p.iter().filter(|x| x.1).collect::<Vec<_>>(),
            [
                &("lifecycle_policy".to_string(), true),
                &("repository_policy".to_string(), true)
            ],
            "{p:?}"
        );
    }

    #[test]
    fn the_kms_key_is_checked_against_the_templates_own_region() {
        let key = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        let mut m = base();
        m.encryption_configuration = Val::Known(vec![Encryption {
            encryption_type: Val::of("KMS"),
            kms_key: Val::of(key),
        }]);
        let plan_in = |region: &str| {
            let mut c = m.clone();
            c.region = Val::of(region);
            let siblings = std::sync::Arc::new(crate::framework::Siblings::default());
            let p = crate::framework::testing::plan(
                EcrRepositoryCreationTemplate,
                None,
                &c,
                None,
                &siblings,
            );
            (p.planned.region.clone(), p.diags)
        };
        let (planned, d) = plan_in("eu-west-1");
        assert_eq!(planned, Val::of("eu-west-1"));
        assert!(!d.has_errors(), "{d:?}");
        let (_, d) = plan_in("us-east-1");
        assert!(
            d.0.iter().any(|x| x.summary == "kms_key in another region"
                && x.attribute
                    == Some(
                        AttrPath::attr("encryption_configuration")
                            .then_index(0)
                            .then_attr("kms_key")
                    )),
            "{d:?}"
        );
        let (_, d) = plan_in("cn-north-1");
        assert!(d
            .0
            .iter()
            .any(|x| x.summary == "kms_key in another partition"));
    }

    #[test]
    fn settings_carry_every_argument() {
        let m = Model {
            description: Val::of("d"),
            custom_role_arn: Val::of("arn:aws:iam::123456789012:role/r"),
            image_tag_mutability: Val::of("IMMUTABLE_WITH_EXCLUSION"),
            image_tag_mutability_exclusion_filter: Val::Known(vec![ExclusionFilter {
                filter: Val::of("latest"),
                filter_type: Val::of("WILDCARD"),
            }]),
            encryption_configuration: Val::Known(vec![Encryption {
                encryption_type: Val::of("KMS"),
                kms_key: Val::Null,
            }]),
            resource_tags: Val::Known([("team".to_string(), "a".to_string())].into()),
            ..base()
        };
        let s = Settings::of(&m).unwrap();
        assert_eq!(s.applied_for, vec![RctAppliedFor::PullThroughCache]);
        assert_eq!(s.exclusion_filters.unwrap()[0].filter(), "latest");
        assert_eq!(
            s.encryption.unwrap().encryption_type(),
            &EncryptionType::Kms
        );
        assert_eq!(s.resource_tags.unwrap()[0].key(), "team");
        assert_eq!(s.mutability, ImageTagMutability::ImmutableWithExclusion);
    }
}
