//! Checks that span resources, in one place: the kinds of record each resource leaves in the
//! provider server's [`Siblings`] while it is planned (or refreshed), and the checks that read
//! them. A pair-wise check fires on whichever of the two resources is planned second.
//!
//! - a repository policy and cross-account grants on the same repository (error);
//! - ENHANCED registry scanning and a repository's `scan_on_push` (warning);
//! - registry-level scanning, for posture check ECR-P002 of repositories;
//! - a repository without a lifecycle policy at refresh, for posture check ECR-P004.

use crate::framework::siblings::Record;
use crate::framework::{AttrPath, Diagnostics, Siblings};
use crate::posture;
use crate::scanning::config::filter_matches;

/// An `ecr_cross_account_grant` planned for a repository; detail: its sid.
pub struct Grant;
impl Record for Grant {
    type Detail = String;
}

/// An `ecr_repository_policy` planned for a repository.
pub struct RepositoryPolicy;
impl Record for RepositoryPolicy {
    type Detail = ();
}

/// An `ecr_lifecycle_policy` planned for a repository.
pub struct LifecyclePolicy;
impl Record for LifecyclePolicy {
    type Detail = ();
}

/// A repository that had no lifecycle policy in AWS when it was refreshed.
pub struct NoLifecyclePolicyAtRefresh;
impl Record for NoLifecyclePolicyAtRefresh {
    type Detail = ();
}

/// An `ecr_registry_scanning_configuration` with rules (key [`REGISTRY`]).
pub struct RegistryScanning;
impl Record for RegistryScanning {
    type Detail = ();
}

/// An ENHANCED registry scanning configuration (key [`REGISTRY`]); details: each rule's
/// frequency and filter, plus `None` for the configuration itself.
pub struct EnhancedScanning;
impl Record for EnhancedScanning {
    type Detail = Option<(String, String)>;
}

/// A repository planned with `scan_on_push = true`.
pub struct ScanOnPush;
impl Record for ScanOnPush {
    type Detail = ();
}

/// The key of registry-wide records.
pub const REGISTRY: &str = "registry";

/// The key of a registry-wide record in `region` (a resource's own region; the provider's when
/// it has none yet): two regions are two registries.
fn registry_in(region: Option<&str>) -> String {
    match region {
        Some(r) => format!("{REGISTRY}@{r}"),
        None => REGISTRY.to_string(),
    }
}

/// An `ecr_cross_account_grant` on `repo` is planned: records it, and fails when an
/// `ecr_repository_policy` for the same repository was planned before it.
pub fn grant_planned(siblings: &Siblings, repo: &str, sid: &str, diags: &mut Diagnostics) {
    siblings.record::<Grant>(repo, sid.to_string());
    if !siblings.seen::<RepositoryPolicy>(repo).is_empty() {
        diags.attr_error(
            AttrPath::attr("repository"),
            "Repository policy managed twice",
            format!("Repository {repo:?} also has an ecr_repository_policy in this configuration. It would overwrite the statement of this grant (sid {sid:?}) and the grant would re-add it on every apply. Use either ecr_repository_policy (the whole document) or ecr_cross_account_grant resources (one statement each), not both."),
        );
    }
}

/// An `ecr_repository_policy` on `repo` is planned: records it, and fails when grants for the
/// same repository were planned before it.
pub fn repository_policy_planned(siblings: &Siblings, repo: &str, diags: &mut Diagnostics) {
    siblings.record::<RepositoryPolicy>(repo, ());
    let grants = siblings.seen::<Grant>(repo);
    if !grants.is_empty() {
        diags.attr_error(
            AttrPath::attr("repository"),
            "Repository policy managed twice",
            format!("Repository {repo:?} also has ecr_cross_account_grant resources in this configuration (sid {}). This policy would overwrite their statements and they would re-add them on every apply. Use either ecr_repository_policy or ecr_cross_account_grant on one repository, not both.", grants.join(", ")),
        );
    }
}

/// The registry scanning configuration is planned with `scan_type` and its rules' (frequency,
/// filter) pairs: records it, and warns on `scan_type` about repositories planned before it
/// with `scan_on_push = true` when the scanning is ENHANCED (AWS ignores their setting).
pub fn registry_scanning_planned(
    siblings: &Siblings,
    has_rules: bool,
    scan_type: Option<&str>,
    rules: &[(String, String)],
    diags: &mut Diagnostics,
) {
    if has_rules {
        // Registry-level scanning exists: posture check ECR-P002 on repositories planned
        // after this stays quiet (see ecr_repository).
        siblings.record::<RegistryScanning>(REGISTRY, ());
    }
    if scan_type != Some("ENHANCED") {
        return;
    }
    siblings.record::<EnhancedScanning>(REGISTRY, None);
    for rule in rules {
        siblings.record::<EnhancedScanning>(REGISTRY, Some(rule.clone()));
    }
    let mut repos: Vec<String> = siblings
        .all::<ScanOnPush>()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    repos.sort();
    if !repos.is_empty() {
        diags.attr_warning(
            AttrPath::attr("scan_type"),
            "Repository scan_on_push is ignored with ENHANCED scanning",
            format!(
                "With scan_type = \"ENHANCED\", AWS ignores the image_scanning_configuration (scan_on_push) of repositories; these repositories in this configuration set it: {}. Remove their image_scanning_configuration blocks and cover them with a rule here instead.",
                repos.join(", ")
            ),
        );
    }
}

