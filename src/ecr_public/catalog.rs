//! Repository catalog data as the ECR Public Gallery shows it: text limits, badge values and
//! the logo payload.

use base64::Engine;

/// `RepositoryDescription` max length (characters).
pub const DESCRIPTION_MAX: usize = 1024;
/// `AboutText` max length (characters, Markdown).
pub const ABOUT_TEXT_MAX: usize = 25_600;
/// `UsageText` max length (characters, Markdown).
pub const USAGE_TEXT_MAX: usize = 25_600;
/// `LogoImageBlob` max size, in bytes after base64 decoding.
pub const LOGO_MAX_BYTES: usize = 512_000;
/// `ArchitectureList` / `OperatingSystemList` max items.
pub const LIST_MAX: usize = 50;

/// Architectures the Gallery shows as badges and search filters.
pub const ARCHITECTURES: &[&str] = &["ARM", "ARM 64", "x86", "x86-64"];
/// Operating systems the Gallery shows as badges and search filters.
pub const OPERATING_SYSTEMS: &[&str] = &["Linux", "Windows"];

/// Spellings people use for the Gallery values (Docker/Go/uname names).
const ALIASES: &[(&str, &str)] = &[
    ("arm64", "ARM 64"),
    ("aarch64", "ARM 64"),
    ("arm64v8", "ARM 64"),
    ("arm 64", "ARM 64"),
    ("arm", "ARM"),
    ("armv7", "ARM"),
    ("arm32", "ARM"),
    ("armhf", "ARM"),
    ("amd64", "x86-64"),
    ("x86_64", "x86-64"),
    ("x64", "x86-64"),
    ("x86-64", "x86-64"),
    ("386", "x86"),
    ("i386", "x86"),
    ("i686", "x86"),
    ("x86", "x86"),
    ("linux", "Linux"),
    ("windows", "Windows"),
];

/// Why `value` is not one of `allowed` (with a suggestion when it is a known spelling of one),
/// or `None` when it is allowed. `what` names the list, e.g. "architecture".
pub fn check_badge(what: &str, value: &str, allowed: &[&str]) -> Option<String> {
    if allowed.contains(&value) {
        return None;
    }
    let quoted: Vec<String> = allowed.iter().map(|a| format!("{a:?}")).collect();
    let lower = value.trim().to_ascii_lowercase();
    let suggestion = ALIASES
        .iter()
        .find(|(alias, _)| *alias == lower)
        .map(|(_, v)| *v)
        .or_else(|| {
            allowed
                .iter()
                .copied()
                .find(|a| a.eq_ignore_ascii_case(value.trim()))
        })
        .filter(|s| allowed.contains(s));
    let hint = match suggestion {
        Some(s) => format!(" Did you mean {s:?}?"),
        None => String::new(),
    };
    Some(format!(
        "{value:?} is not an ECR Public Gallery {what}: use {} (exact spelling). The API stores other values but the Gallery neither shows nor finds them.{hint}",
        quoted.join(", ")
    ))
}

/// Why the text is too long, or `None`.
pub fn check_max_chars(s: &str, max: usize) -> Option<String> {
    let n = s.chars().count();
    (n > max).then(|| format!("must be at most {max} characters; it has {n}"))
}

/// Decodes the base64 logo and checks its size. The error never echoes the payload.
pub fn decode_logo(b64: &str) -> Result<Vec<u8>, String> {
    let compact: String = b64.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|e| {
            format!("must be base64-encoded image data (use filebase64(\"logo.png\")): {e}")
        })?;
    if bytes.len() > LOGO_MAX_BYTES {
        return Err(format!(
            "the decoded logo is {} bytes; ECR Public allows at most {LOGO_MAX_BYTES} bytes",
            bytes.len()
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badges_accept_exact_gallery_values_only() {
        for a in ARCHITECTURES {
            assert_eq!(check_badge("architecture", a, ARCHITECTURES), None);
        }
        for o in OPERATING_SYSTEMS {
            assert_eq!(check_badge("operating system", o, OPERATING_SYSTEMS), None);
        }
        let m = check_badge("architecture", "arm64", ARCHITECTURES).unwrap();
        assert!(m.contains("Did you mean \"ARM 64\"?"), "{m}");
        assert!(
            m.contains("\"ARM\", \"ARM 64\", \"x86\", \"x86-64\""),
            "{m}"
        );
        let m = check_badge("architecture", "amd64", ARCHITECTURES).unwrap();
        assert!(m.contains("\"x86-64\"?"), "{m}");
        let m = check_badge("operating system", "linux", OPERATING_SYSTEMS).unwrap();
        assert!(m.contains("Did you mean \"Linux\"?"), "{m}");
        let m = check_badge("operating system", "Plan9", OPERATING_SYSTEMS).unwrap();
        assert!(!m.contains("Did you mean"), "{m}");
        // An OS alias never suggests an architecture and vice versa.
        let m = check_badge("operating system", "arm64", OPERATING_SYSTEMS).unwrap();
        assert!(!m.contains("Did you mean"), "{m}");
    }

    #[test]
    fn text_limits_count_characters() {
        assert_eq!(
            check_max_chars(&"é".repeat(DESCRIPTION_MAX), DESCRIPTION_MAX),
            None
        );
        let m = check_max_chars(&"é".repeat(DESCRIPTION_MAX + 1), DESCRIPTION_MAX).unwrap();
        assert!(m.contains("1024") && m.contains("1025"), "{m}");
    }

    #[test]
    fn logo_is_base64_within_512000_bytes() {
        let b64 = |n: usize| base64::engine::general_purpose::STANDARD.encode(vec![7u8; n]);
        assert_eq!(decode_logo(&b64(3)).unwrap(), vec![7, 7, 7]);
        assert_eq!(
            decode_logo(&b64(LOGO_MAX_BYTES)).unwrap().len(),
            LOGO_MAX_BYTES
        );
        let too_big = decode_logo(&b64(LOGO_MAX_BYTES + 1)).unwrap_err();
        assert!(too_big.contains("512001 bytes"), "{too_big}");
        let bad = decode_logo("not base64!!").unwrap_err();
        assert!(
            bad.contains("base64") && !bad.contains("not base64!!"),
            "{bad}"
        );
        // Line-wrapped base64 (as `base64` prints it) is fine.
        let wrapped = format!("{}\n{}", &b64(60)[..40], &b64(60)[40..]);
        assert_eq!(decode_logo(&wrapped).unwrap().len(), 60);
    }
}
