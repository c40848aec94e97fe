//! `ecr_repository`: a private ECR repository.
//!
//! Here the resource itself: its model, schema, plan and API calls. Behind it: the plan-time
//! checks and posture findings ([`checks`]), what a read makes of AWS's answer ([`remote`]),
//! adopting what an interrupted create left behind ([`adopt`]) and a `moved` block from
//! hashicorp/aws's `aws_ecr_repository` ([`moved`]).

mod adopt;
mod checks;
mod moved;
mod remote;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::time::Duration;

use aws_sdk_ecr::operation::create_repository::CreateRepositoryError;
use aws_sdk_ecr::operation::delete_repository::DeleteRepositoryError;
use aws_sdk_ecr::types::{
    EncryptionConfiguration, EncryptionType, ImageScanningConfiguration, ImageTagMutability,
};
use serde::{Deserialize, Serialize};

use self::checks::{check_lifecycle_policy, lifecycle_policy_finding, posture_facts};
use self::remote::{apply_remote, describe_repository, exclusion_filters, finalize, refresh};
use super::common::{force_at_delete, merged_tags, retry_while_not_found, wait_for_deletion};
use super::cross;
use super::identity;
use crate::aws::errors::{self, is};
use crate::aws::tags::{self, TagApi};
use crate::aws::AwsClients;
use crate::framework::IdentitySchema;
use crate::framework::{
    hints, import, AttrPath, Attribute, Block, Ctx, Diagnostics, NestedBlock, Plan, Resource,
    Schema, Val,
};
use crate::posture;
use crate::repository;
use crate::shared;
use crate::shared::region;
use crate::shared::timeouts::{self, Timeouts};

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
    pub region: Val<String>,
    pub timeouts: Val<Timeouts>,
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

    /// A `moved` block from hashicorp/aws's twin (`crate::moves`).
    fn move_state(
        &self,
        source: &crate::framework::MoveSource<'_>,
        provider: Option<&AwsClients>,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        super::common::move_from_aws(source, diags, |s| {
            moved::moved_from_aws(s, provider.map(|p| p.region.as_str()))
        })
    }

    fn identity_schema(&self) -> IdentitySchema {
        identity::regional(&[("name", "The repository name.")])
    }

    fn identity(&self, m: &Model, aws: &AwsClients) -> Identity {
        Identity {
            account_id: identity::account(&m.registry_id, aws),
            region: identity::region(&m.region, aws),
            name: m.name.clone(),
        }
    }

    fn import_id(&self, i: &Identity, aws: &AwsClients, diags: &mut Diagnostics) -> Option<String> {
        if !identity::check_scope(&i.account_id, None, aws, diags) {
            return None;
        }
        identity::in_region(
            identity::required(&i.name, "name", diags).map(str::to_string),
            &i.region,
            aws,
        )
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
                )
                .attr(region::resource_attribute())
                .block(timeouts::block()),
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
        moved::record_default_blocks(c);
        checks::validate(c, diags);
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
        region::plan(
            &mut p.region,
            &c.region,
            plan.prior.as_ref().map(|m| &m.region),
            provider.map(|a| a.region.as_str()),
            &mut plan.requires_replace,
        );
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
        let aws = &ctx.provider.in_region(plan.region.str());
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
        let aws = ctx.provider.in_region(state.region.str());
        let next = refresh(&aws, state, false, diags).await?;
        check_lifecycle_policy(&aws, &ctx.siblings, &next).await;
        Some(next)
    }

    async fn update(
        &self,
        ctx: &Ctx<AwsClients>,
        prior: Model,
        plan: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let aws = &ctx.provider.in_region(prior.region.str());
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
        let aws = &ctx.provider.in_region(state.region.str());
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
        wait_for_deletion(
            &ctx.stop,
            &state.timeouts,
            &format!("ECR repository {name:?}"),
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
        import::passthrough_in_region(
            self.type_name(),
            id,
            &["id", "name"],
            repository::check_name,
            region::is_region_name,
            "<repository-name>",
            diags,
        )
    }
}
