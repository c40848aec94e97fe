//! `ecr_public_repository_policy`: the resource policy of an ECR Public repository.
//!
//! The policy is compared by meaning ([`ecr_public::policy::equivalent`]): formatting, key order,
//! string-vs-singleton-list and set order inside IAM's list-valued keys never show as a diff,
//! and the text stored in state stays the configured one while AWS's copy means the same.

use serde::{Deserialize, Serialize};

use aws_sdk_ecrpublic::operation::delete_repository_policy::DeleteRepositoryPolicyError;
use aws_sdk_ecrpublic::operation::get_repository_policy::GetRepositoryPolicyError;
use aws_sdk_ecrpublic::operation::set_repository_policy::SetRepositoryPolicyError;
use aws_smithy_runtime_api::client::result::SdkError;

use super::identity;
use crate::aws::errors::{is, public_text};
use crate::aws::propagation::{is_principal_propagation, retry_while_propagating};
use crate::aws::AwsClients;
use crate::ecr_public::{self, policy};
use crate::framework::IdentitySchema;
use crate::framework::{
    import, AttrPath, Attribute, Block, Ctx, Diagnostics, Plan, Resource, Schema, Val,
};

pub struct EcrPublicRepositoryPolicy;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Model {
    pub id: Val<String>,
    pub repository_name: Val<String>,
    pub policy: Val<String>,
    pub registry_id: Val<String>,
}

/// The identity (`import { identity = { … } }`, Terraform ≥ 1.12): the account and the
/// repository name (ECR Public has one region, us-east-1).
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Identity {
    pub account_id: Val<String>,
    pub repository_name: Val<String>,
}

#[async_trait::async_trait]
impl Resource for EcrPublicRepositoryPolicy {
    type Model = Model;
    type Provider = AwsClients;
    type Identity = Identity;

