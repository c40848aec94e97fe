//! ECR resource policies (repository and registry) as plain data: principal and action
//! validation, the statement a cross-account grant owns, the consumer-side IAM policy, a
//! canonical form for semantic comparison, and statement-level text edits ([`splice`]).
//! No AWS, no gRPC: unit-tested here.

pub mod splice;

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::{json, Map, Value as Json};

/// AWS's limit on `policyText` for SetRepositoryPolicy and PutRegistryPolicy.
pub const MAX_POLICY_LEN: usize = 10_240;

/// Pulling an image from another account (docker pull).
pub const PULL_ACTIONS: &[&str] = &[
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
];
/// Pushing an image (docker push).
pub const PUSH_ACTIONS: &[&str] = &[
    "ecr:BatchCheckLayerAvailability",
    "ecr:CompleteLayerUpload",
    "ecr:InitiateLayerUpload",
    "ecr:PutImage",
    "ecr:UploadLayerPart",
];
/// What the Lambda service needs to pull a function's container image.
pub const LAMBDA_PULL_ACTIONS: &[&str] = &["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
pub const LAMBDA_SERVICE: &str = "lambda.amazonaws.com";

/// Every `ecr:` IAM action (API operations plus permission-only actions), from the Service
/// Authorization Reference (`docs/design/ecr-limits.md`).
pub const ECR_ACTIONS: &[&str] = &[
    "BatchCheckLayerAvailability",
    "BatchDeleteImage",
    "BatchGetImage",
    "BatchGetRepositoryScanningConfiguration",
    "BatchImportUpstreamImage",
    "CompleteLayerUpload",
    "CreatePullThroughCacheRule",
    "CreateRepository",
    "CreateRepositoryCreationTemplate",
    "DeleteLifecyclePolicy",
    "DeletePullThroughCacheRule",
    "DeleteRegistryPolicy",
    "DeleteRepository",
    "DeleteRepositoryCreationTemplate",
    "DeleteRepositoryPolicy",
    "DeleteSigningConfiguration",
    "DeregisterPullTimeUpdateExclusion",
    "DescribeImageReplicationStatus",
    "DescribeImageScanFindings",
    "DescribeImageSigningStatus",
    "DescribeImages",
    "DescribePullThroughCacheRules",
    "DescribeRegistry",
    "DescribeRepositories",
    "DescribeRepositoryCreationTemplates",
    "GetAccountSetting",
    "GetAuthorizationToken",
    "GetDownloadUrlForLayer",
    "GetImageCopyStatus",
    "GetLifecyclePolicy",
    "GetLifecyclePolicyPreview",
    "GetRegistryPolicy",
    "GetRegistryScanningConfiguration",
    "GetRepositoryPolicy",
    "GetSigningConfiguration",
    "InitiateLayerUpload",
    "ListImageReferrers",
    "ListImages",
    "ListPullTimeUpdateExclusions",
    "ListTagsForResource",
    "PutAccountSetting",
    "PutImage",
    "PutImageScanningConfiguration",
    "PutImageTagMutability",
    "PutLifecyclePolicy",
    "PutRegistryPolicy",
    "PutRegistryScanningConfiguration",
    "PutReplicationConfiguration",
    "PutSigningConfiguration",
    "RegisterPullTimeUpdateExclusion",
    "ReplicateImage",
    "SetRepositoryPolicy",
    "StartImageScan",
    "StartLifecyclePolicyPreview",
    "TagResource",
    "UntagResource",
    "UpdateImageStorageClass",
    "UpdatePullThroughCacheRule",
    "UpdateRepositoryCreationTemplate",
    "UploadLayerPart",
    "ValidatePullThroughCacheRule",
];

/// The action list of an `access` level.
pub fn access_actions(access: &str) -> Option<Vec<String>> {
    let list: Vec<&str> = match access {
        "pull" => PULL_ACTIONS.to_vec(),
        "push" => PUSH_ACTIONS.to_vec(),
        "pull_push" => PULL_ACTIONS.iter().chain(PUSH_ACTIONS).copied().collect(),
        _ => return None,
    };
    Some(sorted_unique(list.into_iter().map(str::to_string)))
}

/// The `access` level whose action list is exactly `actions` (order-insensitive).
pub fn access_for(actions: &[String]) -> Option<&'static str> {
    let set = sorted_unique(actions.iter().cloned());
    ["pull", "push", "pull_push"]
        .into_iter()
        .find(|a| access_actions(a).as_ref() == Some(&set))
}

