//! The checks of a whole pull-through cache rule, for the resource (Terraform attribute names)
//! and for `pullthrough validate` (the API's field names, from JSON).

use serde_json::Value as Json;

use super::{
    check_prefix, classify, parse_secret_arn, role_account, url_caveat, Upstream, ROLE_ARN_MAX,
    UPSTREAM_KINDS,
};
use crate::findings::Finding;

/// A field of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    EcrRepositoryPrefix,
    UpstreamRegistryUrl,
    UpstreamRegistry,
    CredentialArn,
    CustomRoleArn,
    UpstreamRepositoryPrefix,
    RegistryId,
}

const FIELDS: &[Field] = &[
    Field::EcrRepositoryPrefix,
    Field::UpstreamRegistryUrl,
    Field::UpstreamRegistry,
    Field::CredentialArn,
    Field::CustomRoleArn,
    Field::UpstreamRepositoryPrefix,
    Field::RegistryId,
];

impl Field {
    pub fn terraform(self) -> &'static str {
        match self {
            Field::EcrRepositoryPrefix => "ecr_repository_prefix",
            Field::UpstreamRegistryUrl => "upstream_registry_url",
            Field::UpstreamRegistry => "upstream_registry",
            Field::CredentialArn => "credential_arn",
            Field::CustomRoleArn => "custom_role_arn",
            Field::UpstreamRepositoryPrefix => "upstream_repository_prefix",
            Field::RegistryId => "registry_id",
        }
    }

    pub fn api(self) -> &'static str {
        match self {
            Field::EcrRepositoryPrefix => "ecrRepositoryPrefix",
            Field::UpstreamRegistryUrl => "upstreamRegistryUrl",
            Field::UpstreamRegistry => "upstreamRegistry",
            Field::CredentialArn => "credentialArn",
            Field::CustomRoleArn => "customRoleArn",
            Field::UpstreamRepositoryPrefix => "upstreamRepositoryPrefix",
            Field::RegistryId => "registryId",
        }
    }
}

/// Which names findings use for fields (their `path` and their text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Names {
    Terraform,
    Api,
}

impl Names {
    pub fn of(self, f: Field) -> &'static str {
        match self {
            Names::Terraform => f.terraform(),
            Names::Api => f.api(),
        }
    }
}

/// A rule as configured; `None` = not set (or not known yet, which skips the check).
#[derive(Debug, Default, Clone)]
pub struct RuleInput<'a> {
    pub ecr_repository_prefix: Option<&'a str>,
    pub upstream_registry_url: Option<&'a str>,
    /// The API's `upstreamRegistry` (the resource computes it from the URL instead).
    pub upstream_registry: Option<&'a str>,
    pub credential_arn: Option<&'a str>,
    pub custom_role_arn: Option<&'a str>,
    pub upstream_repository_prefix: Option<&'a str>,
    /// Whether `credential_arn` is known to be unset (unknown values are not checked).
    pub credential_arn_null: bool,
}

