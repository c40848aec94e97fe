//! Pull-through cache rules as plain data: which upstream registry a URL names, which upstreams
//! need (or refuse) a Secrets Manager credential, and the prefix rules (`docs/design/ecr-limits.md`).
//! No AWS, no gRPC: unit-tested here.

use std::sync::LazyLock;

use regex::Regex;

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
    LazyLock::new(|| Regex::new(r"^[a-z0-9]{5,50}\.azurecr\.io$").expect("valid regex"));

/// Classifies `upstream_registry_url` (a host name; a scheme or trailing `/` is refused with a
/// hint, since AWS compares the URL literally).
pub fn classify(url: &str) -> Result<Upstream, String> {
    if let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    {
        return Err(format!(
            "write the registry host without a scheme: {rest:?} instead of {url:?}"
        ));
    }
    if url.contains('/') {
        return Err(format!("{url:?} must be a registry host name only (no path); repository paths go in upstream_repository_prefix or in the image name"));
    }
    let host = url.to_ascii_lowercase();
    Ok(match host.as_str() {
        "public.ecr.aws" => Upstream::EcrPublic,
        "registry.k8s.io" => Upstream::K8s,
        "quay.io" => Upstream::Quay,
        "registry-1.docker.io" => Upstream::DockerHub,
        "docker.io" | "index.docker.io" | "hub.docker.com" | "registry.hub.docker.com" => {
            return Err(format!(
                "Docker Hub's registry endpoint is \"registry-1.docker.io\", not {url:?}"
            ));
        }
        "ghcr.io" => Upstream::GitHub,
        "registry.gitlab.com" => Upstream::GitLab,
        "cgr.dev" => Upstream::Chainguard,
        "k8s.gcr.io" => {
            return Err(format!(
                "{url:?} is frozen; the Kubernetes registry is \"registry.k8s.io\""
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

/// Checks an `ecr_repository_prefix` / `upstream_repository_prefix` value.
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

static SECRET_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^arn:(aws(-[a-z]+)*):secretsmanager:([a-z0-9-]+):([0-9]{12}):secret:(.+)$")
        .expect("valid regex")
});
static SECRET_NAME_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^ecr-pullthroughcache/[a-zA-Z0-9/_+=.@-]+$").expect("valid regex")
});
static ROLE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^arn:aws(-[a-z]+)*:iam::([0-9]{12}):role/[\w+=,.@/-]+$").expect("valid regex")
});

/// A parsed Secrets Manager secret ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretArn {
    pub region: String,
    pub account: String,
    pub name: String,
}

pub fn parse_secret_arn(arn: &str) -> Result<SecretArn, String> {
    let n = arn.chars().count();
    if !(50..=612).contains(&n) {
        return Err(format!(
            "{arn:?} has {n} characters; a credential ARN has 50 to 612"
        ));
    }
    let Some(c) = SECRET_RE.captures(arn) else {
        return Err(format!("{arn:?} is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:ecr-pullthroughcache/<name>)"));
    };
    let name = c[5].to_string();
    if !SECRET_NAME_RE.is_match(&name) {
        return Err(format!(
            "the secret's name {name:?} must start with \"ecr-pullthroughcache/\": ECR only reads secrets with that prefix"
        ));
    }
    Ok(SecretArn {
        region: c[3].to_string(),
        account: c[4].to_string(),
        name,
    })
}

/// The account of an IAM role ARN.
pub fn parse_role_arn(arn: &str) -> Result<String, String> {
    if arn.len() > 2048 {
        return Err("custom_role_arn is longer than 2048 characters".into());
    }
    ROLE_RE
        .captures(arn)
        .map(|c| c[2].to_string())
        .ok_or_else(|| {
            format!("{arn:?} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)")
        })
}

/// A rule as configured; `None` = not set (or not known yet, which skips the check).
#[derive(Debug, Default, Clone)]
pub struct RuleInput<'a> {
    pub ecr_repository_prefix: Option<&'a str>,
    pub upstream_registry_url: Option<&'a str>,
    pub credential_arn: Option<&'a str>,
    pub custom_role_arn: Option<&'a str>,
    pub upstream_repository_prefix: Option<&'a str>,
    /// Whether each optional field is known to be null (unknown values are not checked).
    pub credential_arn_null: bool,
}

/// One problem, with the attribute it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub attribute: &'static str,
    pub summary: String,
    pub detail: String,
}

fn problem(attribute: &'static str, summary: &str, detail: String) -> Problem {
    Problem {
        attribute,
        summary: summary.to_string(),
        detail,
    }
}

