//! Registry replication: the limits of `PutReplicationConfiguration`, the checks of one rule
//! (destinations, repository filters, a destination that is the registry itself), and the
//! rule-level edits `ecr_replication_rule` makes to the registry's rule list while keeping every
//! other rule as it is.

use std::sync::LazyLock;

use regex::Regex;

use super::{arn, at, is_account_id, Problems, Registry, Step};

/// Rules in one replication configuration (`ReplicationRuleList`, max 25; it was 10 before).
pub const MAX_RULES: usize = 25;
/// Destinations in one rule (`ReplicationDestinationList`, max 100; it was 25 before).
pub const MAX_DESTINATIONS: usize = 100;
/// Repository filters in one rule (`RepositoryFilterList`, 1–100; service quota, not adjustable).
pub const MAX_FILTERS: usize = 100;
/// Length of a repository filter (`RepositoryFilterValue`).
pub const FILTER_LEN: (usize, usize) = (2, 256);
/// `RepositoryFilterType` values.
pub const FILTER_TYPES: &[&str] = &["PREFIX_MATCH"];

/// `RepositoryFilterValue`'s pattern.
pub static FILTER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$")
        .expect("valid regex")
});
/// `Region`'s pattern (2–25 characters).
pub static REGION_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[0-9a-z-]{2,25}$").expect("valid regex"));
/// What every AWS region name looks like (`us-east-1`, `us-gov-west-1`, `eusc-de-east-1`);
/// anything else passes AWS's pattern but names no region.
static REGION_SHAPE_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$").expect("valid regex"));

/// A destination as configured; `None` = null or not known yet.
#[derive(Clone, Copy, Debug, Default)]
pub struct DestinationSpec<'a> {
    pub region: Option<&'a str>,
    pub registry_id: Option<&'a str>,
}

/// A repository filter as configured.
#[derive(Clone, Copy, Debug, Default)]
pub struct FilterSpec<'a> {
    pub filter: Option<&'a str>,
    pub filter_type: Option<&'a str>,
}

/// A rule as configured. `None` lists are not known yet.
#[derive(Clone, Debug, Default)]
pub struct RuleSpec<'a> {
    pub destinations: Option<Vec<DestinationSpec<'a>>>,
    pub filters: Option<Vec<FilterSpec<'a>>>,
}

/// Checks a list of rules (the whole configuration): their number, each rule, and rules that
/// repeat another.
pub fn check_rules(rules: &[RuleSpec], registry: Registry, base: &[Step], out: &mut Problems) {
    if rules.len() > MAX_RULES {
        out.error(
            base.to_vec(),
            "Too many replication rules",
            format!(
                "A registry's replication configuration holds at most {MAX_RULES} rules (PutReplicationConfiguration); this one has {}.",
                rules.len()
            ),
        );
    }
    let keys: Vec<Option<Rule>> = rules.iter().map(RuleSpec::known).collect();
    for (i, r) in rules.iter().enumerate() {
        let path = at(base, &[Step::Index(i)]);
        check_rule(r, registry, &path, out);
        if let Some(k) = &keys[i] {
            if let Some(j) = keys[..i]
                .iter()
                .position(|o| o.as_ref().is_some_and(|o| o.same_as(k)))
            {
                out.warning(
                    path,
                    "Repeated replication rule",
                    format!("Rule {i} has the same destinations and filters as rule {j}; it replicates nothing more. Remove one of them."),
                );
            }
        }
    }
}

