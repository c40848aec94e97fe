//! Ephemeral resource types (Terraform ≥ 1.10), one file per type: values opened for one run
//! and never written to state or plan files.

use crate::aws::AwsClients;
use crate::framework::{ephemeral_resource, DynEphemeralResource};

pub mod ecr_authorization_token;
pub mod ecr_public_authorization_token;

pub fn all() -> Vec<Box<dyn DynEphemeralResource<AwsClients>>> {
    vec![
        ephemeral_resource(ecr_authorization_token::EcrAuthorizationToken),
        ephemeral_resource(ecr_public_authorization_token::EcrPublicAuthorizationToken),
    ]
}

/// When Terraform should call Renew: ten minutes before the token expires, so a run still using
/// it hears of the expiry in time (ECR tokens cannot be extended). None without an expiry, or
/// when that moment has passed (a renewal could only repeat the warning at once).
pub(crate) fn renew_before_expiry(
    expires_at: Option<i64>,
    now: std::time::SystemTime,
) -> Option<std::time::SystemTime> {
    let at = u64::try_from(expires_at? - 600).ok()?;
    let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(at);
    (at > now).then_some(at)
}

/// What Renew and Close get back: the expiry only, never the token.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq)]
pub struct TokenPrivate {
    pub expires_at: Option<i64>,
    pub registry: String,
}

/// Renew cannot extend an ECR token: it says when the token opened for this run expires.
pub(crate) fn expiry_warning(p: Option<&TokenPrivate>, diags: &mut crate::framework::Diagnostics) {
    let when = p
        .and_then(|p| p.expires_at)
        .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| "in less than ten minutes".into());
    let registry = p.map(|p| p.registry.as_str()).unwrap_or("the registry");
    diags.warning(
        "Registry token about to expire",
        format!("The authorization token for {registry} opened for this run expires at {when}, and ECR tokens cannot be extended. Steps still using it after that fail to authenticate; run Terraform again to get a new one."),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewal_comes_ten_minutes_before_expiry() {
        let epoch = std::time::UNIX_EPOCH;
        let at = renew_before_expiry(Some(43_200), epoch).unwrap();
        assert_eq!(at.duration_since(epoch).unwrap().as_secs(), 42_600);
        assert!(renew_before_expiry(None, epoch).is_none());
        // Already within ten minutes of expiry (emulators answer long-expired tokens): no renewal.
        let late = epoch + std::time::Duration::from_secs(42_601);
        assert!(renew_before_expiry(Some(43_200), late).is_none());
        let mut d = crate::framework::Diagnostics::new();
        expiry_warning(
            Some(&TokenPrivate {
                expires_at: Some(43_200),
                registry: "public.ecr.aws".into(),
            }),
            &mut d,
        );
        assert!(
            d.0[0].detail.contains("1970-01-01T12:00:00Z"),
            "{}",
            d.0[0].detail
        );
        assert!(!d.has_errors());
    }
}
