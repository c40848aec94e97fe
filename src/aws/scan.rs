//! `scanning::ScanApi` over the ECR SDK: DescribeImageScanFindings pages and StartImageScan for
//! one image, with SDK types mapped to the domain's plain structs.

use aws_sdk_ecr::operation::describe_image_scan_findings::{
    DescribeImageScanFindingsError, DescribeImageScanFindingsOutput,
};
use aws_sdk_ecr::operation::start_image_scan::StartImageScanError;
use aws_sdk_ecr::types::{EnhancedImageScanFinding, ImageIdentifier, ImageScanFinding};
use aws_smithy_runtime_api::client::result::SdkError;

use super::errors::text;
use crate::scanning::findings::VulnerablePackage;
use crate::scanning::{BasicFinding, EnhancedFinding, Page, ScanApi, ScanApiError};

/// The image whose scan is read: by tag or by digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageRef {
    Tag(String),
    Digest(String),
}

impl std::fmt::Display for ImageRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImageRef::Tag(t) => write!(f, ":{t}"),
            ImageRef::Digest(d) => write!(f, "@{d}"),
        }
    }
}

pub struct EcrScanApi {
    pub ecr: aws_sdk_ecr::Client,
    pub repository: String,
    pub image: ImageRef,
}

impl EcrScanApi {
    fn image_id(&self) -> ImageIdentifier {
        match &self.image {
            ImageRef::Tag(t) => ImageIdentifier::builder().image_tag(t).build(),
            ImageRef::Digest(d) => ImageIdentifier::builder().image_digest(d).build(),
        }
    }
}

/// DescribeImageScanFindings errors in the domain's terms.
fn classify_describe<R>(e: &SdkError<DescribeImageScanFindingsError, R>) -> ScanApiError
where
    R: std::fmt::Debug,
{
    let text = text(e);
    match e.as_service_error() {
        Some(k) if k.is_scan_not_found_exception() => ScanApiError::ScanNotFound(text),
        Some(k) if k.is_repository_not_found_exception() => ScanApiError::RepositoryNotFound(text),
        Some(k) if k.is_image_not_found_exception() => ScanApiError::ImageNotFound(text),
        _ => ScanApiError::Other(text),
    }
}

/// StartImageScan errors in the domain's terms.
fn classify_start<R>(e: &SdkError<StartImageScanError, R>) -> ScanApiError
where
    R: std::fmt::Debug,
{
    let text = text(e);
    match e.as_service_error() {
        Some(k) if k.is_repository_not_found_exception() => ScanApiError::RepositoryNotFound(text),
        Some(k) if k.is_image_not_found_exception() => ScanApiError::ImageNotFound(text),
        _ => ScanApiError::Other(text),
    }
}

#[async_trait::async_trait]
impl ScanApi for EcrScanApi {
    async fn describe(&self, next_token: Option<&str>) -> Result<Page, ScanApiError> {
        let out = self
            .ecr
            .describe_image_scan_findings()
            .repository_name(&self.repository)
            .image_id(self.image_id())
            .max_results(1000)
            .set_next_token(next_token.map(str::to_string))
            .send()
            .await
            .map_err(|e| classify_describe(&e))?;
        Ok(page_from_output(&out))
    }

    async fn start_scan(&self) -> Result<(), ScanApiError> {
        self.ecr
            .start_image_scan()
            .repository_name(&self.repository)
            .image_id(self.image_id())
            .send()
            .await
            .map(|_| ())
            .map_err(|e| classify_start(&e))
    }
}

fn s(v: Option<&str>) -> Option<String> {
    v.map(str::to_string)
}

pub fn page_from_output(out: &DescribeImageScanFindingsOutput) -> Page {
    let f = out.image_scan_findings();
    Page {
        status: out
            .image_scan_status()
            .and_then(|x| x.status())
            .map(|x| x.as_str().to_string()),
        status_description: s(out.image_scan_status().and_then(|x| x.description())),
        image_digest: s(out.image_id().and_then(|i| i.image_digest())),
        completed_at: f
            .and_then(|f| f.image_scan_completed_at())
            .map(|t| t.secs()),
        source_updated_at: f
            .and_then(|f| f.vulnerability_source_updated_at())
            .map(|t| t.secs()),
        counts: f
            .and_then(|f| f.finding_severity_counts())
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.as_str().to_string(), i64::from(*v)))
                    .collect()
            })
            .unwrap_or_default(),
        basic: f
            .map(|f| f.findings().iter().map(basic_from_sdk).collect())
            .unwrap_or_default(),
        enhanced: f
            .map(|f| {
                f.enhanced_findings()
                    .iter()
                    .map(enhanced_from_sdk)
                    .collect()
            })
            .unwrap_or_default(),
        next_token: s(out.next_token()).filter(|t| !t.is_empty()),
    }
}

