//! The `lifecycle` CLI as CI runs it: the real binary on the fixture files under
//! `tests/fixtures/lifecycle/`, checking exit codes and the JSON it prints.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};

fn fixture(name: &str) -> String {
    let p: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "tests",
        "fixtures",
        "lifecycle",
        name,
    ]
    .iter()
    .collect();
    p.to_string_lossy().into_owned()
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_terraform-provider-ecr"));
    cmd.args(args)
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn the provider binary");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    child.wait_with_output().unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

fn json_out(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}",
            String::from_utf8_lossy(&o.stdout)
        )
    })
}

#[test]
fn valid_policies_exit_0() {
    for f in [
        "seed-prod.json",
        "seed-dev.json",
        "archive-then-expire.json",
    ] {
        let o = run(
            &["lifecycle", "validate", &fixture(f), "--format", "json"],
            None,
        );
        assert_eq!(code(&o), 0, "{f}: {o:?}");
        assert_eq!(
            json_out(&o),
            json!({"valid": true, "diagnostics": []}),
            "{f}"
        );
        let text = run(&["lifecycle", "validate", &fixture(f)], None);
        assert_eq!(code(&text), 0);
        assert!(
            String::from_utf8_lossy(&text.stdout)
                .trim_end()
                .ends_with(": valid"),
            "{f}: {text:?}"
        );
    }
}

#[test]
fn each_class_of_invalid_policy_exits_1_with_path_and_words() {
    let cases = [
        (
            "invalid-duplicate-priority.json",
            "rules[1].rulePriority",
            "Duplicate rule priority",
        ),
        (
            "invalid-tagged-without-list.json",
            "rules[0].selection",
            "Tagged rule without a tag list",
        ),
        (
            "invalid-wildcards.json",
            "rules[2].selection.tagPatternList",
            "Too many wildcards in a tag pattern",
        ),
        (
            "invalid-count-unit.json",
            "rules[0].selection.countUnit",
            "Count unit not allowed with an image count",
        ),
        (
            "invalid-any-not-last.json",
            "rules[0].rulePriority",
            "A rule for any tag status must have the highest priority",
        ),
        (
            "invalid-pulled-expire.json",
            "rules[1].action.type",
            "sinceImagePulled can only transition images",
        ),
        (
            "invalid-transition-no-target.json",
            "rules[1].action.targetStorageClass",
            "Transition without a target storage class",
        ),
        (
            "invalid-unknown-property.json",
            "rules[2].selection.tagPatternlist",
            "Unknown property in lifecycle policy",
        ),
        (
            "invalid-malformed.json",
            "",
            "Malformed lifecycle policy JSON",
        ),
    ];
    for (f, path, summary) in cases {
        let o = run(
            &["lifecycle", "validate", &fixture(f), "--format=json"],
            None,
        );
        assert_eq!(code(&o), 1, "{f}: {o:?}");
        let v = json_out(&o);
        assert_eq!(v["valid"], json!(false), "{f}");
        let diags = v["diagnostics"].as_array().unwrap();
        let hit = diags
            .iter()
            .find(|d| d["path"] == path && d["summary"] == summary);
        let d = hit.unwrap_or_else(|| panic!("{f}: no {summary:?} at {path:?} in {diags:#?}"));
        assert_eq!(d["severity"], "error");
        assert!(!d["detail"].as_str().unwrap().is_empty());
        // The four documented keys, nothing else.
        let mut keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["detail", "path", "severity", "summary"]);
    }
}

