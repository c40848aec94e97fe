//! `ecr_lifecycle_policy`: the lifecycle policy of one repository, written as structured `rule`
//! blocks or as JSON text.
//!
//! What the incumbent gets wrong and this resource does not (`anchor-aws-provider.md` §1.2):
//! - every AWS constraint is checked in ValidateResourceConfig (via [`crate::lifecycle`]), so a
//!   bad policy fails `terraform validate`/`plan` with a diagnostic on the offending rule block
//!   attribute or on `policy`, instead of failing at apply time;
//! - a change is an in-place `PutLifecyclePolicy`, never a replacement (so there is no window
//!   without a policy);
//! - comparison is lossless and semantic ([`lifecycle::canonical`]): formatting, key order, rule
//!   order and written-out defaults never show a diff, every real change does.
//!
//! The structured form is turned into a JSON document here; findings of the domain validation
//! carry JSON paths into that document (`rules[2].selection.tagPatternList`), mapped back to the
//! configuration (`rule[2].selection[0].tag_pattern_list`) through the index of each rule in
//! the configuration (rules with values unknown at plan time are left out of the document).
//! The data sources `ecr_lifecycle_policy_document` and `ecr_lifecycle_preview` and the CLI reuse
//! the pieces here.

use std::sync::LazyLock;
use std::time::Duration;

use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value as Json};

use aws_sdk_ecr::operation::delete_lifecycle_policy::DeleteLifecyclePolicyError;
use aws_sdk_ecr::operation::get_lifecycle_policy::GetLifecyclePolicyError;
use aws_sdk_ecr::operation::put_lifecycle_policy::PutLifecyclePolicyError;

use super::common::retry_while_not_found;
use super::cross;
use crate::aws::errors::{self, is};
use crate::aws::AwsClients;
use crate::framework::{
    import, validate, AttrPath, Attribute, Block, Ctx, Diagnostics, NestedBlock, Plan, Resource,
    Schema, Val,
};
use crate::lifecycle::validate::ids;
use crate::lifecycle::{self, Finding, LifecyclePolicy, Rule};
use crate::protocol::diagnostics::Severity;
use crate::repository;
use crate::shared::region;
use crate::shared::validators::RepositoryName;

pub struct EcrLifecyclePolicy;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Model {
    pub id: Val<String>,
    pub repository: Val<String>,
    pub registry_id: Val<String>,
    pub policy: Val<String>,
    pub policy_json: Val<String>,
    pub rule: Val<Vec<RuleBlock>>,
    pub region: Val<String>,
}

// A block element that is wholly unknown reaches the model as the framework's unknown sentinel
// object (`{"$$terraform-unknown$$": true}`, see `framework::val`); with `#[serde(default)]` it
// would silently decode as a block of nulls. Each block type therefore captures the sentinel
// key in an `unknown` flag, and such a block is treated like any other unknown value.

