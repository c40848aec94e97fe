//! Waiting for an image scan and reading every page of its findings, behind two small traits
//! (`ScanApi` for DescribeImageScanFindings/StartImageScan, `Clock` for time), so the loop is
//! tested with stubs and a fake clock; `crate::aws::scan` implements `ScanApi` with the SDK.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::time::{Duration, Instant};

use super::findings::{
    complete_counts, normalise_basic, normalise_enhanced, sort, BasicFinding, EnhancedFinding,
    Finding,
};

/// One DescribeImageScanFindings page, in domain terms.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Page {
    pub status: Option<String>,
    pub status_description: Option<String>,
    pub image_digest: Option<String>,
    /// Epoch seconds.
    pub completed_at: Option<i64>,
    pub source_updated_at: Option<i64>,
    pub counts: BTreeMap<String, i64>,
    pub basic: Vec<BasicFinding>,
    pub enhanced: Vec<EnhancedFinding>,
    pub next_token: Option<String>,
}

/// Errors from the scan API the loop reacts to; everything else is `Other` (already readable).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScanApiError {
    ScanNotFound(String),
    RepositoryNotFound(String),
    ImageNotFound(String),
    Other(String),
}

#[async_trait::async_trait]
pub trait ScanApi: Send + Sync {
    /// DescribeImageScanFindings for the image, from `next_token` (None: the first page).
    async fn describe(&self, next_token: Option<&str>) -> Result<Page, ScanApiError>;
    /// StartImageScan for the image (basic scanning, manual).
    async fn start_scan(&self) -> Result<(), ScanApiError>;
}

#[async_trait::async_trait]
pub trait Clock: Send + Sync {
    /// Time since the wait began.
    fn elapsed(&self) -> Duration;
    /// Sleeps `d`; false when the wait must end now (Terraform is stopping).
    async fn sleep(&self, d: Duration) -> bool;
}

/// Wall-clock time with tokio sleeps.
pub struct TokioClock {
    start: Instant,
}

impl TokioClock {
    pub fn start() -> Self {
        TokioClock {
            start: Instant::now(),
        }
    }
}

#[async_trait::async_trait]
impl Clock for TokioClock {
    fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }
    async fn sleep(&self, d: Duration) -> bool {
        tokio::time::sleep(d).await;
        true
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct FetchOptions {
    /// Poll while the scan is IN_PROGRESS/PENDING (or just started), up to `timeout`.
    pub wait: bool,
    /// StartImageScan when the image has never been scanned.
    pub start_if_missing: bool,
    pub timeout: Duration,
    /// Findings are needed (a gate is set): a scan that is not complete is an error rather
    /// than an empty report.
    pub require_complete: bool,
    pub initial_delay: Duration,
    pub max_delay: Duration,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            wait: true,
            start_if_missing: false,
            timeout: Duration::from_secs(300),
            require_complete: true,
            initial_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(15),
        }
    }
}

