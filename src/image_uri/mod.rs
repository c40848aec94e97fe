//! Image URIs of ECR registries as a pure domain: parsing `<registry host>/<repository>[:tag]
//! [@digest]` for private registries (standard, FIPS, dual-stack and China hosts, which is also
//! what pull-through cache repositories use) and for ECR Public, and building one from a
//! repository URL. The host formats are in docs/design/image-uris.md.

use std::sync::LazyLock;

use regex::Regex;

/// What an image URI names. `tag` and `digest` are None when absent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageUri {
    /// The account id of a private registry; for ECR Public the registry alias.
    pub registry_id: String,
    pub region: String,
    pub repository_name: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
    pub registry_host: String,
}

/// Why a URI is not an ECR image URI; `part` names the part at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UriError {
    pub part: &'static str,
    pub message: String,
}

impl std::fmt::Display for UriError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.part, self.message)
    }
}

fn err(part: &'static str, message: impl Into<String>) -> UriError {
    UriError {
        part,
        message: message.into(),
    }
}

/// Private registry hosts: `<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]` and the
/// dual-stack `<account>.dkr-ecr[-fips].<region>.on.aws`.
static PRIVATE_HOST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^([0-9]{12})\.(?:dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?|dkr-ecr(?:-fips)?\.([a-z0-9-]+)\.on\.aws)$",
    )
    .expect("valid regex")
});

/// ECR Public's registry hosts (IPv4 and dual-stack); its API lives in us-east-1.
const PUBLIC_HOSTS: &[&str] = &["public.ecr.aws", "ecr-public.aws.com"];
const PUBLIC_REGION: &str = "us-east-1";

/// Repository names (the CreateRepository pattern): lowercase components separated by `.`, `_`,
/// `-` runs, with `/` between namespaces.
static REPOSITORY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*/)*[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$",
    )
    .expect("valid regex")
});

/// Image tags (OCI distribution: up to 128 characters).
static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$").expect("valid regex"));

/// Digests ECR stores: `sha256:` and 64 lowercase hex digits.
static DIGEST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^sha256:[0-9a-f]{64}$").expect("valid regex"));

/// Parses an image URI such as `123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:1.2@sha256:…`
/// or `public.ecr.aws/docker/library/nginx:latest`.
pub fn parse(uri: &str) -> Result<ImageUri, UriError> {
    if uri.contains("://") {
        return Err(err(
            "scheme",
            format!("{uri:?} has a scheme; an image URI starts with the registry host"),
        ));
    }
    let (host, rest) = uri.split_once('/').ok_or_else(|| {
        err(
            "repository",
            format!("{uri:?} has no repository: expected <registry host>/<repository>"),
        )
    })?;
    let (path, digest) = match rest.split_once('@') {
        Some((p, d)) => (p, Some(check_digest(d)?)),
        None => (rest, None),
    };
    // A `:` after the last `/` starts the tag (hosts have no port here).
    let (path, tag) = match path.rsplit_once(':') {
        Some((p, t)) if !t.contains('/') => (p, Some(check_tag(t)?)),
        _ => (path, None),
    };
    let (registry_id, region, repository_name) = if PUBLIC_HOSTS.contains(&host) {
        let (alias, repo) = path.split_once('/').ok_or_else(|| {
            err(
                "repository",
                format!("{path:?} lacks the registry alias: ECR Public URIs are {host}/<alias>/<repository>"),
            )
        })?;
        check_alias(alias)?;
        (alias.to_string(), PUBLIC_REGION.to_string(), repo)
    } else {
        let caps = PRIVATE_HOST.captures(host).ok_or_else(|| {
            err(
                "registry host",
                format!("{host:?} is not an ECR registry host: expected <account>.dkr.ecr.<region>.amazonaws.com (or its -fips, .cn or dkr-ecr.<region>.on.aws dual-stack forms), or public.ecr.aws"),
            )
        })?;
        let region = caps
            .get(2)
            .or_else(|| caps.get(3))
            .map_or("", |m| m.as_str());
        (caps[1].to_string(), region.to_string(), path)
    };
    check_repository(repository_name)?;
    Ok(ImageUri {
        registry_id,
        region,
        repository_name: repository_name.to_string(),
        tag,
        digest,
        registry_host: host.to_string(),
    })
}

/// `repository_url:tag` or `repository_url@digest`: a value starting with `sha256:` is a
/// digest (and must be one), anything else a tag.
pub fn build(repository_url: &str, tag_or_digest: &str) -> Result<String, (usize, UriError)> {
    let parsed = parse(repository_url).map_err(|e| (0, e))?;
    if parsed.tag.is_some() || parsed.digest.is_some() {
        return Err((
            0,
            err(
                "repository",
                format!("{repository_url:?} already names an image (tag or digest); give the repository URL"),
            ),
        ));
    }
    if tag_or_digest.starts_with("sha256:") || tag_or_digest.contains(':') {
        let d = check_digest(tag_or_digest).map_err(|e| (1, e))?;
        Ok(format!("{repository_url}@{d}"))
    } else {
        let t = check_tag(tag_or_digest).map_err(|e| (1, e))?;
        Ok(format!("{repository_url}:{t}"))
    }
}