/// A `rule` block (shared with `ecr_lifecycle_policy_document`).
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct RuleBlock {
    /// Set when the whole block is unknown (see above).
    #[serde(rename = "$$terraform-unknown$$", default, skip_serializing)]
    pub unknown: bool,
    pub priority: Val<Number>,
    pub description: Val<String>,
    pub selection: Val<Vec<SelectionBlock>>,
    pub action: Val<Vec<ActionBlock>>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct SelectionBlock {
    #[serde(rename = "$$terraform-unknown$$", default, skip_serializing)]
    pub unknown: bool,
    pub tag_status: Val<String>,
    pub tag_prefix_list: Val<Vec<Val<String>>>,
    pub tag_pattern_list: Val<Vec<Val<String>>>,
    pub storage_class: Val<String>,
    pub count_type: Val<String>,
    pub count_unit: Val<String>,
    pub count_number: Val<Number>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct ActionBlock {
    #[serde(rename = "$$terraform-unknown$$", default, skip_serializing)]
    pub unknown: bool,
    #[serde(rename = "type")]
    pub r#type: Val<String>,
    pub target_storage_class: Val<String>,
}

// ------------------------------------------------------------------------------------------
// Schema

/// The page's sections beyond the attribute descriptions (see `crate::docs`).
const DOCS_NOTES: &str = r#"## Plan-time checks

Compared with `aws_ecr_lifecycle_policy`, **every ECR rule is checked at `terraform validate` and
`terraform plan`**, not by AWS at apply time: unique priorities, `any` last per storage class, one
`untagged` rule per storage class, exactly one tag list on `tagged` rules, at most 4 wildcards per
pattern, `count_unit` exactly with the `since*` count types, the archive/transition pairings and the
90-day archive minimum, at most 50 rules, 100–30 720 characters, unknown properties, JSON `null`s
and malformed JSON. The error names the rule broken and points at the offending attribute
(`rule[1].selection[0].tag_pattern_list`) or at `policy` with the JSON path inside it. Values not
known until apply are skipped at plan time and checked at apply. Archive storage classes and
`transition` actions (November 2025) are supported.

```
Error: Too many wildcards in a tag pattern

  with ecr_lifecycle_policy.app,
  on main.tf line 39, in resource "ecr_lifecycle_policy" "app":
  39:       tag_pattern_list = ["a*b*c*d*e*"]

rule[1].selection[0].tag_pattern_list: tag_pattern_list entry "a*b*c*d*e*"
has 5 wildcards; ECR allows at most 4 per pattern.
```

~> **Tag lists are AND, not OR.** An image is selected only when *every* entry of a tag list
matches one of its tags: `tag_prefix_list = ["latest", "main"]` selects images tagged both
`latest*` and `main*`. The provider warns about multi-entry lists; use one rule per entry to
treat tags separately.

## Updates, drift and formatting

Changes are applied in place with a single `PutLifecyclePolicy`: no replacement, no window
without a policy. Only a change of `repository` replaces the resource.

Whitespace, key order, rule order and written-out defaults (`storageClass = "standard"`, empty
descriptions, tag list order) never show a diff, while any real change does, including a change
made outside Terraform. On refresh the provider reads the policy with `GetLifecyclePolicy` and
compares it with the state by meaning. When it is the same policy (AWS reformats and re-sorts the
text it stores), the state keeps your text, so there is no diff. When it differs, the remote policy
is put into `policy` (JSON form) or into the `rule` blocks (structured form; unchanged rules keep
their blocks), and the plan shows the difference; `apply` puts the configured policy back. A
policy or repository deleted outside Terraform is removed from state and planned for creation.

Terraform compares `rule` blocks by position, so reordering rule blocks of different shapes (for
example a rule with `tag_prefix_list` swapped with one without) shows an in-place update that puts
the same policy; reordering within the JSON text never does.

## More examples

The policy as JSON text:

```terraform
resource "ecr_lifecycle_policy" "dev" {
  repository = ecr_repository.dev.name
  policy     = file("${path.module}/lifecycle-dev.json")
}
```

Archive images not pulled for 30 days, expire them 90 days later:

```terraform
resource "ecr_lifecycle_policy" "archive" {
  repository = ecr_repository.app.name

  rule {
    priority = 1
    selection {
      tag_status   = "any"
      count_type   = "sinceImagePulled"
      count_unit   = "days"
      count_number = 30
    }
    action {
      type                 = "transition"
      target_storage_class = "archive"
    }
  }

  rule {
    priority = 2
    selection {
      tag_status    = "any"
      storage_class = "archive"
      count_type    = "sinceImageTransitioned"
      count_unit    = "days"
      count_number  = 90
    }
    action {
      type = "expire"
    }
  }
}
```"#;

/// The `rule` block, as the resource and the policy document data source declare it.
pub fn rule_block(min_items: i64) -> NestedBlock {
    NestedBlock::list(
        "rule",
        Block::new("A lifecycle rule. Rules apply from the lowest `priority` up; an image is expired or transitioned by at most one rule. At most 50 rules.")
            .attr(Attribute::number("priority").required().description("`rulePriority`: order in which rules apply, lowest first. A whole number of at least 1, unique within the policy; values need not be sequential. A rule with `tag_status = \"any\"` must have the highest priority of its storage class."))
            .attr(Attribute::string("description").optional().description("Free-text description of the rule."))
            .block(
                NestedBlock::list(
                    "selection",
                    Block::new("Which images the rule applies to.")
                        .attr(Attribute::string("tag_status").required().description("`tagged` (needs exactly one of `tag_prefix_list` / `tag_pattern_list`), `untagged` (at most one such rule per storage class) or `any` (must be the last rule of its storage class)."))
                        .attr(Attribute::string_list("tag_prefix_list").optional().description("Tag prefixes, only with `tag_status = \"tagged\"`. An image is selected when **every** entry is a prefix of one of its tags (AND, not OR: use one rule per prefix to treat them separately)."))
                        .attr(Attribute::string_list("tag_pattern_list").optional().description("Tag patterns, only with `tag_status = \"tagged\"`; `*` matches any run of characters and a pattern must match a whole tag; at most 4 `*` per pattern. An image is selected when **every** entry matches one of its tags."))
                        .attr(Attribute::string("storage_class").optional().description("`standard` (default) or `archive`. `archive` is required with `count_type = \"sinceImageTransitioned\"` and not allowed with the other count types."))
                        .attr(Attribute::string("count_type").required().description("`imageCountMoreThan` (keep the `count_number` most recent images), `sinceImagePushed`, `sinceImagePulled` (transition only) or `sinceImageTransitioned` (expire archived images only)."))
                        .attr(Attribute::string("count_unit").optional().description("`days`: required with the `since*` count types, not allowed with `imageCountMoreThan`."))
                        .attr(Attribute::number("count_number").required().description("Images to keep (`imageCountMoreThan`) or age in days (`since*`, strictly older than). A whole number of at least 1; at least 90 with `sinceImageTransitioned`.")),
                )
                .min(1)
                .max(1),
            )
            .block(
                NestedBlock::list(
                    "action",
                    Block::new("What happens to the selected images. Without this block the rule expires them.")
                        .attr(Attribute::string("type").required().description("`expire` (delete) or `transition` (move to `target_storage_class`)."))
                        .attr(Attribute::string("target_storage_class").optional().description("`archive`: required with `transition`, not allowed with `expire`.")),
                )
                .max(1),
            ),
    )
    .min(min_items)
}

#[async_trait::async_trait]
impl Resource for EcrLifecyclePolicy {
    type Model = Model;
    type Provider = AwsClients;

    fn type_name(&self) -> &'static str {
        "ecr_lifecycle_policy"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new("The lifecycle policy of an ECR repository: which images ECR expires (deletes) or transitions to the archive storage class, and when.\n\nWrite the policy either as structured `rule` blocks or as JSON text in `policy`: exactly one of the two. Every AWS constraint is checked at `terraform validate`/`plan`; changes are applied in place; formatting, key order and rule order never show a diff. A repository has a single lifecycle policy: two `ecr_lifecycle_policy` resources for the same repository overwrite each other.")
                .attr(Attribute::string("id").computed().use_state_for_unknown().description("The repository name."))
                .attr(region::resource_attribute())
                .attr(Attribute::string("repository").required().requires_replace().description("Name of the repository the policy belongs to. A repository has one lifecycle policy: two resources for the same repository overwrite each other."))
                .attr(Attribute::string("registry_id").computed().use_state_for_unknown().description("Account id of the registry holding the repository."))
                .attr(Attribute::string("policy").optional().semantic_equality(lifecycle::semantically_equal).description("The policy as JSON text (for example from `file(...)`, `jsonencode(...)` or [`data.ecr_lifecycle_policy_document.x.json`](../data-sources/ecr_lifecycle_policy_document.md)). Conflicts with `rule`. Whitespace, key order, rule order and written-out defaults do not cause diffs."))
                .attr(Attribute::string("policy_json").computed().description("Canonical JSON of the policy as sent to ECR: compact, rules sorted by priority, defaults omitted. Known at plan time when every value of the policy is, so the plan shows the exact policy."))
                .block(rule_block(0)),
        )
    }

    fn docs(&self) -> crate::framework::Docs {
        crate::framework::Docs {
            notes: DOCS_NOTES.into(),
            import: Some(crate::framework::ImportDocs {
                id: "Import with the repository name. Import fills `policy` with the policy text read from ECR; a \
                     configuration in the JSON form then plans no changes. If your configuration uses `rule` blocks, \
                     the first plan after import shows an in-place update that switches the stored form (it puts \
                     the same policy).",
                example: "my-org/app",
            }),
            ..Default::default()
        }
    }

    fn validate(&self, c: &Model, diags: &mut Diagnostics) {
        region::validate(&c.region, diags);
        let repo = AttrPath::attr("repository");
        validate::check(diags, &repo, &c.repository, &[&RepositoryName]);
        if let (Some(canonical), Val::Known(rules)) = (policy_of(c, diags), &c.rule) {
            if !rules.is_empty() {
                record_rule_blocks(&canonical, rules);
            }
        }
    }

    fn modify_plan(
        &self,
        plan: &mut Plan<Model>,
        provider: Option<&AwsClients>,
        _diags: &mut Diagnostics,
    ) {
        region::plan(
            &mut plan.planned.region,
            &plan.config.region,
            plan.prior.as_ref().map(|m| &m.region),
            provider.map(|a| a.region.as_str()),
            &mut plan.requires_replace,
        );
        // Validation already reported its findings through validate(); don't repeat them.
        let mut quiet = Diagnostics::new();
        let canonical = policy_of(&plan.config, &mut quiet);
        // For ecr_repository's ECR-P004 (no lifecycle policy) check, refreshed after this plan.
        if let Some(repo) = plan.config.repository.str() {
            cross::lifecycle_policy_planned(&plan.siblings, repo);
        }
        let p = &mut plan.planned;
        p.policy_json = canonical.clone().map_or(Val::Unknown, Val::Known);
        // `id` and `registry_id` keep the prior value and `policy` keeps the prior text when it
        // means the same (schema plan rules); a new `repository` replaces the resource.
        let Some(prior) = &plan.prior else {
            p.id = p.repository.clone();
            return;
        };
        // A semantically equal configuration keeps what state holds: no diff for formatting.
        if let (Some(prior_json), Some(canon)) = (prior.policy_json.str(), canonical.as_deref()) {
            if lifecycle::semantically_equal(prior_json, canon) {
                p.policy_json = prior.policy_json.clone();
            }
        }
        let c = &plan.config;
        if let (Val::Known(prior_rules), Val::Known(config_rules), Some(canon)) =
            (&prior.rule, &c.rule, canonical.as_deref())
        {
            if !prior_rules.is_empty()
                && rules_canonical(prior_rules).as_deref() == Some(canon)
                && prior_is_valid_plan(prior_rules, config_rules)
            {
                p.rule = prior.rule.clone();
            }
        }
    }

    async fn create(
        &self,
        ctx: &Ctx<AwsClients>,
        plan: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let aws = &ctx.provider.in_region(plan.region.str());
        let repo = plan.repository.str().unwrap_or_default().to_string();
        let text = policy_for_apply(&plan, diags)?;
        let registry_id = match put_policy(aws, &repo, &text, &plan, diags).await {
            Some(id) => id,
            None => return None,
        };
        // From here the policy exists: always return state.
        let mut state = plan.clone();
        state.id = Val::of(repo.clone());
        state.registry_id = registry_id.into();
        state.policy_json = Val::of(text);
        // ECR is eventually consistent: wait until a read sees the policy, so an immediate
        // refresh does not drop it from state.
        match retry_while_not_found(&ctx.stop, Duration::from_secs(120), || get_policy(aws, &repo)).await {
            Ok(Some(remote)) => {
                if state.registry_id.is_null() {
                    state.registry_id = remote.registry_id.into();
                }
            }
            Ok(None) => diags.warning(
                format!("The lifecycle policy of {repo:?} is not visible yet"),
                "PutLifecyclePolicy succeeded but GetLifecyclePolicy kept answering not found for 2 minutes.",
            ),
            Err(e) => diags.warning(format!("Reading the lifecycle policy of {repo:?} after creation failed"), e),
        }
        Some(state)
    }

    async fn read(
        &self,
        ctx: &Ctx<AwsClients>,
        state: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let aws = &ctx.provider.in_region(state.region.str());
        let repo = state
            .repository
            .str()
            .or(state.id.str())
            .unwrap_or_default()
            .to_string();
        let fetched = match take_prefetched(&repo) {
            Some(p) => Ok(p),
            None => get_policy(aws, &repo).await,
        };
        match fetched {
            Ok(Some(remote)) => {
                let mut m = reconcile(state, &repo, remote, diags);
                region::read(&mut m.region, &aws.region);
                Some(m)
            }
            Ok(None) => {
                tracing::info!(repository = %repo, "lifecycle policy no longer exists; removing from state");
                None
            }
            Err(e) => {
                diags.error(
                    format!("Reading the lifecycle policy of {repo:?} failed"),
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
        let aws = &ctx.provider.in_region(plan.region.str());
        let repo = plan.repository.str().unwrap_or_default().to_string();
        let Some(text) = policy_for_apply(&plan, diags) else {
            return Some(prior);
        };
        let Some(registry_id) = put_policy(aws, &repo, &text, &plan, diags).await else {
            return Some(prior);
        };
        let mut state = plan;
        state.id = Val::of(repo);
        state.registry_id = registry_id.map(Val::Known).unwrap_or(prior.registry_id);
        if !state
            .policy_json
            .str()
            .is_some_and(|p| lifecycle::semantically_equal(p, &text))
        {
            state.policy_json = Val::of(text);
        }
        Some(state)
    }

    async fn delete(&self, ctx: &Ctx<AwsClients>, state: Model, diags: &mut Diagnostics) {
        let repo = state
            .repository
            .str()
            .or(state.id.str())
            .unwrap_or_default()
            .to_string();
        match ctx
            .provider
            .in_region(state.region.str())
            .ecr
            .delete_lifecycle_policy()
            .repository_name(&repo)
            .send()
            .await
        {
            Ok(_) => {}
            Err(e)
                if is(&e, |k: &DeleteLifecyclePolicyError| {
                    k.is_lifecycle_policy_not_found_exception()
                        || k.is_repository_not_found_exception()
                }) => {}
            Err(e) => diags.error(
                format!("Deleting the lifecycle policy of {repo:?} failed"),
                errors::text(&e),
            ),
        }
    }

    async fn import(
        &self,
        _ctx: &Ctx<AwsClients>,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        // Read fills `policy` with the remote text (the JSON form).
        let m: Model = import::passthrough_in_region(
            self.type_name(),
            id,
            &["id", "repository"],
            repository::check_name,
            region::is_region_name,
            "<repository-name>",
            diags,
        )?;
        Some(Model {
            rule: Val::Known(vec![]),
            ..m
        })
    }
}

// ------------------------------------------------------------------------------------------
// AWS calls

/// What GetLifecyclePolicy returned.
#[derive(Clone)]
pub struct RemotePolicy {
    pub registry_id: Option<String>,
    pub text: String,
}

type Prefetched = std::collections::HashMap<String, (std::time::Instant, Option<RemotePolicy>)>;

fn prefetched() -> &'static std::sync::Mutex<Prefetched> {
    static P: std::sync::OnceLock<std::sync::Mutex<Prefetched>> = std::sync::OnceLock::new();
    P.get_or_init(Default::default)
}

/// GetLifecyclePolicy on behalf of the repository's refresh (posture check ECR-P004), kept for
/// the lifecycle policy's own refresh that follows in the same walk: one call serves both, so a
/// refresh of N repositories + N policies stays at ~2 N calls.
pub async fn prefetch_policy(aws: &AwsClients, repo: &str) -> Result<bool, String> {
    let p = get_policy(aws, repo).await?;
    let exists = p.is_some();
    let mut m = prefetched().lock().unwrap_or_else(|e| e.into_inner());
    m.insert(repo.to_string(), (std::time::Instant::now(), p));
    Ok(exists)
}

/// A prefetched result, handed out once and only while fresh (20 s).
fn take_prefetched(repo: &str) -> Option<Option<RemotePolicy>> {
    let mut m = prefetched().lock().unwrap_or_else(|e| e.into_inner());
    let (at, p) = m.remove(repo)?;
    (at.elapsed() < std::time::Duration::from_secs(20)).then_some(p)
}

/// `Ok(None)` when the repository or its lifecycle policy does not exist.
pub async fn get_policy(aws: &AwsClients, repo: &str) -> Result<Option<RemotePolicy>, String> {
    match aws
        .ecr
        .get_lifecycle_policy()
        .repository_name(repo)
        .send()
        .await
    {
        Ok(out) => Ok(Some(RemotePolicy {
            registry_id: out.registry_id().map(str::to_string),
            text: out.lifecycle_policy_text().unwrap_or_default().to_string(),
        })),
        Err(e)
            if is(&e, |k: &GetLifecyclePolicyError| {
                k.is_lifecycle_policy_not_found_exception() || k.is_repository_not_found_exception()
            }) =>
        {
            Ok(None)
        }
        Err(e) => Err(errors::text(&e)),
    }
}

/// PutLifecyclePolicy; `Some(registry id)` on success, `None` with diagnostics on failure.
async fn put_policy(
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

// ------------------------------------------------------------------------------------------
// Validation and canonical text

fn uses_rules(rule: &Val<Vec<RuleBlock>>) -> bool {
    match rule {
        Val::Unknown => true,
        Val::Known(v) => !v.is_empty(),
        Val::Null => false,
    }
}

/// Validates the configured policy (either form) onto `diags`; returns its canonical text when
/// every value is known and the policy is valid.
fn policy_of(c: &Model, diags: &mut Diagnostics) -> Option<String> {
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
fn policy_for_apply(m: &Model, diags: &mut Diagnostics) -> Option<String> {
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

/// The JSON document built from rule blocks.
#[derive(Debug, Clone, PartialEq)]
pub struct BuiltRules {
    /// Compact JSON of the rules whose values are all known.
    pub text: String,
    /// `index[i]`: position in the configuration of `rules[i]` of the document.
    pub index: Vec<usize>,
    /// Whether every value was known (nothing left out).
    pub complete: bool,
}

/// Builds the policy document from rule blocks. A rule with an unknown value that affects
/// validation is left out (and `complete` is false): every check on the remaining rules is
/// still sound, because leaving rules out can only hide violations, never create them.
pub fn build_rules(rules: &[RuleBlock]) -> BuiltRules {
    let mut out = Vec::new();
    let mut index = Vec::new();
    let mut complete = true;
    for (i, r) in rules.iter().enumerate() {
        match rule_json(r) {
            Some((j, rule_complete)) => {
                complete &= rule_complete;
                out.push(j);
                index.push(i);
            }
            None => complete = false,
        }
    }
    let mut doc = Map::new();
    doc.insert("rules".into(), Json::Array(out));
    BuiltRules {
        text: Json::Object(doc).to_string(),
        index,
        complete,
    }
}

/// Inserts a known string; `None` if the value is unknown.
fn put_str(m: &mut Map<String, Json>, key: &str, v: &Val<String>) -> Option<()> {
    match v {
        Val::Unknown => None,
        Val::Known(s) => {
            m.insert(key.into(), Json::String(s.clone()));
            Some(())
        }
        Val::Null => Some(()),
    }
}

fn put_num(m: &mut Map<String, Json>, key: &str, v: &Val<Number>) -> Option<()> {
    match v {
        Val::Unknown => None,
        Val::Known(n) => {
            m.insert(key.into(), Json::Number(n.clone()));
            Some(())
        }
        Val::Null => Some(()),
    }
}

fn put_list(m: &mut Map<String, Json>, key: &str, v: &Val<Vec<Val<String>>>) -> Option<()> {
    match v {
        Val::Unknown => None,
        Val::Known(items) => {
            let mut a = Vec::with_capacity(items.len());
            for item in items {
                a.push(match item {
                    Val::Unknown => return None,
                    Val::Known(s) => Json::String(s.clone()),
                    // Reported as a null entry by validation.
                    Val::Null => Json::Null,
                });
            }
            m.insert(key.into(), Json::Array(a));
            Some(())
        }
        Val::Null => Some(()),
    }
}

/// One rule as JSON and whether it is complete; `None` when a value that matters is unknown.
fn rule_json(r: &RuleBlock) -> Option<(Json, bool)> {
    if r.unknown {
        return None;
    }
    let mut m = Map::new();
    put_num(&mut m, "rulePriority", &r.priority)?;
    // An unknown description only affects the text length.
    let complete = !r.description.is_unknown();
    if !r.description.is_unknown() {
        put_str(&mut m, "description", &r.description)?;
    }
    match &r.selection {
        Val::Unknown => return None,
        Val::Known(v) => {
            if let Some(s) = v.first() {
                if s.unknown {
                    return None;
                }
                let mut sm = Map::new();
                put_str(&mut sm, "tagStatus", &s.tag_status)?;
                put_list(&mut sm, "tagPrefixList", &s.tag_prefix_list)?;
                put_list(&mut sm, "tagPatternList", &s.tag_pattern_list)?;
                put_str(&mut sm, "storageClass", &s.storage_class)?;
                put_str(&mut sm, "countType", &s.count_type)?;
                put_str(&mut sm, "countUnit", &s.count_unit)?;
                put_num(&mut sm, "countNumber", &s.count_number)?;
                m.insert("selection".into(), Json::Object(sm));
            }
        }
        Val::Null => {}
    }
    let mut am = Map::new();
    match &r.action {
        Val::Unknown => return None,
        Val::Known(v) if !v.is_empty() => {
            if v[0].unknown {
                return None;
            }
            put_str(&mut am, "type", &v[0].r#type)?;
            put_str(&mut am, "targetStorageClass", &v[0].target_storage_class)?;
        }
        _ => {
            am.insert("type".into(), Json::String("expire".into()));
        }
    }
    m.insert("action".into(), Json::Object(am));
    Some((Json::Object(m), complete))
}

/// Validates rule blocks onto `diags` (errors and lint warnings, pointing at the rule block
/// attributes); returns the canonical text when complete and valid. Unknown values are skipped.
pub fn check_rules(rules: &Val<Vec<RuleBlock>>, diags: &mut Diagnostics) -> Option<String> {
    let Val::Known(blocks) = rules else {
        return None;
    };
    let built = build_rules(blocks);
    let mut errors = false;
    for f in lifecycle::validate_json(&built.text) {
        // Length is checked on the canonical text (what is sent); "no rules" only means
        // "not known yet" when rules were left out.
        if f.rule == ids::TEXT_LENGTH || (f.rule == ids::RULES_EMPTY && !built.complete) {
            continue;
        }
        errors = true;
        push_structured(diags, Severity::Error, &f, blocks, &built.index);
    }
    let policy = lifecycle::parse_policy(&built.text).ok()?;
    for f in lifecycle::lint(&policy) {
        push_structured(diags, Severity::Warning, &f, blocks, &built.index);
    }
    if errors || !built.complete {
        return None;
    }
    let canonical = lifecycle::canonical_json(&policy);
    if let Some(f) = lifecycle::check_text_length(&canonical) {
        diags.attr_error(
            AttrPath::attr("rule"),
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

/// Canonical text of rule blocks when complete and readable (validity not required).
pub fn rules_canonical(rules: &[RuleBlock]) -> Option<String> {
    let built = build_rules(rules);
    if !built.complete {
        return None;
    }
    lifecycle::canonicalize_text(&built.text).ok()
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

// ------------------------------------------------------------------------------------------
// Finding paths → configuration paths

/// A step of a finding's JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// Parses a finding path (`rules[2].selection.tagPatternList[0]`, `rules[0]["a b"]`). Stops at
/// the first thing it cannot read, keeping what came before.
pub fn parse_json_path(path: &str) -> Vec<Seg> {
    let b = path.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'.' => i += 1,
            b'[' if b.get(i + 1) == Some(&b'"') => {
                // A JSON string up to the closing quote (skipping escapes), then `]`.
                let mut j = i + 2;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                let Some(s) = path
                    .get(i + 1..=j)
                    .and_then(|q| serde_json::from_str::<String>(q).ok())
                else {
                    break;
                };
                if b.get(j + 1) != Some(&b']') {
                    break;
                }
                out.push(Seg::Key(s));
                i = j + 2;
            }
            b'[' => {
                let end = match path[i..].find(']') {
                    Some(e) => i + e,
                    None => break,
                };
                let Ok(n) = path[i + 1..end].parse::<usize>() else {
                    break;
                };
                out.push(Seg::Index(n));
                i = end + 1;
            }
            _ => {
                let end = path[i..].find(['.', '[']).map_or(b.len(), |e| i + e);
                out.push(Seg::Key(path[i..end].to_string()));
                i = end;
            }
        }
    }
    out
}

/// The configuration name of a policy document property.
pub fn hcl_name(json_key: &str) -> String {
    match json_key {
        "rulePriority" => "priority".into(),
        "targetStorageClass" => "target_storage_class".into(),
        other => {
            let mut s = String::with_capacity(other.len() + 4);
            for c in other.chars() {
                if c.is_ascii_uppercase() {
                    s.push('_');
                    s.push(c.to_ascii_lowercase());
                } else {
                    s.push(c);
                }
            }
            s
        }
    }
}

/// Maps a finding path in the document built from `blocks` to the configuration attribute it
/// is about; `index[i]` is the configuration position of document rule `i`.
pub fn config_path(path: &str, blocks: &[RuleBlock], index: &[usize]) -> AttrPath {
    let base = AttrPath::attr("rule");
    let segs = parse_json_path(path);
    let [Seg::Key(k), Seg::Index(i), rest @ ..] = segs.as_slice() else {
        return base;
    };
    let (true, Some(&c)) = (k == "rules", index.get(*i)) else {
        return base;
    };
    let Some(block) = blocks.get(c) else {
        return base;
    };
    let p = base.then_index(c);
    let nested = |p: AttrPath, tail: &[Seg]| match tail {
        [Seg::Key(k), Seg::Index(j), ..] => p.then_attr(hcl_name(k)).then_index(*j),
        [Seg::Key(k), ..] => p.then_attr(hcl_name(k)),
        _ => p,
    };
    match rest {
        [Seg::Key(k), tail @ ..] if k == "selection" && !block.selection.items().is_empty() => {
            nested(p.then_attr("selection").then_index(0), tail)
        }
        // Without an action block the rule expires; point at the rule.
        [Seg::Key(k), tail @ ..] if k == "action" && !block.action.items().is_empty() => {
            nested(p.then_attr("action").then_index(0), tail)
        }
        [Seg::Key(k), ..] if k == "rulePriority" || k == "description" => p.then_attr(hcl_name(k)),
        _ => p,
    }
}

static RULES_REF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\brules\[(\d+)\]").expect("valid regex"));
static FIELD_REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(rulePriority|tagStatus|tagPrefixList|tagPatternList|storageClass|countType|countUnit|countNumber|targetStorageClass)\b")
        .expect("valid regex")
});

/// Rewrites a finding message in configuration terms: `rules[i]` → `rule[index[i]]`, JSON
/// property names → attribute names. Quoted values (`"sinceImagePushed"`) are unchanged.
pub fn config_message(message: &str, index: &[usize]) -> String {
    let s = RULES_REF.replace_all(message, |c: &regex::Captures| {
        match c[1].parse::<usize>().ok().and_then(|i| index.get(i)) {
            Some(n) => format!("rule[{n}]"),
            None => c[0].to_string(),
        }
    });
    FIELD_REF
        .replace_all(&s, |c: &regex::Captures| hcl_name(&c[1]))
        .into_owned()
}

fn push_structured(
    diags: &mut Diagnostics,
    severity: Severity,
    f: &Finding,
    blocks: &[RuleBlock],
    index: &[usize],
) {
    let path = config_path(&f.path, blocks, index);
    let detail = format!("{path}: {}.", config_message(&f.message, index));
    match severity {
        Severity::Error => diags.attr_error(path, finding_summary(f.rule), detail),
        Severity::Warning => diags.attr_warning(path, finding_summary(f.rule), detail),
    }
}

/// Whether the prior rule blocks may stand as the planned value for `config`: Terraform accepts
/// a planned value equal to the prior one only where config and prior are both non-null, and
/// block counts must match the configuration.
fn prior_is_valid_plan(prior: &[RuleBlock], config: &[RuleBlock]) -> bool {
    fn same<T>(a: &Val<T>, b: &Val<T>) -> bool {
        a.is_null() == b.is_null() && !a.is_unknown() && !b.is_unknown()
    }
    prior.len() == config.len()
        && prior.iter().zip(config).all(|(p, c)| {
            same(&p.priority, &c.priority)
                && same(&p.description, &c.description)
                && p.selection.items().len() == c.selection.items().len()
                && p.action.items().len() == c.action.items().len()
                && p.selection
                    .items()
                    .iter()
                    .zip(c.selection.items())
                    .all(|(p, c)| {
                        same(&p.tag_status, &c.tag_status)
                            && same(&p.tag_prefix_list, &c.tag_prefix_list)
                            && same(&p.tag_pattern_list, &c.tag_pattern_list)
                            && same(&p.storage_class, &c.storage_class)
                            && same(&p.count_type, &c.count_type)
                            && same(&p.count_unit, &c.count_unit)
                            && same(&p.count_number, &c.count_number)
                    })
                && p.action.items().iter().zip(c.action.items()).all(|(p, c)| {
                    same(&p.r#type, &c.r#type)
                        && same(&p.target_storage_class, &c.target_storage_class)
                })
        })
}

// ------------------------------------------------------------------------------------------
// Remote policy → state

/// State after a read: unchanged when the remote policy means the same as what state holds
/// (so the user's formatting survives), otherwise the remote policy in the form in use.
fn reconcile(mut state: Model, repo: &str, remote: RemotePolicy, diags: &mut Diagnostics) -> Model {
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

/// Rule blocks for a policy read from ECR. Rules whose priority appears in `prior` take that
/// block's position, and are the prior block itself when they mean the same, so a plan shows
/// only the rules that really changed.
pub fn blocks_from_policy(p: &LifecyclePolicy, prior: &[RuleBlock]) -> Vec<RuleBlock> {
    let mut remaining: Vec<Option<&Rule>> = p.rules.iter().map(Some).collect();
    let mut out = Vec::with_capacity(p.rules.len());
    for pb in prior {
        let Some(prio) = pb.priority.known().and_then(Number::as_i64) else {
            continue;
        };
        let Some(slot) = remaining
            .iter_mut()
            .find(|r| r.is_some_and(|r| r.rule_priority == prio))
        else {
            continue;
        };
        let Some(rule) = slot.take() else { continue };
        let same = rules_canonical(std::slice::from_ref(pb)) == Some(single_rule_canonical(rule));
        out.push(if same {
            pb.clone()
        } else {
            block_from_rule(rule)
        });
    }
    out.extend(remaining.into_iter().flatten().map(block_from_rule));
    out
}

fn single_rule_canonical(r: &Rule) -> String {
    lifecycle::canonical_json(&LifecyclePolicy {
        rules: vec![r.clone()],
    })
}

/// The rule block that writes `r`.
pub fn block_from_rule(r: &Rule) -> RuleBlock {
    let list = |l: &Option<Vec<String>>| -> Val<Vec<Val<String>>> {
        l.as_ref()
            .map(|v| v.iter().map(|s| Val::of(s.clone())).collect())
            .into()
    };
    let s = &r.selection;
    RuleBlock {
        priority: Val::Known(Number::from(r.rule_priority)),
        description: r.description.clone().into(),
        selection: Val::Known(vec![SelectionBlock {
            tag_status: Val::of(s.tag_status.as_str()),
            tag_prefix_list: list(&s.tag_prefix_list),
            tag_pattern_list: list(&s.tag_pattern_list),
            storage_class: s.storage_class.map(|c| c.as_str().to_string()).into(),
            count_type: Val::of(s.count_type.as_str()),
            count_unit: s.count_unit.map(|u| u.as_str().to_string()).into(),
            count_number: Val::Known(Number::from(s.count_number)),
            unknown: false,
        }]),
        action: Val::Known(vec![ActionBlock {
            r#type: Val::of(r.action.r#type.as_str()),
            target_storage_class: r
                .action
                .target_storage_class
                .map(|c| c.as_str().to_string())
                .into(),
            unknown: false,
        }]),
        unknown: false,
    }
}

// ------------------------------------------------------------------------------------------
// `moved` from hashicorp/aws's aws_ecr_lifecycle_policy (crate::moves has the translation)

/// Hint kind: rule blocks of a configuration, recorded at validate (keyed by the policy's
/// canonical JSON) for a move in the same Terraform command. hashicorp/aws stores a policy as
/// JSON only; with the blocks the moved state is in the configuration's form, so a
/// configuration that writes the same policy as `rule` blocks plans no change.
const MOVED_RULES_HINT: &str = "moved-lifecycle-rules";

fn rules_key(canonical: &str) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    canonical.hash(&mut h);
    format!("{:016x}-{}", h.finish(), canonical.len())
}

fn record_rule_blocks(canonical: &str, rules: &[RuleBlock]) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn n(i: i64) -> Val<Number> {
        Val::Known(Number::from(i))
    }

    fn strs(items: &[&str]) -> Val<Vec<Val<String>>> {
        Val::Known(items.iter().map(|s| Val::of(*s)).collect())
    }

    fn sel(tag_status: &str, count_type: &str, count_number: i64) -> SelectionBlock {
        SelectionBlock {
            tag_status: Val::of(tag_status),
            count_type: Val::of(count_type),
            count_unit: if count_type == "imageCountMoreThan" {
                Val::Null
            } else {
                Val::of("days")
            },
            count_number: n(count_number),
            ..Default::default()
        }
    }

    fn rule(priority: i64, s: SelectionBlock) -> RuleBlock {
        RuleBlock {
            priority: n(priority),
            selection: Val::Known(vec![s]),
            action: Val::Known(vec![]),
            ..Default::default()
        }
    }

    /// The seed's production policy.
    fn seed() -> Vec<RuleBlock> {
        vec![
            rule(
                1,
                SelectionBlock {
                    tag_prefix_list: strs(&["v"]),
                    ..sel("tagged", "imageCountMoreThan", 10)
                },
            ),
            rule(2, sel("untagged", "sinceImagePushed", 7)),
            rule(
                3,
                SelectionBlock {
                    tag_pattern_list: strs(&["sha-*"]),
                    ..sel("tagged", "imageCountMoreThan", 5)
                },
            ),
        ]
    }

    fn model_rules(rules: Vec<RuleBlock>) -> Model {
        Model {
            repository: Val::of("app"),
            rule: Val::Known(rules),
            ..Default::default()
        }
    }

    fn diags_for(m: &Model) -> Diagnostics {
        let mut d = Diagnostics::new();
        EcrLifecyclePolicy.validate(m, &mut d);
        d
    }

    fn errors(d: &Diagnostics) -> Vec<(String, String, String)> {
        d.0.iter()
            .filter(|x| x.severity == Severity::Error)
            .map(|x| {
                (
                    x.attribute
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                    x.summary.clone(),
                    x.detail.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn seed_policy_is_valid_and_canonical() {
        let m = model_rules(seed());
        let d = diags_for(&m);
        assert!(d.is_empty(), "{d:?}");
        let mut q = Diagnostics::new();
        let c = policy_of(&m, &mut q).unwrap();
        assert_eq!(
            c,
            concat!(
                r#"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}},"#,
                r#"{"rulePriority":2,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":7},"action":{"type":"expire"}},"#,
                r#"{"rulePriority":3,"selection":{"tagStatus":"tagged","tagPatternList":["sha-*"],"countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}}]}"#
            )
        );
        // The JSON form of the same policy, written differently, has the same canonical text.
        let json = Model {
            repository: Val::of("app"),
            policy: Val::of(format!(" {}\n", c.replace(",", ", "))),
            rule: Val::Known(vec![]),
            ..Default::default()
        };
        assert_eq!(policy_of(&json, &mut q), Some(c));
        assert!(q.is_empty());
    }

    #[test]
    fn findings_point_at_the_rule_block_attribute() {
        let mut rules = seed();
        // rule[2]: five wildcards; rule[1] duplicates rule[0]'s priority.
        rules[2].selection = Val::Known(vec![SelectionBlock {
            tag_pattern_list: strs(&["a*b*c*d*e*f"]),
            ..sel("tagged", "imageCountMoreThan", 5)
        }]);
        rules[1].priority = n(1);
        let e = errors(&diags_for(&model_rules(rules)));
        assert!(
            e.iter()
                .any(|(p, s, d)| p == "rule[2].selection[0].tag_pattern_list"
                    && s == "Too many wildcards in a tag pattern"
                    && d.starts_with(
                        "rule[2].selection[0].tag_pattern_list: tag_pattern_list entry"
                    )),
            "{e:#?}"
        );
        assert!(
            e.iter().any(|(p, s, d)| p == "rule[1].priority"
                && s == "Duplicate rule priority"
                && d.contains("both rule[0] and rule[1]")),
            "{e:#?}"
        );
    }

    #[test]
    fn rules_left_out_for_unknowns_keep_the_index_mapping() {
        let mut rules = seed();
        // rule[0] has an unknown priority: left out, so document rule 0 is config rule 1.
        rules[0].priority = Val::Unknown;
        rules[2].selection = Val::Known(vec![SelectionBlock {
            tag_prefix_list: strs(&["x"]),
            ..sel("any", "imageCountMoreThan", 5)
        }]);
        let built = build_rules(&rules);
        assert_eq!(built.index, vec![1, 2]);
        assert!(!built.complete);
        let e = errors(&diags_for(&model_rules(rules.clone())));
        assert_eq!(e.len(), 1, "{e:#?}");
        assert_eq!(e[0].0, "rule[2].selection[0].tag_prefix_list");
        assert!(e[0].2.contains("tag_status \"any\""), "{}", e[0].2);
        // Unknown everything: nothing reported, policy_json unknown.
        let unknown = Model {
            repository: Val::of("app"),
            rule: Val::Unknown,
            ..Default::default()
        };
        assert!(diags_for(&unknown).is_empty());
        let mut q = Diagnostics::new();
        assert_eq!(policy_of(&model_rules(rules), &mut q), None);
    }

    #[test]
    fn unknown_values_are_skipped_not_errors() {
        let mut rules = seed();
        rules[1].selection = Val::Known(vec![SelectionBlock {
            count_unit: Val::Unknown,
            ..sel("untagged", "sinceImagePushed", 7)
        }]);
        rules[2].description = Val::Unknown;
        rules[0].selection = Val::Known(vec![SelectionBlock {
            tag_prefix_list: Val::Known(vec![Val::Unknown]),
            ..sel("tagged", "imageCountMoreThan", 10)
        }]);
        assert!(diags_for(&model_rules(rules)).is_empty());
        let json = Model {
            repository: Val::of("app"),
            policy: Val::Unknown,
            rule: Val::Known(vec![]),
            ..Default::default()
        };
        assert!(diags_for(&json).is_empty());
    }

    #[test]
    fn every_structured_mistake_names_the_attribute() {
        let cases: Vec<(RuleBlock, &str, &str)> = vec![
            (
                rule(1, sel("tagged", "imageCountMoreThan", 3)),
                "rule[0].selection[0]",
                "Tagged rule without a tag list",
            ),
            (
                rule(
                    1,
                    SelectionBlock {
                        count_unit: Val::of("days"),
                        ..sel("any", "imageCountMoreThan", 3)
                    },
                ),
                "rule[0].selection[0].count_unit",
                "Count unit not allowed with an image count",
            ),
            (
                rule(1, sel("untagged", "sinceImagePulled", 3)),
                "rule[0]",
                "sinceImagePulled can only transition images",
            ),
            (
                RuleBlock {
                    action: Val::Known(vec![ActionBlock {
                        r#type: Val::of("transition"),
                        ..Default::default()
                    }]),
                    ..rule(1, sel("untagged", "sinceImagePulled", 3))
                },
                "rule[0].action[0].target_storage_class",
                "Transition without a target storage class",
            ),
            (
                rule(1, sel("TAGGED", "imageCountMoreThan", 3)),
                "rule[0].selection[0].tag_status",
                "Value not allowed in lifecycle policy",
            ),
            (
                RuleBlock {
                    priority: Val::Known(Number::from_f64(1.5).unwrap()),
                    ..rule(1, sel("any", "imageCountMoreThan", 3))
                },
                "rule[0].priority",
                "Wrong value type in lifecycle policy",
            ),
            (
                rule(1, sel("untagged", "imageCountMoreThan", 0)),
                "rule[0].selection[0].count_number",
                "Count number below 1",
            ),
        ];
        for (r, path, summary) in cases {
            let e = errors(&diags_for(&model_rules(vec![r])));
            assert!(
                e.iter().any(|(p, s, _)| p == path && s == summary),
                "{path}: {e:#?}"
            );
        }
        // any before another rule of the same storage class.
        let e = errors(&diags_for(&model_rules(vec![
            rule(1, sel("any", "imageCountMoreThan", 3)),
            rule(2, sel("untagged", "imageCountMoreThan", 3)),
        ])));
        assert!(
            e.iter().any(|(p, s, d)| p == "rule[0].priority"
                && s.contains("highest priority")
                && d.contains("rule[1] (priority 2)")),
            "{e:#?}"
        );
    }

    #[test]
    fn json_form_findings_point_at_policy() {
        let m = Model {
            repository: Val::of("app"),
            policy: Val::of(
                r#"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1,"bogus":1},"action":{"type":"expire"}}]}"#,
            ),
            rule: Val::Known(vec![]),
            ..Default::default()
        };
        let e = errors(&diags_for(&m));
        assert_eq!(e.len(), 1, "{e:#?}");
        assert_eq!(e[0].0, "policy");
        assert_eq!(e[0].1, "Unknown property in lifecycle policy");
        assert!(e[0].2.contains("rules[0].selection.bogus"), "{}", e[0].2);
        let bad = Model {
            policy: Val::of("{\"rules\": ["),
            ..m.clone()
        };
        let e = errors(&diags_for(&bad));
        assert_eq!(
            (e[0].0.as_str(), e[0].1.as_str()),
            ("policy", "Malformed lifecycle policy JSON")
        );
        let both = Model {
            rule: Val::Known(seed()),
            ..m.clone()
        };
        assert!(errors(&diags_for(&both))
            .iter()
            .any(|(p, s, _)| p == "policy" && s.contains("Conflicting")));
        let neither = Model {
            policy: Val::Null,
            ..m
        };
        assert!(errors(&diags_for(&neither))
            .iter()
            .any(|(_, s, _)| s == "Missing lifecycle policy"));
    }

    #[test]
    fn long_canonical_text_is_rejected() {
        let rules: Vec<RuleBlock> = (1..=50)
            .map(|i| RuleBlock {
                description: Val::of("x".repeat(650)),
                ..rule(
                    i,
                    SelectionBlock {
                        tag_prefix_list: strs(&[&format!("p{i}-")]),
                        ..sel("tagged", "imageCountMoreThan", 3)
                    },
                )
            })
            .collect();
        let e = errors(&diags_for(&model_rules(rules)));
        assert_eq!(e.len(), 1, "{e:#?}");
        assert_eq!(e[0].0, "rule");
        assert!(
            e[0].1.contains("too short or too long") && e[0].2.contains("at most 30720"),
            "{e:#?}"
        );
    }

    #[test]
    fn wholly_unknown_blocks_are_unknown_not_null() {
        let v = crate::protocol::cty::Value::object([
            ("repository", crate::protocol::cty::Value::string("app")),
            (
                "rule",
                crate::protocol::cty::Value::List(vec![crate::protocol::cty::Value::Unknown]),
            ),
        ]);
        let m: Model = crate::framework::val::decode_model(&v).unwrap();
        assert!(m.rule.items()[0].unknown);
        assert!(diags_for(&m).is_empty());
        let back =
            crate::framework::val::encode_model(&m, &EcrLifecyclePolicy.schema().block).unwrap();
        assert!(back.get_attr("rule").is_some());
    }

    #[test]
    fn lint_warnings_do_not_fail() {
        let m = model_rules(vec![
            rule(
                1,
                SelectionBlock {
                    tag_prefix_list: strs(&["v", "release"]),
                    ..sel("tagged", "imageCountMoreThan", 10)
                },
            ),
            rule(2, sel("any", "sinceImagePushed", 30)),
        ]);
        let d = diags_for(&m);
        assert!(!d.has_errors(), "{d:?}");
        assert_eq!(d.0.len(), 1);
        assert_eq!(
            d.0[0].attribute.as_ref().unwrap().to_string(),
            "rule[0].selection[0].tag_prefix_list"
        );
    }

    #[test]
    fn paths_and_messages() {
        assert_eq!(
            parse_json_path(r#"rules[12].selection["we\"ird"].x[3]"#),
            vec![
                Seg::Key("rules".into()),
                Seg::Index(12),
                Seg::Key("selection".into()),
                Seg::Key("we\"ird".into()),
                Seg::Key("x".into()),
                Seg::Index(3)
            ]
        );
        assert_eq!(parse_json_path(""), vec![]);
        assert_eq!(parse_json_path("rules[x"), vec![Seg::Key("rules".into())]);
        assert_eq!(
            parse_json_path("a[\"unterminated"),
            vec![Seg::Key("a".into())]
        );
        // Nothing a path could hold makes the parser or the mapping panic.
        for weird in [
            "[\"a\"é",
            "[\"é\"]x",
            "]]",
            "..",
            "[",
            "[\"",
            "[\"\\",
            "rules[99999999999999999999999]",
            "é[0]",
            "rules[0].selection[\"\\u00e9\"][1]",
        ] {
            let _ = parse_json_path(weird);
            let _ = config_path(weird, &[], &[]);
            let _ = config_message(weird, &[]);
        }
        let blocks = seed();
        assert_eq!(
            config_path("rules[1].selection.tagPrefixList[0]", &blocks, &[0, 2]).to_string(),
            "rule[2].selection[0].tag_prefix_list[0]"
        );
        assert_eq!(
            config_path("rules[0].action.type", &blocks, &[0, 1]).to_string(),
            "rule[0]"
        );
        assert_eq!(config_path("rules[9]", &blocks, &[0]).to_string(), "rule");
        assert_eq!(config_path("", &blocks, &[0]).to_string(), "rule");
        assert_eq!(
            config_message("rules[1] (rulePriority 2) uses the same tagPrefixList as rules[0]; targetStorageClass \"sinceImagePushed\"", &[3, 5]),
            "rule[5] (priority 2) uses the same tag_prefix_list as rule[3]; target_storage_class \"sinceImagePushed\""
        );
    }

    #[test]
    fn moved_json_takes_the_rule_blocks_the_configuration_writes() {
        let text = r#"{"rules":[{"action":{"type":"expire"},"rulePriority":1,"selection":{"countNumber":9,"countType":"sinceImagePushed","countUnit":"days","tagStatus":"untagged"}}]}"#;
        let state = serde_json::json!({"id": "moved-lc", "repository": "moved-lc", "policy": text, "registry_id": "123456789012"});
        let src = crate::moves::Source {
            provider_address: "registry.terraform.io/hashicorp/aws",
            type_name: "aws_ecr_lifecycle_policy",
            schema_version: 0,
            state: &state,
            identity: None,
        };
        let m = moved_from_aws(&src, Some("us-east-1")).unwrap();
        assert_eq!(m.policy, Val::of(text));
        assert_eq!(m.rule, Val::Known(vec![]));
        // The configuration writes the same policy as blocks (seen at validate): the moved
        // state takes them, and planning that configuration changes nothing.
        let block = RuleBlock {
            priority: Val::Known(Number::from(1)),
            selection: Val::Known(vec![SelectionBlock {
                tag_status: Val::of("untagged"),
                count_type: Val::of("sinceImagePushed"),
                count_unit: Val::of("days"),
                count_number: Val::Known(Number::from(9)),
                ..Default::default()
            }]),
            // As Terraform sends an absent block: an empty list.
            action: Val::Known(vec![]),
            ..Default::default()
        };
        let config = Model {
            repository: Val::of("moved-lc"),
            rule: Val::Known(vec![block.clone()]),
            ..Default::default()
        };
        EcrLifecyclePolicy.validate(&config, &mut Diagnostics::new());
        let m = moved_from_aws(&src, Some("us-east-1")).unwrap();
        assert_eq!(m.policy, Val::Null);
        assert_eq!(m.rule, Val::Known(vec![block]));
        assert_eq!(m.region, Val::of("us-east-1"));
        let planned = crate::framework::testing::plan(
            EcrLifecyclePolicy,
            Some(&m),
            &config,
            None,
            &Default::default(),
        );
        assert_eq!(planned.planned, m, "a pure move: nothing to change");
        assert!(planned.requires_replace.is_empty());
        crate::framework::hints::record(
            MOVED_RULES_HINT,
            &rules_key(m.policy_json.str().unwrap()),
            None,
        );
    }

    #[test]
    fn formatting_changes_plan_the_prior_value() {
        let text = r#"{"rules":[{"rulePriority":1,"description":"keep","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}}]}"#;
        let prior = Model {
            id: Val::of("app"),
            repository: Val::of("app"),
            registry_id: Val::of("123456789012"),
            policy: Val::of(text),
            policy_json: Val::of(lifecycle::canonicalize_text(text).unwrap()),
            rule: Val::Known(vec![]),
            region: Val::of("us-east-1"),
        };
        let reformatted = text
            .replace(":", " : ")
            .replace("{\"rulePriority\":1,", "{")
            .replace("\"action\"", "\"rulePriority\":1,\"action\"");
        let config = Model {
            policy: Val::of(reformatted.clone()),
            id: Val::Null,
            registry_id: Val::Null,
            policy_json: Val::Null,
            ..prior.clone()
        };
        // Through the framework: Terraform's proposal, the schema's plan rules, modify_plan.
        let plan = |config: &Model| {
            crate::framework::testing::plan(
                EcrLifecyclePolicy,
                Some(&prior),
                config,
                None,
                &Default::default(),
            )
            .planned
        };
        assert_eq!(plan(&config), prior);
        // A real change is planned as such.
        let changed = Model {
            policy: Val::of(text.replace("10", "11")),
            ..config
        };
        let planned = plan(&changed);
        assert_ne!(planned.policy, prior.policy);
        assert!(planned
            .policy_json
            .str()
            .unwrap()
            .contains("\"countNumber\":11"));
    }

    #[test]
    fn reordered_rule_blocks_plan_the_prior_value_when_allowed() {
        let mut q = Diagnostics::new();
        let plan_for = |prior_rules: Vec<RuleBlock>, config_rules: Vec<RuleBlock>| {
            let mut q = Diagnostics::new();
            let canon = policy_of(&model_rules(prior_rules.clone()), &mut q).unwrap();
            let prior = Model {
                id: Val::of("app"),
                registry_id: Val::of("1"),
                policy_json: Val::of(canon),
                ..model_rules(prior_rules)
            };
            let config = model_rules(config_rules);
            let mut plan = Plan {
                prior: Some(prior.clone()),
                config: config.clone(),
                planned: config.clone(),
                requires_replace: vec![],
                siblings: Default::default(),
            };
            EcrLifecyclePolicy.modify_plan(&mut plan, None, &mut q);
            (prior, config, plan.planned)
        };
        // Same-shaped rules swapped, tag list entries reordered: the prior value is planned.
        let a = rule(
            1,
            SelectionBlock {
                tag_prefix_list: strs(&["v", "release"]),
                ..sel("tagged", "imageCountMoreThan", 10)
            },
        );
        let b = rule(
            2,
            SelectionBlock {
                tag_prefix_list: strs(&["rc"]),
                ..sel("tagged", "imageCountMoreThan", 3)
            },
        );
        let mut a2 = a.clone();
        a2.selection = Val::Known(vec![SelectionBlock {
            tag_prefix_list: strs(&["release", "v"]),
            ..sel("tagged", "imageCountMoreThan", 10)
        }]);
        let (prior, _, planned) = plan_for(vec![a.clone(), b.clone()], vec![b.clone(), a2]);
        assert_eq!(planned.rule, prior.rule);
        assert_eq!(planned.policy_json, prior.policy_json);
        // Differently-shaped rules swapped: Terraform compares blocks by position, so the
        // configuration is planned (an in-place update that puts the same policy).
        let mut reversed = seed();
        reversed.reverse();
        let (prior, config, planned) = plan_for(seed(), reversed);
        assert_eq!(planned.rule, config.rule);
        assert_eq!(planned.policy_json, prior.policy_json);
        let prior_rules = seed();
        let canon = policy_of(&model_rules(prior_rules.clone()), &mut q).unwrap();
        let prior = Model {
            id: Val::of("app"),
            registry_id: Val::of("1"),
            policy_json: Val::of(canon),
            ..model_rules(prior_rules.clone())
        };
        // storage_class = "standard" written out: same meaning, but the prior null can't stand in
        // for a configured value, so the configuration is planned.
        let mut explicit = prior_rules;
        if let Val::Known(s) = &mut explicit[1].selection {
            s[0].storage_class = Val::of("standard");
        }
        let config = model_rules(explicit);
        let mut plan = Plan {
            prior: Some(prior.clone()),
            config: config.clone(),
            planned: config.clone(),
            requires_replace: vec![],
            siblings: Default::default(),
        };
        EcrLifecyclePolicy.modify_plan(&mut plan, None, &mut q);
        assert_eq!(plan.planned.rule, config.rule);
        assert_eq!(plan.planned.policy_json, prior.policy_json);
    }

    #[test]
    fn read_keeps_equal_text_and_shows_drift() {
        let mine = "{ \"rules\": [ {\"action\": {\"type\": \"expire\"}, \"rulePriority\": 1, \"selection\": {\"countNumber\": 10, \"countType\": \"imageCountMoreThan\", \"tagStatus\": \"any\"}} ] }";
        let state = Model {
            repository: Val::of("app"),
            policy: Val::of(mine),
            policy_json: Val::of(lifecycle::canonicalize_text(mine).unwrap()),
            rule: Val::Known(vec![]),
            ..Default::default()
        };
        let aws_text = lifecycle::canonicalize_text(mine).unwrap();
        let mut d = Diagnostics::new();
        let same = reconcile(
            state.clone(),
            "app",
            RemotePolicy {
                registry_id: Some("1".into()),
                text: aws_text.clone(),
            },
            &mut d,
        );
        assert_eq!(same.policy, state.policy);
        assert_eq!(same.registry_id, Val::of("1"));
        let drifted = aws_text.replace("10", "3");
        let read = reconcile(
            state,
            "app",
            RemotePolicy {
                registry_id: None,
                text: drifted.clone(),
            },
            &mut d,
        );
        assert_eq!(read.policy, Val::of(drifted));
        assert!(d.is_empty());
    }

    #[test]
    fn structured_drift_rebuilds_only_the_changed_rule() {
        let blocks = seed();
        let mut q = Diagnostics::new();
        let canon = policy_of(&model_rules(blocks.clone()), &mut q).unwrap();
        let state = Model {
            policy_json: Val::of(canon.clone()),
            ..model_rules(blocks.clone())
        };
        let drifted = canon.replace("\"countNumber\":7", "\"countNumber\":9");
        let read = reconcile(
            state,
            "app",
            RemotePolicy {
                registry_id: None,
                text: drifted,
            },
            &mut q,
        );
        let rules = read.rule.items();
        assert_eq!(rules.len(), 3);
        assert_eq!(rules[0], blocks[0]);
        assert_eq!(rules[2], blocks[2]);
        assert_eq!(rules[1].selection.items()[0].count_number, n(9));
        assert!(read.policy.is_null());
        // Unreadable remote text falls back to `policy`, with a warning.
        let state = Model {
            policy_json: Val::of(canon),
            ..model_rules(blocks)
        };
        let read = reconcile(
            state,
            "app",
            RemotePolicy {
                registry_id: None,
                text: "{\"rules\":[{\"new\":1}]}".into(),
            },
            &mut q,
        );
        assert_eq!(read.rule, Val::Known(vec![]));
        assert!(read.policy.is_known());
        assert_eq!(q.0.len(), 1);
    }

    #[test]
    fn blocks_round_trip_through_the_policy() {
        let text = r#"{"rules":[{"rulePriority":1,"description":"d","selection":{"tagStatus":"tagged","tagPatternList":["p*"],"countType":"sinceImagePulled","countUnit":"days","countNumber":30},"action":{"type":"transition","targetStorageClass":"archive"}},{"rulePriority":2,"selection":{"tagStatus":"any","storageClass":"archive","countType":"sinceImageTransitioned","countUnit":"days","countNumber":90},"action":{"type":"expire"}}]}"#;
        let p = lifecycle::parse_policy(text).unwrap();
        let blocks = blocks_from_policy(&p, &[]);
        assert_eq!(
            rules_canonical(&blocks),
            Some(lifecycle::canonical_json(&p))
        );
        let mut d = Diagnostics::new();
        assert!(check_rules(&Val::Known(blocks), &mut d).is_some(), "{d:?}");
    }

    fn arb_val<T: std::fmt::Debug + Clone + 'static>(
        known: impl proptest::strategy::Strategy<Value = T> + 'static,
    ) -> impl proptest::strategy::Strategy<Value = Val<T>> {
        use proptest::prelude::*;
        prop_oneof![1 => Just(Val::Null), 1 => Just(Val::Unknown), 6 => known.prop_map(Val::Known)]
    }

    fn arb_rule() -> impl proptest::strategy::Strategy<Value = RuleBlock> {
        use proptest::prelude::*;
        let word = |w: Vec<&'static str>| prop::sample::select(w).prop_map(String::from);
        let list = || {
            arb_val(prop::collection::vec(
                arb_val(word(vec!["v", "a*b*c*d*e*", "sha-", ""])),
                0..3,
            ))
        };
        let num = || arb_val((-1i64..120).prop_map(Number::from));
        let sel = (
            arb_val(word(vec!["tagged", "untagged", "any", "TAGGED"])),
            list(),
            list(),
            arb_val(word(vec!["standard", "archive"])),
            arb_val(word(vec![
                "imageCountMoreThan",
                "sinceImagePushed",
                "sinceImagePulled",
                "sinceImageTransitioned",
            ])),
            arb_val(word(vec!["days", "hours"])),
            num(),
        )
            .prop_map(|(ts, pre, pat, sc, ct, cu, cn)| SelectionBlock {
                tag_status: ts,
                tag_prefix_list: pre,
                tag_pattern_list: pat,
                storage_class: sc,
                count_type: ct,
                count_unit: cu,
                count_number: cn,
                unknown: false,
            });
        let act = (
            arb_val(word(vec!["expire", "transition"])),
            arb_val(word(vec!["archive", "standard"])),
        )
            .prop_map(|(t, c)| ActionBlock {
                r#type: t,
                target_storage_class: c,
                unknown: false,
            });
        (
            num(),
            arb_val(word(vec!["", "d"])),
            arb_val(prop::collection::vec(sel, 0..2)),
            arb_val(prop::collection::vec(act, 0..2)),
            any::<u8>(),
        )
            .prop_map(|(p, d, s, a, u)| RuleBlock {
                priority: p,
                description: d,
                selection: s,
                action: a,
                unknown: u == 0,
            })
    }

    proptest::proptest! {
        /// Any configuration: no panic, every diagnostic on `rule` or inside an existing rule,
        /// and a canonical text only for configurations without errors.
        #[test]
        fn any_rule_blocks_are_mapped_safely(rules in proptest::collection::vec(arb_rule(), 0..6)) {
            let mut d = Diagnostics::new();
            let canonical = check_rules(&Val::Known(rules.clone()), &mut d);
            for x in &d.0 {
                let p = x.attribute.as_ref().unwrap();
                proptest::prop_assert_eq!(&p.0[0], &crate::protocol::cty::PathStep::Attr("rule".into()));
                if let Some(crate::protocol::cty::PathStep::Index(i)) = p.0.get(1) {
                    proptest::prop_assert!((*i as usize) < rules.len());
                }
                proptest::prop_assert!(x.detail.starts_with(&p.to_string()));
            }
            if canonical.is_some() {
                proptest::prop_assert!(!d.has_errors());
                proptest::prop_assert!(lifecycle::validate_json(canonical.as_deref().unwrap()).is_empty());
            }
        }
    }

    #[test]
    fn summaries_cover_every_id() {
        for id in [
            ids::JSON_SYNTAX,
            ids::ROOT_NOT_OBJECT,
            ids::UNKNOWN_PROPERTY,
            ids::NULL_VALUE,
            ids::WRONG_TYPE,
            ids::MISSING_PROPERTY,
            ids::ENUM_VALUE,
            ids::TEXT_LENGTH,
            ids::RULES_EMPTY,
            ids::TOO_MANY_RULES,
            ids::PRIORITY_UNIQUE,
            ids::PRIORITY_MIN,
            ids::ANY_MUST_BE_LAST,
            ids::SINGLE_UNTAGGED,
            ids::TAG_LIST_REQUIRED,
            ids::TAG_LISTS_EXCLUSIVE,
            ids::TAG_LIST_REQUIRES_TAGGED,
            ids::TAG_PATTERN_WILDCARDS,
            ids::UNIQUE_TAG_LISTS,
            ids::COUNT_UNIT_REQUIRED,
            ids::COUNT_UNIT_FORBIDDEN,
            ids::COUNT_NUMBER_MIN,
            ids::STORAGE_CLASS_COUNT_TYPE,
            ids::TRANSITIONED_NEEDS_ARCHIVE,
            ids::TRANSITIONED_NEEDS_EXPIRE,
            ids::PULLED_NEEDS_TRANSITION,
            ids::ARCHIVE_MINIMUM_DAYS,
            ids::TRANSITION_TARGET_REQUIRED,
            ids::TRANSITION_TARGET_ARCHIVE,
            ids::EXPIRE_NO_TARGET,
            ids::MULTI_ENTRY_TAG_LIST,
        ] {
            assert_ne!(finding_summary(id), "Invalid lifecycle policy", "{id}");
        }
    }
}
