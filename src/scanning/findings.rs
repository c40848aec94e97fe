//! Findings from basic (Clair / AWS native) and enhanced (Amazon Inspector) scanning, normalised
//! to one shape, and the severity gate a deploy is blocked by.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;

/// Finding severities. The five ranked ones gate deploys; `Undefined` (basic scanning) and
/// `Untriaged` (Inspector) carry no rank and never block, but are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Undefined,
    Untriaged,
    Informational,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// Every severity ECR reports, most severe first (the keys of `severity_counts`).
    pub const ALL: [Severity; 7] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Informational,
        Severity::Undefined,
        Severity::Untriaged,
    ];
    /// Values `fail_on_severity` / `--fail-on` accept besides `none`.
    pub const GATES: [&'static str; 5] = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL"];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "CRITICAL",
            Severity::High => "HIGH",
            Severity::Medium => "MEDIUM",
            Severity::Low => "LOW",
            Severity::Informational => "INFORMATIONAL",
            Severity::Undefined => "UNDEFINED",
            Severity::Untriaged => "UNTRIAGED",
        }
    }

    /// Parses a severity as ECR or Inspector spell it (case-insensitive); anything else is
    /// `Undefined`, so a new AWS value is counted rather than lost.
    pub fn parse(s: &str) -> Severity {
        match s.trim().to_ascii_uppercase().as_str() {
            "CRITICAL" => Severity::Critical,
            "HIGH" => Severity::High,
            "MEDIUM" => Severity::Medium,
            "LOW" => Severity::Low,
            "INFORMATIONAL" => Severity::Informational,
            "UNTRIAGED" => Severity::Untriaged,
            _ => Severity::Undefined,
        }
    }

    /// The gate threshold for a `fail_on_severity` value: `Ok(None)` for `none`.
    pub fn parse_gate(s: &str) -> Result<Option<Severity>, String> {
        if s == "none" || s == "NONE" {
            return Ok(None);
        }
        if Self::GATES.contains(&s) {
            return Ok(Some(Severity::parse(s)));
        }
        Err(format!(
            "must be one of {}, none; got {s:?}",
            Self::GATES.join(", ")
        ))
    }

    /// True when a finding of this severity is at or above `threshold`. Unranked severities
    /// (UNDEFINED, UNTRIAGED) are never at or above anything.
    pub fn blocks_at(self, threshold: Severity) -> bool {
        self.is_ranked() && self >= threshold
    }

    pub fn is_ranked(self) -> bool {
        !matches!(self, Severity::Undefined | Severity::Untriaged)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A basic-scanning finding as DescribeImageScanFindings returns it (`findings[]`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BasicFinding {
    pub name: Option<String>,
    pub description: Option<String>,
    pub uri: Option<String>,
    pub severity: Option<String>,
    /// `attributes[]`: package_name, package_version, CVSS2_SCORE, CVSS3_SCORE, ...
    pub attributes: Vec<(String, String)>,
}

/// An enhanced-scanning (Inspector) finding (`enhancedFindings[]`), reduced to what we keep.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EnhancedFinding {
    pub finding_arn: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub severity: Option<String>,
    /// `score` (Inspector's adjusted CVSS score).
    pub score: Option<f64>,
    /// `scoreDetails.cvss.score`.
    pub score_details_cvss: Option<f64>,
    pub fix_available: Option<String>,
    pub vulnerability_id: Option<String>,
    pub source_url: Option<String>,
    pub reference_urls: Vec<String>,
    pub remediation_url: Option<String>,
    /// `packageVulnerabilityDetails.cvss[].baseScore`.
    pub cvss_base_scores: Vec<f64>,
    pub packages: Vec<VulnerablePackage>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct VulnerablePackage {
    pub name: Option<String>,
    pub version: Option<String>,
    pub fixed_in_version: Option<String>,
}

/// One finding, whichever scanner produced it.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// CVE id / finding name (`name` for basic, `vulnerabilityId` or `title` for enhanced).
    pub name: String,
    pub severity: Severity,
    pub description: Option<String>,
    pub uri: Option<String>,
    pub package_name: Option<String>,
    pub package_version: Option<String>,
    pub cvss_score: Option<f64>,
    /// `YES`, `NO` or `PARTIAL` (enhanced scanning only).
    pub fix_available: Option<String>,
    pub fixed_in_version: Option<String>,
    /// `BASIC` or `ENHANCED`.
    pub scanner: &'static str,
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|x| x.trim())
        .filter(|x| !x.is_empty())
        .map(str::to_string)
}

