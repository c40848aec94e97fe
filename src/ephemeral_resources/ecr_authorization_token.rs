//! `ecr_authorization_token` (ephemeral): registry credentials for one run, never stored.

use serde::{Deserialize, Serialize};

use super::{expiry_warning, renew_before_expiry, TokenPrivate};
use crate::aws::tokens::{self, TokenError};
use crate::aws::AwsClients;
use crate::framework::{
    AttrPath, Attribute, Block, Ctx, Diagnostics, Docs, EphemeralResource, Opened, Renewed, Schema,
    Val,
};

pub struct EcrAuthorizationToken;

/// The data source's attributes, so switching `data.` to `ephemeral.` changes nothing else.
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
            .field("proxy_endpoint", &self.proxy_endpoint)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

#[async_trait::async_trait]
impl EphemeralResource for EcrAuthorizationToken {
    type Model = Model;
    type Provider = AwsClients;
    type Private = TokenPrivate;

    fn type_name(&self) -> &'static str {
        "ecr_authorization_token"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new("Credentials to `docker login` to a private ECR registry (`GetAuthorizationToken`), opened for one run and **never written to the state or plan files** (Terraform ≥ 1.10). Use it for another provider's registry auth (`docker`, `helm`) or a write-only argument.\n\nTokens are valid 12 hours. The token is fetched when Terraform opens the resource, in every plan and apply that needs it. For Terraform before 1.10 use the [data source](../data-sources/ecr_authorization_token.md) of the same name (same attributes), whose values are stored in the state.")
                .attr(Attribute::string("id").computed().description("The region and registry the token is for."))
                .attr(crate::shared::region::data_source_attribute())
                .attr(Attribute::string("registry_id").optional().description("Account id of the registry (12 digits). Default: the caller's account registry."))
                .attr(Attribute::string("authorization_token").computed().sensitive().description("Base64 of `user_name:password`, as GetAuthorizationToken returns it."))
                .attr(Attribute::string("user_name").computed().description("User name for `docker login` (always `AWS`)."))
                .attr(Attribute::string("password").computed().sensitive().description("Password for `docker login`."))
                .attr(Attribute::string("proxy_endpoint").computed().description("Registry URL, `https://<account>.dkr.ecr.<region>.amazonaws.com`."))
                .attr(Attribute::string("expires_at").computed().description("When the token expires, RFC 3339. Terraform is asked to renew ten minutes before; ECR tokens cannot be extended, so a run still using it then gets a warning.")),
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

    fn validate(&self, c: &Model, diags: &mut Diagnostics) {
        crate::shared::region::validate(&c.region, diags);
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

    async fn open(
        &self,
        ctx: &Ctx<AwsClients>,
        mut c: Model,
        diags: &mut Diagnostics,
    ) -> Option<Opened<Model, TokenPrivate>> {
        let aws = &ctx.provider.in_region(c.region.str());
        crate::shared::region::read(&mut c.region, &aws.region);
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
        let registry = c
            .registry_id
            .str()
            .or(aws.account_id.as_deref())
            .unwrap_or("default")
            .to_string();
        Some(Opened {
            renew_at: renew_before_expiry(token.expires_at, std::time::SystemTime::now()),
            private: Some(TokenPrivate {
                expires_at: token.expires_at,
                registry: token.proxy_endpoint.clone(),
            }),
            result: Model {
                id: Val::of(format!("{}:{registry}", aws.region)),
                expires_at: token.expires_at_rfc3339().into(),
                authorization_token: Val::of(token.authorization_token),
                user_name: Val::of(token.user_name),
                password: Val::of(token.password),
                proxy_endpoint: Val::of(token.proxy_endpoint),
                ..c
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

#[cfg(test)]
mod tests {
    use super::*;

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
