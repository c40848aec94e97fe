//! DescribeImages, page by page, for everything that lists a repository's images (the lifecycle
//! preview, the cost estimate, the lookups): one reader that can stop early and says how many
//! calls it made, in the caller's registry or another account's; one image by tag or digest; the
//! same walk over ECR Public; and the mapping of an SDK image to the lifecycle domain's [`Image`]
//! and the lookup domain's [`ImageInfo`].

use std::ops::ControlFlow;

use aws_sdk_ecr::operation::describe_images::DescribeImagesError;
use aws_sdk_ecr::types::{DescribeImagesFilter, ImageDetail, ImageStatusFilter, TagStatus};

use aws_sdk_ecr::types::ImageIdentifier;
use aws_sdk_ecrpublic::operation::describe_images::DescribeImagesError as PublicError;

use super::errors::{self, is};
use crate::lifecycle::{Image, StorageClass};
use crate::lookup::{ImageInfo, Stamp};

/// DescribeImages' largest `maxResults` (ECR and ECR Public API models: 1–1000; 100 when
/// omitted).
pub const PAGE_SIZE: i32 = 1000;

/// Which images of a repository to read.
#[derive(Clone, Debug)]
pub struct ImageQuery {
    repository: String,
    registry_id: Option<String>,
    tag_status: Option<TagStatus>,
    image_status: ImageStatusFilter,
    page_size: Option<i32>,
}

/// How a reading went.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pages {
    /// DescribeImages calls made.
    pub calls: usize,
    /// Whether the visitor stopped before the last page.
    pub stopped_early: bool,
}

/// Why the images could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImagesError {
    RepositoryNotFound(String),
    /// A tag or digest asked for by name is not in the repository.
    ImageNotFound(String),
    Other(String),
}

impl std::fmt::Display for ImagesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImagesError::RepositoryNotFound(e)
            | ImagesError::ImageNotFound(e)
            | ImagesError::Other(e) => f.write_str(e),
        }
    }
}

impl ImageQuery {
    /// Every image of `repository`, in any status (active, archived, being restored).
    pub fn new(repository: impl Into<String>) -> Self {
        ImageQuery {
            repository: repository.into(),
            registry_id: None,
            tag_status: None,
            image_status: ImageStatusFilter::Any,
            page_size: None,
        }
    }
    /// The registry (account id) holding the repository; default the caller's.
    pub fn registry_id(mut self, id: Option<&str>) -> Self {
        self.registry_id = id.map(str::to_string);
        self
    }
    /// Only tagged or only untagged images.
    pub fn tag_status(mut self, t: TagStatus) -> Self {
        self.tag_status = Some(t);
        self
    }
    /// Only images in this status.
    pub fn image_status(mut self, s: ImageStatusFilter) -> Self {
        self.image_status = s;
        self
    }
    /// Images per call (1–1000; AWS's default is 100).
    pub fn page_size(mut self, n: i32) -> Self {
        self.page_size = Some(n);
        self
    }

    /// Hands each image to `visit`, page after page, until `visit` breaks or the pages run out.
    pub async fn each(
        &self,
        ecr: &aws_sdk_ecr::Client,
        mut visit: impl FnMut(ImageDetail) -> ControlFlow<()>,
    ) -> Result<Pages, ImagesError> {
        let filter = DescribeImagesFilter::builder()
            .set_tag_status(self.tag_status.clone())
            .image_status(self.image_status.clone())
            .build();
        let mut pages = ecr
            .describe_images()
            .repository_name(&self.repository)
            .set_registry_id(self.registry_id.clone())
            .filter(filter)
            .set_max_results(self.page_size)
            .into_paginator()
            .send();
        let mut out = Pages::default();
        while let Some(page) = pages.next().await {
            out.calls += 1;
            let page = page.map_err(|e| private_error(&e))?;
            for d in page.image_details.unwrap_or_default() {
                if visit(d).is_break() {
                    out.stopped_early = true;
                    return Ok(out);
                }
            }
        }
        Ok(out)
    }

