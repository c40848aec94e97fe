//! Pull-through cache rules as plain data: which upstream registry a URL names, which upstreams
//! need a Secrets Manager credential, the prefix rules, and the checks of a whole rule
//! ([`check`], [`check_json`]). No AWS, no gRPC: unit-tested here. The rules and their sources
//! are in `docs/design/ecr-limits.md`; the source of every error-level check is in
//! `docs/design/validation.md`.

mod check;

use std::sync::LazyLock;

use regex::Regex;

pub use check::{check, check_json, Field, Names, RuleInput};

/// The upstream registries ECR can cache, with the `upstreamRegistry` value AWS reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Upstream {
    EcrPublic,
    K8s,
    Quay,
    DockerHub,
    GitHub,
    GitLab,
    Azure,
    Chainguard,
    /// Another private ECR registry (cross-account and/or cross-region).
    Ecr {
        account: String,
        region: String,
    },
}

/// The API's `upstreamRegistry` values.
pub const UPSTREAM_KINDS: &[&str] = &[
    "ecr",
    "ecr-public",
    "quay",
    "k8s",
    "docker-hub",
    "github-container-registry",
    "azure-container-registry",
    "gitlab-container-registry",
    "chainguard",
];

impl Upstream {
    /// The API's `upstreamRegistry` enum value.
    pub fn kind(&self) -> &'static str {
        match self {
            Upstream::EcrPublic => "ecr-public",
            Upstream::K8s => "k8s",
            Upstream::Quay => "quay",
            Upstream::DockerHub => "docker-hub",
            Upstream::GitHub => "github-container-registry",
            Upstream::GitLab => "gitlab-container-registry",
            Upstream::Azure => "azure-container-registry",
            Upstream::Chainguard => "chainguard",
            Upstream::Ecr { .. } => "ecr",
        }
    }

    /// Upstreams that authenticate with a Secrets Manager secret (`credential_arn`).
    pub fn needs_secret(&self) -> bool {
        matches!(
            self,
            Upstream::DockerHub
                | Upstream::GitHub
                | Upstream::GitLab
                | Upstream::Azure
                | Upstream::Chainguard
        )
    }
}

/// The URL forms users write for the supported registries.
pub const SUPPORTED: &str = "public.ecr.aws, registry.k8s.io, quay.io, registry-1.docker.io (Docker Hub), ghcr.io, registry.gitlab.com, <name>.azurecr.io, cgr.dev (Chainguard), <account>.dkr.ecr.<region>.amazonaws.com";

static ECR_HOST_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([0-9]{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$")
        .expect("valid regex")
});
static AZURE_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z0-9-]+\.azurecr\.io$").expect("valid regex"));

/// The host part of `upstream_registry_url`: without a scheme or a path.
pub fn host_of(url: &str) -> &str {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    rest.split('/').next().unwrap_or(rest)
}

/// What is unusual about how a URL is written (a scheme or a path around the host), if
/// anything. AWS documents bare host names for every upstream.
pub fn url_caveat(url: &str) -> Option<String> {
    let host = host_of(url);
    (host != url).then(|| {
        format!("AWS documents upstream registry URLs as bare host names; write {host:?} instead of {url:?} (ECR may not recognise the registry otherwise)")
    })
}

/// Classifies the registry `upstream_registry_url` names (by its host); `Err` for a registry
/// ECR does not support, with the supported ones.
pub fn classify(url: &str) -> Result<Upstream, String> {
    let host = host_of(url).to_ascii_lowercase();
    Ok(match host.as_str() {
        "public.ecr.aws" => Upstream::EcrPublic,
        "registry.k8s.io" => Upstream::K8s,
        "quay.io" => Upstream::Quay,
        "registry-1.docker.io" => Upstream::DockerHub,
        "docker.io" | "index.docker.io" | "hub.docker.com" | "registry.hub.docker.com" => {
            return Err(format!(
                "{url:?} is not an upstream ECR supports; for Docker Hub AWS takes \"registry-1.docker.io\""
            ));
        }
        "ghcr.io" => Upstream::GitHub,
        "registry.gitlab.com" => Upstream::GitLab,
        "cgr.dev" => Upstream::Chainguard,
        "k8s.gcr.io" => {
            return Err(format!(
                "{url:?} is not an upstream ECR supports (it is frozen); the Kubernetes registry is \"registry.k8s.io\""
            ))
        }
        h if AZURE_RE.is_match(h) => Upstream::Azure,
        h => match ECR_HOST_RE.captures(h) {
            Some(c) => Upstream::Ecr {
                account: c[1].to_string(),
                region: c[2].to_string(),
            },
            None => {
                return Err(format!(
                    "{url:?} is not an upstream registry ECR can cache. Supported: {SUPPORTED}"
                ))
            }
        },
    })
}

