//! Reusable plan-time checks. Each skips null and unknown values (validation runs again once
//! values are known) and reports against the attribute path so Terraform underlines it.

use regex::Regex;

use super::val::Val;
use crate::protocol::{AttrPath, Diagnostics};

pub fn length(diags: &mut Diagnostics, path: &AttrPath, v: &Val<String>, min: usize, max: usize) {
    if let Some(s) = v.str() {
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

pub fn matches(diags: &mut Diagnostics, path: &AttrPath, v: &Val<String>, re: &Regex, rule: &str) {
    if let Some(s) = v.str() {
        if !re.is_match(s) {
            diags.attr_error(
                path.clone(),
                format!("Invalid {}", last_name(path)),
                format!("{path} {s:?} {rule}."),
            );
        }
    }
}

pub fn one_of(diags: &mut Diagnostics, path: &AttrPath, v: &Val<String>, allowed: &[&str]) {
    if let Some(s) = v.str() {
        if !allowed.contains(&s) {
            diags.attr_error(
                path.clone(),
                format!("Invalid {}", last_name(path)),
                format!("{path} must be one of {}; got {s:?}.", allowed.join(", ")),
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

    #[test]
    fn skips_unknown_and_null_reports_known() {
        let re = Regex::new("^[a-z]+$").unwrap();
        let p = AttrPath::attr("name");
        let mut d = Diagnostics::new();
        matches(&mut d, &p, &Val::Unknown, &re, "is bad");
        matches(&mut d, &p, &Val::Null, &re, "is bad");
        length(&mut d, &p, &Val::Unknown, 2, 3);
        assert!(d.is_empty());
        matches(&mut d, &p, &Val::of("AB"), &re, "must be lowercase");
        length(&mut d, &p, &Val::of("abcd"), 2, 3);
        one_of(&mut d, &p, &Val::of("x"), &["a", "b"]);
        assert_eq!(d.0.len(), 3);
        assert!(d.0.iter().all(|x| x.attribute.as_ref() == Some(&p)));
        assert!(d.0[0].detail.contains("must be lowercase"));
    }
}