    /// Every image the query selects, with the calls it took.
    pub async fn all(
        &self,
        ecr: &aws_sdk_ecr::Client,
    ) -> Result<(Vec<ImageDetail>, Pages), ImagesError> {
        let mut images = Vec::new();
        let pages = self
            .each(ecr, |d| {
                images.push(d);
                ControlFlow::Continue(())
            })
            .await?;
        Ok((images, pages))
    }
}

/// What lifecycle evaluation needs from a DescribeImages entry; `None` for images being
/// restored (`ACTIVATING`), which lifecycle rules do not act on.
pub fn lifecycle_image(d: &ImageDetail) -> Option<Image> {
    let storage_class = match d.image_status().map(|s| s.as_str()) {
        Some("ARCHIVED") => StorageClass::Archive,
        Some("ACTIVATING") => return None,
        _ => StorageClass::Standard,
    };
    let secs = |t: Option<&aws_smithy_types::DateTime>| t.map(|t| t.secs());
    Some(Image {
        digest: d.image_digest().unwrap_or_default().to_string(),
        tags: d.image_tags().to_vec(),
        pushed_at: secs(d.image_pushed_at()).unwrap_or(0),
        last_pulled_at: secs(d.last_recorded_pull_time()),
        last_archived_at: secs(d.last_archived_at()),
        last_activated_at: secs(d.last_activated_at()),
        storage_class,
        size_bytes: d.image_size_in_bytes(),
    })
}

fn private_error(
    e: &aws_smithy_runtime_api::client::result::SdkError<
        DescribeImagesError,
        aws_smithy_runtime_api::http::Response,
    >,
) -> ImagesError {
    let text = errors::text(e);
    if is(e, DescribeImagesError::is_repository_not_found_exception) {
        ImagesError::RepositoryNotFound(text)
    } else if is(e, DescribeImagesError::is_image_not_found_exception) {
        ImagesError::ImageNotFound(text)
    } else {
        ImagesError::Other(text)
    }
}

fn public_error(
    e: &aws_smithy_runtime_api::client::result::SdkError<
        PublicError,
        aws_smithy_runtime_api::http::Response,
    >,
) -> ImagesError {
    let text = errors::public_text(e);
    if is(e, PublicError::is_repository_not_found_exception) {
        ImagesError::RepositoryNotFound(text)
    } else if is(e, PublicError::is_image_not_found_exception) {
        ImagesError::ImageNotFound(text)
    } else {
        ImagesError::Other(text)
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

/// The newest active image of a repository (latest push, then smallest digest; AWS's default
/// image status, since archived images cannot be pulled), from one walk at 1,000 a page that
/// holds only the newest image seen.
pub async fn newest_active(
    ecr: &aws_sdk_ecr::Client,
    repository: &str,
    registry_id: Option<&str>,
) -> Result<(Option<ImageInfo>, Pages), ImagesError> {
    let mut newest = crate::lookup::Newest::default();
    let pages = ImageQuery::new(repository)
        .registry_id(registry_id)
        .image_status(ImageStatusFilter::Active)
        .page_size(PAGE_SIZE)
        .each(ecr, |d| {
            newest.offer(info(&d));
            ControlFlow::Continue(())
        })
        .await?;
    Ok((newest.get(), pages))
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
    fn details_map_to_images() {
        let d = ImageDetail::builder()
            .image_digest("sha256:a")
            .image_tags("v1")
            .image_pushed_at(aws_smithy_types::DateTime::from_secs(100))
            .image_status(ImageStatus::Archived)
            .last_archived_at(aws_smithy_types::DateTime::from_secs(200))
            .image_size_in_bytes(42)
            .build();
        let i = lifecycle_image(&d).unwrap();
        assert_eq!(
            (
                i.pushed_at,
                i.last_archived_at,
                i.storage_class,
                i.size_bytes
            ),
            (100, Some(200), StorageClass::Archive, Some(42))
        );
        let restoring = ImageDetail::builder()
            .image_digest("sha256:b")
            .image_status(ImageStatus::Activating)
            .build();
        assert!(lifecycle_image(&restoring).is_none());
    }

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