/// Checks one rule at `base` (the path of the rule itself).
pub fn check_rule(rule: &RuleSpec, registry: Registry, base: &[Step], out: &mut Problems) {
    if let Some(dests) = &rule.destinations {
        let path = at(base, &[Step::Attr("destination")]);
        if dests.is_empty() {
            out.error(
                path.clone(),
                "Missing destination",
                "A replication rule needs at least one destination block.",
            );
        }
        if dests.len() > MAX_DESTINATIONS {
            out.error(
                path.clone(),
                "Too many destinations",
                format!(
                    "A replication rule has at most {MAX_DESTINATIONS} destinations; this one has {}.",
                    dests.len()
                ),
            );
        }
        for (i, d) in dests.iter().enumerate() {
            check_destination(d, registry, &at(&path, &[Step::Index(i)]), out);
            let same = |o: &DestinationSpec| {
                o.region.is_some()
                    && o.region == d.region
                    && o.registry_id.is_some()
                    && o.registry_id == d.registry_id
            };
            if let Some(j) = dests[..i].iter().position(same) {
                out.warning(
                    at(&path, &[Step::Index(i)]),
                    "Repeated destination",
                    format!(
                        "Destination {i} is the same as destination {j} of this rule ({} in {}).",
                        d.registry_id.unwrap_or_default(),
                        d.region.unwrap_or_default()
                    ),
                );
            }
        }
    }
    if let Some(filters) = &rule.filters {
        let path = at(base, &[Step::Attr("repository_filter")]);
        if filters.len() > MAX_FILTERS {
            out.error(
                path.clone(),
                "Too many repository filters",
                format!(
                    "A replication rule has at most {MAX_FILTERS} repository filters; this one has {}.",
                    filters.len()
                ),
            );
        }
        for (i, f) in filters.iter().enumerate() {
            check_filter(f, &at(&path, &[Step::Index(i)]), out);
        }
    }
}

fn check_destination(d: &DestinationSpec, registry: Registry, base: &[Step], out: &mut Problems) {
    if let Some(region) = d.region {
        let path = at(base, &[Step::Attr("region")]);
        if !REGION_RE.is_match(region) {
            out.error(path, "Invalid region", format!("region {region:?} is not a region name: 2–25 lowercase letters, digits and '-' (e.g. \"eu-west-1\")."));
        } else if !REGION_SHAPE_RE.is_match(region) {
            out.warning(path, "Unusual region name", format!("region {region:?} does not look like an AWS region name (e.g. \"eu-west-1\"); replication to it will fail if no such region exists."));
        } else if let Some(source) = registry.region {
            let (want, got) = (
                arn::partition_of_region(source),
                arn::partition_of_region(region),
            );
            if want != got {
                out.warning(path, "Destination in another partition", format!("region {region:?} is in the {got} partition but this registry ({source}) is in {want}; ECR replicates within a partition only."));
            }
        }
    }
    if let Some(id) = d.registry_id {
        if !is_account_id(id) {
            out.error(
                at(base, &[Step::Attr("registry_id")]),
                "Invalid registry_id",
                format!("registry_id {id:?} is not an AWS account id (12 digits)."),
            );
        }
    }
    if let (Some(region), Some(id), Some(src_region), Some(src_account)) =
        (d.region, d.registry_id, registry.region, registry.account)
    {
        if region == src_region && id == src_account {
            out.error(
                base.to_vec(),
                "Destination is the source registry",
                format!("This destination ({id} in {region}) is the registry being configured: a registry cannot replicate to itself. Use another region, another account, or both."),
            );
        }
    }
}

fn check_filter(f: &FilterSpec, base: &[Step], out: &mut Problems) {
    if let Some(filter) = f.filter {
        let path = at(base, &[Step::Attr("filter")]);
        let n = filter.chars().count();
        let (min, max) = FILTER_LEN;
        if n < min || n > max {
            out.error(path.clone(), "Invalid filter", format!("filter {filter:?} has {n} characters; a replication filter has {min} to {max}."));
        }
        if !FILTER_RE.is_match(filter) {
            out.error(path, "Invalid filter", format!("filter {filter:?} is not a repository name prefix: lowercase letters and digits, separated by '.', '_', '-' and '/' (no wildcards: the filter is a prefix)."));
        }
    }
    if let Some(t) = f.filter_type {
        if !FILTER_TYPES.contains(&t) {
            out.error(
                at(base, &[Step::Attr("filter_type")]),
                "Invalid filter_type",
                format!(
                    "filter_type must be one of {}; got {t:?}.",
                    FILTER_TYPES.join(", ")
                ),
            );
        }
    }
}

