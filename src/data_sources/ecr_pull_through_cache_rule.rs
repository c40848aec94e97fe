//! `ecr_pull_through_cache_rule` (data source): an existing rule by its repository prefix (one
//! DescribePullThroughCacheRules call).

use aws_sdk_ecr::operation::describe_pull_through_cache_rules::DescribePullThroughCacheRulesError;
use aws_sdk_ecr::types::PullThroughCacheRule;
use serde::{Deserialize, Serialize};

use crate::aws::errors::{is, text};
use crate::aws::AwsClients;
use crate::framework::validate;
use crate::framework::{AttrPath, Attribute, Block, Ctx, DataSource, Diagnostics, Schema, Val};
use crate::lookup::syntax::format_time;
use crate::lookup::Stamp;
use crate::pullthrough::{check_prefix, classify, repository_url_prefix, trim_prefix};
use crate::shared::region;
use crate::shared::validators::RegistryId;

pub struct EcrPullThroughCacheRuleData;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Model {
    pub id: Val<String>,
    pub ecr_repository_prefix: Val<String>,
    pub registry_id: Val<String>,
    pub upstream_registry_url: Val<String>,
    pub upstream_registry: Val<String>,
    pub credential_arn: Val<String>,
    pub custom_role_arn: Val<String>,
    pub upstream_repository_prefix: Val<String>,
    pub repository_url_prefix: Val<String>,
    pub created_at: Val<String>,
    pub updated_at: Val<String>,
    pub region: Val<String>,
}

fn time(t: Option<&aws_smithy_types::DateTime>) -> Val<String> {
    t.map(|t| {
        format_time(Stamp {
            secs: t.secs(),
            nanos: 0,
        })
    })
    .into()
}

/// State from the rule AWS reports.
fn from_rule(r: &PullThroughCacheRule, region: &str) -> Model {
    let prefix = r.ecr_repository_prefix().unwrap_or_default().to_string();
    let registry = r.registry_id().map(str::to_string);
    let upstream = r
        .upstream_registry()
        .map(|u| u.as_str().to_string())
        .or_else(|| {
            r.upstream_registry_url()
                .and_then(|u| classify(u).ok())
                .map(|u| u.kind().to_string())
        });
    Model {
        id: Val::of(prefix.clone()),
        repository_url_prefix: registry
            .as_deref()
            .map(|id| repository_url_prefix(id, region, &prefix))
            .into(),
        ecr_repository_prefix: Val::of(prefix),
        registry_id: registry.into(),
        upstream_registry_url: r.upstream_registry_url().map(str::to_string).into(),
        upstream_registry: upstream.into(),
        credential_arn: r.credential_arn().map(str::to_string).into(),
        custom_role_arn: r.custom_role_arn().map(str::to_string).into(),
        upstream_repository_prefix: r.upstream_repository_prefix().map(str::to_string).into(),
        created_at: time(r.created_at()),
        updated_at: time(r.updated_at()),
        region: Val::of(region),
    }
}

#[async_trait::async_trait]
impl DataSource for EcrPullThroughCacheRuleData {
    type Model = Model;
    type Provider = AwsClients;

