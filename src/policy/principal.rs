//! Principals of resource policies (`"Principal": {"AWS": …}`): which strings AWS refuses,
//! which it takes, and which it takes although they probably do not do what was meant.
//! The sources of each verdict are in docs/design/validation.md.

use std::sync::LazyLock;

use regex::Regex;

static ACCOUNT_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[0-9]{12}$").expect("valid regex"));
/// `arn:<partition>:<service>:<region>:<account>:<resource>`.
static ARN_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^arn:(aws(?:-[a-z]+)*):([a-z0-9-]+):([a-z0-9-]*):([^:]*):(.+)$")
        .expect("valid regex")
});
/// IAM unique ids (`AIDA…` users, `AROA…` roles): what AWS shows for a deleted principal.
static UNIQUE_ID_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^A[A-Z0-9]{15,127}$").expect("valid regex"));
static ORG_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^o-[a-z0-9]{10,32}$").expect("valid regex"));
static SID_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z0-9]+$").expect("valid regex"));

/// A principal as a grant or policy names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// Every IAM principal of an account (`123456789012` or `arn:aws:iam::123456789012:root`).
    Account(String),
    /// One role, user, role session or federated user of an account.
    Arn { arn: String, account: String },
    /// `*`: anyone.
    Anyone,
    /// A form AWS takes whose account we cannot tell (a unique id, another kind of ARN).
    Other(String),
}

impl Principal {
    /// The form AWS stores (it rewrites bare account ids to the root ARN).
    pub fn policy_form(&self) -> String {
        match self {
            Principal::Account(a) => format!("arn:aws:iam::{a}:root"),
            Principal::Arn { arn, .. } => arn.clone(),
            Principal::Anyone => "*".into(),
            Principal::Other(s) => s.clone(),
        }
    }
    pub fn account(&self) -> Option<&str> {
        match self {
            Principal::Account(a) | Principal::Arn { account: a, .. } => Some(a),
            Principal::Anyone | Principal::Other(_) => None,
        }
    }
}

/// Reads an `AWS` principal. `Err` only for what AWS refuses: strings that can name no
/// principal (neither `*`, an account id, an ARN nor a unique id), IAM ARNs whose account is
/// not 12 digits, and the IAM entities IAM says cannot be principals (groups, instance
/// profiles). Forms AWS takes but that are unusual come back `Ok`; [`principal_caveat`] says
/// what is unusual about them.
pub fn parse_principal(s: &str) -> Result<Principal, String> {
    if s == "*" {
        return Ok(Principal::Anyone);
    }
    if ACCOUNT_RE.is_match(s) {
        return Ok(Principal::Account(s.to_string()));
    }
    if UNIQUE_ID_RE.is_match(s) {
        return Ok(Principal::Other(s.to_string()));
    }
    let Some(c) = ARN_RE.captures(s) else {
        return Err(format!(
            "{s:?} is not a principal: use \"*\", a 12-digit account id, or an ARN such as arn:aws:iam::123456789012:root or arn:aws:iam::123456789012:role/name"
        ));
    };
    let (service, account, resource) = (&c[2], &c[4], &c[5]);
    if service != "iam" && service != "sts" {
        return Ok(Principal::Other(s.to_string()));
    }
    if !ACCOUNT_RE.is_match(account) {
        if account.contains('*') {
            return Ok(Principal::Other(s.to_string()));
        }
        return Err(format!(
            "{s:?}: the account in a principal ARN is a 12-digit account id, not {account:?}"
        ));
    }
    let kind = resource.split('/').next().unwrap_or_default();
    if service == "iam" && matches!(kind, "group" | "instance-profile") {
        return Err(format!(
            "{s:?} is an IAM {}; IAM cannot name {} as principals. Name the users or roles (or the account) instead",
            if kind == "group" { "user group" } else { "instance profile" },
            if kind == "group" { "user groups" } else { "instance profiles" },
        ));
    }
    if service == "iam" && resource == "root" && &c[1] == "aws" {
        return Ok(Principal::Account(account.to_string()));
    }
    Ok(Principal::Arn {
        arn: s.to_string(),
        account: account.to_string(),
    })
}