/// Everything that can be checked from the rule alone. `region`/`account` are the registry's,
/// when known, for the same-region/same-account rules.
pub fn check(
    r: &RuleInput<'_>,
    region: Option<&str>,
    account: Option<&str>,
    names: Names,
) -> Vec<Finding> {
    let n = |f: Field| names.of(f);
    let mut out = Vec::new();
    for (field, value) in [
        (Field::EcrRepositoryPrefix, r.ecr_repository_prefix),
        (
            Field::UpstreamRepositoryPrefix,
            r.upstream_repository_prefix,
        ),
    ] {
        if let Some(p) = value {
            if let Err(e) = check_prefix(p) {
                out.push(Finding::error(n(field), format!("Invalid {}", n(field)), e));
            }
        }
    }
    if let Some(p) = r.upstream_repository_prefix {
        if p != "ROOT" && r.ecr_repository_prefix == Some("ROOT") && check_prefix(p).is_ok() {
            out.push(Finding::error(
                n(Field::UpstreamRepositoryPrefix),
                format!(
                    "{} needs a non-ROOT {}",
                    n(Field::UpstreamRepositoryPrefix),
                    n(Field::EcrRepositoryPrefix)
                ),
                format!(
                    "{} {p:?} can be set only when {} is not ROOT.",
                    n(Field::UpstreamRepositoryPrefix),
                    n(Field::EcrRepositoryPrefix)
                ),
            ));
        }
    }
    let url = r.upstream_registry_url;
    let upstream = match url.map(classify) {
        Some(Ok(u)) => Some(u),
        Some(Err(e)) => {
            out.push(Finding::error(
                n(Field::UpstreamRegistryUrl),
                format!("Unsupported {}", n(Field::UpstreamRegistryUrl)),
                e,
            ));
            None
        }
        None => None,
    };
    if let Some(c) = url.and_then(url_caveat) {
        out.push(Finding::warning(
            n(Field::UpstreamRegistryUrl),
            "Upstream URL with a scheme or path",
            c,
        ));
    }
    if let Some(kind) = r.upstream_registry {
        if !UPSTREAM_KINDS.contains(&kind) {
            out.push(Finding::error(
                n(Field::UpstreamRegistry),
                format!("Invalid {}", n(Field::UpstreamRegistry)),
                format!("{kind:?} is not one of {}", UPSTREAM_KINDS.join(", ")),
            ));
        } else if let Some(u) = upstream.as_ref().filter(|u| u.kind() != kind) {
            out.push(Finding::warning(
                n(Field::UpstreamRegistry),
                "Upstream registry does not match the URL",
                format!(
                    "{} names {kind:?}, but the URL is a {} registry",
                    n(Field::UpstreamRegistry),
                    u.kind()
                ),
            ));
        }
    }
    check_credentials(r, upstream.as_ref(), region, account, names, &mut out);
    if let (Some(u), Some(host)) = (&upstream, url) {
        if let Some(p) = r.upstream_repository_prefix {
            if p != "ROOT" && !matches!(u, Upstream::Ecr { .. }) && check_prefix(p).is_ok() {
                out.push(Finding::warning(
                    n(Field::UpstreamRepositoryPrefix),
                    format!("{} on a non-ECR upstream", n(Field::UpstreamRepositoryPrefix)),
                    format!("AWS documents {} for ECR upstreams; check that {host} ({}) caches what you expect under {p:?}.", n(Field::UpstreamRepositoryPrefix), u.kind()),
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
                out.push(Finding::warning(
                    n(Field::UpstreamRegistryUrl),
                    "Upstream is this registry",
                    format!("{host} is the registry this rule lives in; an ECR upstream is meant to be another account or region."),
                ));
            }
        }
    }
    out
}

fn check_credentials(
    r: &RuleInput<'_>,
    upstream: Option<&Upstream>,
    region: Option<&str>,
    account: Option<&str>,
    names: Names,
    out: &mut Vec<Finding>,
) {
    let n = |f: Field| names.of(f);
    let cred = n(Field::CredentialArn);
    let role = n(Field::CustomRoleArn);
    if let Some(arn) = r.credential_arn {
        match parse_secret_arn(arn) {
            Err(e) => out.push(Finding::error(cred, format!("Invalid {cred}"), e)),
            Ok(s) => {
                if let (Some(reg), Some(sr)) = (region, s.region.as_deref()) {
                    if reg != sr {
                        out.push(Finding::error(cred, "Secret in another region", format!("The secret is in {sr}, the pull-through cache rule in {reg}: the secret must be in the rule's own region. Replicate the secret to {reg} and use that ARN.")));
                    }
                }
                if let (Some(acc), Some(sa)) = (account, s.account.as_deref()) {
                    if acc != sa {
                        out.push(Finding::error(cred, "Secret in another account", format!("The secret belongs to account {sa}, the registry to {acc}: the secret must be in the registry's own account.")));
                    }
                }
            }
        }
    }
    if let Some(arn) = r.custom_role_arn {
        if arn.chars().count() > ROLE_ARN_MAX {
            out.push(Finding::error(
                role,
                format!("Invalid {role}"),
                format!("{role} is longer than {ROLE_ARN_MAX} characters"),
            ));
        } else {
            match role_account(arn) {
                None => out.push(Finding::warning(
                    role,
                    format!("{role} is not a role ARN"),
                    format!("{arn:?} is not written as an IAM role ARN (arn:aws:iam::<account>:role/<name>); ECR assumes this role to reach the upstream"),
                )),
                Some(a) => {
                    if let Some(acc) = account.filter(|acc| *acc != a) {
                        out.push(Finding::error(role, "Role in another account", format!("The role belongs to account {a}, the registry to {acc}: {role} must be a role of the registry's own account.")));
                    }
                }
            }
        }
    }
    let (Some(u), Some(host)) = (upstream, r.upstream_registry_url) else {
        return;
    };
    if u.needs_secret() && r.credential_arn_null {
        out.push(Finding::error(
            cred,
            "Upstream needs credentials",
            format!("{host} ({}) requires authentication: set {cred} to a Secrets Manager secret named \"ecr-pullthroughcache/<name>\" holding {{\"username\": ..., \"accessToken\": ...}}.", u.kind()),
        ));
    }
    if !u.needs_secret() && r.credential_arn.is_some() {
        out.push(Finding::warning(
            cred,
            "Credentials for an upstream that needs none",
            format!(
                "AWS lists {host} ({}) among the upstreams that don't require authentication ({}); the secret is probably unused.",
                u.kind(),
                if matches!(u, Upstream::Ecr { .. }) { "ECR upstreams use IAM, with a role for another account" } else { "anonymous pulls" }
            ),
        ));
    }
    if r.custom_role_arn.is_some() && !matches!(u, Upstream::Ecr { .. }) {
        out.push(Finding::warning(
            role,
            format!("{role} on a non-ECR upstream"),
            format!("AWS documents {role} for reaching another ECR registry; {host} ({}) is not one, so the role is probably unused.", u.kind()),
        ));
    }
}

/// A string field of the rule's JSON; a value of another type is reported and read as unset.
fn string_field<'a>(
    obj: &'a serde_json::Map<String, Json>,
    f: Field,
    out: &mut Vec<Finding>,
) -> Option<&'a str> {
    match obj.get(f.api()) {
        None | Some(Json::Null) => None,
        Some(Json::String(s)) => Some(s.as_str()),
        Some(other) => {
            out.push(Finding::error(
                f.api(),
                format!("Invalid {}", f.api()),
                format!("{} is a string, not {other}", f.api()),
            ));
            None
        }
    }
}

