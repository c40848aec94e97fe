//! `ecr_public_repository`: a repository in the account's ECR Public registry, with the catalog
//! data the ECR Public Gallery shows.
//!
//! ECR Public's API exists only in us-east-1; `AwsClients::ecr_public` is pinned there whatever
//! the provider's `region`, so these resources work from any provider configuration.

use std::collections::BTreeMap;
use std::time::Duration;

use aws_sdk_ecrpublic::operation::create_repository::CreateRepositoryError;
use aws_sdk_ecrpublic::operation::delete_repository::DeleteRepositoryError;
use aws_sdk_ecrpublic::operation::describe_repositories::DescribeRepositoriesError;
use aws_sdk_ecrpublic::operation::get_repository_catalog_data::GetRepositoryCatalogDataError;
use aws_sdk_ecrpublic::types::{Repository, RepositoryCatalogData, RepositoryCatalogDataInput};
use aws_smithy_types::Blob;
use serde::{Deserialize, Serialize};

use super::common::{
    adopt_if_leftover, force_at_delete, merged_tags, own_tags, retry_while_not_found,
    wait_for_deletion, Existing,
};
use super::identity;
use crate::aws::errors::{is, public_text};
use crate::aws::tags::{self, TagApi};
use crate::aws::AwsClients;
use crate::ecr_public::{self, catalog};
use crate::framework::IdentitySchema;
use crate::framework::{
    hints, import, AttrPath, Attribute, Block, Ctx, Diagnostics, NestedBlock, Plan, Resource,
    Schema, Val,
};
use crate::shared::timeouts::{self, Timeouts};

pub struct EcrPublicRepository;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Model {
    pub id: Val<String>,
    pub repository_name: Val<String>,
    pub arn: Val<String>,
    pub registry_id: Val<String>,
    pub repository_uri: Val<String>,
    pub catalog_data: Val<Vec<CatalogData>>,
    pub tags: Val<BTreeMap<String, String>>,
    pub tags_all: Val<BTreeMap<String, String>>,
    pub force_destroy: Val<bool>,
    pub timeouts: Val<Timeouts>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct CatalogData {
    pub description: Val<String>,
    pub about_text: Val<String>,
    pub usage_text: Val<String>,
    pub architectures: Val<Vec<String>>,
    pub operating_systems: Val<Vec<String>>,
    pub logo_image_blob: Val<String>,
}

const HINT_KIND: &str = "public_force_destroy";

/// The identity (`import { identity = { … } }`, Terraform ≥ 1.12): the account and the
/// repository name (ECR Public has one region, us-east-1).
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Identity {
    pub account_id: Val<String>,
    pub repository_name: Val<String>,
}

#[async_trait::async_trait]
impl Resource for EcrPublicRepository {
    type Model = Model;
    type Provider = AwsClients;
    type Identity = Identity;

