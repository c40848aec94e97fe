//! `ecr_pull_through_cache_rule`: caches images of an upstream registry (Docker Hub, Quay,
//! registry.k8s.io, ...) under a repository prefix of the private registry.

use serde::{Deserialize, Serialize};

use aws_sdk_ecr::operation::create_pull_through_cache_rule::CreatePullThroughCacheRuleError;
use aws_sdk_ecr::operation::delete_pull_through_cache_rule::DeletePullThroughCacheRuleError;
use aws_sdk_ecr::operation::describe_pull_through_cache_rules::DescribePullThroughCacheRulesError;
use aws_sdk_ecr::types::PullThroughCacheRule;
use aws_smithy_types::date_time::Format;

use super::common::adopt_or_explain;
use super::identity;
use crate::aws::errors::{self, is};
use crate::aws::AwsClients;
use crate::findings::Finding;
use crate::framework::IdentitySchema;
use crate::framework::{
    import, AttrPath, Attribute, Block, Ctx, Diagnostics, Plan, Resource, Schema, Val,
};
use crate::pullthrough::{self, Names, RuleInput};
use crate::shared::region;

pub struct EcrPullThroughCacheRule;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Model {
    pub id: Val<String>,
    pub ecr_repository_prefix: Val<String>,
    pub upstream_registry_url: Val<String>,
    pub credential_arn: Val<String>,
    pub custom_role_arn: Val<String>,
    pub upstream_repository_prefix: Val<String>,
    pub registry_id: Val<String>,
    pub upstream_registry: Val<String>,
    pub repository_url_prefix: Val<String>,
    pub created_at: Val<String>,
    pub updated_at: Val<String>,
    pub region: Val<String>,
}

fn input(m: &Model) -> RuleInput<'_> {
    RuleInput {
        ecr_repository_prefix: m.ecr_repository_prefix.str(),
        upstream_registry_url: m.upstream_registry_url.str(),
        credential_arn: m.credential_arn.str(),
        custom_role_arn: m.custom_role_arn.str(),
        upstream_repository_prefix: m.upstream_repository_prefix.str(),
        upstream_registry: None,
        credential_arn_null: m.credential_arn.is_null(),
    }
}

/// Findings carry the Terraform attribute name as their path.
fn report(findings: Vec<Finding>, diags: &mut Diagnostics) {
    crate::framework::validate::attribute_findings(diags, findings);
}

fn ts(t: Option<&aws_smithy_types::DateTime>) -> Val<String> {
    t.and_then(|d| d.fmt(Format::DateTime).ok()).into()
}

/// The identity (`import { identity = { … } }`, Terraform ≥ 1.12), as hashicorp/aws names it
/// where it has one: account, region and `ecr_repository_prefix`.
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Identity {
    pub account_id: Val<String>,
    pub region: Val<String>,
    pub ecr_repository_prefix: Val<String>,
}

#[async_trait::async_trait]
impl Resource for EcrPullThroughCacheRule {
    type Model = Model;
    type Provider = AwsClients;
    type Identity = Identity;