/// Everything that can be checked from the configuration alone. `region`/`account` are the
/// registry's, when known, for the same-region/same-account rules.
pub fn check(r: &RuleInput<'_>, region: Option<&str>, account: Option<&str>) -> Vec<Problem> {
    let mut out = Vec::new();
    if let Some(p) = r.ecr_repository_prefix {
        if let Err(e) = check_prefix(p) {
            out.push(problem(
                "ecr_repository_prefix",
                "Invalid ecr_repository_prefix",
                e,
            ));
        }
    }
    if let Some(p) = r.upstream_repository_prefix {
        if let Err(e) = check_prefix(p) {
            out.push(problem(
                "upstream_repository_prefix",
                "Invalid upstream_repository_prefix",
                e,
            ));
        } else if p != "ROOT" && r.ecr_repository_prefix == Some("ROOT") {
            out.push(problem(
                "upstream_repository_prefix",
                "upstream_repository_prefix needs a non-ROOT ecr_repository_prefix",
                format!("upstream_repository_prefix {p:?} can be set only when ecr_repository_prefix is not ROOT."),
            ));
        }
    }
    let upstream = match r.upstream_registry_url.map(classify) {
        Some(Ok(u)) => Some(u),
        Some(Err(e)) => {
            out.push(problem(
                "upstream_registry_url",
                "Unsupported upstream_registry_url",
                e,
            ));
            None
        }
        None => None,
    };
    let secret = match r.credential_arn.map(parse_secret_arn) {
        Some(Ok(s)) => Some(s),
        Some(Err(e)) => {
            out.push(problem("credential_arn", "Invalid credential_arn", e));
            None
        }
        None => None,
    };
    if let Some(s) = &secret {
        if let Some(reg) = region.filter(|reg| *reg != s.region) {
            out.push(problem(
                "credential_arn",
                "Secret in another region",
                format!("The secret is in {}, the pull-through cache rule in {reg}: ECR only reads a secret in the rule's own region. Replicate the secret to {reg} and use that ARN.", s.region),
            ));
        }
        if let Some(acc) = account.filter(|acc| *acc != s.account) {
            out.push(problem(
                "credential_arn",
                "Secret in another account",
                format!("The secret belongs to account {}, the registry to {acc}: the secret must be in the registry's own account.", s.account),
            ));
        }
    }
    let role_account = match r.custom_role_arn.map(parse_role_arn) {
        Some(Ok(a)) => Some(a),
        Some(Err(e)) => {
            out.push(problem("custom_role_arn", "Invalid custom_role_arn", e));
            None
        }
        None => None,
    };
    if let (Some(a), Some(acc)) = (&role_account, account) {
        if a != acc {
            out.push(problem(
                "custom_role_arn",
                "Role in another account",
                format!("The role belongs to account {a}, the registry to {acc}: custom_role_arn must be a role of the registry's own account (it is assumed to reach the upstream registry)."),
            ));
        }
    }
    if let Some(u) = &upstream {
        let host = r.upstream_registry_url.unwrap_or_default();
        if u.needs_secret() && r.credential_arn_null {
            out.push(problem(
                "credential_arn",
                "Upstream needs credentials",
                format!("{host} ({}) needs credential_arn: a Secrets Manager secret named \"ecr-pullthroughcache/<name>\" holding {{\"username\": ..., \"accessToken\": ...}}.", u.kind()),
            ));
        }
        if !u.needs_secret() && r.credential_arn.is_some() {
            out.push(problem(
                "credential_arn",
                "Upstream takes no credentials",
                format!(
                    "{host} ({}) is pulled {}; remove credential_arn.",
                    u.kind(),
                    if matches!(u, Upstream::Ecr { .. }) {
                        "with IAM (custom_role_arn for another account)"
                    } else {
                        "anonymously"
                    }
                ),
            ));
        }
        if r.custom_role_arn.is_some() && !matches!(u, Upstream::Ecr { .. }) {
            out.push(problem(
                "custom_role_arn",
                "custom_role_arn is only for ECR upstreams",
                format!("custom_role_arn is used to reach another ECR registry; {host} ({}) does not take a role.", u.kind()),
            ));
        }
        if let Some(p) = r.upstream_repository_prefix {
            if p != "ROOT" && !matches!(u, Upstream::Ecr { .. }) {
                out.push(problem(
                    "upstream_repository_prefix",
                    "upstream_repository_prefix is only for ECR upstreams",
                    format!("upstream_repository_prefix maps a prefix of another ECR registry; {host} ({}) takes none.", u.kind()),
                ));
            }
        }
        if let (
            Upstream::Ecr {
                account: up,
                region: up_region,
            },
            Some(acc),
        ) = (u, account)
        {
            if up == acc && region == Some(up_region.as_str()) {
                out.push(problem(
                    "upstream_registry_url",
                    "Upstream is this registry",
                    format!("{host} is the registry this rule lives in; an ECR upstream must be another account or region."),
                ));
            }
        }
    }
    out
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

    const SECRET: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:ecr-pullthroughcache/docker-hub-AbCdEf";

    fn input<'a>(prefix: &'a str, url: &'a str) -> RuleInput<'a> {
        RuleInput {
            ecr_repository_prefix: Some(prefix),
            upstream_registry_url: Some(url),
            credential_arn_null: true,
            ..Default::default()
        }
    }

    fn attrs(p: &[Problem]) -> Vec<&'static str> {
        p.iter().map(|x| x.attribute).collect()
    }

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
        assert!(classify("https://quay.io")
            .unwrap_err()
            .contains("without a scheme"));
        assert!(classify("example.com").unwrap_err().contains("Supported"));
        assert!(classify("quay.io/org").is_err());
    }

    #[test]
    fn secrets_needed_exactly_where_aws_needs_them() {
        assert_eq!(
            attrs(&check(
                &input("docker-hub", "registry-1.docker.io"),
                None,
                None
            )),
            vec!["credential_arn"]
        );
        let with = RuleInput {
            credential_arn: Some(SECRET),
            credential_arn_null: false,
            ..input("docker-hub", "registry-1.docker.io")
        };
        assert!(check(&with, Some("us-east-1"), Some("111122223333")).is_empty());
        assert!(check(&input("quay", "quay.io"), None, None).is_empty());
        let quay_with = RuleInput {
            credential_arn: Some(SECRET),
            credential_arn_null: false,
            ..input("quay", "quay.io")
        };
        assert_eq!(
            check(&quay_with, None, None)[0].summary,
            "Upstream takes no credentials"
        );
    }

    #[test]
    fn secret_name_region_and_account() {
        assert!(parse_secret_arn(
            "arn:aws:secretsmanager:us-east-1:111122223333:secret:dockerhub-creds-AbCdEf"
        )
        .unwrap_err()
        .contains("ecr-pullthroughcache/"));
        assert!(parse_secret_arn("arn:aws:s3:::bucket").is_err());
        let with = RuleInput {
            credential_arn: Some(SECRET),
            credential_arn_null: false,
            ..input("docker-hub", "registry-1.docker.io")
        };
        let p = check(&with, Some("eu-west-1"), Some("999999999999"));
        assert_eq!(attrs(&p), vec!["credential_arn", "credential_arn"]);
        assert!(p[0].detail.contains("eu-west-1"));
        assert!(p[1].detail.contains("999999999999"));
    }

    #[test]
    fn prefixes_and_root() {
        for ok in ["ROOT", "docker-hub", "ab", "team/cache", "a__b", "k8s/"] {
            assert!(check_prefix(ok).is_ok(), "{ok}");
        }
        for bad in ["a", "Docker", "-a", "a//b", "Root", &"a".repeat(31)] {
            assert!(check_prefix(bad).is_err(), "{bad}");
        }
        let mut r = input("ROOT", "444455556666.dkr.ecr.eu-west-1.amazonaws.com");
        r.upstream_repository_prefix = Some("team");
        assert_eq!(
            attrs(&check(&r, None, None)),
            vec!["upstream_repository_prefix"]
        );
        let mut q = input("quay", "quay.io");
        q.upstream_repository_prefix = Some("team");
        assert_eq!(
            attrs(&check(&q, None, None)),
            vec!["upstream_repository_prefix"]
        );
    }

    #[test]
    fn ecr_upstream_role_rules() {
        let mut r = input("upstream", "444455556666.dkr.ecr.eu-west-1.amazonaws.com");
        r.custom_role_arn = Some("arn:aws:iam::111122223333:role/ptc");
        assert!(check(&r, Some("us-east-1"), Some("111122223333")).is_empty());
        assert_eq!(
            attrs(&check(&r, Some("us-east-1"), Some("222222222222"))),
            vec!["custom_role_arn"]
        );
        let mut q = input("quay", "quay.io");
        q.custom_role_arn = Some("arn:aws:iam::111122223333:role/ptc");
        assert_eq!(attrs(&check(&q, None, None)), vec!["custom_role_arn"]);
        let same = input("self", "111122223333.dkr.ecr.us-east-1.amazonaws.com");
        assert_eq!(
            attrs(&check(&same, Some("us-east-1"), Some("111122223333"))),
            vec!["upstream_registry_url"]
        );
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