pub fn sorted_unique(items: impl IntoIterator<Item = String>) -> Vec<String> {
    items
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Whether `action` names an ECR action: `ecr:Name`, `ecr:*` or a wildcard matching at least
/// one action (`ecr:Get*`). Case-insensitive, as IAM is.
pub fn check_action(action: &str) -> Result<(), String> {
    let Some((service, name)) = action.split_once(':') else {
        if action == "*" {
            return Ok(());
        }
        return Err(format!(
            "{action:?} is not an IAM action: write it as \"ecr:ActionName\""
        ));
    };
    if !service.eq_ignore_ascii_case("ecr") {
        return Err(format!(
            "{action:?} is not an ECR action: ECR policies only grant \"ecr:\" actions"
        ));
    }
    if name.contains('*') || name.contains('?') {
        let re = wildcard_regex(name);
        if ECR_ACTIONS.iter().any(|a| re.is_match(a)) {
            return Ok(());
        }
        return Err(format!("{action:?} matches no ECR action"));
    }
    if ECR_ACTIONS.iter().any(|a| a.eq_ignore_ascii_case(name)) {
        return Ok(());
    }
    let hint = ECR_ACTIONS
        .iter()
        .find(|a| {
            a.to_ascii_lowercase().starts_with(
                &name
                    .to_ascii_lowercase()
                    .chars()
                    .take(6)
                    .collect::<String>(),
            )
        })
        .map(|a| format!(" (did you mean \"ecr:{a}\"?)"))
        .unwrap_or_default();
    Err(format!("{action:?} is not an ECR action{hint}"))
}

fn wildcard_regex(pattern: &str) -> Regex {
    let mut re = String::from("(?i)^");
    for c in pattern.chars() {
        match c {
            '*' => re.push_str(".*"),
            '?' => re.push('.'),
            c => re.push_str(&regex::escape(&c.to_string())),
        }
    }
    re.push('$');
    Regex::new(&re).unwrap_or_else(|_| Regex::new("^$").expect("valid regex"))
}

// ------------------------------------------------------------------------------------------
// Principals

static ACCOUNT_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[0-9]{12}$").expect("valid regex"));
static ROOT_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^arn:aws(-[a-z]+)*:iam::([0-9]{12}):root$").expect("valid regex")
});
static IAM_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^arn:aws(-[a-z]+)*:iam::([0-9]{12}):(role|user)/([\w+=,.@/-]+)$")
        .expect("valid regex")
});
static STS_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^arn:aws(-[a-z]+)*:sts::[0-9]{12}:assumed-role/").expect("valid regex")
});
static ORG_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^o-[a-z0-9]{10,32}$").expect("valid regex"));
static SID_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z0-9]+$").expect("valid regex"));

/// A principal a grant may name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// Every IAM principal of an account (`123456789012` or `arn:aws:iam::123456789012:root`).
    Account(String),
    /// One role or user.
    Arn { arn: String, account: String },
    /// `*`: anyone (allowed only with an organization condition).
    Anyone,
}

impl Principal {
    /// The form AWS stores (it rewrites bare account ids to the root ARN).
    pub fn policy_form(&self) -> String {
        match self {
            Principal::Account(a) => format!("arn:aws:iam::{a}:root"),
            Principal::Arn { arn, .. } => arn.clone(),
            Principal::Anyone => "*".into(),
        }
    }
    pub fn account(&self) -> Option<&str> {
        match self {
            Principal::Account(a) | Principal::Arn { account: a, .. } => Some(a),
            Principal::Anyone => None,
        }
    }
}

