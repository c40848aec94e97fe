//! How the validate commands (`lifecycle`, `policy`, `pullthrough`) print findings: the same
//! JSON and text, the same exit codes.

use std::fmt::Write as _;

use serde_json::{json, Value as Json};

use super::io::{Format, Output};
use crate::findings::{has_errors, Finding};

/// The verdict on one input: exit 0 when valid (warnings allowed), 1 when invalid.
pub fn render(findings: &[Finding], shown_name: &str, format: Format, whole: &str) -> Output {
    let valid = !has_errors(findings);
    let stdout = match format {
        Format::Json => {
            let diagnostics: Vec<Json> = findings
                .iter()
                .map(|f| {
                    json!({
                        "severity": f.severity.as_str(),
                        "summary": f.summary,
                        "detail": f.detail,
                        "path": f.path,
                    })
                })
                .collect();
            let mut s =
                serde_json::to_string_pretty(&json!({"valid": valid, "diagnostics": diagnostics}))
                    .unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Text => {
            let mut s = text(findings, whole);
            let errors = findings.iter().filter(|f| f.is_error()).count();
            let warnings = findings.len() - errors;
            if valid {
                let _ = writeln!(
                    s,
                    "{shown_name}: valid{}",
                    if warnings > 0 {
                        format!(" ({})", count(warnings, "warning"))
                    } else {
                        String::new()
                    }
                );
            } else {
                let _ = writeln!(
                    s,
                    "{shown_name}: invalid ({}, {})",
                    count(errors, "error"),
                    count(warnings, "warning")
                );
            }
            s
        }
    };
    Output {
        code: if valid { 0 } else { 1 },
        stdout,
        stderr: String::new(),
    }
}

/// One entry per finding: `severity: path: summary` and the detail indented below; `whole`
/// names the document when a finding has no path.
pub fn text(findings: &[Finding], whole: &str) -> String {
    let mut s = String::new();
    for f in findings {
        let at = if f.path.is_empty() {
            format!("({whole})")
        } else {
            f.path.clone()
        };
        let _ = writeln!(
            s,
            "{}: {at}: {}\n  {}",
            f.severity.as_str(),
            f.summary,
            f.detail
        );
    }
    s
}

pub fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendering_matches_lifecycle_validate() {
        let f = vec![
            Finding::warning(
                "Statement[0].Action[0]",
                "Unknown ECR action",
                "\"ecr:Pull\"",
            ),
            Finding::error("", "Missing Statement", "no Statement"),
        ];
        let out = render(&f, "p.json", Format::Json, "policy");
        assert_eq!(out.code, 1);
        let v: Json = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(v["valid"], json!(false));
        assert_eq!(v["diagnostics"][0]["severity"], "warning");
        assert_eq!(v["diagnostics"][1]["path"], "");
        let text = render(&f[..1], "p.json", Format::Text, "policy");
        assert_eq!(text.code, 0);
        assert!(
            text.stdout.ends_with("p.json: valid (1 warning)\n"),
            "{}",
            text.stdout
        );
        let bad = render(&f, "p.json", Format::Text, "policy");
        assert!(
            bad.stdout.contains("error: (policy): Missing Statement"),
            "{}",
            bad.stdout
        );
        assert!(bad
            .stdout
            .ends_with("p.json: invalid (1 error, 1 warning)\n"));
    }
}
