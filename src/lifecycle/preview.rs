//! What a policy would do to a repository's images now, in the order a reader wants it: the
//! images acted on, oldest first, with the totals. The `ecr_lifecycle_preview` data source and
//! the `lifecycle preview` command each render it; [`images`](super::images) reads the images
//! from `aws ecr describe-images` output.

use super::evaluate::{evaluate, Image};
use super::model::{ActionType, LifecyclePolicy, StorageClass};

/// An image the policy acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acted {
    pub digest: String,
    /// Empty for an untagged image.
    pub tags: Vec<String>,
    pub action: ActionType,
    /// Where a transition moves the image.
    pub target_storage_class: Option<StorageClass>,
    /// The rule that claimed the image.
    pub rule_priority: i64,
}

/// The preview of a policy over a set of images.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Preview {
    /// The images acted on, oldest push first (then by digest).
    pub acted: Vec<Acted>,
    /// Images that would be expired.
    pub expiring: usize,
    /// Images that would be transitioned to the archive.
    pub transitioning: usize,
    /// Bytes of the expiring images (unknown sizes count as 0).
    pub bytes_reclaimed: i64,
}

/// Evaluates `policy` over `images` at `now` (Unix seconds).
pub fn preview(policy: &LifecyclePolicy, images: &[Image], now: i64) -> Preview {
    let eval = evaluate(policy, images, now);
    let mut acted: Vec<(i64, Acted)> = eval
        .results
        .iter()
        .zip(images)
        .filter_map(|(r, img)| {
            Some((
                img.pushed_at,
                Acted {
                    digest: r.digest.clone(),
                    tags: img.tags.clone(),
                    action: r.action?,
                    target_storage_class: r.target_storage_class,
                    rule_priority: r.rule_priority.unwrap_or(0),
                },
            ))
        })
        .collect();
    acted.sort_by(|(a, pa), (b, pb)| a.cmp(b).then_with(|| pa.digest.cmp(&pb.digest)));
    Preview {
        acted: acted.into_iter().map(|(_, a)| a).collect(),
        expiring: eval.expiring,
        transitioning: eval.transitioning,
        bytes_reclaimed: eval.expiring_bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::parse_policy;

    #[test]
    fn preview_lists_acted_images_oldest_first() {
        let policy = parse_policy(r#"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}},{"rulePriority":2,"selection":{"tagStatus":"any","countType":"sinceImagePushed","countUnit":"days","countNumber":7},"action":{"type":"expire"}}]}"#).unwrap();
        let day = 86_400;
        let mut imgs = vec![
            Image::new("sha256:new", &["v2"], 10 * day),
            Image::new("sha256:old", &["v1"], day),
            Image::new("sha256:untagged", &[], 2 * day),
        ];
        imgs[1].size_bytes = Some(5);
        imgs[2].size_bytes = Some(7);
        let p = preview(&policy, &imgs, 10 * day);
        let digests: Vec<&str> = p.acted.iter().map(|a| a.digest.as_str()).collect();
        assert_eq!(digests, ["sha256:old", "sha256:untagged"]);
        assert_eq!((p.acted[0].rule_priority, p.acted[1].rule_priority), (1, 2));
        assert_eq!((p.expiring, p.bytes_reclaimed), (2, 12));
    }
}