    fn type_name(&self) -> &'static str {
        "ecr_pull_through_cache_rule"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new("An existing pull-through cache rule, by its repository prefix: where it pulls from and with which credentials (hashicorp/aws's `aws_ecr_pull_through_cache_rule` data source, plus `upstream_registry`, `repository_url_prefix` and the times). A prefix without a rule is an error naming it.")
                .attr(Attribute::string("id").computed().description("The ECR repository prefix."))
                .attr(Attribute::string("ecr_repository_prefix").required().description("Repository prefix of the rule: 2–30 characters (lowercase letters, digits, `.`, `_`, `-`, `/` between components), or `ROOT`."))
                .attr(Attribute::string("registry_id").optional().computed().description("Account id (12 digits) of the registry holding the rule. Default: the caller's registry, which this attribute then holds."))
                .attr(region::data_source_attribute())
                .attr(Attribute::string("upstream_registry_url").computed().description("Upstream registry host."))
                .attr(Attribute::string("upstream_registry").computed().description("The upstream kind AWS reports: `docker-hub`, `ecr-public`, `quay`, `k8s`, `github-container-registry`, `gitlab-container-registry`, `azure-container-registry`, `chainguard` or `ecr`."))
                .attr(Attribute::string("credential_arn").computed().description("ARN of the Secrets Manager secret with the upstream credentials, if any."))
                .attr(Attribute::string("custom_role_arn").computed().description("IAM role ECR assumes for an ECR upstream in another account, if any."))
                .attr(Attribute::string("upstream_repository_prefix").computed().description("For an ECR upstream: the upstream repository prefix the rule maps to (AWS reports `ROOT` when none was set)."))
                .attr(Attribute::string("repository_url_prefix").computed().description("What to put in a Dockerfile `FROM`: `<account>.dkr.ecr.<region>.amazonaws.com/<prefix>` (no prefix for `ROOT`)."))
                .attr(Attribute::string("created_at").computed().description("When the rule was created (RFC 3339)."))
                .attr(Attribute::string("updated_at").computed().description("When the rule's credentials were last updated (RFC 3339), if ever.")),
        )
    }

    fn validate(&self, c: &Model, diags: &mut Diagnostics) {
        region::validate(&c.region, diags);
        if let Some(Err(why)) = c.ecr_repository_prefix.str().map(check_prefix) {
            diags.attr_error(
                AttrPath::attr("ecr_repository_prefix"),
                "Invalid ecr_repository_prefix",
                format!("ecr_repository_prefix {why}."),
            );
        }
        validate::check(
            diags,
            &AttrPath::attr("registry_id"),
            &c.registry_id,
            &[&RegistryId],
        );
    }

    async fn read(
        &self,
        ctx: &Ctx<AwsClients>,
        c: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let aws = &ctx.provider.in_region(c.region.str());
        let asked = c
            .ecr_repository_prefix
            .str()
            .unwrap_or_default()
            .to_string();
        let prefix = trim_prefix(&asked).to_string();
        let out = aws
            .ecr
            .describe_pull_through_cache_rules()
            .ecr_repository_prefixes(&prefix)
            .set_registry_id(c.registry_id.str().map(str::to_string))
            .send()
            .await;
        let (rule, aws_text) = match out {
            Ok(o) => (
                o.pull_through_cache_rules()
                    .iter()
                    .find(|r| r.ecr_repository_prefix().map(trim_prefix) == Some(prefix.as_str()))
                    .cloned(),
                "DescribePullThroughCacheRules returned no rule for it.".to_string(),
            ),
            Err(e) if is(&e, DescribePullThroughCacheRulesError::is_pull_through_cache_rule_not_found_exception) => {
                (None, text(&e))
            }
            Err(e) => {
                diags.error(format!("Reading the pull-through cache rule {asked:?} failed"), text(&e));
                return None;
            }
        };
        let Some(rule) = rule else {
            diags.attr_error(
                AttrPath::attr("ecr_repository_prefix"),
                format!("No pull-through cache rule for prefix {asked:?}"),
                aws_text,
            );
            return None;
        };
        Some(from_rule(&rule, &aws.region))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ecr::types::UpstreamRegistry;

    #[test]
    fn rule_maps_to_state() {
        let r = PullThroughCacheRule::builder()
            .ecr_repository_prefix("docker-hub")
            .registry_id("123456789012")
            .upstream_registry_url("registry-1.docker.io")
            .upstream_registry(UpstreamRegistry::DockerHub)
            .credential_arn("arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/hub-AbCdEf")
            .created_at(aws_smithy_types::DateTime::from_secs(1_767_225_600))
            .build();
        let m = from_rule(&r, "us-east-1");
        assert_eq!(
            m.repository_url_prefix.str(),
            Some("123456789012.dkr.ecr.us-east-1.amazonaws.com/docker-hub")
        );
        assert_eq!(m.upstream_registry.str(), Some("docker-hub"));
        assert_eq!(m.created_at.str(), Some("2026-01-01T00:00:00Z"));
        assert!(m.updated_at.is_null() && m.custom_role_arn.is_null());
        // Without AWS's upstreamRegistry (older answers, emulators), the URL is classified.
        let r = PullThroughCacheRule::builder()
            .ecr_repository_prefix("quay")
            .upstream_registry_url("quay.io")
            .build();
        assert_eq!(
            from_rule(&r, "us-east-1").upstream_registry.str(),
            Some("quay")
        );
    }

    #[test]
    fn prefix_is_checked() {
        let mut d = Diagnostics::new();
        EcrPullThroughCacheRuleData.validate(
            &Model {
                ecr_repository_prefix: Val::of("A"),
                ..Default::default()
            },
            &mut d,
        );
        assert_eq!(
            d.0[0].attribute,
            Some(AttrPath::attr("ecr_repository_prefix"))
        );
    }
}
