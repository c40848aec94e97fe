//! `ecr_cross_account_grant`: one statement (identified by `sid`) inside a repository policy,
//! letting other accounts pull and/or push. Several grants — and statements written by other
//! tools — share one policy: each apply reads the policy, replaces or adds only its own
//! statement (every other statement keeps its exact text, see `policy::splice`), writes it back
//! and reads it again to verify. Grants on one repository are serialised inside the provider.

use std::collections::BTreeSet;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::cross;
use super::identity;
use crate::aws::repository_policy::{self as io, SetError};
use crate::aws::AwsClients;
use crate::framework::validate::{self, OneOf};
use crate::framework::IdentitySchema;
use crate::framework::{
    hints, AttrPath, Attribute, Block, Ctx, Diagnostics, Plan, Resource, Schema, Val,
};
use crate::policy::{self, splice, Grant, Principal};
use crate::repository;
use crate::shared::region;
use crate::shared::validators::RepositoryName;

pub struct EcrCrossAccountGrant;

/// Attempts of read → modify → write → verify before giving up on a policy that keeps
/// changing under us (another tool writing the same policy).
const ATTEMPTS: usize = 6;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Model {
    pub id: Val<String>,
    pub repository: Val<String>,
    pub sid: Val<String>,
    pub principals: Val<Vec<Val<String>>>,
    pub organization_id: Val<String>,
    pub access: Val<String>,
    pub actions: Val<Vec<Val<String>>>,
    pub lambda_pull: Val<bool>,
    pub registry_id: Val<String>,
    pub repository_arn: Val<String>,
    pub statement_json: Val<String>,
    pub consumer_policy_json: Val<String>,
    pub region: Val<String>,
}

const ACCESS: &[&str] = &["pull", "push", "pull_push"];
const HINT_KIND: &str = "grant-config";

/// The configuration's form of a grant, recorded at validate time in this Terraform command.
#[derive(Debug, Default, Clone, PartialEq)]
struct ConfigHint {
    pub principals: Vec<String>,
    pub uses_actions: bool,
}

fn config_hint(repo: &str, sid: &str) -> Option<ConfigHint> {
    let v: Json =
        serde_json::from_str(&hints::lookup(HINT_KIND, &format!("{repo}/{sid}"))?).ok()?;
    Some(ConfigHint {
        principals: v
            .get("principals")?
            .as_array()?
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        uses_actions: v.get("uses_actions")?.as_bool()?,
    })
}

/// The strings of a collection when it and every element are known.
fn known_strings(v: &Val<Vec<Val<String>>>) -> Option<Vec<String>> {
    v.known()?.iter().map(|x| x.known().cloned()).collect()
}

fn strings_val(v: Vec<String>) -> Val<Vec<Val<String>>> {
    Val::Known(v.into_iter().map(Val::Known).collect())
}

/// The identity (`import { identity = { … } }`, Terraform ≥ 1.12), as hashicorp/aws names it
/// where it has one: account, region and `repository` and `sid`.
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Identity {
    pub account_id: Val<String>,
    pub region: Val<String>,
    pub repository: Val<String>,
    pub sid: Val<String>,
}

#[async_trait::async_trait]
impl Resource for EcrCrossAccountGrant {
    type Model = Model;
    type Provider = AwsClients;
    type Identity = Identity;