    fn type_name(&self) -> &'static str {
        "ecr_public_repository_policy"
    }

    /// A `moved` block from hashicorp/aws's twin (`crate::moves`).
    fn move_state(
        &self,
        source: &crate::framework::MoveSource<'_>,
        _provider: Option<&AwsClients>,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        super::common::move_from_aws(source, diags, |s| moved_from_aws(s))
    }

    fn identity_schema(&self) -> IdentitySchema {
        identity::global(&[(
            "repository_name",
            "Name of the repository the policy belongs to.",
        )])
    }

    fn identity(&self, m: &Model, aws: &AwsClients) -> Identity {
        Identity {
            account_id: identity::account(&m.registry_id, aws),
            repository_name: m.repository_name.clone(),
        }
    }

    fn import_id(&self, i: &Identity, aws: &AwsClients, diags: &mut Diagnostics) -> Option<String> {
        if !identity::check_scope(&i.account_id, None, aws, diags) {
            return None;
        }
        identity::required(&i.repository_name, "repository_name", diags).map(str::to_string)
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new("The repository policy of an ECR Public repository: who may push to it (pulling from ECR Public is always anonymous and needs no policy).\n\n~> **ECR Public exists only in `us-east-1`.** The provider always calls it there, whatever the provider's `region`; unlike the private ECR types it has no `region` argument.")
                .attr(Attribute::string("id").computed().use_state_for_unknown().description("The repository name."))
                .attr(Attribute::string("repository_name").required().requires_replace().description("Name of the ECR Public repository."))
                .attr(Attribute::string("policy").required().semantic_equality(policy::equivalent).description(format!("The policy document (JSON, at most {} characters), e.g. from `jsonencode()` or `data.aws_iam_policy_document`. Compared by meaning: reformatting, reordering keys or list items inside `Action`/`Resource`/`Principal`/`Condition`, or writing a single value instead of a one-element list is not a change.", policy::POLICY_MAX)))
                .attr(Attribute::string("registry_id").computed().use_state_for_unknown().description("Account id of the public registry.")),
        )
    }

    fn docs(&self) -> crate::framework::Docs {
        crate::framework::Docs {
            subcategory: "ECR Public",
            notes: r#"## Behaviour

- **Checked at plan time** with the same code as `ecr_repository_policy` and
  `terraform-provider-ecr policy validate --kind public-repository`: errors for what AWS refuses
  (not JSON, no `Statement`, `Effect` other than `Allow`/`Deny`, a statement without `Action` or
  `Principal`, `Version` other than `2012-10-17`/`2008-10-17`), warnings for the unusual (an
  empty statement list, actions of another service than `ecr-public`). Diagnostics name the JSON
  path, e.g. `Statement[0].Effect`.
- **Compared by meaning.** Whitespace, key order, a single `Statement` object instead of a list, a
  string instead of a one-element list, and the order of (or duplicates in) `Action`,
  `NotAction`, `Resource`, `NotResource`, principals and condition values are not changes, and
  `"Principal": "*"` equals `{"AWS": "*"}`. AWS returns the policy reformatted; that never shows as
  a diff. Statement order does count.
- Changed outside Terraform (meaning differs): the plan shows the difference. Deleted outside
  Terraform (or the repository is gone): removed from state; the next plan creates it again.
- AWS rejects a policy naming a principal IAM cannot see yet (`Invalid repository policy
  provided`); as hashicorp/aws does, the provider retries that error for up to 2 minutes."#
                .into(),
            import: Some(crate::framework::ImportDocs {
                id: "Import with the repository name.",
                example: "my-org/my-tool",
            }),
        }
    }

    fn validate(&self, c: &Model, diags: &mut Diagnostics) {
        if let Some(name) = c.repository_name.str() {
            if let Some(e) = ecr_public::check_name(name) {
                diags.attr_error(
                    AttrPath::attr("repository_name"),
                    "Invalid repository_name",
                    format!("repository_name {e}."),
                );
            }
        }
        if let Some(text) = c.policy.str() {
            crate::framework::validate::document_findings(
                diags,
                &AttrPath::attr("policy"),
                crate::policy::validate_document(text, crate::policy::Kind::PublicRepository),
            );
        }
    }

    fn modify_plan(
        &self,
        plan: &mut Plan<Model>,
        _provider: Option<&AwsClients>,
        _diags: &mut Diagnostics,
    ) {
        // `id` and `registry_id` keep the prior value, `policy` the prior text when it means
        // the same (schema plan rules).
        if plan.is_create() {
            plan.planned.id = plan.planned.repository_name.clone();
        }
    }

    async fn create(
        &self,
        ctx: &Ctx<AwsClients>,
        plan: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let name = plan.repository_name.str().unwrap_or_default().to_string();
        let registry_id =
            set_policy(ctx, &name, plan.policy.str().unwrap_or_default(), diags).await?;
        let mut state = plan.clone();
        state.id = Val::of(name);
        state.registry_id = Val::of(registry_id);
        Some(state)
    }

    async fn read(
        &self,
        ctx: &Ctx<AwsClients>,
        state: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let name = state
            .repository_name
            .str()
            .or(state.id.str())
            .unwrap_or_default()
            .to_string();
        let res = ctx
            .provider
            .ecr_public
            .get_repository_policy()
            .repository_name(&name)
            .send()
            .await;
        match res {
            Ok(out) => {
                let remote = out.policy_text().unwrap_or_default().to_string();
                let mut next = state.clone();
                next.id = Val::of(name.clone());
                next.repository_name = Val::of(name);
                next.registry_id = Val::of(out.registry_id().unwrap_or_default());
                next.policy = reconcile(&state.policy, remote);
                Some(next)
            }
            Err(e)
                if is(&e, |k: &GetRepositoryPolicyError| {
                    k.is_repository_policy_not_found_exception()
                        || k.is_repository_not_found_exception()
                }) =>
            {
                tracing::info!(repository = %name, "public repository policy no longer exists; removing from state");
                None
            }
            Err(e) => {
                diags.error(
                    format!("Reading the policy of ECR Public repository {name:?} failed"),
                    public_text(&e),
                );
                None
            }
        }
    }

    async fn update(
        &self,
        ctx: &Ctx<AwsClients>,
        prior: Model,
        plan: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let name = prior.repository_name.str().unwrap_or_default().to_string();
        let text = plan.policy.str().unwrap_or_default();
        let same = prior
            .policy
            .str()
            .is_some_and(|p| policy::equivalent(p, text));
        if same {
            return Some(Model {
                policy: plan.policy.clone(),
                ..prior
            });
        }
        match set_policy(ctx, &name, text, diags).await {
            Some(registry_id) => Some(Model {
                registry_id: Val::of(registry_id),
                ..plan
            }),
            None => Some(prior),
        }
    }

    async fn delete(&self, ctx: &Ctx<AwsClients>, state: Model, diags: &mut Diagnostics) {
        let name = state.repository_name.str().unwrap_or_default().to_string();
        match ctx
            .provider
            .ecr_public
            .delete_repository_policy()
            .repository_name(&name)
            .send()
            .await
        {
            Ok(_) => {}
            Err(e)
                if is(&e, |k: &DeleteRepositoryPolicyError| {
                    k.is_repository_policy_not_found_exception()
                        || k.is_repository_not_found_exception()
                }) => {}
            Err(e) => diags.error(
                format!("Deleting the policy of ECR Public repository {name:?} failed"),
                public_text(&e),
            ),
        }
    }

    async fn import(
        &self,
        _ctx: &Ctx<AwsClients>,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        import::passthrough(
            self.type_name(),
            id,
            &["id", "repository_name"],
            ecr_public::check_name(id),
            "<repository_name>",
            diags,
        )
    }
}

