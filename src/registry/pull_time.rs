//! Pull-time update exclusions (`RegisterPullTimeUpdateExclusion`): IAM principals whose pulls
//! do not update an image's last recorded pull time.

use std::sync::LazyLock;

use regex::Regex;

use super::arn::Arn;
use super::{Problems, Registry, Step};

/// `PrincipalArn`: an IAM role or user ARN, at most 200 characters.
pub static PRINCIPAL_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^arn:aws(-[a-z]+)*:iam::[0-9]{12}:(role|user)/[\w+=,.@-]+(/[\w+=,.@-]+)*$")
        .expect("valid regex")
});
pub const PRINCIPAL_MAX: usize = 200;
/// Exclusions a registry holds (`PullTimeUpdateExclusionList`, max 100; more is refused with
/// `LimitExceededException`).
pub const MAX_EXCLUSIONS: usize = 100;

/// Checks a principal ARN (`principal_arn`).
pub fn check_principal(s: &str, registry: Registry, out: &mut Problems) {
    let path = || vec![Step::Attr("principal_arn")];
    if s.chars().count() > PRINCIPAL_MAX || !PRINCIPAL_RE.is_match(s) {
        let hint = if s.contains(":sts:") {
            " An STS assumed-role session ARN changes with every session: name the role (arn:aws:iam::<account>:role/<name>) instead."
        } else {
            ""
        };
        out.error(path(), "Invalid principal_arn", format!("principal_arn {s:?} must be an IAM role or user ARN (arn:<partition>:iam::<account>:role/<name> or :user/<name>), at most {PRINCIPAL_MAX} characters.{hint}"));
        return;
    }
    if let (Ok(arn), Some(partition)) = (Arn::parse(s), registry.partition()) {
        if arn.partition != partition {
            out.error(path(), "principal_arn in another partition", format!("principal_arn is in partition {:?} but this registry is in {partition:?}; no principal of another partition can pull from it.", arn.partition));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> Problems {
        let mut p = Problems::default();
        check_principal(
            s,
            Registry {
                region: Some("us-east-1"),
                account: Some("111122223333"),
            },
            &mut p,
        );
        p
    }

    #[test]
    fn roles_and_users_only() {
        for ok in [
            "arn:aws:iam::111122223333:role/scanner",
            "arn:aws:iam::444455556666:user/ops/bot",
            "arn:aws:iam::111122223333:role/a+b=c,d.e@f-g",
        ] {
            assert!(run(ok).0.is_empty(), "{ok}");
        }
        for bad in [
            "arn:aws:iam::111122223333:group/x",
            "arn:aws:sts::111122223333:assumed-role/r/s",
            "111122223333",
            "arn:aws:iam::1:role/x",
            "arn:aws-us-gov:iam::111122223333:role/x",
        ] {
            let p = run(bad);
            assert_eq!(p.paths(), ["principal_arn"], "{bad}");
            assert!(p.has_errors());
        }
        assert!(run("arn:aws:sts::111122223333:assumed-role/r/s").0[0]
            .detail
            .contains("name the role"));
        let long = format!("arn:aws:iam::111122223333:role/{}", "r".repeat(200));
        assert_eq!(run(&long).paths(), ["principal_arn"]);
    }
}
