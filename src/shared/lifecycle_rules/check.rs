//! Validation of the policy a configuration writes, as rule blocks or as JSON text: errors and
//! lint warnings of [`crate::lifecycle`] as diagnostics on the attribute they are about, and the
//! canonical text when the policy is valid and known.

use super::document::build_rules;
use super::paths::{config_path, BlockNames};
use super::RuleBlock;
use crate::framework::{AttrPath, Diagnostics, Val};
use crate::lifecycle::validate::ids;
use crate::lifecycle::{self, Finding};
use crate::protocol::diagnostics::Severity;

/// Validates rule blocks onto `diags` (errors and lint warnings, pointing at the rule block
/// attributes); returns the canonical text when complete and valid. Unknown values are skipped.
pub fn check_rules(rules: &Val<Vec<RuleBlock>>, diags: &mut Diagnostics) -> Option<String> {
    let Val::Known(blocks) = rules else {
        return None;
    };
    let built = build_rules(blocks);
    let names = BlockNames {
        index: &built.index,
    };
    let mut errors = false;
    for f in lifecycle::validate::validate_json_with(&built.text, &names) {
        // Length is checked on the canonical text (what is sent); "no rules" only means
        // "not known yet" when rules were left out.
        if f.rule == ids::TEXT_LENGTH || (f.rule == ids::RULES_EMPTY && !built.complete) {
            continue;
        }
        errors = true;
        push_structured(diags, Severity::Error, &f, blocks, &built.index);
    }
    let policy = lifecycle::parse_policy(&built.text).ok()?;
    for f in lifecycle::validate::lint_with(&policy, &names) {
        push_structured(diags, Severity::Warning, &f, blocks, &built.index);
    }
    if errors || !built.complete {
        return None;
    }
    let canonical = lifecycle::canonical_json(&policy);
    if let Some(f) = lifecycle::check_text_length(&canonical) {
        diags.attr_error(
            AttrPath::attr("rule"),
            lifecycle::summary(f.rule),
            format!(
                "{} (measured on the canonical JSON that is sent to ECR, see policy_json)",
                f.message
            ),
        );
        return None;
    }
    Some(canonical)
}

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
        diags.attr_error(attr.clone(), lifecycle::summary(f.rule), json_detail(&f));
    }
    let policy = lifecycle::parse_policy(t).ok()?;
    for f in lifecycle::lint(&policy) {
        diags.attr_warning(attr.clone(), lifecycle::summary(f.rule), json_detail(&f));
    }
    if errors {
        return None;
    }
    let canonical = lifecycle::canonical_json(&policy);
    if let Some(f) = lifecycle::check_text_length(&canonical) {
        diags.attr_error(
            attr.clone(),
            lifecycle::summary(f.rule),
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

fn push_structured(
    diags: &mut Diagnostics,
    severity: Severity,
    f: &Finding,
    blocks: &[RuleBlock],
    index: &[usize],
) {
    let path = config_path(&f.path, blocks, index);
    let detail = format!("{path}: {}.", f.message);
    match severity {
        Severity::Error => diags.attr_error(path, lifecycle::summary(f.rule), detail),
        Severity::Warning => diags.attr_warning(path, lifecycle::summary(f.rule), detail),
    }
}
