//! Validation of lifecycle policies against every constraint AWS documents
//! (`docs/design/lifecycle.md`), so that a bad policy fails at
//! `terraform validate` / `plan` instead of at apply time.
//!
//! Validation of text runs on the raw JSON (`serde_json::Value`) first: that is
//! the only way to report unknown properties, JSON `null`s, wrong types and
//! missing properties *by path* and all at once, where serde would stop at the
//! first error.  The same semantic checks then run on whatever could be read,
//! so a document with a typo in one rule still gets its other rules checked.
//! [`validate`] runs the semantic checks on an already-typed policy.
//!
//! Every finding carries a [`JsonPath`] (`rules[2].selection.tagPatternList`,
//! kept as steps and rendered by itself), a stable rule id (see [`ids`]) and a
//! message naming the field and the rule, in the document's JSON names or in
//! the [`Names`] a caller gives (a configuration that writes the policy as
//! blocks). Findings are ordered by path (array indices numerically).
//!
//! Behind this front (private): `shape` walks the raw JSON, `semantics` holds the
//! rules, `finding` what is handed out.
//!
//! Where AWS documents no rule, this module decides (and says so here):
//! - `rulePriority` must be at least 1 (as Terraform's own data source does);
//!   no maximum is enforced.
//! - An empty tag list counts as missing: an error on a `tagged` rule, ignored
//!   on `untagged` / `any` rules.
//! - "Unique set of prefixes" per storage class: two rules of one storage class
//!   with the *same set* of entries in the same kind of list are an error;
//!   lists that merely overlap are allowed, and a prefix list never equals a
//!   pattern list.
//! - Enum values are case-sensitive (`TAGGED` is rejected, with a hint).
//! - Numbers must be JSON integers: `1.0` is rejected like AWS's JSON-schema
//!   validator does for `integer`.
//! - A `null` counts as a present property for the pairing rules (so
//!   `"targetStorageClass": null` on `expire` gets both findings).
//! - Text length counts Unicode scalar values, as the API model does.
//! - Duplicate JSON keys are not detected (the last one wins).

use std::collections::BTreeSet;

use serde_json::Value;

use super::model::LifecyclePolicy;

mod finding;
pub mod ids;
mod semantics;
mod shape;
#[cfg(test)]
mod tests;

pub use finding::{Finding, JsonNames, JsonPath, Names, Step};

use finding::Findings;
use semantics::{check_rule_count, semantic_checks};
use shape::{walk_document, RuleView};

/// Fewest characters `PutLifecyclePolicy` accepts for `lifecyclePolicyText`.
pub const MIN_TEXT_CHARS: usize = 100;
/// Most characters a lifecycle policy may have (service quota, not adjustable).
pub const MAX_TEXT_CHARS: usize = 30_720;
/// Most rules in one lifecycle policy (service quota, not adjustable).
pub const MAX_RULES: usize = 50;
/// Most `*` wildcards in one `tagPatternList` entry.
pub const MAX_PATTERN_WILDCARDS: usize = 4;
/// Archived images are kept (and billed) at least this many days, so a
/// `sinceImageTransitioned` rule may not expire them sooner.
pub const ARCHIVE_MINIMUM_DAYS: i64 = 90;

/// Rule ids that mean the text could not be read as a policy at all (shape
/// errors), as opposed to a readable policy breaking a semantic rule.
const SHAPE_RULES: &[&str] = &[
    ids::JSON_SYNTAX,
    ids::ROOT_NOT_OBJECT,
    ids::UNKNOWN_PROPERTY,
    ids::NULL_VALUE,
    ids::WRONG_TYPE,
    ids::MISSING_PROPERTY,
    ids::ENUM_VALUE,
];

/// Validates policy text as sent to `PutLifecyclePolicy`: syntax, shape,
/// length and every semantic rule. An empty result means AWS should accept it.
pub fn validate_json(text: &str) -> Vec<Finding> {
    validate_json_with(text, &JsonNames)
}

/// [`validate_json`], with messages in `names`.
pub fn validate_json_with(text: &str, names: &dyn Names) -> Vec<Finding> {
    analyse(text, names).1
}

/// Validates a typed policy (semantic rules only: its shape is right by
/// construction). Callers that serialise it should also run
/// [`check_text_length`] on the text they will send.
pub fn validate(policy: &LifecyclePolicy) -> Vec<Finding> {
    let views: Vec<RuleView> = policy
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| RuleView::from_rule(i, r))
        .collect();
    let mut out = Findings::new(&JsonNames);
    check_rule_count(policy.rules.len(), &mut out);
    semantic_checks(&views, &mut out);
    out.finish()
}

