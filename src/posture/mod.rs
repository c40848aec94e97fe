//! Best-practice ("posture") checks shown as plan-time warnings: pure functions over what a
//! resource's configuration or AWS says, each check with a stable id, a reason and a fix
//! (listed in `docs/posture-checks.md`). No AWS, gRPC or Terraform types: [`notices`] says how
//! each finding is shown, and `shared::posture` turns that into diagnostics.
//!
//! Modes (provider attribute `posture_checks`): `warn` (default), `off`, `error` (for CI that
//! wants them blocking). Each resource can silence single checks with `posture_ignore`.

use serde_json::Value;

/// How findings are reported.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    #[default]
    Warn,
    Off,
    Error,
}

impl Mode {
    pub const NAMES: &'static [&'static str] = &["warn", "off", "error"];
    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "warn" => Some(Mode::Warn),
            "off" => Some(Mode::Off),
            "error" => Some(Mode::Error),
            _ => None,
        }
    }
}

/// A documented check.
#[derive(Debug, PartialEq, Eq)]
pub struct Check {
    pub id: &'static str,
    pub title: &'static str,
    pub why: &'static str,
    pub fix: &'static str,
}

pub const MUTABLE_TAGS: Check = Check {
    id: "ECR-P001",
    title: "image tags are mutable",
    why: "A mutable tag can be overwritten, so the image a tag names can change under a running deployment; production repositories should use immutable tags.",
    fix: "set image_tag_mutability = \"IMMUTABLE\" (or \"IMMUTABLE_WITH_EXCLUSION\" with exclusion filters for tags such as latest)",
};
pub const NO_SCANNING: Check = Check {
    id: "ECR-P002",
    title: "images are not scanned",
    why: "Neither scan on push nor registry-level scanning is configured, so vulnerabilities in pushed images go unnoticed.",
    fix: "add image_scanning_configuration { scan_on_push = true }, or configure registry-level scanning with ecr_registry_scanning_configuration",
};
pub const AES256: Check = Check {
    id: "ECR-P003",
    title: "encrypted with AES256, not KMS",
    why: "AES256 (S3-managed keys) gives no control over, or audit trail of, key use; KMS encryption does.",
    fix: "set encryption_configuration { encryption_type = \"KMS\" } (optionally with kms_key); this replaces the repository",
};
pub const NO_LIFECYCLE_POLICY: Check = Check {
    id: "ECR-P004",
    title: "repository has no lifecycle policy",
    why: "Without a lifecycle policy every pushed image is kept and billed forever: 20 pushes a day of 300 MB cost about $18/month more after every month.",
    fix: "add an ecr_lifecycle_policy for this repository (see data.ecr_cost_estimate for what it would save)",
};
pub const WILDCARD_PRINCIPAL: Check = Check {
    id: "ECR-P005",
    title: "policy grants access to any principal",
    why: "A statement with Principal \"*\" and no aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceAccount or aws:SourceOrgID condition lets every AWS account use the repository.",
    fix: "name the accounts or roles in Principal, or add a Condition on aws:PrincipalOrgID",
};

/// Every check, in id order.
pub const CHECKS: &[&Check] = &[
    &MUTABLE_TAGS,
    &NO_SCANNING,
    &AES256,
    &NO_LIFECYCLE_POLICY,
    &WILDCARD_PRINCIPAL,
];

pub fn is_known_id(id: &str) -> bool {
    CHECKS.iter().any(|c| c.id == id)
}

/// One check that fired.
#[derive(Debug, PartialEq)]
pub struct Finding {
    pub check: &'static Check,
    /// Top-level attribute the finding is about (underlined by Terraform).
    pub attribute: Option<&'static str>,
    /// What exactly fired, naming the object.
    pub detail: String,
}

/// What the repository checks look at. `None` = not known at plan time (check skipped).
#[derive(Clone, Debug, Default)]
pub struct RepositoryFacts<'a> {
    pub name: &'a str,
    /// `image_tag_mutability`; `Some("MUTABLE")` when unset (AWS's default).
    pub mutability: Option<&'a str>,
    /// `scan_on_push`; `Some(false)` when the block is absent.
    pub scan_on_push: Option<bool>,
    /// Registry-level scanning is configured in the same configuration.
    pub registry_scanning: bool,
    /// `encryption_type`; `Some("AES256")` when the block is absent.
    pub encryption_type: Option<&'a str>,
}