    fn type_name(&self) -> &'static str {
        "ecr_pull_through_cache_rule"
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
            "ecr_repository_prefix",
            "The repository prefix of the rule in this registry.",
        )])
    }

    fn identity(&self, m: &Model, aws: &AwsClients) -> Identity {
        Identity {
            account_id: identity::account(&m.registry_id, aws),
            region: identity::region(&m.region, aws),
            ecr_repository_prefix: m.ecr_repository_prefix.clone(),
        }
    }

    fn import_id(&self, i: &Identity, aws: &AwsClients, diags: &mut Diagnostics) -> Option<String> {
        if !identity::check_scope(&i.account_id, None, aws, diags) {
            return None;
        }
        let id = identity::required(&i.ecr_repository_prefix, "ecr_repository_prefix", diags)
            .map(str::to_string);
        identity::in_region(id, &i.region, aws)
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new("A pull-through cache rule: `docker pull <registry>/<prefix>/<upstream image>` fetches the image from the upstream registry once and keeps it in ECR.\n\nUpstreams that need credentials (Docker Hub, GitHub, GitLab, Azure, Chainguard) take a Secrets Manager secret whose name starts with `ecr-pullthroughcache/`, in the registry's own account and region; the others (ECR Public, Quay, registry.k8s.io) don't require one. What AWS documents refusing is an error at `terraform validate` / `plan` on the attribute; the merely unusual (a credential for an upstream that needs none, a role or upstream prefix on a non-ECR upstream, a URL with a scheme) is a warning. `terraform-provider-ecr pullthrough validate` runs the same checks on a rule written as the API's JSON.\n\nIf the prefix already has a rule when this one is created, the provider adopts it (with a warning) only when it is identical (upstream registry URL, upstream repository prefix, credential and role), as an interrupted apply leaves it; otherwise the create fails, saying what differs, with the `terraform import` command to use.")
                .attr(Attribute::string("id").computed().description("The ECR repository prefix."))
                .attr(region::resource_attribute())
                .attr(Attribute::string("ecr_repository_prefix").required().requires_replace().description("Repository prefix in this registry, 2–30 characters (lowercase letters, digits, `.`, `_`, `-`, `/` between components), or `ROOT` for every repository without a more specific rule."))
                .attr(Attribute::string("upstream_registry_url").required().requires_replace().description("Upstream registry host: `public.ecr.aws`, `registry.k8s.io`, `quay.io`, `registry-1.docker.io` (Docker Hub), `ghcr.io`, `registry.gitlab.com`, `<name>.azurecr.io`, `cgr.dev` (Chainguard) or `<account>.dkr.ecr.<region>.amazonaws.com` (another ECR registry); see the table below. `docker.io` is refused with a hint, and unknown hosts with the list of supported ones; a scheme or path around the host is a warning."))
                .attr(Attribute::string("credential_arn").optional().description("ARN of the Secrets Manager secret (`ecr-pullthroughcache/<name>`, same account and region) holding the upstream credentials. Required for Docker Hub, GitHub, GitLab, Azure and Chainguard; for the others a warning (AWS says they don't require authentication). Updated in place (`UpdatePullThroughCacheRule`); removing the last of `credential_arn` and `custom_role_arn` replaces the rule (the API cannot update to \"no credentials\")."))
                .attr(Attribute::string("custom_role_arn").optional().description("IAM role (in this registry's account) ECR assumes to pull from an ECR upstream in another account. Updated in place (see `credential_arn` for removing it)."))
                .attr(Attribute::string("upstream_repository_prefix").optional().requires_replace().description("For an ECR upstream: the repository prefix in the upstream registry that `ecr_repository_prefix` maps to (AWS default `ROOT`). Only with a non-`ROOT` `ecr_repository_prefix`."))
                .attr(Attribute::string("registry_id").computed().use_state_for_unknown().description("Account id of the registry holding the rule."))
                .attr(Attribute::string("upstream_registry").computed().use_state_for_unknown().description("The recognised upstream kind: `docker-hub`, `ecr-public`, `quay`, `k8s`, `github-container-registry`, `gitlab-container-registry`, `azure-container-registry`, `chainguard` or `ecr`."))
                .attr(Attribute::string("repository_url_prefix").computed().use_state_for_unknown().description("What to put in a Dockerfile `FROM`: `<account>.dkr.ecr.<region>.amazonaws.com/<prefix>` (no prefix for `ROOT`), e.g. `FROM ${repository_url_prefix}/library/node:20-alpine` for Docker Hub."))
                .attr(Attribute::string("created_at").computed().use_state_for_unknown().description("When the rule was created (RFC 3339)."))
                .attr(Attribute::string("updated_at").computed().use_state_for_unknown().description("When the rule's credentials were last updated (RFC 3339), if ever.")),
        )
    }

    fn docs(&self) -> crate::framework::Docs {
        crate::framework::Docs {
            notes: "## Upstream registries

| Upstream (`upstream_registry_url`) | `upstream_registry` | `credential_arn` |
|---|---|---|
| `public.ecr.aws` | `ecr-public` | not needed (a warning if set) |
| `registry.k8s.io` | `k8s` | not needed (a warning if set) |
| `quay.io` | `quay` | not needed (a warning if set) |
| `registry-1.docker.io` (Docker Hub; `docker.io` is refused with a hint) | `docker-hub` | required |
| `ghcr.io` | `github-container-registry` | required |
| `registry.gitlab.com` | `gitlab-container-registry` | required |
| `<name>.azurecr.io` | `azure-container-registry` | required |
| `cgr.dev` | `chainguard` | required |
| `<account>.dkr.ecr.<region>.amazonaws.com` | `ecr` | not needed (a warning if set); `custom_role_arn` for another account |

The secret's name must start with `ecr-pullthroughcache/`, and the secret must live in the
registry's own region and account (the region/account checks run at plan, when the provider is
known; the account check needs credential validation, i.e. not `skip_credentials_validation`).".into(),
            import: Some(crate::framework::ImportDocs {
                id: "Import with the ECR repository prefix.",
                example: "docker-hub",
            }),
            ..Default::default()
        }
    }

    fn validate(&self, c: &Model, diags: &mut Diagnostics) {
        region::validate(&c.region, diags);
        report(
            pullthrough::check(&input(c), None, None, Names::Terraform),
            diags,
        );
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
        // The region/account rules need the provider; report only what validate could not.
        if let Some(aws) = provider {
            let base = pullthrough::check(&input(&plan.config), None, None, Names::Terraform);
            let full = pullthrough::check(
                &input(&plan.config),
                Some(&aws.region),
                aws.account_id.as_deref(),
                Names::Terraform,
            );
            report(
                full.into_iter().filter(|p| !base.contains(p)).collect(),
                diags,
            );
        }
        let p = &mut plan.planned;
        p.id = p.ecr_repository_prefix.clone();
        let same_upstream = plan.prior.as_ref().is_some_and(|pr| {
            pr.upstream_registry_url == p.upstream_registry_url && pr.upstream_registry.is_known()
        });
        if !same_upstream {
            p.upstream_registry = match p.upstream_registry_url.str().map(pullthrough::classify) {
                Some(Ok(u)) => Val::of(u.kind()),
                _ => Val::Unknown,
            };
        }
        match &plan.prior {
            None => {
                p.repository_url_prefix = match (
                    provider,
                    provider.and_then(|a| a.account_id.as_deref()),
                    p.ecr_repository_prefix.str(),
                ) {
                    (Some(aws), Some(acc), Some(prefix)) => {
                        Val::of(pullthrough::repository_url_prefix(acc, &aws.region, prefix))
                    }
                    _ => Val::Unknown,
                };
            }
            Some(prior) => {
                if prior.credential_arn != p.credential_arn
                    || prior.custom_role_arn != p.custom_role_arn
                {
                    p.updated_at = Val::Unknown;
                    // UpdatePullThroughCacheRule needs a credential or a role: removing the
                    // last one can only be done by replacing the rule.
                    if p.credential_arn.is_null() && p.custom_role_arn.is_null() {
                        let attr = if prior.credential_arn.is_known() {
                            "credential_arn"
                        } else {
                            "custom_role_arn"
                        };
                        plan.requires_replace.push(AttrPath::attr(attr));
                    }
                }
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
        let prefix = plan
            .ecr_repository_prefix
            .str()
            .unwrap_or_default()
            .to_string();
        let mut req = aws
            .ecr
            .create_pull_through_cache_rule()
            .ecr_repository_prefix(&prefix)
            .upstream_registry_url(plan.upstream_registry_url.str().unwrap_or_default());
        if let Some(u) = plan.upstream_registry.str() {
            req = req.upstream_registry(aws_sdk_ecr::types::UpstreamRegistry::from(u));
        }
        if let Some(c) = plan.credential_arn.str() {
            req = req.credential_arn(c);
        }
        if let Some(r) = plan.custom_role_arn.str() {
            req = req.custom_role_arn(r);
        }
        if let Some(u) = plan.upstream_repository_prefix.str() {
            req = req.upstream_repository_prefix(u);
        }
        let out = match req.send().await {
            Ok(o) => o,
            Err(e)
                if is(
                    &e,
                    CreatePullThroughCacheRuleError::is_pull_through_cache_rule_already_exists_exception,
                ) =>
            {
                return adopt(aws, plan, diags).await;
            }
            Err(e) => {
                let secret = is(&e, |k| {
                    k.is_secret_not_found_exception()
                        || k.is_unable_to_access_secret_exception()
                        || k.is_unable_to_decrypt_secret_value_exception()
                });
                let (attr, hint) = if secret {
                    ("credential_arn", "\n\nCheck that the secret exists in this account and region and that ECR may read and decrypt it.".to_string())
                } else if is(&e, CreatePullThroughCacheRuleError::is_unsupported_upstream_registry_exception) {
                    ("upstream_registry_url", String::new())
                } else {
                    ("", String::new())
                };
                let summary = format!("Creating pull-through cache rule {prefix:?} failed");
                if attr.is_empty() {
                    diags.error(summary, errors::text(&e));
                } else {
                    diags.attr_error(
                        AttrPath::attr(attr),
                        summary,
                        format!("{}{hint}", errors::text(&e)),
                    );
                }
                return None;
            }
        };
        let mut state = plan;
        state.id = Val::of(prefix.clone());
        state.registry_id = out.registry_id().map(str::to_string).into();
        state.created_at = ts(out.created_at());
        // The rule exists from here: always return state.
        let state = match describe_rule(aws, &prefix).await {
            Ok(Some(rule)) => apply_remote(state, &rule, &aws.region),
            Ok(None) | Err(_) => finish(state, &aws.region),
        };
        Some(state)
    }

    async fn read(
        &self,
        ctx: &Ctx<AwsClients>,
        state: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let prefix = state
            .ecr_repository_prefix
            .str()
            .or(state.id.str())
            .unwrap_or_default()
            .to_string();
        let aws = ctx.provider.in_region(state.region.str());
        match describe_rule(&aws, &prefix).await {
            Ok(Some(rule)) => {
                let mut m = apply_remote(state, &rule, &aws.region);
                region::read(&mut m.region, &aws.region);
                Some(m)
            }
            Ok(None) => None,
            Err(e) => {
                diags.error(
                    format!("Reading pull-through cache rule {prefix:?} failed"),
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
        let prefix = prior
            .ecr_repository_prefix
            .str()
            .unwrap_or_default()
            .to_string();
        let mut req = aws
            .ecr
            .update_pull_through_cache_rule()
            .ecr_repository_prefix(&prefix);
        if let Some(c) = plan.credential_arn.str() {
            req = req.credential_arn(c);
        }
        if let Some(r) = plan.custom_role_arn.str() {
            req = req.custom_role_arn(r);
        }
        let out = match req.send().await {
            Ok(o) => o,
            Err(e) => {
                let attr = if prior.credential_arn != plan.credential_arn {
                    "credential_arn"
                } else {
                    "custom_role_arn"
                };
                diags.attr_error(
                    AttrPath::attr(attr),
                    format!("Updating pull-through cache rule {prefix:?} failed"),
                    errors::text(&e),
                );
                return Some(prior);
            }
        };
        let mut state = plan;
        state.updated_at = ts(out.updated_at());
        match describe_rule(aws, &prefix).await {
            Ok(Some(rule)) => Some(apply_remote(state, &rule, &aws.region)),
            _ => Some(finish(state, &aws.region)),
        }
    }

    async fn delete(&self, ctx: &Ctx<AwsClients>, state: Model, diags: &mut Diagnostics) {
        let prefix = state
            .ecr_repository_prefix
            .str()
            .unwrap_or_default()
            .to_string();
        match ctx
            .provider
            .in_region(state.region.str())
            .ecr
            .delete_pull_through_cache_rule()
            .ecr_repository_prefix(&prefix)
            .send()
            .await
        {
            Ok(_) => {}
            Err(e)
                if is(
                    &e,
                    DeletePullThroughCacheRuleError::is_pull_through_cache_rule_not_found_exception,
                ) => {}
            Err(e) => diags.error(
                format!("Deleting pull-through cache rule {prefix:?} failed"),
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
        import::passthrough_in_region(
            self.type_name(),
            id,
            &["id", "ecr_repository_prefix"],
            |id| pullthrough::check_prefix(id).err(),
            region::is_region_name,
            "<ecr-repository-prefix>",
            diags,
        )
    }
}

/// CreatePullThroughCacheRule said the prefix is taken: an identical rule (what an interrupted
/// apply leaves) is harmless to adopt; a different one is refused with the import command.
async fn adopt(aws: &AwsClients, plan: Model, diags: &mut Diagnostics) -> Option<Model> {
    let prefix = plan
        .ecr_repository_prefix
        .str()
        .unwrap_or_default()
        .to_string();
    let rule = match describe_rule(aws, &prefix).await {
        Ok(Some(r)) => r,
        Ok(None) => {
            diags.error(
                format!("Pull-through cache rule {prefix:?} already exists but cannot be read"),
                "CreatePullThroughCacheRule answered PullThroughCacheRuleAlreadyExists, but DescribePullThroughCacheRules does not find it.",
            );
            return None;
        }
        Err(e) => {
            diags.error(
                format!("Pull-through cache rule {prefix:?} already exists; reading it failed"),
                e,
            );
            return None;
        }
    };
    let differences = rule_differences(&plan, &rule);
    let verdict = if differences.is_empty() {
        Ok("it is identical to the configured rule (upstream registry URL, upstream repository prefix, credential and role), as an apply interrupted after AWS created it leaves it".to_string())
    } else {
        Err(differences.join("; "))
    };
    if !adopt_or_explain(
        diags,
        "pull-through cache rule",
        "ecr_pull_through_cache_rule",
        &prefix,
        verdict,
    ) {
        return None;
    }
    tracing::warn!(prefix = %prefix, "adopting an identical pull-through cache rule");
    Some(apply_remote(plan, &rule, &aws.region))
}

/// How an existing rule differs from the planned one, field by field (empty: identical).
/// AWS reports `ROOT` for an unset upstream repository prefix.
fn rule_differences(plan: &Model, r: &PullThroughCacheRule) -> Vec<String> {
    let upstream_prefix = |v: Option<&str>| match v {
        None | Some("ROOT") => "ROOT".to_string(),
        Some(p) => p.to_string(),
    };
    let fields = [
        (
            "upstream_registry_url",
            r.upstream_registry_url().unwrap_or("(none)").to_string(),
            plan.upstream_registry_url
                .str()
                .unwrap_or("(none)")
                .to_string(),
        ),
        (
            "upstream_repository_prefix",
            upstream_prefix(r.upstream_repository_prefix()),
            upstream_prefix(plan.upstream_repository_prefix.str()),
        ),
        (
            "credential_arn",
            r.credential_arn().unwrap_or("(none)").to_string(),
            plan.credential_arn.str().unwrap_or("(none)").to_string(),
        ),
        (
            "custom_role_arn",
            r.custom_role_arn().unwrap_or("(none)").to_string(),
            plan.custom_role_arn.str().unwrap_or("(none)").to_string(),
        ),
    ];
    fields
        .into_iter()
        .filter(|(_, have, want)| have != want)
        .map(|(name, have, want)| format!("its {name} {have} differs from planned {want}"))
        .collect()
}

/// `Ok(None)` when no rule has this prefix.
async fn describe_rule(
    aws: &AwsClients,
    prefix: &str,
) -> Result<Option<PullThroughCacheRule>, String> {
    match aws
        .ecr
        .describe_pull_through_cache_rules()
        .ecr_repository_prefixes(prefix)
        .send()
        .await
    {
        Ok(out) => Ok(out
            .pull_through_cache_rules()
            .iter()
            .find(|r| r.ecr_repository_prefix() == Some(prefix))
            .cloned()),
        Err(e)
            if is(
                &e,
                DescribePullThroughCacheRulesError::is_pull_through_cache_rule_not_found_exception,
            ) =>
        {
            Ok(None)
        }
        Err(e) => Err(errors::text(&e)),
    }
}

/// Copies what AWS reports, keeping the configuration's form where AWS only echoes a default.
fn apply_remote(mut m: Model, r: &PullThroughCacheRule, region: &str) -> Model {
    if let Some(p) = r.ecr_repository_prefix() {
        m.ecr_repository_prefix = Val::of(p);
        m.id = Val::of(p);
    }
    if let Some(u) = r.upstream_registry_url() {
        m.upstream_registry_url = Val::of(u);
    }
    m.credential_arn = r.credential_arn().map(str::to_string).into();
    m.custom_role_arn = r.custom_role_arn().map(str::to_string).into();
    match r.upstream_repository_prefix() {
        // AWS reports its default ROOT for rules created without one.
        Some("ROOT") | None if !m.upstream_repository_prefix.is_known() => {
            m.upstream_repository_prefix = Val::Null
        }
        Some(u) => m.upstream_repository_prefix = Val::of(u),
        None => {}
    }
    if let Some(id) = r.registry_id() {
        m.registry_id = Val::of(id);
    }
    // Our classification (planned before apply) wins; AWS's value fills an import.
    if let (false, Some(u)) = (m.upstream_registry.is_known(), r.upstream_registry()) {
        m.upstream_registry = Val::of(u.as_str());
    }
    if r.created_at().is_some() {
        m.created_at = ts(r.created_at());
    }
    if r.updated_at().is_some() {
        m.updated_at = ts(r.updated_at());
    }
    finish(m, region)
}

/// Fills computed values from what is known; never leaves unknowns.
fn finish(mut m: Model, region: &str) -> Model {
    if !m.upstream_registry.is_known() {
        m.upstream_registry = match m.upstream_registry_url.str().map(pullthrough::classify) {
            Some(Ok(u)) => Val::of(u.kind()),
            _ => Val::Null,
        };
    }
    if let (Some(id), Some(prefix)) = (m.registry_id.str(), m.ecr_repository_prefix.str()) {
        m.repository_url_prefix = Val::of(pullthrough::repository_url_prefix(id, region, prefix));
    }
    for v in [
        &mut m.created_at,
        &mut m.updated_at,
        &mut m.repository_url_prefix,
        &mut m.registry_id,
    ] {
        if v.is_unknown() {
            *v = Val::Null;
        }
    }
    m
}

// ------------------------------------------------------------------------------------------
// `moved` from hashicorp/aws's aws_ecr_pull_through_cache_rule (crate::moves has the translation)

/// This type's state for hashicorp/aws's `aws_ecr_pull_through_cache_rule` state `src`; `provider_region` fills a 5.x state's missing region. The attributes hashicorp/aws has not (`upstream_registry`, `repository_url_prefix`, times) are filled by the refresh that follows.
pub fn moved_from_aws(
    src: &crate::moves::Source<'_>,
    provider_region: Option<&str>,
) -> Result<Model, crate::moves::MoveError> {
    let r = crate::moves::pull_through_cache_rule::from_aws(src)?;
    Ok(Model {
        id: Val::of(r.ecr_repository_prefix.clone()),
        ecr_repository_prefix: Val::of(r.ecr_repository_prefix),
        upstream_registry_url: Val::of(r.upstream_registry_url),
        credential_arn: r.credential_arn.into(),
        custom_role_arn: r.custom_role_arn.into(),
        upstream_repository_prefix: r.upstream_repository_prefix.into(),
        registry_id: r.registry_id.into(),
        region: r.region.or(provider_region.map(str::to_string)).into(),
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_points_at_attributes() {
        let m = Model {
            ecr_repository_prefix: Val::of("docker-hub"),
            upstream_registry_url: Val::of("registry-1.docker.io"),
            ..Default::default()
        };
        let mut d = Diagnostics::new();
        EcrPullThroughCacheRule.validate(&m, &mut d);
        assert_eq!(d.0.len(), 1);
        assert_eq!(d.0[0].attribute, Some(AttrPath::attr("credential_arn")));
        // An unknown credential (e.g. from a secret created in the same apply) is not judged.
        let unknown = Model {
            credential_arn: Val::Unknown,
            ..m
        };
        let mut d = Diagnostics::new();
        EcrPullThroughCacheRule.validate(&unknown, &mut d);
        assert!(d.is_empty());
    }

    #[test]
    fn only_an_identical_rule_is_adoptable() {
        let plan = Model {
            ecr_repository_prefix: Val::of("hub"),
            upstream_registry_url: Val::of("registry-1.docker.io"),
            credential_arn: Val::of("arn:secret:a"),
            ..Default::default()
        };
        let remote = |url: &str, cred: Option<&str>, up: Option<&str>| {
            PullThroughCacheRule::builder()
                .ecr_repository_prefix("hub")
                .upstream_registry_url(url)
                .set_credential_arn(cred.map(str::to_string))
                .set_upstream_repository_prefix(up.map(str::to_string))
                .build()
        };
        // AWS's ROOT default equals an unset upstream_repository_prefix.
        let same = remote("registry-1.docker.io", Some("arn:secret:a"), Some("ROOT"));
        assert!(rule_differences(&plan, &same).is_empty());
        assert_eq!(
            rule_differences(&plan, &remote("quay.io", Some("arn:secret:a"), None)),
            vec!["its upstream_registry_url quay.io differs from planned registry-1.docker.io"]
        );
        assert_eq!(
            rule_differences(
                &plan,
                &remote("registry-1.docker.io", Some("arn:secret:b"), None)
            ),
            vec!["its credential_arn arn:secret:b differs from planned arn:secret:a"]
        );
        assert_eq!(
            rule_differences(&plan, &remote("registry-1.docker.io", None, Some("team"))),
            vec![
                "its upstream_repository_prefix team differs from planned ROOT",
                "its credential_arn (none) differs from planned arn:secret:a"
            ]
        );
    }

    #[test]
    fn remote_root_default_keeps_null() {
        let rule = PullThroughCacheRule::builder()
            .ecr_repository_prefix("quay")
            .upstream_registry_url("quay.io")
            .registry_id("111122223333")
            .upstream_repository_prefix("ROOT")
            .build();
        let m = apply_remote(Model::default(), &rule, "us-east-1");
        assert_eq!(m.upstream_repository_prefix, Val::Null);
        assert_eq!(m.upstream_registry.str(), Some("quay"));
        assert_eq!(
            m.repository_url_prefix.str(),
            Some("111122223333.dkr.ecr.us-east-1.amazonaws.com/quay")
        );
    }
}
