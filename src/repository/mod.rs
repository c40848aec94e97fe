//! Private ECR repository rules: names, tag mutability modes and their exclusion filters,
//! image digests, encryption types. Pure: no AWS, gRPC or framework types (see `docs/design/ecr-limits.md`).

use std::sync::LazyLock;

use regex::Regex;

/// AWS's repository-name pattern (OCI style, since 2026-04): path components of lowercase
/// letters and digits separated by `.`, `_`, `__` or runs of `-`, joined by `/`.
pub static NAME_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$")
        .expect("valid regex")
});
pub const NAME_MIN: usize = 2;
pub const NAME_MAX: usize = 256;

/// How a name breaking [`NAME_RE`] is put right.
pub const NAME_HINT: &str = "use lowercase letters and digits, separated by '.', '_', '__' or '-', with '/' between path components (no leading, trailing or double separators)";

/// Why `name` is not a valid repository name, or `None` when it is (for import ids and
/// command-line arguments).
pub fn check_name(name: &str) -> Option<String> {
    let n = name.chars().count();
    if !(NAME_MIN..=NAME_MAX).contains(&n) {
        return Some(format!(
            "must be {NAME_MIN} to {NAME_MAX} characters long; {name:?} has {n}"
        ));
    }
    if !NAME_RE.is_match(name) {
        return Some(format!(
            "{name:?} is not a valid repository name: {NAME_HINT}"
        ));
    }
    None
}

/// `image_tag_mutability` values.
pub const MUTABILITY: &[&str] = &[
    "MUTABLE",
    "IMMUTABLE",
    "IMMUTABLE_WITH_EXCLUSION",
    "MUTABLE_WITH_EXCLUSION",
];

/// Tag filters of `image_tag_mutability_exclusion_filter`: 1–128 characters.
pub static FILTER_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[0-9a-zA-Z._*-]{1,128}$").expect("valid regex"));

/// More wildcards than this in one exclusion filter is a warning: AWS documents no limit, its
/// examples use one or two (docs/design/validation.md).
pub const FILTER_MAX_WILDCARDS: usize = 2;

/// An image digest (OCI): `algorithm:hex`, e.g. `sha256:<64 hex digits>`.
pub static DIGEST_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$").expect("valid regex")
});

/// `encryption_type` values.
pub const ENCRYPTION: &[&str] = &["AES256", "KMS", "KMS_DSSE"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_names() {
        for ok in ["ab", "my-org/app", "a__b", "a---b", "x.y_z/w", "0a"] {
            assert!(NAME_RE.is_match(ok), "{ok}");
            assert_eq!(check_name(ok), None);
        }
        for bad in ["Bad_Name!", "-a", "a-", "a//b", "/a", "a/", "A", "a b"] {
            assert!(!NAME_RE.is_match(bad), "{bad}");
            assert!(check_name(bad).is_some(), "{bad}");
        }
        assert!(check_name("a").is_some());
        assert!(check_name(&"a".repeat(257)).unwrap().contains("has 257"));
    }
}
