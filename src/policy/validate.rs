//! Whole-document checks of ECR resource policies (repository, registry, ECR Public
//! repository). Errors are only what AWS documents refusing (or was seen refusing); the rest
//! is a warning. docs/design/validation.md lists each check with its source.

use std::collections::BTreeSet;

use serde_json::{Map, Value as Json};

use super::principal::{parse_principal, principal_caveat};
use super::{check_action_for, MAX_POLICY_LEN};
use crate::findings::Finding;

/// Which kind of ECR policy is being checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Repository,
    Registry,
    PublicRepository,
}

impl Kind {
    /// The service prefix of the actions this policy governs.
    pub fn service(self) -> &'static str {
        match self {
            Kind::Repository | Kind::Registry => "ecr",
            Kind::PublicRepository => "ecr-public",
        }
    }

    /// The name used on the command line (`--kind`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Repository => "repository",
            Kind::Registry => "registry",
            Kind::PublicRepository => "public-repository",
        }
    }

    pub fn from_name(s: &str) -> Option<Kind> {
        [Kind::Repository, Kind::Registry, Kind::PublicRepository]
            .into_iter()
            .find(|k| k.name() == s)
    }
}

/// Checks a policy document. Empty result: nothing to report.
pub fn validate_document(text: &str, kind: Kind) -> Vec<Finding> {
    let mut out = Vec::new();
    let n = text.chars().count();
    if n > MAX_POLICY_LEN {
        out.push(Finding::error(
            "",
            "Policy too long",
            format!("the policy is {n} characters long; ECR accepts at most {MAX_POLICY_LEN}"),
        ));
    }
    let doc: Json = match serde_json::from_str(text) {
        Ok(d) => d,
        Err(e) => {
            out.push(Finding::error(
                "",
                "Policy is not valid JSON",
                format!("{e} (jsonencode() or data.aws_iam_policy_document avoid this)"),
            ));
            return out;
        }
    };
    let Some(obj) = doc.as_object() else {
        out.push(Finding::error(
            "",
            "Policy is not a JSON object",
            "a policy document is a JSON object with a \"Statement\"",
        ));
        return out;
    };
    if let Some(v) = obj.get("Version") {
        if !matches!(v.as_str(), Some("2012-10-17" | "2008-10-17")) {
            out.push(Finding::error(
                "Version",
                "Unsupported policy Version",
                format!("Version is \"2012-10-17\" (or the older \"2008-10-17\"), not {v}"),
            ));
        }
    }
    let statements: Vec<(String, &Json)> = match obj.get("Statement") {
        Some(Json::Array(a)) => a
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("Statement[{i}]"), s))
            .collect(),
        Some(s @ Json::Object(_)) => vec![("Statement".to_string(), s)],
        Some(other) => {
            out.push(Finding::error(
                "Statement",
                "Invalid Statement",
                format!("Statement is a statement object or a list of them, not {other}"),
            ));
            return out;
        }
        None => {
            out.push(Finding::error(
                "",
                "Missing Statement",
                "the policy has no \"Statement\"",
            ));
            return out;
        }
    };
    if statements.is_empty() {
        out.push(Finding::warning(
            "Statement",
            "Policy without statements",
            "the policy has no statements, so it grants nothing; deleting the policy says the same",
        ));
    }
    let mut sids = BTreeSet::new();
    for (p, s) in statements {
        let Some(m) = s.as_object() else {
            out.push(Finding::error(
                p,
                "Invalid statement",
                "each statement is a JSON object",
            ));
            continue;
        };
        check_statement(&p, m, kind, &mut sids, &mut out);
    }
    out
}

