//! `ecr_image_scan_findings`: an image's scan findings (basic and enhanced scanning, every
//! page), optionally waiting for the scan, and a severity gate that fails the read, so
//! `terraform plan` stops a deploy of an image with unaccepted CVEs.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::aws::config::parse_duration;
use crate::aws::scan::{EcrScanApi, ImageRef};
use crate::aws::AwsClients;
use crate::framework::validate::{LengthBetween, Matches};
use crate::framework::{
    validate, AttrPath, Attribute, Block, Ctx, DataSource, Diagnostics, Schema, StopSignal, Val,
};
use crate::protocol::cty::Type;
use crate::repository;
use crate::scanning::findings::is_ignored;
use crate::scanning::{fetch, gate, Clock, FetchError, FetchOptions, Finding, Severity};
use crate::shared::region;
use crate::shared::validators::RepositoryName;
use crate::timestamp::format_rfc3339;

pub struct EcrImageScanFindings;

const DEFAULT_TIMEOUT: &str = "5m";
const DEFAULT_MAX_FINDINGS: i64 = 100;
const MAX_TIMEOUT: Duration = Duration::from_secs(3600);

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Model {
    pub id: Val<String>,
    pub repository: Val<String>,
    pub image_tag: Val<String>,
    pub image_digest: Val<String>,
    pub wait_for_scan: Val<bool>,
    pub start_scan_if_missing: Val<bool>,
    pub timeout: Val<String>,
    pub fail_on_severity: Val<String>,
    pub ignore_findings: Val<Vec<String>>,
    pub max_findings: Val<i64>,
    pub scan_status: Val<String>,
    pub scan_status_description: Val<String>,
    pub scan_completed_at: Val<String>,
    pub vulnerability_source_updated_at: Val<String>,
    pub severity_counts: Val<BTreeMap<String, i64>>,
    pub findings_count: Val<i64>,
    pub findings: Val<Vec<FindingOut>>,
    pub region: Val<String>,
}

/// One finding in state.
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct FindingOut {
    pub name: String,
    pub severity: String,
    pub description: Option<String>,
    pub uri: Option<String>,
    pub package_name: Option<String>,
    pub package_version: Option<String>,
    pub cvss_score: Option<f64>,
    pub fix_available: Option<String>,
    pub fixed_in_version: Option<String>,
    pub scanner: String,
    pub ignored: bool,
}

fn finding_type() -> Type {
    let s = |n: &str| (n.to_string(), Type::String);
    Type::Object(
        [
            s("name"),
            s("severity"),
            s("description"),
            s("uri"),
            s("package_name"),
            s("package_version"),
            ("cvss_score".to_string(), Type::Number),
            s("fix_available"),
            s("fixed_in_version"),
            s("scanner"),
            ("ignored".to_string(), Type::Bool),
        ]
        .into_iter()
        .collect(),
    )
}

fn finding_out(f: &Finding, ignore: &[String]) -> FindingOut {
    FindingOut {
        name: f.name.clone(),
        severity: f.severity.as_str().to_string(),
        description: f.description.clone(),
        uri: f.uri.clone(),
        package_name: f.package_name.clone(),
        package_version: f.package_version.clone(),
        cvss_score: f.cvss_score,
        fix_available: f.fix_available.clone(),
        fixed_in_version: f.fixed_in_version.clone(),
        scanner: f.scanner.to_string(),
        ignored: is_ignored(f, ignore),
    }
}

/// Sleeps end early when Terraform stops the provider.
struct StopClock {
    start: Instant,
    stop: StopSignal,
}

#[async_trait::async_trait]
impl Clock for StopClock {
    fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }
    async fn sleep(&self, d: Duration) -> bool {
        self.stop.sleep(d).await
    }
}

