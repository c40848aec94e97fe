//! Repository creation templates: the limits of `CreateRepositoryCreationTemplate` /
//! `UpdateRepositoryCreationTemplate` (prefix, description, scenarios, custom role, KMS key,
//! resource tags) and the rules across them. Tag mutability, exclusion filters and the two JSON
//! policies follow the repository's own rules and are checked by the same code as
//! `ecr_repository`, `ecr_lifecycle_policy` and `ecr_repository_policy`.

use std::sync::LazyLock;

use regex::Regex;

use super::arn::Arn;
use super::{Problems, Registry, Step};

/// The prefix that applies a template to every repository no other template matches.
pub const ROOT: &str = "ROOT";
/// Length of `prefix` (`Prefix`).
pub const PREFIX_LEN: (usize, usize) = (1, 256);
/// `Prefix`'s pattern: repository-name path components, an optional trailing `/`, or `ROOT`.
pub static PREFIX_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*/?|ROOT)$")
        .expect("valid regex")
});
/// `RepositoryTemplateDescription` maximum.
pub const DESCRIPTION_MAX: usize = 256;
/// `RCTAppliedFor` values.
pub const APPLIED_FOR: &[&str] = &["REPLICATION", "PULL_THROUGH_CACHE", "CREATE_ON_PUSH"];
/// `CustomRoleArn` maximum.
pub const CUSTOM_ROLE_MAX: usize = 2048;
/// `lifecyclePolicy` maximum of Create/UpdateRepositoryCreationTemplate (AWS ECR API reference,
/// `RepositoryCreationTemplate`: 0–30 720 characters). The template sends the text as written,
/// so it is measured as written (`ecr_lifecycle_policy` measures the canonical JSON it sends).
pub const LIFECYCLE_POLICY_MAX: usize = 30720;
// `repositoryPolicy` (at most 10 240 characters, measured as written) is checked by the code
// `ecr_repository_policy` uses (`policy::MAX_POLICY_LEN`).
/// `KmsKeyForRepositoryCreationTemplate`: a full key ARN (or empty), at most 2048 characters.
pub static KMS_KEY_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^arn:aws[a-z0-9-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-z0-9-]+$").expect("valid regex")
});
pub const KMS_KEY_MAX: usize = 2048;
/// Resource tag key and value maxima (documented on `resourceTags`).
pub const TAG_KEY_MAX: usize = 128;
pub const TAG_VALUE_MAX: usize = 256;

/// A template as configured; `None` = null or not known yet.
#[derive(Clone, Debug, Default)]
pub struct TemplateSpec<'a> {
    pub prefix: Option<&'a str>,
    pub description: Option<&'a str>,
    /// `None` when not known; `Some(list)` with `None` elements not known yet.
    pub applied_for: Option<Vec<Option<&'a str>>>,
    pub custom_role_arn: Option<&'a str>,
    /// Whether `custom_role_arn` is set (known or not).
    pub has_custom_role: bool,
    pub encryption_type: Option<&'a str>,
    pub kms_key: Option<&'a str>,
    /// Resource tags when known; `has_tags` says whether there are any (even unknown).
    pub resource_tags: Vec<(&'a str, &'a str)>,
    pub has_tags: bool,
    /// The lifecycle policy as it will be sent.
    pub lifecycle_policy: Option<&'a str>,
}