static PREFIX_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*/?|ROOT)$")
        .expect("valid regex")
});

/// Checks an `ecr_repository_prefix` / `upstream_repository_prefix` value (the API's length
/// and pattern).
pub fn check_prefix(p: &str) -> Result<(), String> {
    if p == "ROOT" {
        return Ok(());
    }
    let n = p.chars().count();
    if !(2..=30).contains(&n) {
        return Err(format!(
            "{p:?} has {n} characters; a prefix has 2 to 30 (or is ROOT)"
        ));
    }
    if !PREFIX_RE.is_match(p) {
        return Err(format!(
            "{p:?} is not a valid prefix: lowercase letters and digits separated by '.', '_', '__' or '-', with '/' between components (or exactly ROOT)"
        ));
    }
    Ok(())
}

/// A prefix without its optional trailing `/` (AWS treats `a` and `a/` alike).
pub fn trim_prefix(p: &str) -> &str {
    p.strip_suffix('/').unwrap_or(p)
}

/// The API's `credentialArn` pattern (its length is 50 to 612).
static SECRET_API_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^arn:aws(-\w+)*:secretsmanager:[a-zA-Z0-9-:]+:secret:ecr\-pullthroughcache/[a-zA-Z0-9/_+=.@-]+$")
        .expect("valid regex")
});
/// Region and account of a secret ARN.
static SECRET_PARTS_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^arn:[^:]+:secretsmanager:([^:]+):([0-9]{12}):secret:").expect("valid regex")
});
static ROLE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^arn:aws(-[a-z]+)*:iam::([0-9]{12}):role/[\w+=,.@/-]+$").expect("valid regex")
});

/// A parsed Secrets Manager secret ARN (region and account when the ARN shows them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretArn {
    pub region: Option<String>,
    pub account: Option<String>,
}

/// Checks a `credential_arn` against the API's length and pattern.
pub fn parse_secret_arn(arn: &str) -> Result<SecretArn, String> {
    let n = arn.chars().count();
    if !(50..=612).contains(&n) {
        return Err(format!(
            "{arn:?} has {n} characters; a credential ARN has 50 to 612"
        ));
    }
    if !SECRET_API_RE.is_match(arn) {
        if arn.contains(":secretsmanager:") && !arn.contains(":secret:ecr-pullthroughcache/") {
            return Err(format!(
                "{arn:?}: the secret's name must start with \"ecr-pullthroughcache/\"; ECR only takes secrets with that prefix"
            ));
        }
        return Err(format!("{arn:?} is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:ecr-pullthroughcache/<name>)"));
    }
    let parts = SECRET_PARTS_RE.captures(arn);
    Ok(SecretArn {
        region: parts.as_ref().map(|c| c[1].to_string()),
        account: parts.as_ref().map(|c| c[2].to_string()),
    })
}

/// The longest `custom_role_arn` the API takes.
pub const ROLE_ARN_MAX: usize = 2048;

/// The account of an IAM role ARN, or `None` when `arn` is not written as one.
pub fn role_account(arn: &str) -> Option<String> {
    ROLE_RE.captures(arn).map(|c| c[2].to_string())
}

