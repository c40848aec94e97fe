//! Registry credentials (GetAuthorizationToken of ECR and of ECR Public), shared by the data
//! sources and the ephemeral resources of the same names. The token and password never reach a
//! log or an error message.

use base64::Engine;

use super::errors;
use super::AwsClients;

/// ECR's tokens are valid 12 hours (GetAuthorizationToken reference; the API returns the exact
/// `expiresAt`).
pub const TOKEN_LIFETIME_SECS: i64 = 12 * 3600;

/// Credentials for `docker login`.
#[derive(Clone, PartialEq)]
pub struct RegistryToken {
    /// Base64 of `user_name:password`, as the API returns it.
    pub authorization_token: String,
    pub user_name: String,
    pub password: String,
    /// `https://<account>.dkr.ecr.<region>.amazonaws.com`; empty for ECR Public.
    pub proxy_endpoint: String,
    /// Epoch seconds.
    pub expires_at: Option<i64>,
}

impl RegistryToken {
    /// `expires_at` as RFC 3339 (UTC), as the data sources and ephemeral resources show it.
    pub fn expires_at_rfc3339(&self) -> Option<String> {
        let t = time::OffsetDateTime::from_unix_timestamp(self.expires_at?).ok()?;
        t.format(&time::format_description::well_known::Rfc3339)
            .ok()
    }
}

// Never print the secrets, even in debug output.
impl std::fmt::Debug for RegistryToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistryToken")
            .field("user_name", &self.user_name)
            .field("proxy_endpoint", &self.proxy_endpoint)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// Why no token came back: the API call failed, or its answer is unusable (never showing the
/// token).
#[derive(Debug)]
pub enum TokenError<E> {
    Api(E),
    Unusable(String),
}

/// Splits a decoded authorization token (`user:password`). Errors never include the token.
pub fn split_token(token: &str) -> Result<(String, String), String> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(token.trim())
        .map_err(|_| "The authorization token is not base64 (its value is not shown).")?;
    let text = String::from_utf8(bytes)
        .map_err(|_| "The decoded authorization token is not UTF-8 (its value is not shown).")?;
    match text.split_once(':') {
        Some((u, p)) if !u.is_empty() && !p.is_empty() => Ok((u.to_string(), p.to_string())),
        _ => Err("The decoded authorization token is not of the form user:password (its value is not shown).".into()),
    }
}

/// A token for the private registry `registry_id` (default: the caller's account).
pub async fn private(
    aws: &AwsClients,
    registry_id: Option<&str>,
) -> Result<RegistryToken, TokenError<String>> {
    #[allow(deprecated)]
    let mut req = aws.ecr.get_authorization_token();
    if let Some(id) = registry_id {
        #[allow(deprecated)]
        {
            req = req.registry_ids(id);
        }
    }
    let out = req
        .customize()
        .interceptor(SensitiveOutputMarker)
        .send()
        .await
        .map_err(|e| TokenError::Api(errors::text(&e)))?;
    let Some(data) = out.authorization_data().first() else {
        return Err(TokenError::Unusable(
            "GetAuthorizationToken returned no authorization data.".into(),
        ));
    };
    let token = data.authorization_token().unwrap_or_default().to_string();
    let (user_name, password) = split_token(&token).map_err(TokenError::Unusable)?;
    let proxy_endpoint = data.proxy_endpoint().unwrap_or_default().to_string();
    tracing::debug!(proxy_endpoint = %proxy_endpoint, "got an ECR authorization token");
    Ok(RegistryToken {
        authorization_token: token,
        user_name,
        password,
        proxy_endpoint,
        expires_at: data.expires_at().map(|t| t.secs()),
    })
}

pub type PublicTokenApiError = aws_smithy_runtime_api::client::result::SdkError<
    aws_sdk_ecrpublic::operation::get_authorization_token::GetAuthorizationTokenError,
    aws_smithy_runtime_api::http::Response,
>;

/// A token for `public.ecr.aws` (ECR Public issues them only in us-east-1, where the client is
/// pinned).
pub async fn public(aws: &AwsClients) -> Result<RegistryToken, TokenError<PublicTokenApiError>> {
    let out = aws
        .ecr_public
        .get_authorization_token()
        .customize()
        .interceptor(SensitiveOutputMarker)
        .send()
        .await
        .map_err(TokenError::Api)?;
    let Some(data) = out.authorization_data() else {
        return Err(TokenError::Unusable(
            "GetAuthorizationToken answered without authorizationData.".into(),
        ));
    };
    let token = data.authorization_token().unwrap_or_default().to_string();
    let (user_name, password) = split_token(&token).map_err(TokenError::Unusable)?;
    Ok(RegistryToken {
        authorization_token: token,
        user_name,
        password,
        proxy_endpoint: String::new(),
        expires_at: data.expires_at().map(|t| t.secs()),
    })
}

/// Marks the response as sensitive so the SDK never logs its body, not even at TRACE (the API
/// models do not mark GetAuthorizationToken's output sensitive, so the SDK would).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_split_into_user_and_password() {
        let t = base64::engine::general_purpose::STANDARD.encode("AWS:secret:with:colons");
        assert_eq!(
            split_token(&t),
            Ok(("AWS".into(), "secret:with:colons".into()))
        );
    }

    #[test]
    fn bad_tokens_fail_without_echoing_the_secret() {
        for bad in [
            "s3cr3t-not-base64!".to_string(),
            base64::engine::general_purpose::STANDARD.encode("s3cr3tnocolon"),
            base64::engine::general_purpose::STANDARD.encode("AWS:"),
        ] {
            let e = split_token(&bad).unwrap_err();
            assert!(!e.contains("s3cr3t"), "{e}");
        }
    }

    #[test]
    fn debug_output_hides_the_secrets() {
        let t = RegistryToken {
            authorization_token: "QVdTOmh1bnRlcjI=".into(),
            user_name: "AWS".into(),
            password: "hunter2".into(),
            proxy_endpoint: "https://x".into(),
            expires_at: Some(1),
        };
        let dbg = format!("{t:?}");
        assert!(!dbg.contains("hunter2") && !dbg.contains("QVdT"), "{dbg}");
        assert_eq!(
            t.expires_at_rfc3339().as_deref(),
            Some("1970-01-01T00:00:01Z")
        );
    }
}
