//! Posture findings ([`crate::posture`]) as diagnostics, in the provider's `posture_checks` mode.

use crate::framework::{AttrPath, Diagnostics};
use crate::posture::{self, Finding, Mode};

/// Reports `findings` in `mode` on `diags`, skipping ids in `ignore`; `resource` is the
/// Terraform type (for the message).
pub fn report(
    findings: Vec<Finding>,
    mode: Mode,
    ignore: &[String],
    resource: &str,
    diags: &mut Diagnostics,
) {
    for n in posture::notices(findings, mode, ignore, resource) {
        match (n.blocking, n.attribute) {
            (true, Some(a)) => diags.attr_error(AttrPath::attr(a), n.summary, n.detail),
            (true, None) => diags.error(n.summary, n.detail),
            (false, Some(a)) => diags.attr_warning(AttrPath::attr(a), n.summary, n.detail),
            (false, None) => diags.warning(n.summary, n.detail),
        }
    }
}

/// Validates a `posture_ignore` list (attribute `attr`): each entry must be a known check id.
pub fn validate_ignore(list: &[String], attr: &str, diags: &mut Diagnostics) {
    for (i, why) in posture::unknown_ignore_ids(list, attr) {
        diags.attr_error(
            AttrPath::attr(attr).then_index(i),
            "Unknown posture check id",
            why,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::posture::{repository_findings, RepositoryFacts};
    use crate::protocol::diagnostics::Severity;

    fn posture_hardened() -> RepositoryFacts<'static> {
        RepositoryFacts {
            name: "app",
            mutability: Some("IMMUTABLE"),
            scan_on_push: Some(true),
            registry_scanning: false,
            encryption_type: Some("KMS"),
        }
    }

    #[test]
    fn report_modes_and_ignore() {
        let f = || {
            repository_findings(&RepositoryFacts {
                mutability: Some("MUTABLE"),
                encryption_type: Some("AES256"),
                ..posture_hardened()
            })
        };
        let mut d = Diagnostics::new();
        report(f(), Mode::Warn, &[], "ecr_repository", &mut d);
        assert_eq!(d.0.len(), 2);
        assert!(d.0.iter().all(|x| x.severity == Severity::Warning));
        assert!(d.0[0].summary.starts_with("ECR-P001"));
        assert!(
            d.0[0].detail.contains("Fix: set image_tag_mutability"),
            "{}",
            d.0[0].detail
        );
        assert!(d.0[0].detail.contains("posture_ignore"));
        assert_eq!(
            d.0[0].attribute,
            Some(AttrPath::attr("image_tag_mutability"))
        );

        let mut d = Diagnostics::new();
        report(f(), Mode::Error, &[], "ecr_repository", &mut d);
        assert!(d.has_errors());
        let mut d = Diagnostics::new();
        report(f(), Mode::Off, &[], "ecr_repository", &mut d);
        assert!(d.is_empty());
        let mut d = Diagnostics::new();
        report(
            f(),
            Mode::Warn,
            &["ECR-P001".into()],
            "ecr_repository",
            &mut d,
        );
        assert_eq!(d.0.len(), 1);
        assert!(d.0[0].summary.starts_with("ECR-P003"));
    }

    #[test]
    fn ignore_lists_name_known_ids() {
        let mut d = Diagnostics::new();
        validate_ignore(&["ECR-P001".into(), "P2".into()], "posture_ignore", &mut d);
        assert_eq!(d.0.len(), 1);
        assert_eq!(
            d.0[0].attribute,
            Some(AttrPath::attr("posture_ignore").then_index(1))
        );
    }
}
