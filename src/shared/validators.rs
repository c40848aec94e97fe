//! Validators (see `framework::validate`) of domain rules that several types check.

use crate::framework::validate::{last_name, Validator};
use crate::framework::{AttrPath, Diagnostics};
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
}
