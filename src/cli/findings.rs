//! What `policy validate` and `pullthrough validate` share: reading arguments and printing
//! domain findings in the shape of `lifecycle validate` (same JSON, same exit codes).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{json, Value as Json};

use super::lifecycle::Output;
use crate::findings::{has_errors, Finding};

/// Output formats of the validate commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// Parsed arguments: positional ones, `--name value` / `--name=value` options, `-h`.
pub struct Args {
    pub positional: Vec<String>,
    pub options: BTreeMap<String, String>,
    pub help: bool,
}

impl Args {
    pub fn format(&self) -> Result<Format, String> {
        match self.options.get("format").map(String::as_str) {
            None | Some("text") => Ok(Format::Text),
            Some("json") => Ok(Format::Json),
            Some(other) => Err(format!("--format must be text or json, not {other:?}")),
        }
    }
}

/// Reads `args`, accepting only the options named in `allowed`, each at most once.
pub fn parse_args(args: &[String], allowed: &[&str]) -> Result<Args, String> {
    let mut out = Args {
        positional: vec![],
        options: BTreeMap::new(),
        help: false,
    };
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "-h" || a == "--help" {
            out.help = true;
            continue;
        }
        if a == "--" {
            out.positional.extend(args[i..].iter().cloned());
            break;
        }
        if a == "-" || !a.starts_with('-') {
            out.positional.push(a.clone());
            continue;
        }
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (a.as_str(), None),
        };
        let name = name.trim_start_matches('-');
        if !allowed.contains(&name) {
            return Err(format!("unknown option {a:?}"));
        }
        let value = match inline {
            Some(v) => v,
            None => match args.get(i) {
                Some(v) => {
                    i += 1;
                    v.clone()
                }
                None => return Err(format!("option --{name} needs a value")),
            },
        };
        if out.options.insert(name.to_string(), value).is_some() {
            return Err(format!("option --{name} given twice"));
        }
    }
    Ok(out)
}

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

fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// A usage error: exit 2 with the message and the command's usage.
pub fn usage(msg: impl std::fmt::Display, usage: &str) -> Output {
    Output {
        code: 2,
        stdout: String::new(),
        stderr: format!("error: {msg}\n\n{usage}"),
    }
}

/// An I/O error: exit 2.
pub fn io_error(msg: impl std::fmt::Display) -> Output {
    Output {
        code: 2,
        stdout: String::new(),
        stderr: format!("error: {msg}\n"),
    }
}

/// Help text: exit 0.
pub fn help(usage: &str) -> Output {
    Output {
        code: 0,
        stdout: usage.to_string(),
        stderr: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn options_and_positionals() {
        let a = parse_args(
            &args(&["x.json", "--kind=registry", "--format", "json"]),
            &["kind", "format"],
        )
        .unwrap();
        assert_eq!(a.positional, vec!["x.json"]);
        assert_eq!(a.options["kind"], "registry");
        assert_eq!(a.format().unwrap(), Format::Json);
        assert!(parse_args(&args(&["--bogus"]), &["kind"]).is_err());
        assert!(parse_args(&args(&["--kind"]), &["kind"]).is_err());
        assert!(parse_args(&args(&["--kind", "a", "--kind", "b"]), &["kind"]).is_err());
        assert!(parse_args(&args(&["--", "-"]), &[]).unwrap().positional == vec!["-"]);
    }

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
