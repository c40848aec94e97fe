//! What the domain validators (`policy`, `pullthrough`) report: one finding per problem, with
//! where it is, how bad it is, and what to do. The resources turn findings into Terraform
//! diagnostics and the CLI prints them, so both say the same thing about the same input.
//!
//! An `Error` is only what AWS documents (or was seen) refusing; everything else is a
//! `Warning` (see docs/design/validation.md).

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// AWS would refuse the input: `validate`/`plan` fails.
    Error,
    /// AWS accepts it, but it is probably not what was meant.
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem. `path` locates it in the input: a JSON path into a policy document
/// (`Statement[0].Action[1]`, empty for the whole document) or a rule field's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub path: String,
    pub summary: String,
    pub detail: String,
}

impl Finding {
    pub fn error(
        path: impl Into<String>,
        summary: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        Finding {
            severity: Severity::Error,
            path: path.into(),
            summary: summary.into(),
            detail: detail.into(),
        }
    }

    pub fn warning(
        path: impl Into<String>,
        summary: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(path, summary, detail)
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.summary, self.detail)
        } else {
            write!(f, "{}: {}: {}", self.path, self.summary, self.detail)
        }
    }
}

/// Whether any finding is an error (the input is invalid).
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(Finding::is_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_and_display() {
        let e = Finding::error(
            "Statement[0].Effect",
            "Invalid Effect",
            "must be Allow or Deny",
        );
        let w = Finding::warning("", "Empty policy", "no statements");
        assert!(e.is_error() && !w.is_error());
        assert!(has_errors(&[w.clone(), e.clone()]));
        assert!(!has_errors(&[w.clone()]));
        assert_eq!(
            e.to_string(),
            "Statement[0].Effect: Invalid Effect: must be Allow or Deny"
        );
        assert_eq!(w.to_string(), "Empty policy: no statements");
        assert_eq!(Severity::Warning.as_str(), "warning");
    }
}