/// The policy text to keep in state: ours while AWS's copy means the same, else AWS's copy
/// (so the next plan shows the drift).
fn reconcile(current: &Val<String>, remote: String) -> Val<String> {
    match current.str() {
        Some(cur) if policy::equivalent(cur, &remote) => current.clone(),
        _ => Val::of(remote),
    }
}

/// True for the error AWS gives while IAM cannot resolve a new principal yet.
fn is_propagation_error<R>(e: &SdkError<SetRepositoryPolicyError, R>) -> bool {
    use aws_smithy_types::error::metadata::ProvideErrorMetadata;
    e.as_service_error().is_some_and(|k| {
        k.is_invalid_parameter_exception() && k.message().is_some_and(is_principal_propagation)
    })
}

/// SetRepositoryPolicy, retried while IAM catches up; the registry id on success.
async fn set_policy(
    ctx: &Ctx<AwsClients>,
    name: &str,
    text: &str,
    diags: &mut Diagnostics,
) -> Option<String> {
    let sent = retry_while_propagating(
        &ctx.stop,
        name,
        || {
            ctx.provider
                .ecr_public
                .set_repository_policy()
                .repository_name(name)
                .policy_text(text)
                .send()
        },
        is_propagation_error,
    )
    .await;
    let gave_up = match sent {
        Ok(out) => return Some(out.registry_id().unwrap_or_default().to_string()),
        Err(g) => g,
    };
    let e = &gave_up.error;
    let attr = if is(
        e,
        SetRepositoryPolicyError::is_repository_not_found_exception,
    ) {
        "repository_name"
    } else {
        "policy"
    };
    let mut detail = public_text(e);
    if let Some(waited) = gave_up.retried_for {
        detail.push_str(&format!("\n\nAWS kept rejecting the policy for {}s. Check that every principal exists and every action is an ecr-public: action.", waited.as_secs()));
    }
    diags.attr_error(
        AttrPath::attr(attr),
        format!("Setting the policy of ECR Public repository {name:?} failed"),
        detail,
    );
    None
}

// ------------------------------------------------------------------------------------------
// `moved` from hashicorp/aws's aws_ecrpublic_repository_policy (crate::moves has the translation)

