//! `ecr_authorization_token`: credentials for `docker login` to a private registry
//! (GetAuthorizationToken). The token and password are sensitive and never logged.

use serde::{Deserialize, Serialize};

use crate::aws::tokens::{self, TokenError};
use crate::aws::AwsClients;
use crate::framework::{AttrPath, Attribute, Block, Ctx, DataSource, Diagnostics, Schema, Val};
use crate::shared::region;

pub struct EcrAuthorizationToken;

#[derive(Serialize, Deserialize, Default, Clone, PartialEq)]
#[serde(default)]
pub struct Model {
    pub id: Val<String>,
    pub registry_id: Val<String>,
    pub authorization_token: Val<String>,
    pub user_name: Val<String>,
    pub password: Val<String>,
    pub proxy_endpoint: Val<String>,
    pub expires_at: Val<String>,
    pub region: Val<String>,
}

// Never print the secrets, even in debug output.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("registry_id", &self.registry_id)
            .field("user_name", &self.user_name)
            .field("proxy_endpoint", &self.proxy_endpoint)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

#[async_trait::async_trait]
impl DataSource for EcrAuthorizationToken {
    type Model = Model;
    type Provider = AwsClients;

    fn type_name(&self) -> &'static str {
        "ecr_authorization_token"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new("Credentials to `docker login` to a private ECR registry (`GetAuthorizationToken`): `docker login --username AWS --password <password> <proxy_endpoint>`.\n\nTokens are valid for 12 hours. A data source is read again on every plan, so its value changes every run. `authorization_token` and `password` are **sensitive**: Terraform hides them in plan output and needs `sensitive = true` on outputs that use them, and this provider never logs them; but like every data source value they are stored in the state, so protect the state.\n\n-> With Terraform ≥ 1.10 use the [ephemeral resource](../ephemeral-resources/ecr_authorization_token.md) of the same name instead (same attributes): its values are never written to the state or plan files.")
                .attr(Attribute::string("id").computed().description("The region and registry the token is for."))
                .attr(region::data_source_attribute())
                .attr(Attribute::string("registry_id").optional().description("Account id of the registry (12 digits). Default: the caller's account registry."))
                .attr(Attribute::string("authorization_token").computed().sensitive().description("Base64 of `user_name:password`, as GetAuthorizationToken returns it."))
                .attr(Attribute::string("user_name").computed().description("User name for `docker login` (always `AWS`)."))
                .attr(Attribute::string("password").computed().sensitive().description("Password for `docker login`."))
                .attr(Attribute::string("proxy_endpoint").computed().description("Registry URL, `https://<account>.dkr.ecr.<region>.amazonaws.com`."))
                .attr(Attribute::string("expires_at").computed().description("When the token expires, RFC 3339.")),
        )
    }

    fn validate(&self, c: &Model, diags: &mut Diagnostics) {
        region::validate(&c.region, diags);
        if let Some(id) = c.registry_id.str() {
            if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
                diags.attr_error(
                    AttrPath::attr("registry_id"),
                    "Invalid registry_id",
                    format!("registry_id must be a 12-digit AWS account id; got {id:?}."),
                );
            }
        }
    }

    async fn read(
        &self,
        ctx: &Ctx<AwsClients>,
        mut c: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let aws = &ctx.provider.in_region(c.region.str());
        region::read(&mut c.region, &aws.region);
        let token = match tokens::private(aws, c.registry_id.str()).await {
            Ok(t) => t,
            Err(TokenError::Api(e)) => {
                diags.error("Getting an ECR authorization token failed", e);
                return None;
            }
            Err(TokenError::Unusable(why)) => {
                diags.error("Unreadable ECR authorization token", why);
                return None;
            }
        };
        Some(Model {
            id: Val::of(format!(
                "{}:{}",
                aws.region,
                c.registry_id
                    .str()
                    .or(aws.account_id.as_deref())
                    .unwrap_or("default")
            )),
            expires_at: token.expires_at_rfc3339().into(),
            authorization_token: Val::of(token.authorization_token),
            user_name: Val::of(token.user_name),
            password: Val::of(token.password),
            proxy_endpoint: Val::of(token.proxy_endpoint),
            ..c
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_sensitive_and_not_debug_printed() {
        let s = EcrAuthorizationToken.schema();
        for name in ["authorization_token", "password"] {
            assert!(s.block.attribute(name).unwrap().sensitive, "{name}");
        }
        let m = Model {
            password: Val::of("hunter2"),
            authorization_token: Val::of("QVdTOmh1bnRlcjI="),
            ..Default::default()
        };
        let dbg = format!("{m:?}");
        assert!(!dbg.contains("hunter2") && !dbg.contains("QVdT"), "{dbg}");
    }

    #[test]
    fn registry_id_is_twelve_digits() {
        let mut d = Diagnostics::new();
        EcrAuthorizationToken.validate(
            &Model {
                registry_id: Val::of("12345"),
                ..Default::default()
            },
            &mut d,
        );
        assert_eq!(d.0[0].attribute, Some(AttrPath::attr("registry_id")));
    }
}