/// Whether registry-level scanning was planned before (posture check ECR-P002).
pub fn registry_scanning_seen(siblings: &Siblings) -> bool {
    !siblings.all::<RegistryScanning>().is_empty()
}

/// A repository `name` is planned with `scan_on_push`: when `true`, records it and warns when
/// this configuration's registry scanning, planned before it, is ENHANCED (AWS then ignores
/// the repository's setting), saying how the registry's rules cover the repository.
pub fn repository_scan_on_push(
    siblings: &Siblings,
    name: Option<&str>,
    scan_on_push: bool,
    diags: &mut Diagnostics,
) {
    let Some(name) = name else { return };
    if !scan_on_push {
        return;
    }
    siblings.record::<ScanOnPush>(name, ());
    let enhanced = siblings.seen::<EnhancedScanning>(REGISTRY);
    if enhanced.is_empty() {
        return;
    }
    let matching: Vec<&str> = enhanced
        .iter()
        .flatten()
        .filter(|(_, filter)| filter_matches(filter, name))
        .map(|(freq, _)| freq.as_str())
        .collect();
    let coverage = if matching.contains(&"CONTINUOUS_SCAN") {
        "it is scanned continuously by the registry's enhanced scanning rules".to_string()
    } else if matching.contains(&"SCAN_ON_PUSH") {
        "it is scanned on push by the registry's enhanced scanning rules".to_string()
    } else {
        "it matches none of the registry's enhanced scanning rules, so it is not scanned at all"
            .to_string()
    };
    diags.attr_warning(
        AttrPath::attr("image_scanning_configuration").then_index(0).then_attr("scan_on_push"),
        "scan_on_push is ignored with ENHANCED registry scanning",
        format!(
            "ecr_registry_scanning_configuration in this configuration sets scan_type = \"ENHANCED\", so AWS ignores this repository's scan_on_push: {coverage}. Remove the image_scanning_configuration block and cover {name:?} with a registry scanning rule instead."
        ),
    );
}

/// An `ecr_lifecycle_policy` for `repo` is planned (silences ECR-P004 for it).
pub fn lifecycle_policy_planned(siblings: &Siblings, repo: &str) {
    siblings.record::<LifecyclePolicy>(repo, ());
}

/// ECR-P004, first half, at refresh: repository `name` has no lifecycle policy in AWS.
pub fn no_lifecycle_policy_at_refresh(siblings: &Siblings, name: &str) {
    siblings.record::<NoLifecyclePolicyAtRefresh>(name, ());
}

/// ECR-P004, second half, at the plan of existing repository `name`: the refresh found no
/// policy and no `ecr_lifecycle_policy` for it was planned before it.
pub fn missing_lifecycle_policy(siblings: &Siblings, name: &str) -> Option<posture::Finding> {
    let refreshed_without = !siblings.seen::<NoLifecyclePolicyAtRefresh>(name).is_empty();
    let planned = !siblings.seen::<LifecyclePolicy>(name).is_empty();
    posture::missing_lifecycle_policy(name, !refreshed_without, planned)
}

/// An `ecr_replication_configuration` (key [`REGISTRY`]): it owns every replication rule.
pub struct ReplicationConfiguration;
impl Record for ReplicationConfiguration {
    type Detail = ();
}

/// An `ecr_replication_rule` (key [`REGISTRY`]); detail: the rule's id.
pub struct ReplicationRule;
impl Record for ReplicationRule {
    type Detail = String;
}

/// An `ecr_replication_configuration` of the registry in `region` is planned: records it, and
/// fails when `ecr_replication_rule` resources of that registry were planned before it (it
/// would remove their rules).
pub fn replication_configuration_planned(
    siblings: &Siblings,
    region: Option<&str>,
    diags: &mut Diagnostics,
) {
    let key = registry_in(region);
    siblings.record::<ReplicationConfiguration>(&key, ());
    let mut rules = siblings.seen::<ReplicationRule>(&key);
    rules.sort();
    if !rules.is_empty() {
        diags.attr_error(
            AttrPath::attr("replication_configuration"),
            "Replication configuration managed twice",
            format!("This configuration also has ecr_replication_rule resources ({}). ecr_replication_configuration owns every rule of the registry and would remove theirs, which would add them back on every apply. Use either one ecr_replication_configuration or ecr_replication_rule resources, not both.", rules.join(", ")),
        );
    }
}

/// An `ecr_replication_rule` with id `id` (when known) of the registry in `region` is planned:
/// records it, and fails when an `ecr_replication_configuration`, or another rule with the same
/// destinations and filters, of that registry was planned before it.
pub fn replication_rule_planned(
    siblings: &Siblings,
    region: Option<&str>,
    id: Option<&str>,
    diags: &mut Diagnostics,
) {
    let key = registry_in(region);
    if let Some(id) = id {
        let before = siblings.claim::<ReplicationRule>(&key, id.to_string());
        if before.iter().any(|r| r == id) {
            diags.attr_error(
                AttrPath::attr("destination"),
                "Replication rule managed twice",
                format!("Another ecr_replication_rule in this configuration has the same destinations and filters ({id}). The two would own one rule: destroying either would remove it for both. Keep one of them."),
            );
        }
    }
    if !siblings.seen::<ReplicationConfiguration>(&key).is_empty() {
        diags.attr_error(
            AttrPath::attr("destination"),
            "Replication configuration managed twice",
            "This configuration also has an ecr_replication_configuration. It owns every rule of the registry and would remove this one, which would add it back on every apply. Use either one ecr_replication_configuration or ecr_replication_rule resources, not both.",
        );
    }
}
