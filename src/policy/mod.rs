//! ECR resource policies (repository, registry, ECR Public repository) as plain data: action
//! names, the statement a cross-account grant owns, the consumer-side IAM policy,
//! [`principal`]s, document checks ([`validate`]), a canonical form for comparing by meaning
//! ([`canonical`](mod@canonical)) and statement-level text edits ([`splice`]). No AWS, no gRPC: unit-tested
//! here.

pub mod canonical;
pub mod principal;
pub mod splice;
pub mod validate;

use std::collections::BTreeSet;

use regex::Regex;
use serde_json::{json, Map, Value as Json};

pub use canonical::{canonical, canonical_text, semantically_equal, statements_equal};
pub use principal::{
    conventional_sid, normalize_principal, parse_principal, principal_caveat, valid_org_id,
    Principal,
};
pub use validate::{validate_document, Kind};

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

/// Whether `action` names an ECR action: `ecr:Name`, `ecr:*`, `*` or a wildcard matching at
/// least one action (`ecr:Get*`). Case-insensitive, as IAM is. `Err` says what is wrong; AWS
/// takes such actions, so callers report it as a warning.
pub fn check_action(action: &str) -> Result<(), String> {
    check_action_for(action, "ecr").map_err(|(_, detail)| detail)
}

/// [`check_action`] for a policy of `service` (`ecr` or `ecr-public`): `Err((summary, detail))`.
/// Only `ecr:` names are checked against the list; for `ecr-public` the service is.
pub fn check_action_for(action: &str, service: &str) -> Result<(), (&'static str, String)> {
    let Some((svc, name)) = action.split_once(':') else {
        if action == "*" {
            return Ok(());
        }
        return Err((
            "Action without a service",
            format!("{action:?} is not written as \"service:Action\" (e.g. \"{service}:BatchGetImage\"), so it matches no action"),
        ));
    };
    if !svc.eq_ignore_ascii_case(service) {
        return Err((
            "Action of another service",
            format!("{action:?} is not an {service}: action; this policy only governs {service}: actions, so it has no effect here"),
        ));
    }
    if service != "ecr" {
        return Ok(());
    }
    if name.contains('*') || name.contains('?') {
        let re = wildcard_regex(name);
        if ECR_ACTIONS.iter().any(|a| re.is_match(a)) {
            return Ok(());
        }
        return Err((
            "Action matches no ECR action",
            format!("{action:?} matches no ECR action known to this provider"),
        ));
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
    Err((
        "Unknown ECR action",
        format!("{action:?} is not an ECR action known to this provider{hint}; AWS takes it, but it matches nothing unless ECR added such an action"),
    ))
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
            (Some(org), true) => Some(json!({ "StringEquals": { "aws:SourceOrgID": org } })),
            // A public grant: functions of any account.
            (None, true) => None,
            _ => Some(json!({ "StringEquals": { "aws:SourceAccount": one_or_many(accounts) } })),
        };
        let mut s = json!({
            "Sid": self.lambda_sid(),
            "Effect": "Allow",
            "Principal": { "Service": LAMBDA_SERVICE },
            "Action": LAMBDA_PULL_ACTIONS,
        });
        if let (Some(c), Some(m)) = (condition, s.as_object_mut()) {
            m.insert("Condition".into(), c);
        }
        s
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
            .contains("not an ecr: action"));
        assert!(check_action("GetObject").is_err());
        assert!(check_action("*").is_ok());
        assert_eq!(
            check_action_for("ecr:PutImage", "ecr-public")
                .unwrap_err()
                .0,
            "Action of another service"
        );
        assert!(check_action_for("ecr-public:AnythingNew", "ecr-public").is_ok());
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
    fn wildcard_principals_are_found_by_sid_or_index() {
        let doc = json!({"Statement": [
            {"Sid": "Open", "Principal": "*"},
            {"Principal": {"AWS": ["111122223333", "*"]}},
            {"Sid": "Fine", "Principal": {"AWS": "111122223333"}},
        ]});
        assert_eq!(wildcard_principal_statements(&doc), vec!["Open", "#1"]);
    }
}
