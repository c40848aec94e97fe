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

/// The go-plugin environment variables the server reads, captured once so that everything
/// derived from them ([`plan`]) is a pure function: unit-testable and fuzzable without touching
/// the process environment. `None` means unset (or not UTF-8, as `std::env::var` reports it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HandshakeEnv {
    /// `TF_PLUGIN_MAGIC_COOKIE`.
    pub magic_cookie: Option<String>,
    /// `PLUGIN_PROTOCOL_VERSIONS`.
    pub protocol_versions: Option<String>,
    /// `PLUGIN_MIN_PORT`.
    pub min_port: Option<String>,
    /// `PLUGIN_MAX_PORT`.
    pub max_port: Option<String>,
    /// `PLUGIN_UNIX_SOCKET_DIR` (set but empty means the system temporary directory).
    pub unix_socket_dir: Option<String>,
    /// `PLUGIN_CLIENT_CERT`: the PEM certificate Terraform will present (AutoMTLS).
    pub client_cert: Option<String>,
}

impl HandshakeEnv {
    /// Reads the variables from this process's environment.
    pub fn from_process() -> Self {
        let var = |k: &str| std::env::var(k).ok();
        HandshakeEnv {
            magic_cookie: var(MAGIC_COOKIE_KEY),
            protocol_versions: var("PLUGIN_PROTOCOL_VERSIONS"),
            min_port: var("PLUGIN_MIN_PORT"),
            max_port: var("PLUGIN_MAX_PORT"),
            unix_socket_dir: var("PLUGIN_UNIX_SOCKET_DIR"),
            client_cert: var("PLUGIN_CLIENT_CERT"),
        }
    }
}

/// Where to listen, decided from the environment (binding happens later, in the server).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListenPlan {
    /// A unix socket in this directory; `None` means the system temporary directory.
    Unix(Option<std::path::PathBuf>),
    /// TCP on 127.0.0.1, the first free port of this range.
    TcpRange(u16, u16),
    /// TCP on 127.0.0.1, any free port.
    TcpAny,
}

/// Everything the handshake decides before binding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandshakePlan {
    /// The application protocol major to announce.
    pub app_version: u32,
    pub listen: ListenPlan,
    /// The client certificate to pin; `None` serves plaintext.
    pub client_cert: Option<rustls::pki_types::CertificateDer<'static>>,
}

/// go-plugin's rules applied to `env`. In `debug` mode (reattach) the cookie, versions, unix
/// socket, port range and client certificate are all ignored: plaintext TCP on any port.
///
/// # Errors
/// A message for stderr: wrong or missing cookie, no common protocol version, a client
/// certificate that is not PEM.
pub fn plan(env: &HandshakeEnv, debug: bool) -> Result<HandshakePlan, String> {
    if debug {
        return Ok(HandshakePlan {
            app_version: 6,
            listen: ListenPlan::TcpAny,
            client_cert: None,
        });
    }
    check_magic_cookie(env.magic_cookie.as_deref()).map_err(str::to_string)?;
    let app_version = negotiate_version(env.protocol_versions.as_deref())?;
    let client_cert = match env.client_cert.as_deref() {
        Some(pem) if !pem.trim().is_empty() => Some(super::tls::parse_client_cert(pem)?),
        _ => None,
    };
    let listen = if cfg!(unix) && env.unix_socket_dir.is_some() {
        let dir = env.unix_socket_dir.as_deref().unwrap_or_default();
        ListenPlan::Unix((!dir.is_empty()).then(|| dir.into()))
    } else {
        match (port(env.min_port.as_deref()), port(env.max_port.as_deref())) {
            (Some(a), Some(b)) if a <= b => ListenPlan::TcpRange(a, b),
            // As go-plugin: a missing or unusable range means any port.
            _ => ListenPlan::TcpAny,
        }
    };
    Ok(HandshakePlan {
        app_version,
        listen,
        client_cert,
    })
}

fn port(value: Option<&str>) -> Option<u16> {
    value?.trim().parse().ok()
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

    fn env() -> HandshakeEnv {
        HandshakeEnv {
            magic_cookie: Some(MAGIC_COOKIE_VALUE.into()),
            protocol_versions: Some("5,6".into()),
            min_port: Some("10000".into()),
            max_port: Some("25000".into()),
            ..HandshakeEnv::default()
        }
    }

    #[test]
    fn plan_follows_go_plugin_rules() {
        let p = plan(&env(), false).unwrap();
        assert_eq!(p.app_version, 6);
        assert_eq!(p.listen, ListenPlan::TcpRange(10000, 25000));
        assert_eq!(p.client_cert, None);

        let reversed = HandshakeEnv {
            min_port: Some("25000".into()),
            max_port: Some("10000".into()),
            ..env()
        };
        assert_eq!(plan(&reversed, false).unwrap().listen, ListenPlan::TcpAny);
        let junk = HandshakeEnv {
            max_port: Some("70000".into()),
            ..env()
        };
        assert_eq!(plan(&junk, false).unwrap().listen, ListenPlan::TcpAny);

        let unix = HandshakeEnv {
            unix_socket_dir: Some(String::new()),
            ..env()
        };
        assert_eq!(plan(&unix, false).unwrap().listen, ListenPlan::Unix(None));

        let no_cookie = HandshakeEnv {
            magic_cookie: None,
            ..env()
        };
        assert_eq!(
            plan(&no_cookie, false).unwrap_err(),
            NOT_A_PROGRAM_MESSAGE.to_string()
        );
        let bad_cert = HandshakeEnv {
            client_cert: Some("not a cert".into()),
            ..env()
        };
        assert!(plan(&bad_cert, false)
            .unwrap_err()
            .contains("PLUGIN_CLIENT_CERT"));
        // Blank means no AutoMTLS, as before.
        let blank_cert = HandshakeEnv {
            client_cert: Some(" \n".into()),
            ..env()
        };
        assert_eq!(plan(&blank_cert, false).unwrap().client_cert, None);
    }

    #[test]
    fn debug_plan_ignores_the_environment() {
        let p = plan(&HandshakeEnv::default(), true).unwrap();
        assert_eq!(
            p,
            HandshakePlan {
                app_version: 6,
                listen: ListenPlan::TcpAny,
                client_cert: None
            }
        );
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
