//! The AWS read layer of refreshes: reads shared or batched across resources so a refresh of
//! N repositories costs about 2 N calls, not 3 N (`bench/refresh.py`).
//!
//! - [`RepositoryReads`]: one DescribeRepositories snapshot, then batched by-name reads;
//! - [`LifecyclePolicyReads`]: GetLifecyclePolicy, whose answer for a repository's posture check
//!   (ECR-P004) is kept for the lifecycle policy's own refresh that follows.
//!
//! Both are owned by the provider's [`AwsClients`](super::AwsClients), one per configured
//! provider server.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use aws_sdk_ecr::operation::describe_repositories::DescribeRepositoriesError;
use aws_sdk_ecr::operation::get_lifecycle_policy::GetLifecyclePolicyError;

use super::batch::Coalescer;
use super::errors::{is, text};

/// DescribeRepositories for up to 100 names. ECR fails the whole call when one name is missing,
/// so a batch that hits RepositoryNotFound is re-asked name by name.
async fn describe_many(
    ecr: aws_sdk_ecr::Client,
    names: Vec<String>,
) -> Result<HashMap<String, aws_sdk_ecr::types::Repository>, String> {
    let not_found = DescribeRepositoriesError::is_repository_not_found_exception;
    let one = |out: aws_sdk_ecr::operation::describe_repositories::DescribeRepositoriesOutput| {
        out.repositories()
            .iter()
            .filter_map(|r| Some((r.repository_name()?.to_string(), r.clone())))
            .collect::<Vec<_>>()
    };
    match ecr
        .describe_repositories()
        .set_repository_names(Some(names.clone()))
        .send()
        .await
    {
        Ok(out) => Ok(one(out).into_iter().collect()),
        Err(e) if is(&e, not_found) && names.len() > 1 => {
            let calls = names
                .iter()
                .map(|n| ecr.describe_repositories().repository_names(n).send());
            let mut found = HashMap::new();
            for r in futures::future::join_all(calls).await {
                match r {
                    Ok(out) => found.extend(one(out)),
                    Err(e) if is(&e, not_found) => {}
                    Err(e) => return Err(text(&e)),
                }
            }
            Ok(found)
        }
        Err(e) if is(&e, not_found) => Ok(Default::default()),
        Err(e) => Err(text(&e)),
    }
}

/// How refreshes read repositories with few API calls.
///
/// The first read takes one page (up to 1000) of DescribeRepositories as a snapshot; each
/// repository in it is handed out once, within `SNAPSHOT_TTL`, so a refresh of N repositories
/// costs one call instead of N, and a later read in the same process (debug/reattach mode keeps
/// one process across commands) asks AWS again. Misses (more than 1000 repositories, created
/// since, deleted) go through batched DescribeRepositories by name.
pub struct RepositoryReads {
    ecr: aws_sdk_ecr::Client,
    snapshot:
        tokio::sync::Mutex<Option<(Instant, HashMap<String, aws_sdk_ecr::types::Repository>)>>,
    by_name: Coalescer<aws_sdk_ecr::types::Repository>,
}

const SNAPSHOT_TTL: Duration = Duration::from_secs(20);

impl std::fmt::Debug for RepositoryReads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RepositoryReads")
    }
}

impl RepositoryReads {
    pub fn new(ecr: aws_sdk_ecr::Client) -> Self {
        let by_name = Coalescer::new(Duration::from_millis(5), 100, {
            let ecr = ecr.clone();
            move |names| describe_many(ecr.clone(), names)
        });
        RepositoryReads {
            ecr,
            snapshot: tokio::sync::Mutex::new(None),
            by_name,
        }
    }

    /// The repository named `name` in the caller's registry, `Ok(None)` when it does not exist.
    pub async fn get(&self, name: &str) -> Result<Option<aws_sdk_ecr::types::Repository>, String> {
        {
            let mut snap = self.snapshot.lock().await;
            let fresh = snap
                .as_ref()
                .is_some_and(|(at, _)| at.elapsed() < SNAPSHOT_TTL);
            if !fresh {
                // A failed snapshot is not an error: the by-name path reports real failures.
                *snap = match self
                    .ecr
                    .describe_repositories()
                    .max_results(1000)
                    .send()
                    .await
                {
                    Ok(out) => Some((
                        Instant::now(),
                        out.repositories()
                            .iter()
                            .filter_map(|r| Some((r.repository_name()?.to_string(), r.clone())))
                            .collect(),
                    )),
                    Err(_) => Some((Instant::now(), Default::default())),
                };
            }
            if let Some(repo) = snap.as_mut().and_then(|(_, m)| m.remove(name)) {
                return Ok(Some(repo));
            }
        }
        self.by_name.get(name).await
    }