fn check_digest(d: &str) -> Result<String, UriError> {
    if DIGEST.is_match(d) {
        Ok(d.to_string())
    } else {
        Err(err(
            "digest",
            format!("{d:?} is not a digest: expected sha256: and 64 lowercase hex digits"),
        ))
    }
}

fn check_tag(t: &str) -> Result<String, UriError> {
    if TAG.is_match(t) {
        Ok(t.to_string())
    } else {
        Err(err(
            "tag",
            format!("{t:?} is not a valid tag: 1-128 characters of A-Z a-z 0-9 _ . -, not starting with . or -"),
        ))
    }
}

fn check_repository(r: &str) -> Result<(), UriError> {
    if (2..=256).contains(&r.len()) && REPOSITORY.is_match(r) {
        Ok(())
    } else {
        Err(err(
            "repository",
            format!("{r:?} is not a repository name: 2-256 characters, lowercase letters and digits separated by . _ - and / between namespaces"),
        ))
    }
}

/// ECR Public registry aliases: 2-50 lowercase letters, digits, `-` and `_`, starting with a
/// letter or digit.
fn check_alias(a: &str) -> Result<(), UriError> {
    let ok = (2..=50).contains(&a.len())
        && a.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        && a.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(err(
            "registry alias",
            format!("{a:?} is not an ECR Public registry alias"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn ok(uri: &str) -> ImageUri {
        parse(uri).unwrap_or_else(|e| panic!("{uri}: {e}"))
    }

    #[test]
    fn private_hosts_in_every_form() {
        for (host, region) in [
            ("111122223333.dkr.ecr.eu-west-1.amazonaws.com", "eu-west-1"),
            (
                "111122223333.dkr.ecr-fips.us-east-1.amazonaws.com",
                "us-east-1",
            ),
            (
                "111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn",
                "cn-north-1",
            ),
            ("111122223333.dkr-ecr.us-west-2.on.aws", "us-west-2"),
            ("111122223333.dkr-ecr-fips.us-east-2.on.aws", "us-east-2"),
        ] {
            let u = ok(&format!("{host}/team/app:1.2"));
            assert_eq!(
                u,
                ImageUri {
                    registry_id: "111122223333".into(),
                    region: region.into(),
                    repository_name: "team/app".into(),
                    tag: Some("1.2".into()),
                    digest: None,
                    registry_host: host.into(),
                }
            );
        }
    }

    #[test]
    fn tags_digests_both_or_neither() {
        let base = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app";
        let u = ok(base);
        assert_eq!((u.tag, u.digest), (None, None));
        let u = ok(&format!("{base}@{D}"));
        assert_eq!((u.tag, u.digest.as_deref()), (None, Some(D)));
        let u = ok(&format!("{base}:v1@{D}"));
        assert_eq!(
            (u.tag.as_deref(), u.digest.as_deref()),
            (Some("v1"), Some(D))
        );
    }

    #[test]
    fn public_and_pull_through_uris() {
        let u = ok("public.ecr.aws/docker/library/nginx:latest");
        assert_eq!(u.registry_id, "docker");
        assert_eq!(u.region, "us-east-1");
        assert_eq!(u.repository_name, "library/nginx");
        assert_eq!(u.registry_host, "public.ecr.aws");
        assert_eq!(ok("ecr-public.aws.com/a1b2c3/tool").repository_name, "tool");
        // A pull-through cache repository is a private repository under the rule's prefix.
        let u = ok("111122223333.dkr.ecr.eu-west-1.amazonaws.com/docker-hub/library/nginx:1.27");
        assert_eq!(u.repository_name, "docker-hub/library/nginx");
    }

    #[test]
    fn errors_name_the_part() {
        for (uri, part) in [
            (
                "https://111122223333.dkr.ecr.eu-west-1.amazonaws.com/app",
                "scheme",
            ),
            ("111122223333.dkr.ecr.eu-west-1.amazonaws.com", "repository"),
            ("docker.io/library/nginx", "registry host"),
            (
                "11112222333.dkr.ecr.eu-west-1.amazonaws.com/app",
                "registry host",
            ),
            (
                "111122223333.dkr.ecr.eu-west-1.amazonaws.com:443/app",
                "registry host",
            ),
            (
                "111122223333.dkr.ecr.eu-west-1.amazonaws.com/App",
                "repository",
            ),
            ("111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:-x", "tag"),
            (
                "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:abc",
                "digest",
            ),
            ("public.ecr.aws/nginx", "repository"),
            ("public.ecr.aws/X/nginx", "registry alias"),
        ] {
            assert_eq!(parse(uri).unwrap_err().part, part, "{uri}");
        }
    }

    #[test]
    fn building_a_uri_checks_tag_or_digest() {
        let url = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app";
        assert_eq!(build(url, "v1.2").unwrap(), format!("{url}:v1.2"));
        assert_eq!(build(url, D).unwrap(), format!("{url}@{D}"));
        assert_eq!(build(url, "sha256:beef").unwrap_err().0, 1);
        assert_eq!(build(url, "sha256:beef").unwrap_err().1.part, "digest");
        assert_eq!(build(url, "bad tag").unwrap_err().1.part, "tag");
        assert_eq!(build(&format!("{url}:v1"), "v2").unwrap_err().0, 0);
        assert_eq!(build("nginx", "v2").unwrap_err().0, 0);
    }
}
