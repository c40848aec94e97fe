//! Image lookups: which images of a repository a query selects, in which order, and which one
//! is the newest. Pure: the `aws` layer maps `DescribeImages` entries to [`ImageInfo`] and the
//! data sources turn the results into state (see `docs/design/lookups.md`).
//!
//! Everything here is deterministic: ties in push time are broken by digest, tags are sorted,
//! so two reads of an unchanged repository give identical state and plans do not flap.

pub mod syntax;

use std::cmp::Ordering;

use crate::lifecycle::tag_pattern_matches;

/// A point in time with the sub-second part AWS reports (ECR timestamps carry milliseconds), so
/// images pushed in the same second still have an order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Stamp {
    pub secs: i64,
    pub nanos: u32,
}

impl Stamp {
    pub fn from_secs(secs: i64) -> Stamp {
        Stamp { secs, nanos: 0 }
    }
}

/// What the lookups know about one image (one `DescribeImages` entry).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImageInfo {
    /// `imageDigest`.
    pub digest: String,
    /// `imageTags`, sorted; empty for an untagged image.
    pub tags: Vec<String>,
    /// `imagePushedAt`; `None` sorts as the oldest.
    pub pushed_at: Option<Stamp>,
    /// `imageSizeInBytes`.
    pub size_bytes: Option<i64>,
    /// `imageManifestMediaType`.
    pub manifest_media_type: Option<String>,
    /// `artifactMediaType` (the config's media type).
    pub artifact_media_type: Option<String>,
    /// `lastRecordedPullTime` (private ECR only).
    pub last_pulled_at: Option<Stamp>,
    /// `imageStatus`: `ACTIVE`, `ARCHIVED` or `ACTIVATING` (private ECR only).
    pub status: Option<String>,
    /// `registryId` the image was read from.
    pub registry_id: Option<String>,
}

impl ImageInfo {
    /// An image with the given digest, tags (sorted here) and push time in seconds.
    pub fn new(digest: impl Into<String>, tags: &[&str], pushed_at: i64) -> ImageInfo {
        let mut tags: Vec<String> = tags.iter().map(ToString::to_string).collect();
        tags.sort();
        ImageInfo {
            digest: digest.into(),
            tags,
            pushed_at: Some(Stamp::from_secs(pushed_at)),
            ..Default::default()
        }
    }
}

/// `tag_status`: which images by whether they carry tags (DescribeImages' `filter.tagStatus`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TagStatus {
    Tagged,
    Untagged,
    #[default]
    Any,
}

impl TagStatus {
    pub const NAMES: &'static [&'static str] = &["TAGGED", "UNTAGGED", "ANY"];

    pub fn parse(s: &str) -> Option<TagStatus> {
        match s {
            "TAGGED" => Some(TagStatus::Tagged),
            "UNTAGGED" => Some(TagStatus::Untagged),
            "ANY" => Some(TagStatus::Any),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            TagStatus::Tagged => "TAGGED",
            TagStatus::Untagged => "UNTAGGED",
            TagStatus::Any => "ANY",
        }
    }
    fn admits(self, image: &ImageInfo) -> bool {
        match self {
            TagStatus::Tagged => !image.tags.is_empty(),
            TagStatus::Untagged => image.tags.is_empty(),
            TagStatus::Any => true,
        }
    }
}

/// `image_status` values (DescribeImages' `filter.imageStatus`; AWS's default is `ACTIVE`).
pub const IMAGE_STATUSES: &[&str] = &["ACTIVE", "ARCHIVED", "ACTIVATING", "ANY"];

/// What a list query keeps and how it orders it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    pub tag_status: TagStatus,
    /// Lifecycle-style wildcard (`*` = any run of characters, anchored): an image is kept when
    /// one of its tags matches, and only the matching tags are listed as its image ids.
    pub tag_pattern: Option<String>,
    /// Keep images pushed strictly after this time.
    pub pushed_after: Option<Stamp>,
    /// Newest first instead of oldest first.
    pub newest_first: bool,
    /// Keep at most this many images (after ordering).
    pub limit: Option<usize>,
}

