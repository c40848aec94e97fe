//! `terraform-provider-ecr policy validate [FILE|-] --kind repository|registry|public-repository
//! [--format text|json]`: the checks of `ecr_repository_policy`, `ecr_registry_policy` and
//! `ecr_public_repository_policy` (the same `policy::validate_document`) for CI. Exit 0 valid
//! (warnings allowed), 1 invalid, 2 usage or I/O error; JSON as `lifecycle validate`.

use std::io::Read;

use super::findings::render;
use super::io::{help, io_error, parse_args, read_input, usage, Output};
use crate::policy::{validate_document, Kind};

pub const USAGE: &str = "Usage:
  terraform-provider-ecr policy validate [FILE|-] --kind repository|registry|public-repository [--format text|json]
      Check a repository, registry or ECR Public repository policy (JSON; default: stdin) as
      ecr_repository_policy, ecr_registry_policy and ecr_public_repository_policy do at plan.
      Exit 0 valid (warnings may be printed), 1 invalid, 2 usage or I/O error.
";

/// Runs `policy ARGS` (ARGS without the `policy` word); `stdin` is read for `-`.
pub fn run(args: &[String], stdin: &mut dyn Read) -> Output {
    match args.first().map(String::as_str) {
        Some("validate") => validate_cmd(&args[1..], stdin),
        Some("help" | "-h" | "--help") => help(USAGE),
        Some(other) => usage(format!("unknown policy subcommand {other:?}"), USAGE),
        None => usage("missing policy subcommand", USAGE),
    }
}

fn validate_cmd(args: &[String], stdin: &mut dyn Read) -> Output {
    let a = match parse_args(args, &["kind", "format"]) {
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
    let kind = match a.options.get("kind").map(String::as_str) {
        None => {
            return usage(
                "--kind is required: repository, registry or public-repository",
                USAGE,
            )
        }
        Some(k) => match Kind::from_name(k) {
            Some(kind) => kind,
            None => {
                return usage(
                    format!("--kind must be repository, registry or public-repository, not {k:?}"),
                    USAGE,
                )
            }
        },
    };
    if a.positional.len() > 1 {
        return usage("`policy validate` takes one FILE (or - for stdin)", USAGE);
    }
    let name = a.positional.first().map_or("-", String::as_str);
    let text = match read_input(name, stdin) {
        Ok(t) => t,
        Err(e) => return io_error(e),
    };
    let shown = if name == "-" { "<stdin>" } else { name };
    render(&validate_document(&text, kind), shown, format, "policy")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value as Json};

    fn run_with(args: &[&str], stdin: &str) -> Output {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        run(&args, &mut stdin.as_bytes())
    }

    const SESSION: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Deployer","Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111122223333:assumed-role/deployer/ci"},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}]}"#;

    #[test]
    fn a_session_principal_is_valid_with_a_warning() {
        let out = run_with(
            &["validate", "--kind", "repository", "--format", "json"],
            SESSION,
        );
        assert_eq!(out.code, 0, "{out:?}");
        let v: Json = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(v["valid"], json!(true));
        assert_eq!(v["diagnostics"][0]["severity"], "warning");
        assert_eq!(v["diagnostics"][0]["path"], "Statement[0].Principal.AWS");
        let text = run_with(&["validate", "-", "--kind=registry"], SESSION);
        assert!(
            text.stdout.ends_with("<stdin>: valid (1 warning)\n"),
            "{}",
            text.stdout
        );
    }

    #[test]
    fn an_invalid_policy_exits_1() {
        let bad = SESSION.replace("Allow", "Permit");
        let out = run_with(
            &[
                "validate",
                "--kind",
                "public-repository",
                "--format",
                "json",
            ],
            &bad,
        );
        assert_eq!(out.code, 1);
        let v: Json = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(v["valid"], json!(false));
        assert!(v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["severity"] == "error" && d["path"] == "Statement[0].Effect"));
        let text = run_with(&["validate", "--kind", "repository"], "{");
        assert_eq!(text.code, 1);
        assert!(
            text.stdout
                .contains("error: (policy): Policy is not valid JSON"),
            "{}",
            text.stdout
        );
    }

    #[test]
    fn usage_and_io_errors_exit_2() {
        for args in [
            vec!["validate"],
            vec!["validate", "--kind", "bucket"],
            vec!["validate", "--kind", "repository", "--format", "yaml"],
            vec!["validate", "--kind", "repository", "a.json", "b.json"],
            vec!["validate", "--nope"],
            vec!["frobnicate"],
            vec![],
        ] {
            assert_eq!(run_with(&args, "{}").code, 2, "{args:?}");
        }
        let missing = run_with(
            &["validate", "--kind", "repository", "/nonexistent/p.json"],
            "",
        );
        assert_eq!(missing.code, 2);
        assert!(missing.stderr.contains("cannot read"), "{}", missing.stderr);
        assert_eq!(run_with(&["validate", "--help"], "").code, 0);
    }
}