/// Checks a rule written as the API's JSON (`{"ecrRepositoryPrefix": …, "upstreamRegistryUrl":
/// …}`): the fields CreatePullThroughCacheRule requires, their types, then [`check`]. A
/// `registryId` is taken as the registry's account; `region` is the rule's region if known.
pub fn check_json(text: &str, region: Option<&str>) -> Vec<Finding> {
    let doc: Json = match serde_json::from_str(text) {
        Ok(d) => d,
        Err(e) => return vec![Finding::error("", "Rule is not valid JSON", e.to_string())],
    };
    let Some(obj) = doc.as_object() else {
        return vec![Finding::error(
            "",
            "Rule is not a JSON object",
            "write the rule as a JSON object with the API's field names, e.g. {\"ecrRepositoryPrefix\": \"quay\", \"upstreamRegistryUrl\": \"quay.io\"}",
        )];
    };
    let mut out = Vec::new();
    for key in obj.keys() {
        if !FIELDS.iter().any(|f| f.api() == key) {
            out.push(Finding::warning(
                key.as_str(),
                "Unknown field",
                format!(
                    "{key:?} is not a field of a pull-through cache rule ({}); it is ignored",
                    FIELDS
                        .iter()
                        .map(|f| f.api())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    let mut get = |f: Field| string_field(obj, f, &mut out);
    let input = RuleInput {
        ecr_repository_prefix: get(Field::EcrRepositoryPrefix),
        upstream_registry_url: get(Field::UpstreamRegistryUrl),
        upstream_registry: get(Field::UpstreamRegistry),
        credential_arn: get(Field::CredentialArn),
        custom_role_arn: get(Field::CustomRoleArn),
        upstream_repository_prefix: get(Field::UpstreamRepositoryPrefix),
        credential_arn_null: false,
    };
    let registry_id = get(Field::RegistryId);
    let input = RuleInput {
        credential_arn_null: input.credential_arn.is_none()
            && matches!(obj.get(Field::CredentialArn.api()), None | Some(Json::Null)),
        ..input
    };
    for f in [Field::EcrRepositoryPrefix, Field::UpstreamRegistryUrl] {
        if matches!(obj.get(f.api()), None | Some(Json::Null)) {
            out.push(Finding::error(
                f.api(),
                format!("Missing {}", f.api()),
                format!("CreatePullThroughCacheRule requires {}", f.api()),
            ));
        }
    }
    if let Some(id) = registry_id {
        if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
            out.push(Finding::error(
                Field::RegistryId.api(),
                "Invalid registryId",
                format!("{id:?} is not a 12-digit account id"),
            ));
        }
    }
    let account = registry_id.filter(|id| id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()));
    out.extend(check(&input, region, account, Names::Api));
    out
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

    fn errors(f: &[Finding]) -> Vec<&str> {
        f.iter()
            .filter(|x| x.is_error())
            .map(|x| x.path.as_str())
            .collect()
    }
    fn warnings(f: &[Finding]) -> Vec<&str> {
        f.iter()
            .filter(|x| !x.is_error())
            .map(|x| x.path.as_str())
            .collect()
    }

    fn tf(r: &RuleInput<'_>, region: Option<&str>, account: Option<&str>) -> Vec<Finding> {
        check(r, region, account, Names::Terraform)
    }

    #[test]
    fn secrets_needed_exactly_where_aws_needs_them() {
        let docker = tf(&input("docker-hub", "registry-1.docker.io"), None, None);
        assert_eq!(errors(&docker), vec!["credential_arn"]);
        assert!(docker[0].detail.contains("requires authentication"));
        let with = RuleInput {
            credential_arn: Some(SECRET),
            credential_arn_null: false,
            ..input("docker-hub", "registry-1.docker.io")
        };
        assert!(tf(&with, Some("us-east-1"), Some("111122223333")).is_empty());
        assert!(tf(&input("quay", "quay.io"), None, None).is_empty());
    }

    #[test]
    fn a_credential_on_an_upstream_that_needs_none_is_a_warning() {
        let quay_with = RuleInput {
            credential_arn: Some(SECRET),
            credential_arn_null: false,
            ..input("quay", "quay.io")
        };
        let f = tf(&quay_with, Some("us-east-1"), Some("111122223333"));
        assert!(errors(&f).is_empty(), "{f:?}");
        assert_eq!(warnings(&f), vec!["credential_arn"]);
        assert!(f[0].detail.contains("don't require authentication"));
    }

    #[test]
    fn secret_region_and_account() {
        let with = RuleInput {
            credential_arn: Some(SECRET),
            credential_arn_null: false,
            ..input("docker-hub", "registry-1.docker.io")
        };
        let p = tf(&with, Some("eu-west-1"), Some("999999999999"));
        assert_eq!(errors(&p), vec!["credential_arn", "credential_arn"]);
        assert!(p[0].detail.contains("eu-west-1"));
        assert!(p[1].detail.contains("999999999999"));
    }

    #[test]
    fn prefix_pairs() {
        let mut r = input("ROOT", "444455556666.dkr.ecr.eu-west-1.amazonaws.com");
        r.upstream_repository_prefix = Some("team");
        assert_eq!(
            errors(&tf(&r, None, None)),
            vec!["upstream_repository_prefix"]
        );
        // Not documented as refused for other upstreams (Chainguard's guide uses it).
        let mut q = input("chainguard", "cgr.dev");
        q.credential_arn = Some(SECRET);
        q.credential_arn_null = false;
        q.upstream_repository_prefix = Some("my-org");
        let f = tf(&q, None, None);
        assert!(errors(&f).is_empty(), "{f:?}");
        assert_eq!(warnings(&f), vec!["upstream_repository_prefix"]);
    }

    #[test]
    fn ecr_upstream_role_rules() {
        let mut r = input("upstream", "444455556666.dkr.ecr.eu-west-1.amazonaws.com");
        r.custom_role_arn = Some("arn:aws:iam::111122223333:role/ptc");
        assert!(tf(&r, Some("us-east-1"), Some("111122223333")).is_empty());
        assert_eq!(
            errors(&tf(&r, Some("us-east-1"), Some("222222222222"))),
            vec!["custom_role_arn"]
        );
        let mut q = input("quay", "quay.io");
        q.custom_role_arn = Some("arn:aws:iam::111122223333:role/ptc");
        assert_eq!(warnings(&tf(&q, None, None)), vec!["custom_role_arn"]);
        let same = input("self", "111122223333.dkr.ecr.us-east-1.amazonaws.com");
        assert_eq!(
            warnings(&tf(&same, Some("us-east-1"), Some("111122223333"))),
            vec!["upstream_registry_url"]
        );
    }

    #[test]
    fn json_rules_use_api_names() {
        let f = check_json(
            r#"{"ecrRepositoryPrefix":"docker-hub","upstreamRegistryUrl":"registry-1.docker.io"}"#,
            None,
        );
        assert_eq!(errors(&f), vec!["credentialArn"]);
        assert!(f[0].detail.contains("set credentialArn"), "{f:?}");
        let f = check_json(
            r#"{"upstreamRegistryUrl":"quay.io","upstreamRegistry":"quay","extra":1}"#,
            None,
        );
        assert_eq!(errors(&f), vec!["ecrRepositoryPrefix"]);
        assert_eq!(warnings(&f), vec!["extra"]);
        let f = check_json(
            r#"{"ecrRepositoryPrefix":"q","upstreamRegistryUrl":5,"upstreamRegistry":"dockerhub"}"#,
            None,
        );
        assert_eq!(
            errors(&f),
            vec![
                "upstreamRegistryUrl",
                "ecrRepositoryPrefix",
                "upstreamRegistry"
            ],
            "{f:?}"
        );
        let f = check_json(
            r#"{"registryId":"222222222222","ecrRepositoryPrefix":"up","upstreamRegistryUrl":"444455556666.dkr.ecr.eu-west-1.amazonaws.com","customRoleArn":"arn:aws:iam::111122223333:role/ptc"}"#,
            Some("us-east-1"),
        );
        assert_eq!(errors(&f), vec!["customRoleArn"]);
        assert!(check_json("[]", None)[0].is_error());
        assert!(check_json("{", None)[0].summary.contains("not valid JSON"));
    }
}
