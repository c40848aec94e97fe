//! `terraform-provider-ecr lifecycle ...`: validate and preview lifecycle policies in CI.
//!
//! The interface is stable (scripts depend on it):
//! - `lifecycle validate [FILE|-] [--format text|json]`: exit 0 valid, 1 invalid, 2 usage or
//!   I/O error. JSON: `{"valid": bool, "diagnostics": [{"severity", "summary", "detail", "path"}]}`.
//!   Lint findings are warnings and do not make a policy invalid.
//! - `lifecycle preview --policy FILE --images FILE [--now RFC3339] [--format text|json]`:
//!   `--images` is the output of `aws ecr describe-images`. JSON: `{"actions": [{"imageDigest",
//!   "imageTags", "action", "targetStorageClass", "rulePriority"}], "summary": {"expiring",
//!   "transitioning", "bytesReclaimed"}}`. Exit 0, 1 when the policy is invalid (diagnostics
//!   on stderr), 2 on usage, I/O or images-file errors.
//! - `lifecycle schema`: the JSON Schema of the policy document.
//!
//! [`run`] does the work without touching the process (arguments and stdin in, exit code and
//! both streams out), so it is unit-tested directly.

use std::fmt::Write as _;
use std::io::Read;

use serde_json::{json, Value as Json};

use super::findings::{self, render};
use super::io::{help, io_error, parse_args, read_input, usage, Format, Output};
use crate::findings::{has_errors, Finding};
use crate::lifecycle::images::parse_images;
use crate::lifecycle::{self, preview, summary};
use crate::timestamp::{now_secs, parse_rfc3339};

pub const USAGE: &str = "Usage:
  terraform-provider-ecr lifecycle validate [FILE|-] [--format text|json]
      Check a lifecycle policy JSON file (default: stdin) against every ECR rule.
      Exit 0 valid, 1 invalid, 2 usage or I/O error.
  terraform-provider-ecr lifecycle preview --policy FILE --images FILE [--now RFC3339] [--format text|json]
      Show which images the policy would expire or transition now. --images takes the output
      of `aws ecr describe-images --repository-name NAME --filter imageStatus=ANY`.
      Exit 0, 1 if the policy is invalid, 2 usage or I/O error.
  terraform-provider-ecr lifecycle schema
      Print the JSON Schema of lifecycle policy documents (for editors).
";

/// Runs `lifecycle ARGS` (ARGS without the `lifecycle` word); `stdin` is read for `-`.
pub fn run(args: &[String], stdin: &mut dyn Read) -> Output {
    match args.first().map(String::as_str) {
        Some("validate") => validate_cmd(&args[1..], stdin),
        Some("preview") => preview_cmd(&args[1..], stdin),
        Some("schema") => match args.get(1).map(String::as_str) {
            None => help(&lifecycle::json_schema_pretty()),
            Some("-h" | "--help") => help(USAGE),
            Some(other) => usage(
                format!("unexpected argument {other:?} for `lifecycle schema`"),
                USAGE,
            ),
        },
        Some("help" | "-h" | "--help") => help(USAGE),
        Some(other) => usage(format!("unknown lifecycle subcommand {other:?}"), USAGE),
        None => usage("missing lifecycle subcommand", USAGE),
    }
}

/// Every finding of `text` (errors) and, when it is readable, the lint warnings, in the shape
/// every validate command prints.
fn diagnose(text: &str) -> Vec<Finding> {
    let shown = |f: lifecycle::Finding, make: fn(String, String, String) -> Finding| {
        make(
            f.path.as_str().to_string(),
            summary(f.rule).to_string(),
            f.message,
        )
    };
    let mut out: Vec<Finding> = lifecycle::validate_json(text)
        .into_iter()
        .map(|f| shown(f, Finding::error))
        .collect();
    if let Ok(p) = lifecycle::parse_policy(text) {
        out.extend(
            lifecycle::lint(&p)
                .into_iter()
                .map(|f| shown(f, Finding::warning)),
        );
    }
    out
}

