//! `list "ecr_repository_policy"`: the permissions policy of every repository that has one.

use super::{fail, repositories, send, PrefixFilter};
use crate::aws::AwsClients;
use crate::framework::{Ctx, Docs, ListOut, ListResource, Resource, Schema};
use crate::resources::ecr_repository_policy::EcrRepositoryPolicy;

pub struct RepositoryPolicies;

#[async_trait::async_trait]
impl ListResource for RepositoryPolicies {
    type Resource = EcrRepositoryPolicy;
    type Config = PrefixFilter;

    fn schema(&self) -> Schema {
        PrefixFilter::schema("repository policies", "repository name")
    }

    fn docs(&self) -> Docs {
        Docs {
            notes: "## Behaviour\n\n- Lists the repositories, then reads each one's policy (GetRepositoryPolicy); repositories\n  without a policy are left out.\n- The display name is the repository name.".into(),
            ..Default::default()
        }
    }

    async fn list(
        &self,
        ctx: &Ctx<AwsClients>,
        config: PrefixFilter,
        out: &mut ListOut<'_, EcrRepositoryPolicy>,
    ) {
        let names = match repositories(&ctx.provider).await {
            Ok(n) => n,
            Err(e) => return fail(out, "Listing repositories failed", e).await,
        };
        let mut diags = crate::framework::Diagnostics::new();
        for (name, _) in names.into_iter().filter(|(n, _)| config.matches(n)) {
            let Some(stub) = EcrRepositoryPolicy.import(ctx, &name, &mut diags).await else {
                continue;
            };
            if !send(&EcrRepositoryPolicy, ctx, out, &name, stub, true).await {
                return;
            }
        }
    }
}
