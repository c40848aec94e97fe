//! The go-plugin handshake: the magic cookie, protocol-version negotiation and the one line on
//! stdout that tells the client where to connect.

use base64::Engine as _;

/// Environment variable and value Terraform and OpenTofu use as the magic cookie.
pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
pub const MAGIC_COOKIE_VALUE: &str =
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/// go-plugin's core protocol version (field 1 of the handshake line).
pub const CORE_PROTOCOL_VERSION: u32 = 1;

/// Application protocol majors this binary speaks.
pub const SUPPORTED_APP_VERSIONS: &[u32] = &[6];

/// What a person sees when running the binary by hand.
pub const NOT_A_PROGRAM_MESSAGE: &str =
    "This binary is a plugin. These are not meant to be executed directly.
Please execute the program that consumes these plugins, which will
load any plugins automatically (for this provider: terraform or tofu).
For the CLI subcommands, run: terraform-provider-ecr --help";

/// Checks the magic cookie; `Err` carries the message to print on stderr.
pub fn check_magic_cookie(value: Option<&str>) -> Result<(), &'static str> {
    match value {
        Some(v) if v == MAGIC_COOKIE_VALUE => Ok(()),
        _ => Err(NOT_A_PROGRAM_MESSAGE),
    }
}

/// Picks the highest protocol major both sides support. The client's list is unordered
/// (Terraform builds it from a Go map), so order must not matter.
pub fn negotiate_version(client_versions: Option<&str>) -> Result<u32, String> {
    let Some(list) = client_versions.filter(|s| !s.trim().is_empty()) else {
        // Old clients that send nothing expect the server's default (highest) version.
        return Ok(*SUPPORTED_APP_VERSIONS.iter().max().unwrap_or(&6));
    };
    let mut offered: Vec<u32> = Vec::new();
    for part in list.split(',') {
        let part = part.trim();
        match part.parse::<u32>() {
            Ok(v) => offered.push(v),
            Err(_) => return Err(format!("invalid PLUGIN_PROTOCOL_VERSIONS entry {part:?}")),
        }
    }
    offered
        .iter()
        .filter(|v| SUPPORTED_APP_VERSIONS.contains(v))
        .max()
        .copied()
        .ok_or_else(|| {
            format!(
                "this provider speaks plugin protocol {SUPPORTED_APP_VERSIONS:?}, the client offered {offered:?}"
            )
        })
}

/// Where the server listens, as written in the handshake line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListenAddr {
    Tcp(std::net::SocketAddr),
    Unix(std::path::PathBuf),
}

impl ListenAddr {
    pub fn network(&self) -> &'static str {
        match self {
            ListenAddr::Tcp(_) => "tcp",
            ListenAddr::Unix(_) => "unix",
        }
    }
    pub fn address(&self) -> String {
        match self {
            ListenAddr::Tcp(a) => a.to_string(),
            ListenAddr::Unix(p) => p.display().to_string(),
        }
    }
}

/// `CORE|APP|NETWORK|ADDR|grpc|CERT`. The certificate is the DER of our leaf, base64 with the
/// standard alphabet and no padding (go-plugin decodes with RawStdEncoding; padding breaks it).
/// No seventh field: old clients split on the first six separators only.
pub fn handshake_line(
    app_version: u32,
    addr: &ListenAddr,
    server_cert_der: Option<&[u8]>,
) -> String {
    let cert = server_cert_der
        .map(|der| base64::engine::general_purpose::STANDARD_NO_PAD.encode(der))
        .unwrap_or_default();
    format!(
        "{CORE_PROTOCOL_VERSION}|{app_version}|{}|{}|grpc|{cert}",
        addr.network(),
        addr.address()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_must_match_exactly() {
        assert!(check_magic_cookie(Some(MAGIC_COOKIE_VALUE)).is_ok());
        assert!(check_magic_cookie(None).is_err());
        assert!(check_magic_cookie(Some("nope")).is_err());
        assert!(check_magic_cookie(Some(&MAGIC_COOKIE_VALUE[1..])).is_err());
    }

    #[test]
    fn negotiation_ignores_order() {
        assert_eq!(negotiate_version(Some("5,6")), Ok(6));
        assert_eq!(negotiate_version(Some("6,5")), Ok(6));
        assert_eq!(negotiate_version(Some(" 6 ")), Ok(6));
        assert_eq!(negotiate_version(None), Ok(6));
    }

    #[test]
    fn negotiation_fails_without_common_version() {
        let err = negotiate_version(Some("4,5")).unwrap_err();
        assert!(err.contains("[6]"), "{err}");
        assert!(negotiate_version(Some("5,x")).is_err());
    }

    #[test]
    fn line_has_six_fields_and_unpadded_base64() {
        let addr = ListenAddr::Tcp("127.0.0.1:10001".parse().unwrap());
        // 52 bytes => standard base64 would end with padding.
        let der = vec![7u8; 52];
        let line = handshake_line(6, &addr, Some(&der));
        let fields: Vec<&str> = line.split('|').collect();
        assert_eq!(fields.len(), 6);
        assert_eq!(&fields[..5], &["1", "6", "tcp", "127.0.0.1:10001", "grpc"]);
        assert!(!fields[5].contains('='));
        let decoded = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(fields[5])
            .unwrap();
        assert_eq!(decoded, der);
    }

    #[test]
    fn plaintext_line_has_empty_cert_field() {
        let addr = ListenAddr::Unix("/tmp/plugin123".into());
        assert_eq!(
            handshake_line(6, &addr, None),
            "1|6|unix|/tmp/plugin123|grpc|"
        );
    }
}
