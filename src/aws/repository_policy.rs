//! Repository-policy calls shared by `ecr_repository_policy` and `ecr_cross_account_grant`:
//! Get/Set/Delete with the IAM-propagation retry (`propagation`), and a
//! per-repository lock so grants applied in parallel (Terraform runs 10 at once) read-modify-write
//! one after the other.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use aws_sdk_ecr::operation::delete_repository_policy::DeleteRepositoryPolicyError;
use aws_sdk_ecr::operation::get_repository_policy::GetRepositoryPolicyError;
use aws_sdk_ecr::operation::set_repository_policy::SetRepositoryPolicyError;

use super::errors::{self, is};
use super::propagation::{is_principal_propagation, retry_while_propagating};
use super::AwsClients;
use crate::framework::StopSignal;

/// The lock of one repository's policy. Held across read → modify → write → verify.
pub async fn lock(repository: &str) -> tokio::sync::OwnedMutexGuard<()> {
    static LOCKS: OnceLock<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>> = OnceLock::new();
    let m = {
        let mut map = LOCKS
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        map.entry(repository.to_string()).or_default().clone()
    };
    m.lock_owned().await
}

/// What GetRepositoryPolicy returned.
#[derive(Debug, Clone)]
pub struct Remote {
    pub registry_id: Option<String>,
    pub text: String,
}

/// `Ok(None)` when the repository or its policy does not exist.
pub async fn get(aws: &AwsClients, repository: &str) -> Result<Option<Remote>, String> {
    match aws
        .ecr
        .get_repository_policy()
        .repository_name(repository)
        .send()
        .await
    {
        Ok(out) => Ok(out.policy_text().map(|t| Remote {
            registry_id: out.registry_id().map(str::to_string),
            text: t.to_string(),
        })),
        Err(e)
            if is(&e, |k: &GetRepositoryPolicyError| {
                k.is_repository_policy_not_found_exception()
                    || k.is_repository_not_found_exception()
            }) =>
        {
            Ok(None)
        }
        Err(e) => Err(errors::text(&e)),
    }
}

/// Why SetRepositoryPolicy failed.
#[derive(Debug)]
pub enum SetError {
    RepositoryNotFound(String),
    /// AWS refused the document (after the principal-propagation retry ran out).
    Invalid(String),
    Other(String),
}

impl std::fmt::Display for SetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SetError::RepositoryNotFound(e) | SetError::Invalid(e) | SetError::Other(e) => {
                f.write_str(e)
            }
        }
    }
}

/// SetRepositoryPolicy, retried for a while when AWS answers that a principal is unknown
/// (`propagation`). Returns the registry id.
pub async fn set(
    aws: &AwsClients,
    stop: &StopSignal,
    repository: &str,
    text: &str,
) -> Result<Option<String>, SetError> {
    let sent = retry_while_propagating(
        stop,
        repository,
        || {
            aws.ecr
                .set_repository_policy()
                .repository_name(repository)
                .policy_text(text)
                .send()
        },
        |e| {
            is(e, SetRepositoryPolicyError::is_invalid_parameter_exception)
                && is_principal_propagation(&errors::text(e))
        },
    )
    .await;
    let gave_up = match sent {
        Ok(out) => return Ok(out.registry_id().map(str::to_string)),
        Err(g) => g,
    };
    let e = &gave_up.error;
    let msg = errors::text(e);
    if is(
        e,
        SetRepositoryPolicyError::is_repository_not_found_exception,
    ) {
        Err(SetError::RepositoryNotFound(msg))
    } else if let Some(waited) = gave_up.retried_for {
        Err(SetError::Invalid(format!("{msg}\n\nRetried for {}s in case a principal was just created (IAM is eventually consistent). Check that every principal exists: a role in another account must be created before it can be named in a policy.", waited.as_secs())))
    } else if is(e, SetRepositoryPolicyError::is_invalid_parameter_exception) {
        Err(SetError::Invalid(msg))
    } else {
        Err(SetError::Other(msg))
    }
}

/// DeleteRepositoryPolicy; a missing policy or repository is fine.
pub async fn delete(aws: &AwsClients, repository: &str) -> Result<(), String> {
    match aws
        .ecr
        .delete_repository_policy()
        .repository_name(repository)
        .send()
        .await
    {
        Ok(_) => Ok(()),
        Err(e)
            if is(&e, |k: &DeleteRepositoryPolicyError| {
                k.is_repository_policy_not_found_exception()
                    || k.is_repository_not_found_exception()
            }) =>
        {
            Ok(())
        }
        Err(e) => Err(errors::text(&e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn lock_serialises_one_repository_only() {
        let a = lock("unit/repo-a").await;
        // Another repository is independent.
        let b = tokio::time::timeout(Duration::from_millis(200), lock("unit/repo-b")).await;
        assert!(b.is_ok());
        // The same repository waits.
        let again = tokio::time::timeout(Duration::from_millis(100), lock("unit/repo-a")).await;
        assert!(again.is_err());
        drop(a);
        assert!(
            tokio::time::timeout(Duration::from_millis(200), lock("unit/repo-a"))
                .await
                .is_ok()
        );
    }
}
