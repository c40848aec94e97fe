//! Plan-time checks of the JSON documents several types take: lifecycle policies
//! (`ecr_lifecycle_policy`, the creation template's `lifecycle_policy`, the lifecycle data
//! sources) and IAM policies (`ecr_repository_policy`, `ecr_registry_policy`, the creation
//! template's `repository_policy`), so each is validated by one piece of code.

use crate::aws::AwsClients;
use crate::framework::{AttrPath, Diagnostics, Val};
use crate::lifecycle::validate::ids;
use crate::lifecycle::{self, Finding};
use crate::policy::{self, Kind};

/// Validates policy JSON text onto `diags` at `attr`; returns the canonical text when valid.
pub fn check_policy_text(
    text: &Val<String>,
    attr: &AttrPath,
    diags: &mut Diagnostics,
) -> Option<String> {
    let t = text.str()?;
    let mut errors = false;
    for f in lifecycle::validate_json(t) {
        if f.rule == ids::TEXT_LENGTH {
            continue;
        }
        errors = true;
        diags.attr_error(attr.clone(), finding_summary(f.rule), json_detail(&f));
    }
    let policy = lifecycle::parse_policy(t).ok()?;
    for f in lifecycle::lint(&policy) {
        diags.attr_warning(attr.clone(), finding_summary(f.rule), json_detail(&f));
    }
    if errors {
        return None;
    }
    let canonical = lifecycle::canonical_json(&policy);
    if let Some(f) = lifecycle::check_text_length(&canonical) {
        diags.attr_error(
            attr.clone(),
            finding_summary(f.rule),
            format!(
                "{} (measured on the canonical JSON that is sent to ECR, see policy_json)",
                f.message
            ),
        );
        return None;
    }
    Some(canonical)
}

fn json_detail(f: &Finding) -> String {
    if f.path.is_empty() {
        format!("In the policy JSON: {}.", f.message)
    } else {
        format!("In the policy JSON at {}: {}.", f.path, f.message)
    }
}

/// The constraint a finding breaks, in words (the diagnostic summary).
pub fn finding_summary(rule: &str) -> &'static str {
    match rule {
        ids::JSON_SYNTAX => "Malformed lifecycle policy JSON",
        ids::ROOT_NOT_OBJECT => "Lifecycle policy is not a JSON object",
        ids::UNKNOWN_PROPERTY => "Unknown property in lifecycle policy",
        ids::NULL_VALUE => "Null value in lifecycle policy",
        ids::WRONG_TYPE => "Wrong value type in lifecycle policy",
        ids::MISSING_PROPERTY => "Missing required property in lifecycle policy",
        ids::ENUM_VALUE => "Value not allowed in lifecycle policy",
        ids::TEXT_LENGTH => "Lifecycle policy text too short or too long",
        ids::RULES_EMPTY => "Lifecycle policy has no rules",
        ids::TOO_MANY_RULES => "Too many lifecycle rules",
        ids::PRIORITY_UNIQUE => "Duplicate rule priority",
        ids::PRIORITY_MIN => "Rule priority below 1",
        ids::ANY_MUST_BE_LAST => "A rule for any tag status must have the highest priority",
        ids::SINGLE_UNTAGGED => "More than one rule selects untagged images",
        ids::TAG_LIST_REQUIRED => "Tagged rule without a tag list",
        ids::TAG_LISTS_EXCLUSIVE => "Both a tag prefix list and a tag pattern list",
        ids::TAG_LIST_REQUIRES_TAGGED => "Tag list on a rule that does not select tagged images",
        ids::TAG_PATTERN_WILDCARDS => "Too many wildcards in a tag pattern",
        ids::UNIQUE_TAG_LISTS => "Two rules select the same tags",
        ids::COUNT_UNIT_REQUIRED => "Missing count unit",
        ids::COUNT_UNIT_FORBIDDEN => "Count unit not allowed with an image count",
        ids::COUNT_NUMBER_MIN => "Count number below 1",
        ids::STORAGE_CLASS_COUNT_TYPE => "Archive storage class with the wrong count type",
        ids::TRANSITIONED_NEEDS_ARCHIVE => "sinceImageTransitioned needs the archive storage class",
        ids::TRANSITIONED_NEEDS_EXPIRE => "Archived images can only be expired",
        ids::PULLED_NEEDS_TRANSITION => "sinceImagePulled can only transition images",
        ids::ARCHIVE_MINIMUM_DAYS => "Archived images are kept at least 90 days",
        ids::TRANSITION_TARGET_REQUIRED => "Transition without a target storage class",
        ids::TRANSITION_TARGET_ARCHIVE => "Images can only be transitioned to archive",
        ids::EXPIRE_NO_TARGET => "Expire action with a target storage class",
        ids::MULTI_ENTRY_TAG_LIST => "Tag list entries must all match",
        _ => "Invalid lifecycle policy",
    }
}
/// Reports IAM policy findings on `attr` (a repository or registry policy document).
pub fn check_policy(text: &Val<String>, kind: Kind, attr: &str, diags: &mut Diagnostics) {
    if let Some(t) = text.str() {
        for f in policy::validate_document(t, kind) {
            diags.attr_error(
                AttrPath::attr(attr),
                format!("Invalid {attr}"),
                format!("{attr}: {f}"),
            );
        }
    }
}

/// Posture check ECR-P005 (a `*` principal without a restricting condition) on the policy at
/// `attr`, reported in the provider's `posture_checks` mode; skipped while the provider is
/// unconfigured.
pub fn policy_posture(
    text: &Val<String>,
    attr: &'static str,
    ignore: &[String],
    provider: Option<&AwsClients>,
    resource: &str,
    diags: &mut Diagnostics,
) {
    let (Some(aws), Some(t)) = (provider, text.str()) else {
        return;
    };
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(t) else {
        return;
    };
    let mut findings = crate::posture::wildcard_principal(&doc);
    for f in &mut findings {
        f.attribute = Some(attr);
    }
    crate::posture::report(findings, aws.posture, ignore, resource, diags);
}
