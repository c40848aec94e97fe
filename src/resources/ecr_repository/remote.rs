//! What a read makes of AWS's answer: the repository as state records it, keeping the
//! configuration's shape where AWS merely echoes a default (so a second plan is empty).

use std::collections::BTreeMap;

use aws_sdk_ecr::operation::describe_repositories::DescribeRepositoriesError;
use aws_sdk_ecr::types::{
    ImageTagMutabilityExclusionFilter, ImageTagMutabilityExclusionFilterType, Repository,
};

use super::{Encryption, ExclusionFilter, Model, Scanning};
use crate::aws::errors::{self, is};
use crate::aws::tags::TagApi;
use crate::aws::AwsClients;
use crate::framework::{Diagnostics, Val};
use crate::resources::common::own_tags;
use crate::shared::region;

/// Reads the repository back from AWS into `state`; `None` when it is gone (or on an error).
/// `fresh`: after a change, bypass the per-walk snapshot (it may predate the change).
pub(super) async fn refresh(
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
            region::read(&mut next.region, &aws.region);
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

/// Copies what AWS reports into `m`, keeping the configuration's shape where AWS only echoes a
/// default (no block in config + AWS default = still no block), so there is never a false diff.
pub(super) fn apply_remote(
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
pub(super) fn finalize(m: &mut Model, from: &Model) {
    m.force_delete = Val::Known(from.force_delete.or(false));
    if m.image_tag_mutability_exclusion_filter.is_null() {
        m.image_tag_mutability_exclusion_filter = Val::Known(vec![]);
    }
}

pub(super) fn exclusion_filters(
    m: &Model,
) -> Result<Vec<ImageTagMutabilityExclusionFilter>, String> {
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
pub(super) async fn describe_repository(
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