/// The attribute a fetch error is about, so Terraform underlines it.
fn error_path(e: &FetchError, c: &Model) -> Option<AttrPath> {
    let image = if c.image_digest.is_known() && c.image_tag.is_null() {
        "image_digest"
    } else {
        "image_tag"
    };
    match e {
        FetchError::RepositoryNotFound(_) => Some(AttrPath::attr("repository")),
        FetchError::ImageNotFound(_) => Some(AttrPath::attr(image)),
        FetchError::NoScan(_) => Some(AttrPath::attr("start_scan_if_missing")),
        FetchError::Timeout { .. } => Some(AttrPath::attr("timeout")),
        FetchError::NotComplete { .. } => Some(AttrPath::attr("wait_for_scan")),
        _ => None,
    }
}

#[async_trait::async_trait]
impl DataSource for EcrImageScanFindings {
    type Model = Model;
    type Provider = AwsClients;

    fn type_name(&self) -> &'static str {
        "ecr_image_scan_findings"
    }

    fn docs(&self) -> crate::framework::Docs {
        crate::framework::Docs {
            notes: "## Usage notes

- Deploy by digest (`${repository_url}@${data.ecr_image_scan_findings.x.image_digest}`): the image
  that was checked is the image that runs.
- When the image is pushed in the same configuration, make the data source depend on it so it is
  read after the push."
                .into(),
            ..Default::default()
        }
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new("The vulnerability scan findings of one image, with a severity gate that fails `terraform plan`.\n\nReads the findings of basic scanning (`findings`) and enhanced scanning with Amazon Inspector (`enhancedFindings`), every page, normalised to one shape. Optionally waits for the scan, starts a basic scan, and **fails the read** when findings at or above `fail_on_severity` remain after `ignore_findings`: the error lists them (id, severity, package), so `terraform plan` stops the deploy of a vulnerable image.\n\nScan statuses `FAILED`, `UNSUPPORTED_IMAGE`, `FINDINGS_UNAVAILABLE` (and the other terminal statuses: `SCAN_ELIGIBILITY_EXPIRED`, `LIMIT_EXCEEDED`, `IMAGE_ARCHIVED`) are errors at once, with ECR's description. The same gate runs without Terraform as `terraform-provider-ecr scan gate` (see [the CLI page](../cli.md#scan-gate--block-on-scan-findings)).")
                .attr(Attribute::string("id").computed().description("`<repository>@<digest>` of the image read."))
                .attr(region::data_source_attribute())
                .attr(Attribute::string("repository").required().description("Name of the repository holding the image."))
                .attr(Attribute::string("image_tag").optional().description("Tag of the image. Exactly one of `image_tag` and `image_digest` is required."))
                .attr(Attribute::string("image_digest").optional().computed().description("Digest of the image (`sha256:...`). Exactly one of `image_tag` and `image_digest` is required; when the image is given by tag, this holds its digest."))
                .attr(Attribute::bool("wait_for_scan").optional().description("Poll while the scan is `IN_PROGRESS` or `PENDING` (with backoff: 2 s, doubling, at most 15 s between polls) until it completes or `timeout` passes. Default `true`. With `false`, an incomplete scan is an error when `fail_on_severity` is set, and otherwise reads no findings."))
                .attr(Attribute::bool("start_scan_if_missing").optional().description("Call StartImageScan when the image has never been scanned (basic scanning with manual scans). Default `false`: a missing scan is an error. ECR allows one basic scan per image per 24 hours."))
                .attr(Attribute::string("timeout").optional().description("How long to wait for the scan, Go duration syntax (`30s`, `5m`, `1h`); at most `1h`. Default `5m`."))
                .attr(Attribute::string("fail_on_severity").optional().description("Fail the read when a finding of this severity or higher remains after `ignore_findings`: `CRITICAL`, `HIGH`, `MEDIUM`, `LOW`, `INFORMATIONAL` or `none` (default). `UNDEFINED` and `UNTRIAGED` findings have no rank and never fail the read (they are counted in `severity_counts`). The error lists the findings (id, severity, package)."))
                .attr(Attribute::string_list("ignore_findings").optional().description("Finding names / CVE ids the team has accepted (case-insensitive): they never fail the read and are marked `ignored = true` in `findings`. An id that is not among the findings gives a warning, so stale entries get cleaned up."))
                .attr(Attribute::number("max_findings").optional().description("At most this many findings (most severe first) are kept in `findings`, to keep the state small: 0–10000, default 100 (`0` keeps none). The gate always checks every finding."))
                .attr(Attribute::string("scan_status").computed().description("Scan status: `COMPLETE`, `ACTIVE` (continuous enhanced scanning), or `IN_PROGRESS`/`PENDING` when not waiting and no gate is set."))
                .attr(Attribute::string("scan_status_description").computed().description("ECR's description of the scan status."))
                .attr(Attribute::string("scan_completed_at").computed().description("When the scan completed, RFC 3339."))
                .attr(Attribute::string("vulnerability_source_updated_at").computed().description("When the vulnerability database used was last updated, RFC 3339."))
                .attr(Attribute::new("severity_counts", Type::Map(Box::new(Type::Number))).computed().description("Number of findings per severity as ECR counts them, with every key present: `CRITICAL`, `HIGH`, `MEDIUM`, `LOW`, `INFORMATIONAL`, `UNDEFINED`, `UNTRIAGED` (0 when none)."))
                .attr(Attribute::number("findings_count").computed().description("Number of findings read (all pages, basic and enhanced), before `max_findings`."))
                .attr(
                    Attribute::new("findings", Type::List(Box::new(finding_type())))
                        .computed()
                        .description("Findings, most severe first (then highest CVSS score), at most `max_findings`: `name` (CVE id or finding name; enhanced: `vulnerabilityId`, else the title), `severity`, `description`, `uri` (basic: the finding's URI; enhanced: the source URL, else the first reference URL, else the remediation URL), `package_name` and `package_version` (basic: the `package_name` / `package_version` attributes; enhanced: the vulnerable package, several packages comma-separated in `package_name`), `cvss_score` (basic: `CVSS3_SCORE`, else `CVSS2_SCORE`; enhanced: Inspector's score, else the highest CVSS base score), `fix_available` (`YES`/`NO`/`PARTIAL`, enhanced only), `fixed_in_version` (enhanced only), `scanner` (`BASIC` or `ENHANCED`) and `ignored` (on the `ignore_findings` list)."),
                ),
        )
    }

    fn validate(&self, c: &Model, diags: &mut Diagnostics) {
        region::validate(&c.region, diags);
        let repo = AttrPath::attr("repository");
        validate::check(diags, &repo, &c.repository, &[&RepositoryName]);
        match (&c.image_tag, &c.image_digest) {
            (Val::Known(_), Val::Known(_)) => diags.attr_error(
                AttrPath::attr("image_digest"),
                "Conflicting image_tag and image_digest",
                "Set only one of image_tag and image_digest.",
            ),
            (Val::Null, Val::Null) => diags.attr_error(
                AttrPath::attr("image_tag"),
                "Missing image",
                "One of image_tag or image_digest is required to name the image whose findings are read.",
            ),
            _ => {}
        }
        validate::check(
            diags,
            &AttrPath::attr("image_tag"),
            &c.image_tag,
            &[&LengthBetween(1, 300)],
        );
        validate::check(
            diags,
            &AttrPath::attr("image_digest"),
            &c.image_digest,
            &[&Matches(
                &repository::DIGEST_RE,
                "is not an image digest such as sha256:<64 hex digits>",
            )],
        );
        if let Some(t) = c.timeout.str() {
            match parse_duration(t) {
                Ok(d) if d.is_zero() || d > MAX_TIMEOUT => diags.attr_error(
                    AttrPath::attr("timeout"),
                    "Invalid timeout",
                    format!("timeout must be more than 0 and at most 1h; got {t:?}."),
                ),
                Ok(_) => {}
                Err(e) => diags.attr_error(
                    AttrPath::attr("timeout"),
                    "Invalid timeout",
                    format!("timeout: {e} (e.g. \"30s\", \"5m\")"),
                ),
            }
        }
        if let Some(s) = c.fail_on_severity.str() {
            if let Err(e) = Severity::parse_gate(s) {
                diags.attr_error(
                    AttrPath::attr("fail_on_severity"),
                    "Invalid fail_on_severity",
                    format!("fail_on_severity {e}."),
                );
            }
        }
        for (i, id) in c.ignore_findings.items().iter().enumerate() {
            if id.trim().is_empty() {
                diags.attr_error(
                    AttrPath::attr("ignore_findings").then_index(i),
                    "Invalid ignore_findings",
                    "ignore_findings entries must be finding names or CVE ids, not empty strings.",
                );
            }
        }
        if let Some(n) = c.max_findings.known() {
            if !(0..=10_000).contains(n) {
                diags.attr_error(
                    AttrPath::attr("max_findings"),
                    "Invalid max_findings",
                    format!("max_findings must be 0 to 10000; got {n}."),
                );
            }
        }
    }

    async fn read(
        &self,
        ctx: &Ctx<AwsClients>,
        mut c: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let aws = ctx.provider.in_region(c.region.str());
        region::read(&mut c.region, &aws.region);
        let repository = c.repository.str().unwrap_or_default().to_string();
        let image = match (c.image_tag.str(), c.image_digest.str()) {
            (Some(t), _) => ImageRef::Tag(t.to_string()),
            (None, Some(d)) => ImageRef::Digest(d.to_string()),
            _ => return None,
        };
        let threshold = Severity::parse_gate(c.fail_on_severity.str().unwrap_or("none"))
            .ok()
            .flatten();
        let timeout = parse_duration(c.timeout.str().unwrap_or(DEFAULT_TIMEOUT))
            .unwrap_or(Duration::from_secs(300));
        let opts = FetchOptions {
            wait: c.wait_for_scan.or(true),
            start_if_missing: c.start_scan_if_missing.or(false),
            timeout,
            require_complete: threshold.is_some(),
            ..FetchOptions::default()
        };
        let api = EcrScanApi {
            ecr: aws.ecr.clone(),
            repository: repository.clone(),
            image: image.clone(),
        };
        let clock = StopClock {
            start: Instant::now(),
            stop: ctx.stop.clone(),
        };
        let shown = format!("{repository}{image}");
        let report = match fetch(&api, &clock, &opts).await {
            Ok(r) => r,
            Err(e) => {
                let summary = format!("{} ({shown})", e.summary());
                match error_path(&e, &c) {
                    Some(p) => diags.attr_error(p, summary, e.to_string()),
                    None => diags.error(summary, e.to_string()),
                }
                return None;
            }
        };
        let ignore = c.ignore_findings.items().to_vec();
        let stale: Vec<&String> = ignore
            .iter()
            .filter(|i| {
                !report
                    .findings
                    .iter()
                    .any(|f| f.name.eq_ignore_ascii_case(i.trim()))
            })
            .collect();
        if !stale.is_empty() && !report.findings.is_empty() {
            diags.attr_warning(
                AttrPath::attr("ignore_findings"),
                "Ignored findings not present",
                format!(
                    "{} not among the findings of {shown}; remove them from ignore_findings so they do not hide a future finding.",
                    stale.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ")
                ),
            );
        }
        let g = gate(&report.findings, threshold, &ignore);
        if !g.passed() {
            let t = threshold.map(Severity::as_str).unwrap_or_default();
            diags.attr_error(
                AttrPath::attr("fail_on_severity"),
                format!("{} finding(s) at or above {t} in {shown}", g.blocking.len()),
                format!(
                    "The scan of {shown} has findings at or above fail_on_severity = {t:?} that are not in ignore_findings:\n{}\n\nFix them (rebuild the image with patched packages), or accept them by adding their ids to ignore_findings.",
                    g.describe_blocking(50)
                ),
            );
            return None;
        }
        let max = usize::try_from(c.max_findings.or(DEFAULT_MAX_FINDINGS)).unwrap_or(0);
        let digest = report
            .image_digest
            .clone()
            .or_else(|| c.image_digest.known().cloned());
        Some(Model {
            id: Val::of(match &digest {
                Some(d) => format!("{repository}@{d}"),
                None => shown.clone(),
            }),
            image_digest: digest.into(),
            scan_status: Val::of(report.status.clone()),
            scan_status_description: report.status_description.clone().into(),
            scan_completed_at: report.completed_at.map(format_rfc3339).into(),
            vulnerability_source_updated_at: report.source_updated_at.map(format_rfc3339).into(),
            severity_counts: Val::Known(report.counts.clone()),
            findings_count: Val::Known(report.findings.len() as i64),
            findings: Val::Known(
                report
                    .findings
                    .iter()
                    .take(max)
                    .map(|f| finding_out(f, &ignore))
                    .collect(),
            ),
            ..c
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::val::encode_model;

    fn diags_for(m: &Model) -> Vec<String> {
        let mut d = Diagnostics::new();
        EcrImageScanFindings.validate(m, &mut d);
        d.0.iter()
            .filter_map(|x| x.attribute.as_ref().map(ToString::to_string))
            .collect()
    }

    #[test]
    fn validation_points_at_the_attribute() {
        let ok = Model {
            repository: Val::of("app"),
            image_tag: Val::of("v1"),
            ..Default::default()
        };
        assert!(diags_for(&ok).is_empty());
        assert_eq!(
            diags_for(&Model {
                image_tag: Val::Null,
                ..ok.clone()
            }),
            ["image_tag"]
        );
        assert_eq!(
            diags_for(&Model {
                image_digest: Val::of(format!("sha256:{}", "a".repeat(64))),
                ..ok.clone()
            }),
            ["image_digest"]
        );
        assert_eq!(
            diags_for(&Model {
                image_tag: Val::Null,
                image_digest: Val::of("latest"),
                ..ok.clone()
            }),
            ["image_digest"]
        );
        // An unknown tag (from a resource not yet applied) is fine at plan time.
        assert!(diags_for(&Model {
            image_tag: Val::Unknown,
            ..ok.clone()
        })
        .is_empty());
        let bad = Model {
            timeout: Val::of("2h"),
            fail_on_severity: Val::of("SEVERE"),
            ignore_findings: Val::Known(vec!["CVE-1".into(), " ".into()]),
            max_findings: Val::Known(-1),
            ..ok.clone()
        };
        assert_eq!(
            diags_for(&bad),
            [
                "timeout",
                "fail_on_severity",
                "ignore_findings[1]",
                "max_findings"
            ]
        );
        assert_eq!(
            diags_for(&Model {
                timeout: Val::of("5"),
                ..ok.clone()
            }),
            ["timeout"]
        );
        assert!(diags_for(&Model {
            fail_on_severity: Val::of("none"),
            timeout: Val::of("90s"),
            ..ok
        })
        .is_empty());
    }

    #[test]
    fn findings_encode_with_the_schema() {
        let f = FindingOut {
            name: "CVE-1".into(),
            severity: "HIGH".into(),
            cvss_score: Some(7.5),
            scanner: "BASIC".into(),
            ..Default::default()
        };
        let m = Model {
            repository: Val::of("app"),
            severity_counts: Val::Known([("HIGH".to_string(), 1)].into_iter().collect()),
            findings: Val::Known(vec![f]),
            ..Default::default()
        };
        let v = encode_model(&m, &EcrImageScanFindings.schema().block).unwrap();
        let json = crate::framework::val::to_json(&v);
        assert_eq!(json["findings"][0]["cvss_score"], serde_json::json!(7.5));
        assert_eq!(
            json["findings"][0]["fix_available"],
            serde_json::Value::Null
        );
        assert_eq!(json["severity_counts"]["HIGH"], serde_json::json!(1));
    }
}