#[test]
fn lint_warnings_do_not_fail_validation() {
    let o = run(
        &[
            "lifecycle",
            "validate",
            &fixture("lint-multi-entry.json"),
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(code(&o), 0, "{o:?}");
    let v = json_out(&o);
    assert_eq!(v["valid"], json!(true));
    assert_eq!(v["diagnostics"][0]["severity"], "warning");
    assert_eq!(
        v["diagnostics"][0]["path"],
        "rules[0].selection.tagPrefixList"
    );
}

#[test]
fn stdin_and_io_errors() {
    let policy = std::fs::read(fixture("seed-prod.json")).unwrap();
    let o = run(&["lifecycle", "validate", "-"], Some(&policy));
    assert_eq!(code(&o), 0, "{o:?}");
    let o = run(
        &["lifecycle", "validate", "--format", "json"],
        Some(b"{\"rules\": []}"),
    );
    assert_eq!(code(&o), 1);
    let missing = run(&["lifecycle", "validate", "/nonexistent/policy.json"], None);
    assert_eq!(code(&missing), 2);
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/nonexistent/policy.json"));
    for args in [
        &["lifecycle"][..],
        &["lifecycle", "nope"],
        &["lifecycle", "validate", "--format", "yaml"],
        &["lifecycle", "preview", "--images", "x.json"],
    ] {
        let o = run(args, None);
        assert_eq!(code(&o), 2, "{args:?}: {o:?}");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("lifecycle validate [FILE|-]"),
            "{args:?}"
        );
    }
}

#[test]
fn preview_reports_actions_and_summary() {
    let o = run(
        &[
            "lifecycle",
            "preview",
            "--policy",
            &fixture("seed-prod.json"),
            "--images",
            &fixture("describe-images.json"),
            "--now",
            "2026-01-10T00:00:00Z",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(code(&o), 0, "{o:?}");
    assert_eq!(
        json_out(&o),
        json!({
            "actions": [{
                "imageDigest": format!("sha256:{}", "3".repeat(64)),
                "imageTags": [],
                "action": "expire",
                "targetStorageClass": null,
                "rulePriority": 2
            }],
            "summary": {"expiring": 1, "transitioning": 0, "bytesReclaimed": 500}
        })
    );
    // Archive, then expire from the archive 90 days later.
    let o = run(
        &[
            "lifecycle",
            "preview",
            "--policy",
            &fixture("archive-then-expire.json"),
            "--images",
            &fixture("describe-images.json"),
            "--now",
            "2026-04-10T00:00:00Z",
            "--format=json",
        ],
        None,
    );
    assert_eq!(code(&o), 0, "{o:?}");
    let v = json_out(&o);
    assert_eq!(
        v["summary"],
        json!({"expiring": 1, "transitioning": 4, "bytesReclaimed": 300})
    );
    let archived = v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["action"] == "expire")
        .unwrap();
    assert_eq!(archived["imageTags"], json!(["sha-abc"]));
    assert!(v["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["action"] == "transition")
        .all(|a| a["targetStorageClass"] == "archive"));

    // Text output, the policy on stdin.
    let policy = std::fs::read(fixture("seed-prod.json")).unwrap();
    let o = run(
        &[
            "lifecycle",
            "preview",
            "--policy",
            "-",
            "--images",
            &fixture("describe-images.json"),
            "--now",
            "2026-01-10T00:00:00Z",
        ],
        Some(&policy),
    );
    assert_eq!(code(&o), 0, "{o:?}");
    assert!(String::from_utf8_lossy(&o.stdout).contains("1 would be expired (500 bytes reclaimed)"));

    // An invalid policy: exit 1, diagnostics on stderr; an unreadable images file: exit 2.
    let o = run(
        &[
            "lifecycle",
            "preview",
            "--policy",
            &fixture("invalid-wildcards.json"),
            "--images",
            &fixture("describe-images.json"),
        ],
        None,
    );
    assert_eq!(code(&o), 1);
    assert!(String::from_utf8_lossy(&o.stderr).contains("Too many wildcards"));
    let o = run(
        &[
            "lifecycle",
            "preview",
            "--policy",
            &fixture("seed-prod.json"),
            "--images",
            &fixture("seed-dev.json"),
        ],
        None,
    );
    assert_eq!(code(&o), 2);
    assert!(String::from_utf8_lossy(&o.stderr).contains("imageDetails"));
}

#[test]
fn schema_matches_the_shipped_file() {
    let o = run(&["lifecycle", "schema"], None);
    assert_eq!(code(&o), 0);
    let shipped = std::fs::read_to_string(format!(
        "{}/docs/lifecycle-policy.schema.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout), shipped);
}

#[test]
fn run_by_hand_lists_the_lifecycle_commands() {
    let o = run(&[], None);
    assert_eq!(code(&o), 1);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("This binary is a plugin"), "{err}");
    for cmd in [
        "lifecycle validate",
        "lifecycle preview",
        "lifecycle schema",
    ] {
        assert!(err.contains(cmd), "{cmd}: {err}");
    }
    let help = run(&["--help"], None);
    assert_eq!(code(&help), 0);
    assert!(String::from_utf8_lossy(&help.stdout)
        .contains("lifecycle preview --policy FILE --images FILE"));
}
