//! What the private-registry token's data source and ephemeral resource share: the same
//! attributes (so switching `data.` to `ephemeral.` changes nothing else), their check, and
//! the read that fills them. The token and password are sensitive and never logged.

use serde::{Deserialize, Serialize};

use crate::aws::tokens::{self, RegistryToken, TokenError};
use crate::aws::AwsClients;
use crate::framework::{AttrPath, Attribute, Block, Diagnostics, Val};
use crate::shared::region;

#[derive(Serialize, Deserialize, Default, Clone, PartialEq)]
#[serde(default)]
pub struct TokenModel {
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
impl std::fmt::Debug for TokenModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenModel")
            .field("registry_id", &self.registry_id)
            .field("user_name", &self.user_name)
            .field("proxy_endpoint", &self.proxy_endpoint)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// `block` with the token's attributes; `expires_at` says what the kind does near expiry.
pub fn attributes(block: Block, expires_at: &str) -> Block {
    block
        .attr(
            Attribute::string("id")
                .computed()
                .description("The region and registry the token is for."),
        )
        .attr(region::data_source_attribute())
        .attr(Attribute::string("registry_id").optional().description(
            "Account id of the registry (12 digits). Default: the caller's account registry.",
        ))
        .attr(
            Attribute::string("authorization_token")
                .computed()
                .sensitive()
                .description(
                    "Base64 of `user_name:password`, as GetAuthorizationToken returns it.",
                ),
        )
        .attr(
            Attribute::string("user_name")
                .computed()
                .description("User name for `docker login` (always `AWS`)."),
        )
        .attr(
            Attribute::string("password")
                .computed()
                .sensitive()
                .description("Password for `docker login`."),
        )
        .attr(
            Attribute::string("proxy_endpoint")
                .computed()
                .description("Registry URL, `https://<account>.dkr.ecr.<region>.amazonaws.com`."),
        )
        .attr(
            Attribute::string("expires_at")
                .computed()
                .description(expires_at),
        )
}

pub fn validate(c: &TokenModel, diags: &mut Diagnostics) {
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

/// GetAuthorizationToken in the configuration's region, into `c`; also the token itself (for
/// its expiry). `None` with an error diagnostic when AWS refused or answered something unusable.
pub async fn read(
    aws: &AwsClients,
    mut c: TokenModel,
    diags: &mut Diagnostics,
) -> Option<(TokenModel, RegistryToken)> {
    let aws = &aws.in_region(c.region.str());
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
    let registry = c
        .registry_id
        .str()
        .or(aws.account_id.as_deref())
        .unwrap_or("default");
    let m = TokenModel {
        id: Val::of(format!("{}:{registry}", aws.region)),
        expires_at: token.expires_at_rfc3339().into(),
        authorization_token: Val::of(token.authorization_token.clone()),
        user_name: Val::of(token.user_name.clone()),
        password: Val::of(token.password.clone()),
        proxy_endpoint: Val::of(token.proxy_endpoint.clone()),
        ..c
    };
    Some((m, token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_sensitive_and_not_debug_printed() {
        let b = attributes(Block::new("t"), "e");
        for name in ["authorization_token", "password"] {
            assert!(b.attribute(name).unwrap().sensitive, "{name}");
        }
        let m = TokenModel {
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
        validate(
            &TokenModel {
                registry_id: Val::of("12345"),
                ..Default::default()
            },
            &mut d,
        );
        assert_eq!(d.0[0].attribute, Some(AttrPath::attr("registry_id")));
    }
}