/// What is unusual about a principal AWS takes: `(summary, explanation)`, or `None`.
pub fn principal_caveat(s: &str) -> Option<(&'static str, String)> {
    if s == "*" || ACCOUNT_RE.is_match(s) {
        return None;
    }
    if UNIQUE_ID_RE.is_match(s) {
        return Some((
            "Principal is a unique id",
            format!("{s:?} looks like an IAM unique id: AWS shows these in place of a principal that was deleted. It matches nobody new; name the principal by ARN."),
        ));
    }
    let c = ARN_RE.captures(s)?;
    let (service, resource) = (&c[2], &c[5]);
    if s.contains('*') || s.contains('?') {
        return Some((
            "Wildcard in a principal ARN",
            format!("{s:?}: IAM does not match wildcards in principal ARNs, so this principal matches nobody. To cover several principals, name the account and restrict it with a condition on aws:PrincipalArn (StringLike)."),
        ));
    }
    match (service, resource.split('/').next().unwrap_or_default()) {
        ("iam", "root" | "role" | "user") | ("sts", "federated-user") => None,
        ("sts", "assumed-role") => Some((
            "Principal is one role session",
            format!("{s:?} is an STS role session: it matches only the session with that name, not the role. When the session name changes (each CI run, each login), the grant no longer applies. Name the role (arn:aws:iam::<account>:role/<name>) to cover all of its sessions."),
        )),
        _ => Some((
            "Unusual principal",
            format!("{s:?} is not a user, role, role session or account ARN; AWS refuses a policy whose principals it cannot find."),
        )),
    }
}

/// Normalises one principal string as found in a policy (for comparison): bare account ids
/// become root ARNs, as AWS rewrites them.
pub fn normalize_principal(s: &str) -> String {
    if ACCOUNT_RE.is_match(s) {
        format!("arn:aws:iam::{s}:root")
    } else {
        s.to_string()
    }
}

/// IAM's documented Sid alphabet (letters and digits), at most 100 characters. ECR takes other
/// Sids too (its console wrote "new statement"), so this is a recommendation, not a rule.
pub fn conventional_sid(s: &str) -> bool {
    SID_RE.is_match(s) && s.len() <= 100
}

pub fn valid_org_id(s: &str) -> bool {
    ORG_RE.is_match(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_roles_and_sessions_are_principals() {
        assert_eq!(
            parse_principal("111122223333").unwrap(),
            Principal::Account("111122223333".into())
        );
        assert_eq!(
            parse_principal("arn:aws:iam::111122223333:root")
                .unwrap()
                .policy_form(),
            "arn:aws:iam::111122223333:root"
        );
        let role = parse_principal("arn:aws:iam::111122223333:role/ci/deployer").unwrap();
        assert_eq!(role.account(), Some("111122223333"));
        assert_eq!(parse_principal("*").unwrap(), Principal::Anyone);
        // What data.aws_caller_identity.current.arn yields under an assumed role.
        let session =
            parse_principal("arn:aws:sts::111122223333:assumed-role/deployer/ci-run-42").unwrap();
        assert_eq!(session.account(), Some("111122223333"));
        assert!(
            principal_caveat("arn:aws:sts::111122223333:assumed-role/deployer/ci-run-42")
                .unwrap()
                .1
                .contains("role session")
        );
        let gov = parse_principal("arn:aws-us-gov:iam::111122223333:root").unwrap();
        assert_eq!(gov.account(), Some("111122223333"));
        assert!(principal_caveat("arn:aws:iam::111122223333:role/ci").is_none());
        assert!(principal_caveat("arn:aws:sts::111122223333:federated-user/bob").is_none());
    }

    #[test]
    fn unusual_forms_are_taken_with_a_caveat() {
        for s in [
            "arn:aws:iam::111122223333:role/app-*",
            "arn:aws:iam::*:root",
            "AROAKSCDLFT9R5DQP782U",
            "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com",
        ] {
            assert!(parse_principal(s).is_ok(), "{s}");
            assert!(principal_caveat(s).is_some(), "{s}");
        }
    }

    #[test]
    fn what_cannot_name_a_principal_is_refused() {
        for bad in [
            "1111",
            "root",
            "arn:aws:iam::1111:root",
            "arn:aws:iam::root",
            "arn:aws:iam::111122223333:group/admins",
            "arn:aws:iam::111122223333:instance-profile/web",
        ] {
            assert!(parse_principal(bad).is_err(), "{bad}");
        }
        assert!(parse_principal("arn:aws:iam::111122223333:group/g")
            .unwrap_err()
            .contains("user group"));
    }

    #[test]
    fn sids_and_org_ids() {
        assert!(conventional_sid("ProdPull1"));
        assert!(!conventional_sid("new statement"));
        assert!(!conventional_sid(&"a".repeat(101)));
        assert!(valid_org_id("o-abcdefghij"));
        assert!(!valid_org_id("o-ABC"));
    }
}