    fn type_name(&self) -> &'static str {
        "ecr_public_repository"
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
        identity::global(&[("repository_name", "The repository name.")])
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
        let arch = catalog::ARCHITECTURES
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let os = catalog::OPERATING_SYSTEMS
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", ");
        Schema::new(
            0,
            Block::new("A repository in your ECR Public registry (`public.ecr.aws/<alias>/<name>`), with the catalog data the ECR Public Gallery shows.\n\nThe [ECR Public Gallery](https://gallery.ecr.aws) shows the description, About and Usage text, architecture and operating-system badges, and logo.\n\n~> **ECR Public exists only in `us-east-1`.** The provider always sends ECR Public calls to `us-east-1` (signed for `us-east-1`), whatever the provider's `region` (unlike the private types it has no `region` argument), so a provider configured for `eu-west-1` (your private registry's region) manages public repositories without a second, aliased provider block. The credentials must be usable in `us-east-1`: IAM policies or SCPs that deny other regions must allow `ecr-public:*` there. `endpoints { ecrpublic = ... }` overrides the URL (the signing region stays `us-east-1`).\n\nIf the name is already taken when the repository is created, the provider adopts the existing repository (with a warning) only when it is most likely left over from an interrupted apply: it holds no images and was created less than an hour ago; its catalog data and tags are then set as configured. Otherwise the create fails, saying why, with the `terraform import` command to use.")
                .attr(Attribute::string("id").computed().use_state_for_unknown().description("The repository name."))
                .attr(Attribute::string("repository_name").required().requires_replace().description("Repository name, 2–205 characters: lowercase letters and digits separated by a single `.`, `_` or `-`, with `/` between path components (stricter than private ECR's pattern: no `__`, no runs of `-`). Checked at plan time."))
                .attr(Attribute::string("arn").computed().use_state_for_unknown().description("Repository ARN (`arn:aws:ecr-public::<account>:repository/<name>`)."))
                .attr(Attribute::string("registry_id").computed().use_state_for_unknown().description("Account id of the public registry."))
                .attr(Attribute::string("repository_uri").computed().use_state_for_unknown().description("URI to `docker push` to: `public.ecr.aws/<registry alias>/<name>`."))
                .attr(Attribute::string_map("tags").optional().description("Tags for the repository, merged over the provider's `default_tags`. Updated in place (`TagResource`/`UntagResource`)."))
                .attr(Attribute::string_map("tags_all").computed().description("All tags on the repository, including the provider's `default_tags`."))
                .attr(Attribute::bool("force_destroy").optional().computed().default_bool(false).description("Delete the repository even if it still holds images (default `false`). Taken from the configuration at destroy time, even if it was added just before `terraform destroy`."))
                .block(
                    NestedBlock::list(
                        "catalog_data",
                        Block::new("What the ECR Public Gallery shows for the repository. Updated in place (PutRepositoryCatalogData); removing an argument (or the block) clears it in the Gallery. Checked at plan time.")
                            .attr(Attribute::string("description").optional().description(format!("Short description shown in search results, at most {} characters.", catalog::DESCRIPTION_MAX)))
                            .attr(Attribute::string("about_text").optional().description(format!("Markdown shown in the Gallery's *About* tab, at most {} characters.", catalog::ABOUT_TEXT_MAX)))
                            .attr(Attribute::string("usage_text").optional().description(format!("Markdown shown in the Gallery's *Usage* tab, at most {} characters.", catalog::USAGE_TEXT_MAX)))
                            .attr(Attribute::string_set("architectures").optional().description(format!("Architecture badges: any of {arch} (exact spelling). The API stores other values but the Gallery neither shows nor finds them, so the provider rejects them and suggests the Gallery spelling for common names (`arm64` → `ARM 64`, `amd64` → `x86-64`).")))
                            .attr(Attribute::string_set("operating_systems").optional().description(format!("Operating system badges: any of {os} (exact spelling).")))
                            .attr(Attribute::string("logo_image_blob").optional().description(format!("Base64 of the logo image, e.g. `filebase64(\"logo.png\")`, at most {} bytes decoded. The API never returns the logo, so changes made outside Terraform are not detected; removing the argument sends an empty logo. AWS shows logos only for verified accounts.", catalog::LOGO_MAX_BYTES))),
                    )
                    .max(1),
                )
                .block(timeouts::block()),
        )
    }

    fn docs(&self) -> crate::framework::Docs {
        crate::framework::Docs {
            subcategory: "ECR Public",
            notes: "## Behaviour

- Deleted outside Terraform: removed from state; the next plan creates it again. Catalog data or
  tags changed outside Terraform: the plan shows the difference and applying restores the
  configuration in place.
- Unset catalog arguments never show a diff against AWS's empty values.
- AWS errors carry AWS's code and message plus the remedy when there is a known one (an existing
  repository → import it; not empty → `force_destroy`; access denied → the us-east-1 rule).".into(),
            import: Some(crate::framework::ImportDocs {
                id: "Import with the repository name. `logo_image_blob` cannot be imported (the API does not \
                     return it); the first apply after an import sends the configured logo.",
                example: "my-org/my-tool",
            }),
        }
    }

    fn validate(&self, c: &Model, diags: &mut Diagnostics) {
        timeouts::validate(&c.timeouts, diags);
        if let Some(name) = c.repository_name.str() {
            if let Some(e) = ecr_public::check_name(name) {
                diags.attr_error(
                    AttrPath::attr("repository_name"),
                    "Invalid repository_name",
                    format!("repository_name {e}."),
                );
            }
        }
        for (i, cd) in c.catalog_data.items().iter().enumerate() {
            let p = AttrPath::attr("catalog_data").then_index(i);
            for (name, v, max) in [
                ("description", &cd.description, catalog::DESCRIPTION_MAX),
                ("about_text", &cd.about_text, catalog::ABOUT_TEXT_MAX),
                ("usage_text", &cd.usage_text, catalog::USAGE_TEXT_MAX),
            ] {
                if let Some(e) = v.str().and_then(|s| catalog::check_max_chars(s, max)) {
                    diags.attr_error(
                        p.clone().then_attr(name),
                        format!("catalog_data.{name} is too long"),
                        format!("catalog_data.{name} {e}."),
                    );
                }
            }
            for (name, what, v, allowed) in [
                (
                    "architectures",
                    "architecture",
                    &cd.architectures,
                    catalog::ARCHITECTURES,
                ),
                (
                    "operating_systems",
                    "operating system",
                    &cd.operating_systems,
                    catalog::OPERATING_SYSTEMS,
                ),
            ] {
                for value in v.items() {
                    if let Some(e) = catalog::check_badge(what, value, allowed) {
                        diags.attr_warning(
                            p.clone().then_attr(name),
                            format!("Invalid catalog_data.{name} value"),
                            e,
                        );
                    }
                }
            }
            if let Some(b64) = cd.logo_image_blob.str() {
                if let Err(e) = catalog::decode_logo(b64) {
                    diags.attr_error(
                        p.clone().then_attr("logo_image_blob"),
                        "Invalid catalog_data.logo_image_blob",
                        format!("logo_image_blob {e}."),
                    );
                }
            }
        }
    }

    fn modify_plan(
        &self,
        plan: &mut Plan<Model>,
        provider: Option<&AwsClients>,
        _diags: &mut Diagnostics,
    ) {
        let p = &mut plan.planned;
        let c = &plan.config;
        p.tags_all = match provider {
            Some(aws) => merged_tags(&aws.default_tags, &p.tags),
            None => Val::Unknown,
        };
        if let Some(prior) = &plan.prior {
            if let Some(name) = prior.repository_name.str() {
                let configured = c.force_destroy.known().copied().unwrap_or(false);
                let recorded = prior.force_destroy.known().copied().unwrap_or(false);
                hints::record(
                    HINT_KIND,
                    name,
                    (configured != recorded).then_some(if configured { "true" } else { "false" }),
                );
            }
        } else {
            p.id = p.repository_name.clone();
        }
    }

    async fn create(
        &self,
        ctx: &Ctx<AwsClients>,
        plan: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let aws = &ctx.provider;
        let name = plan.repository_name.str().unwrap_or_default().to_string();
        let mut req = aws.ecr_public.create_repository().repository_name(&name);
        if let Some(cd) = plan.catalog_data.items().first() {
            match catalog_input(Some(cd), None) {
                Ok(input) => req = req.catalog_data(input),
                Err(e) => {
                    diags.attr_error(
                        AttrPath::attr("catalog_data")
                            .then_index(0)
                            .then_attr("logo_image_blob"),
                        "Invalid catalog_data.logo_image_blob",
                        e,
                    );
                    return None;
                }
            }
        }
        let tags = plan.tags_all.known().cloned().unwrap_or_default();
        if !tags.is_empty() {
            req = req.set_tags(Some(tags::public_tags(&tags)));
        }
        if let Err(e) = req.send().await {
            if is(
                &e,
                CreateRepositoryError::is_repository_already_exists_exception,
            ) {
                return self.adopt(ctx, plan, diags).await;
            }
            diags.error(
                format!("Creating ECR Public repository {name:?} failed"),
                public_text(&e),
            );
            return None;
        }
        // From here the repository exists: always return state, even if reading it back fails.
        let mut state = plan.clone();
        state.id = Val::of(name.clone());
        let found = retry_while_not_found(&ctx.stop, Duration::from_secs(60), || {
            describe_repository(aws, &name)
        })
        .await;
        match found {
            Ok(Some(repo)) => match read_details(aws, &repo).await {
                Ok((cat, remote_tags)) => apply_remote(
                    &mut state,
                    &repo,
                    cat.as_ref(),
                    &remote_tags,
                    &aws.default_tags,
                ),
                Err(e) => diags.warning(
                    format!("Reading ECR Public repository {name:?} after creation failed"),
                    e,
                ),
            },
            Ok(None) => diags.error(
                format!("ECR Public repository {name:?} was created but never became visible"),
                "DescribeRepositories kept answering RepositoryNotFoundException for 1 minute.",
            ),
            Err(e) => diags.error(
                format!("Reading ECR Public repository {name:?} after creation failed"),
                e,
            ),
        }
        state.force_destroy = Val::Known(plan.force_destroy.or(false));
        Some(state)
    }

    async fn read(
        &self,
        ctx: &Ctx<AwsClients>,
        state: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let aws = &ctx.provider;
        let name = state
            .repository_name
            .str()
            .or(state.id.str())
            .unwrap_or_default()
            .to_string();
        match describe_repository(aws, &name).await {
            Ok(Some(repo)) => match read_details(aws, &repo).await {
                Ok((cat, tags)) => {
                    let mut next = state.clone();
                    apply_remote(&mut next, &repo, cat.as_ref(), &tags, &aws.default_tags);
                    next.force_destroy = Val::Known(state.force_destroy.or(false));
                    Some(next)
                }
                Err(e) => {
                    diags.error(format!("Reading ECR Public repository {name:?} failed"), e);
                    None
                }
            },
            Ok(None) => {
                tracing::info!(repository = %name, "public repository no longer exists; removing from state");
                None
            }
            Err(e) => {
                diags.error(format!("Reading ECR Public repository {name:?} failed"), e);
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
        let aws = &ctx.provider;
        let name = prior.repository_name.str().unwrap_or_default().to_string();
        let mut state = prior.clone();
        state.force_destroy = plan.force_destroy.clone();

        if prior.catalog_data != plan.catalog_data {
            let input = match catalog_input(
                plan.catalog_data.items().first(),
                prior.catalog_data.items().first(),
            ) {
                Ok(i) => i,
                Err(e) => {
                    diags.attr_error(
                        AttrPath::attr("catalog_data")
                            .then_index(0)
                            .then_attr("logo_image_blob"),
                        "Invalid catalog_data.logo_image_blob",
                        e,
                    );
                    return Some(state);
                }
            };
            let res = aws
                .ecr_public
                .put_repository_catalog_data()
                .repository_name(&name)
                .catalog_data(input)
                .send()
                .await;
            if let Err(e) = res {
                diags.attr_error(
                    AttrPath::attr("catalog_data"),
                    format!("Updating catalog data of {name:?} failed"),
                    public_text(&e),
                );
                return Some(state);
            }
            state.catalog_data = plan.catalog_data.clone();
        }

        if prior.tags_all != plan.tags_all || prior.tags != plan.tags {
            let arn = prior.arn.str().unwrap_or_default().to_string();
            let old = prior.tags_all.known().cloned().unwrap_or_default();
            let new = plan.tags_all.known().cloned().unwrap_or_default();
            if let Err(e) = tags::sync(&aws.ecr_public, &arn, &old, &new).await {
                diags.attr_error(
                    AttrPath::attr("tags"),
                    format!("Updating tags of {name:?} failed"),
                    e,
                );
                return Some(state);
            }
            state.tags = plan.tags.clone();
            state.tags_all = plan.tags_all.clone();
        }

        // Read back so the state is what AWS holds now.
        self.read(ctx, state.clone(), diags).await.or(Some(state))
    }

    async fn delete(&self, ctx: &Ctx<AwsClients>, state: Model, diags: &mut Diagnostics) {
        let aws = &ctx.provider;
        let name = state.repository_name.str().unwrap_or_default().to_string();
        let force = force_at_delete(HINT_KIND, &name, state.force_destroy.or(false));
        match aws
            .ecr_public
            .delete_repository()
            .repository_name(&name)
            .force(force)
            .send()
            .await
        {
            Ok(_) => {}
            Err(e) if is(&e, DeleteRepositoryError::is_repository_not_found_exception) => {}
            Err(e) if is(&e, DeleteRepositoryError::is_repository_not_empty_exception) => {
                diags.attr_error(
                    AttrPath::attr("force_destroy"),
                    format!("ECR Public repository {name:?} still holds images"),
                    public_text(&e),
                );
                return;
            }
            Err(e) => {
                diags.error(
                    format!("Deleting ECR Public repository {name:?} failed"),
                    public_text(&e),
                );
                return;
            }
        }
        hints::record(HINT_KIND, &name, None);
        wait_for_deletion(
            &ctx.stop,
            &state.timeouts,
            &format!("ECR Public repository {name:?}"),
            || async { describe_repository(aws, &name).await.map(|r| r.is_some()) },
            diags,
        )
        .await;
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

impl EcrPublicRepository {
    /// CreateRepository said the name is taken: adopt the repository only if it is what our own
    /// CreateRepository would have made — the leftover of an apply interrupted after AWS created
    /// it (see `common::adoption_verdict`) — otherwise fail with the reasons and the import
    /// command. The logo cannot be read back, so it is sent again through `update`.
    async fn adopt(
        &self,
        ctx: &Ctx<AwsClients>,
        plan: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let aws = &ctx.provider;
        let name = plan.repository_name.str().unwrap_or_default().to_string();
        let read = async {
            let Some(repo) = describe_repository(aws, &name).await? else {
                return Ok(None);
            };
            let holds_images = holds_images(aws, &name).await?;
            let (cat, tags) = read_details(aws, &repo).await?;
            // What AWS holds, as state would record it. The API never returns the logo: treat
            // it as absent, so a planned logo is sent by update().
            let mut current = plan.clone();
            apply_remote(&mut current, &repo, cat.as_ref(), &tags, &aws.default_tags);
            if let Val::Known(cds) = &mut current.catalog_data {
                for cd in cds {
                    cd.logo_image_blob = Val::Null;
                }
            }
            current.force_destroy = Val::Known(plan.force_destroy.or(false));
            let existing = Existing {
                holds_images,
                created_at: repo.created_at().map(|t| t.secs()),
                mismatches: settings_mismatches(&plan, &current),
            };
            Ok(Some((existing, current)))
        };
        let current = adopt_if_leftover(
            diags,
            "ECR Public repository",
            "ecr_public_repository",
            &name,
            read,
        )
        .await?;
        self.update(ctx, current, plan, diags).await
    }
}

/// Where the existing public repository (`current`, read back, logo cleared) differs from what
/// CreateRepository would have made for `plan`: catalog data other than the logo, and tags.
fn settings_mismatches(plan: &Model, current: &Model) -> Vec<String> {
    let readable = |m: &Model| {
        let mut cds = m.catalog_data.items().to_vec();
        for cd in &mut cds {
            cd.logo_image_blob = Val::Null;
        }
        cds
    };
    let mut out = Vec::new();
    if readable(plan) != readable(current) {
        out.push("its catalog data differs from the planned catalog_data".to_string());
    }
    if let (Some(want), Some(have)) = (plan.tags_all.known(), current.tags_all.known()) {
        if want != have {
            out.push("its tags differ from the planned tags".to_string());
        }
    }
    out
}

// ----------------------------------------------------------------------------------------------
// Requests and responses (pure)
// ----------------------------------------------------------------------------------------------

/// The catalog data to send: what `cd` configures. With `prior` (an update), arguments that were
/// set before and are now removed are sent empty so the Gallery clears them whether the API
/// merges or replaces.
fn catalog_input(
    cd: Option<&CatalogData>,
    prior: Option<&CatalogData>,
) -> Result<RepositoryCatalogDataInput, String> {
    let empty = CatalogData::default();
    let cd = cd.unwrap_or(&empty);
    let clearing = prior.is_some();
    let mut b = RepositoryCatalogDataInput::builder();
    let text = |v: &Val<String>| {
        v.str()
            .map(str::to_string)
            .or_else(|| clearing.then(String::new))
    };
    b = b
        .set_description(text(&cd.description))
        .set_about_text(text(&cd.about_text))
        .set_usage_text(text(&cd.usage_text));
    let list = |v: &Val<Vec<String>>| v.known().cloned().or_else(|| clearing.then(Vec::new));
    b = b
        .set_architectures(list(&cd.architectures))
        .set_operating_systems(list(&cd.operating_systems));
    match cd.logo_image_blob.str() {
        Some(b64) => {
            b = b.logo_image_blob(Blob::new(
                catalog::decode_logo(b64).map_err(|e| format!("logo_image_blob {e}"))?,
            ))
        }
        None if prior.is_some_and(|p| p.logo_image_blob.is_known()) => {
            b = b.logo_image_blob(Blob::new(Vec::new()))
        }
        None => {}
    }
    Ok(b.build())
}

/// What AWS holds, in the configuration's shape: AWS answers empty for unset text and lists,
/// which stay null (or "" / [] when that is what was configured); no block stays no block
/// while AWS holds nothing. The logo is never returned, so it is kept from `prior`.
fn catalog_from_remote(
    remote: Option<&RepositoryCatalogData>,
    prior: &Val<Vec<CatalogData>>,
) -> Val<Vec<CatalogData>> {
    let p = prior.items().first();
    let text = |r: Option<&str>, pv: Option<&Val<String>>| match r.filter(|s| !s.is_empty()) {
        Some(s) => Val::of(s),
        None if pv.is_some_and(|v| v.str() == Some("")) => Val::of(""),
        None => Val::Null,
    };
    let list = |r: &[String], pv: Option<&Val<Vec<String>>>| {
        if !r.is_empty() {
            let mut v = r.to_vec();
            v.sort();
            v.dedup();
            Val::Known(v)
        } else if pv.is_some_and(|v| v.is_known()) {
            Val::Known(vec![])
        } else {
            Val::Null
        }
    };
    let cd = CatalogData {
        description: text(
            remote.and_then(|r| r.description()),
            p.map(|p| &p.description),
        ),
        about_text: text(
            remote.and_then(|r| r.about_text()),
            p.map(|p| &p.about_text),
        ),
        usage_text: text(
            remote.and_then(|r| r.usage_text()),
            p.map(|p| &p.usage_text),
        ),
        architectures: list(
            remote.map(|r| r.architectures()).unwrap_or_default(),
            p.map(|p| &p.architectures),
        ),
        operating_systems: list(
            remote.map(|r| r.operating_systems()).unwrap_or_default(),
            p.map(|p| &p.operating_systems),
        ),
        logo_image_blob: p.map(|p| p.logo_image_blob.clone()).unwrap_or_default(),
    };
    if p.is_none() && cd == CatalogData::default() {
        Val::Known(vec![])
    } else {
        Val::Known(vec![cd])
    }
}

fn apply_remote(
    m: &mut Model,
    repo: &Repository,
    cat: Option<&RepositoryCatalogData>,
    tags: &BTreeMap<String, String>,
    defaults: &BTreeMap<String, String>,
) {
    let name = repo.repository_name().unwrap_or_default();
    m.id = Val::of(name);
    m.repository_name = Val::of(name);
    m.arn = Val::of(repo.repository_arn().unwrap_or_default());
    m.registry_id = Val::of(repo.registry_id().unwrap_or_default());
    m.repository_uri = Val::of(repo.repository_uri().unwrap_or_default());
    m.catalog_data = catalog_from_remote(cat, &m.catalog_data);
    m.tags = own_tags(tags, defaults, &m.tags);
    m.tags_all = Val::Known(tags.clone());
}

// ----------------------------------------------------------------------------------------------
// AWS calls
// ----------------------------------------------------------------------------------------------

/// `Ok(None)` when the repository does not exist.
async fn describe_repository(aws: &AwsClients, name: &str) -> Result<Option<Repository>, String> {
    match aws
        .ecr_public
        .describe_repositories()
        .repository_names(name)
        .send()
        .await
    {
        Ok(out) => Ok(out
            .repositories()
            .iter()
            .find(|r| r.repository_name() == Some(name))
            .cloned()),
        Err(e)
            if is(
                &e,
                DescribeRepositoriesError::is_repository_not_found_exception,
            ) =>
        {
            Ok(None)
        }
        Err(e) => Err(public_text(&e)),
    }
}

/// Whether the public repository holds any image; one call, one result at most.
async fn holds_images(aws: &AwsClients, name: &str) -> Result<bool, String> {
    let out = aws
        .ecr_public
        .describe_images()
        .repository_name(name)
        .max_results(1)
        .send()
        .await
        .map_err(|e| format!("DescribeImages: {}", public_text(&e)))?;
    Ok(!out.image_details().is_empty())
}

async fn read_details(
    aws: &AwsClients,
    repo: &Repository,
) -> Result<(Option<RepositoryCatalogData>, BTreeMap<String, String>), String> {
    let name = repo.repository_name().unwrap_or_default();
    let cat = match aws
        .ecr_public
        .get_repository_catalog_data()
        .repository_name(name)
        .send()
        .await
    {
        Ok(out) => out.catalog_data,
        Err(e)
            if is(
                &e,
                GetRepositoryCatalogDataError::is_repository_catalog_data_not_found_exception,
            ) =>
        {
            None
        }
        Err(e) => return Err(format!("GetRepositoryCatalogData: {}", public_text(&e))),
    };
    let arn = repo.repository_arn().unwrap_or_default();
    let tags = aws
        .ecr_public
        .list(arn)
        .await
        .map_err(|e| format!("ListTagsForResource: {e}"))?;
    Ok((cat, tags))
}

// ------------------------------------------------------------------------------------------
// `moved` from hashicorp/aws's aws_ecrpublic_repository (crate::moves has the translation)

/// This type's state for hashicorp/aws's `aws_ecrpublic_repository` state `src` (ECR Public: no region).
pub fn moved_from_aws(src: &crate::moves::Source<'_>) -> Result<Model, crate::moves::MoveError> {
    let r = crate::moves::public_repository::from_aws(src)?;
    let catalog = r.catalog_data.map(|c| CatalogData {
        description: c.description.into(),
        about_text: c.about_text.into(),
        usage_text: c.usage_text.into(),
        architectures: (!c.architectures.is_empty())
            .then_some(c.architectures)
            .into(),
        operating_systems: (!c.operating_systems.is_empty())
            .then_some(c.operating_systems)
            .into(),
        logo_image_blob: c.logo_image_blob.into(),
    });
    Ok(Model {
        id: Val::of(r.repository_name.clone()),
        repository_name: Val::of(r.repository_name),
        arn: r.arn.into(),
        registry_id: r.registry_id.into(),
        repository_uri: r.repository_uri.into(),
        catalog_data: Val::Known(catalog.into_iter().collect()),
        tags: (!r.tags.is_empty()).then_some(r.tags).into(),
        tags_all: Val::Known(r.tags_all),
        force_destroy: Val::Known(r.force_destroy),
        timeouts: match r.delete_timeout {
            Some(d) => Val::Known(Timeouts { delete: Val::of(d) }),
            None => Val::Null,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    fn diags_for(m: &Model) -> Diagnostics {
        let mut d = Diagnostics::new();
        EcrPublicRepository.validate(m, &mut d);
        d
    }

    fn paths(d: &Diagnostics) -> Vec<String> {
        d.0.iter()
            .filter_map(|x| x.attribute.as_ref().map(|p| p.to_string()))
            .collect()
    }

    fn seed_catalog() -> CatalogData {
        CatalogData {
            description: Val::of("A command-line tool"),
            about_text: Val::of("# my-tool\nDoes things."),
            usage_text: Val::of("docker run public.ecr.aws/my-org/my-tool"),
            architectures: Val::Known(vec!["ARM 64".into(), "x86-64".into()]),
            operating_systems: Val::Known(vec!["Linux".into()]),
            logo_image_blob: Val::Null,
        }
    }

    #[test]
    fn seed_example_is_valid() {
        let m = Model {
            repository_name: Val::of("my-org/my-tool"),
            catalog_data: Val::Known(vec![seed_catalog()]),
            ..Default::default()
        };
        let d = diags_for(&m);
        assert!(!d.has_errors(), "{:?}", d.0);
    }

    #[test]
    fn findings_point_at_the_catalog_attribute() {
        let cd = CatalogData {
            description: Val::of("x".repeat(catalog::DESCRIPTION_MAX + 1)),
            usage_text: Val::of("y".repeat(catalog::USAGE_TEXT_MAX + 1)),
            architectures: Val::Known(vec!["arm64".into(), "x86".into()]),
            operating_systems: Val::Known(vec!["Linux".into(), "macOS".into()]),
            logo_image_blob: Val::of("%%%"),
            ..Default::default()
        };
        let m = Model {
            repository_name: Val::of("My_Tool"),
            catalog_data: Val::Known(vec![cd]),
            ..Default::default()
        };
        let d = diags_for(&m);
        assert_eq!(
            paths(&d),
            vec![
                "repository_name",
                "catalog_data[0].description",
                "catalog_data[0].usage_text",
                "catalog_data[0].architectures",
                "catalog_data[0].operating_systems",
                "catalog_data[0].logo_image_blob"
            ]
        );
        assert!(
            d.0[3].detail.contains("Did you mean \"ARM 64\"?"),
            "{}",
            d.0[3].detail
        );
        assert!(d.0[1].detail.contains("at most 1024"), "{}", d.0[1].detail);
    }

    #[test]
    fn unknown_values_are_not_judged() {
        let cd = CatalogData {
            description: Val::Unknown,
            architectures: Val::Unknown,
            logo_image_blob: Val::Unknown,
            ..Default::default()
        };
        let m = Model {
            repository_name: Val::Unknown,
            catalog_data: Val::Known(vec![cd]),
            ..Default::default()
        };
        assert!(diags_for(&m).is_empty());
    }

    #[test]
    fn create_input_carries_what_is_configured() {
        let logo = base64::engine::general_purpose::STANDARD.encode(b"\x89PNG....");
        let cd = CatalogData {
            logo_image_blob: Val::of(logo),
            ..seed_catalog()
        };
        let input = catalog_input(Some(&cd), None).unwrap();
        assert_eq!(input.description(), Some("A command-line tool"));
        assert_eq!(input.architectures(), ["ARM 64", "x86-64"]);
        assert_eq!(input.operating_systems(), ["Linux"]);
        // The SDK base64-encodes blobs itself: we send the decoded bytes.
        assert_eq!(
            input.logo_image_blob().map(|b| b.as_ref()),
            Some(&b"\x89PNG...."[..])
        );
        let partial = catalog_input(
            Some(&CatalogData {
                description: Val::of("d"),
                ..Default::default()
            }),
            None,
        )
        .unwrap();
        assert_eq!(partial.about_text(), None);
        assert!(partial.architectures.is_none());
        assert!(partial.logo_image_blob().is_none());
    }

    #[test]
    fn update_input_clears_removed_arguments() {
        let prior = CatalogData {
            logo_image_blob: Val::of("AAAA"),
            ..seed_catalog()
        };
        let now = CatalogData {
            description: Val::of("new"),
            ..Default::default()
        };
        let input = catalog_input(Some(&now), Some(&prior)).unwrap();
        assert_eq!(input.description(), Some("new"));
        assert_eq!(input.about_text(), Some(""));
        assert_eq!(input.usage_text(), Some(""));
        assert_eq!(input.architectures.as_deref(), Some(&[][..]));
        assert_eq!(input.operating_systems.as_deref(), Some(&[][..]));
        assert_eq!(input.logo_image_blob().map(|b| b.as_ref().len()), Some(0));
        // Removing the whole block clears everything.
        let gone = catalog_input(None, Some(&prior)).unwrap();
        assert_eq!(gone.description(), Some(""));
        // A prior block without a logo does not send an empty logo.
        let no_logo = catalog_input(Some(&now), Some(&seed_catalog())).unwrap();
        assert!(no_logo.logo_image_blob().is_none());
    }

    #[test]
    fn remote_catalog_keeps_the_configured_shape() {
        let empty = RepositoryCatalogData::builder().description("").build();
        // No block configured, nothing remote: still no block.
        assert_eq!(
            catalog_from_remote(Some(&empty), &Val::Known(vec![])),
            Val::Known(vec![])
        );
        assert_eq!(catalog_from_remote(None, &Val::Null), Val::Known(vec![]));
        // Remote data without a block in state (import, or drift): a block appears.
        let remote = RepositoryCatalogData::builder()
            .description("A command-line tool")
            .architectures("x86-64")
            .architectures("ARM 64")
            .operating_systems("Linux")
            .logo_url("https://example/logo.png")
            .build();
        let got = catalog_from_remote(Some(&remote), &Val::Known(vec![]));
        let cd = &got.items()[0];
        assert_eq!(cd.description.str(), Some("A command-line tool"));
        assert_eq!(
            cd.architectures,
            Val::Known(vec!["ARM 64".to_string(), "x86-64".to_string()])
        );
        assert_eq!(cd.about_text, Val::Null);
        // The logo is not readable: kept from state; an explicit "" stays "".
        let prior = CatalogData {
            logo_image_blob: Val::of("AAAA"),
            about_text: Val::of(""),
            ..Default::default()
        };
        let got = catalog_from_remote(Some(&remote), &Val::Known(vec![prior]));
        assert_eq!(got.items()[0].logo_image_blob.str(), Some("AAAA"));
        assert_eq!(got.items()[0].about_text.str(), Some(""));
    }

    #[test]
    fn an_empty_block_stays_an_empty_block() {
        let prior = Val::Known(vec![CatalogData::default()]);
        assert_eq!(catalog_from_remote(None, &prior), prior);
        let input = catalog_input(Some(&CatalogData::default()), None).unwrap();
        assert_eq!(input, RepositoryCatalogDataInput::builder().build());
    }

    #[test]
    fn every_type_name_maps_to_this_provider() {
        // Terraform picks the provider by the prefix before the first underscore.
        let resources = crate::resources::all();
        let data_sources = crate::data_sources::all();
        let names: Vec<&str> = resources
            .iter()
            .map(|r| r.type_name())
            .chain(data_sources.iter().map(|d| d.type_name()))
            .collect();
        for expected in [
            "ecr_public_repository",
            "ecr_public_repository_policy",
            "ecr_public_authorization_token",
        ] {
            assert!(
                names.contains(&expected),
                "{expected} is not registered: {names:?}"
            );
        }
        assert!(names.iter().all(|n| n.starts_with("ecr_")), "{names:?}");
    }
}