/// ECR-P001..P003 for one repository.
pub fn repository_findings(f: &RepositoryFacts) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(m) = f.mutability {
        if m == "MUTABLE" || m == "MUTABLE_WITH_EXCLUSION" {
            out.push(Finding {
                check: &MUTABLE_TAGS,
                attribute: Some("image_tag_mutability"),
                detail: format!("Repository {:?} uses image_tag_mutability = {m:?}.", f.name),
            });
        }
    }
    if f.scan_on_push == Some(false) && !f.registry_scanning {
        out.push(Finding {
            check: &NO_SCANNING,
            attribute: Some("image_scanning_configuration"),
            detail: format!("Repository {:?} does not scan on push, and no registry-level scanning (ecr_registry_scanning_configuration) was planned before it in this configuration.", f.name),
        });
    }
    if f.encryption_type == Some("AES256") {
        out.push(Finding {
            check: &AES256,
            attribute: Some("encryption_configuration"),
            detail: format!("Repository {:?} is encrypted with AES256.", f.name),
        });
    }
    out
}

/// ECR-P004: the repository exists in AWS without a lifecycle policy (seen at its refresh), and
/// no `ecr_lifecycle_policy` for it has been planned in this run.
pub fn missing_lifecycle_policy(
    name: &str,
    has_remote_policy: bool,
    planned_policy: bool,
) -> Option<Finding> {
    (!has_remote_policy && !planned_policy).then(|| Finding {
        check: &NO_LIFECYCLE_POLICY,
        attribute: None,
        detail: format!("Repository {name:?} had no lifecycle policy in AWS when it was refreshed, and no ecr_lifecycle_policy for it was planned before it."),
    })
}

/// ECR-P001 and ECR-P004 for a repository creation template: every repository ECR creates from
/// it inherits its tag mutability and lifecycle policy. `None` = not known at plan time.
pub fn template_findings(
    prefix: &str,
    mutability: Option<&str>,
    has_lifecycle_policy: Option<bool>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(m) = mutability.filter(|m| *m == "MUTABLE" || *m == "MUTABLE_WITH_EXCLUSION") {
        out.push(Finding {
            check: &MUTABLE_TAGS,
            attribute: Some("image_tag_mutability"),
            detail: format!("Repository creation template {prefix:?} uses image_tag_mutability = {m:?}: every repository created from it gets mutable tags."),
        });
    }
    if has_lifecycle_policy == Some(false) {
        out.push(Finding {
            check: &NO_LIFECYCLE_POLICY,
            attribute: None,
            detail: format!("Repository creation template {prefix:?} sets no lifecycle_policy: repositories created from it keep every image."),
        });
    }
    out
}

/// Condition keys that restrict a `*` principal to known accounts or organisations.
const RESTRICTING_KEYS: &[&str] = &[
    "aws:principalorgid",
    "aws:principalaccount",
    "aws:sourceaccount",
    "aws:sourceorgid",
    "aws:principalorgpaths",
    "aws:sourcearn",
    "aws:sourceowner",
];

/// ECR-P005 over an IAM policy document (repository or registry policy, or a grant's
/// statement): one finding per `Allow` statement whose principal is `*` (`"*"` or
/// `{"AWS": "*"}`, alone or in a list) without a condition restricting it to accounts or an
/// organisation. Statements may be one object or a list.
pub fn wildcard_principal(doc: &Value) -> Vec<Finding> {
    let statements: Vec<&Value> = match doc.get("Statement") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(s @ Value::Object(_)) => vec![s],
        _ if doc.get("Principal").is_some() => vec![doc],
        _ => vec![],
    };
    let mut out = Vec::new();
    for (i, st) in statements.into_iter().enumerate() {
        if st.get("Effect").and_then(Value::as_str) == Some("Deny") {
            continue;
        }
        let Some(principal) = st.get("Principal") else {
            continue;
        };
        if !principal_is_wildcard(principal) || condition_restricts(st.get("Condition")) {
            continue;
        }
        let name = match st.get("Sid").and_then(Value::as_str) {
            Some(sid) => format!("Statement {sid:?}"),
            None => format!("Statement {i}"),
        };
        out.push(Finding { check: &WILDCARD_PRINCIPAL, attribute: None, detail: format!("{name} allows Principal \"*\" with no condition restricting it to your accounts or organisation.") });
    }
    out
}