/// What users put in a Dockerfile `FROM`: `<registry>/<prefix>` (no prefix for ROOT).
pub fn repository_url_prefix(registry_id: &str, region: &str, prefix: &str) -> String {
    let host = format!("{registry_id}.dkr.ecr.{region}.amazonaws.com");
    if prefix == "ROOT" {
        host
    } else {
        format!("{host}/{}", trim_prefix(prefix))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstream_hosts_are_classified() {
        assert_eq!(
            classify("registry-1.docker.io").unwrap().kind(),
            "docker-hub"
        );
        assert_eq!(classify("public.ecr.aws").unwrap().kind(), "ecr-public");
        assert_eq!(classify("quay.io").unwrap().kind(), "quay");
        assert_eq!(classify("registry.k8s.io").unwrap().kind(), "k8s");
        assert_eq!(
            classify("ghcr.io").unwrap().kind(),
            "github-container-registry"
        );
        assert_eq!(
            classify("registry.gitlab.com").unwrap().kind(),
            "gitlab-container-registry"
        );
        assert_eq!(
            classify("myregistry.azurecr.io").unwrap().kind(),
            "azure-container-registry"
        );
        assert_eq!(classify("cgr.dev").unwrap().kind(), "chainguard");
        assert_eq!(
            classify("444455556666.dkr.ecr.eu-west-1.amazonaws.com").unwrap(),
            Upstream::Ecr {
                account: "444455556666".into(),
                region: "eu-west-1".into()
            }
        );
        assert!(classify("docker.io")
            .unwrap_err()
            .contains("registry-1.docker.io"));
        assert!(classify("example.com").unwrap_err().contains("Supported"));
        // A scheme or a path is unusual, not unsupported: the host decides.
        assert_eq!(classify("https://quay.io").unwrap().kind(), "quay");
        assert_eq!(classify("quay.io/org").unwrap().kind(), "quay");
        assert!(url_caveat("https://quay.io")
            .unwrap()
            .contains("\"quay.io\""));
        assert_eq!(url_caveat("quay.io"), None);
        for k in UPSTREAM_KINDS {
            assert!(!k.is_empty());
        }
    }

    #[test]
    fn prefixes() {
        for ok in ["ROOT", "docker-hub", "ab", "team/cache", "a__b", "k8s/"] {
            assert!(check_prefix(ok).is_ok(), "{ok}");
        }
        for bad in ["a", "Docker", "-a", "a//b", "Root", &"a".repeat(31)] {
            assert!(check_prefix(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn secret_and_role_arns() {
        let s = parse_secret_arn(
            "arn:aws:secretsmanager:us-east-1:111122223333:secret:ecr-pullthroughcache/docker-hub-AbCdEf",
        )
        .unwrap();
        assert_eq!(s.region.as_deref(), Some("us-east-1"));
        assert_eq!(s.account.as_deref(), Some("111122223333"));
        assert!(parse_secret_arn(
            "arn:aws:secretsmanager:us-east-1:111122223333:secret:dockerhub-creds-AbCdEf"
        )
        .unwrap_err()
        .contains("ecr-pullthroughcache/"));
        assert!(parse_secret_arn("arn:aws:s3:::bucket").is_err());
        assert!(parse_secret_arn(
            "arn:aws:secretsmanager:us-east-1:111122223333:secret:ecr-pullthroughcache/a b"
        )
        .is_err());
        assert_eq!(
            role_account("arn:aws:iam::111122223333:role/ptc").as_deref(),
            Some("111122223333")
        );
        assert_eq!(role_account("ptc-role"), None);
    }

    #[test]
    fn url_prefix_for_dockerfiles() {
        assert_eq!(
            repository_url_prefix("111122223333", "us-east-1", "docker-hub"),
            "111122223333.dkr.ecr.us-east-1.amazonaws.com/docker-hub"
        );
        assert_eq!(
            repository_url_prefix("111122223333", "us-east-1", "k8s/"),
            "111122223333.dkr.ecr.us-east-1.amazonaws.com/k8s"
        );
        assert_eq!(
            repository_url_prefix("111122223333", "us-east-1", "ROOT"),
            "111122223333.dkr.ecr.us-east-1.amazonaws.com"
        );
    }
}
