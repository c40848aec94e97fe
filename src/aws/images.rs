//! DescribeImages, private and public: every page of a repository's images at the largest page
//! size the API allows (1000, so 5,000 images are 5 calls; ListImages' and the SDK's default
//! page is 100), or the images named by tag or digest. Entries are handed to a callback as the
//! pages arrive, so a caller that wants only the newest image holds one image, not the list.

use aws_sdk_ecr::operation::describe_images::DescribeImagesError;
use aws_sdk_ecr::types::{
    DescribeImagesFilter, ImageDetail, ImageIdentifier, ImageStatusFilter, TagStatus as SdkTag,
};
use aws_sdk_ecrpublic::operation::describe_images::DescribeImagesError as PublicError;

use super::errors::{public_text, text};
use crate::lookup::{ImageInfo, Stamp, TagStatus};

/// DescribeImages' largest `maxResults` (ECR and ECR Public API models: 1–1000).
pub const PAGE_SIZE: i32 = 1000;

/// Which images of which repository.
#[derive(Clone, Debug, Default)]
pub struct ImageQuery<'a> {
    pub repository: &'a str,
    /// Another account's registry; `None` for the caller's.
    pub registry_id: Option<&'a str>,
    /// Sent as `filter.tagStatus` (None: AWS's default, every image).
    pub tag_status: Option<TagStatus>,
    /// Sent as `filter.imageStatus`: `ACTIVE`, `ARCHIVED`, `ACTIVATING` or `ANY` (None: AWS's
    /// default, active images only).
    pub image_status: Option<&'a str>,
}

/// Why a read failed, by what the caller tells the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImagesError {
    RepositoryNotFound(String),
    ImageNotFound(String),
    Other(String),
}

impl ImagesError {
    pub fn text(&self) -> &str {
        match self {
            ImagesError::RepositoryNotFound(t)
            | ImagesError::ImageNotFound(t)
            | ImagesError::Other(t) => t,
        }
    }
}

fn private_error(
    e: &aws_smithy_runtime_api::client::result::SdkError<
        DescribeImagesError,
        aws_smithy_runtime_api::http::Response,
    >,
) -> ImagesError {
    let text = text(e);
    match e.as_service_error() {
        Some(s) if s.is_repository_not_found_exception() => ImagesError::RepositoryNotFound(text),
        Some(s) if s.is_image_not_found_exception() => ImagesError::ImageNotFound(text),
        _ => ImagesError::Other(text),
    }
}

fn public_error(
    e: &aws_smithy_runtime_api::client::result::SdkError<
        PublicError,
        aws_smithy_runtime_api::http::Response,
    >,
) -> ImagesError {
    let text = public_text(e);
    match e.as_service_error() {
        Some(s) if s.is_repository_not_found_exception() => ImagesError::RepositoryNotFound(text),
        Some(s) if s.is_image_not_found_exception() => ImagesError::ImageNotFound(text),
        _ => ImagesError::Other(text),
    }
}

fn stamp(t: Option<&aws_smithy_types::DateTime>) -> Option<Stamp> {
    t.map(|t| Stamp {
        secs: t.secs(),
        nanos: t.subsec_nanos(),
    })
}

fn sorted(tags: &[String]) -> Vec<String> {
    let mut tags = tags.to_vec();
    tags.sort();
    tags
}

/// The lookup facts of a private image.
pub fn info(d: &ImageDetail) -> ImageInfo {
    ImageInfo {
        digest: d.image_digest().unwrap_or_default().to_string(),
        tags: sorted(d.image_tags()),
        pushed_at: stamp(d.image_pushed_at()),
        size_bytes: d.image_size_in_bytes(),
        manifest_media_type: d.image_manifest_media_type().map(str::to_string),
        artifact_media_type: d.artifact_media_type().map(str::to_string),
        last_pulled_at: stamp(d.last_recorded_pull_time()),
        status: d.image_status().map(|s| s.as_str().to_string()),
        registry_id: d.registry_id().map(str::to_string),
    }
}

/// The lookup facts of a public image.
pub fn public_info(d: &aws_sdk_ecrpublic::types::ImageDetail) -> ImageInfo {
    ImageInfo {
        digest: d.image_digest().unwrap_or_default().to_string(),
        tags: sorted(d.image_tags()),
        pushed_at: stamp(d.image_pushed_at()),
        size_bytes: d.image_size_in_bytes(),
        manifest_media_type: d.image_manifest_media_type().map(str::to_string),
        artifact_media_type: d.artifact_media_type().map(str::to_string),
        last_pulled_at: None,
        status: None,
        registry_id: d.registry_id().map(str::to_string),
    }
}

