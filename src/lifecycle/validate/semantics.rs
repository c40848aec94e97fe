//! The rules AWS documents for a readable policy, on the views the shape walk (or a typed
//! policy) gives: one rule at a time, then across the rules of each storage class.

use std::collections::{BTreeMap, BTreeSet};

use super::finding::{Findings, JsonPath};
use super::shape::{Field, RuleView, SelectionView, TagList};
use super::{ids, ARCHIVE_MINIMUM_DAYS, MAX_PATTERN_WILDCARDS, MAX_RULES};
use crate::lifecycle::model::{ActionType, CountType, StorageClass, TagStatus};

pub(super) fn check_rule_count(n: usize, out: &mut Findings<'_>) {
    let path = JsonPath::root().key("rules");
    if n == 0 {
        out.push(
            path,
            ids::RULES_EMPTY,
            "rules is empty; a lifecycle policy needs at least 1 rule".into(),
        );
    } else if n > MAX_RULES {
        out.push(
            path,
            ids::TOO_MANY_RULES,
            format!("the policy has {n} rules; ECR allows at most {MAX_RULES} rules per lifecycle policy"),
        );
    }
}

/// Whether a tag list counts as given: an empty list counts as missing.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ListState {
    Missing,
    Given,
    Unknown,
}

fn list_state(f: &Field<TagList>) -> ListState {
    match f {
        Field::Absent => ListState::Missing,
        Field::Value(v) if v.is_empty() => ListState::Missing,
        Field::Value(_) => ListState::Given,
        Field::Invalid => ListState::Unknown,
    }
}

pub(super) fn semantic_checks(views: &[RuleView], out: &mut Findings<'_>) {
    for v in views {
        check_rule(v, out);
    }
    check_unique_priorities(views, out);
    check_per_storage_class(views, out);
}

fn check_rule(v: &RuleView, out: &mut Findings<'_>) {
    let path = JsonPath::rule(v.index);
    let action_type = v
        .action
        .as_ref()
        .and_then(|a| a.action_type.value().copied());
    if let Some(sel) = &v.selection {
        check_selection(sel, &path.key("selection"), out);
        if let Some(ct) = sel.count_type.value() {
            let type_path = path.key("action").key("type");
            match (ct, action_type) {
                (CountType::SinceImageTransitioned, Some(ActionType::Transition)) => out.push(
                    type_path,
                    ids::TRANSITIONED_NEEDS_EXPIRE,
                    format!(
                        "action type \"transition\" cannot be used with {} \"sinceImageTransitioned\"; \
                         archived images can only be expired",
                        out.f("countType")
                    ),
                ),
                (CountType::SinceImagePulled, Some(ActionType::Expire)) => out.push(
                    type_path,
                    ids::PULLED_NEEDS_TRANSITION,
                    format!(
                        "action type \"expire\" cannot be used with {} \"sinceImagePulled\"; \
                         that count type can only transition images to the archive",
                        out.f("countType")
                    ),
                ),
                _ => {}
            }
        }
    }
    if let Some(action) = &v.action {
        let target_path = path.key("action").key("targetStorageClass");
        match (action.action_type.value(), &action.target) {
            (Some(ActionType::Transition), Field::Absent) => out.push(
                target_path,
                ids::TRANSITION_TARGET_REQUIRED,
                format!(
                    "action type \"transition\" needs {} \"archive\"",
                    out.f("targetStorageClass")
                ),
            ),
            (Some(ActionType::Transition), Field::Value(c)) if *c != StorageClass::Archive => out.push(
                target_path,
                ids::TRANSITION_TARGET_ARCHIVE,
                format!(
                    "{} \"{c}\" is not supported; images can only be transitioned to \"archive\"",
                    out.f("targetStorageClass")
                ),
            ),
            (Some(ActionType::Expire), t) if t.is_present() => out.push(
                target_path,
                ids::EXPIRE_NO_TARGET,
                format!(
                    "{} is only allowed with action type \"transition\"; remove it from this \"expire\" action",
                    out.f("targetStorageClass")
                ),
            ),
            _ => {}
        }
    }
}