impl Query {
    /// Whether `image` passes the filters (not the limit).
    pub fn admits(&self, image: &ImageInfo) -> bool {
        if !self.tag_status.admits(image) {
            return false;
        }
        if let Some(p) = &self.tag_pattern {
            if !image.tags.iter().any(|t| tag_pattern_matches(p, t)) {
                return false;
            }
        }
        match (self.pushed_after, image.pushed_at) {
            (Some(after), Some(at)) => at > after,
            (Some(_), None) => false,
            (None, _) => true,
        }
    }

    /// The tags of `image` that its image ids list: the matching ones under a pattern.
    pub fn listed_tags<'a>(&self, image: &'a ImageInfo) -> Vec<&'a str> {
        image
            .tags
            .iter()
            .filter(|t| {
                self.tag_pattern
                    .as_ref()
                    .is_none_or(|p| tag_pattern_matches(p, t))
            })
            .map(String::as_str)
            .collect()
    }

    /// The images the query selects, in its order, at most `limit` of them.
    pub fn select(&self, images: impl IntoIterator<Item = ImageInfo>) -> Vec<ImageInfo> {
        let mut kept: Vec<ImageInfo> = images.into_iter().filter(|i| self.admits(i)).collect();
        if self.newest_first {
            kept.sort_by(newest_first);
        } else {
            kept.sort_by(|a, b| newest_first(b, a));
        }
        if let Some(n) = self.limit {
            kept.truncate(n);
        }
        kept
    }
}

/// Newest push first; among equal push times, the smaller digest first. `newest_first(b, a)`
/// is therefore the exact reverse (oldest first, larger digest first among equals), and both
/// are total orders.
pub fn newest_first(a: &ImageInfo, b: &ImageInfo) -> Ordering {
    b.pushed_at
        .cmp(&a.pushed_at)
        .then_with(|| a.digest.cmp(&b.digest))
}

/// One `(digest, tag)` pair per listed tag, and `(digest, None)` for an image without listed
/// tags: the shape of `ListImages`' image ids, which `image_ids` follows.
pub fn image_ids(query: &Query, images: &[ImageInfo]) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for i in images {
        let tags = query.listed_tags(i);
        if tags.is_empty() {
            out.push((i.digest.clone(), None));
        }
        out.extend(
            tags.into_iter()
                .map(|t| (i.digest.clone(), Some(t.to_string()))),
        );
    }
    out
}

/// The newest image seen, kept while the pages of a walk go by (nothing else is held).
#[derive(Debug, Default)]
pub struct Newest(Option<ImageInfo>);

impl Newest {
    pub fn offer(&mut self, image: ImageInfo) {
        let better = match &self.0 {
            None => true,
            Some(best) => newest_first(&image, best) == Ordering::Less,
        };
        if better {
            self.0 = Some(image);
        }
    }
    pub fn get(self) -> Option<ImageInfo> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digests(v: &[ImageInfo]) -> Vec<&str> {
        v.iter().map(|i| i.digest.as_str()).collect()
    }

    fn sample() -> Vec<ImageInfo> {
        vec![
            ImageInfo::new("sha256:b", &["v2", "latest"], 200),
            ImageInfo::new("sha256:a", &["v1"], 100),
            ImageInfo::new("sha256:u", &[], 150),
            ImageInfo::new("sha256:c", &["dev-1"], 200),
            ImageInfo::new("sha256:d", &["v3"], 300),
        ]
    }

    #[test]
    fn default_order_is_oldest_first_with_ties_by_digest() {
        let q = Query::default();
        // b and c share a push time: the reverse of newest-first puts c before b.
        assert_eq!(
            digests(&q.select(sample())),
            ["sha256:a", "sha256:u", "sha256:c", "sha256:b", "sha256:d"]
        );
        let q = Query {
            newest_first: true,
            ..Default::default()
        };
        assert_eq!(
            digests(&q.select(sample())),
            ["sha256:d", "sha256:b", "sha256:c", "sha256:u", "sha256:a"]
        );
    }