    fn type_name(&self) -> &'static str {
        "ecr_cross_account_grant"
    }

    fn identity_schema(&self) -> IdentitySchema {
        identity::regional(&[
            (
                "repository",
                "Name of the repository whose policy holds the statement.",
            ),
            ("sid", "The statement id (`Sid`)."),
        ])
    }

    fn identity(&self, m: &Model, aws: &AwsClients) -> Identity {
        Identity {
            account_id: identity::account(&m.registry_id, aws),
            region: identity::region(&m.region, aws),
            repository: m.repository.clone(),
            sid: m.sid.clone(),
        }
    }

    fn import_id(&self, i: &Identity, aws: &AwsClients, diags: &mut Diagnostics) -> Option<String> {
        if !identity::check_scope(&i.account_id, None, aws, diags) {
            return None;
        }
        let repository = identity::required(&i.repository, "repository", diags);
        let sid = identity::required(&i.sid, "sid", diags);
        identity::in_region(Some(format!("{}/{}", repository?, sid?)), &i.region, aws)
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new("Grants other AWS accounts (or an AWS Organization) access to a repository through **one statement** of its repository policy, identified by `sid`.\n\nAny number of grants — and statements written by other tools — share the policy: each grant only ever rewrites its own statement and keeps every other statement byte-for-byte; destroying the last statement deletes the policy. Do not combine with [`ecr_repository_policy`](ecr_repository_policy.md) on the same repository: the two would fight, and the plan fails with *Repository policy managed twice*.")
                .attr(Attribute::string("id").computed().use_state_for_unknown().description("`<repository>/<sid>`."))
                .attr(region::resource_attribute())
                .attr(Attribute::string("repository").required().requires_replace().description("Name of the repository."))
                .attr(Attribute::string("sid").required().requires_replace().description("Statement id, unique within the repository policy; not empty and without `/` (the import id is `<repository>/<sid>`). IAM documents letters and digits, at most 100; other Sids get a warning. A different statement already holding this Sid is an error (import it instead)."))
                .attr(Attribute::string_set("principals").required().description("Who is granted access: 12-digit account ids (every principal of that account), account root ARNs (`arn:aws:iam::123456789012:root`), or role/user ARNs (`arn:aws:iam::123456789012:role/ci`). Role session ARNs (`arn:aws:sts::…:assumed-role/…`, what `data.aws_caller_identity` yields under an assumed role) are accepted with a warning: they match that one session only. `*` without `organization_id`, wildcard ARNs and other unusual forms are warnings; strings that cannot name a principal and IAM user groups are errors."))
                .attr(Attribute::string("organization_id").optional().description("AWS Organizations id (`o-...`): adds a `\"Condition\": {\"StringEquals\": {\"aws:PrincipalOrgID\": …}}` so only principals of that organization match. Recommended with a `*` principal (without it the plan warns that the grant is public)."))
                .attr(Attribute::string("access").optional().computed().description("`pull` (default: `ecr:BatchGetImage`, `ecr:GetDownloadUrlForLayer`, `ecr:BatchCheckLayerAvailability`), `push` (`ecr:PutImage`, `ecr:InitiateLayerUpload`, `ecr:UploadLayerPart`, `ecr:CompleteLayerUpload`, `ecr:BatchCheckLayerAvailability`) or `pull_push` (both). Conflicts with `actions`."))
                .attr(Attribute::string_set("actions").optional().description("Explicit `ecr:` actions instead of `access` (each checked against the ECR action list; wildcards such as `ecr:Describe*` must match an action)."))
                .attr(Attribute::bool("lambda_pull").optional().computed().default_bool(false).description("Also let AWS Lambda pull the images for functions of the granted accounts (default `false`): adds a companion statement `<sid>Lambda` with the `lambda.amazonaws.com` service principal, `ecr:BatchGetImage` and `ecr:GetDownloadUrlForLayer`, and an `aws:SourceAccount` condition on the granted accounts (`aws:SourceOrgID` for an organization-wide grant). The grant owns that statement too."))
                .attr(Attribute::string("registry_id").computed().use_state_for_unknown().description("Account id of the registry holding the repository."))
                .attr(Attribute::string("repository_arn").computed().use_state_for_unknown().description("ARN of the repository."))
                .attr(Attribute::string("statement_json").computed().description("The statement(s) this grant owns, canonical JSON. A statement edited or removed outside Terraform shows as a diff here."))
                .attr(Attribute::string("consumer_policy_json").computed().description("The IAM policy the consumer account attaches to its roles: `ecr:GetAuthorizationToken` on `*` plus the granted actions on this repository's ARN.")),
        )
    }

    fn docs(&self) -> crate::framework::Docs {
        crate::framework::Docs {
            notes: "## Behaviour

A repository has a single policy document, so with `aws_ecr_repository_policy` several modules
overwrite each other (hashicorp/terraform-provider-aws #3737). Here each grant owns only its own
statement:

- **Create/update** read the policy, replace or append the grant's statement, write it back, and
  read it again to verify. Every other statement (other grants', or those written by another
  tool) keeps its exact text, byte for byte.
- **Delete** removes only the grant's statement; when no statement is left the policy is deleted.
- **Parallel applies are safe**: Terraform applies up to 10 resources at once; grants on the same
  repository are serialised inside the provider (a lock per repository), so no update is lost. A
  writer outside Terraform that changes the policy between our read and write is detected by the
  verifying read and the edit is retried (up to 6 times).
- **New principals**: IAM answers `Invalid repository policy provided` or `Principal not found`
  for a role created moments ago; the write is retried for up to 2 minutes before failing.
- **Drift**: a statement edited outside Terraform shows as a diff on the changed attributes (and
  on `statement_json`); a statement removed outside Terraform is planned for creation again.

Every argument is checked at `terraform validate`; errors point at the attribute.".into(),
            import: Some(crate::framework::ImportDocs {
                id: "The id is the repository name, a `/`, and the statement's Sid. Principals, actions (as \
                     `access` when they match a level), the organization condition and the Lambda companion \
                     are read from the policy.",
                example: "my-org/app/ProdPull",
            }),
            ..Default::default()
        }
    }

    fn validate(&self, c: &Model, diags: &mut Diagnostics) {
        region::validate(&c.region, diags);
        let repo = AttrPath::attr("repository");
        validate::check(diags, &repo, &c.repository, &[&RepositoryName]);
        if let Some(sid) = c.sid.str() {
            // The provider finds its statement by Sid and reads `<repository>/<sid>` import ids.
            if sid.is_empty() || sid.contains('/') {
                diags.attr_error(AttrPath::attr("sid"), "Invalid sid", format!("sid {sid:?} must be non-empty and without '/': the grant finds its statement by Sid, and its import id is <repository>/<sid>."));
            } else if !policy::conventional_sid(sid) {
                diags.attr_warning(AttrPath::attr("sid"), "Unconventional sid", format!("sid {sid:?}: IAM documents Sids of at most 100 letters and digits. ECR has taken others (its console wrote \"new statement\"), so this is not refused here; AWS will say if it minds."));
            }
        }
        if let Some(org) = c.organization_id.str() {
            if !policy::valid_org_id(org) {
                diags.attr_warning(AttrPath::attr("organization_id"), "Unusual organization_id", format!("organization_id {org:?} is not written as an AWS Organizations id (o- followed by 10 to 32 lowercase letters or digits): the aws:PrincipalOrgID condition would match no principal."));
            }
        }
        if let Val::Known(ps) = &c.principals {
            if ps.is_empty() {
                diags.attr_error(
                    AttrPath::attr("principals"),
                    "No principals",
                    "principals needs at least one account id or ARN: a resource policy statement names its principal.",
                );
            }
            for p in ps.iter().filter_map(Val::known) {
                match policy::parse_principal(p) {
                    Err(e) => diags.attr_error(AttrPath::attr("principals"), "Invalid principal", e),
                    Ok(Principal::Anyone) if c.organization_id.is_null() => diags.attr_warning(
                        AttrPath::attr("principals"),
                        "Public grant",
                        "A \"*\" principal without organization_id lets anyone with an AWS account use this repository with the granted actions. Set organization_id to limit it to your AWS Organization, or list the accounts.",
                    ),
                    Ok(_) => {
                        if let Some((summary, detail)) = policy::principal_caveat(p) {
                            diags.attr_warning(AttrPath::attr("principals"), summary, detail);
                        }
                    }
                }
            }
        }
        // Remember how the configuration writes principals and actions, for the refresh that
        // follows in this Terraform command (an imported grant then reads back in that form).
        if let (Some(repo), Some(sid), Some(ps)) = (
            c.repository.str(),
            c.sid.str(),
            known_strings(&c.principals),
        ) {
            let hint =
                serde_json::json!({ "principals": ps, "uses_actions": c.actions.is_known() });
            hints::record(HINT_KIND, &format!("{repo}/{sid}"), Some(&hint.to_string()));
        }
        validate::check(
            diags,
            &AttrPath::attr("access"),
            &c.access,
            &[&OneOf(ACCESS)],
        );
        if c.access.is_known() && c.actions.is_known() {
            diags.attr_error(
                AttrPath::attr("actions"),
                "Conflicting arguments",
                "Set either access or actions, not both.",
            );
        }
        if let Val::Known(actions) = &c.actions {
            if actions.is_empty() {
                diags.attr_warning(
                    AttrPath::attr("actions"),
                    "No actions",
                    "actions is empty, so the grant allows nothing; list at least one ecr: action (or use access).",
                );
            }
            for a in actions.iter().filter_map(Val::known) {
                if let Err(e) = policy::check_action(a) {
                    diags.attr_warning(AttrPath::attr("actions"), "Unknown action", e);
                }
            }
        }
    }

    fn modify_plan(
        &self,
        plan: &mut Plan<Model>,
        provider: Option<&AwsClients>,
        diags: &mut Diagnostics,
    ) {
        region::plan(
            &mut plan.planned.region,
            &plan.config.region,
            plan.prior.as_ref().map(|m| &m.region),
            provider.map(|a| a.region.as_str()),
            &mut plan.requires_replace,
        );
        let c = plan.config.clone();
        if let (Some(repo), Some(sid)) = (c.repository.str(), c.sid.str()) {
            cross::grant_planned(&plan.siblings, repo, sid, diags);
        }
        let p = &mut plan.planned;
        if c.access.is_null() && c.actions.is_null() {
            p.access = Val::of("pull");
        } else if c.access.is_null() {
            p.access = Val::Null;
        }
        if let (Some(repo), Some(sid)) = (p.repository.str(), p.sid.str()) {
            p.id = Val::of(format!("{repo}/{sid}"));
        }
        let mut quiet = Diagnostics::new();
        let grant = grant_of(p, &mut quiet);
        p.statement_json = match &grant {
            Some(g) if p.lambda_pull.is_known() => Val::of(statement_json(
                &g.statement(),
                p.lambda_pull
                    .or(false)
                    .then(|| g.lambda_statement())
                    .as_ref(),
            )),
            _ => Val::Unknown,
        };
        // An update keeps the prior ARN (schema plan rule); a new repository replaces the grant.
        let arn = match &plan.prior {
            Some(_) => p.repository_arn.clone(),
            None => match (
                provider.and_then(|a| a.account_id.clone()),
                provider,
                p.repository.str(),
            ) {
                (Some(acc), Some(aws), Some(repo)) => Val::of(format!(
                    "arn:aws:ecr:{}:{acc}:repository/{repo}",
                    aws.region
                )),
                _ => Val::Unknown,
            },
        };
        p.repository_arn = arn.clone();
        p.consumer_policy_json = match (arn.str(), &grant) {
            (Some(a), Some(g)) => Val::of(policy::consumer_policy(a, &g.actions)),
            _ => Val::Unknown,
        };
    }

    async fn create(
        &self,
        ctx: &Ctx<AwsClients>,
        plan: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        self.write(ctx, None, plan, diags).await
    }

    async fn read(
        &self,
        ctx: &Ctx<AwsClients>,
        state: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let repo = state.repository.str().unwrap_or_default().to_string();
        let sid = state.sid.str().unwrap_or_default().to_string();
        let aws = ctx.provider.in_region(state.region.str());
        let remote = match io::get(&aws, &repo).await {
            Ok(Some(r)) => r,
            Ok(None) => {
                tracing::info!(repository = %repo, sid = %sid, "repository policy gone; removing the grant from state");
                return None;
            }
            Err(e) => {
                diags.error(
                    format!("Reading the policy of repository {repo:?} failed"),
                    e,
                );
                return None;
            }
        };
        let hint = config_hint(&repo, &sid);
        match reconcile(state, &remote, &aws.region, hint.as_ref()) {
            Ok(Some(mut m)) => {
                region::read(&mut m.region, &aws.region);
                Some(m)
            }
            Ok(None) => {
                tracing::info!(repository = %repo, sid = %sid, "statement removed outside Terraform; removing the grant from state");
                None
            }
            Err(e) => {
                diags.error(
                    format!("The policy of repository {repo:?} cannot be read"),
                    e,
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
        self.write(ctx, Some(prior.clone()), plan, diags)
            .await
            .or(Some(prior))
    }

    async fn delete(&self, ctx: &Ctx<AwsClients>, state: Model, diags: &mut Diagnostics) {
        let aws = &ctx.provider.in_region(state.region.str());
        let repo = state.repository.str().unwrap_or_default().to_string();
        let sid = state.sid.str().unwrap_or_default().to_string();
        let sids = [sid.clone(), policy::lambda_sid(&sid)];
        let lambda = state.lambda_pull.or(false);
        let _guard = io::lock(&repo).await;
        for attempt in 0..ATTEMPTS {
            let current = match io::get(aws, &repo).await {
                Ok(Some(r)) => r.text,
                Ok(None) => return,
                Err(e) => {
                    diags.error(
                        format!("Reading the policy of repository {repo:?} failed"),
                        e,
                    );
                    return;
                }
            };
            let mut next = Some(current.clone());
            for s in sids.iter().take(if lambda { 2 } else { 1 }) {
                next = match next.as_deref().map(|t| splice::remove(t, s)) {
                    Some(Ok(n)) => n,
                    Some(Err(e)) => {
                        diags.error(
                            format!("The policy of repository {repo:?} cannot be edited"),
                            e,
                        );
                        return;
                    }
                    None => None,
                };
            }
            if next.as_deref() == Some(current.as_str()) {
                return; // our statement is not there (any more)
            }
            let res = match &next {
                None => io::delete(aws, &repo).await,
                Some(text) => io::set(aws, &ctx.stop, &repo, text)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
            };
            if let Err(e) = res {
                diags.error(
                    format!(
                        "Removing statement {sid:?} from the policy of repository {repo:?} failed"
                    ),
                    e,
                );
                return;
            }
            // Verify: a concurrent writer from outside may have put it back.
            match io::get(aws, &repo).await {
                Ok(None) => return,
                Ok(Some(r)) if splice::find(&r.text, &sid).ok().flatten().is_none() => return,
                Ok(Some(_)) => {
                    tracing::warn!(repository = %repo, sid = %sid, attempt, "statement still present after removal (concurrent writer?); retrying");
                    if !ctx.stop.sleep(backoff(attempt)).await {
                        break;
                    }
                }
                Err(e) => {
                    diags.warning(
                        format!("Could not verify the policy of repository {repo:?}"),
                        e,
                    );
                    return;
                }
            }
        }
        diags.error(
            format!("Statement {sid:?} keeps reappearing in the policy of repository {repo:?}"),
            "Another tool seems to write this repository policy at the same time. Stop it and run terraform destroy again.",
        );
    }

    async fn import(
        &self,
        _ctx: &Ctx<AwsClients>,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let (id, in_region) = match id.rsplit_once('@') {
            Some((id, r)) if region::is_region_name(r) => (id, Some(r)),
            _ => (id, None),
        };
        match parse_import_id(id) {
            Some((repo, sid)) => Some(Model {
                id: Val::of(id),
                repository: Val::of(repo),
                sid: Val::of(sid),
                region: in_region.map(Val::of).unwrap_or_default(),
                ..Default::default()
            }),
            None => {
                diags.error(
                    "Invalid import id",
                    format!("{id:?} is not <repository>/<sid>. Import with: terraform import ecr_cross_account_grant.NAME my-org/app/ProdPull"),
                );
                None
            }
        }
    }
}

impl EcrCrossAccountGrant {
    /// Create or update: read-modify-write the policy under the repository lock, verify, retry
    /// when another writer got in between.
    async fn write(
        &self,
        ctx: &Ctx<AwsClients>,
        prior: Option<Model>,
        plan: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let aws = &ctx.provider.in_region(plan.region.str());
        let repo = plan.repository.str().unwrap_or_default().to_string();
        let sid = plan.sid.str().unwrap_or_default().to_string();
        let grant = grant_of(&plan, diags)?;
        let main = grant.statement();
        let lambda = plan.lambda_pull.or(false).then(|| grant.lambda_statement());
        let _guard = io::lock(&repo).await;
        let mut written = false;
        let mut registry_id = None;
        for attempt in 0..ATTEMPTS {
            let current = match io::get(aws, &repo).await {
                Ok(r) => r,
                Err(e) => {
                    diags.error(
                        format!("Reading the policy of repository {repo:?} failed"),
                        e,
                    );
                    return None;
                }
            };
            let text = current.as_ref().map(|r| r.text.as_str());
            if prior.is_none() && attempt == 0 {
                if let Some(t) = text {
                    for (s, want) in [
                        (sid.clone(), Some(&main)),
                        (grant.lambda_sid(), lambda.as_ref()),
                    ] {
                        if let (Ok(Some(existing)), Some(want)) = (splice::find(t, &s), want) {
                            if !policy::statements_equal(&existing, want) {
                                diags.attr_error(
                                    AttrPath::attr("sid"),
                                    "Statement id already in use",
                                    format!("The policy of repository {repo:?} already has a different statement with Sid {s:?} (written by another grant or tool). Pick another sid, or import it: terraform import <address> {repo}/{sid}"),
                                );
                                return None;
                            }
                        }
                    }
                }
            }
            let next = match edit(text, &sid, &main, &grant.lambda_sid(), lambda.as_ref()) {
                Ok(n) => n,
                Err(e) => {
                    diags.error(format!("The policy of repository {repo:?} cannot be edited"), format!("{e}\n\nThe current policy is not a JSON policy document; fix or delete it first."));
                    return None;
                }
            };
            if text != Some(next.as_str()) {
                match io::set(aws, &ctx.stop, &repo, &next).await {
                    Ok(id) => {
                        written = true;
                        registry_id = id.or(registry_id);
                    }
                    Err(SetError::RepositoryNotFound(e)) => {
                        diags.attr_error(AttrPath::attr("repository"), format!("ECR repository {repo:?} not found"), format!("{e}\n\nCreate the repository first (refer to ecr_repository.<name>.name so Terraform orders the two)."));
                        return None;
                    }
                    Err(SetError::Invalid(e)) => {
                        diags.attr_error(
                            AttrPath::attr("principals"),
                            format!("AWS refused the policy of repository {repo:?}"),
                            e,
                        );
                        return None;
                    }
                    Err(SetError::Other(e)) => {
                        diags.error(
                            format!("Writing the policy of repository {repo:?} failed"),
                            e,
                        );
                        return None;
                    }
                }
            }
            // Verify: read again; our statement(s) must be there as written.
            match io::get(aws, &repo).await {
                Ok(Some(r)) => {
                    let ok_main = splice::find(&r.text, &sid)
                        .ok()
                        .flatten()
                        .is_some_and(|s| policy::statements_equal(&s, &main));
                    let ok_lambda = match &lambda {
                        Some(l) => splice::find(&r.text, &grant.lambda_sid())
                            .ok()
                            .flatten()
                            .is_some_and(|s| policy::statements_equal(&s, l)),
                        None => true,
                    };
                    if ok_main && ok_lambda {
                        registry_id = r.registry_id.clone().or(registry_id);
                        let mut state = plan.clone();
                        state.registry_id =
                            registry_id.clone().map(Val::Known).unwrap_or(Val::Null);
                        return Some(finish(state, &r, &aws.region));
                    }
                    tracing::warn!(repository = %repo, sid = %sid, attempt, "statement missing after write (concurrent writer?); retrying");
                }
                Ok(None) => {
                    tracing::warn!(repository = %repo, sid = %sid, attempt, "policy missing after write (concurrent writer?); retrying")
                }
                Err(e) => {
                    diags.warning(
                        format!("Could not verify the policy of repository {repo:?}"),
                        e,
                    );
                    let mut state = plan.clone();
                    state.registry_id = registry_id.map(Val::Known).unwrap_or(Val::Null);
                    return Some(fill_computed(state, &aws.region));
                }
            }
            if !ctx.stop.sleep(backoff(attempt)).await {
                break;
            }
        }
        diags.error(
            format!("Statement {sid:?} could not be kept in the policy of repository {repo:?}"),
            format!("The statement was written {} but a re-read did not find it {ATTEMPTS} times: another tool is overwriting this repository policy at the same time. Stop it (or manage all statements with Terraform) and apply again.", if written { "at least once" } else { "never" }),
        );
        // Record what may exist so Terraform can clean it up.
        written.then(|| fill_computed(plan, &aws.region))
    }
}

/// `<repository>/<sid>` (the repository name may itself contain `/`).
fn parse_import_id(id: &str) -> Option<(&str, &str)> {
    id.rsplit_once('/')
        .filter(|(repo, sid)| repository::NAME_RE.is_match(repo) && !sid.is_empty())
}

fn backoff(attempt: usize) -> Duration {
    // Spread retries of competing writers apart.
    let jitter = (std::process::id() as u64 * 37 + attempt as u64 * 101) % 400;
    Duration::from_millis(300 * (1 << attempt.min(4)) as u64 + jitter)
}

/// The new policy text: our statement upserted, the Lambda companion upserted or removed.
fn edit(
    current: Option<&str>,
    sid: &str,
    main: &Json,
    lambda_sid: &str,
    lambda: Option<&Json>,
) -> Result<String, String> {
    let text = splice::upsert(current, sid, main)?;
    match lambda {
        Some(l) => splice::upsert(Some(&text), lambda_sid, l),
        None => Ok(splice::remove(&text, lambda_sid)?.unwrap_or(text)),
    }
}

/// Canonical JSON of the statement(s) a grant owns.
fn statement_json(main: &Json, lambda: Option<&Json>) -> String {
    let mut all = vec![policy::canonical(main)];
    if let Some(l) = lambda {
        all.push(policy::canonical(l));
    }
    serde_json::to_string(&Json::Array(all)).unwrap_or_default()
}

/// The validated grant of a model; diagnostics (and `None`) when something is missing/unknown.
fn grant_of(m: &Model, diags: &mut Diagnostics) -> Option<Grant> {
    let sid = m.sid.str()?.to_string();
    let principals: Vec<Principal> = known_strings(&m.principals)?
        .iter()
        .map(|p| policy::parse_principal(p))
        .collect::<Result<_, _>>()
        .map_err(|e| diags.attr_error(AttrPath::attr("principals"), "Invalid principal", e))
        .ok()?;
    if m.organization_id.is_unknown() {
        return None;
    }
    let actions = match (&m.actions, m.access.str()) {
        (Val::Known(_), _) => policy::sorted_unique(known_strings(&m.actions)?),
        (Val::Null, Some(level)) => policy::access_actions(level)?,
        (Val::Null, None) if m.access.is_null() => policy::access_actions("pull")?,
        _ => return None,
    };
    Some(Grant {
        sid,
        principals,
        organization_id: m.organization_id.known().cloned(),
        actions,
    })
}

fn repository_arn(registry_id: &str, region: &str, repo: &str) -> String {
    format!("arn:aws:ecr:{region}:{registry_id}:repository/{repo}")
}

/// Computed values from what is known after a write.
fn fill_computed(mut m: Model, region: &str) -> Model {
    let repo = m.repository.str().unwrap_or_default().to_string();
    m.id = Val::of(format!("{repo}/{}", m.sid.str().unwrap_or_default()));
    if m.lambda_pull.is_null() || m.lambda_pull.is_unknown() {
        m.lambda_pull = Val::Known(false);
    }
    if let (false, Some(rid)) = (m.repository_arn.is_known(), m.registry_id.str()) {
        m.repository_arn = Val::of(repository_arn(rid, region, &repo));
    }
    let mut quiet = Diagnostics::new();
    match (m.repository_arn.str(), grant_of(&m, &mut quiet)) {
        (Some(arn), Some(g)) => {
            m.consumer_policy_json = Val::of(policy::consumer_policy(arn, &g.actions));
            if !m.statement_json.is_known() {
                m.statement_json = Val::of(statement_json(
                    &g.statement(),
                    m.lambda_pull
                        .or(false)
                        .then(|| g.lambda_statement())
                        .as_ref(),
                ));
            }
        }
        _ => {
            if m.consumer_policy_json.is_unknown() {
                m.consumer_policy_json = Val::Null;
            }
        }
    }
    m
}

/// State after a successful write + verify.
fn finish(state: Model, remote: &io::Remote, region: &str) -> Model {
    match reconcile(state.clone(), remote, region, None) {
        Ok(Some(m)) => m,
        _ => fill_computed(state, region),
    }
}

/// The grant as the remote policy holds it: `Ok(None)` when its statement is gone. Values that
/// mean the same as the state's keep the state's form (account id vs root ARN, order), so only
/// real changes show as a diff.
fn reconcile(
    mut m: Model,
    remote: &io::Remote,
    region: &str,
    hint: Option<&ConfigHint>,
) -> Result<Option<Model>, String> {
    let repo = m.repository.str().unwrap_or_default().to_string();
    let sid = m.sid.str().unwrap_or_default().to_string();
    let Some(stmt) = splice::find(&remote.text, &sid)? else {
        return Ok(None);
    };
    let lambda_stmt = splice::find(&remote.text, &policy::lambda_sid(&sid))?;
    let view = policy::view_statement(&stmt);

    let norm = |v: &[String]| -> BTreeSet<String> {
        v.iter().map(|p| policy::normalize_principal(p)).collect()
    };
    // The configuration's form wins when it means the same (recorded at validate time in this
    // command), then the state's; otherwise what AWS holds.
    let prior_principals = known_strings(&m.principals).unwrap_or_default();
    match hint {
        Some(h) if norm(&h.principals) == norm(&view.principals) => {
            m.principals = strings_val(h.principals.clone())
        }
        _ if norm(&prior_principals) == norm(&view.principals) => {}
        _ => m.principals = strings_val(view.principals.clone()),
    }
    m.organization_id = view.organization_id.clone().into();

    let remote_actions = policy::sorted_unique(view.actions.iter().cloned());
    let wants_actions = match hint {
        Some(h) => h.uses_actions,
        None => m.actions.is_known(),
    };
    let same_as_actions =
        known_strings(&m.actions).is_some_and(|a| policy::sorted_unique(a) == remote_actions);
    match (wants_actions, policy::access_for(&remote_actions)) {
        (false, Some(level)) => {
            m.access = Val::of(level);
            m.actions = Val::Null;
        }
        _ => {
            m.access = Val::Null;
            if !same_as_actions {
                m.actions = strings_val(view.actions.clone());
            }
        }
    }
    m.lambda_pull = Val::Known(lambda_stmt.is_some());
    m.statement_json = Val::of(statement_json(&stmt, lambda_stmt.as_ref()));
    if let Some(r) = &remote.registry_id {
        m.registry_id = Val::of(r.clone());
    }
    m.id = Val::of(format!("{repo}/{sid}"));
    if m.repository_arn.is_unknown() {
        m.repository_arn = Val::Null;
    }
    m.consumer_policy_json = Val::Null;
    Ok(Some(fill_computed(m, region)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(principals: &[&str]) -> Model {
        Model {
            repository: Val::of("my-org/app"),
            sid: Val::of("ProdPull"),
            principals: strings_val(principals.iter().map(|s| s.to_string()).collect()),
            ..Default::default()
        }
    }

    fn diags_for(m: &Model) -> Diagnostics {
        let mut d = Diagnostics::new();
        EcrCrossAccountGrant.validate(m, &mut d);
        d
    }

    fn attrs(d: &Diagnostics) -> Vec<String> {
        d.0.iter()
            .filter_map(|x| x.attribute.as_ref().map(|p| p.to_string()))
            .collect()
    }

    #[test]
    fn validation_names_the_attribute() {
        assert!(!diags_for(&model(&["111122223333"])).has_errors());
        assert_eq!(attrs(&diags_for(&model(&["1234"]))), vec!["principals"]);
        assert_eq!(attrs(&diags_for(&model(&["*"]))), vec!["principals"]);
        let org = Model {
            organization_id: Val::of("o-abcdefghij"),
            ..model(&["*"])
        };
        assert!(!diags_for(&org).has_errors());
        let bad = Model {
            sid: Val::of("has space"),
            access: Val::of("admin"),
            actions: strings_val(vec!["s3:GetObject".into()]),
            organization_id: Val::of("org1"),
            ..model(&["111122223333"])
        };
        let a = attrs(&diags_for(&bad));
        for want in ["sid", "access", "actions", "organization_id"] {
            assert!(a.contains(&want.to_string()), "{want} missing in {a:?}");
        }
        // Unknown values are not judged.
        let unknown = Model {
            principals: Val::Unknown,
            organization_id: Val::Unknown,
            ..model(&[])
        };
        assert!(!diags_for(&unknown).has_errors());
    }

    fn remote(text: &str) -> io::Remote {
        io::Remote {
            registry_id: Some("111122223333".into()),
            text: text.into(),
        }
    }

    #[test]
    fn reconcile_keeps_equivalent_forms_and_shows_real_changes() {
        let m = Model {
            access: Val::of("pull"),
            lambda_pull: Val::Known(false),
            ..model(&["222233334444"])
        };
        let g = grant_of(&m, &mut Diagnostics::new()).unwrap();
        let text = splice::new_document(&g.statement());
        let r = reconcile(m.clone(), &remote(&text), "us-east-1", None)
            .unwrap()
            .unwrap();
        assert_eq!(r.principals, m.principals);
        assert_eq!(r.access.str(), Some("pull"));
        assert_eq!(
            r.repository_arn.str(),
            Some("arn:aws:ecr:us-east-1:111122223333:repository/my-org/app")
        );
        assert!(r
            .consumer_policy_json
            .str()
            .unwrap()
            .contains("ecr:GetAuthorizationToken"));
        assert_eq!(
            r.statement_json.str(),
            Some(statement_json(&g.statement(), None).as_str())
        );

        // Edited outside: a push action added and another principal.
        let edited = text
            .replace(
                "\"ecr:BatchCheckLayerAvailability\"",
                "\"ecr:BatchCheckLayerAvailability\",\"ecr:PutImage\"",
            )
            .replace(
                "\"arn:aws:iam::222233334444:root\"",
                "[\"arn:aws:iam::222233334444:root\",\"arn:aws:iam::555566667777:root\"]",
            );
        let r = reconcile(m.clone(), &remote(&edited), "us-east-1", None)
            .unwrap()
            .unwrap();
        assert_eq!(r.access, Val::Null);
        assert_eq!(r.actions.items().len(), 4);
        assert_eq!(r.principals.items().len(), 2);

        // Removed outside: gone.
        let other = splice::new_document(
            &serde_json::json!({"Sid": "Other", "Effect": "Allow", "Principal": "*", "Action": "ecr:*"}),
        );
        assert!(reconcile(m.clone(), &remote(&other), "us-east-1", None)
            .unwrap()
            .is_none());

        // Import: the configuration's form (recorded at validate) is used when it means the same.
        let imported = Model {
            repository: m.repository.clone(),
            sid: m.sid.clone(),
            ..Default::default()
        };
        let hint = ConfigHint {
            principals: vec!["222233334444".into()],
            uses_actions: true,
        };
        let r = reconcile(imported.clone(), &remote(&text), "us-east-1", Some(&hint))
            .unwrap()
            .unwrap();
        assert_eq!(known_strings(&r.principals).unwrap(), vec!["222233334444"]);
        assert_eq!(r.access, Val::Null);
        assert_eq!(known_strings(&r.actions).unwrap().len(), 3);
        let r = reconcile(imported, &remote(&text), "us-east-1", None)
            .unwrap()
            .unwrap();
        assert_eq!(
            known_strings(&r.principals).unwrap(),
            vec!["arn:aws:iam::222233334444:root"]
        );
        assert_eq!(r.access.str(), Some("pull"));
    }

    #[test]
    fn import_ids() {
        assert_eq!(
            parse_import_id("my-org/app/ProdPull"),
            Some(("my-org/app", "ProdPull"))
        );
        assert_eq!(parse_import_id("app/Sid1"), Some(("app", "Sid1")));
        // ECR takes Sids outside IAM's alphabet (its console wrote "new statement").
        assert_eq!(
            parse_import_id("app/new statement"),
            Some(("app", "new statement"))
        );
        for bad in ["app", "app/", "/Sid", "App/Sid"] {
            assert_eq!(parse_import_id(bad), None, "{bad}");
        }
    }

    #[test]
    fn edit_adds_and_removes_the_lambda_companion() {
        let m = Model {
            access: Val::of("pull"),
            lambda_pull: Val::Known(true),
            ..model(&["222233334444"])
        };
        let g = grant_of(&m, &mut Diagnostics::new()).unwrap();
        let before = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Tool","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"ecr:BatchGetImage"}]}"#;
        let with = edit(
            Some(before),
            "ProdPull",
            &g.statement(),
            &g.lambda_sid(),
            Some(&g.lambda_statement()),
        )
        .unwrap();
        assert_eq!(splice::statements(&with).unwrap().len(), 3);
        assert!(with.starts_with(r#"{"Version":"2012-10-17","Statement":[{"Sid":"Tool","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"ecr:BatchGetImage"},"#));
        let without = edit(
            Some(&with),
            "ProdPull",
            &g.statement(),
            &g.lambda_sid(),
            None,
        )
        .unwrap();
        assert_eq!(splice::statements(&without).unwrap().len(), 2);
    }
}
