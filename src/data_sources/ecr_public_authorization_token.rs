//! `ecr_public_authorization_token`: a token for `docker login public.ecr.aws`.
//!
//! The token and password are marked sensitive and never logged. ECR Public issues tokens only
//! in us-east-1; the provider always asks there.

use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::aws::errors::public_text;
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
  Like every data source result they are stored in the state file: protect the state.
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
        let out = match ctx
            .provider
            .ecr_public
            .get_authorization_token()
            .customize()
            .interceptor(SensitiveOutputMarker)
            .send()
            .await
        {
            Ok(out) => out,
            Err(e) => {
                diags.error(
                    "Getting an ECR Public authorization token failed",
                    public_text(&e),
                );
                return None;
            }
        };
        let Some(data) = out.authorization_data() else {
            diags.error(
                "Getting an ECR Public authorization token failed",
                "GetAuthorizationToken answered without authorizationData.",
            );
            return None;
        };
        let token = data.authorization_token().unwrap_or_default();
        let (user, password) = match split_token(token) {
            Ok(x) => x,
            Err(e) => {
                diags.error("Unexpected ECR Public authorization token", e);
                return None;
            }
        };
        let expires_at = data
            .expires_at()
            .and_then(|t| t.fmt(aws_smithy_types::date_time::Format::DateTime).ok());
        Some(Model {
            id: Val::of("us-east-1"),
            authorization_token: Val::of(token),
            user_name: Val::of(user),
            password: Val::of(password),
            expires_at: expires_at.into(),
        })
    }
}

/// Marks the response as sensitive so the SDK never logs its body, not even at TRACE (the API
/// model does not mark GetAuthorizationToken's output sensitive, so the SDK would).
#[derive(Debug)]
struct SensitiveOutputMarker;

impl aws_smithy_runtime_api::client::interceptors::Intercept for SensitiveOutputMarker {
    fn name(&self) -> &'static str {
        "SensitiveOutputMarker"
    }
    fn read_before_execution(
        &self,
        _context: &aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut aws_smithy_types::config_bag::ConfigBag,
    ) -> Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        cfg.interceptor_state()
            .store_put(aws_smithy_runtime_api::client::orchestrator::SensitiveOutput);
        Ok(())
    }
}

/// Splits a token (base64 of `user:password`) into its parts. Errors never include the token.
pub fn split_token(token: &str) -> Result<(String, String), String> {
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(token.trim())
        .map_err(|_| {
            "The authorization token is not base64 (its value is not shown).".to_string()
        })?;
    let text = String::from_utf8(decoded).map_err(|_| {
        "The decoded authorization token is not UTF-8 (its value is not shown).".to_string()
    })?;
    match text.split_once(':') {
        Some((user, password)) if !user.is_empty() && !password.is_empty() => Ok((user.to_string(), password.to_string())),
        _ => Err("The decoded authorization token is not of the form user:password (its value is not shown).".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_splits_into_user_and_password() {
        let t =
            base64::engine::general_purpose::STANDARD.encode("AWS:eyJwYXlsb2FkIjoi:with:colons");
        assert_eq!(
            split_token(&t).unwrap(),
            (
                "AWS".to_string(),
                "eyJwYXlsb2FkIjoi:with:colons".to_string()
            )
        );
    }

    #[test]
    fn bad_tokens_fail_without_echoing_the_secret() {
        for bad in [
            "s3cr3t-not-base64!",
            &base64::engine::general_purpose::STANDARD.encode("s3cr3tnocolon"),
        ] {
            let e = split_token(bad).unwrap_err();
            assert!(!e.contains("s3cr3t"), "{e}");
        }
    }

    #[test]
    fn token_and_password_are_sensitive() {
        let s = EcrPublicAuthorizationToken.schema();
        for name in ["authorization_token", "password"] {
            assert!(s.block.attribute(name).unwrap().sensitive, "{name}");
        }
        assert!(!s.block.attribute("user_name").unwrap().sensitive);
    }
}
