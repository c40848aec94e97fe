//! Retrying a policy write while IAM learns a principal created moments before (a new role, or
//! another account's role made in the same apply). AWS refuses such a policy as invalid for a
//! while; every policy-writing type retries the same way, so the loop lives here once.

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

use crate::framework::StopSignal;

/// How long a refused policy is retried: IAM usually catches up within seconds, rarely a minute.
pub const PRINCIPAL_RETRY: Duration = Duration::from_secs(120);

/// The longest pause between two attempts (pauses double from 2 s up to this).
const MAX_DELAY: Duration = Duration::from_secs(15);

/// Whether an error message is IAM not knowing a principal yet (ECR and ECR Public say
/// "Invalid repository policy provided"; the registry policy says "Principal not found").
pub fn is_principal_propagation(message: &str) -> bool {
    message.contains("Invalid repository policy provided")
        || message.contains("Principal not found")
}

/// A write that was given up: the last error and, when it was retried as propagation, for how
/// long (for a message saying so).
pub struct GaveUp<E> {
    pub error: E,
    pub retried_for: Option<Duration>,
}

/// Runs `call` until it succeeds, fails with an error `propagating` does not recognise, the
/// retry window has passed, or Terraform asks the provider to stop.
pub async fn retry_while_propagating<T, E, F, Fut>(
    stop: &StopSignal,
    what: &str,
    mut call: F,
    propagating: impl Fn(&E) -> bool,
) -> Result<T, GaveUp<E>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let start = Instant::now();
    let mut delay = Duration::from_secs(2);
    loop {
        match call().await {
            Ok(v) => return Ok(v),
            Err(error) => {
                if !propagating(&error) {
                    return Err(GaveUp {
                        error,
                        retried_for: None,
                    });
                }
                if start.elapsed() >= PRINCIPAL_RETRY || !stop.sleep(delay).await {
                    return Err(GaveUp {
                        error,
                        retried_for: Some(start.elapsed()),
                    });
                }
                tracing::info!(
                    what,
                    "policy refused, probably a principal IAM doesn't know yet; retrying"
                );
                delay = (delay * 2).min(MAX_DELAY);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn propagation_messages() {
        assert!(is_principal_propagation("InvalidParameterException: Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'"));
        assert!(is_principal_propagation(
            "Principal not found: arn:aws:iam::1:role/x"
        ));
        assert!(!is_principal_propagation(
            "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Member must have length less than or equal to 10240'"
        ));
    }

    #[tokio::test(start_paused = true)]
    async fn retries_propagation_until_success_and_stops_on_other_errors() {
        let (_tx, stop) = StopSignal::channel();
        let calls = Cell::new(0);
        let got: Result<u32, GaveUp<&str>> = retry_while_propagating(
            &stop,
            "test",
            || {
                calls.set(calls.get() + 1);
                let n = calls.get();
                async move {
                    if n < 3 {
                        Err("Principal not found")
                    } else {
                        Ok(n)
                    }
                }
            },
            |e| is_principal_propagation(e),
        )
        .await;
        assert_eq!(got.ok(), Some(3));

        calls.set(0);
        let got: Result<u32, GaveUp<&str>> = retry_while_propagating(
            &stop,
            "test",
            || {
                calls.set(calls.get() + 1);
                async { Err("AccessDenied") }
            },
            |e| is_principal_propagation(e),
        )
        .await;
        let gave_up = got.err().unwrap();
        assert_eq!(
            (gave_up.error, gave_up.retried_for, calls.get()),
            ("AccessDenied", None, 1)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_after_the_window_saying_how_long() {
        let (_tx, stop) = StopSignal::channel();
        let got: Result<(), GaveUp<&str>> = retry_while_propagating(
            &stop,
            "test",
            || async { Err("Invalid repository policy provided") },
            |e| is_principal_propagation(e),
        )
        .await;
        let waited = got.err().unwrap().retried_for.unwrap();
        assert!(
            waited >= PRINCIPAL_RETRY && waited < PRINCIPAL_RETRY + MAX_DELAY,
            "{waited:?}"
        );
    }
}
