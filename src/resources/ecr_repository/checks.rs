//! Plan-time checks of the configuration, and the posture findings of a repository
//! (ECR-P001..P004).

use super::Model;
use crate::aws::AwsClients;
use crate::framework::validate::{self, OneOf};
use crate::framework::{AttrPath, Diagnostics, Plan, Siblings, Val};
use crate::posture;
use crate::repository::ENCRYPTION;
use crate::resources::cross;
use crate::shared::mutability::FilterRef;
use crate::shared::{self, region, timeouts, validators::RepositoryName};

/// The plan-time checks of the configuration (values may be unknown).
pub(super) fn validate(c: &Model, diags: &mut Diagnostics) {
    region::validate(&c.region, diags);
    timeouts::validate(&c.timeouts, diags);
    validate::check(diags, &AttrPath::attr("name"), &c.name, &[&RepositoryName]);
    let filters: Option<Vec<FilterRef>> =
        c.image_tag_mutability_exclusion_filter.known().map(|fs| {
            fs.iter()
                .map(|f| FilterRef {
                    filter: &f.filter,
                    filter_type: &f.filter_type,
                })
                .collect()
        });
    shared::mutability::check(&c.image_tag_mutability, filters.as_deref(), diags);
    shared::posture::validate_ignore(c.posture_ignore.items(), "posture_ignore", diags);
    for (i, e) in c.encryption_configuration.items().iter().enumerate() {
        let p = AttrPath::attr("encryption_configuration").then_index(i);
        validate::check(
            diags,
            &p.clone().then_attr("encryption_type"),
            &e.encryption_type,
            &[&OneOf(ENCRYPTION)],
        );
        if e.kms_key.is_known()
            && e.encryption_type.str().is_none_or(|t| t == "AES256")
            && !e.encryption_type.is_unknown()
        {
            diags.attr_warning(
                p.then_attr("kms_key"),
                "kms_key needs KMS encryption",
                "kms_key is only used with encryption_type = \"KMS\" or \"KMS_DSSE\"; AWS may refuse it with AES256.",
            );
        }
    }
}

/// What the ECR-P001..P003 checks look at, from the configuration (unknown values skip a check).
/// `registry_scanning`: whether registry-level scanning was planned in this walk (siblings).
pub(super) fn posture_facts(c: &Model, registry_scanning: bool) -> posture::RepositoryFacts<'_> {
    let scan_on_push = match &c.image_scanning_configuration {
        Val::Known(v) => match v.first() {
            None => Some(false),
            Some(s) => match s.scan_on_push {
                Val::Known(b) => Some(b),
                Val::Null => Some(false),
                Val::Unknown => None,
            },
        },
        _ => None,
    };
    let encryption_type = match &c.encryption_configuration {
        Val::Known(v) => match v.first() {
            None => Some("AES256"),
            Some(e) => match &e.encryption_type {
                Val::Known(t) => Some(t.as_str()),
                Val::Null => Some("AES256"),
                Val::Unknown => None,
            },
        },
        _ => None,
    };
    posture::RepositoryFacts {
        name: c.name.str().unwrap_or_default(),
        mutability: match &c.image_tag_mutability {
            Val::Known(m) => Some(m.as_str()),
            Val::Null => Some("MUTABLE"),
            Val::Unknown => None,
        },
        scan_on_push,
        registry_scanning,
        encryption_type,
    }
}

/// ECR-P004, first half, at refresh: one GetLifecyclePolicy call, only when the check is
/// enabled (by the provider's mode and the state's `posture_ignore`). A repository without a
/// policy is noted for the plan that follows, which reports it with the configuration's
/// `posture_ignore` (so it can be silenced, even in `error` mode).
pub(super) async fn check_lifecycle_policy(aws: &AwsClients, siblings: &Siblings, m: &Model) {
    if aws.posture == posture::Mode::Off
        || m.posture_ignore
            .items()
            .iter()
            .any(|i| i == posture::NO_LIFECYCLE_POLICY.id)
    {
        return;
    }
    let Some(name) = m.name.str() else { return };
    match aws.lifecycle_policies.prefetch(name).await {
        Ok(true) => {}
        Ok(false) => cross::no_lifecycle_policy_at_refresh(siblings, name),
        Err(e) => {
            tracing::debug!(repository = %name, error = %e, "GetLifecyclePolicy for posture check failed; check skipped")
        }
    }
}

/// ECR-P004, second half, at the plan of an existing repository (see `cross`).
pub(super) fn lifecycle_policy_finding(plan: &Plan<Model>) -> Option<posture::Finding> {
    let name = plan.prior.as_ref()?.name.str()?;
    cross::missing_lifecycle_policy(&plan.siblings, name)
}
