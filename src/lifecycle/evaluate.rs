//! Local evaluation of a lifecycle policy: which images it would expire or
//! transition *now* (`docs/design/lifecycle.md`).
//!
//! The rules, as AWS documents them:
//! - rules of `storageClass: archive` see only archived images, all other
//!   rules only standard (active) images;
//! - within a storage class rules are applied from the lowest `rulePriority`;
//! - an image is acted on by at most one rule;
//! - an image matching the *tag filter* of a rule can never be acted on by a
//!   lower-priority rule, even when that rule keeps it;
//! - but a lower `imageCountMoreThan` rule still *counts* images that higher
//!   rules matched or claimed when deciding which N to keep;
//! - tag lists are AND across entries and ANY across the image's tags;
//! - "older than N days" is strict: exactly N days old is not older.
//!
//! Evaluation is meant for valid policies; an invalid one is evaluated as
//! written, without panicking (a `tagged` rule without a tag list matches no
//! image, duplicate priorities keep document order).
//! Not modelled: images referenced by a manifest list (AWS skips those until
//! the list itself goes) and the up-to-24-hours delay before AWS acts.

use super::model::{
    ActionType, CountType, LifecyclePolicy, Rule, Selection, StorageClass, TagStatus,
};

/// Seconds in one `countUnit` day.
pub const SECONDS_PER_DAY: i64 = 86_400;

/// What evaluation needs to know about one image (from `DescribeImages`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// `imageDigest`.
    pub digest: String,
    /// `imageTags`; empty for an untagged image.
    pub tags: Vec<String>,
    /// `imagePushedAt`, unix seconds.
    pub pushed_at: i64,
    /// `lastRecordedPullTime`, unix seconds.
    pub last_pulled_at: Option<i64>,
    /// `lastArchivedAt`, unix seconds.
    pub last_archived_at: Option<i64>,
    /// `lastActivatedAt` (restore from archive), unix seconds.
    pub last_activated_at: Option<i64>,
    /// `standard` for ACTIVE images, `archive` for ARCHIVED ones.
    pub storage_class: StorageClass,
    /// `imageSizeInBytes`.
    pub size_bytes: Option<i64>,
}

impl Image {
    /// An active image with only the required facts; set the rest by field.
    pub fn new(digest: impl Into<String>, tags: &[&str], pushed_at: i64) -> Self {
        Image {
            digest: digest.into(),
            tags: tags.iter().map(ToString::to_string).collect(),
            pushed_at,
            last_pulled_at: None,
            last_archived_at: None,
            last_activated_at: None,
            storage_class: StorageClass::Standard,
            size_bytes: None,
        }
    }

    /// Time that orders images and measures "since pushed": a restored image
    /// counts as pushed when it was restored (`lastActivatedAt`).
    fn push_time(&self) -> i64 {
        self.last_activated_at.unwrap_or(self.pushed_at)
    }

    /// Time of last use for `sinceImagePulled`: the last pull, unless the
    /// image was restored after it (then the restore), else the push.
    fn use_time(&self) -> i64 {
        [
            Some(self.pushed_at),
            self.last_pulled_at,
            self.last_activated_at,
        ]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(self.pushed_at)
    }
}

/// The outcome for one image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageResult {
    /// The image's digest.
    pub digest: String,
    /// `Some` when a rule expires or transitions the image.
    pub action: Option<ActionType>,
    /// The storage class a transition moves the image to.
    pub target_storage_class: Option<StorageClass>,
    /// `rulePriority` of the rule that claimed the image.
    pub rule_priority: Option<i64>,
}

/// The outcome for all images, with totals.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Evaluation {
    /// One result per input image, in input order.
    pub results: Vec<ImageResult>,
    /// Number of images that would be expired.
    pub expiring: usize,
    /// Number of images that would be transitioned.
    pub transitioning: usize,
    /// Bytes of the expiring images (unknown sizes count as 0).
    pub expiring_bytes: i64,
    /// Bytes of the transitioning images (unknown sizes count as 0).
    pub transitioning_bytes: i64,
}