/// Reads a principal as a user writes it; the error says what is accepted.
pub fn parse_principal(s: &str) -> Result<Principal, String> {
    if s == "*" {
        return Ok(Principal::Anyone);
    }
    if ACCOUNT_RE.is_match(s) {
        return Ok(Principal::Account(s.to_string()));
    }
    if let Some(c) = ROOT_RE.captures(s) {
        if s.starts_with("arn:aws:") {
            return Ok(Principal::Account(c[2].to_string()));
        }
        return Ok(Principal::Arn {
            arn: s.to_string(),
            account: c[2].to_string(),
        });
    }
    if let Some(c) = IAM_RE.captures(s) {
        return Ok(Principal::Arn {
            arn: s.to_string(),
            account: c[2].to_string(),
        });
    }
    if STS_RE.is_match(s) {
        return Err(format!(
            "{s:?} is an STS assumed-role session; AWS rewrites such principals, so the policy would never match. Use the role's ARN (arn:aws:iam::<account>:role/<name>)"
        ));
    }
    if s.starts_with("arn:") && s.ends_with(":*") {
        return Err(format!("{s:?}: wildcards are not allowed in principal ARNs; use the account id to grant every principal of the account"));
    }
    Err(format!(
        "{s:?} is not a valid principal: use a 12-digit account id, an account root ARN (arn:aws:iam::123456789012:root), or a role/user ARN (arn:aws:iam::123456789012:role/name)"
    ))
}

/// Normalises one principal string as found in a policy (for comparison): bare account ids
/// become root ARNs.
pub fn normalize_principal(s: &str) -> String {
    if ACCOUNT_RE.is_match(s) {
        format!("arn:aws:iam::{s}:root")
    } else {
        s.to_string()
    }
}

pub fn valid_sid(s: &str) -> bool {
    SID_RE.is_match(s) && s.len() <= 100
}

pub fn valid_org_id(s: &str) -> bool {
    ORG_RE.is_match(s)
}

// ------------------------------------------------------------------------------------------
// The grant statement and the consumer policy

/// What a cross-account grant asks for, already validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Grant {
    pub sid: String,
    pub principals: Vec<Principal>,
    pub organization_id: Option<String>,
    pub actions: Vec<String>,
}

impl Grant {
    /// The statement the grant owns in the repository policy.
    pub fn statement(&self) -> Json {
        let principals = sorted_unique(self.principals.iter().map(Principal::policy_form));
        let mut s = Map::new();
        s.insert("Sid".into(), json!(self.sid));
        s.insert("Effect".into(), json!("Allow"));
        s.insert(
            "Principal".into(),
            json!({ "AWS": one_or_many(principals) }),
        );
        s.insert(
            "Action".into(),
            one_or_many(sorted_unique(self.actions.iter().cloned())),
        );
        if let Some(org) = &self.organization_id {
            s.insert(
                "Condition".into(),
                json!({ "StringEquals": { "aws:PrincipalOrgID": org } }),
            );
        }
        Json::Object(s)
    }

    /// The Sid of the companion statement letting the Lambda service pull for the granted
    /// accounts (`lambda_pull`).
    pub fn lambda_sid(&self) -> String {
        lambda_sid(&self.sid)
    }

    /// The Lambda companion statement: the service principal, restricted to functions of the
    /// granted accounts (or organization).
    pub fn lambda_statement(&self) -> Json {
        let accounts = sorted_unique(
            self.principals
                .iter()
                .filter_map(|p| p.account().map(str::to_string)),
        );
        let condition = match (&self.organization_id, accounts.is_empty()) {
            (Some(org), true) => json!({ "StringEquals": { "aws:SourceOrgID": org } }),
            _ => json!({ "StringEquals": { "aws:SourceAccount": one_or_many(accounts) } }),
        };
        json!({
            "Sid": self.lambda_sid(),
            "Effect": "Allow",
            "Principal": { "Service": LAMBDA_SERVICE },
            "Action": LAMBDA_PULL_ACTIONS,
            "Condition": condition,
        })
    }
}

pub fn lambda_sid(sid: &str) -> String {
    format!("{sid}Lambda")
}