    #[test]
    fn order_does_not_depend_on_input_order() {
        let q = Query {
            newest_first: true,
            ..Default::default()
        };
        let mut rev = sample();
        rev.reverse();
        assert_eq!(q.select(sample()), q.select(rev));
    }

    #[test]
    fn filters_combine() {
        let tagged = Query {
            tag_status: TagStatus::Tagged,
            ..Default::default()
        };
        assert!(!digests(&tagged.select(sample())).contains(&"sha256:u"));
        let untagged = Query {
            tag_status: TagStatus::Untagged,
            ..Default::default()
        };
        assert_eq!(digests(&untagged.select(sample())), ["sha256:u"]);
        let releases = Query {
            tag_pattern: Some("v*".into()),
            pushed_after: Some(Stamp::from_secs(100)),
            ..Default::default()
        };
        // a (v1) was pushed at 100, not after it.
        assert_eq!(
            digests(&releases.select(sample())),
            ["sha256:b", "sha256:d"]
        );
    }

    #[test]
    fn pushed_after_is_strict_and_uses_sub_seconds() {
        let mut late = ImageInfo::new("sha256:late", &["x"], 100);
        late.pushed_at = Some(Stamp {
            secs: 100,
            nanos: 500_000_000,
        });
        let q = Query {
            pushed_after: Some(Stamp::from_secs(100)),
            ..Default::default()
        };
        let on_the_second = ImageInfo::new("sha256:on", &["x"], 100);
        let mut unknown = ImageInfo::new("sha256:none", &["x"], 0);
        unknown.pushed_at = None;
        assert_eq!(
            digests(&q.select([late, on_the_second, unknown])),
            ["sha256:late"]
        );
    }

    #[test]
    fn limit_applies_after_ordering() {
        let q = Query {
            newest_first: true,
            limit: Some(2),
            ..Default::default()
        };
        assert_eq!(digests(&q.select(sample())), ["sha256:d", "sha256:b"]);
    }

    #[test]
    fn image_ids_list_one_pair_per_tag_and_match_the_pattern() {
        let all = Query::default();
        let imgs = all.select(sample());
        let ids = image_ids(&all, &imgs);
        assert_eq!(ids.len(), 6, "{ids:?}");
        assert!(ids.contains(&("sha256:u".into(), None)));
        // Tags of one image come sorted.
        let b: Vec<_> = ids.iter().filter(|(d, _)| d == "sha256:b").collect();
        assert_eq!(
            b.iter().map(|(_, t)| t.as_deref()).collect::<Vec<_>>(),
            [Some("latest"), Some("v2")]
        );
        let v = Query {
            tag_pattern: Some("v*".into()),
            ..Default::default()
        };
        let ids = image_ids(&v, &v.select(sample()));
        assert!(ids
            .iter()
            .all(|(_, t)| t.as_deref().unwrap().starts_with('v')));
        assert_eq!(ids.len(), 3);
    }

    #[test]
    fn newest_keeps_the_latest_push_whatever_the_page_order() {
        for order in [sample(), sample().into_iter().rev().collect()] {
            let mut n = Newest::default();
            for i in order {
                n.offer(i);
            }
            assert_eq!(n.get().unwrap().digest, "sha256:d");
        }
        // Same second: the smaller digest wins, in either order.
        for pair in [["sha256:c", "sha256:b"], ["sha256:b", "sha256:c"]] {
            let mut n = Newest::default();
            for d in pair {
                n.offer(ImageInfo::new(d, &[], 5));
            }
            assert_eq!(n.get().unwrap().digest, "sha256:b");
        }
        assert!(Newest::default().get().is_none());
    }

    #[test]
    fn tag_status_names_round_trip() {
        for n in TagStatus::NAMES {
            assert_eq!(TagStatus::parse(n).unwrap().as_str(), *n);
        }
        assert_eq!(TagStatus::parse("tagged"), None);
    }
}
