//! `ecr_authorization_token`: credentials for `docker login` to a private registry
//! (GetAuthorizationToken), stored in the state like every data source value. What it shares
//! with the ephemeral resource of the same name lives in `shared::registry_token`.

use crate::aws::AwsClients;
use crate::framework::{Block, Ctx, DataSource, Diagnostics, Schema};
use crate::shared::registry_token::{self, TokenModel};

pub struct EcrAuthorizationToken;

#[async_trait::async_trait]
impl DataSource for EcrAuthorizationToken {
    type Model = TokenModel;
    type Provider = AwsClients;

    fn type_name(&self) -> &'static str {
        "ecr_authorization_token"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            registry_token::attributes(
    Block::new("Credentials to `docker login` to a private ECR registry (`GetAuthorizationToken`): `docker login --username AWS --password <password> <proxy_endpoint>`.\n\nTokens are valid for 12 hours. A data source is read again on every plan, so its value changes every run. `authorization_token` and `password` are **sensitive**: Terraform hides them in plan output and needs `sensitive = true` on outputs that use them, and this provider never logs them; but like every data source value they are stored in the state, so protect the state.\n\n-> With Terraform ≥ 1.10 use the [ephemeral resource](../ephemeral-resources/ecr_authorization_token.md) of the same name instead (same attributes): its values are never written to the state or plan files."),
                "When the token expires, RFC 3339.",
            ),
        )
    }

    fn validate(&self, c: &TokenModel, diags: &mut Diagnostics) {
        registry_token::validate(c, diags);
    }

    async fn read(
        &self,
        ctx: &Ctx<AwsClients>,
        c: TokenModel,
        diags: &mut Diagnostics,
    ) -> Option<TokenModel> {
        registry_token::read(&ctx.provider, c, diags)
            .await
            .map(|(m, _)| m)
    }
}