fn validate_cmd(args: &[String], stdin: &mut dyn Read) -> Output {
    let a = match parse_args(args, &["format"]) {
        Ok(a) => a,
        Err(e) => return usage(e, USAGE),
    };
    if a.help {
        return help(USAGE);
    }
    let format = match a.format() {
        Ok(f) => f,
        Err(e) => return usage(e, USAGE),
    };
    if a.positional.len() > 1 {
        return usage(
            "`lifecycle validate` takes one FILE (or - for stdin)",
            USAGE,
        );
    }
    let name = a.positional.first().map_or("-", String::as_str);
    let text = match read_input(name, stdin) {
        Ok(t) => t,
        Err(e) => return io_error(e),
    };
    let shown = if name == "-" { "<stdin>" } else { name };
    render(&diagnose(&text), shown, format, "policy")
}

fn preview_cmd(args: &[String], stdin: &mut dyn Read) -> Output {
    let a = match parse_args(args, &["format", "policy", "images", "now"]) {
        Ok(a) => a,
        Err(e) => return usage(e, USAGE),
    };
    if a.help {
        return help(USAGE);
    }
    let format = match a.format() {
        Ok(f) => f,
        Err(e) => return usage(e, USAGE),
    };
    if let Some(p) = a.positional.first() {
        return usage(
            format!("unexpected argument {p:?} for `lifecycle preview`"),
            USAGE,
        );
    }
    let (Some(policy_file), Some(images_file)) = (a.options.get("policy"), a.options.get("images"))
    else {
        return usage(
            "`lifecycle preview` needs --policy FILE and --images FILE",
            USAGE,
        );
    };
    if policy_file == "-" && images_file == "-" {
        return usage("only one of --policy and --images can read stdin", USAGE);
    }
    let now = match a.options.get("now") {
        Some(s) => match parse_rfc3339(s) {
            Ok(t) => t,
            Err(e) => {
                return usage(
                    format!(
                        "--now {s:?} is not an RFC 3339 time such as 2026-01-31T00:00:00Z: {e}"
                    ),
                    USAGE,
                )
            }
        },
        None => now_secs(),
    };
    let policy_text = match read_input(policy_file, stdin) {
        Ok(t) => t,
        Err(e) => return io_error(e),
    };
    let images_text = match read_input(images_file, stdin) {
        Ok(t) => t,
        Err(e) => return io_error(e),
    };
    let diags = diagnose(&policy_text);
    let policy = match lifecycle::parse_policy(&policy_text) {
        Ok(p) if !has_errors(&diags) => p,
        _ => {
            return Output {
                code: 1,
                stdout: String::new(),
                stderr: format!("{}error: the policy in {policy_file} is invalid; fix it first (see `lifecycle validate`)\n", findings::text(&diags, "policy")),
            }
        }
    };
    let (images, skipped) = match parse_images(&images_text) {
        Ok(x) => x,
        Err(e) => return io_error(format!("{images_file}: {e}")),
    };
    let p = preview(&policy, &images, now);
    let stdout = match format {
        Format::Json => {
            let actions: Vec<Json> = p
                .acted
                .iter()
                .map(|a| {
                    json!({
                        "imageDigest": a.digest,
                        "imageTags": a.tags,
                        "action": a.action.as_str(),
                        "targetStorageClass": a.target_storage_class.map(|c| c.as_str()),
                        "rulePriority": a.rule_priority,
                    })
                })
                .collect();
            let out = json!({
                "actions": actions,
                "summary": {"expiring": p.expiring, "transitioning": p.transitioning, "bytesReclaimed": p.bytes_reclaimed},
            });
            let mut s = serde_json::to_string_pretty(&out).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Text => {
            let mut s = String::new();
            if !p.acted.is_empty() {
                let _ = writeln!(s, "{:<10}  {:>4}  {:<71}  TAGS", "ACTION", "RULE", "DIGEST");
                for a in &p.acted {
                    let action = match a.target_storage_class {
                        Some(c) => format!("{} → {}", a.action.as_str(), c.as_str()),
                        None => a.action.as_str().to_string(),
                    };
                    let tags = if a.tags.is_empty() {
                        "-".to_string()
                    } else {
                        a.tags.join(",")
                    };
                    let _ = writeln!(
                        s,
                        "{action:<10}  {:>4}  {:<71}  {tags}",
                        a.rule_priority, a.digest
                    );
                }
            }
            let _ = writeln!(
                s,
                "{} of {}: {} would be expired ({} reclaimed), {} would be transitioned to archive{}.",
                findings::count(p.acted.len(), "image"),
                images.len(),
                p.expiring,
                findings::count(usize::try_from(p.bytes_reclaimed).unwrap_or(0), "byte"),
                p.transitioning,
                if skipped > 0 { format!("; {} being restored skipped", findings::count(skipped, "image")) } else { String::new() },
            );
            s
        }
    };
    Output {
        code: 0,
        stdout,
        stderr: findings::text(&diags, "policy"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_with(args: &[&str], stdin: &str) -> Output {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        run(&args, &mut stdin.as_bytes())
    }

    const SEED: &str = r#"{"rules":[
        {"rulePriority":1,"description":"keep the last 10 release images","selection":{"tagStatus":"tagged","tagPatternList":["v*"],"countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}},
        {"rulePriority":2,"description":"expire untagged images after 7 days","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":7},"action":{"type":"expire"}},
        {"rulePriority":3,"description":"keep the last 5 SHA-tagged images","selection":{"tagStatus":"tagged","tagPatternList":["sha-*"],"countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}}]}"#;

    #[test]
    fn validate_exit_codes_and_json() {
        let ok = run_with(&["validate", "--format", "json"], SEED);
        assert_eq!(ok.code, 0, "{ok:?}");
        let v: Json = serde_json::from_str(&ok.stdout).unwrap();
        assert_eq!(v, json!({"valid": true, "diagnostics": []}));

        let dup = SEED.replace("\"rulePriority\":2", "\"rulePriority\":1");
        let bad = run_with(&["validate", "-", "--format=json"], &dup);
        assert_eq!(bad.code, 1);
        let v: Json = serde_json::from_str(&bad.stdout).unwrap();
        assert_eq!(v["valid"], json!(false));
        let d = &v["diagnostics"][0];
        assert_eq!(d["severity"], "error");
        assert_eq!(d["summary"], "Duplicate rule priority");
        assert_eq!(d["path"], "rules[1].rulePriority");
        assert!(d["detail"]
            .as_str()
            .unwrap()
            .contains("rules[0] and rules[1]"));

        let text = run_with(&["validate"], "{");
        assert_eq!(text.code, 1);
        assert!(
            text.stdout.contains("Malformed lifecycle policy JSON"),
            "{}",
            text.stdout
        );
        assert!(
            text.stdout
                .ends_with("<stdin>: invalid (2 errors, 0 warnings)\n"),
            "{}",
            text.stdout
        );
    }

    #[test]
    fn lint_warnings_keep_the_policy_valid() {
        let multi = SEED.replace(r#"["v*"]"#, r#"["v*","release-*"]"#);
        let out = run_with(&["validate", "--format", "json"], &multi);
        assert_eq!(out.code, 0, "{out:?}");
        let v: Json = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(v["valid"], json!(true));
        assert_eq!(v["diagnostics"][0]["severity"], "warning");
        assert_eq!(
            v["diagnostics"][0]["path"],
            "rules[0].selection.tagPatternList"
        );
        let text = run_with(&["validate"], &multi);
        assert!(
            text.stdout.ends_with("<stdin>: valid (1 warning)\n"),
            "{}",
            text.stdout
        );
    }

    #[test]
    fn usage_and_io_errors_exit_2() {
        for args in [
            vec!["validate", "--format", "xml"],
            vec!["validate", "--format"],
            vec!["validate", "a.json", "b.json"],
            vec!["validate", "--bogus"],
            vec!["preview", "--policy", "p.json"],
            vec!["preview", "--policy", "-", "--images", "-"],
            vec![
                "preview", "--policy", "p", "--images", "i", "--now", "tomorrow",
            ],
            vec!["preview", "--policy", "p", "--policy", "q", "--images", "i"],
            vec!["frobnicate"],
            vec![],
            vec!["schema", "extra"],
        ] {
            let out = run_with(&args, "");
            assert_eq!(out.code, 2, "{args:?}: {out:?}");
            assert!(out.stderr.contains("Usage:"), "{args:?}: {}", out.stderr);
        }
        let missing = run_with(&["validate", "/nonexistent/policy.json"], "");
        assert_eq!(missing.code, 2);
        assert!(missing
            .stderr
            .contains("cannot read /nonexistent/policy.json"));
        assert_eq!(run_with(&["--help"], "").code, 0);
        assert_eq!(run_with(&["validate", "-h"], "").code, 0);
    }

    #[test]
    fn schema_prints_the_json_schema() {
        let out = run_with(&["schema"], "");
        assert_eq!(out.code, 0);
        assert_eq!(out.stdout, lifecycle::json_schema_pretty());
    }

    #[test]
    fn preview_json_and_text() {
        let dir = tempfile::tempdir().unwrap();
        let images = dir.path().join("images.json");
        std::fs::write(
            &images,
            r#"{"imageDetails":[
                {"imageDigest":"sha256:old","imagePushedAt":"2024-01-01T00:00:00Z","imageSizeInBytes":100},
                {"imageDigest":"sha256:new","imagePushedAt":"2024-01-09T00:00:00Z","imageSizeInBytes":50},
                {"imageDigest":"sha256:rel","imageTags":["v1"],"imagePushedAt":"2024-01-01T00:00:00Z"}]}"#,
        )
        .unwrap();
        let images = images.to_string_lossy().to_string();
        let out = run_with(
            &[
                "preview",
                "--policy",
                "-",
                "--images",
                &images,
                "--now",
                "2024-01-10T00:00:00Z",
                "--format",
                "json",
            ],
            SEED,
        );
        assert_eq!(out.code, 0, "{out:?}");
        let v: Json = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(
            v,
            json!({
                "actions": [{"imageDigest": "sha256:old", "imageTags": [], "action": "expire", "targetStorageClass": null, "rulePriority": 2}],
                "summary": {"expiring": 1, "transitioning": 0, "bytesReclaimed": 100}
            })
        );
        let text = run_with(
            &[
                "preview",
                "--policy",
                "-",
                "--images",
                &images,
                "--now",
                "2024-01-10T00:00:00Z",
            ],
            SEED,
        );
        assert_eq!(text.code, 0);
        assert!(
            text.stdout.contains("expire         2  sha256:old"),
            "{}",
            text.stdout
        );
        assert!(
            text.stdout
                .contains("1 image of 3: 1 would be expired (100 bytes reclaimed)"),
            "{}",
            text.stdout
        );

        let invalid = run_with(&["preview", "--policy", "-", "--images", &images], "{}");
        assert_eq!(invalid.code, 1);
        assert!(
            invalid.stderr.contains("Missing required property"),
            "{}",
            invalid.stderr
        );
        let bad_images = run_with(&["preview", "--policy", "-", "--images", "-"], SEED);
        assert_eq!(bad_images.code, 2);
    }

    #[test]
    fn arbitrary_input_never_panics() {
        for input in [
            "",
            "null",
            "[]",
            "{\"rules\":null}",
            "\u{0}",
            "{\"rules\":[1,{},[]]}",
            "\"x\"",
            "1e999",
        ] {
            let out = run_with(&["validate", "--format", "json"], input);
            assert_eq!(out.code, 1, "{input:?}");
            assert!(serde_json::from_str::<Json>(&out.stdout).is_ok());
            assert!(parse_images(input).is_err() || input == "[]");
        }
    }
}
