//! The configured policy, in either form, as the validated canonical text sent to ECR, and
//! PutLifecyclePolicy.

use aws_sdk_ecr::operation::put_lifecycle_policy::PutLifecyclePolicyError;

use super::Model;
use crate::aws::errors::{self, is};
use crate::aws::AwsClients;
use crate::framework::{AttrPath, Diagnostics, Val};
use crate::protocol::diagnostics::Severity;
use crate::shared::lifecycle_rules::{check_policy_text, check_rules, RuleBlock};

/// PutLifecyclePolicy; `Some(registry id)` on success, `None` with diagnostics on failure.
pub(super) async fn put_policy(
    aws: &AwsClients,
    repo: &str,
    text: &str,
    m: &Model,
    diags: &mut Diagnostics,
) -> Option<Option<String>> {
    match aws
        .ecr
        .put_lifecycle_policy()
        .repository_name(repo)
        .lifecycle_policy_text(text)
        .send()
        .await
    {
        Ok(out) => Some(out.registry_id().map(str::to_string)),
        Err(e)
            if is(
                &e,
                PutLifecyclePolicyError::is_repository_not_found_exception,
            ) =>
        {
            diags.attr_error(
                AttrPath::attr("repository"),
                format!("ECR repository {repo:?} not found"),
                format!("{}\n\nCreate the repository first (for example with ecr_repository, and refer to its name so Terraform orders the two).", errors::text(&e)),
            );
            None
        }
        Err(e) => {
            let refused = is(&e, |k| {
                k.is_invalid_parameter_exception() || k.is_validation_exception()
            });
            let (attr, hint) = if refused {
                (
                    Some(source_attr(m)),
                    "\n\nThe policy passed this provider's plan-time validation. Against real AWS, please report it (with the policy) to the terraform-provider-ecr maintainers; emulators such as moto may still implement the lifecycle policy schema from before storage classes and transitions.",
                )
            } else {
                (None, "")
            };
            let summary = format!("Putting the lifecycle policy of {repo:?} failed");
            let detail = format!("{}{hint}", errors::text(&e));
            match attr {
                Some(a) => diags.attr_error(a, summary, detail),
                None => diags.error(summary, detail),
            }
            None
        }
    }
}

fn source_attr(m: &Model) -> AttrPath {
    if uses_rules(&m.rule) {
        AttrPath::attr("rule")
    } else {
        AttrPath::attr("policy")
    }
}

pub(super) fn uses_rules(rule: &Val<Vec<RuleBlock>>) -> bool {
    match rule {
        Val::Unknown => true,
        Val::Known(v) => !v.is_empty(),
        Val::Null => false,
    }
}

/// Validates the configured policy (either form) onto `diags`; returns its canonical text when
/// every value is known and the policy is valid.
pub(super) fn policy_of(c: &Model, diags: &mut Diagnostics) -> Option<String> {
    match (uses_rules(&c.rule), !c.policy.is_null()) {
        (true, true) => {
            diags.attr_error(
                AttrPath::attr("policy"),
                "Conflicting lifecycle policy arguments",
                "Set either `policy` (JSON text) or `rule` blocks, not both.",
            );
            None
        }
        (false, false) => {
            diags.error(
                "Missing lifecycle policy",
                "Set either `policy` (JSON text) or at least one `rule` block.",
            );
            None
        }
        (true, false) => check_rules(&c.rule, diags),
        (false, true) => check_policy_text(&c.policy, &AttrPath::attr("policy"), diags),
    }
}

/// The canonical text to send at apply time; errors (not the plan-time warnings) on `diags`.
pub(super) fn policy_for_apply(m: &Model, diags: &mut Diagnostics) -> Option<String> {
    let mut all = Diagnostics::new();
    let text = policy_of(m, &mut all);
    let errors: Vec<_> = all
        .0
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    let had_errors = !errors.is_empty();
    diags.extend(Diagnostics(errors));
    match text {
        Some(t) => Some(t),
        None => {
            if !had_errors {
                diags.error("Lifecycle policy not known", "The policy still has unknown values at apply time. This is a bug in the provider.");
            }
            None
        }
    }
}