/// A scan's findings, complete.
#[derive(Clone, Debug, PartialEq)]
pub struct ScanReport {
    pub status: String,
    pub status_description: Option<String>,
    pub image_digest: Option<String>,
    pub completed_at: Option<i64>,
    pub source_updated_at: Option<i64>,
    /// Every severity, 0 when absent.
    pub counts: BTreeMap<String, i64>,
    /// Every finding of every page (basic and enhanced), most severe first.
    pub findings: Vec<Finding>,
    /// True when this call started the scan.
    pub started_scan: bool,
    pub pages: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub enum FetchError {
    /// The image was never scanned and we were not asked to start a scan.
    NoScan(String),
    RepositoryNotFound(String),
    ImageNotFound(String),
    /// FAILED, UNSUPPORTED_IMAGE, FINDINGS_UNAVAILABLE and the other terminal statuses.
    ScanFailed {
        status: String,
        description: Option<String>,
    },
    /// Still not complete when `timeout` ran out.
    Timeout {
        status: String,
        waited: Duration,
    },
    /// Not complete and `wait` is off.
    NotComplete {
        status: String,
    },
    Stopped,
    Api(String),
}

impl FetchError {
    pub fn summary(&self) -> &'static str {
        match self {
            FetchError::NoScan(_) => "The image has not been scanned",
            FetchError::RepositoryNotFound(_) => "Repository not found",
            FetchError::ImageNotFound(_) => "Image not found",
            FetchError::ScanFailed { .. } => "The image scan did not produce findings",
            FetchError::Timeout { .. } => "Timed out waiting for the image scan",
            FetchError::NotComplete { .. } => "The image scan is not complete",
            FetchError::Stopped => "Stopped while waiting for the image scan",
            FetchError::Api(_) => "Reading the image scan findings failed",
        }
    }
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::NoScan(m) => write!(
                f,
                "{m}\n\nNo scan exists for this image. Set start_scan_if_missing = true (--start-scan) to start a basic scan, or enable scan on push / registry scanning."
            ),
            FetchError::RepositoryNotFound(m) | FetchError::ImageNotFound(m) | FetchError::Api(m) => f.write_str(m),
            FetchError::ScanFailed { status, description } => {
                write!(f, "The scan status is {status}")?;
                if let Some(d) = description {
                    write!(f, ": {d}")?;
                }
                f.write_str(match status.as_str() {
                    "UNSUPPORTED_IMAGE" => "\n\nECR cannot scan this image (unsupported operating system or media type).",
                    "FINDINGS_UNAVAILABLE" => "\n\nThe findings are no longer available (the image may have been deleted or not pulled for a long time).",
                    "SCAN_ELIGIBILITY_EXPIRED" => "\n\nThe image is no longer continuously scanned (its scan eligibility expired); rescan it or push it again.",
                    "LIMIT_EXCEEDED" => "\n\nThe scan quota (one basic scan per image per 24 hours) is exhausted.",
                    "IMAGE_ARCHIVED" => "\n\nArchived images are not scanned; restore the image first.",
                    _ => "",
                })
            }
            FetchError::Timeout { status, waited } => write!(
                f,
                "The scan was still {status} after {}s (timeout). Raise `timeout` (--timeout), or check the scan in the ECR console.",
                waited.as_secs()
            ),
            FetchError::NotComplete { status } => {
                write!(f, "The scan status is {status}, so its findings cannot be checked yet. Set wait_for_scan = true to wait for it.")
            }
            FetchError::Stopped => f.write_str("Terraform asked the provider to stop."),
        }
    }
}

enum Phase {
    Ready,
    Pending,
    Failed,
}

fn phase(status: Option<&str>) -> Phase {
    match status {
        Some("COMPLETE") | Some("ACTIVE") => Phase::Ready,
        None | Some("IN_PROGRESS") | Some("PENDING") => Phase::Pending,
        Some(_) => Phase::Failed,
    }
}

fn api_error(e: ScanApiError) -> FetchError {
    match e {
        ScanApiError::RepositoryNotFound(m) => FetchError::RepositoryNotFound(m),
        ScanApiError::ImageNotFound(m) => FetchError::ImageNotFound(m),
        ScanApiError::ScanNotFound(m) => FetchError::NoScan(m),
        ScanApiError::Other(m) => FetchError::Api(m),
    }
}

/// Pages are at most 1000 findings; this bounds a misbehaving endpoint, not a real image.
const MAX_PAGES: usize = 10_000;

/// Waits (per `opts`) for the image's scan and reads all its findings.
pub async fn fetch(
    api: &dyn ScanApi,
    clock: &dyn Clock,
    opts: &FetchOptions,
) -> Result<ScanReport, FetchError> {
    let mut delay = opts.initial_delay;
    let mut started = false;
    loop {
        let first = match api.describe(None).await {
            Ok(p) => Some(p),
            Err(ScanApiError::ScanNotFound(m)) => {
                if started {
                    None // StartImageScan is eventually consistent: keep waiting.
                } else if opts.start_if_missing {
                    api.start_scan().await.map_err(api_error)?;
                    started = true;
                    continue;
                } else {
                    return Err(FetchError::NoScan(m));
                }
            }
            Err(e) => return Err(api_error(e)),
        };
        let status = first.as_ref().and_then(|p| p.status.clone());
        match phase(status.as_deref()) {
            Phase::Ready => {
                let first = first.unwrap_or_default();
                return read_all(api, first, started).await;
            }
            Phase::Failed => {
                return Err(FetchError::ScanFailed {
                    status: status.unwrap_or_default(),
                    description: first.and_then(|p| p.status_description),
                })
            }
            Phase::Pending => {}
        }
        let shown = status.clone().unwrap_or_else(|| "IN_PROGRESS".into());
        if !opts.wait {
            if opts.require_complete {
                return Err(FetchError::NotComplete { status: shown });
            }
            let p = first.unwrap_or_default();
            return Ok(ScanReport {
                status: shown,
                status_description: p.status_description,
                image_digest: p.image_digest,
                completed_at: None,
                source_updated_at: None,
                counts: complete_counts(&BTreeMap::new()),
                findings: vec![],
                started_scan: started,
                pages: 0,
            });
        }
        let elapsed = clock.elapsed();
        if elapsed >= opts.timeout {
            return Err(FetchError::Timeout {
                status: shown,
                waited: elapsed,
            });
        }
        if !clock.sleep(delay.min(opts.timeout - elapsed)).await {
            return Err(FetchError::Stopped);
        }
        delay = (delay * 2).min(opts.max_delay);
    }
}

