//! `terraform-provider-ecr scan gate ...`: the `ecr_image_scan_findings` severity gate for
//! pipelines without Terraform, on the same code (`crate::scanning`).
//!
//! The interface is stable (scripts depend on it):
//! `scan gate --repository R (--tag T | --digest D) --fail-on SEVERITY [--ignore ID]...
//! [--timeout 5m] [--start-scan] [--no-wait] [--format text|json]`: exit 0 pass, 1 blocked,
//! 2 usage, AWS or scan error. AWS settings come from the standard environment (AWS_REGION,
//! AWS_PROFILE, AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_ECR, credentials). JSON: `{"result":
//! "pass"|"blocked"|"error", "repository", "image", "imageDigest", "failOn", "scanStatus",
//! "severityCounts", "findingsCount", "blocking": [finding], "ignored": [finding], "error":
//! {"summary", "detail"}|null}`, finding = `{"name", "severity", "packageName",
//! "packageVersion", "cvssScore", "fixedInVersion", "uri"}`.

use std::fmt::Write as _;
use std::time::Duration;

use serde_json::{json, Value as Json};

use super::io::Output;
use crate::aws::config::parse_duration;
use crate::aws::scan::{EcrScanApi, ImageRef};
use crate::aws::{AwsClients, AwsSettings};
use crate::scanning::findings::describe;
use crate::scanning::{
    fetch, gate, Clock, FetchError, FetchOptions, Finding, ScanApi, ScanReport, Severity,
    TokioClock,
};

pub const USAGE: &str = "Usage:
  terraform-provider-ecr scan gate --repository NAME (--tag TAG | --digest DIGEST) --fail-on SEVERITY
                                   [--ignore ID]... [--timeout 5m] [--start-scan] [--no-wait]
                                   [--format text|json]
      Fail when the image's scan has findings at or above SEVERITY (CRITICAL, HIGH, MEDIUM, LOW,
      INFORMATIONAL, or none) that are not ignored (--ignore takes a finding name / CVE id, repeatable).
      Waits for an IN_PROGRESS scan up to --timeout (default 5m; --no-wait fails at once);
      --start-scan starts a basic scan when the image has none.
      AWS settings come from the environment: AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL_ECR, credentials.
      Exit 0 pass, 1 blocked, 2 usage, AWS or scan error.
";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// Parsed `scan gate` arguments.
#[derive(Clone, Debug, PartialEq)]
pub struct GateArgs {
    pub repository: String,
    pub image: ImageRef,
    pub fail_on: Option<Severity>,
    pub fail_on_text: String,
    pub ignore: Vec<String>,
    pub timeout: Duration,
    pub start_scan: bool,
    pub wait: bool,
    pub format: Format,
}

/// Runs `scan ARGS` (without the `scan` word).
pub fn run(args: &[String]) -> Output {
    match args.first().map(String::as_str) {
        Some("gate") => {}
        Some("help" | "-h" | "--help") => {
            return Output {
                code: 0,
                stdout: USAGE.to_string(),
                stderr: String::new(),
            }
        }
        Some(other) => return usage(format!("unknown scan subcommand {other:?}")),
        None => return usage("missing scan subcommand"),
    }
    let a = match parse_gate_args(&args[1..]) {
        Ok(Some(a)) => a,
        Ok(None) => {
            return Output {
                code: 0,
                stdout: USAGE.to_string(),
                stderr: String::new(),
            }
        }
        Err(e) => return usage(e),
    };
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return error_output(&a, "Cannot start the async runtime", &e.to_string()),
    };
    rt.block_on(async {
        let settings = AwsSettings {
            skip_credentials_validation: true,
            ..Default::default()
        };
        let aws = match AwsClients::build(&settings).await {
            Ok(c) => c,
            Err(e) => return error_output(&a, "Cannot configure AWS", &e),
        };
        let api = EcrScanApi {
            ecr: aws.ecr.clone(),
            repository: a.repository.clone(),
            image: a.image.clone(),
        };
        gate_with(&api, &TokioClock::start(), &a).await
    })
}

