//! Small pieces several resources share: tags with provider default_tags, waiting out
//! ECR's eventual consistency, and adopting what an interrupted apply left behind.

use std::collections::BTreeMap;
use std::future::Future;
use std::time::{Duration, Instant};

use crate::framework::{AttrPath, Diagnostics, StopSignal, Val};
use crate::shared::timeouts::{self, Timeouts};
use crate::timestamp::{format_rfc3339, now_secs};

/// `tags_all` as AWS will hold it: default tags overridden by the resource's own.
pub fn merged_tags(
    defaults: &BTreeMap<String, String>,
    tags: &Val<BTreeMap<String, String>>,
) -> Val<BTreeMap<String, String>> {
    match tags {
        Val::Unknown => Val::Unknown,
        _ => {
            let mut all = defaults.clone();
            if let Some(t) = tags.known() {
                all.extend(t.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            Val::Known(all)
        }
    }
}

/// The resource's own `tags` as seen from AWS: remote tags minus those that only come from
/// default_tags (unless the prior state claimed them). Keeps null vs {} as it was, so an
/// unset `tags` never shows a diff.
pub fn own_tags(
    remote: &BTreeMap<String, String>,
    defaults: &BTreeMap<String, String>,
    prior: &Val<BTreeMap<String, String>>,
) -> Val<BTreeMap<String, String>> {
    let prior_keys = prior.known();
    let own: BTreeMap<String, String> = remote
        .iter()
        .filter(|(k, v)| {
            prior_keys.is_some_and(|p| p.contains_key(*k)) || defaults.get(*k) != Some(*v)
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if own.is_empty() && !prior.is_known() {
        Val::Null
    } else {
        Val::Known(own)
    }
}

/// Retries `op` while it reports "not found yet", for up to `limit` (ECR creation is eventually
/// consistent; hashicorp/aws waits up to 2 minutes too). `Ok(None)` = still not found.
pub async fn retry_while_not_found<T, E, F, Fut>(
    stop: &StopSignal,
    limit: Duration,
    mut op: F,
) -> Result<Option<T>, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>, E>>,
{
    let start = Instant::now();
    let mut delay = Duration::from_millis(200);
    loop {
        match op().await? {
            Some(v) => return Ok(Some(v)),
            None if start.elapsed() >= limit => return Ok(None),
            None => {
                if !stop.sleep(delay).await {
                    return Ok(None);
                }
                delay = (delay * 2).min(Duration::from_secs(5));
            }
        }
    }
}

/// The force flag a delete should use: the value the destroy's own refresh plan recorded (the
/// configuration Terraform does not send with a delete, see `framework::hints`), else the state's.
pub fn force_at_delete(hint_kind: &str, name: &str, in_state: bool) -> bool {
    match crate::framework::hints::lookup(hint_kind, name).as_deref() {
        Some("true") => true,
        Some("false") => false,
        _ => in_state,
    }
}

/// How often, and how many times, a delete polls until the object is gone.
pub const GONE_POLL: Duration = Duration::from_secs(1);

/// How a wait for a deleted object to disappear ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Waited {
    Gone,
    /// Still there when `limit` ran out.
    StillThere,
    /// An error or a stop ended the wait: the delete itself succeeded, so nothing to report.
    GaveUp,
}

/// After a delete, polls `exists` every `poll` until the object is gone or `limit` (the
/// resource's `timeouts.delete`) has passed, so that a re-create in the same apply does not hit
/// "already exists" (deletion is eventually consistent).
pub async fn wait_until_gone<E, F, Fut>(
    stop: &StopSignal,
    poll: Duration,
    limit: Duration,
    mut exists: F,
) -> Waited
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<bool, E>>,
{
    let deadline = std::time::Instant::now() + limit;
    loop {
        match exists().await {
            Ok(false) => return Waited::Gone,
            Ok(true) => {}
            Err(_) => return Waited::GaveUp,
        }
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return Waited::StillThere;
        }
        if !stop.sleep(poll.min(left)).await {
            return Waited::GaveUp;
        }
    }
}

/// After a delete AWS accepted, waits within the resource's `timeouts.delete` for `what` (e.g.
/// `ECR repository "app"`) to disappear; when it has not, an error on `timeouts.delete` says so
/// and how to wait longer.
pub async fn wait_for_deletion<E, F, Fut>(
    stop: &StopSignal,
    t: &Val<Timeouts>,
    what: &str,
    exists: F,
    diags: &mut Diagnostics,
) where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<bool, E>>,
{
    let limit = timeouts::delete(t);
    if wait_until_gone(stop, GONE_POLL, limit, exists).await == Waited::StillThere {
        diags.attr_error(
            AttrPath::attr("timeouts").then_attr("delete"),
            format!("{what} is still being deleted"),
            format!("AWS accepted the deletion, but DescribeRepositories still lists the repository after {} (timeouts.delete). Run terraform destroy again to wait longer, or raise timeouts.delete.", timeouts::show(limit)),
        );
    }
}

/// How recent a name-clash repository must be to count as the leftover of an interrupted apply.
const ADOPT_WITHIN_SECS: i64 = 3600;

/// What a create found under its name when AWS said "already exists": the facts that decide
/// whether it is the leftover of an apply killed between the create call and its answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Existing {
    /// Whether it holds any image (any status).
    pub holds_images: bool,
    /// Creation time, seconds since the Unix epoch; `None` when AWS did not say.
    pub created_at: Option<i64>,
    /// Settings that differ from what our create would have made, each as a readable phrase.
    pub mismatches: Vec<String>,
}

/// The adoption decision: `Ok(why it is adopted)` only when the existing object holds no images,
/// was created less than [`ADOPT_WITHIN_SECS`] before `now` and is what our create would have
/// made (so another workspace's repository is not taken over because it happens to be new);
/// otherwise `Err(every reason it is not)`. Pure: the clock is a parameter.
pub fn adoption_verdict(e: &Existing, now: i64) -> Result<String, String> {
    let mut why_not = Vec::new();
    if e.holds_images {
        why_not.push("it holds images".to_string());
    }
    match e.created_at {
        None => why_not.push("AWS did not report when it was created".to_string()),
        Some(t) if now - t >= ADOPT_WITHIN_SECS => why_not.push(format!(
            "it was created {}, more than an hour ago",
            format_rfc3339(t)
        )),
        Some(_) => {}
    }
    why_not.extend(e.mismatches.iter().cloned());
    if why_not.is_empty() {
        let age = e.created_at.map_or(0, |t| (now - t).max(0));
        Ok(format!(
            "it is empty, was created {age} s ago and matches the configuration in every setting: it is most likely left over from an apply that was interrupted after AWS created it"
        ))
    } else {
        Err(why_not.join("; "))
    }
}

/// The adoption flow of a create that hit "already exists": `read` looks the object up and
/// returns the facts plus the object as state would record it (`None`: not found after all);
/// the object is returned when `adoption_verdict` accepts it, with a warning, and otherwise
/// `None` with an error giving every reason and the import command.
pub async fn adopt_if_leftover<M>(
    diags: &mut Diagnostics,
    what: &str,
    type_name: &str,
    id: &str,
    read: impl Future<Output = Result<Option<(Existing, M)>, String>>,
) -> Option<M> {
    let failed =
        format!("{what} {id:?} already exists; reading it to decide whether to adopt it failed");
    let (existing, current) = match read.await {
        Ok(Some(found)) => found,
        Ok(None) => {
            diags.error(
                failed,
                "The create call answered that it already exists, but reading it finds nothing.",
            );
            return None;
        }
        Err(e) => {
            diags.error(failed, e);
            return None;
        }
    };
    let verdict = adoption_verdict(&existing, now_secs());
    if !adopt_or_explain(diags, what, type_name, id, verdict) {
        return None;
    }
    tracing::warn!(
        id,
        kind = what,
        "adopting what an interrupted apply left behind"
    );
    Some(current)
}

/// Adopt-or-explain for a create that hit "already exists". On adoption adds a warning naming
/// the object and why, and returns true; otherwise adds an error with the reasons and the
/// `terraform import` command, and returns false. `what`: e.g. "ECR repository".
pub fn adopt_or_explain(
    diags: &mut Diagnostics,
    what: &str,
    type_name: &str,
    id: &str,
    verdict: Result<String, String>,
) -> bool {
    match verdict {
        Ok(why) => {
            diags.warning(
                format!("Adopted existing {what} {id:?}"),
                format!("{what} {id:?} already existed; the provider adopted it instead of failing because {why}."),
            );
            true
        }
        Err(why_not) => {
            diags.error(
                format!("{what} {id:?} already exists"),
                format!("{what} {id:?} already exists and was not adopted: {why_not}. To manage it with Terraform, import it (use your resource's address):\n\n  terraform import {type_name}.<name> {id}"),
            );
            false
        }
    }
}

/// A `moved` block from hashicorp/aws: hands `source` to the type's translation
/// (`moved_from_aws`, built on `crate::moves`), reporting why it cannot be moved.
pub fn move_from_aws<M>(
    source: &crate::framework::MoveSource<'_>,
    diags: &mut crate::framework::Diagnostics,
    translate: impl FnOnce(&crate::moves::Source<'_>) -> Result<M, crate::moves::MoveError>,
) -> Option<M> {
    let src = crate::moves::Source {
        provider_address: source.provider_address,
        type_name: source.type_name,
        schema_version: source.schema_version,
        state: source.state,
        identity: source.identity,
    };
    match translate(&src) {
        Ok(m) => Some(m),
        Err(e) => {
            diags.error(e.summary, e.detail);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_000_000; // a fixed clock

    fn fresh() -> Existing {
        Existing {
            holds_images: false,
            created_at: Some(NOW - 60),
            mismatches: vec![],
        }
    }

    #[test]
    fn an_empty_recent_matching_repository_is_adopted() {
        let why = adoption_verdict(&fresh(), NOW).unwrap();
        assert!(why.contains("60 s ago"), "{why}");
    }

    #[test]
    fn images_refuse_adoption() {
        let busy = Existing {
            holds_images: true,
            ..fresh()
        };
        assert_eq!(adoption_verdict(&busy, NOW), Err("it holds images".into()));
    }

    #[test]
    fn age_limit_is_one_hour() {
        let just_inside = Existing {
            created_at: Some(NOW - ADOPT_WITHIN_SECS + 1),
            ..fresh()
        };
        assert!(adoption_verdict(&just_inside, NOW).is_ok());
        let at_limit = Existing {
            created_at: Some(NOW - ADOPT_WITHIN_SECS),
            ..fresh()
        };
        let err = adoption_verdict(&at_limit, NOW).unwrap_err();
        assert_eq!(
            err,
            format!(
                "it was created {}, more than an hour ago",
                format_rfc3339(NOW - 3600)
            )
        );
        assert!(err.contains("2026-11-18T"), "{err}");
        let unknown = Existing {
            created_at: None,
            ..fresh()
        };
        assert!(adoption_verdict(&unknown, NOW).is_err());
        // A creation time slightly ahead of our clock (skew) is recent, not an error.
        let ahead = Existing {
            created_at: Some(NOW + 5),
            ..fresh()
        };
        assert!(adoption_verdict(&ahead, NOW).is_ok());
    }

    #[test]
    fn create_only_mismatches_refuse_and_all_reasons_are_given() {
        let kms = Existing {
            mismatches: vec!["encryption KMS differs from planned AES256".into()],
            ..fresh()
        };
        assert_eq!(
            adoption_verdict(&kms, NOW),
            Err("encryption KMS differs from planned AES256".into())
        );
        let all = Existing {
            holds_images: true,
            created_at: Some(NOW - 7200),
            mismatches: vec!["x differs".into()],
        };
        let err = adoption_verdict(&all, NOW).unwrap_err();
        assert!(err.starts_with("it holds images; it was created "), "{err}");
        assert!(err.ends_with("; x differs"), "{err}");
    }

    #[test]
    fn adopt_or_explain_warns_or_errors_with_the_import_command() {
        let mut d = Diagnostics::new();
        assert!(adopt_or_explain(
            &mut d,
            "ECR repository",
            "ecr_repository",
            "a/b",
            Ok("why".into())
        ));
        assert!(!d.has_errors());
        assert!(d.0[0]
            .summary
            .contains("Adopted existing ECR repository \"a/b\""));
        let mut d = Diagnostics::new();
        assert!(!adopt_or_explain(
            &mut d,
            "ECR repository",
            "ecr_repository",
            "a/b",
            Err("it holds images".into())
        ));
        assert!(d.has_errors());
        assert!(d.0[0].detail.contains("it holds images"));
        assert!(d.0[0]
            .detail
            .contains("terraform import ecr_repository.<name> a/b"));
    }

    fn m(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn resource_tags_override_defaults() {
        let all = merged_tags(
            &m(&[("env", "test"), ("team", "a")]),
            &Val::Known(m(&[("team", "b")])),
        );
        assert_eq!(all, Val::Known(m(&[("env", "test"), ("team", "b")])));
        assert_eq!(merged_tags(&m(&[]), &Val::Unknown), Val::Unknown);
    }

    #[test]
    fn own_tags_drop_defaults_and_keep_null() {
        let defaults = m(&[("env", "test")]);
        assert_eq!(
            own_tags(&m(&[("env", "test")]), &defaults, &Val::Null),
            Val::Null
        );
        assert_eq!(
            own_tags(&m(&[("env", "test"), ("a", "1")]), &defaults, &Val::Null),
            Val::Known(m(&[("a", "1")]))
        );
        // A default tag changed outside Terraform is the resource's drift, shown in tags.
        assert_eq!(
            own_tags(&m(&[("env", "prod")]), &defaults, &Val::Null),
            Val::Known(m(&[("env", "prod")]))
        );
        assert_eq!(
            own_tags(&m(&[]), &defaults, &Val::Known(m(&[]))),
            Val::Known(m(&[]))
        );
    }

    #[tokio::test]
    async fn retry_gives_up_after_the_limit() {
        let (_tx, stop) = StopSignal::channel();
        let mut calls = 0;
        let r: Result<Option<u8>, ()> =
            retry_while_not_found(&stop, Duration::from_millis(300), || {
                calls += 1;
                async { Ok(None) }
            })
            .await;
        assert_eq!(r, Ok(None));
        assert!(calls >= 2);
    }

    #[tokio::test]
    async fn wait_until_gone_polls_until_absent_or_the_limit() {
        const POLL: Duration = Duration::from_millis(1);
        let (_tx, stop) = StopSignal::channel();
        let mut answers = vec![Ok(false), Ok(true), Ok(true)];
        let mut calls = 0;
        let w = wait_until_gone(&stop, POLL, Duration::from_secs(5), || {
            calls += 1;
            let a: Result<bool, ()> = answers.pop().unwrap();
            async move { a }
        })
        .await;
        assert_eq!(
            (w, calls),
            (Waited::Gone, 3),
            "two 'still there' answers, then gone"
        );

        let mut calls = 0;
        let w = wait_until_gone(&stop, POLL, Duration::from_secs(5), || {
            calls += 1;
            async { Err::<bool, ()>(()) }
        })
        .await;
        assert_eq!((w, calls), (Waited::GaveUp, 1), "an error ends the wait");

        let started = std::time::Instant::now();
        let w = wait_until_gone(&stop, POLL, Duration::from_millis(30), || async {
            Ok::<bool, ()>(true)
        })
        .await;
        assert_eq!(w, Waited::StillThere);
        assert!(started.elapsed() >= Duration::from_millis(30));
    }
}