async fn read_all(api: &dyn ScanApi, first: Page, started: bool) -> Result<ScanReport, FetchError> {
    let mut findings: Vec<Finding> = Vec::new();
    let mut counts = first.counts.clone();
    let mut pages = 1;
    let mut token = first.next_token.clone();
    let mut seen: HashSet<String> = HashSet::new();
    collect(&first, &mut findings);
    while let Some(t) = token {
        if !seen.insert(t.clone()) || pages >= MAX_PAGES {
            return Err(FetchError::Api(format!(
                "DescribeImageScanFindings kept returning more pages (nextToken {t:?} after {pages} pages); giving up rather than looping."
            )));
        }
        let page = api.describe(Some(&t)).await.map_err(api_error)?;
        pages += 1;
        if counts.is_empty() {
            counts = page.counts.clone();
        }
        collect(&page, &mut findings);
        token = page.next_token;
    }
    sort(&mut findings);
    Ok(ScanReport {
        status: first.status.unwrap_or_else(|| "COMPLETE".into()),
        status_description: first.status_description,
        image_digest: first.image_digest,
        completed_at: first.completed_at,
        source_updated_at: first.source_updated_at,
        counts: complete_counts(&counts),
        findings,
        started_scan: started,
        pages,
    })
}

fn collect(p: &Page, out: &mut Vec<Finding>) {
    out.extend(p.basic.iter().map(normalise_basic));
    out.extend(p.enhanced.iter().map(normalise_enhanced));
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::scanning::findings::Severity;

    /// Replays scripted answers to `describe` (the last one repeats) and records calls.
    struct Stub {
        answers: Mutex<Vec<Result<Page, ScanApiError>>>,
        pages: BTreeMap<String, Page>,
        calls: Mutex<Vec<String>>,
        start_result: Result<(), ScanApiError>,
    }

    impl Stub {
        fn new(answers: Vec<Result<Page, ScanApiError>>) -> Self {
            Stub {
                answers: Mutex::new(answers),
                pages: BTreeMap::new(),
                calls: Mutex::new(vec![]),
                start_result: Ok(()),
            }
        }
        fn calls(&self) -> Vec<String> {
            self.calls.lock().unwrap().clone()
        }
    }

    #[async_trait::async_trait]
    impl ScanApi for Stub {
        async fn describe(&self, next_token: Option<&str>) -> Result<Page, ScanApiError> {
            self.calls
                .lock()
                .unwrap()
                .push(format!("describe({})", next_token.unwrap_or("-")));
            if let Some(t) = next_token {
                return self
                    .pages
                    .get(t)
                    .cloned()
                    .ok_or_else(|| ScanApiError::Other(format!("bad token {t}")));
            }
            let mut a = self.answers.lock().unwrap();
            if a.len() > 1 {
                a.remove(0)
            } else {
                a[0].clone()
            }
        }
        async fn start_scan(&self) -> Result<(), ScanApiError> {
            self.calls.lock().unwrap().push("start".into());
            self.start_result.clone()
        }
    }

    /// Time only moves when the loop sleeps.
    #[derive(Default)]
    struct FakeClock {
        now: Mutex<Duration>,
        sleeps: Mutex<Vec<Duration>>,
        stop_after: Option<usize>,
    }

    #[async_trait::async_trait]
    impl Clock for FakeClock {
        fn elapsed(&self) -> Duration {
            *self.now.lock().unwrap()
        }
        async fn sleep(&self, d: Duration) -> bool {
            let mut s = self.sleeps.lock().unwrap();
            if self.stop_after.is_some_and(|n| s.len() >= n) {
                return false;
            }
            s.push(d);
            *self.now.lock().unwrap() += d;
            true
        }
    }

    fn status(s: &str) -> Page {
        Page {
            status: Some(s.into()),
            ..Default::default()
        }
    }

    fn basic(name: &str, sev: &str) -> BasicFinding {
        BasicFinding {
            name: Some(name.into()),
            severity: Some(sev.into()),
            ..Default::default()
        }
    }

    fn complete(findings: Vec<BasicFinding>, next: Option<&str>) -> Page {
        Page {
            status: Some("COMPLETE".into()),
            image_digest: Some("sha256:abc".into()),
            completed_at: Some(100),
            counts: [("HIGH".to_string(), 1)].into_iter().collect(),
            basic: findings,
            next_token: next.map(str::to_string),
            ..Default::default()
        }
    }

    fn opts() -> FetchOptions {
        FetchOptions {
            timeout: Duration::from_secs(60),
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn reads_every_page_of_basic_and_enhanced_findings() {
        let mut stub = Stub::new(vec![Ok(complete(vec![basic("CVE-1", "HIGH")], Some("t1")))]);
        let p2 = Page {
            enhanced: vec![EnhancedFinding {
                vulnerability_id: Some("CVE-2".into()),
                severity: Some("CRITICAL".into()),
                ..Default::default()
            }],
            next_token: Some("t2".into()),
            ..Default::default()
        };
        let p3 = Page {
            basic: vec![basic("CVE-3", "LOW")],
            ..Default::default()
        };
        stub.pages.insert("t1".into(), p2);
        stub.pages.insert("t2".into(), p3);
        let clock = FakeClock::default();
        let r = fetch(&stub, &clock, &opts()).await.unwrap();
        assert_eq!(
            stub.calls(),
            ["describe(-)", "describe(t1)", "describe(t2)"]
        );
        assert_eq!(r.pages, 3);
        let names: Vec<(&str, Severity)> = r
            .findings
            .iter()
            .map(|f| (f.name.as_str(), f.severity))
            .collect();
        assert_eq!(
            names,
            [
                ("CVE-2", Severity::Critical),
                ("CVE-1", Severity::High),
                ("CVE-3", Severity::Low)
            ]
        );
        assert_eq!((r.counts["HIGH"], r.counts["UNTRIAGED"]), (1, 0));
        assert_eq!(r.image_digest.as_deref(), Some("sha256:abc"));
        assert!(clock.sleeps.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_repeated_next_token_is_an_error_not_a_loop() {
        let mut stub = Stub::new(vec![Ok(complete(vec![], Some("same")))]);
        stub.pages
            .insert("same".into(), complete(vec![], Some("same")));
        let e = fetch(&stub, &FakeClock::default(), &opts())
            .await
            .unwrap_err();
        assert!(
            matches!(&e, FetchError::Api(m) if m.contains("nextToken")),
            "{e:?}"
        );
        assert_eq!(stub.calls().len(), 2);
    }

    #[tokio::test]
    async fn waits_with_backoff_until_complete() {
        let stub = Stub::new(vec![
            Ok(status("IN_PROGRESS")),
            Ok(status("PENDING")),
            Ok(status("IN_PROGRESS")),
            Ok(complete(vec![], None)),
        ]);
        let clock = FakeClock::default();
        let r = fetch(&stub, &clock, &opts()).await.unwrap();
        assert_eq!(r.status, "COMPLETE");
        assert_eq!(
            *clock.sleeps.lock().unwrap(),
            [
                Duration::from_secs(2),
                Duration::from_secs(4),
                Duration::from_secs(8)
            ]
        );
    }

    #[tokio::test]
    async fn times_out_on_a_scan_that_never_completes() {
        let stub = Stub::new(vec![Ok(status("IN_PROGRESS"))]);
        let clock = FakeClock::default();
        let o = FetchOptions {
            timeout: Duration::from_secs(40),
            ..opts()
        };
        let e = fetch(&stub, &clock, &o).await.unwrap_err();
        assert_eq!(
            e,
            FetchError::Timeout {
                status: "IN_PROGRESS".into(),
                waited: Duration::from_secs(40)
            }
        );
        let sleeps = clock.sleeps.lock().unwrap().clone();
        // 2 + 4 + 8 + 15 = 29, then the remaining 11 s: never past the timeout.
        assert_eq!(sleeps, [2, 4, 8, 15, 11].map(Duration::from_secs));
        assert!(e.to_string().contains("still IN_PROGRESS after 40s"));
    }

    #[tokio::test]
    async fn stop_ends_the_wait() {
        let stub = Stub::new(vec![Ok(status("IN_PROGRESS"))]);
        let clock = FakeClock {
            stop_after: Some(1),
            ..Default::default()
        };
        assert_eq!(
            fetch(&stub, &clock, &opts()).await.unwrap_err(),
            FetchError::Stopped
        );
    }

    #[tokio::test]
    async fn terminal_statuses_fail_at_once() {
        for s in [
            "FAILED",
            "UNSUPPORTED_IMAGE",
            "FINDINGS_UNAVAILABLE",
            "SCAN_ELIGIBILITY_EXPIRED",
            "SOMETHING_NEW",
        ] {
            let mut p = status(s);
            p.status_description = Some("why".into());
            let stub = Stub::new(vec![Ok(p)]);
            let clock = FakeClock::default();
            let e = fetch(&stub, &clock, &opts()).await.unwrap_err();
            assert_eq!(
                e,
                FetchError::ScanFailed {
                    status: s.into(),
                    description: Some("why".into())
                }
            );
            assert!(clock.sleeps.lock().unwrap().is_empty(), "{s} must not wait");
        }
    }

    #[tokio::test]
    async fn missing_scan_is_started_only_when_asked() {
        let stub = Stub::new(vec![Err(ScanApiError::ScanNotFound("no scan".into()))]);
        let e = fetch(&stub, &FakeClock::default(), &opts())
            .await
            .unwrap_err();
        assert!(matches!(e, FetchError::NoScan(_)));
        assert_eq!(stub.calls(), ["describe(-)"]);

        let stub = Stub::new(vec![
            Err(ScanApiError::ScanNotFound("no scan".into())),
            Err(ScanApiError::ScanNotFound("not yet visible".into())),
            Ok(status("IN_PROGRESS")),
            Ok(complete(vec![basic("CVE-1", "HIGH")], None)),
        ]);
        let o = FetchOptions {
            start_if_missing: true,
            ..opts()
        };
        let r = fetch(&stub, &FakeClock::default(), &o).await.unwrap();
        assert!(r.started_scan);
        assert_eq!(r.findings.len(), 1);
        assert_eq!(
            stub.calls(),
            [
                "describe(-)",
                "start",
                "describe(-)",
                "describe(-)",
                "describe(-)"
            ]
        );

        let mut stub = Stub::new(vec![Err(ScanApiError::ScanNotFound("no scan".into()))]);
        stub.start_result = Err(ScanApiError::Other("LimitExceededException".into()));
        let e = fetch(&stub, &FakeClock::default(), &o).await.unwrap_err();
        assert_eq!(e, FetchError::Api("LimitExceededException".into()));
    }

    #[tokio::test]
    async fn without_waiting_an_incomplete_scan_is_an_error_only_for_a_gate() {
        let stub = Stub::new(vec![Ok(status("IN_PROGRESS"))]);
        let o = FetchOptions {
            wait: false,
            ..opts()
        };
        assert_eq!(
            fetch(&stub, &FakeClock::default(), &o).await.unwrap_err(),
            FetchError::NotComplete {
                status: "IN_PROGRESS".into()
            }
        );
        let o = FetchOptions {
            wait: false,
            require_complete: false,
            ..opts()
        };
        let r = fetch(&stub, &FakeClock::default(), &o).await.unwrap();
        assert_eq!(
            (r.status.as_str(), r.findings.len(), r.counts.len()),
            ("IN_PROGRESS", 0, 7)
        );
    }

    #[tokio::test]
    async fn api_errors_are_classified() {
        let stub = Stub::new(vec![Err(ScanApiError::ImageNotFound("no image".into()))]);
        assert_eq!(
            fetch(&stub, &FakeClock::default(), &opts())
                .await
                .unwrap_err(),
            FetchError::ImageNotFound("no image".into())
        );
        let stub = Stub::new(vec![Err(ScanApiError::RepositoryNotFound(
            "no repo".into(),
        ))]);
        assert_eq!(
            fetch(&stub, &FakeClock::default(), &opts())
                .await
                .unwrap_err(),
            FetchError::RepositoryNotFound("no repo".into())
        );
    }
}
