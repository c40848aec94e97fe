//! `ecr_authorization_token` (ephemeral): registry credentials for one run, never stored. What
//! it shares with the data source of the same name lives in `shared::registry_token`.

use super::{expiry_warning, renew_before_expiry, TokenPrivate};
use crate::aws::AwsClients;
use crate::framework::{Block, Ctx, Diagnostics, Docs, EphemeralResource, Opened, Renewed, Schema};
use crate::shared::registry_token::{self, TokenModel};

pub struct EcrAuthorizationToken;

#[async_trait::async_trait]
impl EphemeralResource for EcrAuthorizationToken {
    type Model = TokenModel;
    type Provider = AwsClients;
    type Private = TokenPrivate;

    fn type_name(&self) -> &'static str {
        "ecr_authorization_token"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            registry_token::attributes(
                Block::new("Credentials to `docker login` to a private ECR registry (`GetAuthorizationToken`), opened for one run and **never written to the state or plan files** (Terraform ≥ 1.10). Use it for another provider's registry auth (`docker`, `helm`) or a write-only argument.\n\nTokens are valid 12 hours. The token is fetched when Terraform opens the resource, in every plan and apply that needs it. For Terraform before 1.10 use the [data source](../data-sources/ecr_authorization_token.md) of the same name (same attributes), whose values are stored in the state."),
                "When the token expires, RFC 3339. Terraform is asked to renew ten minutes before; ECR tokens cannot be extended, so a run still using it then gets a warning.",
            ),
        )
    }

    fn docs(&self) -> Docs {
        Docs {
            notes: "## Behaviour

- Nothing of it reaches `terraform.tfstate` or a saved plan: Terraform opens the resource again
  in each run that needs it. It can only be referenced from places that are not stored either:
  provider blocks, other ephemeral resources, write-only arguments, locals and ephemeral outputs.
- `authorization_token` and `password` are sensitive and never logged by the provider, not even
  at `TF_LOG=TRACE`.
- Terraform before 1.10 does not know ephemeral resources; use the
  [data source](../data-sources/ecr_authorization_token.md) there."
                .into(),
            ..Default::default()
        }
    }

    fn validate(&self, c: &TokenModel, diags: &mut Diagnostics) {
        registry_token::validate(c, diags);
    }

    async fn open(
        &self,
        ctx: &Ctx<AwsClients>,
        c: TokenModel,
        diags: &mut Diagnostics,
    ) -> Option<Opened<TokenModel, TokenPrivate>> {
        let (result, token) = registry_token::read(&ctx.provider, c, diags).await?;
        Some(Opened {
            renew_at: renew_before_expiry(token.expires_at, std::time::SystemTime::now()),
            private: Some(TokenPrivate {
                expires_at: token.expires_at,
                registry: token.proxy_endpoint,
            }),
            result,
        })
    }

    async fn renew(
        &self,
        _ctx: &Ctx<AwsClients>,
        private: Option<TokenPrivate>,
        diags: &mut Diagnostics,
    ) -> Renewed<TokenPrivate> {
        expiry_warning(private.as_ref(), diags);
        Renewed {
            renew_at: None,
            private,
        }
    }
}