fn check_statement(
    p: &str,
    m: &Map<String, Json>,
    kind: Kind,
    sids: &mut BTreeSet<String>,
    out: &mut Vec<Finding>,
) {
    if let Some(sid) = m.get("Sid") {
        match sid.as_str() {
            Some(x) if !x.is_empty() && !sids.insert(x.to_string()) => out.push(Finding::warning(
                format!("{p}.Sid"),
                "Duplicate Sid",
                format!("Sid {x:?} is used by more than one statement; IAM asks for unique Sids, and tools that edit one statement by its Sid (ecr_cross_account_grant) cannot tell these apart"),
            )),
            Some(_) => {}
            None => out.push(Finding::warning(
                format!("{p}.Sid"),
                "Sid is not a string",
                format!("Sid is a statement label written as a string, not {sid}"),
            )),
        }
    }
    match m.get("Effect") {
        Some(Json::String(e)) if e == "Allow" || e == "Deny" => {}
        Some(e) => out.push(Finding::error(
            format!("{p}.Effect"),
            "Invalid Effect",
            format!("Effect is \"Allow\" or \"Deny\", not {e}"),
        )),
        None => out.push(Finding::error(
            p,
            "Missing Effect",
            "the statement has no \"Effect\" (\"Allow\" or \"Deny\")",
        )),
    }
    let action_key = if m.contains_key("Action") {
        "Action"
    } else {
        "NotAction"
    };
    match m.get(action_key) {
        None => out.push(Finding::error(
            p,
            "Missing Action",
            "the statement has neither \"Action\" nor \"NotAction\"",
        )),
        Some(a) => check_actions(&format!("{p}.{action_key}"), a, kind, out),
    }
    for key in ["Resource", "NotResource"] {
        if let Some(v) = m.get(key) {
            check_resources(&format!("{p}.{key}"), v, out);
        }
    }
    let principal_key = if m.contains_key("Principal") {
        "Principal"
    } else {
        "NotPrincipal"
    };
    match m.get(principal_key) {
        None => out.push(Finding::error(
            p,
            "Missing Principal",
            format!("a {} policy is a resource-based policy: every statement names a \"Principal\" (or \"NotPrincipal\")", match kind {
                Kind::Repository => "repository",
                Kind::Registry => "registry",
                Kind::PublicRepository => "public repository",
            }),
        )),
        Some(v) => check_principals(&format!("{p}.{principal_key}"), v, out),
    }
}

fn check_actions(path: &str, a: &Json, kind: Kind, out: &mut Vec<Finding>) {
    let items: Vec<(String, &Json)> = match a {
        Json::Array(list) => {
            if list.is_empty() {
                out.push(Finding::warning(
                    path,
                    "Empty action list",
                    "the statement lists no actions, so it grants or denies nothing",
                ));
            }
            list.iter()
                .enumerate()
                .map(|(j, x)| (format!("{path}[{j}]"), x))
                .collect()
        }
        other => vec![(path.to_string(), other)],
    };
    for (ptr, x) in items {
        match x {
            Json::String(action) => {
                if let Err((summary, detail)) = check_action_for(action, kind.service()) {
                    out.push(Finding::warning(ptr, summary, detail));
                }
            }
            other => out.push(Finding::error(
                ptr,
                "Invalid action",
                format!(
                    "an action is a string such as \"{}:BatchGetImage\", not {other}",
                    kind.service()
                ),
            )),
        }
    }
}

/// `Resource`/`NotResource`: a string or a list of strings (IAM's grammar). ECR does not
/// require one in a repository policy (AWS's own examples write `"Resource": "*"`).
fn check_resources(path: &str, v: &Json, out: &mut Vec<Finding>) {
    let ok = match v {
        Json::String(_) => true,
        Json::Array(a) => a.iter().all(Json::is_string),
        _ => false,
    };
    if !ok {
        out.push(Finding::error(
            path,
            "Invalid resource",
            format!("a resource is an ARN string or a list of them, not {v}"),
        ));
    }
}

const PRINCIPAL_KEYS: &[&str] = &["AWS", "Service", "Federated", "CanonicalUser"];