fn usage(msg: impl std::fmt::Display) -> Output {
    Output {
        code: 2,
        stdout: String::new(),
        stderr: format!("error: {msg}\n\n{USAGE}"),
    }
}

/// `Ok(None)` for --help.
pub fn parse_gate_args(args: &[String]) -> Result<Option<GateArgs>, String> {
    let (mut repository, mut tag, mut digest, mut fail_on, mut timeout, mut format) =
        (None, None, None, None, None, None);
    let mut ignore = Vec::new();
    let (mut start_scan, mut wait) = (false, true);
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        match a.as_str() {
            "-h" | "--help" => return Ok(None),
            "--start-scan" => {
                start_scan = true;
                continue;
            }
            "--no-wait" => {
                wait = false;
                continue;
            }
            _ => {}
        }
        let Some(opt) = a.strip_prefix("--") else {
            return Err(format!("unexpected argument {a:?}"));
        };
        let (name, value) = match opt.split_once('=') {
            Some((n, v)) => (n, v.to_string()),
            None => match args.get(i) {
                Some(v) => {
                    i += 1;
                    (opt, v.clone())
                }
                None => return Err(format!("option --{opt} needs a value")),
            },
        };
        let slot = match name {
            "repository" => &mut repository,
            "tag" => &mut tag,
            "digest" => &mut digest,
            "fail-on" => &mut fail_on,
            "timeout" => &mut timeout,
            "format" => &mut format,
            "ignore" => {
                if value.trim().is_empty() {
                    return Err("--ignore needs a finding name or CVE id".into());
                }
                ignore.push(value);
                continue;
            }
            _ => return Err(format!("unknown option --{name}")),
        };
        if slot.is_some() {
            return Err(format!("option --{name} given twice"));
        }
        *slot = Some(value);
    }
    let repository = repository.ok_or("--repository is required")?;
    if !crate::repository::NAME_RE.is_match(&repository) {
        return Err(format!(
            "--repository {repository:?} is not a valid repository name"
        ));
    }
    let image = match (tag, digest) {
        (Some(t), None) if !t.is_empty() => ImageRef::Tag(t),
        (None, Some(d)) if crate::repository::DIGEST_RE.is_match(&d) => ImageRef::Digest(d),
        (None, Some(d)) => {
            return Err(format!(
                "--digest {d:?} is not an image digest such as sha256:<64 hex digits>"
            ))
        }
        (Some(_), Some(_)) => return Err("give only one of --tag and --digest".into()),
        _ => return Err("one of --tag or --digest is required".into()),
    };
    let fail_on_text = fail_on
        .ok_or("--fail-on is required (CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL or none)")?;
    let fail_on = Severity::parse_gate(&fail_on_text).map_err(|e| format!("--fail-on {e}"))?;
    let timeout = match timeout {
        Some(t) => {
            let d = parse_duration(&t).map_err(|e| format!("--timeout: {e}"))?;
            if d.is_zero() || d > Duration::from_secs(3600) {
                return Err(format!(
                    "--timeout must be more than 0 and at most 1h; got {t:?}"
                ));
            }
            d
        }
        None => Duration::from_secs(300),
    };
    let format = match format.as_deref() {
        None | Some("text") => Format::Text,
        Some("json") => Format::Json,
        Some(other) => return Err(format!("--format must be text or json, not {other:?}")),
    };
    Ok(Some(GateArgs {
        repository,
        image,
        fail_on,
        fail_on_text,
        ignore,
        timeout,
        start_scan,
        wait,
        format,
    }))
}

/// The gate itself, on any `ScanApi` and `Clock` (unit-tested with stubs).
pub async fn gate_with(api: &dyn ScanApi, clock: &dyn Clock, a: &GateArgs) -> Output {
    let opts = FetchOptions {
        wait: a.wait,
        start_if_missing: a.start_scan,
        timeout: a.timeout,
        require_complete: true,
        ..FetchOptions::default()
    };
    match fetch(api, clock, &opts).await {
        Ok(report) => verdict(a, &report),
        Err(e) => fetch_error(a, &e),
    }
}

