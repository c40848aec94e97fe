//! `provider::ecr::lifecycle_policy(json)`: the plan-time lifecycle policy validator as a
//! function, returning the canonical policy text.

use super::string_param;
use crate::framework::{Docs, Function, FunctionError, FunctionSignature};
use crate::lifecycle;
use crate::protocol::cty::Type;

pub struct LifecyclePolicy;

impl Function for LifecyclePolicy {
    type Args = (String,);
    type Output = String;

    fn name(&self) -> &'static str {
        "lifecycle_policy"
    }

    fn signature(&self) -> FunctionSignature {
        FunctionSignature {
            parameters: vec![string_param(
                "json",
                "Lifecycle policy text, as `PutLifecyclePolicy` takes it.",
            )],
            return_type: Type::String,
            summary: "Validates an ECR lifecycle policy and returns its canonical JSON.".into(),
            description: "Runs the checks `ecr_lifecycle_policy` runs at plan time (JSON shape, every documented AWS rule: priorities, tag selection, counts, archive transitions, text length) and returns the policy in canonical form: compact JSON, rules sorted by priority, defaults left out. An invalid policy is an error carrying every finding with its JSON path, e.g. `rules[1].selection.countNumber: …`.\n\nThis puts the validator in front of any consumer of policy JSON, for example hashicorp/aws's `aws_ecr_lifecycle_policy` during a migration: `policy = provider::ecr::lifecycle_policy(file(\"policy.json\"))` fails the plan instead of the apply.".into(),
        }
    }

    fn docs(&self) -> Docs {
        Docs {
            notes: "## Notes\n\n- The canonical form compares equal for policies that mean the same (key order, whitespace,\n  rule order, `\"storageClass\": \"standard\"`), so feeding it to a resource avoids diffs from\n  formatting.\n- Advisory findings (`ecr lifecycle validate` shows them as warnings, e.g. a multi-entry tag\n  list) do not fail the function.".into(),
            ..Default::default()
        }
    }

    fn call(&self, (json,): (String,)) -> Result<String, FunctionError> {
        let findings = lifecycle::validate_json(&json);
        if !findings.is_empty() {
            let list: Vec<String> = findings.iter().map(ToString::to_string).collect();
            return Err(FunctionError::at(
                0,
                format!("invalid lifecycle policy: {}", list.join("; ")),
            ));
        }
        lifecycle::canonicalize_text(&json).map_err(|findings| {
            let list: Vec<String> = findings.iter().map(ToString::to_string).collect();
            FunctionError::at(0, format!("invalid lifecycle policy: {}", list.join("; ")))
        })
    }
}
