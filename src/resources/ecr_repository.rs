//! `ecr_repository`: a private ECR repository.

use std::collections::BTreeMap;
use std::time::Duration;

use aws_sdk_ecr::operation::create_repository::CreateRepositoryError;
use aws_sdk_ecr::operation::delete_repository::DeleteRepositoryError;
use aws_sdk_ecr::operation::describe_repositories::DescribeRepositoriesError;
use aws_sdk_ecr::types::{
    DescribeImagesFilter, EncryptionConfiguration, EncryptionType, ImageScanningConfiguration,
    ImageStatusFilter, ImageTagMutability, ImageTagMutabilityExclusionFilter,
    ImageTagMutabilityExclusionFilterType, Repository,
};
use serde::{Deserialize, Serialize};

use super::common::{
    adopt_if_leftover, force_at_delete, merged_tags, own_tags, retry_while_not_found,
    wait_until_gone, Existing, GONE_POLL,
};
use super::cross;
use super::identity;
use crate::aws::errors::{self, is};
use crate::aws::tags::{self, TagApi};
use crate::aws::AwsClients;
use crate::framework::validate::{self, OneOf};
use crate::framework::IdentitySchema;
use crate::framework::{
    hints, import, AttrPath, Attribute, Block, Ctx, Diagnostics, NestedBlock, Plan, Resource,
    Schema, Siblings, Val,
};
use crate::posture;
use crate::repository::{self, ENCRYPTION};
use crate::shared::mutability::FilterRef;
use crate::shared::{self, validators::RepositoryName};