fn check_selection(sel: &SelectionView, path: &JsonPath, out: &mut Findings<'_>) {
    let prefix = list_state(&sel.prefix);
    let pattern = list_state(&sel.pattern);
    match sel.tag_status.value() {
        Some(TagStatus::Tagged) => {
            if prefix == ListState::Missing && pattern == ListState::Missing {
                // Point at an empty list if the user wrote one, else at the selection.
                let at = if sel.prefix.is_present() {
                    path.key("tagPrefixList")
                } else if sel.pattern.is_present() {
                    path.key("tagPatternList")
                } else {
                    path.clone()
                };
                out.push(
                    at,
                    ids::TAG_LIST_REQUIRED,
                    format!(
                        "{} \"tagged\" needs a non-empty {} or {} (an empty list counts as missing)",
                        out.f("tagStatus"),
                        out.f("tagPrefixList"),
                        out.f("tagPatternList")
                    ),
                );
            } else if prefix == ListState::Given && pattern == ListState::Given {
                out.push(
                    path.key("tagPatternList"),
                    ids::TAG_LISTS_EXCLUSIVE,
                    format!(
                        "both {} and {} are given; a rule may use only one of them",
                        out.f("tagPrefixList"),
                        out.f("tagPatternList")
                    ),
                );
            }
        }
        Some(status @ (TagStatus::Untagged | TagStatus::Any)) => {
            let status_name = out.f("tagStatus");
            for (name, state) in [("tagPrefixList", prefix), ("tagPatternList", pattern)] {
                if state == ListState::Given {
                    out.push(
                        path.key(name),
                        ids::TAG_LIST_REQUIRES_TAGGED,
                        format!(
                            "{} is only allowed when {status_name} is \"tagged\", and this rule has {status_name} \"{status}\"",
                            out.f(name)
                        ),
                    );
                }
            }
        }
        None => {}
    }
    if let Field::Value(entries) = &sel.pattern {
        for s in entries.iter().flatten() {
            let stars = s.matches('*').count();
            if stars > MAX_PATTERN_WILDCARDS {
                out.push(
                    path.key("tagPatternList"),
                    ids::TAG_PATTERN_WILDCARDS,
                    format!(
                        "{} entry {} has {stars} wildcards; ECR allows at most {MAX_PATTERN_WILDCARDS} per pattern",
                        out.f("tagPatternList"),
                        serde_json::to_string(s).unwrap_or_default()
                    ),
                );
            }
        }
    }

    let count_type = sel.count_type.value().copied();
    if let Some(ct) = count_type {
        if ct.is_since() && !sel.count_unit.is_present() {
            out.push(
                path.key("countUnit"),
                ids::COUNT_UNIT_REQUIRED,
                format!(
                    "{} \"{ct}\" needs {} \"days\"",
                    out.f("countType"),
                    out.f("countUnit")
                ),
            );
        } else if !ct.is_since() && sel.count_unit.is_present() {
            out.push(
                path.key("countUnit"),
                ids::COUNT_UNIT_FORBIDDEN,
                format!(
                    "{} is not allowed with {} \"{ct}\" (it counts images, not days); remove it",
                    out.f("countUnit"),
                    out.f("countType")
                ),
            );
        }
    }
    if let Field::Value(n) = sel.count_number {
        if n < 1 {
            out.push(
                path.key("countNumber"),
                ids::COUNT_NUMBER_MIN,
                format!(
                    "{} is {n}; it must be a whole number of at least 1",
                    out.f("countNumber")
                ),
            );
        } else if count_type == Some(CountType::SinceImageTransitioned) && n < ARCHIVE_MINIMUM_DAYS
        {
            out.push(
                path.key("countNumber"),
                ids::ARCHIVE_MINIMUM_DAYS,
                format!(
                    "{} is {n} days; with {} \"sinceImageTransitioned\" it must be at least \
                     {ARCHIVE_MINIMUM_DAYS}, because archived images cannot be deleted before \
                     {ARCHIVE_MINIMUM_DAYS} days in the archive",
                    out.f("countNumber"),
                    out.f("countType")
                ),
            );
        }
    }
    match (count_type, &sel.storage_class) {
        (Some(CountType::SinceImageTransitioned), Field::Absent) => out.push(
            path.key("storageClass"),
            ids::TRANSITIONED_NEEDS_ARCHIVE,
            format!(
                "{} \"sinceImageTransitioned\" needs {} \"archive\" (it selects archived images)",
                out.f("countType"),
                out.f("storageClass")
            ),
        ),
        (Some(CountType::SinceImageTransitioned), Field::Value(c))
            if *c != StorageClass::Archive =>
        {
            out.push(
                path.key("storageClass"),
                ids::TRANSITIONED_NEEDS_ARCHIVE,
                format!(
                    "{} \"sinceImageTransitioned\" needs {} \"archive\", not \"{c}\"",
                    out.f("countType"),
                    out.f("storageClass")
                ),
            )
        }
        (Some(ct), Field::Value(StorageClass::Archive))
            if ct != CountType::SinceImageTransitioned =>
        {
            out.push(
                path.key("storageClass"),
                ids::STORAGE_CLASS_COUNT_TYPE,
                format!(
                "{} \"archive\" cannot be used with {} \"{ct}\"; only \"standard\" is supported \
                 (archived images can only be selected with \"sinceImageTransitioned\")",
                out.f("storageClass"),
                out.f("countType")
            ),
            )
        }
        _ => {}
    }
}

