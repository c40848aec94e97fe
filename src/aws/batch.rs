//! Coalescing of concurrent single-item reads into one batched API call.
//!
//! Terraform refreshes up to 10 resources at once, each asking for one repository. ECR's
//! DescribeRepositories takes up to 100 names, so reads that arrive within a few milliseconds of
//! each other share one call: a refresh of N repositories costs about N/10 describe calls instead
//! of N. The first caller of a batch waits `window`, then fetches for everyone who joined.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::oneshot;

type Fetch<V> = Arc<
    dyn Fn(Vec<String>) -> Pin<Box<dyn Future<Output = Result<HashMap<String, V>, String>> + Send>>
        + Send
        + Sync,
>;

struct Open<V> {
    id: u64,
    waiters: Vec<(String, oneshot::Sender<Result<Option<V>, String>>)>,
}

/// Batches `get(key)` calls; `fetch(keys)` returns the found items by key (absent = not found).
pub struct Coalescer<V> {
    window: Duration,
    max: usize,
    fetch: Fetch<V>,
    state: Mutex<(u64, Option<Open<V>>)>,
}

impl<V: Clone + Send + 'static> Coalescer<V> {
    pub fn new<F, Fut>(window: Duration, max: usize, fetch: F) -> Self
    where
        F: Fn(Vec<String>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<HashMap<String, V>, String>> + Send + 'static,
    {
        Coalescer {
            window,
            max: max.max(1),
            fetch: Arc::new(move |k| Box::pin(fetch(k))),
            state: Mutex::new((0, None)),
        }
    }

    /// The item for `key`, `Ok(None)` when it does not exist.
    pub async fn get(&self, key: &str) -> Result<Option<V>, String> {
        let (tx, rx) = oneshot::channel();
        let (leader_of, full) = {
            let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
            let (next_id, open) = &mut *st;
            match open {
                Some(b) => {
                    b.waiters.push((key.to_string(), tx));
                    let full = if b.waiters.len() >= self.max {
                        open.take()
                    } else {
                        None
                    };
                    (None, full)
                }
                None => {
                    *next_id += 1;
                    *open = Some(Open {
                        id: *next_id,
                        waiters: vec![(key.to_string(), tx)],
                    });
                    (Some(*next_id), None)
                }
            }
        };
        if let Some(batch) = full {
            self.run(batch).await;
        } else if let Some(id) = leader_of {
            tokio::time::sleep(self.window).await;
            let batch = {
                let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
                if st.1.as_ref().is_some_and(|b| b.id == id) {
                    st.1.take()
                } else {
                    None
                }
            };
            if let Some(batch) = batch {
                self.run(batch).await;
            }
        }
        rx.await
            .unwrap_or_else(|_| Err("batched read was dropped".into()))
    }

    async fn run(&self, batch: Open<V>) {
        let mut keys: Vec<String> = batch.waiters.iter().map(|(k, _)| k.clone()).collect();
        keys.sort();
        keys.dedup();
        let result = (self.fetch)(keys).await;
        for (key, tx) in batch.waiters {
            let _ = tx.send(match &result {
                Ok(found) => Ok(found.get(&key).cloned()),
                Err(e) => Err(e.clone()),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn counting(calls: Arc<AtomicUsize>, sizes: Arc<Mutex<Vec<usize>>>) -> Coalescer<String> {
        Coalescer::new(Duration::from_millis(20), 3, move |keys: Vec<String>| {
            let calls = calls.clone();
            let sizes = sizes.clone();
            async move {
                calls.fetch_add(1, Ordering::SeqCst);
                sizes.lock().unwrap().push(keys.len());
                Ok(keys
                    .into_iter()
                    .filter(|k| k != "missing")
                    .map(|k| (k.clone(), k.to_uppercase()))
                    .collect())
            }
        })
    }

    #[tokio::test]
    async fn concurrent_gets_share_calls_and_respect_the_batch_size() {
        let calls = Arc::new(AtomicUsize::new(0));
        let sizes = Arc::new(Mutex::new(vec![]));
        let c = Arc::new(counting(calls.clone(), sizes.clone()));
        let keys = ["a", "b", "c", "d", "missing"];
        let handles: Vec<_> = keys
            .iter()
            .map(|k| {
                let c = c.clone();
                let k = k.to_string();
                tokio::spawn(async move { c.get(&k).await })
            })
            .collect();
        let mut out = vec![];
        for h in handles {
            out.push(h.await.unwrap().unwrap());
        }
        assert_eq!(
            out,
            vec![
                Some("A".into()),
                Some("B".into()),
                Some("C".into()),
                Some("D".into()),
                None
            ]
        );
        assert_eq!(
            calls.load(Ordering::SeqCst),
            2,
            "5 keys with max 3 per batch need 2 calls"
        );
        let mut s = sizes.lock().unwrap().clone();
        s.sort();
        assert_eq!(s, vec![2, 3]);
    }

    #[tokio::test]
    async fn sequential_gets_each_make_a_call_and_errors_reach_every_waiter() {
        let calls = Arc::new(AtomicUsize::new(0));
        let c = counting(calls.clone(), Arc::new(Mutex::new(vec![])));
        assert_eq!(c.get("x").await.unwrap(), Some("X".into()));
        assert_eq!(c.get("y").await.unwrap(), Some("Y".into()));
        assert_eq!(calls.load(Ordering::SeqCst), 2);

        let failing: Arc<Coalescer<String>> = Arc::new(Coalescer::new(
            Duration::from_millis(20),
            10,
            |_k: Vec<String>| async { Err("throttled".to_string()) },
        ));
        let (a, b) = tokio::join!(failing.get("a"), failing.get("b"));
        assert_eq!(a.unwrap_err(), "throttled");
        assert_eq!(b.unwrap_err(), "throttled");
    }
}

impl<V> std::fmt::Debug for Coalescer<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Coalescer")
            .field("window", &self.window)
            .field("max", &self.max)
            .finish()
    }
}
