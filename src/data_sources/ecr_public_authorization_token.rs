//! `ecr_public_authorization_token`: a token for `docker login public.ecr.aws`.
//!
//! The token and password are marked sensitive and never logged. ECR Public issues tokens only
//! in us-east-1; the provider always asks there.

use serde::{Deserialize, Serialize};

use crate::aws::errors::public_text;
use crate::aws::tokens::{self, TokenError};
use crate::aws::AwsClients;
use crate::framework::{Attribute, Block, Ctx, DataSource, Diagnostics, Schema, Val};

pub struct EcrPublicAuthorizationToken;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Model {
    pub id: Val<String>,
    pub authorization_token: Val<String>,
    pub user_name: Val<String>,
    pub password: Val<String>,
    pub expires_at: Val<String>,
}

#[async_trait::async_trait]
impl DataSource for EcrPublicAuthorizationToken {
    type Model = Model;
    type Provider = AwsClients;

    fn type_name(&self) -> &'static str {
        "ecr_public_authorization_token"
    }

    fn docs(&self) -> crate::framework::Docs {
        crate::framework::Docs {
            subcategory: "ECR Public",
            notes: "## Behaviour

- The token is read anew on every plan and apply (AWS issues a new one each time), so outputs
  derived from it change on every run.
- `authorization_token` and `password` are sensitive: Terraform hides them in plans and refuses to
  show them in non-sensitive outputs. The provider never logs them, not even at `TF_LOG=TRACE`.
  Like every data source result they are stored in the state file: protect the state, or, with
  Terraform ≥ 1.10, use the [ephemeral resource](../ephemeral-resources/ecr_public_authorization_token.md)
  of the same name (same attributes), whose values are never written to the state or plan files.
- With the password in a sensitive output named `registry_password`:

  ```sh
  terraform output -raw registry_password | docker login --username AWS --password-stdin public.ecr.aws
  ```".into(),
            ..Default::default()
        }
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new("A registry token for `public.ecr.aws`, valid 12 hours: for `docker login` (authenticated pulls get higher rate limits, pushes need it), or for a `docker` / `helm` provider's registry auth.\n\n~> **ECR Public issues tokens only in `us-east-1`.** The provider always asks there, whatever its `region` (this data source has no `region` argument). The credentials need `ecr-public:GetAuthorizationToken` and `sts:GetServiceBearerToken`.")
                .attr(Attribute::string("id").computed().description("Always `us-east-1`, the region that issued the token."))
                .attr(Attribute::string("authorization_token").computed().sensitive().description("Base64 of `AWS:<password>`, as the API returns it."))
                .attr(Attribute::string("user_name").computed().description("User name for `docker login` (`AWS`)."))
                .attr(Attribute::string("password").computed().sensitive().description("Password for `docker login`."))
                .attr(Attribute::string("expires_at").computed().description("When the token expires (RFC 3339, UTC).")),
        )
    }

    async fn read(
        &self,
        ctx: &Ctx<AwsClients>,
        _config: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
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
        Some(Model {
            id: Val::of("us-east-1"),
            expires_at: token.expires_at_rfc3339().into(),
            authorization_token: Val::of(token.authorization_token),
            user_name: Val::of(token.user_name),
            password: Val::of(token.password),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_and_password_are_sensitive() {
        let s = EcrPublicAuthorizationToken.schema();
        for name in ["authorization_token", "password"] {
            assert!(s.block.attribute(name).unwrap().sensitive, "{name}");
        }
        assert!(!s.block.attribute("user_name").unwrap().sensitive);
    }
}
