//! Validators (see `framework::validate`) of domain rules that several types check.

use crate::framework::validate::{last_name, Validator};
use crate::framework::{AttrPath, Diagnostics};
use crate::lookup::syntax;
use crate::repository;

/// A private ECR repository name: 2–256 characters of AWS's pattern (`repository::NAME_RE`).
pub struct RepositoryName;

impl Validator<str> for RepositoryName {
    fn check(&self, path: &AttrPath, s: &str, diags: &mut Diagnostics) {
        let (min, max) = (repository::NAME_MIN, repository::NAME_MAX);
        let n = s.chars().count();
        if n < min || n > max {
            diags.attr_error(
                path.clone(),
                format!("Invalid {}", last_name(path)),
                format!("{path} must be {min} to {max} characters long; {s:?} has {n}."),
            );
        }
        if !repository::NAME_RE.is_match(s) {
            diags.attr_error(
                path.clone(),
                format!("Invalid {}", last_name(path)),
                format!(
                    "{path} {s:?} is not a valid repository name: {}.",
                    repository::NAME_HINT
                ),
            );
        }
    }
}

/// A registry id: an AWS account id, `[0-9]{12}` (ECR API model, `RegistryId`).
pub struct RegistryId;

impl Validator<str> for RegistryId {
    fn check(&self, path: &AttrPath, s: &str, diags: &mut Diagnostics) {
        if let Some(why) = syntax::check_registry_id(s) {
            diags.attr_error(
                path.clone(),
                format!("Invalid {}", last_name(path)),
                format!("{path}: {why}."),
            );
        }
    }
}

/// An image tag: 1–300 characters (ECR API model, `ImageTag`).
pub struct ImageTag;

impl Validator<str> for ImageTag {
    fn check(&self, path: &AttrPath, s: &str, diags: &mut Diagnostics) {
        if let Some(why) = syntax::check_tag(s) {
            diags.attr_error(
                path.clone(),
                format!("Invalid {}", last_name(path)),
                format!("{path}: {why}."),
            );
        }
    }
}

/// An image digest in the OCI grammar (an error), and a sha256 one as ECR computes (a warning
/// otherwise: no ECR image has it, but the syntax is not refused).
pub struct ImageDigest;

impl Validator<str> for ImageDigest {
    fn check(&self, path: &AttrPath, s: &str, diags: &mut Diagnostics) {
        if let Some(why) = syntax::check_digest(s) {
            diags.attr_error(
                path.clone(),
                format!("Invalid {}", last_name(path)),
                format!("{path}: {why}."),
            );
        } else if let Some(w) = syntax::digest_warning(s) {
            diags.attr_warning(path.clone(), "Not an ECR digest", w);
        }
    }
}

/// An ECR Public repository name: 2–205 characters of its API model's pattern.
pub struct PublicRepositoryName;

impl Validator<str> for PublicRepositoryName {
    fn check(&self, path: &AttrPath, s: &str, diags: &mut Diagnostics) {
        if let Some(why) = crate::ecr_public::check_name(s) {
            diags.attr_error(
                path.clone(),
                format!("Invalid {}", last_name(path)),
                format!("{path} {why}."),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::validate::check;
    use crate::framework::Val;

    #[test]
    fn repository_names_point_at_the_attribute() {
        let p = AttrPath::attr("repository");
        let mut d = Diagnostics::new();
        check(&mut d, &p, &Val::of("my-org/app"), &[&RepositoryName]);
        check(&mut d, &p, &Val::Unknown, &[&RepositoryName]);
        assert!(d.is_empty());
        check(&mut d, &p, &Val::of("A"), &[&RepositoryName]);
        assert_eq!(d.0.len(), 2, "too short and not the pattern");
        assert!(d.0.iter().all(|x| x.attribute.as_ref() == Some(&p)));
        assert_eq!(d.0[0].summary, "Invalid repository");
        assert!(d.0[1]
            .detail
            .starts_with("repository \"A\" is not a valid repository name: use lowercase"));
    }

    #[test]
    fn lookup_validators_name_the_attribute_and_the_rule() {
        let mut d = Diagnostics::new();
        check(
            &mut d,
            &AttrPath::attr("registry_id"),
            &Val::of("12345"),
            &[&RegistryId],
        );
        check(
            &mut d,
            &AttrPath::attr("image_tag"),
            &Val::of(""),
            &[&ImageTag],
        );
        check(
            &mut d,
            &AttrPath::attr("image_digest"),
            &Val::of("sha256:xyz"),
            &[&ImageDigest],
        );
        check(
            &mut d,
            &AttrPath::attr("repository_name"),
            &Val::of("a__b"),
            &[&PublicRepositoryName],
        );
        let got: Vec<(String, &str)> =
            d.0.iter()
                .map(|x| {
                    (
                        x.attribute.as_ref().unwrap().to_string(),
                        x.summary.as_str(),
                    )
                })
                .collect();
        assert_eq!(
            got,
            [
                ("registry_id".to_string(), "Invalid registry_id"),
                ("image_tag".to_string(), "Invalid image_tag"),
                ("image_digest".to_string(), "Invalid image_digest"),
                ("repository_name".to_string(), "Invalid repository_name"),
            ]
        );
        assert!(d.0[0].detail.contains("12-digit"));
        let mut w = Diagnostics::new();
        check(
            &mut w,
            &AttrPath::attr("image_digest"),
            &Val::of(&format!("sha512:{}", "a".repeat(128))),
            &[&ImageDigest],
        );
        assert!(!w.has_errors() && w.0.len() == 1);
    }
}
