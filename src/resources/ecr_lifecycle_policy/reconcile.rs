//! What a refresh makes of the policy ECR holds: the state unchanged while it means the same,
//! otherwise AWS's policy in the form the configuration uses.

use super::policy::uses_rules;
use super::Model;
use crate::aws::reads::RemotePolicy;
use crate::framework::{Diagnostics, Val};
use crate::lifecycle;
use crate::shared::lifecycle_rules::blocks_from_policy;

/// State after a read: unchanged when the remote policy means the same as what state holds
/// (so the user's formatting survives), otherwise the remote policy in the form in use.
pub(super) fn reconcile(
    mut state: Model,
    repo: &str,
    remote: RemotePolicy,
    diags: &mut Diagnostics,
) -> Model {
    state.id = Val::of(repo);
    state.repository = Val::of(repo);
    if let Some(r) = remote.registry_id {
        state.registry_id = Val::of(r);
    }
    let canonical = lifecycle::canonicalize_text(&remote.text).ok();
    let current = state.policy_json.str().or(state.policy.str());
    if current.is_some_and(|cur| lifecycle::semantically_equal(cur, &remote.text)) {
        if !state.policy_json.is_known() {
            state.policy_json = Val::of(canonical.unwrap_or(remote.text));
        }
        return state;
    }
    state.policy_json = Val::of(canonical.clone().unwrap_or_else(|| remote.text.clone()));
    if !uses_rules(&state.rule) {
        state.policy = Val::of(remote.text);
        state.rule = Val::Known(vec![]);
        return state;
    }
    match lifecycle::parse_policy(&remote.text) {
        Ok(p) => state.rule = Val::Known(blocks_from_policy(&p, state.rule.items())),
        Err(findings) => {
            diags.warning(
                format!("The lifecycle policy of {repo:?} cannot be shown as rule blocks"),
                format!(
                    "The policy in ECR was changed outside Terraform and cannot be read as rule blocks ({}). It is shown as `policy` instead; the next apply replaces it with the configured rules.",
                    findings.first().map(ToString::to_string).unwrap_or_default()
                ),
            );
            state.rule = Val::Known(vec![]);
            state.policy = Val::of(remote.text);
        }
    }
    state
}
