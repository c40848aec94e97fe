//! DescribeImages, page by page, for everything that lists a repository's images (the lifecycle
//! preview, the cost estimate): one reader that can stop early and says how many calls it made,
//! and the mapping of an SDK image to the lifecycle domain's [`Image`].

use std::ops::ControlFlow;

use aws_sdk_ecr::operation::describe_images::DescribeImagesError;
use aws_sdk_ecr::types::{DescribeImagesFilter, ImageDetail, ImageStatusFilter, TagStatus};

use super::errors::{self, is};
use crate::lifecycle::{Image, StorageClass};

/// Which images of a repository to read.
#[derive(Clone, Debug)]
pub struct ImageQuery {
    repository: String,
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
    Other(String),
}

impl std::fmt::Display for ImagesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImagesError::RepositoryNotFound(e) | ImagesError::Other(e) => f.write_str(e),
        }
    }
}

impl ImageQuery {
    /// Every image of `repository`, in any status (active, archived, being restored).
    pub fn new(repository: impl Into<String>) -> Self {
        ImageQuery {
            repository: repository.into(),
            tag_status: None,
            image_status: ImageStatusFilter::Any,
            page_size: None,
        }
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
            .filter(filter)
            .set_max_results(self.page_size)
            .into_paginator()
            .send();
        let mut out = Pages::default();
        while let Some(page) = pages.next().await {
            out.calls += 1;
            let page = page.map_err(|e| {
                if is(&e, DescribeImagesError::is_repository_not_found_exception) {
                    ImagesError::RepositoryNotFound(errors::text(&e))
                } else {
                    ImagesError::Other(errors::text(&e))
                }
            })?;
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
}
