//! IAM policy documents in `policy` attributes (`ecr_repository_policy`, `ecr_registry_policy`):
//! the checks of [`crate::policy`] and posture check ECR-P005 as diagnostics on the attribute.

use super::posture;
use crate::framework::{validate, AttrPath, Diagnostics, Val};
use crate::policy::{self, Kind};

/// Reports the findings of a policy document of `kind` on `attr`: errors fail the plan,
/// warnings are shown (docs/design/validation.md).
pub fn check_policy(text: &Val<String>, kind: Kind, attr: &str, diags: &mut Diagnostics) {
    if let Some(t) = text.str() {
        validate::document_findings(
            diags,
            &AttrPath::attr(attr),
            policy::validate_document(t, kind),
        );
    }
}

/// Posture check ECR-P005 (a `*` principal without a restricting condition) on `policy`,
/// reported in the provider's `posture_checks` mode; skipped while the provider is unconfigured
/// (`mode` is `None`).
pub fn policy_posture(
    text: &Val<String>,
    ignore: &[String],
    mode: Option<crate::posture::Mode>,
    resource: &str,
    diags: &mut Diagnostics,
) {
    policy_posture_at(text, "policy", ignore, mode, resource, diags);
}

/// [`policy_posture`] for a policy document in attribute `attr` (e.g. a repository creation
/// template's `repository_policy`).
pub fn policy_posture_at(
    text: &Val<String>,
    attr: &'static str,
    ignore: &[String],
    mode: Option<crate::posture::Mode>,
    resource: &str,
    diags: &mut Diagnostics,
) {
    let (Some(mode), Some(t)) = (mode, text.str()) else {
        return;
    };
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(t) else {
        return;
    };
    let mut findings = crate::posture::wildcard_principal(&doc);
    for f in &mut findings {
        f.attribute = Some(attr);
    }
    posture::report(findings, mode, ignore, resource, diags);
}
