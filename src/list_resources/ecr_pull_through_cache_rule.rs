//! `list "ecr_pull_through_cache_rule"`: every pull-through cache rule of the registry.

use super::{fail, send, PrefixFilter};
use crate::aws::AwsClients;
use crate::framework::{Ctx, Docs, ListOut, ListResource, Resource, Schema, Val};
use crate::resources::ecr_pull_through_cache_rule::EcrPullThroughCacheRule;

pub struct PullThroughCacheRules;

#[async_trait::async_trait]
impl ListResource for PullThroughCacheRules {
    type Resource = EcrPullThroughCacheRule;
    type Config = PrefixFilter;

    fn schema(&self) -> Schema {
        PrefixFilter::schema("pull-through cache rules", "`ecr_repository_prefix`")
    }

    fn docs(&self) -> Docs {
        Docs {
            notes: "## Behaviour\n\n- DescribePullThroughCacheRules lists the rules (all pages); with `include_resource = true` each\n  is also read as a refresh reads it.\n- The display name is the ECR repository prefix.".into(),
            ..Default::default()
        }
    }

    async fn list(
        &self,
        ctx: &Ctx<AwsClients>,
        config: PrefixFilter,
        out: &mut ListOut<'_, EcrPullThroughCacheRule>,
    ) {
        let mut stream = ctx
            .provider
            .ecr
            .describe_pull_through_cache_rules()
            .into_paginator()
            .items()
            .send();
        let mut rules = Vec::new();
        while let Some(r) = stream.next().await {
            match r {
                Ok(r) => rules.push((
                    r.ecr_repository_prefix().unwrap_or_default().to_string(),
                    r.registry_id().unwrap_or_default().to_string(),
                )),
                Err(e) => {
                    let text = crate::aws::errors::text(&e);
                    return fail(out, "Listing pull-through cache rules failed", text).await;
                }
            }
        }
        rules.sort();
        let mut diags = crate::framework::Diagnostics::new();
        for (prefix, registry_id) in rules.into_iter().filter(|(p, _)| config.matches(p)) {
            let Some(mut stub) = EcrPullThroughCacheRule
                .import(ctx, &prefix, &mut diags)
                .await
            else {
                continue;
            };
            stub.registry_id = Val::of(registry_id);
            if !send(&EcrPullThroughCacheRule, ctx, out, &prefix, stub, false).await {
                return;
            }
        }
    }
}