fn principal_is_wildcard(p: &Value) -> bool {
    let star = |v: &Value| match v {
        Value::String(s) => s == "*",
        Value::Array(a) => a.iter().any(|x| x.as_str() == Some("*")),
        _ => false,
    };
    match p {
        Value::Object(m) => m.get("AWS").is_some_and(star),
        other => star(other),
    }
}

fn condition_restricts(c: Option<&Value>) -> bool {
    let Some(Value::Object(ops)) = c else {
        return false;
    };
    ops.values().any(|keys| match keys {
        Value::Object(k) => k
            .keys()
            .any(|key| RESTRICTING_KEYS.contains(&key.to_ascii_lowercase().as_str())),
        _ => false,
    })
}

/// How a finding is shown: a warning, or an error in `error` mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Fails the plan (`posture_checks = "error"`).
    pub blocking: bool,
    /// Top-level attribute to underline.
    pub attribute: Option<&'static str>,
    pub summary: String,
    pub detail: String,
}

/// The notices for `findings` in `mode`, skipping ids in `ignore`. `resource` is the Terraform
/// type (for the message).
pub fn notices(
    findings: Vec<Finding>,
    mode: Mode,
    ignore: &[String],
    resource: &str,
) -> Vec<Notice> {
    if mode == Mode::Off {
        return vec![];
    }
    findings
        .into_iter()
        .filter(|f| !ignore.iter().any(|i| i == f.check.id))
        .map(|f| Notice {
            blocking: mode == Mode::Error,
            attribute: f.attribute,
            summary: format!("{}: {}", f.check.id, f.check.title),
            detail: format!(
                "{} {}\n\nFix: {}.\n\nTo silence this check for this resource add \"{}\" to posture_ignore on the {resource}; to silence all checks set posture_checks = \"off\" in the provider \"ecr\" block (\"error\" makes them fail the plan). See docs/posture-checks.md.",
                f.detail, f.check.why, f.check.fix, f.check.id
            ),
        })
        .collect()
}