fn basic_from_sdk(f: &ImageScanFinding) -> BasicFinding {
    BasicFinding {
        name: s(f.name()),
        description: s(f.description()),
        uri: s(f.uri()),
        severity: f.severity().map(|x| x.as_str().to_string()),
        attributes: f
            .attributes()
            .iter()
            .map(|a| {
                (
                    a.key().to_string(),
                    a.value().unwrap_or_default().to_string(),
                )
            })
            .collect(),
    }
}

fn enhanced_from_sdk(f: &EnhancedImageScanFinding) -> EnhancedFinding {
    let details = f.package_vulnerability_details();
    EnhancedFinding {
        finding_arn: s(f.finding_arn()),
        title: s(f.title()),
        description: s(f.description()),
        severity: s(f.severity()),
        score: Some(f.score()),
        score_details_cvss: f.score_details().and_then(|d| d.cvss()).map(|c| c.score()),
        fix_available: s(f.fix_available()),
        vulnerability_id: s(details.and_then(|d| d.vulnerability_id())),
        source_url: s(details.and_then(|d| d.source_url())),
        reference_urls: details
            .map(|d| d.reference_urls().to_vec())
            .unwrap_or_default(),
        remediation_url: s(f
            .remediation()
            .and_then(|r| r.recommendation())
            .and_then(|r| r.url())),
        cvss_base_scores: details
            .map(|d| d.cvss().iter().map(|c| c.base_score()).collect())
            .unwrap_or_default(),
        packages: details
            .map(|d| {
                d.vulnerable_packages()
                    .iter()
                    .map(|p| VulnerablePackage {
                        name: s(p.name()),
                        version: s(p.version()),
                        fixed_in_version: s(p.fixed_in_version()),
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ecr::types::{
        Attribute, CvssScore, CvssScoreDetails, FindingSeverity, ImageScanFindings,
        ImageScanStatus, PackageVulnerabilityDetails, ScanStatus, ScoreDetails,
        VulnerablePackage as SdkPackage,
    };
    use aws_smithy_types::DateTime;

    #[test]
    fn sdk_output_maps_to_a_page() {
        let basic = ImageScanFinding::builder()
            .name("CVE-9999-9999")
            .severity(FindingSeverity::High)
            .uri("https://cve.example/9999")
            .attributes(
                Attribute::builder()
                    .key("package_name")
                    .value("moto_fake")
                    .build()
                    .unwrap(),
            )
            .attributes(
                Attribute::builder()
                    .key("CVSS2_SCORE")
                    .value("7.5")
                    .build()
                    .unwrap(),
            )
            .build();
        let enhanced = EnhancedImageScanFinding::builder()
            .severity("CRITICAL")
            .title("CVE-2024-0001 - openssl")
            .fix_available("YES")
            .score_details(
                ScoreDetails::builder()
                    .cvss(CvssScoreDetails::builder().score(9.8).build())
                    .build(),
            )
            .package_vulnerability_details(
                PackageVulnerabilityDetails::builder()
                    .vulnerability_id("CVE-2024-0001")
                    .source_url("https://nvd.example/CVE-2024-0001")
                    .cvss(CvssScore::builder().base_score(9.1).build())
                    .vulnerable_packages(
                        SdkPackage::builder()
                            .name("openssl")
                            .version("3.0.1")
                            .fixed_in_version("3.0.2")
                            .build(),
                    )
                    .build(),
            )
            .build();
        let out = DescribeImageScanFindingsOutput::builder()
            .image_id(
                ImageIdentifier::builder()
                    .image_digest("sha256:abc")
                    .build(),
            )
            .image_scan_status(
                ImageScanStatus::builder()
                    .status(ScanStatus::Complete)
                    .description("done")
                    .build(),
            )
            .image_scan_findings(
                ImageScanFindings::builder()
                    .image_scan_completed_at(DateTime::from_secs(1_700_000_000))
                    .finding_severity_counts(FindingSeverity::High, 1)
                    .finding_severity_counts(FindingSeverity::from("UNTRIAGED"), 2)
                    .findings(basic)
                    .enhanced_findings(enhanced)
                    .build(),
            )
            .next_token("")
            .build();
        let p = page_from_output(&out);
        assert_eq!(p.status.as_deref(), Some("COMPLETE"));
        assert_eq!(p.image_digest.as_deref(), Some("sha256:abc"));
        assert_eq!(p.completed_at, Some(1_700_000_000));
        assert_eq!((p.counts["HIGH"], p.counts["UNTRIAGED"]), (1, 2));
        assert_eq!(p.next_token, None, "an empty token ends paging");
        let b = crate::scanning::normalise_basic(&p.basic[0]);
        assert_eq!(
            (b.package_name.as_deref(), b.cvss_score),
            (Some("moto_fake"), Some(7.5))
        );
        let e = crate::scanning::normalise_enhanced(&p.enhanced[0]);
        assert_eq!(e.name, "CVE-2024-0001");
        assert_eq!(
            (
                e.cvss_score,
                e.fixed_in_version.as_deref(),
                e.uri.as_deref()
            ),
            (
                Some(9.8),
                Some("3.0.2"),
                Some("https://nvd.example/CVE-2024-0001")
            )
        );
    }
}
