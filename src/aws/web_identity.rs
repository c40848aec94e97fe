//! Credentials from `assume_role_with_web_identity`, through an STS client we build ourselves.
//!
//! aws-config's own web identity provider makes its STS client from the environment only, so
//! `endpoints { sts = ... }` in the provider block never reached it (a CI runner whose only way
//! to STS is a VPC endpoint got a DNS error for the public host). This provider calls
//! AssumeRoleWithWebIdentity on the client it is given; the SDK's identity cache in each client
//! calls it again when the credentials near expiry, re-reading the token file (CI systems
//! rotate it).

use std::path::PathBuf;
use std::time::SystemTime;

use aws_credential_types::provider::{self, error::CredentialsError, future, ProvideCredentials};
use aws_credential_types::Credentials;

#[derive(Debug)]
pub struct WebIdentityProvider {
    pub sts: aws_sdk_sts::Client,
    pub role_arn: String,
    pub token_file: PathBuf,
    pub session_name: String,
}

impl WebIdentityProvider {
    async fn load(&self) -> provider::Result {
        let token = tokio::fs::read_to_string(&self.token_file)
            .await
            .map_err(|e| {
                CredentialsError::provider_error(format!(
                    "reading web_identity_token_file {}: {e}",
                    self.token_file.display()
                ))
            })?;
        let out = self
            .sts
            .assume_role_with_web_identity()
            .role_arn(&self.role_arn)
            .role_session_name(&self.session_name)
            .web_identity_token(token.trim())
            .send()
            .await
            .map_err(|e| {
                CredentialsError::provider_error(format!(
                    "STS AssumeRoleWithWebIdentity for {}: {}",
                    self.role_arn,
                    super::errors::text(&e)
                ))
            })?;
        let c = out.credentials().ok_or_else(|| {
            CredentialsError::unhandled("STS AssumeRoleWithWebIdentity returned no credentials")
        })?;
        let expiry = SystemTime::try_from(*c.expiration()).ok();
        Ok(Credentials::new(
            c.access_key_id(),
            c.secret_access_key(),
            Some(c.session_token().to_string()),
            expiry,
            "WebIdentityToken",
        ))
    }
}

impl ProvideCredentials for WebIdentityProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.load())
    }
}