/// Checks the API's length limits on the policy text (100 to 30720
/// characters, counted as Unicode scalar values like the API model does).
pub fn check_text_length(text: &str) -> Option<Finding> {
    let n = text.chars().count();
    if n < MIN_TEXT_CHARS {
        Some(Finding {
            path: JsonPath::root(),
            rule: ids::TEXT_LENGTH,
            message: format!(
                "the policy text is {n} characters long; ECR requires at least {MIN_TEXT_CHARS} \
                 (a rule description can pad a very short policy)"
            ),
        })
    } else if n > MAX_TEXT_CHARS {
        Some(Finding {
            path: JsonPath::root(),
            rule: ids::TEXT_LENGTH,
            message: format!(
                "the policy text is {n} characters long; ECR allows at most {MAX_TEXT_CHARS}"
            ),
        })
    } else {
        None
    }
}

/// Reads policy text into the typed model. Succeeds when the text has the
/// right shape even if it breaks semantic rules (use [`validate_json`] for
/// those).
///
/// # Errors
/// Every finding of [`validate_json`] when the text is not a readable policy.
pub fn parse_policy(text: &str) -> Result<LifecyclePolicy, Vec<Finding>> {
    match analyse(text, &JsonNames) {
        (Some(policy), _) => Ok(policy),
        (None, findings) => Err(findings),
    }
}

/// Advisory findings that are legal for AWS but often not what the author
/// meant (meant to be shown as warnings). Currently: a tag list with several
/// entries, which AWS treats as "all of these" and not "any of these".
pub fn lint(policy: &LifecyclePolicy) -> Vec<Finding> {
    lint_with(policy, &JsonNames)
}

/// [`lint`], with messages in `names`.
pub fn lint_with(policy: &LifecyclePolicy, names: &dyn Names) -> Vec<Finding> {
    let mut out = Findings::new(names);
    for (i, rule) in policy.rules.iter().enumerate() {
        // AWS documents no minimum (its examples start at 1; Terraform's document data source
        // insists on 1): a warning, not an error (docs/design/validation.md).
        if rule.rule_priority < 1 {
            out.push(
                JsonPath::rule(i).key("rulePriority"),
                ids::PRIORITY_MIN,
                format!(
                    "{} is {}; AWS's documentation numbers rules from 1, and a priority \
                     below 1 is not documented to work",
                    out.f("rulePriority"),
                    rule.rule_priority
                ),
            );
        }
        let lists = [
            ("tagPrefixList", &rule.selection.tag_prefix_list),
            ("tagPatternList", &rule.selection.tag_pattern_list),
        ];
        for (name, list) in lists {
            let Some(list) = list else { continue };
            let distinct: BTreeSet<&String> = list.iter().collect();
            if distinct.len() > 1 {
                out.push(
                    JsonPath::rule(i).key("selection").key(name),
                    ids::MULTI_ENTRY_TAG_LIST,
                    format!(
                        "{} has {} entries; ECR selects only images that have tags matching \
                         all of them, not any of them (use one rule per entry to protect or \
                         expire each separately)",
                        out.f(name),
                        distinct.len()
                    ),
                );
            }
        }
    }
    out.finish()
}

/// One pass over the text: the typed policy if the shape is right, and all findings.
pub(crate) fn analyse(text: &str, names: &dyn Names) -> (Option<LifecyclePolicy>, Vec<Finding>) {
    let mut out = Findings::new(names);
    if let Some(f) = check_text_length(text) {
        out.push(f.path, f.rule, f.message);
    }
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let what = match e.classify() {
                serde_json::error::Category::Eof => "the text ends before the JSON document does",
                _ => "the text is not valid JSON",
            };
            out.push(
                JsonPath::root(),
                ids::JSON_SYNTAX,
                format!("{what}: {e} (line {}, column {})", e.line(), e.column()),
            );
            return (None, out.finish());
        }
    };
    let views = walk_document(&value, &mut out).map(|(n, views)| {
        check_rule_count(n, &mut out);
        views
    });
    let shape_ok = !out.has_shape_error();
    if let Some(views) = &views {
        semantic_checks(views, &mut out);
    }
    let mut policy = None;
    if shape_ok {
        // The walk checks everything serde does, so this should not fail; if it
        // ever does, say so rather than return "unreadable" without a finding.
        match serde_json::from_value::<LifecyclePolicy>(value) {
            Ok(p) => policy = Some(p),
            Err(e) => out.push(
                JsonPath::root(),
                ids::WRONG_TYPE,
                format!("the policy could not be read: {e}"),
            ),
        }
    }
    (policy, out.finish())
}
