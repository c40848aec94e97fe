//! The syntax of what lookups are given (digests, tags, registry ids, tag patterns, times) and
//! of what they build (repository URLs, image URIs). Each check returns why a value is refused,
//! citing the rule; `None` means the value is fine.

use super::Stamp;
use crate::timestamp;

/// `ImageTag` in the ECR API model: 1–300 characters.
pub const TAG_MAX: usize = 300;

/// Why `d` is not an image digest. The grammar is the OCI image spec's (descriptor.md,
/// "Digests"): `algorithm ":" encoded`, algorithm components `[a-z0-9]+` joined by `+ . _ -`,
/// encoded `[a-zA-Z0-9=_-]+`; for the registered algorithms `sha256` and `sha512` the encoded
/// part must be 64 / 128 lowercase hex digits.
pub fn check_digest(d: &str) -> Option<String> {
    const SHAPE: &str = "an image digest is algorithm:hex, such as sha256: followed by 64 lowercase hex digits (OCI image spec, descriptor digests)";
    let Some((algorithm, encoded)) = d.split_once(':') else {
        return Some(format!("{d:?} has no ':'; {SHAPE}"));
    };
    let component_ok = |c: &str| {
        !c.is_empty()
            && c.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    if !algorithm.split(['+', '.', '_', '-']).all(component_ok) {
        return Some(format!(
            "{d:?} has an invalid algorithm {algorithm:?}; {SHAPE}"
        ));
    }
    if encoded.is_empty()
        || !encoded
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'=' || b == b'_' || b == b'-')
    {
        return Some(format!("{d:?} has an invalid encoded part; {SHAPE}"));
    }
    let hex = |n: usize| {
        encoded.len() == n
            && encoded
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    };
    match algorithm {
        "sha256" if !hex(64) => Some(format!(
            "{d:?}: a sha256 digest has exactly 64 lowercase hex digits after 'sha256:' (it has {} characters)",
            encoded.len()
        )),
        "sha512" if !hex(128) => Some(format!(
            "{d:?}: a sha512 digest has exactly 128 lowercase hex digits after 'sha512:'"
        )),
        _ => None,
    }
}

/// A warning for a well-formed digest ECR never produces (ECR computes sha256 digests).
pub fn digest_warning(d: &str) -> Option<String> {
    match d.split_once(':') {
        Some(("sha256", _)) | None => None,
        Some((a, _)) => Some(format!(
            "ECR identifies images by sha256 digests; no image has the {a} digest {d:?}."
        )),
    }
}

/// Why `t` is not an image tag: `ImageTag` is 1–300 characters in the ECR API model.
pub fn check_tag(t: &str) -> Option<String> {
    let n = t.chars().count();
    (n == 0 || n > TAG_MAX).then(|| {
        format!("an image tag is 1 to {TAG_MAX} characters (ECR API, ImageTag); {t:?} has {n}")
    })
}

/// Why `id` is not a registry id: `RegistryId` is `[0-9]{12}` in the ECR API model.
pub fn check_registry_id(id: &str) -> Option<String> {
    (id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit())).then(|| {
        format!("a registry id is a 12-digit AWS account id (ECR API, RegistryId); got {id:?}")
    })
}

/// A warning for a tag pattern no tag can match: tags are letters, digits, `_`, `.` and `-`
/// (the OCI distribution spec's tag grammar), so any other character besides `*` never matches.
pub fn pattern_warning(p: &str) -> Option<String> {
    let odd: String = p
        .chars()
        .filter(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '*')))
        .collect();
    (!odd.is_empty()).then(|| {
        format!(
            "The pattern {p:?} contains {odd:?}: image tags hold only letters, digits, '_', '.' and '-' (OCI distribution spec), so it matches no image."
        )
    })
}

/// DNS suffix of the registry hosts of `region`'s partition (the ones `image_uri` parses).
fn dns_suffix(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    }
}

/// `<registry>.dkr.ecr.<region>.<partition suffix>/<name>`: the `repositoryUri` ECR reports;
/// image URIs are built from it by `image_uri::build`.
pub fn repository_url(registry_id: &str, region: &str, name: &str) -> String {
    format!(
        "{registry_id}.dkr.ecr.{region}.{}/{name}",
        dns_suffix(region)
    )
}

/// An RFC 3339 time (`2026-01-31T00:00:00Z`, offsets and fractions allowed), keeping the
/// fraction: `pushed_after` compares with ECR's millisecond push times.
pub fn parse_time(s: &str) -> Result<Stamp, String> {
    let (secs, nanos) = timestamp::parse_rfc3339_precise(s)?;
    Ok(Stamp { secs, nanos })
}

/// RFC 3339 text (UTC, whole seconds, as hashicorp/aws writes image push times).
pub fn format_time(t: Stamp) -> String {
    timestamp::format_rfc3339(t.secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn digests_follow_the_oci_grammar() {
        assert_eq!(check_digest(D), None);
        assert_eq!(check_digest(&format!("sha512:{}", "ab".repeat(64))), None);
        assert_eq!(
            check_digest("multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8"),
            None
        );
        for bad in [
            "0123456789abcdef",                      // no algorithm
            "sha256:",                               // nothing encoded
            "SHA256:0123",                           // uppercase algorithm
            "sha256:0123456789abcdef",               // too short
            &D.to_uppercase().replace("SHA", "sha"), // uppercase hex
            "sha256:01/23",
            ":abc",
        ] {
            assert!(check_digest(bad).is_some(), "{bad}");
        }
        assert!(check_digest("sha256:abc")
            .unwrap()
            .contains("64 lowercase hex"));
        assert_eq!(digest_warning(D), None);
        assert!(digest_warning("sha512:ab").unwrap().contains("sha256"));
    }

    #[test]
    fn tags_registry_ids_and_patterns() {
        assert_eq!(check_tag("v1.2.3"), None);
        assert!(check_tag("").is_some());
        assert_eq!(check_tag(&"a".repeat(300)), None);
        assert!(check_tag(&"a".repeat(301)).unwrap().contains("has 301"));
        assert_eq!(check_registry_id("123456789012"), None);
        for bad in ["12345678901", "1234567890123", "12345678901a"] {
            assert!(check_registry_id(bad).is_some(), "{bad}");
        }
        assert_eq!(pattern_warning("v*-rc*"), None);
        assert!(pattern_warning("team/app*").unwrap().contains("\"/\""));
    }

    #[test]
    fn urls_and_uris() {
        let url = repository_url("123456789012", "eu-west-1", "my-org/app");
        assert_eq!(
            url,
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-org/app"
        );
        assert_eq!(
            repository_url("123456789012", "cn-north-1", "a"),
            "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/a"
        );
        // What `image_uri::parse` reads back as the same registry, region and repository.
        let back = crate::image_uri::parse(&url).unwrap();
        assert_eq!(
            (
                back.registry_id.as_str(),
                back.region.as_str(),
                back.repository_name.as_str()
            ),
            ("123456789012", "eu-west-1", "my-org/app")
        );
    }

    #[test]
    fn times_round_trip() {
        let t = parse_time("2026-01-31T10:00:00.250+01:00").unwrap();
        assert_eq!((t.secs, t.nanos), (1_769_850_000, 250_000_000));
        assert_eq!(format_time(t), "2026-01-31T09:00:00Z");
        assert!(parse_time("yesterday").is_err());
    }
}
