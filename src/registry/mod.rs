//! Registry-wide ECR settings as a pure domain: replication rules, repository creation
//! templates, account settings, signing rules and pull-time update exclusions. Every limit and
//! cross-field rule AWS documents for `PutReplicationConfiguration`,
//! `Create/UpdateRepositoryCreationTemplate`, `PutAccountSetting`, `PutSigningConfiguration` and
//! `RegisterPullTimeUpdateExclusion` lives here, with where it comes from in
//! `docs/design/registry-resources.md`. No AWS, gRPC, protocol or framework types: checks report
//! [`Problem`]s with a relative attribute path, which the resource layer turns into diagnostics.

pub mod account_setting;
pub mod arn;
pub mod pull_time;
pub mod replication;
pub mod signing;
pub mod template;

/// One step of an attribute path, relative to what was checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Attr(&'static str),
    Index(usize),
}

/// Something a check found: an error AWS documents refusing, or a warning for what is merely
/// unusual.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: Vec<Step>,
    pub error: bool,
    pub summary: String,
    pub detail: String,
}

/// Findings collected by the checks of this module.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn error(
        &mut self,
        path: Vec<Step>,
        summary: impl Into<String>,
        detail: impl Into<String>,
    ) {
        self.push(path, true, summary.into(), detail.into());
    }
    pub fn warning(
        &mut self,
        path: Vec<Step>,
        summary: impl Into<String>,
        detail: impl Into<String>,
    ) {
        self.push(path, false, summary.into(), detail.into());
    }
    fn push(&mut self, path: Vec<Step>, error: bool, summary: String, detail: String) {
        self.0.push(Problem {
            path,
            error,
            summary,
            detail,
        });
    }
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|p| p.error)
    }
    /// The paths of the findings, rendered `a[0].b`, for tests.
    #[cfg(test)]
    pub fn paths(&self) -> Vec<String> {
        self.0.iter().map(|p| render(&p.path)).collect()
    }
}

/// `a[0].b` form of a path (tests; diagnostics carry the path itself).
#[cfg(test)]
pub fn render(path: &[Step]) -> String {
    let mut s = String::new();
    for step in path {
        match step {
            Step::Attr(a) if s.is_empty() => s.push_str(a),
            Step::Attr(a) => {
                s.push('.');
                s.push_str(a);
            }
            Step::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// A path extended by more steps.
pub fn at(base: &[Step], more: &[Step]) -> Vec<Step> {
    base.iter().chain(more).cloned().collect()
}

/// Where the registry being configured is: the provider's region and account, when known at
/// plan time.
#[derive(Clone, Copy, Debug, Default)]
pub struct Registry<'a> {
    pub region: Option<&'a str>,
    pub account: Option<&'a str>,
}

impl Registry<'_> {
    /// The partition of the registry's region.
    pub fn partition(&self) -> Option<&'static str> {
        self.region.map(arn::partition_of_region)
    }
}

/// Whether `s` is an AWS account id (12 digits).
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_render_like_terraform() {
        let p = at(
            &[Step::Attr("rule"), Step::Index(2)],
            &[
                Step::Attr("destination"),
                Step::Index(0),
                Step::Attr("region"),
            ],
        );
        assert_eq!(render(&p), "rule[2].destination[0].region");
        let mut ps = Problems::default();
        ps.warning(vec![Step::Attr("a")], "w", "x");
        assert!(!ps.has_errors());
        ps.error(p, "e", "y");
        assert!(ps.has_errors());
        assert_eq!(ps.paths(), ["a", "rule[2].destination[0].region"]);
    }

    #[test]
    fn account_ids() {
        assert!(is_account_id("123456789012"));
        for bad in ["12345678901", "1234567890123", "12345678901a", ""] {
            assert!(!is_account_id(bad), "{bad}");
        }
    }
}