fn check_unique_priorities(views: &[RuleView], out: &mut Findings<'_>) {
    let mut first: BTreeMap<i64, &RuleView> = BTreeMap::new();
    for v in views {
        let Field::Value(p) = v.priority else {
            continue;
        };
        match first.get(&p) {
            Some(prev) => out.push(
                JsonPath::rule(v.index).key("rulePriority"),
                ids::PRIORITY_UNIQUE,
                format!(
                    "{priority} {p} is used by both {} and {}; every rule needs a different {priority}",
                    out.names.rule(prev.index),
                    out.names.rule(v.index),
                    priority = out.f("rulePriority"),
                ),
            ),
            None => {
                first.insert(p, v);
            }
        }
    }
}

fn check_per_storage_class(views: &[RuleView], out: &mut Findings<'_>) {
    for class in StorageClass::ALL.iter().copied() {
        let rules: Vec<&RuleView> = views
            .iter()
            .filter(|v| v.storage_class() == Some(class))
            .collect();

        // `any` must come last: no rule of the class may have a higher priority.
        let highest = rules
            .iter()
            .filter_map(|v| v.priority.value().map(|p| (*p, *v)))
            .max_by_key(|(p, v)| (*p, std::cmp::Reverse(v.index)));
        for v in &rules {
            if v.tag_status() != Some(TagStatus::Any) {
                continue;
            }
            let (Some(p), Some((hp, hv))) = (v.priority.value(), highest) else {
                continue;
            };
            if hp > *p {
                out.push(
                    JsonPath::rule(v.index).key("rulePriority"),
                    ids::ANY_MUST_BE_LAST,
                    format!(
                        "{} selects {} \"any\" in the {class} storage class, so it must have the highest \
                         {} of that storage class, but {} is higher",
                        v.name(out),
                        out.f("tagStatus"),
                        out.f("rulePriority"),
                        hv.name(out)
                    ),
                );
            }
        }

        // At most one `untagged` rule per storage class (`any` does not count).
        let untagged: Vec<&&RuleView> = rules
            .iter()
            .filter(|v| v.tag_status() == Some(TagStatus::Untagged))
            .collect();
        if let Some((first, rest)) = untagged.split_first() {
            for v in rest {
                out.push(
                    JsonPath::rule(v.index).key("selection").key("tagStatus"),
                    ids::SINGLE_UNTAGGED,
                    format!(
                        "{} and {} both select untagged images in the {class} storage class; only one rule per \
                         storage class may select untagged images",
                        first.name(out),
                        v.name(out)
                    ),
                );
            }
        }

        // "Unique set of prefixes": the same tag list on two rules of a class is
        // an error. Overlapping lists (sharing some entries) are allowed.
        let mut seen: BTreeMap<(&str, BTreeSet<&str>), &RuleView> = BTreeMap::new();
        for v in &rules {
            if v.tag_status() != Some(TagStatus::Tagged) {
                continue;
            }
            let Some(sel) = &v.selection else { continue };
            let given: Vec<(&str, &TagList)> = [
                ("tagPrefixList", &sel.prefix),
                ("tagPatternList", &sel.pattern),
            ]
            .into_iter()
            .filter_map(|(n, f)| f.value().filter(|l| !l.is_empty()).map(|l| (n, l)))
            .collect();
            let [(name, list)] = given.as_slice() else {
                continue;
            };
            let Some(set) = list
                .iter()
                .map(|e| e.as_deref())
                .collect::<Option<BTreeSet<&str>>>()
            else {
                continue;
            };
            let shown = serde_json::to_string(&set).unwrap_or_default();
            match seen.get(&(*name, set.clone())) {
                Some(prev) => out.push(
                    JsonPath::rule(v.index).key("selection").key(name),
                    ids::UNIQUE_TAG_LISTS,
                    format!(
                        "{} uses the same {} {shown} as {} in the {class} storage class; ECR requires each rule \
                         of a storage class to select a unique set of tags (lists that merely overlap are fine)",
                        v.name(out),
                        out.f(name),
                        prev.name(out)
                    ),
                ),
                None => {
                    seen.insert((*name, set), v);
                }
            }
        }
    }
}
