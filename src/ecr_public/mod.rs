//! ECR Public domain rules: repository names, Gallery catalog data limits and values, and
//! repository policy JSON (validation and IAM-equivalent comparison). Pure: no AWS, no gRPC.
//!
//! Limits come from the ECR Public API model (`ecr-public` 2020-10-30, as shipped with
//! botocore/aws-sdk-ecrpublic); the Gallery badge values from the API reference of
//! `RepositoryCatalogDataInput`.

pub mod catalog;
pub mod policy;

use std::sync::LazyLock;

use regex::Regex;

/// The API model's `RepositoryName` pattern (anchored): path components of lowercase letters
/// and digits separated by single `.`, `_` or `-`.
pub static NAME_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$")
        .expect("valid regex")
});
pub const NAME_MIN: usize = 2;
pub const NAME_MAX: usize = 205;

/// Why `name` is not a valid ECR Public repository name, or `None` when it is.
pub fn check_name(name: &str) -> Option<String> {
    let n = name.chars().count();
    if !(NAME_MIN..=NAME_MAX).contains(&n) {
        return Some(format!(
            "must be {NAME_MIN} to {NAME_MAX} characters long; {name:?} has {n}"
        ));
    }
    if !NAME_RE.is_match(name) {
        return Some(format!(
            "{name:?} is not a valid ECR Public repository name: use lowercase letters and digits, separated by a single '.', '_' or '-', with '/' between path components (no leading, trailing or double separators)"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_api_model() {
        for ok in ["ab", "my-org/my-tool", "a.b_c-d/e0", "0a"] {
            assert_eq!(check_name(ok), None, "{ok}");
        }
        // Private ECR allows "__" and runs of "-"; ECR Public's model does not.
        for bad in [
            "a", "My-Tool", "a__b", "a--b", "-a", "a/", "/a", "a//b", "a b",
        ] {
            assert!(check_name(bad).is_some(), "{bad}");
        }
        assert!(check_name(&"a".repeat(206)).unwrap().contains("205"));
        assert_eq!(check_name(&"a".repeat(205)), None);
    }
}