/// Every image `q` selects, page by page (1000 a page), each handed to `each`. Returns the
/// number of DescribeImages calls made.
pub async fn walk(
    ecr: &aws_sdk_ecr::Client,
    q: &ImageQuery<'_>,
    mut each: impl FnMut(&ImageDetail),
) -> Result<usize, ImagesError> {
    let mut req = ecr
        .describe_images()
        .repository_name(q.repository)
        .set_registry_id(q.registry_id.map(str::to_string))
        .max_results(PAGE_SIZE);
    if q.tag_status.is_some() || q.image_status.is_some() {
        let mut f = DescribeImagesFilter::builder();
        if let Some(t) = q.tag_status {
            f = f.tag_status(SdkTag::from(t.as_str()));
        }
        if let Some(s) = q.image_status {
            f = f.image_status(ImageStatusFilter::from(s));
        }
        req = req.filter(f.build());
    }
    let mut pages = req.into_paginator().send();
    let mut calls = 0;
    while let Some(page) = pages.next().await {
        calls += 1;
        let page = page.map_err(|e| private_error(&e))?;
        page.image_details().iter().for_each(&mut each);
    }
    Ok(calls)
}

/// One image by tag or digest: one DescribeImages call. A tag or digest the repository does
/// not hold is `ImageNotFound`.
pub async fn describe_one(
    ecr: &aws_sdk_ecr::Client,
    repository: &str,
    registry_id: Option<&str>,
    tag: Option<&str>,
    digest: Option<&str>,
) -> Result<ImageDetail, ImagesError> {
    let id = ImageIdentifier::builder()
        .set_image_tag(tag.map(str::to_string))
        .set_image_digest(digest.map(str::to_string))
        .build();
    let out = ecr
        .describe_images()
        .repository_name(repository)
        .set_registry_id(registry_id.map(str::to_string))
        .image_ids(id)
        .send()
        .await
        .map_err(|e| private_error(&e))?;
    out.image_details()
        .first()
        .cloned()
        .ok_or_else(|| ImagesError::ImageNotFound("DescribeImages returned no image".into()))
}

/// Every image of a public repository (or those named in `ids`, as (tag, digest) pairs),
/// page by page, each handed to `each`. Returns the number of DescribeImages calls made.
pub async fn walk_public(
    ecr_public: &aws_sdk_ecrpublic::Client,
    repository: &str,
    registry_id: Option<&str>,
    ids: &[(Option<String>, Option<String>)],
    mut each: impl FnMut(&aws_sdk_ecrpublic::types::ImageDetail),
) -> Result<usize, ImagesError> {
    let mut req = ecr_public
        .describe_images()
        .repository_name(repository)
        .set_registry_id(registry_id.map(str::to_string));
    if ids.is_empty() {
        // maxResults cannot be combined with imageIds (API reference).
        req = req.max_results(PAGE_SIZE);
    }
    for (tag, digest) in ids {
        req = req.image_ids(
            aws_sdk_ecrpublic::types::ImageIdentifier::builder()
                .set_image_tag(tag.clone())
                .set_image_digest(digest.clone())
                .build(),
        );
    }
    let mut pages = req.into_paginator().send();
    let mut calls = 0;
    while let Some(page) = pages.next().await {
        calls += 1;
        let page = page.map_err(|e| public_error(&e))?;
        page.image_details().iter().for_each(&mut each);
    }
    Ok(calls)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ecr::types::ImageStatus;

    #[test]
    fn details_map_to_lookup_facts() {
        let d = ImageDetail::builder()
            .image_digest("sha256:a")
            .image_tags("v2")
            .image_tags("latest")
            .image_pushed_at(aws_smithy_types::DateTime::from_secs_and_nanos(100, 250))
            .image_size_in_bytes(42)
            .image_manifest_media_type("application/vnd.oci.image.manifest.v1+json")
            .artifact_media_type("application/vnd.oci.image.config.v1+json")
            .last_recorded_pull_time(aws_smithy_types::DateTime::from_secs(200))
            .image_status(ImageStatus::Archived)
            .registry_id("123456789012")
            .build();
        let i = info(&d);
        assert_eq!(i.tags, ["latest", "v2"], "tags are sorted");
        assert_eq!(
            i.pushed_at,
            Some(Stamp {
                secs: 100,
                nanos: 250
            })
        );
        assert_eq!(i.last_pulled_at, Some(Stamp::from_secs(200)));
        assert_eq!(
            (i.size_bytes, i.status.as_deref(), i.registry_id.as_deref()),
            (Some(42), Some("ARCHIVED"), Some("123456789012"))
        );
        assert_eq!(
            i.artifact_media_type.as_deref(),
            Some("application/vnd.oci.image.config.v1+json")
        );
    }

    #[test]
    fn public_details_map_too() {
        let d = aws_sdk_ecrpublic::types::ImageDetail::builder()
            .image_digest("sha256:b")
            .image_pushed_at(aws_smithy_types::DateTime::from_secs(7))
            .build();
        let i = public_info(&d);
        assert_eq!(
            (i.digest.as_str(), i.tags.len(), i.status),
            ("sha256:b", 0, None)
        );
    }
}