fn shown(a: &GateArgs) -> String {
    format!("{}{}", a.repository, a.image)
}

fn finding_json(f: &Finding) -> Json {
    json!({
        "name": f.name,
        "severity": f.severity.as_str(),
        "packageName": f.package_name,
        "packageVersion": f.package_version,
        "cvssScore": f.cvss_score,
        "fixedInVersion": f.fixed_in_version,
        "uri": f.uri,
    })
}

fn image_json(a: &GateArgs) -> Json {
    match &a.image {
        ImageRef::Tag(t) => json!({"imageTag": t}),
        ImageRef::Digest(d) => json!({"imageDigest": d}),
    }
}

fn verdict(a: &GateArgs, r: &ScanReport) -> Output {
    let g = gate(&r.findings, a.fail_on, &a.ignore);
    let passed = g.passed();
    let code = if passed { 0 } else { 1 };
    let stdout = match a.format {
        Format::Json => {
            let v = json!({
                "result": if passed { "pass" } else { "blocked" },
                "repository": a.repository,
                "image": image_json(a),
                "imageDigest": r.image_digest,
                "failOn": a.fail_on_text,
                "scanStatus": r.status,
                "severityCounts": r.counts,
                "findingsCount": r.findings.len(),
                "blocking": g.blocking.iter().map(finding_json).collect::<Vec<_>>(),
                "ignored": g.ignored.iter().map(finding_json).collect::<Vec<_>>(),
                "error": Json::Null,
            });
            format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
        }
        Format::Text => {
            let mut s = String::new();
            let counts: Vec<String> = Severity::ALL
                .iter()
                .map(|sev| {
                    format!(
                        "{} {}",
                        sev.as_str(),
                        r.counts.get(sev.as_str()).copied().unwrap_or(0)
                    )
                })
                .collect();
            if passed {
                let _ = writeln!(
                    s,
                    "PASS: no unaccepted findings at or above {} in {}",
                    a.fail_on_text,
                    shown(a)
                );
            } else {
                let _ = writeln!(
                    s,
                    "BLOCKED: {} finding(s) at or above {} in {}",
                    g.blocking.len(),
                    a.fail_on_text,
                    shown(a)
                );
                for f in &g.blocking {
                    let _ = writeln!(s, "  - {}", describe(f));
                }
            }
            for f in &g.ignored {
                let _ = writeln!(s, "  ignored: {}", describe(f));
            }
            let _ = writeln!(
                s,
                "scan {} ({} findings): {}",
                r.status,
                r.findings.len(),
                counts.join(", ")
            );
            s
        }
    };
    Output {
        code,
        stdout,
        stderr: String::new(),
    }
}

fn fetch_error(a: &GateArgs, e: &FetchError) -> Output {
    error_output(
        a,
        &format!("{} ({})", e.summary(), shown(a)),
        &e.to_string(),
    )
}