/// This type's state for hashicorp/aws's `aws_ecrpublic_repository_policy` state `src` (ECR Public: no region).
pub fn moved_from_aws(src: &crate::moves::Source<'_>) -> Result<Model, crate::moves::MoveError> {
    let p = crate::moves::policies::public_repository_policy(src)?;
    Ok(Model {
        id: Val::of(p.repository_name.clone()),
        repository_name: Val::of(p.repository_name),
        policy: Val::of(p.policy),
        registry_id: p.registry_id.into(),
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"ci","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ci"},"Action":["ecr-public:PutImage","ecr-public:InitiateLayerUpload"]}]}"#;

    /// The planned model for `config` over `prior`, through the framework's whole plan.
    fn plan_for(prior: &str, config: &str) -> Model {
        let m = |p: &str| Model {
            id: Val::of("my-tool"),
            repository_name: Val::of("my-tool"),
            policy: Val::of(p),
            registry_id: Val::of("123456789012"),
        };
        crate::framework::testing::plan(
            EcrPublicRepositoryPolicy,
            Some(&m(prior)),
            &m(config),
            None,
            &Default::default(),
        )
        .planned
    }

    #[test]
    fn equivalent_config_keeps_the_state_text() {
        let pretty = serde_json::to_string_pretty(
            &serde_json::from_str::<serde_json::Value>(POLICY).unwrap(),
        )
        .unwrap();
        let planned = plan_for(POLICY, &pretty);
        assert_eq!(planned.policy.str(), Some(POLICY));
        let changed = POLICY.replace("role/ci", "role/deploy");
        let planned = plan_for(POLICY, &changed);
        assert_eq!(planned.policy.str(), Some(changed.as_str()));
    }

    #[test]
    fn read_keeps_ours_unless_the_meaning_changed() {
        let ours = Val::of(POLICY);
        let aws_pretty = serde_json::to_string_pretty(
            &serde_json::from_str::<serde_json::Value>(POLICY).unwrap(),
        )
        .unwrap();
        assert_eq!(reconcile(&ours, aws_pretty), ours);
        let drifted = POLICY.replace("Allow", "Deny");
        assert_eq!(reconcile(&ours, drifted.clone()), Val::of(drifted));
        // Import: nothing in state yet.
        assert_eq!(reconcile(&Val::Null, POLICY.to_string()), Val::of(POLICY));
    }

    #[test]
    fn validation_points_at_policy_and_name() {
        let m = Model {
            repository_name: Val::of("Bad Name"),
            policy: Val::of(r#"{"Statement":{"Effect":"allow","Action":"ecr-public:*"}}"#),
            ..Default::default()
        };
        let mut d = Diagnostics::new();
        EcrPublicRepositoryPolicy.validate(&m, &mut d);
        let paths: Vec<String> =
            d.0.iter()
                .filter_map(|x| x.attribute.as_ref().map(|p| p.to_string()))
                .collect();
        assert_eq!(paths, vec!["repository_name", "policy", "policy"]);
        assert!(
            d.0[1].detail.contains("Statement.Effect"),
            "{}",
            d.0[1].detail
        );
        assert!(d.0[2].detail.contains("Principal"), "{}", d.0[2].detail);
    }

    #[test]
    fn only_the_propagation_error_is_retried() {
        use aws_sdk_ecrpublic::types::error::{
            InvalidParameterException, RepositoryNotFoundException,
        };
        use aws_smithy_runtime_api::http::{Response, StatusCode};
        use aws_smithy_types::body::SdkBody;
        use aws_smithy_types::error::ErrorMetadata;
        let error = |e: SetRepositoryPolicyError| -> SdkError<SetRepositoryPolicyError, Response> {
            SdkError::service_error(
                e,
                Response::new(StatusCode::try_from(400).unwrap(), SdkBody::empty()),
            )
        };
        let invalid = |msg: &str| {
            error(SetRepositoryPolicyError::InvalidParameterException(
                InvalidParameterException::builder()
                    .message(msg)
                    .meta(
                        ErrorMetadata::builder()
                            .code("InvalidParameterException")
                            .message(msg)
                            .build(),
                    )
                    .build(),
            ))
        };
        let msg = "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'";
        assert!(is_propagation_error(&invalid(msg)));
        assert!(!is_propagation_error(&invalid(
            "Invalid parameter at 'repositoryName'"
        )));
        let not_found = error(SetRepositoryPolicyError::RepositoryNotFoundException(
            RepositoryNotFoundException::builder()
                .message(msg)
                .meta(
                    ErrorMetadata::builder()
                        .code("RepositoryNotFoundException")
                        .message(msg)
                        .build(),
                )
                .build(),
        ));
        assert!(!is_propagation_error(&not_found));
        let timeout: SdkError<SetRepositoryPolicyError, Response> =
            SdkError::timeout_error("no answer");
        assert!(!is_propagation_error(&timeout));
    }
}