/// Evaluates `policy` over a repository's `images` at time `now` (unix seconds).
pub fn evaluate(policy: &LifecyclePolicy, images: &[Image], now: i64) -> Evaluation {
    let mut results: Vec<ImageResult> = images
        .iter()
        .map(|i| ImageResult {
            digest: i.digest.clone(),
            action: None,
            target_storage_class: None,
            rule_priority: None,
        })
        .collect();

    for class in StorageClass::ALL.iter().copied() {
        let pool: Vec<usize> = (0..images.len())
            .filter(|&i| images[i].storage_class == class)
            .collect();
        let mut rules: Vec<&Rule> = policy
            .rules
            .iter()
            .filter(|r| r.selection.effective_storage_class() == class)
            .collect();
        rules.sort_by_key(|r| r.rule_priority); // stable: equal priorities keep document order

        // Matched the tag filter of an earlier (higher-priority) rule; claimed images are among them.
        let mut protected = vec![false; images.len()];
        for rule in rules {
            let candidates: Vec<usize> = pool
                .iter()
                .copied()
                .filter(|&i| selection_matches_tags(&rule.selection, &images[i].tags))
                .collect();
            for i in selected(&rule.selection, &candidates, images, now) {
                if !protected[i] {
                    let r = &mut results[i];
                    r.action = Some(rule.action.r#type);
                    r.target_storage_class = rule.action.target_storage_class;
                    r.rule_priority = Some(rule.rule_priority);
                }
            }
            for i in candidates {
                protected[i] = true;
            }
        }
    }

    let mut eval = Evaluation {
        results,
        ..Evaluation::default()
    };
    for (r, image) in eval.results.iter().zip(images) {
        let size = image.size_bytes.unwrap_or(0).max(0);
        match r.action {
            Some(ActionType::Expire) => {
                eval.expiring += 1;
                eval.expiring_bytes = eval.expiring_bytes.saturating_add(size);
            }
            Some(ActionType::Transition) => {
                eval.transitioning += 1;
                eval.transitioning_bytes = eval.transitioning_bytes.saturating_add(size);
            }
            None => {}
        }
    }
    eval
}

/// Of the images matching a rule's tag filter, those its count criterion
/// selects. Counts over *all* candidates, including images that higher rules
/// matched or claimed (they still occupy the "keep N" slots).
fn selected(sel: &Selection, candidates: &[usize], images: &[Image], now: i64) -> Vec<usize> {
    let n = sel.count_number;
    let older_than = |t: i64| now.saturating_sub(t) > n.saturating_mul(SECONDS_PER_DAY);
    match sel.count_type {
        CountType::ImageCountMoreThan => {
            let mut by_age = candidates.to_vec();
            // Youngest first; ties keep input order so results are deterministic.
            by_age.sort_by_key(|&i| std::cmp::Reverse(images[i].push_time()));
            let keep = usize::try_from(n.max(0)).unwrap_or(usize::MAX);
            by_age.into_iter().skip(keep).collect()
        }
        CountType::SinceImagePushed => candidates
            .iter()
            .copied()
            .filter(|&i| older_than(images[i].push_time()))
            .collect(),
        CountType::SinceImagePulled => candidates
            .iter()
            .copied()
            .filter(|&i| older_than(images[i].use_time()))
            .collect(),
        // An archived image without an archive time cannot be shown to be old enough.
        CountType::SinceImageTransitioned => candidates
            .iter()
            .copied()
            .filter(|&i| images[i].last_archived_at.is_some_and(older_than))
            .collect(),
    }
}

/// Whether an image with `tags` meets the tag requirement of a selection.
pub fn selection_matches_tags(sel: &Selection, tags: &[String]) -> bool {
    match sel.tag_status {
        TagStatus::Any => true,
        TagStatus::Untagged => tags.is_empty(),
        TagStatus::Tagged => {
            let prefixes = sel.tag_prefix_list.as_deref().unwrap_or_default();
            let patterns = sel.tag_pattern_list.as_deref().unwrap_or_default();
            if tags.is_empty() || (prefixes.is_empty() && patterns.is_empty()) {
                return false;
            }
            // AND across entries, ANY across the image's tags.
            prefixes
                .iter()
                .all(|p| tags.iter().any(|t| t.starts_with(p.as_str())))
                && patterns
                    .iter()
                    .all(|p| tags.iter().any(|t| tag_pattern_matches(p, t)))
        }
    }
}

/// Anchored glob match of a `tagPatternList` entry against a whole tag: `*`
/// matches any run of characters (including none); everything else is literal.
pub fn tag_pattern_matches(pattern: &str, tag: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = tag.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    // Position of the last `*` seen and the tag position it was tried at.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            // Let the last `*` swallow one more character and retry.
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::super::model::{Action, CountUnit};
    use super::*;

    const NOW: i64 = 1_800_000_000;
    const DAY: i64 = SECONDS_PER_DAY;

    fn days_ago(d: i64) -> i64 {
        NOW - d * DAY
    }

    /// Which list form a tagged rule uses, so each example runs in both.
    #[derive(Clone, Copy, Debug)]
    enum Form {
        Prefix,
        Pattern,
    }

    fn tagged(form: Form, tags: &[&str]) -> Selection {
        let list = |suffix: &str| Some(tags.iter().map(|t| format!("{t}{suffix}")).collect());
        let (tag_prefix_list, tag_pattern_list) = match form {
            Form::Prefix => (list(""), None),
            Form::Pattern => (None, list("*")),
        };
        Selection {
            tag_status: TagStatus::Tagged,
            tag_prefix_list,
            tag_pattern_list,
            storage_class: None,
            count_type: CountType::ImageCountMoreThan,
            count_unit: None,
            count_number: 1,
        }
    }

    fn status(tag_status: TagStatus) -> Selection {
        Selection {
            tag_status,
            ..tagged(Form::Prefix, &[])
        }
        .without_lists()
    }

    trait SelectionExt {
        fn without_lists(self) -> Self;
        fn keep(self, n: i64) -> Self;
        fn older_than(self, count_type: CountType, days: i64) -> Self;
        fn archived(self) -> Self;
    }

    impl SelectionExt for Selection {
        fn without_lists(mut self) -> Self {
            self.tag_prefix_list = None;
            self.tag_pattern_list = None;
            self
        }
        fn keep(mut self, n: i64) -> Self {
            self.count_type = CountType::ImageCountMoreThan;
            self.count_unit = None;
            self.count_number = n;
            self
        }
        fn older_than(mut self, count_type: CountType, days: i64) -> Self {
            self.count_type = count_type;
            self.count_unit = Some(CountUnit::Days);
            self.count_number = days;
            self
        }
        fn archived(mut self) -> Self {
            self.storage_class = Some(StorageClass::Archive);
            self
        }
    }

    fn rule(priority: i64, selection: Selection) -> Rule {
        Rule {
            rule_priority: priority,
            description: None,
            selection,
            action: Action {
                r#type: ActionType::Expire,
                target_storage_class: None,
            },
        }
    }

    fn to_archive(mut r: Rule) -> Rule {
        r.action = Action {
            r#type: ActionType::Transition,
            target_storage_class: Some(StorageClass::Archive),
        };
        r
    }

    fn img(name: &str, tags: &[&str], age_days: i64) -> Image {
        Image::new(name, tags, days_ago(age_days))
    }

    /// Names of the images that get an action.
    fn acted(policy_rules: Vec<Rule>, images: &[Image]) -> Vec<String> {
        let e = evaluate(
            &LifecyclePolicy {
                rules: policy_rules,
            },
            images,
            NOW,
        );
        assert_eq!(e.results.len(), images.len());
        e.results
            .iter()
            .filter(|r| r.action.is_some())
            .map(|r| r.digest.clone())
            .collect()
    }

    const FORMS: [Form; 2] = [Form::Prefix, Form::Pattern];

    #[test]
    fn multiple_rules_example_a() {
        let images = [
            img("A", &["beta-1", "prod-1"], 10),
            img("B", &["beta-2", "prod-2"], 9),
            img("C", &["beta-3"], 8),
        ];
        for f in FORMS {
            let rules = vec![
                rule(1, tagged(f, &["prod"]).keep(1)),
                rule(2, tagged(f, &["beta"]).keep(1)),
            ];
            assert_eq!(acted(rules, &images), ["A"], "{f:?}");
        }
    }

    #[test]
    fn multiple_rules_example_b() {
        let images = [
            img("A", &["beta-1", "prod-1"], 10),
            img("B", &["beta-2", "prod-2"], 9),
            img("C", &["beta-3"], 8),
        ];
        for f in FORMS {
            let rules = vec![
                rule(1, tagged(f, &["beta"]).keep(1)),
                rule(2, tagged(f, &["prod"]).keep(1)),
            ];
            assert_eq!(acted(rules, &images), ["A", "B"], "{f:?}");
        }
    }

    #[test]
    fn multiple_tags_example_a() {
        let images = [
            img("A", &["alpha-1"], 12),
            img("B", &["beta-1"], 11),
            img("C", &["alpha-2", "beta-2"], 10),
            img("D", &["alpha-3"], 4),
            img("E", &["beta-3"], 3),
            img("F", &["alpha-4", "beta-4"], 2),
        ];
        for f in FORMS {
            let rules = vec![rule(
                1,
                tagged(f, &["alpha", "beta"]).older_than(CountType::SinceImagePushed, 5),
            )];
            assert_eq!(acted(rules, &images), ["C"], "{f:?}");
        }
    }

    #[test]
    fn multiple_tags_example_b() {
        let images = [
            img("A", &["alpha-1", "beta-1", "gamma-1"], 10),
            img("B", &["alpha-2", "beta-2"], 9),
            img("C", &["alpha-3", "beta-3", "gamma-2"], 8),
        ];
        for f in FORMS {
            let rules = vec![rule(1, tagged(f, &["alpha", "beta"]).keep(1))];
            assert_eq!(acted(rules, &images), ["A", "B"], "{f:?}");
        }
    }

    #[test]
    fn all_images_example_a() {
        let images = [
            img("A", &["alpha-1"], 4),
            img("B", &["beta-1"], 3),
            img("C", &[], 2),
            img("D", &["alpha-2"], 1),
        ];
        let rules = vec![rule(1, status(TagStatus::Any).keep(1))];
        assert_eq!(acted(rules, &images), ["A", "B", "C"]);
    }

    #[test]
    fn all_images_example_b() {
        let mut e = img("E", &[], 1);
        e.pushed_at += 3600; // pushed after D, so D is the older of the two one-day-old images
        let images = [
            img("A", &["alpha-1", "beta-1"], 4),
            img("B", &[], 3),
            img("C", &["alpha-2"], 2),
            img("D", &["git hash"], 1),
            e,
        ];
        for f in FORMS {
            let rules = vec![
                rule(1, tagged(f, &["alpha"]).keep(1)),
                rule(
                    2,
                    status(TagStatus::Untagged).older_than(CountType::SinceImagePushed, 1),
                ),
                rule(3, status(TagStatus::Any).keep(1)),
            ];
            let e = evaluate(&LifecyclePolicy { rules }, &images, NOW);
            let got: Vec<(&str, Option<i64>)> = e
                .results
                .iter()
                .filter(|r| r.action.is_some())
                .map(|r| (r.digest.as_str(), r.rule_priority))
                .collect();
            // Rule 3 still counts E (matched by rule 2) as its one kept image, so D goes.
            assert_eq!(
                got,
                [("A", Some(1)), ("B", Some(2)), ("D", Some(3))],
                "{f:?}"
            );
        }
    }

    #[test]
    fn rule_order_is_by_priority_not_document_order() {
        let images = [
            img("A", &["beta-1", "prod-1"], 10),
            img("B", &["beta-2", "prod-2"], 9),
            img("C", &["beta-3"], 8),
        ];
        let rules = vec![
            rule(2, tagged(Form::Prefix, &["beta"]).keep(1)),
            rule(1, tagged(Form::Prefix, &["prod"]).keep(1)),
        ];
        assert_eq!(acted(rules, &images), ["A"]);
    }

    #[test]
    fn protected_image_is_not_claimed_by_lower_rule() {
        // Rule 1 keeps "prod" images for 30 days; rule 2 would expire anything after 1 day.
        let images = [img("prod", &["prod-1"], 10), img("dev", &["dev-1"], 10)];
        let rules = vec![
            rule(
                1,
                tagged(Form::Prefix, &["prod"]).older_than(CountType::SinceImagePushed, 30),
            ),
            rule(
                2,
                status(TagStatus::Any).older_than(CountType::SinceImagePushed, 1),
            ),
        ];
        assert_eq!(acted(rules, &images), ["dev"]);
    }

    #[test]
    fn strict_older_than_boundary() {
        let images = [
            img("exact", &[], 7),
            Image {
                pushed_at: days_ago(7) - 1,
                ..img("older", &[], 0)
            },
        ];
        let rules = vec![rule(
            1,
            status(TagStatus::Untagged).older_than(CountType::SinceImagePushed, 7),
        )];
        assert_eq!(acted(rules, &images), ["older"]);
    }

    #[test]
    fn since_pulled_transitions_using_pull_then_activation_then_push() {
        let mut pulled_recently = img("pulled-recently", &["a"], 100);
        pulled_recently.last_pulled_at = Some(days_ago(5));
        let mut pulled_long_ago = img("pulled-long-ago", &["b"], 100);
        pulled_long_ago.last_pulled_at = Some(days_ago(40));
        let never_pulled_old = img("never-pulled-old", &["c"], 31);
        let never_pulled_new = img("never-pulled-new", &["d"], 29);
        let mut restored = img("restored", &["e"], 200);
        restored.last_pulled_at = Some(days_ago(150));
        restored.last_archived_at = Some(days_ago(120));
        restored.last_activated_at = Some(days_ago(3));
        let images = [
            pulled_recently,
            pulled_long_ago,
            never_pulled_old,
            never_pulled_new,
            restored,
        ];
        let rules = vec![to_archive(rule(
            1,
            status(TagStatus::Any).older_than(CountType::SinceImagePulled, 30),
        ))];
        let e = evaluate(&LifecyclePolicy { rules }, &images, NOW);
        let got: Vec<&str> = e
            .results
            .iter()
            .filter(|r| r.action.is_some())
            .map(|r| r.digest.as_str())
            .collect();
        assert_eq!(got, ["pulled-long-ago", "never-pulled-old"]);
        let r = &e.results[1];
        assert_eq!(
            (r.action, r.target_storage_class, r.rule_priority),
            (
                Some(ActionType::Transition),
                Some(StorageClass::Archive),
                Some(1)
            )
        );
        assert_eq!((e.transitioning, e.expiring), (2, 0));
    }

    #[test]
    fn storage_classes_are_evaluated_separately() {
        let archived = |name: &str, archived_days: i64| Image {
            storage_class: StorageClass::Archive,
            last_archived_at: Some(days_ago(archived_days)),
            size_bytes: Some(1000),
            ..img(name, &[], 400)
        };
        let images = [
            Image {
                size_bytes: Some(7),
                ..img("active-old", &["x"], 60)
            },
            img("active-new", &["y"], 10),
            archived("archived-long", 91),
            archived("archived-exact", 90),
            Image {
                last_archived_at: None,
                ..archived("archived-unknown", 0)
            },
        ];
        let rules = vec![
            // `any` in each class; each class's rules see only that class's images.
            to_archive(rule(
                1,
                status(TagStatus::Any).older_than(CountType::SinceImagePulled, 30),
            )),
            rule(
                2,
                status(TagStatus::Any)
                    .older_than(CountType::SinceImageTransitioned, 90)
                    .archived(),
            ),
        ];
        let e = evaluate(&LifecyclePolicy { rules }, &images, NOW);
        let got: Vec<(&str, Option<ActionType>)> = e
            .results
            .iter()
            .map(|r| (r.digest.as_str(), r.action))
            .collect();
        assert_eq!(
            got,
            [
                ("active-old", Some(ActionType::Transition)),
                ("active-new", None),
                ("archived-long", Some(ActionType::Expire)),
                ("archived-exact", None),
                ("archived-unknown", None),
            ]
        );
        assert_eq!(
            (
                e.expiring,
                e.transitioning,
                e.expiring_bytes,
                e.transitioning_bytes
            ),
            (1, 1, 1000, 7)
        );
    }

    #[test]
    fn archive_rule_does_not_see_standard_images_and_vice_versa() {
        let images = [
            Image {
                storage_class: StorageClass::Archive,
                last_archived_at: Some(days_ago(500)),
                ..img("arch", &[], 600)
            },
            img("std", &[], 600),
        ];
        let standard_only = vec![rule(1, status(TagStatus::Any).keep(0))];
        assert_eq!(acted(standard_only, &images), ["std"]);
        let archive_only = vec![rule(
            1,
            status(TagStatus::Any)
                .older_than(CountType::SinceImageTransitioned, 90)
                .archived(),
        )];
        assert_eq!(acted(archive_only, &images), ["arch"]);
    }

    #[test]
    fn count_uses_activation_time_for_restored_images() {
        let mut restored = img("restored", &["v1"], 100);
        restored.last_activated_at = Some(days_ago(1));
        let images = [restored, img("v2", &["v2"], 50), img("v3", &["v3"], 40)];
        let rules = vec![rule(1, tagged(Form::Prefix, &["v"]).keep(2))];
        assert_eq!(acted(rules, &images), ["v2"]);
        let pushed = vec![rule(
            1,
            tagged(Form::Prefix, &["v"]).older_than(CountType::SinceImagePushed, 30),
        )];
        assert_eq!(acted(pushed, &images), ["v2", "v3"]);
    }

    #[test]
    fn transition_then_expire_totals_and_bytes() {
        let images = [
            Image {
                size_bytes: Some(100),
                ..img("a", &[], 3)
            },
            Image {
                size_bytes: Some(200),
                ..img("b", &[], 2)
            },
            Image {
                size_bytes: None,
                ..img("c", &[], 1)
            },
        ];
        let rules = vec![rule(1, status(TagStatus::Untagged).keep(0))];
        let e = evaluate(&LifecyclePolicy { rules }, &images, NOW);
        assert_eq!(
            (
                e.expiring,
                e.expiring_bytes,
                e.transitioning,
                e.transitioning_bytes
            ),
            (3, 300, 0, 0)
        );
        let none = evaluate(&LifecyclePolicy { rules: vec![] }, &images, NOW);
        assert_eq!((none.expiring, none.transitioning), (0, 0));
        assert!(none
            .results
            .iter()
            .all(|r| r.action.is_none() && r.rule_priority.is_none()));
    }

    #[test]
    fn tag_matching() {
        let tags = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let pattern = |p: &[&str]| Selection {
            tag_pattern_list: Some(p.iter().map(|s| s.to_string()).collect()),
            ..tagged(Form::Prefix, &[]).without_lists()
        };
        // Anchored: "prod" alone matches only the tag "prod".
        assert!(selection_matches_tags(
            &pattern(&["prod"]),
            &tags(&["prod"])
        ));
        assert!(!selection_matches_tags(
            &pattern(&["prod"]),
            &tags(&["prod1"])
        ));
        // AND across entries, ANY across tags; one tag may satisfy several entries.
        assert!(selection_matches_tags(
            &pattern(&["*prod*", "*team*"]),
            &tags(&["prod-team"])
        ));
        assert!(!selection_matches_tags(
            &pattern(&["latest", "main"]),
            &tags(&["latest"])
        ));
        assert!(selection_matches_tags(
            &pattern(&["latest", "main"]),
            &tags(&["main", "latest"])
        ));
        // Untagged images never match a tagged rule; `tagged` without lists matches nothing.
        assert!(!selection_matches_tags(&pattern(&["*"]), &[]));
        assert!(!selection_matches_tags(
            &tagged(Form::Prefix, &[]).without_lists(),
            &tags(&["x"])
        ));
        assert!(selection_matches_tags(&status(TagStatus::Any), &[]));
        assert!(!selection_matches_tags(
            &status(TagStatus::Untagged),
            &tags(&["x"])
        ));
    }

    #[test]
    fn glob() {
        let yes = [
            ("prod*", "prod"),
            ("prod*", "production-team1"),
            ("*prod*", "repo-production"),
            ("*prod*", "prod-team"),
            ("*test*1*2*3", "xtest-1-2-3"),
            ("test*1*2*3*", "test1239"),
            ("*", ""),
            ("a*b*c", "abbbbc"),
            ("a**b", "ab"),
            ("é*ü", "éxyü"),
            ("exact", "exact"),
        ];
        for (p, t) in yes {
            assert!(tag_pattern_matches(p, t), "{p} should match {t}");
        }
        let no = [
            ("prod*", "my-prod"),
            ("*prod", "prod-repo"),
            ("a*b", "ac"),
            ("a*b*c", "abcb"),
            ("", "x"),
            ("exact", "exactly"),
            ("?", "a"),
        ];
        for (p, t) in no {
            assert!(!tag_pattern_matches(p, t), "{p} should not match {t}");
        }
    }

    #[test]
    fn invalid_policies_do_not_panic() {
        let images = [
            img("a", &["x"], i64::MAX / DAY),
            Image {
                pushed_at: i64::MIN,
                ..img("b", &[], 0)
            },
        ];
        let rules = vec![
            rule(-5, status(TagStatus::Any).keep(-3)),
            rule(
                -5,
                status(TagStatus::Untagged).older_than(CountType::SinceImagePushed, i64::MAX),
            ),
            rule(
                0,
                tagged(Form::Pattern, &["x"])
                    .older_than(CountType::SinceImageTransitioned, i64::MIN),
            ),
        ];
        let e = evaluate(&LifecyclePolicy { rules }, &images, i64::MAX);
        assert_eq!(e.results.len(), 2);
        let _ = evaluate(&LifecyclePolicy { rules: vec![] }, &[], i64::MIN);
    }
}