pub struct EcrRepository;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Model {
    pub id: Val<String>,
    pub name: Val<String>,
    pub arn: Val<String>,
    pub registry_id: Val<String>,
    pub repository_url: Val<String>,
    pub image_tag_mutability: Val<String>,
    pub image_tag_mutability_exclusion_filter: Val<Vec<ExclusionFilter>>,
    pub image_scanning_configuration: Val<Vec<Scanning>>,
    pub encryption_configuration: Val<Vec<Encryption>>,
    pub tags: Val<BTreeMap<String, String>>,
    pub tags_all: Val<BTreeMap<String, String>>,
    pub force_delete: Val<bool>,
    pub posture_ignore: Val<Vec<String>>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct ExclusionFilter {
    pub filter: Val<String>,
    pub filter_type: Val<String>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Scanning {
    pub scan_on_push: Val<bool>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Encryption {
    pub encryption_type: Val<String>,
    pub kms_key: Val<String>,
}

/// The identity (`import { identity = { … } }`, Terraform ≥ 1.12), as hashicorp/aws names it
/// where it has one: account, region and `name`.
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Identity {
    pub account_id: Val<String>,
    pub region: Val<String>,
    pub name: Val<String>,
}

#[async_trait::async_trait]
impl Resource for EcrRepository {
    type Model = Model;
    type Provider = AwsClients;
    type Identity = Identity;

    fn type_name(&self) -> &'static str {
        "ecr_repository"
    }

    fn identity_schema(&self) -> IdentitySchema {
        identity::regional(&[("name", "The repository name.")])
    }

    fn identity(&self, m: &Model, aws: &AwsClients) -> Identity {
        Identity {
            account_id: identity::account(&m.registry_id, aws),
            region: identity::region(aws),
            name: m.name.clone(),
        }
    }

    fn import_id(&self, i: &Identity, aws: &AwsClients, diags: &mut Diagnostics) -> Option<String> {
        if !identity::check_scope(&i.account_id, Some(&i.region), aws, diags) {
            return None;
        }
        identity::required(&i.name, "name", diags).map(str::to_string)
    }

    /// `force_delete = false` is the default: left out of generated configuration.
    fn generate_config(&self, mut state: Model) -> Model {
        if state.force_delete == Val::Known(false) {
            state.force_delete = Val::Null;
        }
        state
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new("A private Amazon ECR repository.\n\nPlan shows best-practice warnings for it (`ECR-P001` mutable tags, `ECR-P002` no scanning, `ECR-P003` AES256 encryption, `ECR-P004` no lifecycle policy); see [posture checks](../posture-checks.md).\n\nIf the name is already taken when the repository is created, the provider adopts the existing repository (with a warning) only when it is most likely left over from an interrupted apply: it holds no images, was created less than an hour ago and has the planned encryption; its tag mutability, scanning and tags are then set as configured. Otherwise the create fails, saying why, with the `terraform import` command to use.")
                .attr(Attribute::string("id").computed().use_state_for_unknown().description("The repository name."))
                .attr(Attribute::string("name").required().requires_replace().description("Repository name, 2–256 characters: lowercase letters and digits separated by `.`, `_`, `__`, runs of `-`, and `/` for namespaces. Checked at `terraform validate`."))
                .attr(Attribute::string("arn").computed().use_state_for_unknown().description("Repository ARN."))
                .attr(Attribute::string("registry_id").computed().use_state_for_unknown().description("Account id of the registry holding the repository."))
                .attr(Attribute::string("repository_url").computed().use_state_for_unknown().description("URL to `docker push` to: `<account>.dkr.ecr.<region>.amazonaws.com/<name>`."))
                .attr(Attribute::string("image_tag_mutability").optional().computed().default_string("MUTABLE").description("`MUTABLE` (default), `IMMUTABLE`, `IMMUTABLE_WITH_EXCLUSION` or `MUTABLE_WITH_EXCLUSION`. The `*_WITH_EXCLUSION` modes need at least one `image_tag_mutability_exclusion_filter`. Updated in place."))
                .attr(Attribute::string_map("tags").optional().description("Tags for the repository, merged over the provider's `default_tags`."))
                .attr(Attribute::string_map("tags_all").computed().description("All tags on the repository, including the provider's `default_tags`."))
                .attr(Attribute::string_set("posture_ignore").optional().description("Posture check ids to silence for this repository, e.g. `[\"ECR-P003\"]` (see [posture checks](../posture-checks.md)). The provider's `posture_checks` sets how the others are reported."))
                .attr(Attribute::bool("force_delete").optional().computed().default_bool(false).description("Delete the repository even if it still holds images (default `false`). Taken from the configuration at destroy time, even if it was added just before `terraform destroy`."))
                .block(
                    NestedBlock::list(
                        "image_tag_mutability_exclusion_filter",
                        Block::new("Tags exempt from the repository's mutability setting (1–5 filters, only with a `*_WITH_EXCLUSION` mode).")
                            .attr(Attribute::string("filter").required().description("Tag filter: 1–128 characters of `a-z A-Z 0-9 . _ - *`, at most two `*` wildcards."))
                            .attr(Attribute::string("filter_type").optional().computed().default_string("WILDCARD").description("`WILDCARD` (the only type; default).")),
                    )
                    .max(5),
                )
                .block(
                    NestedBlock::list(
                        "image_scanning_configuration",
                        Block::new("Repository-level basic scanning. Updated in place. AWS ignores it when registry scanning is ENHANCED: when an [`ecr_registry_scanning_configuration`](ecr_registry_scanning_configuration.md) in the same configuration sets `scan_type = \"ENHANCED\"`, `plan` warns on `scan_on_push = true`.")
                            .attr(Attribute::bool("scan_on_push").required().description("Scan each image when it is pushed.")),
                    )
                    .max(1),
                )
                .block(
                    NestedBlock::list(
                        "encryption_configuration",
                        Block::new("Encryption at rest.")
                            .attr(Attribute::string("encryption_type").optional().computed().use_state_for_unknown().description("`AES256` (default), `KMS` or `KMS_DSSE`."))
                            .attr(Attribute::string("kms_key").optional().computed().use_state_for_unknown().description("KMS key ARN for `KMS`/`KMS_DSSE`; AWS uses the `aws/ecr` managed key when unset.")),
                    )
                    .max(1)
                    .requires_replace(),
                ),
        )
    }

    fn docs(&self) -> crate::framework::Docs {
        crate::framework::Docs {
            notes: "## Behaviour

- Creation is eventually consistent in AWS: the provider retries reads for up to 2 minutes after
  `CreateRepository` and waits for deletion to finish on destroy.
- Deleted outside Terraform: removed from state, the next plan creates it again. Changed outside
  Terraform (mutability, scanning, tags, encryption): the plan shows the difference.
- Omitting `image_scanning_configuration` or `encryption_configuration` never shows a diff against
  AWS's defaults (scan on push off, AES256).
- `force_delete` counts at destroy time even when it was added just before `terraform destroy`:
  Terraform does not send the configuration to a delete, so the provider carries the value over
  from the refresh plan of the same command."
                .into(),
            import: Some(crate::framework::ImportDocs {
                id: "Import with the repository name.",
                example: "my-org/app",
            }),
            ..Default::default()
        }
    }

    fn validate(&self, c: &Model, diags: &mut Diagnostics) {
        validate::check(diags, &AttrPath::attr("name"), &c.name, &[&RepositoryName]);
        let filters: Option<Vec<FilterRef>> =
            c.image_tag_mutability_exclusion_filter.known().map(|fs| {
                fs.iter()
                    .map(|f| FilterRef {
                        filter: &f.filter,
                        filter_type: &f.filter_type,
                    })
                    .collect()
            });
        shared::mutability::check(&c.image_tag_mutability, filters.as_deref(), diags);
        shared::posture::validate_ignore(c.posture_ignore.items(), "posture_ignore", diags);
        for (i, e) in c.encryption_configuration.items().iter().enumerate() {
            let p = AttrPath::attr("encryption_configuration").then_index(i);
            validate::check(
                diags,
                &p.clone().then_attr("encryption_type"),
                &e.encryption_type,
                &[&OneOf(ENCRYPTION)],
            );
            if e.kms_key.is_known()
                && e.encryption_type.str().is_none_or(|t| t == "AES256")
                && !e.encryption_type.is_unknown()
            {
                diags.attr_warning(
                    p.then_attr("kms_key"),
                    "kms_key needs KMS encryption",
                    "kms_key is only used with encryption_type = \"KMS\" or \"KMS_DSSE\"; AWS may refuse it with AES256.",
                );
            }
        }
    }

    fn modify_plan(
        &self,
        plan: &mut Plan<Model>,
        provider: Option<&AwsClients>,
        diags: &mut Diagnostics,
    ) {
        // Posture checks need the provider's mode; skipped while the provider is not configured.
        if let Some(aws) = provider {
            let mut findings = posture::repository_findings(&posture_facts(
                &plan.config,
                cross::registry_scanning_seen(&plan.siblings),
            ));
            findings.extend(lifecycle_policy_finding(plan));
            shared::posture::report(
                findings,
                aws.posture,
                plan.config.posture_ignore.items(),
                "ecr_repository",
                diags,
            );
        }
        let p = &mut plan.planned;
        let c = &plan.config;
        if let Val::Known(enc) = &mut p.encryption_configuration {
            for (i, e) in enc.iter_mut().enumerate() {
                let cfg = c.encryption_configuration.items().get(i);
                if cfg.is_none_or(|x| x.encryption_type.is_null()) && plan.prior.is_none() {
                    e.encryption_type = Val::of("AES256");
                }
                if e.encryption_type.str() == Some("AES256")
                    && cfg.is_none_or(|x| x.kms_key.is_null())
                {
                    e.kms_key = Val::Null;
                }
            }
        }
        let scan_on_push = p
            .image_scanning_configuration
            .items()
            .first()
            .and_then(|s| s.scan_on_push.known().copied());
        cross::repository_scan_on_push(
            &plan.siblings,
            p.name.str(),
            scan_on_push == Some(true),
            diags,
        );
        p.tags_all = match provider {
            Some(aws) => merged_tags(&aws.default_tags, &p.tags),
            None => Val::Unknown,
        };
        if let Some(prior) = &plan.prior {
            // Remember a force_delete the config sets differently from state, for `terraform destroy`.
            if let Some(name) = prior.name.str() {
                let configured = c.force_delete.known().copied().unwrap_or(false);
                let recorded = prior.force_delete.known().copied().unwrap_or(false);
                hints::record(
                    "force_delete",
                    name,
                    (configured != recorded).then_some(if configured { "true" } else { "false" }),
                );
            }
        } else {
            p.id = p.name.clone();
        }
    }

    async fn create(
        &self,
        ctx: &Ctx<AwsClients>,
        plan: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let aws = &ctx.provider;
        let name = plan.name.str().unwrap_or_default().to_string();
        let mut req = aws
            .ecr
            .create_repository()
            .repository_name(&name)
            .image_tag_mutability(ImageTagMutability::from(
                plan.image_tag_mutability.str().unwrap_or("MUTABLE"),
            ));
        match exclusion_filters(&plan) {
            Ok(f) if !f.is_empty() => req = req.set_image_tag_mutability_exclusion_filters(Some(f)),
            Ok(_) => {}
            Err(e) => {
                diags.attr_error(
                    AttrPath::attr("image_tag_mutability_exclusion_filter"),
                    "Invalid exclusion filter",
                    e,
                );
                return None;
            }
        }
        if let Some(s) = plan.image_scanning_configuration.items().first() {
            req = req.image_scanning_configuration(
                ImageScanningConfiguration::builder()
                    .scan_on_push(s.scan_on_push.or(false))
                    .build(),
            );
        }
        if let Some(e) = plan.encryption_configuration.items().first() {
            let mut b = EncryptionConfiguration::builder().encryption_type(EncryptionType::from(
                e.encryption_type.str().unwrap_or("AES256"),
            ));
            if let Some(k) = e.kms_key.str() {
                b = b.kms_key(k);
            }
            match b.build() {
                Ok(enc) => req = req.encryption_configuration(enc),
                Err(err) => {
                    diags.attr_error(
                        AttrPath::attr("encryption_configuration"),
                        "Invalid encryption configuration",
                        err.to_string(),
                    );
                    return None;
                }
            }
        }
        let tags = plan.tags_all.known().cloned().unwrap_or_default();
        if !tags.is_empty() {
            req = req.set_tags(Some(tags::ecr_tags(&tags)));
        }
        if let Err(e) = req.send().await {
            if is(
                &e,
                CreateRepositoryError::is_repository_already_exists_exception,
            ) {
                return self.adopt(ctx, plan, diags).await;
            }
            diags.error(
                format!("Creating ECR repository {name:?} failed"),
                errors::text(&e),
            );
            return None;
        }
        // From here the repository exists: always return state, even if reading it back fails.
        let mut state = plan.clone();
        state.id = Val::of(name.clone());
        let found = retry_while_not_found(&ctx.stop, Duration::from_secs(120), || {
            describe_repository(aws, &name)
        })
        .await;
        match found {
            Ok(Some(repo)) => {
                let remote_tags = match aws
                    .ecr
                    .list(repo.repository_arn().unwrap_or_default())
                    .await
                {
                    Ok(t) => t,
                    Err(e) => {
                        diags.warning("Reading repository tags failed", e);
                        tags
                    }
                };
                apply_remote(&mut state, &repo, &remote_tags, &aws.default_tags);
            }
            Ok(None) => diags.error(
                format!("ECR repository {name:?} was created but never became visible"),
                "DescribeRepositories kept answering RepositoryNotFound for 2 minutes.",
            ),
            Err(e) => diags.error(
                format!("Reading ECR repository {name:?} after creation failed"),
                e,
            ),
        }
        finalize(&mut state, &plan);
        Some(state)
    }

    async fn read(
        &self,
        ctx: &Ctx<AwsClients>,
        state: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let next = refresh(&ctx.provider, state, false, diags).await?;
        check_lifecycle_policy(&ctx.provider, &ctx.siblings, &next).await;
        Some(next)
    }

    async fn update(
        &self,
        ctx: &Ctx<AwsClients>,
        prior: Model,
        plan: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let aws = &ctx.provider;
        let name = prior.name.str().unwrap_or_default().to_string();
        let mut state = prior.clone();
        state.force_delete = plan.force_delete.clone();

        if prior.image_tag_mutability != plan.image_tag_mutability
            || prior.image_tag_mutability_exclusion_filter
                != plan.image_tag_mutability_exclusion_filter
        {
            let filters = match exclusion_filters(&plan) {
                Ok(f) => f,
                Err(e) => {
                    diags.attr_error(
                        AttrPath::attr("image_tag_mutability_exclusion_filter"),
                        "Invalid exclusion filter",
                        e,
                    );
                    return Some(state);
                }
            };
            let mut req = aws
                .ecr
                .put_image_tag_mutability()
                .repository_name(&name)
                .image_tag_mutability(ImageTagMutability::from(
                    plan.image_tag_mutability.str().unwrap_or("MUTABLE"),
                ));
            if !filters.is_empty() {
                req = req.set_image_tag_mutability_exclusion_filters(Some(filters));
            }
            if let Err(e) = req.send().await {
                diags.attr_error(
                    AttrPath::attr("image_tag_mutability"),
                    format!("Updating tag mutability of {name:?} failed"),
                    errors::text(&e),
                );
                return Some(state);
            }
            state.image_tag_mutability = plan.image_tag_mutability.clone();
            state.image_tag_mutability_exclusion_filter =
                plan.image_tag_mutability_exclusion_filter.clone();
        }

        if prior.image_scanning_configuration != plan.image_scanning_configuration {
            let scan = plan
                .image_scanning_configuration
                .items()
                .first()
                .map(|s| s.scan_on_push.or(false))
                .unwrap_or(false);
            let res = aws
                .ecr
                .put_image_scanning_configuration()
                .repository_name(&name)
                .image_scanning_configuration(
                    ImageScanningConfiguration::builder()
                        .scan_on_push(scan)
                        .build(),
                )
                .send()
                .await;
            if let Err(e) = res {
                diags.attr_error(
                    AttrPath::attr("image_scanning_configuration"),
                    format!("Updating scanning of {name:?} failed"),
                    errors::text(&e),
                );
                return Some(state);
            }
            state.image_scanning_configuration = plan.image_scanning_configuration.clone();
        }

        if prior.tags_all != plan.tags_all || prior.tags != plan.tags {
            let arn = prior.arn.str().unwrap_or_default().to_string();
            let old = prior.tags_all.known().cloned().unwrap_or_default();
            let new = plan.tags_all.known().cloned().unwrap_or_default();
            if let Err(e) = tags::sync(&aws.ecr, &arn, &old, &new).await {
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
        refresh(aws, state.clone(), true, diags)
            .await
            .or(Some(state))
    }

    async fn delete(&self, ctx: &Ctx<AwsClients>, state: Model, diags: &mut Diagnostics) {
        let aws = &ctx.provider;
        let name = state.name.str().unwrap_or_default().to_string();
        let force = force_at_delete("force_delete", &name, state.force_delete.or(false));
        let res = aws
            .ecr
            .delete_repository()
            .repository_name(&name)
            .force(force)
            .send()
            .await;
        match res {
            Ok(_) => {}
            Err(e) if is(&e, DeleteRepositoryError::is_repository_not_found_exception) => {}
            Err(e) if is(&e, DeleteRepositoryError::is_repository_not_empty_exception) => {
                diags.attr_error(
                    AttrPath::attr("force_delete"),
                    format!("ECR repository {name:?} still holds images"),
                    format!("{}\n\nSet force_delete = true to delete the repository together with its images.", errors::text(&e)),
                );
                return;
            }
            Err(e) => {
                diags.error(
                    format!("Deleting ECR repository {name:?} failed"),
                    errors::text(&e),
                );
                return;
            }
        }
        hints::record("force_delete", &name, None);
        wait_until_gone(&ctx.stop, GONE_POLL, || async {
            describe_repository(aws, &name).await.map(|r| r.is_some())
        })
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
            &["id", "name"],
            repository::check_name(id),
            "<repository-name>",
            diags,
        )
    }
}

impl EcrRepository {
    /// CreateRepository said the name is taken: adopt the repository only if it is what our own
    /// CreateRepository would have made — the leftover of an apply interrupted after AWS created
    /// it (see `common::adoption_verdict`) — otherwise fail with the reasons and the import
    /// command. A leftover matches the plan in every setting, since one call set them all.
    async fn adopt(
        &self,
        ctx: &Ctx<AwsClients>,
        plan: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let aws = &ctx.provider;
        let name = plan.name.str().unwrap_or_default().to_string();
        let read = async {
            let Some(repo) = describe_repository(aws, &name).await? else {
                return Ok(None);
            };
            let holds_images = holds_images(aws, &name).await?;
            let tags = aws
                .ecr
                .list(repo.repository_arn().unwrap_or_default())
                .await?;
            // What AWS holds, as state would record it.
            let mut current = plan.clone();
            apply_remote(&mut current, &repo, &tags, &aws.default_tags);
            finalize(&mut current, &plan);
            let existing = Existing {
                holds_images,
                created_at: repo.created_at().map(|t| t.secs()),
                mismatches: settings_mismatches(&plan, &current),
            };
            Ok(Some((existing, current)))
        };
        adopt_if_leftover(diags, "ECR repository", "ecr_repository", &name, read).await
    }
}

/// Where the existing repository (`current`, read from AWS) differs from what CreateRepository
/// would have made for `plan`, each as a readable phrase; empty when it is identical.
fn settings_mismatches(plan: &Model, current: &Model) -> Vec<String> {
    let mut out = Vec::new();
    let mutability = |m: &Model| {
        m.image_tag_mutability
            .str()
            .unwrap_or("MUTABLE")
            .to_string()
    };
    if mutability(plan) != mutability(current) {
        out.push(format!(
            "image_tag_mutability {} differs from planned {}",
            mutability(current),
            mutability(plan)
        ));
    }
    let filters = |m: &Model| {
        let mut f: Vec<(String, String)> = m
            .image_tag_mutability_exclusion_filter
            .items()
            .iter()
            .map(|f| {
                let t = f.filter_type.str().unwrap_or("WILDCARD");
                (
                    t.to_string(),
                    f.filter.str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        f.sort();
        f
    };
    if filters(plan) != filters(current) {
        out.push("its image tag mutability exclusion filters differ from the planned ones".into());
    }
    let scan = |m: &Model| {
        m.image_scanning_configuration
            .items()
            .first()
            .is_some_and(|s| s.scan_on_push.or(false))
    };
    if scan(plan) != scan(current) {
        out.push(format!(
            "scan_on_push {} differs from planned {}",
            scan(current),
            scan(plan)
        ));
    }
    out.extend(encryption_mismatch(plan, current));
    if let (Some(want), Some(have)) = (plan.tags_all.known(), current.tags_all.known()) {
        if want != have {
            out.push(format!(
                "its tags {} differ from the planned {}",
                show_tags(have),
                show_tags(want)
            ));
        }
    }
    out
}

/// Why the existing repository's encryption (`current`, read back) rules out adopting it for
/// `plan`; `None` when it matches. An unset planned `kms_key` accepts AWS's choice of key.
fn encryption_mismatch(plan: &Model, current: &Model) -> Option<String> {
    let enc = |m: &Model| {
        let e = m.encryption_configuration.items().first();
        (
            e.and_then(|e| e.encryption_type.str())
                .unwrap_or("AES256")
                .to_string(),
            e.and_then(|e| e.kms_key.str()).map(str::to_string),
        )
    };
    let ((want_type, want_key), (have_type, have_key)) = (enc(plan), enc(current));
    if want_type != have_type {
        return Some(format!(
            "encryption {have_type} differs from planned {want_type}"
        ));
    }
    let want_key = want_key?;
    let have_key = have_key.unwrap_or_else(|| "(none)".into());
    (want_key != have_key)
        .then(|| format!("encryption KMS key {have_key} differs from planned {want_key}"))
}

fn show_tags(t: &BTreeMap<String, String>) -> String {
    let pairs: Vec<String> = t.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{{{}}}", pairs.join(", "))
}

/// Whether the repository holds any image (any status); one call, one result at most.
async fn holds_images(aws: &AwsClients, name: &str) -> Result<bool, String> {
    let out = aws
        .ecr
        .describe_images()
        .repository_name(name)
        .filter(
            DescribeImagesFilter::builder()
                .image_status(ImageStatusFilter::Any)
                .build(),
        )
        .max_results(1)
        .send()
        .await
        .map_err(|e| format!("DescribeImages: {}", errors::text(&e)))?;
    Ok(!out.image_details().is_empty())
}

/// Reads the repository back from AWS into `state`; `None` when it is gone (or on an error).
/// `fresh`: after a change, bypass the per-walk snapshot (it may predate the change).
async fn refresh(
    aws: &AwsClients,
    state: Model,
    fresh: bool,
    diags: &mut Diagnostics,
) -> Option<Model> {
    let name = state
        .name
        .str()
        .or(state.id.str())
        .unwrap_or_default()
        .to_string();
    let found = if fresh {
        aws.repositories.get_fresh(&name).await
    } else {
        aws.repositories.get(&name).await
    };
    match found {
        Ok(Some(repo)) => {
            let tags = match aws
                .ecr
                .list(repo.repository_arn().unwrap_or_default())
                .await
            {
                Ok(t) => t,
                Err(e) => {
                    diags.error(format!("Reading tags of ECR repository {name:?} failed"), e);
                    return None;
                }
            };
            let mut next = state.clone();
            apply_remote(&mut next, &repo, &tags, &aws.default_tags);
            finalize(&mut next, &state);
            Some(next)
        }
        Ok(None) => {
            tracing::info!(repository = %name, "repository no longer exists; removing from state");
            None
        }
        Err(e) => {
            diags.error(format!("Reading ECR repository {name:?} failed"), e);
            None
        }
    }
}

/// What the ECR-P001..P003 checks look at, from the configuration (unknown values skip a check).
/// `registry_scanning`: whether registry-level scanning was planned in this walk (siblings).
fn posture_facts(c: &Model, registry_scanning: bool) -> posture::RepositoryFacts<'_> {
    let scan_on_push = match &c.image_scanning_configuration {
        Val::Known(v) => match v.first() {
            None => Some(false),
            Some(s) => match s.scan_on_push {
                Val::Known(b) => Some(b),
                Val::Null => Some(false),
                Val::Unknown => None,
            },
        },
        _ => None,
    };
    let encryption_type = match &c.encryption_configuration {
        Val::Known(v) => match v.first() {
            None => Some("AES256"),
            Some(e) => match &e.encryption_type {
                Val::Known(t) => Some(t.as_str()),
                Val::Null => Some("AES256"),
                Val::Unknown => None,
            },
        },
        _ => None,
    };
    posture::RepositoryFacts {
        name: c.name.str().unwrap_or_default(),
        mutability: match &c.image_tag_mutability {
            Val::Known(m) => Some(m.as_str()),
            Val::Null => Some("MUTABLE"),
            Val::Unknown => None,
        },
        scan_on_push,
        registry_scanning,
        encryption_type,
    }
}

/// ECR-P004, first half, at refresh: one GetLifecyclePolicy call, only when the check is
/// enabled (by the provider's mode and the state's `posture_ignore`). A repository without a
/// policy is noted for the plan that follows, which reports it with the configuration's
/// `posture_ignore` (so it can be silenced, even in `error` mode).
async fn check_lifecycle_policy(aws: &AwsClients, siblings: &Siblings, m: &Model) {
    if aws.posture == posture::Mode::Off
        || m.posture_ignore
            .items()
            .iter()
            .any(|i| i == posture::NO_LIFECYCLE_POLICY.id)
    {
        return;
    }
    let Some(name) = m.name.str() else { return };
    match aws.lifecycle_policies.prefetch(name).await {
        Ok(true) => {}
        Ok(false) => cross::no_lifecycle_policy_at_refresh(siblings, name),
        Err(e) => {
            tracing::debug!(repository = %name, error = %e, "GetLifecyclePolicy for posture check failed; check skipped")
        }
    }
}

/// ECR-P004, second half, at the plan of an existing repository (see `cross`).
fn lifecycle_policy_finding(plan: &Plan<Model>) -> Option<posture::Finding> {
    let name = plan.prior.as_ref()?.name.str()?;
    cross::missing_lifecycle_policy(&plan.siblings, name)
}

/// Copies what AWS reports into `m`, keeping the configuration's shape where AWS only echoes a
/// default (no block in config + AWS default = still no block), so there is never a false diff.
fn apply_remote(
    m: &mut Model,
    repo: &Repository,
    tags: &BTreeMap<String, String>,
    defaults: &BTreeMap<String, String>,
) {
    m.id = Val::of(repo.repository_name().unwrap_or_default());
    m.name = Val::of(repo.repository_name().unwrap_or_default());
    m.arn = Val::of(repo.repository_arn().unwrap_or_default());
    m.registry_id = Val::of(repo.registry_id().unwrap_or_default());
    m.repository_url = Val::of(repo.repository_uri().unwrap_or_default());
    m.image_tag_mutability = Val::of(
        repo.image_tag_mutability()
            .map(|x| x.as_str())
            .unwrap_or("MUTABLE"),
    );
    let filters: Vec<ExclusionFilter> = repo
        .image_tag_mutability_exclusion_filters()
        .iter()
        .map(|f| ExclusionFilter {
            filter: Val::of(f.filter()),
            filter_type: Val::of(f.filter_type().as_str()),
        })
        .collect();
    m.image_tag_mutability_exclusion_filter = Val::Known(filters);

    let scan = repo
        .image_scanning_configuration()
        .map(|s| s.scan_on_push())
        .unwrap_or(false);
    if !m.image_scanning_configuration.items().is_empty() || scan {
        m.image_scanning_configuration = Val::Known(vec![Scanning {
            scan_on_push: Val::Known(scan),
        }]);
    }

    let (etype, key) = repo
        .encryption_configuration()
        .map(|e| {
            (
                e.encryption_type().as_str().to_string(),
                e.kms_key().map(str::to_string),
            )
        })
        .unwrap_or_else(|| ("AES256".into(), None));
    if !m.encryption_configuration.items().is_empty() || etype != "AES256" {
        m.encryption_configuration = Val::Known(vec![Encryption {
            encryption_type: Val::of(etype),
            kms_key: key.into(),
        }]);
    }

    m.tags = own_tags(tags, defaults, &m.tags);
    m.tags_all = Val::Known(tags.clone());
}

/// Values that are ours, not AWS's: keep them from the plan or state.
fn finalize(m: &mut Model, from: &Model) {
    m.force_delete = Val::Known(from.force_delete.or(false));
    if m.image_tag_mutability_exclusion_filter.is_null() {
        m.image_tag_mutability_exclusion_filter = Val::Known(vec![]);
    }
}

fn exclusion_filters(m: &Model) -> Result<Vec<ImageTagMutabilityExclusionFilter>, String> {
    m.image_tag_mutability_exclusion_filter
        .items()
        .iter()
        .map(|f| {
            ImageTagMutabilityExclusionFilter::builder()
                .filter(f.filter.str().unwrap_or_default())
                .filter_type(ImageTagMutabilityExclusionFilterType::from(
                    f.filter_type.str().unwrap_or("WILDCARD"),
                ))
                .build()
                .map_err(|e| e.to_string())
        })
        .collect()
}

/// `Ok(None)` when the repository does not exist.
pub async fn describe_repository(
    aws: &AwsClients,
    name: &str,
) -> Result<Option<Repository>, String> {
    match aws
        .ecr
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
        Err(e) => Err(errors::text(&e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diags_for(m: &Model) -> Diagnostics {
        let mut d = Diagnostics::new();
        EcrRepository.validate(m, &mut d);
        d
    }

    #[test]
    fn repository_names() {
        let d = diags_for(&Model {
            name: Val::of("a"),
            ..Default::default()
        });
        assert!(d.has_errors());
        assert_eq!(d.0[0].attribute, Some(AttrPath::attr("name")));
    }

    #[test]
    fn exclusion_filters_need_an_exclusion_mode() {
        let f = ExclusionFilter {
            filter: Val::of("latest*"),
            filter_type: Val::Null,
        };
        let m = Model {
            name: Val::of("app"),
            image_tag_mutability: Val::of("MUTABLE"),
            image_tag_mutability_exclusion_filter: Val::Known(vec![f.clone()]),
            ..Default::default()
        };
        let d = diags_for(&m);
        // AWS documents no refusal of the combination (the rule is the CDK's): a warning.
        assert!(!d.has_errors());
        assert!(d
            .0
            .iter()
            .any(|x| x.attribute == Some(AttrPath::attr("image_tag_mutability_exclusion_filter"))));
        let ok = Model {
            image_tag_mutability: Val::of("IMMUTABLE_WITH_EXCLUSION"),
            ..m.clone()
        };
        assert!(!diags_for(&ok).has_errors());
        let missing = Model {
            image_tag_mutability_exclusion_filter: Val::Known(vec![]),
            ..ok.clone()
        };
        let d = diags_for(&missing);
        assert!(!d.has_errors() && !d.is_empty());
        let unknown_mode = Model {
            image_tag_mutability: Val::Unknown,
            ..m
        };
        assert!(!diags_for(&unknown_mode).has_errors());
    }

    #[test]
    fn bad_filters_point_at_the_filter() {
        let m = Model {
            name: Val::of("app"),
            image_tag_mutability: Val::of("IMMUTABLE_WITH_EXCLUSION"),
            image_tag_mutability_exclusion_filter: Val::Known(vec![
                ExclusionFilter {
                    filter: Val::of("bad filter!"),
                    filter_type: Val::Null,
                },
                ExclusionFilter {
                    filter: Val::of("a*b*c*"),
                    filter_type: Val::of("REGEX"),
                },
            ]),
            ..Default::default()
        };
        let d = diags_for(&m);
        let paths: Vec<String> =
            d.0.iter()
                .filter_map(|x| x.attribute.as_ref().map(|p| p.to_string()))
                .collect();
        assert!(
            paths.contains(&"image_tag_mutability_exclusion_filter[0].filter".to_string()),
            "{paths:?}"
        );
        assert!(
            paths.contains(&"image_tag_mutability_exclusion_filter[1].filter".to_string()),
            "{paths:?}"
        );
        assert!(
            paths.contains(&"image_tag_mutability_exclusion_filter[1].filter_type".to_string()),
            "{paths:?}"
        );
    }

    #[test]
    fn posture_facts_read_aws_defaults_from_an_empty_configuration() {
        let m = Model {
            name: Val::of("app"),
            image_scanning_configuration: Val::Known(vec![]),
            encryption_configuration: Val::Known(vec![]),
            ..Default::default()
        };
        let ids: Vec<&str> = posture::repository_findings(&posture_facts(&m, false))
            .iter()
            .map(|f| f.check.id)
            .collect();
        assert_eq!(ids, ["ECR-P001", "ECR-P002", "ECR-P003"]);
        let with_registry_scanning: Vec<&str> =
            posture::repository_findings(&posture_facts(&m, true))
                .iter()
                .map(|f| f.check.id)
                .collect();
        assert_eq!(with_registry_scanning, ["ECR-P001", "ECR-P003"]);
        let hardened = Model {
            image_tag_mutability: Val::of("IMMUTABLE_WITH_EXCLUSION"),
            image_scanning_configuration: Val::Known(vec![Scanning {
                scan_on_push: Val::Known(true),
            }]),
            encryption_configuration: Val::Known(vec![Encryption {
                encryption_type: Val::of("KMS"),
                kms_key: Val::Null,
            }]),
            ..m.clone()
        };
        assert!(posture::repository_findings(&posture_facts(&hardened, false)).is_empty());
        // Unknown at plan time: the check is skipped, not guessed.
        let unknown = Model {
            image_tag_mutability: Val::Unknown,
            image_scanning_configuration: Val::Unknown,
            encryption_configuration: Val::Unknown,
            ..m
        };
        assert!(posture::repository_findings(&posture_facts(&unknown, false)).is_empty());
    }

    #[test]
    fn missing_lifecycle_policy_is_reported_at_plan_after_refresh() {
        let state = Model {
            name: Val::of("app"),
            ..Default::default()
        };
        let plan = Plan {
            prior: Some(state.clone()),
            config: state.clone(),
            planned: state.clone(),
            requires_replace: vec![],
            siblings: Default::default(),
        };
        assert!(
            lifecycle_policy_finding(&plan).is_none(),
            "nothing refreshed yet"
        );
        cross::no_lifecycle_policy_at_refresh(&plan.siblings, "app");
        assert_eq!(
            lifecycle_policy_finding(&plan).map(|f| f.check.id),
            Some("ECR-P004")
        );
        let create = Plan {
            prior: None,
            ..plan
        };
        assert!(
            lifecycle_policy_finding(&create).is_none(),
            "a new repository is not checked"
        );
        let plan = Plan {
            prior: Some(state.clone()),
            ..create
        };
        cross::lifecycle_policy_planned(&plan.siblings, "app");
        assert!(
            lifecycle_policy_finding(&plan).is_none(),
            "a policy planned before it silences it"
        );
    }

    #[test]
    fn adoption_needs_every_setting_to_match() {
        let tags = |pairs: &[(&str, &str)]| {
            Val::Known(
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect::<BTreeMap<_, _>>(),
            )
        };
        let plan = Model {
            image_tag_mutability: Val::of("IMMUTABLE"),
            image_scanning_configuration: Val::Known(vec![Scanning {
                scan_on_push: Val::Known(true),
            }]),
            tags_all: tags(&[("team", "a")]),
            ..Default::default()
        };
        assert!(settings_mismatches(&plan, &plan.clone()).is_empty());

        // Another workspace's new, empty repository with AWS's defaults and no tags.
        let other = Model {
            image_tag_mutability: Val::of("MUTABLE"),
            image_scanning_configuration: Val::Null,
            tags_all: tags(&[]),
            ..Default::default()
        };
        assert_eq!(
            settings_mismatches(&plan, &other),
            vec![
                "image_tag_mutability MUTABLE differs from planned IMMUTABLE".to_string(),
                "scan_on_push false differs from planned true".to_string(),
                "its tags {} differ from the planned {team=a}".to_string(),
            ]
        );
        let filtered = Model {
            image_tag_mutability_exclusion_filter: Val::Known(vec![ExclusionFilter {
                filter: Val::of("latest"),
                filter_type: Val::of("WILDCARD"),
            }]),
            ..plan.clone()
        };
        assert_eq!(
            settings_mismatches(&plan, &filtered),
            vec!["its image tag mutability exclusion filters differ from the planned ones"]
        );
    }

    #[test]
    fn encryption_mismatch_compares_type_and_a_planned_key() {
        let plan = |t: &str, k: Option<&str>| Model {
            encryption_configuration: Val::Known(vec![Encryption {
                encryption_type: Val::of(t),
                kms_key: k.map(str::to_string).into(),
            }]),
            ..Default::default()
        };
        // What AWS reports, read back the way adoption reads it (`None`: AWS omits the block).
        let read_back = |enc: Option<(&str, Option<&str>)>| {
            let repo = Repository::builder()
                .set_encryption_configuration(enc.map(|(t, k)| {
                    EncryptionConfiguration::builder()
                        .encryption_type(EncryptionType::from(t))
                        .set_kms_key(k.map(str::to_string))
                        .build()
                        .unwrap()
                }))
                .build();
            let mut m = Model::default();
            apply_remote(&mut m, &repo, &BTreeMap::new(), &BTreeMap::new());
            m
        };
        let remote = |t: &str, k: Option<&str>| read_back(Some((t, k)));
        // No block planned, none reported: AES256 both sides.
        assert_eq!(
            encryption_mismatch(&Model::default(), &read_back(None)),
            None
        );
        assert_eq!(
            encryption_mismatch(&Model::default(), &remote("KMS", Some("arn:k"))),
            Some("encryption KMS differs from planned AES256".into())
        );
        assert_eq!(
            encryption_mismatch(&plan("KMS", None), &remote("AES256", None)),
            Some("encryption AES256 differs from planned KMS".into())
        );
        // KMS without a planned key accepts AWS's key; a planned key must be the same.
        assert_eq!(
            encryption_mismatch(&plan("KMS", None), &remote("KMS", Some("arn:aws-ecr"))),
            None
        );
        assert_eq!(
            encryption_mismatch(&plan("KMS", Some("arn:k1")), &remote("KMS", Some("arn:k1"))),
            None
        );
        assert_eq!(
            encryption_mismatch(&plan("KMS", Some("arn:k1")), &remote("KMS", Some("arn:k2"))),
            Some("encryption KMS key arn:k2 differs from planned arn:k1".into())
        );
    }

    #[test]
    fn kms_key_needs_kms() {
        let m = Model {
            name: Val::of("app"),
            encryption_configuration: Val::Known(vec![Encryption {
                encryption_type: Val::of("AES256"),
                kms_key: Val::of("arn:aws:kms:x"),
            }]),
            ..Default::default()
        };
        let d = diags_for(&m);
        assert!(
            !d.has_errors() && d.0[0].detail.contains("AES256"),
            "{:?}",
            d.0
        );
    }
}
