//! `terraform-provider-ecr pullthrough validate [FILE|-] [--region R] [--format text|json]`: the
//! checks of `ecr_pull_through_cache_rule` (the same `pullthrough::check`) on a rule written as
//! the CreatePullThroughCacheRule JSON. Exit 0 valid (warnings allowed), 1 invalid, 2 usage or
//! I/O error; JSON as `lifecycle validate`, with the API's field names as paths.

use std::io::Read;

use super::findings::render;
use super::io::{help, io_error, parse_args, read_input, usage, Output};
use crate::pullthrough::check_json;

pub const USAGE: &str = "Usage:
  terraform-provider-ecr pullthrough validate [FILE|-] [--region REGION] [--format text|json]
      Check a pull-through cache rule written as CreatePullThroughCacheRule's JSON
      ({\"ecrRepositoryPrefix\": ..., \"upstreamRegistryUrl\": ..., \"credentialArn\": ...};
      default: stdin) as ecr_pull_through_cache_rule does. A \"registryId\" and --region enable
      the same-account and same-region checks of the secret and the role.
      Exit 0 valid (warnings may be printed), 1 invalid, 2 usage or I/O error.
";

/// Runs `pullthrough ARGS` (ARGS without the `pullthrough` word); `stdin` is read for `-`.
pub fn run(args: &[String], stdin: &mut dyn Read) -> Output {
    match args.first().map(String::as_str) {
        Some("validate") => validate_cmd(&args[1..], stdin),
        Some("help" | "-h" | "--help") => help(USAGE),
        Some(other) => usage(format!("unknown pullthrough subcommand {other:?}"), USAGE),
        None => usage("missing pullthrough subcommand", USAGE),
    }
}

fn validate_cmd(args: &[String], stdin: &mut dyn Read) -> Output {
    let a = match parse_args(args, &["region", "format"]) {
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
            "`pullthrough validate` takes one FILE (or - for stdin)",
            USAGE,
        );
    }
    let name = a.positional.first().map_or("-", String::as_str);
    let text = match read_input(name, stdin) {
        Ok(t) => t,
        Err(e) => return io_error(e),
    };
    let shown = if name == "-" { "<stdin>" } else { name };
    let region = a.options.get("region").map(String::as_str);
    render(&check_json(&text, region), shown, format, "rule")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value as Json};

    fn run_with(args: &[&str], stdin: &str) -> Output {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        run(&args, &mut stdin.as_bytes())
    }

    const SECRET: &str =
        "arn:aws:secretsmanager:us-east-1:111122223333:secret:ecr-pullthroughcache/quay-AbCdEf";

    #[test]
    fn a_credential_on_quay_is_valid_with_a_warning() {
        let rule = json!({"ecrRepositoryPrefix": "quay", "upstreamRegistryUrl": "quay.io", "credentialArn": SECRET}).to_string();
        let out = run_with(&["validate", "--format", "json"], &rule);
        assert_eq!(out.code, 0, "{out:?}");
        let v: Json = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(v["valid"], json!(true));
        assert_eq!(v["diagnostics"][0]["severity"], "warning");
        assert_eq!(v["diagnostics"][0]["path"], "credentialArn");
    }

    #[test]
    fn region_and_account_checks_need_region_and_registry_id() {
        let rule = json!({"registryId": "111122223333", "ecrRepositoryPrefix": "hub", "upstreamRegistryUrl": "registry-1.docker.io", "credentialArn": SECRET}).to_string();
        assert_eq!(run_with(&["validate"], &rule).code, 0);
        let out = run_with(&["validate", "--region", "eu-west-1"], &rule);
        assert_eq!(out.code, 1, "{out:?}");
        assert!(
            out.stdout
                .contains("error: credentialArn: Secret in another region"),
            "{}",
            out.stdout
        );
        assert!(
            out.stdout
                .ends_with("<stdin>: invalid (1 error, 0 warnings)\n"),
            "{}",
            out.stdout
        );
    }

    #[test]
    fn usage_and_io_errors_exit_2() {
        for args in [
            vec!["validate", "--kind", "x"],
            vec!["validate", "a", "b"],
            vec!["validate", "--format", "xml"],
            vec!["nope"],
            vec![],
        ] {
            assert_eq!(run_with(&args, "{}").code, 2, "{args:?}");
        }
        assert_eq!(
            run_with(&["validate", "/nonexistent/rule.json"], "").code,
            2
        );
        assert_eq!(run_with(&["validate"], "[").code, 1);
    }
}
