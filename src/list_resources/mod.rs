//! List resource types for `terraform query` (Terraform ≥ 1.14), one file per type: every
//! object of a resource type in the registry, with its identity and, when asked, the full state
//! a refresh would read, so `-generate-config-out` can write configuration and import blocks.

use serde::{Deserialize, Serialize};

use crate::aws::AwsClients;
use crate::framework::{
    list_resource, Attribute, Block, Ctx, Diagnostics, DynListResource, ListOut, Resource, Schema,
    Val,
};

pub mod ecr_lifecycle_policy;
pub mod ecr_pull_through_cache_rule;
pub mod ecr_repository;
pub mod ecr_repository_policy;

pub fn all() -> Vec<Box<dyn DynListResource<AwsClients>>> {
    use crate::resources::{
        ecr_lifecycle_policy::EcrLifecyclePolicy,
        ecr_pull_through_cache_rule::EcrPullThroughCacheRule, ecr_repository::EcrRepository,
        ecr_repository_policy::EcrRepositoryPolicy,
    };
    vec![
        list_resource(ecr_repository::Repositories, EcrRepository),
        list_resource(ecr_lifecycle_policy::LifecyclePolicies, EcrLifecyclePolicy),
        list_resource(
            ecr_repository_policy::RepositoryPolicies,
            EcrRepositoryPolicy,
        ),
        list_resource(
            ecr_pull_through_cache_rule::PullThroughCacheRules,
            EcrPullThroughCacheRule,
        ),
    ]
}

/// The `config { … }` of every list resource here: an optional name prefix.
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct PrefixFilter {
    pub name_prefix: Val<String>,
}

impl PrefixFilter {
    /// `what`: e.g. "repositories"; `field`: what `name_prefix` is matched against.
    pub fn schema(what: &str, field: &str) -> Schema {
        Schema::new(
            0,
            Block::new(format!("Every one of the {what} in the registry of the provider's account and region, for `terraform query` (Terraform ≥ 1.14): each with its identity and, with `include_resource = true`, its full state, so that `terraform query -generate-config-out=FILE` writes the configuration and import blocks that bring them under management.")).attr(
                Attribute::string("name_prefix")
                    .optional()
                    .description(format!("Only {what} whose {field} starts with this text.")),
            ),
        )
    }

    pub fn matches(&self, name: &str) -> bool {
        self.name_prefix.str().is_none_or(|p| name.starts_with(p))
    }
}

/// Every repository name of the registry (all pages), sorted, with the registry id.
pub async fn repositories(aws: &AwsClients) -> Result<Vec<(String, String)>, String> {
    let mut stream = aws
        .ecr
        .describe_repositories()
        .into_paginator()
        .items()
        .send();
    let mut out = Vec::new();
    while let Some(r) = stream.next().await {
        let r = r.map_err(|e| crate::aws::errors::text(&e))?;
        if let Some(name) = r.repository_name() {
            out.push((
                name.to_string(),
                r.registry_id().unwrap_or_default().to_string(),
            ));
        }
    }
    out.sort();
    Ok(out)
}

/// Sends `stub` (an import stub, possibly with what the listing already knew), read first when
/// `read` or the query wants full states. An object gone by the time of the read is skipped;
/// a failed read is reported. False when the listing should stop.
pub async fn send<R: Resource>(
    resource: &R,
    ctx: &Ctx<R::Provider>,
    out: &mut ListOut<'_, R>,
    display_name: &str,
    stub: R::Model,
    read: bool,
) -> bool {
    let mut diags = Diagnostics::new();
    let model = if read || out.include_resource() {
        match resource.read(ctx, stub, &mut diags).await {
            Some(m) => m,
            None if diags.is_empty() => return true,
            None => return out.report(diags).await,
        }
    } else {
        stub
    };
    if !diags.is_empty() && !out.report(diags).await {
        return false;
    }
    out.push(display_name, &model).await
}

/// Reports a failed listing call; the listing stops.
pub async fn fail<R: Resource>(out: &mut ListOut<'_, R>, summary: &str, detail: String) {
    let mut d = Diagnostics::new();
    d.error(summary, detail);
    out.report(d).await;
}