fn check_principals(path: &str, v: &Json, out: &mut Vec<Finding>) {
    let map = match v {
        Json::String(s) if s == "*" => return,
        Json::Object(m) => m,
        other => {
            out.push(Finding::error(
                path,
                "Invalid principal",
                format!("Principal is \"*\" or an object such as {{\"AWS\": \"arn:aws:iam::123456789012:root\"}}, not {other}"),
            ));
            return;
        }
    };
    for (key, value) in map {
        let kp = format!("{path}.{key}");
        if !PRINCIPAL_KEYS.contains(&key.as_str()) {
            out.push(Finding::warning(
                &kp,
                "Unknown principal type",
                format!("{key:?} is not a principal type IAM knows ({}); AWS will refuse it or match nobody", PRINCIPAL_KEYS.join(", ")),
            ));
            continue;
        }
        let values: Vec<(String, &Json)> = match value {
            Json::Array(list) => list
                .iter()
                .enumerate()
                .map(|(j, x)| (format!("{kp}[{j}]"), x))
                .collect(),
            other => vec![(kp.clone(), other)],
        };
        for (ptr, x) in values {
            let text = match x {
                Json::String(s) => s.clone(),
                // IAM's grammar lets numbers go unquoted (an account id from jsonencode).
                Json::Number(n) => n.to_string(),
                other => {
                    out.push(Finding::error(
                        ptr,
                        "Invalid principal",
                        format!("a principal is a string, not {other}"),
                    ));
                    continue;
                }
            };
            if key != "AWS" {
                continue;
            }
            match parse_principal(&text) {
                Err(e) => out.push(Finding::error(ptr, "Invalid principal", e)),
                Ok(_) => {
                    if let Some((summary, detail)) = principal_caveat(&text) {
                        out.push(Finding::warning(ptr, summary, detail));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(f: &[Finding], errors: bool) -> Vec<&str> {
        f.iter()
            .filter(|x| x.is_error() == errors)
            .map(|x| x.path.as_str())
            .collect()
    }

    #[test]
    fn a_plain_grant_is_clean() {
        let ok = r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"ecr:BatchGetImage"}]}"#;
        assert!(validate_document(ok, Kind::Repository).is_empty());
    }

    #[test]
    fn grammar_breaks_are_errors_at_their_path() {
        let bad = r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Permit","Principal":{"AWS":["arn:aws:iam::1:root"]},"Action":["ecr:BatchGetImage",{"x":1}]},{"Sid":"B","Effect":"Allow","Action":"ecr:*"}]}"#;
        let f = validate_document(bad, Kind::Repository);
        let errors = paths(&f, true);
        assert!(errors.contains(&"Statement[0].Effect"), "{f:?}");
        assert!(errors.contains(&"Statement[0].Action[1]"), "{f:?}");
        assert!(errors.contains(&"Statement[0].Principal.AWS[0]"), "{f:?}");
        assert!(errors.contains(&"Statement[1]"), "{f:?}");
        assert!(validate_document("nope", Kind::Registry)[0]
            .summary
            .contains("not valid JSON"));
        assert_eq!(
            paths(
                &validate_document(
                    r#"{"Version":"2020-01-01","Statement":{"Effect":"Allow","Principal":"*","Action":"ecr:*"}}"#,
                    Kind::Registry
                ),
                true
            ),
            vec!["Version"]
        );
        let long = format!(
            r#"{{"Statement":[{{"Sid":"{}","Effect":"Allow","Principal":"*","Action":"ecr:*"}}]}}"#,
            "A".repeat(10_300)
        );
        assert!(validate_document(&long, Kind::Repository)
            .iter()
            .any(|x| x.is_error() && x.detail.contains("10240")));
    }

    #[test]
    fn unusual_but_accepted_is_a_warning() {
        let doc = r#"{"Version":"2008-10-17","Statement":[
            {"Sid":"new statement","Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111122223333:assumed-role/deployer/ci"},"Action":["ecr:Pull","s3:GetObject","ecr:Nope*"]},
            {"Sid":"new statement","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/app-*"},"Action":[]}]}"#;
        let f = validate_document(doc, Kind::Repository);
        assert!(paths(&f, true).is_empty(), "{f:?}");
        let w = paths(&f, false);
        for p in [
            "Statement[0].Principal.AWS",
            "Statement[0].Action[0]",
            "Statement[0].Action[1]",
            "Statement[0].Action[2]",
            "Statement[1].Sid",
            "Statement[1].Principal.AWS",
            "Statement[1].Action",
        ] {
            assert!(w.contains(&p), "{p}: {f:?}");
        }
        let empty = validate_document(r#"{"Statement":[]}"#, Kind::PublicRepository);
        assert_eq!(paths(&empty, false), vec!["Statement"]);
        assert!(paths(&empty, true).is_empty());
    }

    #[test]
    fn public_policies_expect_ecr_public_actions() {
        let doc = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":["ecr-public:PutImage","ecr:PutImage"]}]}"#;
        let f = validate_document(doc, Kind::PublicRepository);
        assert_eq!(paths(&f, false), vec!["Statement[0].Action[1]"], "{f:?}");
        assert!(paths(&f, true).is_empty());
    }

    #[test]
    fn principal_values_and_types() {
        let doc = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":[111122223333,"arn:aws:iam::111122223333:group/g",null],"Service":"lambda.amazonaws.com","Aws":"x"},"Action":"ecr:*"},
            {"Effect":"Allow","Principal":"arn:aws:iam::111122223333:root","Action":"ecr:*"}]}"#;
        let f = validate_document(doc, Kind::Repository);
        assert_eq!(
            paths(&f, true),
            vec![
                "Statement[0].Principal.AWS[1]",
                "Statement[0].Principal.AWS[2]",
                "Statement[1].Principal"
            ],
            "{f:?}"
        );
        assert_eq!(
            paths(&f, false),
            vec!["Statement[0].Principal.Aws"],
            "{f:?}"
        );
        let res = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:*","Resource":"*"},{"Effect":"Allow","Principal":"*","Action":"ecr:*","Resource":[5]}]}"#;
        assert_eq!(
            paths(&validate_document(res, Kind::Registry), true),
            vec!["Statement[1].Resource"]
        );
    }

    #[test]
    fn kinds_by_name() {
        for k in [Kind::Repository, Kind::Registry, Kind::PublicRepository] {
            assert_eq!(Kind::from_name(k.name()), Some(k));
        }
        assert_eq!(Kind::from_name("bucket"), None);
    }
}