fn attribute<'a>(attrs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.trim().is_empty())
}

pub fn normalise_basic(f: &BasicFinding) -> Finding {
    let score = |k: &str| attribute(&f.attributes, k).and_then(|v| v.trim().parse::<f64>().ok());
    Finding {
        name: non_empty(&f.name).unwrap_or_else(|| "(unnamed finding)".into()),
        severity: Severity::parse(f.severity.as_deref().unwrap_or("")),
        description: non_empty(&f.description),
        uri: non_empty(&f.uri),
        package_name: attribute(&f.attributes, "package_name").map(str::to_string),
        package_version: attribute(&f.attributes, "package_version").map(str::to_string),
        cvss_score: score("CVSS3_SCORE").or_else(|| score("CVSS2_SCORE")),
        fix_available: None,
        fixed_in_version: None,
        scanner: "BASIC",
    }
}

pub fn normalise_enhanced(f: &EnhancedFinding) -> Finding {
    let pkg = f
        .packages
        .iter()
        .find(|p| p.name.is_some())
        .or(f.packages.first());
    let names: Vec<String> = {
        let mut v: Vec<String> = f
            .packages
            .iter()
            .filter_map(|p| non_empty(&p.name))
            .collect();
        v.dedup();
        v
    };
    let max_base = f
        .cvss_base_scores
        .iter()
        .copied()
        .filter(|s| s.is_finite())
        .fold(None, |m: Option<f64>, s| Some(m.map_or(s, |m| m.max(s))));
    Finding {
        name: non_empty(&f.vulnerability_id)
            .or_else(|| non_empty(&f.title))
            .or_else(|| non_empty(&f.finding_arn))
            .unwrap_or_else(|| "(unnamed finding)".into()),
        severity: Severity::parse(f.severity.as_deref().unwrap_or("")),
        description: non_empty(&f.description).or_else(|| non_empty(&f.title)),
        uri: non_empty(&f.source_url)
            .or_else(|| {
                f.reference_urls
                    .iter()
                    .find(|u| !u.trim().is_empty())
                    .cloned()
            })
            .or_else(|| non_empty(&f.remediation_url)),
        package_name: if names.len() > 1 {
            Some(names.join(", "))
        } else {
            pkg.and_then(|p| non_empty(&p.name))
        },
        package_version: pkg.and_then(|p| non_empty(&p.version)),
        cvss_score: f
            .score_details_cvss
            .filter(|s| *s > 0.0)
            .or(f.score.filter(|s| *s > 0.0))
            .or(max_base),
        fix_available: non_empty(&f.fix_available),
        fixed_in_version: pkg
            .and_then(|p| non_empty(&p.fixed_in_version))
            .filter(|v| v != "NotAvailable"),
        scanner: "ENHANCED",
    }
}

/// Most severe first, then highest score, then name: the order findings are shown and capped in.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| {
                b.cvss_score
                    .partial_cmp(&a.cvss_score)
                    .unwrap_or(Ordering::Equal)
            })
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.package_name.cmp(&b.package_name))
    });
}

/// `findingSeverityCounts` with every severity present (0 when absent); unknown keys AWS may
/// add are kept as they come.
pub fn complete_counts(counts: &BTreeMap<String, i64>) -> BTreeMap<String, i64> {
    let mut out: BTreeMap<String, i64> = Severity::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), 0))
        .collect();
    for (k, v) in counts {
        *out.entry(k.to_ascii_uppercase()).or_insert(0) += v;
    }
    out
}

/// Whether a finding is on the team's accepted list (by name / CVE id, case-insensitive).
pub fn is_ignored(f: &Finding, ignore: &[String]) -> bool {
    ignore
        .iter()
        .any(|i| i.trim().eq_ignore_ascii_case(&f.name))
}

/// The outcome of gating findings at a severity.
#[derive(Clone, Debug, PartialEq)]
pub struct GateResult {
    pub threshold: Option<Severity>,
    /// Findings at or above the threshold and not ignored, most severe first.
    pub blocking: Vec<Finding>,
    /// Findings at or above the threshold that the ignore list accepted.
    pub ignored: Vec<Finding>,
}

impl GateResult {
    pub fn passed(&self) -> bool {
        self.blocking.is_empty()
    }

    /// One line per blocking finding: `CVE-2024-1234 (CRITICAL, openssl 3.0.1, fixed in 3.0.2)`.
    pub fn describe_blocking(&self, limit: usize) -> String {
        let mut lines: Vec<String> = self
            .blocking
            .iter()
            .take(limit)
            .map(|f| format!("  - {}", describe(f)))
            .collect();
        if self.blocking.len() > limit {
            lines.push(format!("  ... and {} more", self.blocking.len() - limit));
        }
        lines.join("\n")
    }
}