impl RuleSpec<'_> {
    /// The rule when every value is known.
    pub fn known(&self) -> Option<Rule> {
        let destinations = self
            .destinations
            .as_ref()?
            .iter()
            .map(|d| {
                Some(Destination {
                    region: d.region?.to_string(),
                    registry_id: d.registry_id?.to_string(),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let filters = match &self.filters {
            Some(fs) => fs
                .iter()
                .map(|f| {
                    Some(Filter {
                        filter: f.filter?.to_string(),
                        filter_type: f.filter_type.unwrap_or(FILTER_TYPES[0]).to_string(),
                    })
                })
                .collect::<Option<Vec<_>>>()?,
            None => return None,
        };
        Some(Rule {
            destinations,
            filters,
        })
    }
}

/// A replication destination.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Destination {
    pub region: String,
    pub registry_id: String,
}

/// A repository filter.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Filter {
    pub filter: String,
    pub filter_type: String,
}

/// A replication rule whose values are all known.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rule {
    pub destinations: Vec<Destination>,
    pub filters: Vec<Filter>,
}

impl Rule {
    /// The rule's identity: destinations and filters as sorted sets (AWS keeps their order, but
    /// order does not change what is replicated where).
    fn key(&self) -> (Vec<&Destination>, Vec<&Filter>) {
        let mut d: Vec<&Destination> = self.destinations.iter().collect();
        let mut f: Vec<&Filter> = self.filters.iter().collect();
        d.sort();
        d.dedup();
        f.sort();
        f.dedup();
        (d, f)
    }

    /// Whether two rules replicate the same repositories to the same places.
    pub fn same_as(&self, other: &Rule) -> bool {
        self.key() == other.key()
    }

    /// A stable text id: `region:registry[+region:registry...]`, then `|type:filter[+...]` when
    /// the rule has filters; sorted, so it does not depend on the order of blocks.
    pub fn id(&self) -> String {
        let (d, f) = self.key();
        let dests: Vec<String> = d
            .iter()
            .map(|d| format!("{}:{}", d.region, d.registry_id))
            .collect();
        let mut id = dests.join("+");
        if !f.is_empty() {
            let filters: Vec<String> = f
                .iter()
                .map(|f| format!("{}:{}", f.filter_type, f.filter))
                .collect();
            id.push('|');
            id.push_str(&filters.join("+"));
        }
        id
    }

