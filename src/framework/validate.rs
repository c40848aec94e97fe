//! Reusable plan-time checks, as values (in the manner of terraform-plugin-framework-validators):
//! a type file lists the validators of an attribute and [`check`] runs them. Null and unknown
//! values are skipped (validation runs again once values are known); problems are reported on
//! the attribute path, so Terraform underlines the expression.
//!
//! ```ignore
//! validate::check(diags, &AttrPath::attr("mode"), &c.mode, &[&OneOf(&["A", "B"])]);
//! ```
//!
//! A validator for a domain rule (a repository name, a posture id) is a value too: implement
//! [`Validator`] for a unit struct beside the types that use it.

use std::sync::LazyLock;

use regex::Regex;

use super::val::Val;
use crate::findings::Finding;
use crate::protocol::{AttrPath, Diagnostics};

/// Reports domain findings about the JSON document in `attr` on that attribute, quoting where
/// in the document each one is. Errors fail the plan; warnings are shown.
pub fn document_findings(diags: &mut Diagnostics, attr: &AttrPath, findings: Vec<Finding>) {
    for f in findings {
        let detail = if f.path.is_empty() {
            format!("In the policy JSON: {}.", f.detail)
        } else {
            format!("In the policy JSON at {}: {}.", f.path, f.detail)
        };
        report(diags, attr.clone(), f, detail);
    }
}

/// Reports domain findings whose path is a top-level attribute name.
pub fn attribute_findings(diags: &mut Diagnostics, findings: Vec<Finding>) {
    for f in findings {
        let path = AttrPath::attr(f.path.as_str());
        let detail = f.detail.clone();
        report(diags, path, f, detail);
    }
}

fn report(diags: &mut Diagnostics, path: AttrPath, f: Finding, detail: String) {
    if f.is_error() {
        diags.attr_error(path, f.summary, detail);
    } else {
        diags.attr_warning(path, f.summary, detail);
    }
}

/// A check of one known value.
pub trait Validator<T: ?Sized>: Sync {
    /// Reports what is wrong with `value` (the value at `path`) on `diags`.
    fn check(&self, path: &AttrPath, value: &T, diags: &mut Diagnostics);
}

/// Runs `validators` on a string value when it is known.
pub fn check(
    diags: &mut Diagnostics,
    path: &AttrPath,
    v: &Val<String>,
    validators: &[&dyn Validator<str>],
) {
    check_value(diags, path, v.as_ref().map(String::as_str), validators);
}

/// Runs `validators` on any value when it is known.
pub fn check_value<T: ?Sized>(
    diags: &mut Diagnostics,
    path: &AttrPath,
    v: Val<&T>,
    validators: &[&dyn Validator<T>],
) {
    if let Val::Known(x) = v {
        for val in validators {
            val.check(path, x, diags);
        }
    }
}

/// Between `min` and `max` characters.
pub struct LengthBetween(pub usize, pub usize);

impl Validator<str> for LengthBetween {
    fn check(&self, path: &AttrPath, s: &str, diags: &mut Diagnostics) {
        let (min, max) = (self.0, self.1);
        let n = s.chars().count();
        if n < min || n > max {
            diags.attr_error(
                path.clone(),
                format!("Invalid {}", last_name(path)),
                format!("{path} must be {min} to {max} characters long; {s:?} has {n}."),
            );
        }
    }
}

/// Matches a regular expression; `rule` completes "`<path> "<value>" ...`".
pub struct Matches(pub &'static LazyLock<Regex>, pub &'static str);

impl Validator<str> for Matches {
    fn check(&self, path: &AttrPath, s: &str, diags: &mut Diagnostics) {
        if !self.0.is_match(s) {
            diags.attr_error(
                path.clone(),
                format!("Invalid {}", last_name(path)),
                format!("{path} {s:?} {}.", self.1),
            );
        }
    }
}

/// One of the listed values.
pub struct OneOf(pub &'static [&'static str]);

impl Validator<str> for OneOf {
    fn check(&self, path: &AttrPath, s: &str, diags: &mut Diagnostics) {
        if !self.0.contains(&s) {
            diags.attr_error(
                path.clone(),
                format!("Invalid {}", last_name(path)),
                format!("{path} must be one of {}; got {s:?}.", self.0.join(", ")),
            );
        }
    }
}

/// The last attribute name of a path, for short summaries.
pub fn last_name(path: &AttrPath) -> String {
    path.0
        .iter()
        .rev()
        .find_map(|s| match s {
            crate::protocol::cty::PathStep::Attr(a) => Some(a.clone()),
            _ => None,
        })
        .unwrap_or_else(|| "value".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    static LOWER: LazyLock<Regex> = LazyLock::new(|| Regex::new("^[a-z]+$").unwrap());

    #[test]
    fn skips_unknown_and_null_reports_known() {
        let p = AttrPath::attr("name");
        let mut d = Diagnostics::new();
        check(&mut d, &p, &Val::Unknown, &[&Matches(&LOWER, "is bad")]);
        check(&mut d, &p, &Val::Null, &[&Matches(&LOWER, "is bad")]);
        check(&mut d, &p, &Val::Unknown, &[&LengthBetween(2, 3)]);
        assert!(d.is_empty());
        check(
            &mut d,
            &p,
            &Val::of("AB"),
            &[&Matches(&LOWER, "must be lowercase")],
        );
        check(&mut d, &p, &Val::of("abcd"), &[&LengthBetween(2, 3)]);
        check(&mut d, &p, &Val::of("x"), &[&OneOf(&["a", "b"])]);
        assert_eq!(d.0.len(), 3);
        assert!(d.0.iter().all(|x| x.attribute.as_ref() == Some(&p)));
        assert!(d.0[0].detail.contains("must be lowercase"));
    }

    #[test]
    fn findings_keep_their_severity_and_place() {
        let mut d = Diagnostics::new();
        document_findings(
            &mut d,
            &AttrPath::attr("policy"),
            vec![
                Finding::error("Statement[0].Effect", "Invalid Effect", "not Permit"),
                Finding::warning("", "Policy without statements", "grants nothing"),
            ],
        );
        attribute_findings(
            &mut d,
            vec![Finding::warning("credential_arn", "Unused", "not needed")],
        );
        assert!(d.has_errors());
        assert_eq!(
            d.0[0].detail,
            "In the policy JSON at Statement[0].Effect: not Permit."
        );
        assert_eq!(d.0[1].detail, "In the policy JSON: grants nothing.");
        assert_eq!(d.0[2].attribute, Some(AttrPath::attr("credential_arn")));
        assert_eq!(
            d.0.iter()
                .filter(|x| x.severity == crate::protocol::Severity::Warning)
                .count(),
            2
        );
    }
}