/// `NAME (SEVERITY, package VERSION[, fixed in X])`.
pub fn describe(f: &Finding) -> String {
    let mut parts = vec![f.severity.to_string()];
    match (&f.package_name, &f.package_version) {
        (Some(n), Some(v)) => parts.push(format!("{n} {v}")),
        (Some(n), None) => parts.push(n.clone()),
        _ => {}
    }
    if let Some(s) = f.cvss_score {
        parts.push(format!("CVSS {s}"));
    }
    if let Some(v) = &f.fixed_in_version {
        parts.push(format!("fixed in {v}"));
    }
    format!("{} ({})", f.name, parts.join(", "))
}

/// Gates `findings` at `threshold` (None: nothing blocks), accepting the `ignore` list.
pub fn gate(findings: &[Finding], threshold: Option<Severity>, ignore: &[String]) -> GateResult {
    let mut out = GateResult {
        threshold,
        blocking: vec![],
        ignored: vec![],
    };
    let Some(t) = threshold else { return out };
    for f in findings.iter().filter(|f| f.severity.blocks_at(t)) {
        if is_ignored(f, ignore) {
            out.ignored.push(f.clone());
        } else {
            out.blocking.push(f.clone());
        }
    }
    sort(&mut out.blocking);
    sort(&mut out.ignored);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// The finding moto's default scan returns, as DescribeImageScanFindings reports it.
    fn moto_basic() -> BasicFinding {
        BasicFinding {
            name: Some("CVE-9999-9999".into()),
            description: None,
            uri: Some("https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-9999-9999".into()),
            severity: Some("HIGH".into()),
            attributes: attrs(&[
                ("package_version", "9.9.9"),
                ("package_name", "moto_fake"),
                ("CVSS2_VECTOR", "AV:N/AC:L/Au:N/C:P/I:P/A:P"),
                ("CVSS2_SCORE", "7.5"),
            ]),
        }
    }

    #[test]
    fn basic_findings_take_package_and_score_from_attributes() {
        let f = normalise_basic(&moto_basic());
        assert_eq!(f.name, "CVE-9999-9999");
        assert_eq!(f.severity, Severity::High);
        assert_eq!(f.package_name.as_deref(), Some("moto_fake"));
        assert_eq!(f.package_version.as_deref(), Some("9.9.9"));
        assert_eq!(f.cvss_score, Some(7.5));
        assert_eq!(
            (f.fix_available, f.fixed_in_version, f.scanner),
            (None, None, "BASIC")
        );
        // CVSS3 wins over CVSS2; unparseable scores and empty values are dropped.
        let mut b = moto_basic();
        b.attributes.push(("CVSS3_SCORE".into(), "9.8".into()));
        assert_eq!(normalise_basic(&b).cvss_score, Some(9.8));
        let odd = BasicFinding {
            severity: Some("weird".into()),
            attributes: attrs(&[("CVSS2_SCORE", "n/a"), ("package_name", " ")]),
            ..Default::default()
        };
        let f = normalise_basic(&odd);
        assert_eq!(
            (f.severity, f.cvss_score, f.package_name, f.name.as_str()),
            (Severity::Undefined, None, None, "(unnamed finding)")
        );
    }

    #[test]
    fn enhanced_findings_use_vulnerability_details() {
        let e = EnhancedFinding {
            finding_arn: Some("arn:aws:inspector2:us-east-1:123456789012:finding/abc".into()),
            title: Some("CVE-2024-0001 - openssl".into()),
            description: Some("Buffer overflow".into()),
            severity: Some("CRITICAL".into()),
            score: Some(9.1),
            score_details_cvss: Some(9.8),
            fix_available: Some("YES".into()),
            vulnerability_id: Some("CVE-2024-0001".into()),
            source_url: None,
            reference_urls: vec!["https://nvd.nist.gov/vuln/detail/CVE-2024-0001".into()],
            remediation_url: Some("https://example.com/fix".into()),
            cvss_base_scores: vec![7.0, 9.8],
            packages: vec![VulnerablePackage {
                name: Some("openssl".into()),
                version: Some("3.0.1".into()),
                fixed_in_version: Some("3.0.2".into()),
            }],
        };
        let f = normalise_enhanced(&e);
        assert_eq!(f.name, "CVE-2024-0001");
        assert_eq!(f.severity, Severity::Critical);
        assert_eq!(
            f.uri.as_deref(),
            Some("https://nvd.nist.gov/vuln/detail/CVE-2024-0001")
        );
        assert_eq!(
            (f.package_name.as_deref(), f.package_version.as_deref()),
            (Some("openssl"), Some("3.0.1"))
        );
        assert_eq!(f.cvss_score, Some(9.8));
        assert_eq!(
            (f.fix_available.as_deref(), f.fixed_in_version.as_deref()),
            (Some("YES"), Some("3.0.2"))
        );
        assert_eq!(f.scanner, "ENHANCED");

        // Sparse finding: title as name, base score fallback, NotAvailable fix dropped, several packages listed.
        let sparse = EnhancedFinding {
            title: Some("GHSA-xxxx".into()),
            severity: Some("UNTRIAGED".into()),
            score: Some(0.0),
            cvss_base_scores: vec![5.5, 6.1],
            packages: vec![
                VulnerablePackage {
                    name: Some("a".into()),
                    version: Some("1".into()),
                    fixed_in_version: Some("NotAvailable".into()),
                },
                VulnerablePackage {
                    name: Some("b".into()),
                    version: Some("2".into()),
                    fixed_in_version: None,
                },
            ],
            ..Default::default()
        };
        let f = normalise_enhanced(&sparse);
        assert_eq!(f.name, "GHSA-xxxx");
        assert_eq!(f.severity, Severity::Untriaged);
        assert_eq!(f.cvss_score, Some(6.1));
        assert_eq!(f.fixed_in_version, None);
        assert_eq!(f.package_name.as_deref(), Some("a, b"));
        assert_eq!(f.description.as_deref(), Some("GHSA-xxxx"));
    }

    fn finding(name: &str, sev: Severity) -> Finding {
        Finding {
            name: name.into(),
            severity: sev,
            description: None,
            uri: None,
            package_name: Some("pkg".into()),
            package_version: Some("1.0".into()),
            cvss_score: None,
            fix_available: None,
            fixed_in_version: None,
            scanner: "BASIC",
        }
    }

    #[test]
    fn gate_blocks_at_or_above_threshold_minus_ignored() {
        let fs = vec![
            finding("CVE-1", Severity::High),
            finding("CVE-2", Severity::Critical),
            finding("CVE-3", Severity::Medium),
            finding("CVE-4", Severity::Untriaged),
            finding("CVE-5", Severity::Undefined),
        ];
        assert!(gate(&fs, None, &[]).passed());
        let g = gate(&fs, Some(Severity::High), &[]);
        let names: Vec<&str> = g.blocking.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["CVE-2", "CVE-1"]);
        let g = gate(&fs, Some(Severity::High), &["cve-2".into(), "CVE-1".into()]);
        assert!(g.passed());
        assert_eq!(g.ignored.len(), 2);
        let g = gate(&fs, Some(Severity::Critical), &[]);
        assert_eq!(g.blocking.len(), 1);
        // Unranked severities never block, even at INFORMATIONAL.
        let g = gate(&fs, Some(Severity::Informational), &[]);
        assert_eq!(g.blocking.len(), 3);
        assert!(g.describe_blocking(1).contains("CVE-2 (CRITICAL, pkg 1.0)"));
        assert!(g.describe_blocking(1).contains("and 2 more"));
    }

    #[test]
    fn gate_values_and_counts() {
        assert_eq!(Severity::parse_gate("none"), Ok(None));
        assert_eq!(Severity::parse_gate("HIGH"), Ok(Some(Severity::High)));
        assert!(Severity::parse_gate("high").is_err());
        assert!(Severity::parse_gate("UNTRIAGED").is_err());
        let c = complete_counts(
            &[
                ("HIGH".to_string(), 2),
                ("untriaged".to_string(), 1),
                ("NEW".to_string(), 4),
            ]
            .into_iter()
            .collect(),
        );
        assert_eq!(c.len(), 8);
        assert_eq!(
            (c["HIGH"], c["UNTRIAGED"], c["CRITICAL"], c["NEW"]),
            (2, 1, 0, 4)
        );
    }

    #[test]
    fn sort_puts_most_severe_and_highest_score_first() {
        let mut a = finding("B", Severity::High);
        a.cvss_score = Some(7.0);
        let mut b = finding("A", Severity::High);
        b.cvss_score = Some(8.0);
        let c = finding("C", Severity::Critical);
        let mut v = vec![a, b, c];
        sort(&mut v);
        let names: Vec<&str> = v.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["C", "A", "B"]);
    }
}