/// Checks a template's own arguments against what AWS documents.
pub fn check(t: &TemplateSpec, registry: Registry, out: &mut Problems) {
    if let Some(p) = t.prefix {
        let n = p.chars().count();
        let (min, max) = PREFIX_LEN;
        if n < min || n > max || !PREFIX_RE.is_match(p) {
            out.error(
                vec![Step::Attr("prefix")],
                "Invalid prefix",
                format!("prefix {p:?} must be {min} to {max} characters of repository-name path components (lowercase letters and digits separated by '.', '_', '__' or '-', joined by '/'), or exactly \"ROOT\" for every repository no other template matches."),
            );
        } else if p != ROOT && p.eq_ignore_ascii_case(ROOT) {
            out.warning(vec![Step::Attr("prefix")], "Prefix looks like ROOT", format!("prefix {p:?} is a namespace named {p:?}, not the catch-all template; write \"ROOT\" in capitals for that."));
        }
    }
    if let Some(d) = t.description {
        let n = d.chars().count();
        if n > DESCRIPTION_MAX {
            out.error(
                vec![Step::Attr("description")],
                "Description too long",
                format!("description has {n} characters; AWS allows at most {DESCRIPTION_MAX}."),
            );
        }
    }
    if let Some(n) = t.lifecycle_policy.map(|x| x.chars().count()) {
        if n > LIFECYCLE_POLICY_MAX {
            out.error(
                vec![Step::Attr("lifecycle_policy")],
                "Lifecycle policy too long",
                format!("lifecycle_policy has {n} characters as written; AWS allows at most {LIFECYCLE_POLICY_MAX} for a repository creation template, and sends the text as written (whitespace counts: write it with jsonencode())."),
            );
        }
    }
    if let Some(list) = &t.applied_for {
        if list.is_empty() {
            out.error(
                vec![Step::Attr("applied_for")],
                "No scenario",
                format!(
                    "applied_for needs at least one of {}.",
                    APPLIED_FOR.join(", ")
                ),
            );
        }
        for v in list.iter().flatten() {
            if !APPLIED_FOR.contains(v) {
                out.error(
                    vec![Step::Attr("applied_for")],
                    "Invalid applied_for",
                    format!(
                        "applied_for values must be among {}; got {v:?}.",
                        APPLIED_FOR.join(", ")
                    ),
                );
            }
        }
    }
    if let Some(role) = t.custom_role_arn {
        check_custom_role(role, registry, out);
    }
    check_kms_key(t, registry, out);
    let enc_path = || {
        vec![
            Step::Attr("encryption_configuration"),
            Step::Index(0),
            Step::Attr("encryption_type"),
        ]
    };
    let uses_kms = t.encryption_type.is_some_and(|e| e.starts_with("KMS"));
    if !t.has_custom_role && (uses_kms || t.has_tags) {
        let what = match (uses_kms, t.has_tags) {
            (true, true) => "KMS encryption and resource tags",
            (true, false) => "KMS encryption",
            _ => "resource tags",
        };
        let path = if uses_kms {
            enc_path()
        } else {
            vec![Step::Attr("resource_tags")]
        };
        out.warning(path, "Template needs a custom role", format!("This template sets {what} but no custom_role_arn. ECR's service-linked role cannot use KMS keys or tag repositories it creates from a template; give it an IAM role (trusted by ecr.amazonaws.com, allowed kms:CreateGrant/kms:Decrypt and ecr:TagResource) with custom_role_arn, or repository creation will fail."));
    }
    for (k, v) in &t.resource_tags {
        let path = vec![Step::Attr("resource_tags")];
        if k.chars().count() > TAG_KEY_MAX || k.is_empty() {
            out.error(
                path.clone(),
                "Invalid tag key",
                format!("Tag key {k:?} must be 1 to {TAG_KEY_MAX} characters."),
            );
        }
        if v.chars().count() > TAG_VALUE_MAX {
            out.error(
                path,
                "Invalid tag value",
                format!(
                    "The value of tag {k:?} has {} characters; at most {TAG_VALUE_MAX}.",
                    v.chars().count()
                ),
            );
        }
    }
}

