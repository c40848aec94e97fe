//! Times as the provider reads and writes them: RFC 3339 text and Unix seconds. The one place
//! time is parsed or formatted (attributes such as `now` and `expires_at`, messages, the CLI).

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Unix seconds of an RFC 3339 time (`2026-01-31T00:00:00Z`, offsets and fractions allowed;
/// a space instead of `T`, as some tools print, is accepted).
pub fn parse_rfc3339(s: &str) -> Result<i64, String> {
    let s = s.trim();
    let fixed;
    let s = if s.len() > 10
        && s.as_bytes()[10] == b' '
        && s.is_char_boundary(10)
        && s.is_char_boundary(11)
    {
        fixed = format!("{}T{}", &s[..10], &s[11..]);
        fixed.as_str()
    } else {
        s
    };
    OffsetDateTime::parse(s, &Rfc3339)
        .map(|t| t.unix_timestamp())
        .map_err(|e| e.to_string())
}

/// Like [`parse_rfc3339`], with the fraction of the second kept: (seconds, nanoseconds).
pub fn parse_rfc3339_precise(s: &str) -> Result<(i64, u32), String> {
    let secs = parse_rfc3339(s)?;
    let nanos = OffsetDateTime::parse(s.trim(), &Rfc3339)
        .map(|t| t.nanosecond())
        .unwrap_or(0);
    Ok((secs, nanos))
}

/// RFC 3339 text (UTC) of Unix seconds; the seconds themselves when out of range.
pub fn format_rfc3339(secs: i64) -> String {
    OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| secs.to_string())
}

/// Unix seconds now.
pub fn now_secs() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_both_ways() {
        assert_eq!(parse_rfc3339("1970-01-02T00:00:00Z"), Ok(86_400));
        assert_eq!(parse_rfc3339("1970-01-02T01:00:00.5+01:00"), Ok(86_400));
        assert_eq!(parse_rfc3339("1970-01-02 00:00:00Z"), Ok(86_400));
        assert!(parse_rfc3339("1970-01-02").is_err());
        assert!(parse_rfc3339("é").is_err());
        assert!(parse_rfc3339("1970-01-0é 00:00:00Z").is_err());
        assert_eq!(format_rfc3339(86_400), "1970-01-02T00:00:00Z");
        assert_eq!(
            parse_rfc3339_precise("1970-01-02T01:00:00.25+01:00"),
            Ok((86_400, 250_000_000))
        );
        assert_eq!(format_rfc3339(1_795_000_000 - 3600), "2026-11-18T10:06:40Z");
        assert!(now_secs() > 1_700_000_000);
    }
}