    /// Reads an id written by [`Rule::id`].
    pub fn parse_id(id: &str) -> Result<Rule, String> {
        let bad = || {
            format!("{id:?} is not a replication rule id: <region>:<registry_id>[+<region>:<registry_id>...][|PREFIX_MATCH:<filter>[+...]], e.g. \"eu-west-1:111122223333|PREFIX_MATCH:prod\"")
        };
        let (dests, filters) = match id.split_once('|') {
            Some((d, f)) => (d, Some(f)),
            None => (id, None),
        };
        let destinations = dests
            .split('+')
            .map(|d| {
                let (region, registry_id) = d.split_once(':').ok_or_else(bad)?;
                if !REGION_RE.is_match(region) || !is_account_id(registry_id) {
                    return Err(bad());
                }
                Ok(Destination {
                    region: region.into(),
                    registry_id: registry_id.into(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let filters = match filters {
            None => vec![],
            Some(f) => f
                .split('+')
                .map(|f| {
                    let (t, filter) = f.split_once(':').ok_or_else(bad)?;
                    if filter.is_empty() || t.is_empty() {
                        return Err(bad());
                    }
                    Ok(Filter {
                        filter: filter.into(),
                        filter_type: t.into(),
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
        };
        Ok(Rule {
            destinations,
            filters,
        })
    }
}

/// Where `rule` is in `rules`.
pub fn position(rules: &[Rule], rule: &Rule) -> Option<usize> {
    rules.iter().position(|r| r.same_as(rule))
}

/// The registry's rules with `new` in place of `old` (or of an equal rule already there), or
/// appended; every other rule keeps its content and position. Fails when the list would exceed
/// [`MAX_RULES`].
pub fn upsert(rules: &[Rule], old: Option<&Rule>, new: &Rule) -> Result<Vec<Rule>, String> {
    let mut out = rules.to_vec();
    let at_old = old.and_then(|o| position(&out, o));
    match (at_old, position(&out, new)) {
        (_, Some(_)) if at_old.is_none() => {}
        (Some(i), Some(j)) if i != j => {
            // Both the old and the new rule are there: the new one exists already.
            out.remove(i);
        }
        (Some(i), _) => out[i] = new.clone(),
        (None, _) => out.push(new.clone()),
    }
    if out.len() > MAX_RULES {
        return Err(format!(
            "The registry already has {} replication rules, the most a configuration holds ({MAX_RULES}); this rule cannot be added. Remove a rule first.",
            rules.len()
        ));
    }
    Ok(out)
}

/// The registry's rules without `rule`; `None` when it is not there.
pub fn remove(rules: &[Rule], rule: &Rule) -> Option<Vec<Rule>> {
    let i = position(rules, rule)?;
    let mut out = rules.to_vec();
    out.remove(i);
    Some(out)
}

/// The form of `remote` closest to `prior`: when the two are the same rule, the prior order of
/// destinations and filters is kept, so AWS reordering them never shows a diff.
pub fn keep_order(prior: &Rule, remote: Rule) -> Rule {
    if prior.same_as(&remote)
        && prior.destinations.len() == remote.destinations.len()
        && prior.filters.len() == remote.filters.len()
    {
        prior.clone()
    } else {
        remote
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACC: &str = "111122223333";

    fn dest<'a>(region: &'a str, id: &'a str) -> DestinationSpec<'a> {
        DestinationSpec {
            region: Some(region),
            registry_id: Some(id),
        }
    }
    fn filt(f: &str) -> FilterSpec<'_> {
        FilterSpec {
            filter: Some(f),
            filter_type: Some("PREFIX_MATCH"),
        }
    }
    fn spec<'a>(d: Vec<DestinationSpec<'a>>, f: Vec<FilterSpec<'a>>) -> RuleSpec<'a> {
        RuleSpec {
            destinations: Some(d),
            filters: Some(f),
        }
    }
    fn registry() -> Registry<'static> {
        Registry {
            region: Some("us-east-1"),
            account: Some(ACC),
        }
    }
    fn run(rules: &[RuleSpec]) -> Problems {
        let mut p = Problems::default();
        check_rules(rules, registry(), &[Step::Attr("rule")], &mut p);
        p
    }
    fn rule(d: &[(&str, &str)], f: &[&str]) -> Rule {
        Rule {
            destinations: d
                .iter()
                .map(|(r, i)| Destination {
                    region: (*r).into(),
                    registry_id: (*i).into(),
                })
                .collect(),
            filters: f
                .iter()
                .map(|f| Filter {
                    filter: (*f).into(),
                    filter_type: "PREFIX_MATCH".into(),
                })
                .collect(),
        }
    }

    #[test]
    fn a_good_configuration_has_no_problems() {
        let p = run(&[
            spec(
                vec![dest("eu-west-1", ACC), dest("us-east-1", "444455556666")],
                vec![filt("prod"), filt("team/app")],
            ),
            spec(vec![dest("ap-southeast-5", ACC)], vec![]),
        ]);
        assert!(p.0.is_empty(), "{p:?}");
    }

    #[test]
    fn limits_are_enforced_at_their_paths() {
        let many: Vec<RuleSpec> = (0..26)
            .map(|_| spec(vec![dest("eu-west-1", ACC)], vec![filt("a1")]))
            .collect();
        let p = run(&many);
        assert_eq!(p.paths()[0], "rule");
        assert!(p.0[0].detail.contains("at most 25"));
        let dests: Vec<DestinationSpec> = (0..101).map(|_| dest("eu-west-1", ACC)).collect();
        let p = run(&[spec(dests, vec![])]);
        assert!(p.paths().contains(&"rule[0].destination".to_string()));
        let filters: Vec<FilterSpec> = (0..101).map(|_| filt("ab")).collect();
        let p = run(&[spec(vec![dest("eu-west-1", ACC)], filters)]);
        assert_eq!(p.paths(), ["rule[0].repository_filter"]);
        let p = run(&[spec(vec![], vec![])]);
        assert_eq!(p.paths(), ["rule[0].destination"]);
    }

    #[test]
    fn destinations_are_checked() {
        let p = run(&[spec(
            vec![
                dest("EU_WEST", ACC),
                dest("eu-west-1", "12345"),
                dest("us-east-1", ACC),
                dest("mars-1", ACC),
            ],
            vec![],
        )]);
        assert_eq!(
            p.paths(),
            [
                "rule[0].destination[0].region",
                "rule[0].destination[1].registry_id",
                "rule[0].destination[2]",
                "rule[0].destination[3].region"
            ]
        );
        assert_eq!(
            p.0.iter().map(|x| x.error).collect::<Vec<_>>(),
            [true, true, true, false]
        );
        assert!(p.0[2].detail.contains("cannot replicate to itself"));
        // The same region in another account, or another region of this account, is fine.
        let p = run(&[spec(
            vec![dest("us-east-1", "444455556666"), dest("us-west-2", ACC)],
            vec![],
        )]);
        assert!(p.0.is_empty(), "{p:?}");
        // Without the provider's account the self-check cannot run.
        let mut p = Problems::default();
        check_rules(
            &[spec(vec![dest("us-east-1", ACC)], vec![])],
            Registry {
                region: Some("us-east-1"),
                account: None,
            },
            &[],
            &mut p,
        );
        assert!(p.0.is_empty());
        // Another partition, and a repeated destination, are warnings.
        let p = run(&[spec(
            vec![
                dest("cn-north-1", ACC),
                dest("eu-west-1", ACC),
                dest("eu-west-1", ACC),
            ],
            vec![],
        )]);
        assert_eq!(
            p.paths(),
            ["rule[0].destination[0].region", "rule[0].destination[2]"]
        );
        assert!(!p.has_errors());
    }

    #[test]
    fn filters_follow_aws_pattern_and_type() {
        let p = run(&[spec(
            vec![dest("eu-west-1", ACC)],
            vec![
                filt("a"),
                filt("Prod"),
                filt("prod-*"),
                FilterSpec {
                    filter: Some("ok/team"),
                    filter_type: Some("WILDCARD"),
                },
                filt("team/sub.app"),
            ],
        )]);
        assert_eq!(
            p.paths(),
            [
                "rule[0].repository_filter[0].filter",
                "rule[0].repository_filter[1].filter",
                "rule[0].repository_filter[2].filter",
                "rule[0].repository_filter[3].filter_type"
            ]
        );
        let long = "a".repeat(257);
        let p = run(&[spec(vec![dest("eu-west-1", ACC)], vec![filt(&long)])]);
        assert!(p.0[0].detail.contains("257 characters"));
    }

    #[test]
    fn repeated_rules_warn_whatever_their_order() {
        let p = run(&[
            spec(
                vec![dest("eu-west-1", ACC), dest("eu-west-2", ACC)],
                vec![filt("a1")],
            ),
            spec(
                vec![dest("eu-west-2", ACC), dest("eu-west-1", ACC)],
                vec![filt("a1")],
            ),
        ]);
        assert_eq!(p.paths(), ["rule[1]"]);
        assert!(!p.has_errors());
        // Unknown values: no identity, no warning.
        let p = run(&[
            spec(vec![dest("eu-west-1", ACC)], vec![]),
            spec(
                vec![DestinationSpec {
                    region: None,
                    registry_id: Some(ACC),
                }],
                vec![],
            ),
        ]);
        assert!(p.0.is_empty());
    }

    #[test]
    fn ids_are_canonical_and_round_trip() {
        let r = rule(&[("eu-west-2", ACC), ("eu-west-1", ACC)], &["team", "prod"]);
        let id = r.id();
        assert_eq!(
            id,
            "eu-west-1:111122223333+eu-west-2:111122223333|PREFIX_MATCH:prod+PREFIX_MATCH:team"
        );
        let back = Rule::parse_id(&id).unwrap();
        assert!(back.same_as(&r));
        assert_eq!(
            rule(&[("eu-west-1", ACC)], &[]).id(),
            "eu-west-1:111122223333"
        );
        for bad in [
            "",
            "eu-west-1",
            "eu-west-1:12",
            "eu-west-1:111122223333|prod",
            "eu-west-1:111122223333|:x",
        ] {
            assert!(Rule::parse_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn upsert_and_remove_keep_other_rules() {
        let a = rule(&[("eu-west-1", ACC)], &["a1"]);
        let b = rule(&[("eu-west-2", ACC)], &[]);
        let c = rule(&[("eu-west-3", ACC)], &["c1"]);
        let c2 = rule(&[("eu-west-3", ACC)], &["c2"]);
        let rules = vec![a.clone(), b.clone()];
        // Append a new rule.
        let with_c = upsert(&rules, None, &c).unwrap();
        assert_eq!(with_c, vec![a.clone(), b.clone(), c.clone()]);
        // Already there (e.g. a retried apply): unchanged.
        assert_eq!(upsert(&with_c, None, &c).unwrap(), with_c);
        // Update in place keeps the position.
        let updated = upsert(&[c.clone(), a.clone(), b.clone()], Some(&c), &c2).unwrap();
        assert_eq!(updated, vec![c2.clone(), a.clone(), b.clone()]);
        // The old rule vanished outside Terraform: the new one is appended.
        assert_eq!(
            upsert(&rules, Some(&c), &c2).unwrap(),
            vec![a.clone(), b.clone(), c2.clone()]
        );
        // Old and new both present: the old one goes.
        assert_eq!(
            upsert(&[c.clone(), a.clone(), c2.clone()], Some(&c), &c2).unwrap(),
            vec![a.clone(), c2.clone()]
        );
        // Removal keeps the rest in order.
        assert_eq!(remove(&with_c, &b).unwrap(), vec![a.clone(), c.clone()]);
        assert_eq!(remove(&rules, &c), None);
        // The limit.
        let full: Vec<Rule> = (0..MAX_RULES)
            .map(|i| rule(&[("eu-west-1", ACC)], &[&format!("r{i}")]))
            .collect();
        assert!(upsert(&full, None, &c).unwrap_err().contains("25"));
        assert!(upsert(&full, Some(&full[3]), &c).is_ok());
    }

    #[test]
    fn remote_reordering_keeps_the_prior_form() {
        let prior = rule(&[("eu-west-1", ACC), ("eu-west-2", ACC)], &["a1", "b1"]);
        let remote = rule(&[("eu-west-2", ACC), ("eu-west-1", ACC)], &["b1", "a1"]);
        assert_eq!(keep_order(&prior, remote.clone()), prior);
        let changed = rule(&[("eu-west-2", ACC)], &["b1", "a1"]);
        assert_eq!(keep_order(&prior, changed.clone()), changed);
    }
}