fn one_or_many(mut v: Vec<String>) -> Json {
    if v.len() == 1 {
        Json::String(v.remove(0))
    } else {
        json!(v)
    }
}

/// The IAM policy a consumer account attaches to its roles: GetAuthorizationToken on `*` plus
/// the granted actions on the repository.
pub fn consumer_policy(repository_arn: &str, actions: &[String]) -> String {
    let doc = json!({
        "Version": "2012-10-17",
        "Statement": [
            { "Sid": "EcrAuthorizationToken", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*" },
            { "Sid": "EcrRepositoryAccess", "Effect": "Allow", "Action": sorted_unique(actions.iter().cloned()), "Resource": repository_arn },
        ]
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// What a statement read back from AWS says, in grant terms.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StatementView {
    pub principals: Vec<String>,
    pub organization_id: Option<String>,
    pub actions: Vec<String>,
}

pub fn view_statement(s: &Json) -> StatementView {
    let principals = match s.get("Principal") {
        Some(Json::String(p)) => vec![p.clone()],
        Some(Json::Object(m)) => strings(m.get("AWS")),
        _ => vec![],
    };
    let organization_id = s
        .get("Condition")
        .and_then(|c| c.get("StringEquals"))
        .and_then(|c| c.get("aws:PrincipalOrgID"))
        .and_then(|v| strings(Some(v)).into_iter().next());
    StatementView {
        principals,
        organization_id,
        actions: strings(s.get("Action")),
    }
}

fn strings(v: Option<&Json>) -> Vec<String> {
    match v {
        Some(Json::String(s)) => vec![s.clone()],
        Some(Json::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => vec![],
    }
}

// ------------------------------------------------------------------------------------------
// Canonical form and semantic comparison

/// A canonical form of a policy (or statement): object keys sorted, one-element lists as
/// scalars, value lists sorted and deduplicated (IAM treats them as sets), bare account-id
/// principals as root ARNs (AWS rewrites them), statements sorted.
pub fn canonical(v: &Json) -> Json {
    canon(v, None)
}

fn canon(v: &Json, key: Option<&str>) -> Json {
    match v {
        Json::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for k in keys {
                out.insert(k.clone(), canon(&m[k], Some(k)));
            }
            Json::Object(out)
        }
        Json::Array(a) => {
            let mut items: Vec<Json> = a.iter().map(|x| canon(x, key)).collect();
            if key == Some("AWS") {
                items = items
                    .into_iter()
                    .map(|x| {
                        x.as_str()
                            .map_or(x.clone(), |s| json!(normalize_principal(s)))
                    })
                    .collect();
            }
            items.sort_by_key(|x| serde_json::to_string(x).unwrap_or_default());
            items.dedup();
            if items.len() == 1 && key != Some("Statement") {
                items.remove(0)
            } else {
                Json::Array(items)
            }
        }
        Json::String(s) if key == Some("AWS") => json!(normalize_principal(s)),
        _ => v.clone(),
    }
}

/// Canonical text of a policy document: the statement list is always an array.
pub fn canonical_text(text: &str) -> Result<String, String> {
    let v: Json = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let mut c = canonical(&v);
    if let Some(obj) = c.as_object_mut() {
        if let Some(s) = obj.get_mut("Statement") {
            if s.is_object() {
                *s = Json::Array(vec![s.take()]);
            }
        }
    }
    serde_json::to_string(&c).map_err(|e| e.to_string())
}

/// Whether two policy texts mean the same (formatting, key order, list order aside).
pub fn semantically_equal(a: &str, b: &str) -> bool {
    match (canonical_text(a), canonical_text(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

pub fn statements_equal(a: &Json, b: &Json) -> bool {
    canonical(a) == canonical(b)
}

// ------------------------------------------------------------------------------------------
// Whole-document validation

/// One problem with a policy document; `pointer` locates it in the JSON (`/Statement/0/Action`).
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub pointer: String,
    pub message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.pointer.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.pointer, self.message)
        }
    }
}

/// Which kind of ECR policy is being checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Repository,
    Registry,
}

/// Checks a repository or registry policy: size, JSON shape, statements, effects, ECR action
/// names, principals. Empty result = valid as far as the provider can tell.
pub fn validate_document(text: &str, kind: Kind) -> Vec<Finding> {
    let mut out = Vec::new();
    let f = |pointer: &str, message: String| Finding {
        pointer: pointer.to_string(),
        message,
    };
    if text.len() > MAX_POLICY_LEN {
        out.push(f(
            "",
            format!(
                "the policy is {} characters long; ECR accepts at most {MAX_POLICY_LEN}",
                text.len()
            ),
        ));
    }
    let doc: Json = match serde_json::from_str(text) {
        Ok(d) => d,
        Err(e) => {
            out.push(f("", format!("the policy is not valid JSON: {e}")));
            return out;
        }
    };
    let Some(obj) = doc.as_object() else {
        out.push(f(
            "",
            "the policy must be a JSON object with a \"Statement\" list".into(),
        ));
        return out;
    };
    if let Some(v) = obj.get("Version") {
        if !matches!(v.as_str(), Some("2012-10-17" | "2008-10-17")) {
            out.push(f(
                "/Version",
                format!("Version must be \"2012-10-17\" (or the older \"2008-10-17\"), not {v}"),
            ));
        }
    }
    let statements: Vec<&Json> = match obj.get("Statement") {
        Some(Json::Array(a)) => a.iter().collect(),
        Some(s @ Json::Object(_)) => vec![s],
        Some(other) => {
            out.push(f(
                "/Statement",
                format!("Statement must be a list of statement objects, not {other}"),
            ));
            return out;
        }
        None => {
            out.push(f("", "the policy has no \"Statement\"".into()));
            return out;
        }
    };
    if statements.is_empty() {
        out.push(f(
            "/Statement",
            "the policy has no statements; delete the policy instead".into(),
        ));
    }
    let mut sids = BTreeSet::new();
    for (i, s) in statements.iter().enumerate() {
        let p = format!("/Statement/{i}");
        let Some(m) = s.as_object() else {
            out.push(f(&p, "each statement must be a JSON object".into()));
            continue;
        };
        if let Some(sid) = m.get("Sid") {
            match sid.as_str() {
                Some(x) if !sids.insert(x.to_string()) => out.push(f(
                    &format!("{p}/Sid"),
                    format!("Sid {x:?} is used by more than one statement"),
                )),
                Some(_) => {}
                None => out.push(f(&format!("{p}/Sid"), "Sid must be a string".into())),
            }
        }
        match m.get("Effect").and_then(Json::as_str) {
            Some("Allow" | "Deny") => {}
            Some(e) => out.push(f(
                &format!("{p}/Effect"),
                format!("Effect must be \"Allow\" or \"Deny\", not {e:?}"),
            )),
            None => out.push(f(&p, "the statement has no \"Effect\"".into())),
        }
        let action_key = if m.contains_key("Action") {
            "Action"
        } else {
            "NotAction"
        };
        match m.get(action_key) {
            None => out.push(f(&p, "the statement has no \"Action\"".into())),
            Some(a) => {
                let list = strings(Some(a));
                if list.is_empty() {
                    out.push(f(
                        &format!("{p}/{action_key}"),
                        "Action must be a string or a non-empty list of strings".into(),
                    ));
                }
                for (j, action) in list.iter().enumerate() {
                    if let Err(e) = check_action(action) {
                        let ptr = if a.is_array() {
                            format!("{p}/{action_key}/{j}")
                        } else {
                            format!("{p}/{action_key}")
                        };
                        out.push(f(&ptr, e));
                    }
                }
            }
        }
        match kind {
            Kind::Repository => {
                if !m.contains_key("Principal") && !m.contains_key("NotPrincipal") {
                    out.push(f(
                        &p,
                        "a repository policy statement needs a \"Principal\"".into(),
                    ));
                }
            }
            Kind::Registry => {
                if !m.contains_key("Principal") && !m.contains_key("NotPrincipal") {
                    out.push(f(
                        &p,
                        "a registry policy statement needs a \"Principal\"".into(),
                    ));
                }
            }
        }
        if let Some(Json::Object(pm)) = m.get("Principal") {
            for (j, pr) in strings(pm.get("AWS")).iter().enumerate() {
                if let Err(e) = parse_principal(pr) {
                    out.push(f(&format!("{p}/Principal/AWS/{j}"), e));
                }
            }
        }
    }
    out
}

/// Statements whose principal includes `*` (anyone), by Sid or, without one, `#<index>`.
/// For posture warnings; a condition on `aws:PrincipalOrgID` is reported too (callers decide).
pub fn wildcard_principal_statements(doc: &Json) -> Vec<String> {
    let statements: Vec<&Json> = match doc.get("Statement") {
        Some(Json::Array(a)) => a.iter().collect(),
        Some(s @ Json::Object(_)) => vec![s],
        _ => vec![],
    };
    statements
        .iter()
        .enumerate()
        .filter(|(_, s)| match s.get("Principal") {
            Some(Json::String(p)) => p == "*",
            Some(Json::Object(m)) => strings(m.get("AWS")).iter().any(|p| p == "*"),
            _ => false,
        })
        .map(|(i, s)| {
            s.get("Sid")
                .and_then(Json::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| format!("#{i}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_levels_map_to_action_lists() {
        assert_eq!(
            access_actions("pull").unwrap(),
            vec![
                "ecr:BatchCheckLayerAvailability",
                "ecr:BatchGetImage",
                "ecr:GetDownloadUrlForLayer"
            ]
        );
        assert_eq!(access_actions("pull_push").unwrap().len(), 7);
        assert_eq!(access_for(&access_actions("push").unwrap()), Some("push"));
        assert_eq!(access_for(&["ecr:BatchGetImage".to_string()]), None);
        assert!(access_actions("admin").is_none());
    }

    #[test]
    fn actions_are_checked_against_the_ecr_list() {
        assert!(check_action("ecr:BatchGetImage").is_ok());
        assert!(check_action("ecr:batchgetimage").is_ok());
        assert!(check_action("ecr:*").is_ok());
        assert!(check_action("ecr:Get*").is_ok());
        assert!(check_action("ecr:Nope*").is_err());
        let e = check_action("ecr:BatchGetImages").unwrap_err();
        assert!(e.contains("not an ECR action"), "{e}");
        assert!(check_action("s3:GetObject")
            .unwrap_err()
            .contains("not an ECR action"));
        assert!(check_action("GetObject").is_err());
    }

    #[test]
    fn principals() {
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
        for bad in [
            "1111",
            "arn:aws:iam::111122223333:*",
            "arn:aws:sts::111122223333:assumed-role/r/s",
            "arn:aws:iam::1111:root",
            "root",
            "arn:aws:iam::111122223333:group/g",
        ] {
            assert!(parse_principal(bad).is_err(), "{bad}");
        }
        assert!(
            parse_principal("arn:aws:sts::111122223333:assumed-role/r/s")
                .unwrap_err()
                .contains("role's ARN")
        );
    }

    #[test]
    fn grant_statement_and_lambda_companion() {
        let g = Grant {
            sid: "ProdPull".into(),
            principals: vec![
                parse_principal("222233334444").unwrap(),
                parse_principal("111122223333").unwrap(),
            ],
            organization_id: None,
            actions: access_actions("pull").unwrap(),
        };
        let s = g.statement();
        assert_eq!(
            s["Principal"]["AWS"],
            json!([
                "arn:aws:iam::111122223333:root",
                "arn:aws:iam::222233334444:root"
            ])
        );
        assert!(s.get("Condition").is_none());
        let l = g.lambda_statement();
        assert_eq!(l["Sid"], "ProdPullLambda");
        assert_eq!(l["Principal"]["Service"], LAMBDA_SERVICE);
        assert_eq!(
            l["Condition"]["StringEquals"]["aws:SourceAccount"],
            json!(["111122223333", "222233334444"])
        );
        let org = Grant {
            principals: vec![Principal::Anyone],
            organization_id: Some("o-abcdefghij".into()),
            ..g
        };
        let s = org.statement();
        assert_eq!(s["Principal"]["AWS"], "*");
        assert_eq!(
            s["Condition"]["StringEquals"]["aws:PrincipalOrgID"],
            "o-abcdefghij"
        );
        assert_eq!(
            org.lambda_statement()["Condition"]["StringEquals"]["aws:SourceOrgID"],
            "o-abcdefghij"
        );
        let v = view_statement(&s);
        assert_eq!(v.principals, vec!["*"]);
        assert_eq!(v.organization_id.as_deref(), Some("o-abcdefghij"));
    }

    #[test]
    fn consumer_policy_grants_token_and_repository_actions() {
        let p: Json = serde_json::from_str(&consumer_policy(
            "arn:aws:ecr:us-east-1:111122223333:repository/app",
            &access_actions("pull").unwrap(),
        ))
        .unwrap();
        assert_eq!(p["Statement"][0]["Action"], "ecr:GetAuthorizationToken");
        assert_eq!(p["Statement"][0]["Resource"], "*");
        assert_eq!(
            p["Statement"][1]["Resource"],
            "arn:aws:ecr:us-east-1:111122223333:repository/app"
        );
        assert_eq!(p["Statement"][1]["Action"].as_array().unwrap().len(), 3);
    }

    #[test]
    fn semantic_equality_ignores_format_order_and_account_form() {
        let a = r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::222233334444:root"]},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}]}"#;
        let b = r#"{ "Statement": { "Action": ["ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"], "Effect": "Allow",
                     "Principal": {"AWS": ["arn:aws:iam::222233334444:root", "arn:aws:iam::111122223333:root"]}, "Sid": "A" },
                     "Version": "2012-10-17" }"#;
        assert!(semantically_equal(a, b));
        let c = b.replace("Allow", "Deny");
        assert!(!semantically_equal(a, &c));
        let one = json!({"Action": ["ecr:BatchGetImage"]});
        let scalar = json!({"Action": "ecr:BatchGetImage"});
        assert!(statements_equal(&one, &scalar));
    }

    #[test]
    fn document_validation_points_at_the_problem() {
        let ok = r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"ecr:BatchGetImage"}]}"#;
        assert!(validate_document(ok, Kind::Repository).is_empty());
        let bad = r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Permit","Principal":{"AWS":["arn:aws:iam::1:root"]},"Action":["ecr:BatchGetImage","ecr:Pull"]},{"Sid":"A","Effect":"Allow","Action":"s3:*","Principal":"*"}]}"#;
        let f = validate_document(bad, Kind::Repository);
        let ptrs: Vec<&str> = f.iter().map(|x| x.pointer.as_str()).collect();
        assert!(ptrs.contains(&"/Statement/0/Effect"), "{f:?}");
        assert!(ptrs.contains(&"/Statement/0/Action/1"), "{f:?}");
        assert!(ptrs.contains(&"/Statement/0/Principal/AWS/0"), "{f:?}");
        assert!(ptrs.contains(&"/Statement/1/Sid"), "{f:?}");
        assert!(ptrs.contains(&"/Statement/1/Action"), "{f:?}");
        assert!(validate_document("nope", Kind::Registry)[0]
            .message
            .contains("not valid JSON"));
        let long = format!(
            r#"{{"Statement":[{{"Sid":"{}","Effect":"Allow","Principal":"*","Action":"ecr:*"}}]}}"#,
            "A".repeat(10_300)
        );
        assert!(validate_document(&long, Kind::Repository)
            .iter()
            .any(|x| x.message.contains("10240")));
    }

    #[test]
    fn wildcard_principals_are_found_by_sid_or_index() {
        let doc = json!({"Statement": [
            {"Sid": "Open", "Principal": "*"},
            {"Principal": {"AWS": ["111122223333", "*"]}},
            {"Sid": "Fine", "Principal": {"AWS": "111122223333"}},
        ]});
        assert_eq!(wildcard_principal_statements(&doc), vec!["Open", "#1"]);
    }
}