/// The entries of a `posture_ignore` list (named `attr`) that are not check ids: each entry's
/// index and why.
pub fn unknown_ignore_ids(list: &[String], attr: &str) -> Vec<(usize, String)> {
    let known: Vec<&str> = CHECKS.iter().map(|c| c.id).collect();
    list.iter()
        .enumerate()
        .filter(|(_, id)| !is_known_id(id))
        .map(|(i, id)| {
            (
                i,
                format!(
                    "{attr} entry {id:?} is not a posture check id; known ids: {}.",
                    known.join(", ")
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ids(f: &[Finding]) -> Vec<&str> {
        f.iter().map(|x| x.check.id).collect()
    }

    fn hardened() -> RepositoryFacts<'static> {
        RepositoryFacts {
            name: "app",
            mutability: Some("IMMUTABLE"),
            scan_on_push: Some(true),
            registry_scanning: false,
            encryption_type: Some("KMS"),
        }
    }

    #[test]
    fn ids_are_stable_and_unique() {
        assert_eq!(
            CHECKS.iter().map(|c| c.id).collect::<Vec<_>>(),
            ["ECR-P001", "ECR-P002", "ECR-P003", "ECR-P004", "ECR-P005"]
        );
        assert!(is_known_id("ECR-P004") && !is_known_id("ECR-P999"));
    }

    #[test]
    fn a_hardened_repository_passes() {
        assert!(repository_findings(&hardened()).is_empty());
    }

    #[test]
    fn mutable_tags() {
        for (m, fires) in [
            ("MUTABLE", true),
            ("MUTABLE_WITH_EXCLUSION", true),
            ("IMMUTABLE", false),
            ("IMMUTABLE_WITH_EXCLUSION", false),
        ] {
            let f = repository_findings(&RepositoryFacts {
                mutability: Some(m),
                ..hardened()
            });
            assert_eq!(ids(&f) == ["ECR-P001"], fires, "{m}");
        }
        assert!(repository_findings(&RepositoryFacts {
            mutability: None,
            ..hardened()
        })
        .is_empty());
    }

    #[test]
    fn scanning_on_the_repository_or_the_registry() {
        let f = repository_findings(&RepositoryFacts {
            scan_on_push: Some(false),
            ..hardened()
        });
        assert_eq!(ids(&f), ["ECR-P002"]);
        assert_eq!(f[0].attribute, Some("image_scanning_configuration"));
        assert!(repository_findings(&RepositoryFacts {
            scan_on_push: Some(false),
            registry_scanning: true,
            ..hardened()
        })
        .is_empty());
        assert!(repository_findings(&RepositoryFacts {
            scan_on_push: None,
            ..hardened()
        })
        .is_empty());
    }

    #[test]
    fn aes256_instead_of_kms() {
        assert_eq!(
            ids(&repository_findings(&RepositoryFacts {
                encryption_type: Some("AES256"),
                ..hardened()
            })),
            ["ECR-P003"]
        );
        assert!(repository_findings(&RepositoryFacts {
            encryption_type: Some("KMS_DSSE"),
            ..hardened()
        })
        .is_empty());
        assert!(repository_findings(&RepositoryFacts {
            encryption_type: None,
            ..hardened()
        })
        .is_empty());
    }

    #[test]
    fn lifecycle_policy_missing() {
        assert_eq!(
            missing_lifecycle_policy("app", false, false).map(|f| f.check.id),
            Some("ECR-P004")
        );
        assert!(missing_lifecycle_policy("app", true, false).is_none());
        assert!(missing_lifecycle_policy("app", false, true).is_none());
    }

    #[test]
    fn wildcard_principals() {
        let public = json!({"Version":"2012-10-17","Statement":[
            {"Sid":"Pull","Effect":"Allow","Principal":"*","Action":["ecr:BatchGetImage"]},
            {"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","*"]},"Action":"ecr:*"},
            {"Sid":"Org","Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}},
            {"Sid":"Deny","Effect":"Deny","Principal":"*","Action":"ecr:DeleteRepository"},
            {"Sid":"Acct","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"ecr:*"},
            {"Sid":"Svc","Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"ecr:BatchGetImage"}
        ]});
        let f = wildcard_principal(&public);
        assert_eq!(ids(&f), ["ECR-P005", "ECR-P005"]);
        assert!(f[0].detail.contains("\"Pull\""), "{}", f[0].detail);
        assert!(f[1].detail.contains("Statement 1"), "{}", f[1].detail);
        let single =
            json!({"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"ecr:*"}});
        assert_eq!(wildcard_principal(&single).len(), 1);
        let bare_statement = json!({"Effect":"Allow","Principal":"*","Action":"ecr:*"});
        assert_eq!(wildcard_principal(&bare_statement).len(), 1);
        assert!(wildcard_principal(&json!({"Statement":[]})).is_empty());
        assert!(wildcard_principal(&json!("not a policy")).is_empty());
    }

    #[test]
    fn modes() {
        assert_eq!(Mode::parse("error"), Some(Mode::Error));
        assert_eq!(Mode::parse("loud"), None);
    }

    #[test]
    fn templates_warn_like_repositories() {
        let f = template_findings("prod", Some("MUTABLE"), Some(false));
        assert_eq!(
            f.iter().map(|x| x.check.id).collect::<Vec<_>>(),
            ["ECR-P001", "ECR-P004"]
        );
        assert!(f[0].detail.contains("\"prod\""));
        assert!(template_findings("prod", Some("IMMUTABLE"), Some(true)).is_empty());
        assert!(template_findings("prod", None, None).is_empty());
        assert_eq!(
            template_findings("p", Some("MUTABLE_WITH_EXCLUSION"), Some(true)).len(),
            1
        );
    }
}