fn check_custom_role(role: &str, registry: Registry, out: &mut Problems) {
    let path = || vec![Step::Attr("custom_role_arn")];
    if role.chars().count() > CUSTOM_ROLE_MAX {
        out.error(
            path(),
            "Invalid custom_role_arn",
            format!("custom_role_arn has more than {CUSTOM_ROLE_MAX} characters."),
        );
        return;
    }
    let arn = match Arn::parse(role) {
        Ok(a) => a,
        Err(e) => {
            return out.error(
                path(),
                "Invalid custom_role_arn",
                format!("custom_role_arn: {e}."),
            )
        }
    };
    if arn.service != "iam"
        || !arn.resource.starts_with("role/")
        || !super::is_account_id(arn.account)
    {
        out.error(path(), "custom_role_arn is not an IAM role", format!("custom_role_arn {role:?} must be an IAM role ARN (arn:<partition>:iam::<account>:role/<name>): ECR assumes it to create repositories."));
        return;
    }
    if let Some(partition) = registry.partition() {
        if arn.partition != partition {
            out.error(
                path(),
                "custom_role_arn in another partition",
                format!(
                    "custom_role_arn is in partition {:?} but this registry is in {partition:?}.",
                    arn.partition
                ),
            );
        }
    }
    if let Some(account) = registry.account {
        if arn.account != account {
            out.error(path(), "custom_role_arn in another account", format!("custom_role_arn belongs to account {} but the registry is account {account}; AWS requires the role to be in the registry's own account.", arn.account));
        }
    }
}

