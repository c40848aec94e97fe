//! `list "ecr_repository"`: every repository of the registry.

use super::{fail, repositories, send, PrefixFilter};
use crate::aws::AwsClients;
use crate::framework::{Ctx, Docs, ListOut, ListResource, Resource, Schema, Val};
use crate::resources::ecr_repository::EcrRepository;

pub struct Repositories;

#[async_trait::async_trait]
impl ListResource for Repositories {
    type Resource = EcrRepository;
    type Config = PrefixFilter;

    fn schema(&self) -> Schema {
        PrefixFilter::schema("repositories", "name")
    }

    fn docs(&self) -> Docs {
        Docs {
            notes: "## Behaviour\n\n- One DescribeRepositories call per 1000 repositories lists them; with `include_resource = true`\n  each is also read as a refresh reads it (tags, scanning, encryption), so the generated\n  configuration imports with an empty plan.\n- The display name is the repository name.".into(),
            ..Default::default()
        }
    }

    async fn list(
        &self,
        ctx: &Ctx<AwsClients>,
        config: PrefixFilter,
        out: &mut ListOut<'_, EcrRepository>,
    ) {
        let names = match repositories(&ctx.provider).await {
            Ok(n) => n,
            Err(e) => return fail(out, "Listing repositories failed", e).await,
        };
        let mut diags = crate::framework::Diagnostics::new();
        for (name, registry_id) in names.into_iter().filter(|(n, _)| config.matches(n)) {
            let Some(mut stub) = EcrRepository.import(ctx, &name, &mut diags).await else {
                continue;
            };
            stub.registry_id = Val::of(registry_id);
            if !send(&EcrRepository, ctx, out, &name, stub, false).await {
                return;
            }
        }
    }
}
