//! `list "ecr_lifecycle_policy"`: the lifecycle policy of every repository that has one.

use super::{fail, repositories, send, PrefixFilter};
use crate::aws::AwsClients;
use crate::framework::{Ctx, Docs, ListOut, ListResource, Resource, Schema};
use crate::resources::ecr_lifecycle_policy::EcrLifecyclePolicy;

pub struct LifecyclePolicies;

#[async_trait::async_trait]
impl ListResource for LifecyclePolicies {
    type Resource = EcrLifecyclePolicy;
    type Config = PrefixFilter;

    fn schema(&self) -> Schema {
        PrefixFilter::schema("lifecycle policies", "repository name")
    }

    fn docs(&self) -> Docs {
        Docs {
            notes: "## Behaviour\n\n- Lists the repositories, then reads each one's policy (GetLifecyclePolicy); repositories\n  without a policy are left out. Policies are listed in their JSON form (`policy`).\n- The display name is the repository name.".into(),
            ..Default::default()
        }
    }

    async fn list(
        &self,
        ctx: &Ctx<AwsClients>,
        config: PrefixFilter,
        out: &mut ListOut<'_, EcrLifecyclePolicy>,
    ) {
        let names = match repositories(&ctx.provider).await {
            Ok(n) => n,
            Err(e) => return fail(out, "Listing repositories failed", e).await,
        };
        let mut diags = crate::framework::Diagnostics::new();
        for (name, _) in names.into_iter().filter(|(n, _)| config.matches(n)) {
            let Some(stub) = EcrLifecyclePolicy.import(ctx, &name, &mut diags).await else {
                continue;
            };
            if !send(&EcrLifecyclePolicy, ctx, out, &name, stub, true).await {
                return;
            }
        }
    }
}