    /// Like `get`, but never from the snapshot: for reading back a repository just changed
    /// (a snapshot taken by a concurrent read may predate the change).
    pub async fn get_fresh(
        &self,
        name: &str,
    ) -> Result<Option<aws_sdk_ecr::types::Repository>, String> {
        self.by_name.get(name).await
    }
}

/// What GetLifecyclePolicy returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemotePolicy {
    pub registry_id: Option<String>,
    pub text: String,
}

/// How long a prefetched lifecycle policy is handed out.
const PREFETCH_TTL: Duration = Duration::from_secs(20);

/// GetLifecyclePolicy, with the answers read for the repositories' posture checks kept for the
/// lifecycle policies' refreshes that follow in the same walk: one call serves both.
pub struct LifecyclePolicyReads {
    ecr: aws_sdk_ecr::Client,
    prefetched: Mutex<HashMap<String, (Instant, Option<RemotePolicy>)>>,
}

impl std::fmt::Debug for LifecyclePolicyReads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LifecyclePolicyReads")
    }
}

impl LifecyclePolicyReads {
    pub fn new(ecr: aws_sdk_ecr::Client) -> Self {
        LifecyclePolicyReads {
            ecr,
            prefetched: Mutex::default(),
        }
    }

    /// The policy of `repo`; `Ok(None)` when the repository or its lifecycle policy does not
    /// exist.
    pub async fn get(&self, repo: &str) -> Result<Option<RemotePolicy>, String> {
        match self
            .ecr
            .get_lifecycle_policy()
            .repository_name(repo)
            .send()
            .await
        {
            Ok(out) => Ok(Some(RemotePolicy {
                registry_id: out.registry_id().map(str::to_string),
                text: out.lifecycle_policy_text().unwrap_or_default().to_string(),
            })),
            Err(e)
                if is(&e, |k: &GetLifecyclePolicyError| {
                    k.is_lifecycle_policy_not_found_exception()
                        || k.is_repository_not_found_exception()
                }) =>
            {
                Ok(None)
            }
            Err(e) => Err(text(&e)),
        }
    }

    /// Reads the policy of `repo` on behalf of the repository's refresh and keeps the answer
    /// for [`LifecyclePolicyReads::take_or_get`]; whether a policy exists.
    pub async fn prefetch(&self, repo: &str) -> Result<bool, String> {
        let p = self.get(repo).await?;
        let exists = p.is_some();
        self.prefetched
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(repo.to_string(), (Instant::now(), p));
        Ok(exists)
    }

    /// The prefetched answer for `repo` (handed out once, while fresh), else a new read.
    pub async fn take_or_get(&self, repo: &str) -> Result<Option<RemotePolicy>, String> {
        if let Some(p) = self.take_prefetched(repo) {
            return Ok(p);
        }
        self.get(repo).await
    }

    fn take_prefetched(&self, repo: &str) -> Option<Option<RemotePolicy>> {
        let mut m = self.prefetched.lock().unwrap_or_else(|e| e.into_inner());
        let (at, p) = m.remove(repo)?;
        (at.elapsed() < PREFETCH_TTL).then_some(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads() -> LifecyclePolicyReads {
        let conf = aws_sdk_ecr::Config::builder()
            .behavior_version(aws_sdk_ecr::config::BehaviorVersion::latest())
            .region(aws_sdk_ecr::config::Region::new("us-east-1"))
            .build();
        LifecyclePolicyReads::new(aws_sdk_ecr::Client::from_conf(conf))
    }

    #[test]
    fn a_prefetched_answer_is_handed_out_once_while_fresh() {
        let r = reads();
        let p = RemotePolicy {
            registry_id: None,
            text: "{}".into(),
        };
        let put = |r: &LifecyclePolicyReads, at: Instant| {
            r.prefetched
                .lock()
                .unwrap()
                .insert("app".into(), (at, Some(p.clone())));
        };
        put(&r, Instant::now());
        assert_eq!(r.take_prefetched("app"), Some(Some(p.clone())));
        assert_eq!(r.take_prefetched("app"), None, "handed out once");
        put(&r, Instant::now() - PREFETCH_TTL);
        assert_eq!(r.take_prefetched("app"), None, "stale");
        assert_eq!(r.take_prefetched("other"), None);
    }

    #[test]
    fn reads_of_two_clients_are_apart() {
        let (one, two) = (reads(), reads());
        one.prefetched
            .lock()
            .unwrap()
            .insert("app".into(), (Instant::now(), None));
        assert_eq!(two.take_prefetched("app"), None);
        assert_eq!(one.take_prefetched("app"), Some(None));
    }
}
