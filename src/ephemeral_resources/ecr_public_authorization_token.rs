//! `ecr_public_authorization_token` (ephemeral): a `public.ecr.aws` token for one run, never
//! stored. ECR Public issues tokens only in us-east-1; the provider always asks there.

use serde::{Deserialize, Serialize};

use super::{expiry_warning, renew_before_expiry, TokenPrivate};
use crate::aws::errors::public_text;
use crate::aws::tokens::{self, TokenError};
use crate::aws::AwsClients;
use crate::framework::{
    Attribute, Block, Ctx, Diagnostics, Docs, EphemeralResource, Opened, Renewed, Schema, Val,
};

pub struct EcrPublicAuthorizationToken;

/// The data source's attributes, so switching `data.` to `ephemeral.` changes nothing else.
#[derive(Serialize, Deserialize, Default, Clone, PartialEq)]
#[serde(default)]
pub struct Model {
    pub id: Val<String>,
    pub authorization_token: Val<String>,
    pub user_name: Val<String>,
    pub password: Val<String>,
    pub expires_at: Val<String>,
}

// Never print the secrets, even in debug output.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

#[async_trait::async_trait]
impl EphemeralResource for EcrPublicAuthorizationToken {
    type Model = Model;
    type Provider = AwsClients;
    type Private = TokenPrivate;

    fn type_name(&self) -> &'static str {
        "ecr_public_authorization_token"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new("A registry token for `public.ecr.aws`, opened for one run and **never written to the state or plan files** (Terraform ≥ 1.10): for a `docker` / `helm` provider's registry auth (authenticated pulls get higher rate limits, pushes need it).\n\n~> **ECR Public issues tokens only in `us-east-1`.** The provider always asks there, whatever its `region`. The credentials need `ecr-public:GetAuthorizationToken` and `sts:GetServiceBearerToken`. For Terraform before 1.10 use the [data source](../data-sources/ecr_public_authorization_token.md) of the same name (same attributes), whose values are stored in the state.")
                .attr(Attribute::string("id").computed().description("Always `us-east-1`, the region that issued the token."))
                .attr(Attribute::string("authorization_token").computed().sensitive().description("Base64 of `AWS:<password>`, as the API returns it."))
                .attr(Attribute::string("user_name").computed().description("User name for `docker login` (`AWS`)."))
                .attr(Attribute::string("password").computed().sensitive().description("Password for `docker login`."))
                .attr(Attribute::string("expires_at").computed().description("When the token expires (RFC 3339, UTC), 12 hours after it was issued. Terraform is asked to renew ten minutes before; tokens cannot be extended, so a run still using it then gets a warning.")),
        )
    }

    fn docs(&self) -> Docs {
        Docs {
            subcategory: "ECR Public",
            notes: "## Behaviour

- Nothing of it reaches `terraform.tfstate` or a saved plan: Terraform opens the resource again
  in each run that needs it. It can only be referenced from places that are not stored either:
  provider blocks, other ephemeral resources, write-only arguments, locals and ephemeral outputs.
- `authorization_token` and `password` are sensitive and never logged by the provider, not even
  at `TF_LOG=TRACE`.
- Terraform before 1.10 does not know ephemeral resources; use the
  [data source](../data-sources/ecr_public_authorization_token.md) there."
                .into(),
            ..Default::default()
        }
    }

    async fn open(
        &self,
        ctx: &Ctx<AwsClients>,
        _config: Model,
        diags: &mut Diagnostics,
    ) -> Option<Opened<Model, TokenPrivate>> {
        let token = match tokens::public(&ctx.provider).await {
            Ok(t) => t,
            Err(TokenError::Api(e)) => {
                diags.error(
                    "Getting an ECR Public authorization token failed",
                    public_text(&e),
                );
                return None;
            }
            Err(TokenError::Unusable(why)) => {
                diags.error("Unexpected ECR Public authorization token", why);
                return None;
            }
        };
        Some(Opened {
            renew_at: renew_before_expiry(token.expires_at, std::time::SystemTime::now()),
            private: Some(TokenPrivate {
                expires_at: token.expires_at,
                registry: "public.ecr.aws".into(),
            }),
            result: Model {
                id: Val::of("us-east-1"),
                expires_at: token.expires_at_rfc3339().into(),
                authorization_token: Val::of(token.authorization_token),
                user_name: Val::of(token.user_name),
                password: Val::of(token.password),
            },
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