fn error_output(a: &GateArgs, summary: &str, detail: &str) -> Output {
    match a.format {
        Format::Json => {
            let v = json!({
                "result": "error",
                "repository": a.repository,
                "image": image_json(a),
                "failOn": a.fail_on_text,
                "error": {"summary": summary, "detail": detail},
            });
            Output {
                code: 2,
                stdout: format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default()),
                stderr: String::new(),
            }
        }
        Format::Text => Output {
            code: 2,
            stdout: String::new(),
            stderr: format!("error: {summary}\n{detail}\n"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scanning::{BasicFinding, Page, ScanApiError};

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn parses_gate_arguments() {
        let a = parse_gate_args(&args("--repository app --tag v1 --fail-on HIGH --ignore CVE-1 --ignore=CVE-2 --timeout 30s --format json --start-scan"))
            .unwrap()
            .unwrap();
        assert_eq!(a.image, ImageRef::Tag("v1".into()));
        assert_eq!(a.fail_on, Some(Severity::High));
        assert_eq!(a.ignore, ["CVE-1", "CVE-2"]);
        assert_eq!(
            (a.timeout, a.format, a.start_scan, a.wait),
            (Duration::from_secs(30), Format::Json, true, true)
        );
        for (bad, msg) in [
            (
                "--repository app --fail-on HIGH",
                "one of --tag or --digest",
            ),
            (
                "--repository app --digest sha256:00 --fail-on HIGH",
                "is not an image digest",
            ),
            (
                "--repository app --tag v1 --digest sha256:00 --fail-on HIGH",
                "only one of --tag and --digest",
            ),
            ("--repository app --tag v1", "--fail-on is required"),
            (
                "--repository app --tag v1 --fail-on SEVERE",
                "must be one of",
            ),
            (
                "--repository App --tag v1 --fail-on HIGH",
                "not a valid repository name",
            ),
            (
                "--repository app --tag v1 --fail-on HIGH --timeout 2h",
                "at most 1h",
            ),
            (
                "--repository app --tag v1 --tag v2 --fail-on HIGH",
                "given twice",
            ),
            (
                "--repository app --tag v1 --fail-on HIGH --colour",
                "needs a value",
            ),
            (
                "--repository app --tag v1 --fail-on HIGH extra",
                "unexpected argument",
            ),
        ] {
            let e = parse_gate_args(&args(bad)).unwrap_err();
            assert!(e.contains(msg), "{bad}: {e}");
        }
        assert_eq!(run(&args("gate --repository app")).code, 2);
        assert_eq!(run(&args("frobnicate")).code, 2);
        assert_eq!(run(&args("gate --help")).code, 0);
    }

    struct Fixed(Result<Page, ScanApiError>);

    #[async_trait::async_trait]
    impl ScanApi for Fixed {
        async fn describe(&self, _t: Option<&str>) -> Result<Page, ScanApiError> {
            self.0.clone()
        }
        async fn start_scan(&self) -> Result<(), ScanApiError> {
            Ok(())
        }
    }

    fn moto_like() -> Page {
        Page {
            status: Some("COMPLETE".into()),
            image_digest: Some("sha256:abc".into()),
            counts: [("HIGH".to_string(), 1)].into_iter().collect(),
            basic: vec![BasicFinding {
                name: Some("CVE-9999-9999".into()),
                severity: Some("HIGH".into()),
                attributes: vec![
                    ("package_name".into(), "moto_fake".into()),
                    ("package_version".into(), "9.9.9".into()),
                ],
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn exit_codes_pass_blocked_error() {
        let api = Fixed(Ok(moto_like()));
        let clock = TokioClock::start();
        let a = parse_gate_args(&args("--repository app --tag v1 --fail-on CRITICAL"))
            .unwrap()
            .unwrap();
        let out = gate_with(&api, &clock, &a).await;
        assert_eq!(out.code, 0, "{out:?}");
        assert!(out.stdout.starts_with("PASS"), "{}", out.stdout);

        let a = parse_gate_args(&args("--repository app --tag v1 --fail-on HIGH"))
            .unwrap()
            .unwrap();
        let out = gate_with(&api, &clock, &a).await;
        assert_eq!(out.code, 1);
        assert!(
            out.stdout.contains("CVE-9999-9999 (HIGH, moto_fake 9.9.9)"),
            "{}",
            out.stdout
        );

        let a = parse_gate_args(&args(
            "--repository app --tag v1 --fail-on HIGH --ignore cve-9999-9999 --format json",
        ))
        .unwrap()
        .unwrap();
        let out = gate_with(&api, &clock, &a).await;
        assert_eq!(out.code, 0);
        let v: Json = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(v["result"], "pass");
        assert_eq!(v["ignored"][0]["name"], "CVE-9999-9999");
        assert_eq!(v["severityCounts"]["CRITICAL"], 0);

        let failed = Fixed(Ok(Page {
            status: Some("UNSUPPORTED_IMAGE".into()),
            ..Default::default()
        }));
        let out = gate_with(&failed, &clock, &a).await;
        assert_eq!(out.code, 2);
        let v: Json = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(v["result"], "error");
        assert!(v["error"]["detail"]
            .as_str()
            .unwrap()
            .contains("UNSUPPORTED_IMAGE"));
    }
}