fn check_kms_key(t: &TemplateSpec, registry: Registry, out: &mut Problems) {
    let Some(key) = t.kms_key else { return };
    let path = || {
        vec![
            Step::Attr("encryption_configuration"),
            Step::Index(0),
            Step::Attr("kms_key"),
        ]
    };
    if key.chars().count() > KMS_KEY_MAX || !KMS_KEY_RE.is_match(key) {
        out.error(path(), "Invalid kms_key", format!("kms_key {key:?} must be the full ARN of a KMS key (arn:<partition>:kms:<region>:<account>:key/<key-id>); aliases and bare key ids are refused for templates."));
        return;
    }
    let Ok(arn) = Arn::parse(key) else { return };
    if let Some(region) = registry.region {
        if arn.region != region {
            out.error(path(), "kms_key in another region", format!("kms_key is in region {} but the registry is in {region}; the key must be in the region of the repositories created from the template.", arn.region));
        }
    }
    if let Some(partition) = registry.partition() {
        if arn.partition != partition {
            out.error(
                path(),
                "kms_key in another partition",
                format!(
                    "kms_key is in partition {:?} but this registry is in {partition:?}.",
                    arn.partition
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACC: &str = "111122223333";

    fn reg() -> Registry<'static> {
        Registry {
            region: Some("eu-west-1"),
            account: Some(ACC),
        }
    }
    fn run(t: &TemplateSpec) -> Problems {
        let mut p = Problems::default();
        check(t, reg(), &mut p);
        p
    }
    fn base() -> TemplateSpec<'static> {
        TemplateSpec {
            prefix: Some("prod/team"),
            applied_for: Some(vec![Some("PULL_THROUGH_CACHE")]),
            ..Default::default()
        }
    }

    #[test]
    fn prefixes() {
        for ok in [
            "ROOT",
            "prod",
            "prod/team",
            "a",
            "ecr-public/",
            "docker-hub/library",
            "a__b/c---d",
        ] {
            let p = run(&TemplateSpec {
                prefix: Some(ok),
                ..base()
            });
            assert!(p.0.is_empty(), "{ok}: {p:?}");
        }
        for bad in [
            "",
            "Prod",
            "-a",
            "a//b",
            "/a",
            "ROOT/",
            "a b",
            &"a".repeat(257),
        ] {
            let p = run(&TemplateSpec {
                prefix: Some(bad),
                ..base()
            });
            assert_eq!(p.paths(), ["prefix"], "{bad}");
            assert!(p.has_errors());
        }
        let p = run(&TemplateSpec {
            prefix: Some("root"),
            ..base()
        });
        assert!(!p.has_errors() && p.paths() == ["prefix"]);
    }

    #[test]
    fn scenarios_and_description() {
        let p = run(&TemplateSpec {
            applied_for: Some(vec![]),
            ..base()
        });
        assert_eq!(p.paths(), ["applied_for"]);
        let p = run(&TemplateSpec {
            applied_for: Some(vec![
                Some("REPLICATION"),
                Some("CREATE_ON_PUSH"),
                Some("PUSH"),
            ]),
            ..base()
        });
        assert_eq!(p.paths(), ["applied_for"]);
        assert!(p.0[0].detail.contains("\"PUSH\""));
        // Unknown elements are skipped.
        assert!(run(&TemplateSpec {
            applied_for: Some(vec![None]),
            ..base()
        })
        .0
        .is_empty());
        let long = "d".repeat(257);
        assert_eq!(
            run(&TemplateSpec {
                description: Some(&long),
                ..base()
            })
            .paths(),
            ["description"]
        );
        let fits = "d".repeat(256);
        assert!(run(&TemplateSpec {
            description: Some(&fits),
            ..base()
        })
        .0
        .is_empty());
    }

    #[test]
    fn custom_role_must_be_a_role_of_this_account_and_partition() {
        let role = |r| {
            run(&TemplateSpec {
                custom_role_arn: Some(r),
                has_custom_role: true,
                ..base()
            })
        };
        assert!(role("arn:aws:iam::111122223333:role/ecr/template")
            .0
            .is_empty());
        for bad in [
            "role/x",
            "arn:aws:iam::111122223333:user/bob",
            "arn:aws:sts::111122223333:assumed-role/x/y",
            "arn:aws:iam::444455556666:role/x",
            "arn:aws-cn:iam::111122223333:role/x",
        ] {
            let p = role(bad);
            assert_eq!(p.paths(), ["custom_role_arn"], "{bad}");
            assert!(p.has_errors(), "{bad}");
        }
    }

    #[test]
    fn kms_keys_are_full_arns_in_the_registry_region() {
        let kms = |k| {
            run(&TemplateSpec {
                encryption_type: Some("KMS"),
                kms_key: Some(k),
                custom_role_arn: Some("arn:aws:iam::111122223333:role/r"),
                has_custom_role: true,
                ..base()
            })
        };
        assert!(
            kms("arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
                .0
                .is_empty()
        );
        for bad in [
            "alias/aws/ecr",
            "1234abcd",
            "arn:aws:kms:us-east-1:111122223333:key/abc",
            "arn:aws-cn:kms:eu-west-1:111122223333:key/abc",
        ] {
            let p = kms(bad);
            assert_eq!(p.paths(), ["encryption_configuration[0].kms_key"], "{bad}");
            assert!(p.has_errors());
        }
    }

    #[test]
    fn kms_or_tags_without_a_custom_role_warn() {
        let p = run(&TemplateSpec {
            encryption_type: Some("KMS"),
            ..base()
        });
        assert_eq!(p.paths(), ["encryption_configuration[0].encryption_type"]);
        assert!(!p.has_errors());
        let p = run(&TemplateSpec {
            has_tags: true,
            resource_tags: vec![("team", "a")],
            ..base()
        });
        assert_eq!(p.paths(), ["resource_tags"]);
        let p = run(&TemplateSpec {
            has_tags: true,
            encryption_type: Some("KMS_DSSE"),
            custom_role_arn: None,
            has_custom_role: true,
            ..base()
        });
        assert!(p.0.is_empty(), "an unknown role counts as set");
        assert!(run(&TemplateSpec {
            encryption_type: Some("AES256"),
            ..base()
        })
        .0
        .is_empty());
    }

    #[test]
    fn tag_lengths() {
        let long_key = "k".repeat(129);
        let long_value = "v".repeat(257);
        let p = run(&TemplateSpec {
            has_tags: true,
            has_custom_role: true,
            resource_tags: vec![(&long_key, "v"), ("k", &long_value), ("ok", "ok")],
            ..base()
        });
        assert_eq!(p.paths(), ["resource_tags", "resource_tags"]);
        assert!(p.has_errors());
    }
}
