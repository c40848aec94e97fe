//! `moved` from hashicorp/aws's `aws_ecr_lifecycle_policy` (`crate::moves` has the translation).

use super::Model;
use crate::framework::Val;
use crate::lifecycle;
use crate::shared::lifecycle_rules::RuleBlock;

/// Hint kind: rule blocks of a configuration, recorded at validate (keyed by the policy's
/// canonical JSON) for a move in the same Terraform command. hashicorp/aws stores a policy as
/// JSON only; with the blocks the moved state is in the configuration's form, so a
/// configuration that writes the same policy as `rule` blocks plans no change.
pub(super) const MOVED_RULES_HINT: &str = "moved-lifecycle-rules";

pub(super) fn rules_key(canonical: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    canonical.hash(&mut h);
    format!("{:016x}-{}", h.finish(), canonical.len())
}

pub(super) fn record_rule_blocks(canonical: &str, rules: &[RuleBlock]) {
    if let Ok(json) = serde_json::to_string(rules) {
        crate::framework::hints::record(MOVED_RULES_HINT, &rules_key(canonical), Some(&json));
    }
}

/// This type's state for hashicorp/aws's `aws_ecr_lifecycle_policy` state `src`: the JSON form,
/// or the configuration's `rule` blocks when the configuration (seen at validate) writes the
/// same policy as blocks.
pub fn moved_from_aws(
    src: &crate::moves::Source<'_>,
    provider_region: Option<&str>,
) -> Result<Model, crate::moves::MoveError> {
    let p = crate::moves::lifecycle_policy::from_aws(src)?;
    let canonical = lifecycle::canonicalize_text(&p.policy).ok();
    let blocks: Option<Vec<RuleBlock>> = canonical.as_deref().and_then(|c| {
        let json = crate::framework::hints::lookup(MOVED_RULES_HINT, &rules_key(c))?;
        serde_json::from_str(&json).ok()
    });
    let (policy, rule) = match blocks {
        Some(b) => (Val::Null, Val::Known(b)),
        None => (Val::of(p.policy.clone()), Val::Known(vec![])),
    };
    Ok(Model {
        id: Val::of(p.repository.clone()),
        repository: Val::of(p.repository),
        registry_id: p.registry_id.into(),
        policy,
        policy_json: Val::of(canonical.unwrap_or(p.policy)),
        rule,
        region: p.region.or(provider_region.map(str::to_string)).into(),
    })
}
