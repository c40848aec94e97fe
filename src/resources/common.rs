//! Small pieces several resources share: tags with provider default_tags, and waiting out
//! ECR's eventual consistency.

use std::collections::BTreeMap;
use std::future::Future;
use std::time::{Duration, Instant};

use crate::framework::{StopSignal, Val};

/// `tags_all` as AWS will hold it: default tags overridden by the resource's own.
/// Keys to untag and key/values to (re)tag to go from `old` to `new`; shared by every taggable
/// resource (ECR and ECR Public take the same two calls).
pub fn tag_changes(
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
) -> (Vec<String>, BTreeMap<String, String>) {
    let removed = old
        .keys()
        .filter(|k| !new.contains_key(*k))
        .cloned()
        .collect();
    let changed = new
        .iter()
        .filter(|(k, v)| old.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    (removed, changed)
}

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
/// consistent; the incumbent waits up to 2 minutes). `Ok(None)` = still not found.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_changes_untag_removed_and_retag_changed() {
        let m = |v: &[(&str, &str)]| {
            v.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<BTreeMap<_, _>>()
        };
        let (removed, changed) = tag_changes(
            &m(&[("a", "1"), ("b", "2"), ("c", "3")]),
            &m(&[("a", "1"), ("b", "9"), ("d", "4")]),
        );
        assert_eq!(removed, vec!["c".to_string()]);
        assert_eq!(changed, m(&[("b", "9"), ("d", "4")]));
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
}
