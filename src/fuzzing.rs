//! Fuzz harnesses: the bodies of the `cargo fuzz` targets in `fuzz/fuzz_targets/`, kept here
//! as plain functions so that `tests/fuzz_corpus.rs` replays the committed corpus through
//! exactly the same code on stable Rust (no nightly, no libFuzzer) in every `cargo test`.
//!
//! Each harness takes arbitrary bytes and panics only when an invariant of the code under test
//! breaks (a round trip that changes the value, canonical text that is not stable, ...): a
//! panic is a bug found. Malformed input must come back as an `Err`, never a panic.

use std::sync::OnceLock;

use crate::lifecycle::{self, Image, StorageClass};
use crate::plugin::handshake::{self, HandshakeEnv, ListenAddr, ListenPlan};
use crate::plugin::tls;
use crate::protocol::cty::{self, Type, Value};
use crate::protocol::handler::ProviderHandler;

/// The schema types `msgpack_value` decodes with; the first input byte picks one.
pub fn msgpack_types() -> &'static [(&'static str, Type)] {
    static TYPES: OnceLock<Vec<(&'static str, Type)>> = OnceLock::new();
    TYPES.get_or_init(|| {
        let server = crate::framework::FrameworkServer::new(crate::provider::EcrProvider);
        let s = server.schemas();
        let res = |name: &str| s.resources[name].implied_type();
        vec![
            ("ecr_repository", res("ecr_repository")),
            ("ecr_lifecycle_policy", res("ecr_lifecycle_policy")),
            ("provider", s.provider.implied_type()),
            (
                "ecr_lifecycle_preview",
                s.data_sources["ecr_lifecycle_preview"].implied_type(),
            ),
            ("dynamic", Type::Dynamic),
        ]
    })
}

/// Input for `msgpack_value`: the selector byte for `types()[index]`, then the payload.
pub fn msgpack_input(index: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![index];
    out.extend_from_slice(payload);
    out
}

/// Decodes `data[1..]` as msgpack (and as JSON) of the schema type `data[0]` selects. When
/// decoding succeeds the value must encode, and decode again to an equal value whose encoding
/// is the same bytes (the encoder is canonical).
pub fn msgpack_value(data: &[u8]) {
    let Some((&selector, payload)) = data.split_first() else {
        return;
    };
    let types = msgpack_types();
    let (name, ty) = &types[usize::from(selector) % types.len()];

    if let Ok(v) = cty::msgpack::decode(payload, ty) {
        let enc = cty::msgpack::encode(&v, ty)
            .unwrap_or_else(|e| panic!("{name}: decoded value does not encode: {e}\n{v:?}"));
        let again = cty::msgpack::decode(&enc, ty)
            .unwrap_or_else(|e| panic!("{name}: own encoding does not decode: {e}\n{v:?}"));
        assert_eq!(again, v, "{name}: msgpack round trip changed the value");
        let enc2 = cty::msgpack::encode(&again, ty).expect("re-encode");
        assert_eq!(enc2, enc, "{name}: msgpack encoding is not stable");
        json_round_trip(name, &v, ty);
    }
    // The same bytes as JSON text (DynamicValue.json, RawState.json).
    for lenient in [false, true] {
        let decoded = if lenient {
            cty::json::decode_lenient(payload, ty)
        } else {
            cty::json::decode(payload, ty)
        };
        if let Ok(v) = decoded {
            json_round_trip(name, &v, ty);
            let enc = cty::msgpack::encode(&v, ty)
                .unwrap_or_else(|e| panic!("{name}: JSON-decoded value does not encode: {e}"));
            assert_eq!(cty::msgpack::decode(&enc, ty).as_ref(), Ok(&v), "{name}");
        }
    }
}

/// JSON has no unknowns; any wholly known value must survive a JSON round trip.
fn json_round_trip(name: &str, v: &Value, ty: &Type) {
    if !v.is_wholly_known() {
        return;
    }
    let text = cty::json::encode(v, ty)
        .unwrap_or_else(|e| panic!("{name}: known value does not encode as JSON: {e}\n{v:?}"));
    let back = cty::json::decode(&text, ty).unwrap_or_else(|e| {
        panic!(
            "{name}: own JSON does not decode: {e}\n{}",
            String::from_utf8_lossy(&text)
        )
    });
    assert_eq!(&back, v, "{name}: JSON round trip changed the value");
}

/// A fixed repository for evaluating fuzzed policies: tagged and untagged, pulled, archived,
/// restored, in both storage classes.
fn sample_images() -> &'static [Image] {
    static IMAGES: OnceLock<Vec<Image>> = OnceLock::new();
    IMAGES.get_or_init(|| {
        const DAY: i64 = lifecycle::evaluate::SECONDS_PER_DAY;
        let now = SAMPLE_NOW;
        let mut v = vec![
            Image::new("sha256:01", &["v1.0", "latest"], now - 90 * DAY),
            Image::new("sha256:02", &["v1.1"], now - 40 * DAY),
            Image::new("sha256:03", &[], now - 30 * DAY),
            Image::new("sha256:04", &[], now - 2 * DAY),
            Image::new("sha256:05", &["prod-2024", "release"], now - 400 * DAY),
            Image::new("sha256:06", &["dev-abc"], now - DAY),
            Image::new("sha256:07", &["v2.0-rc1"], now - 10 * DAY),
        ];
        v[1].last_pulled_at = Some(now - 3 * DAY);
        v[1].size_bytes = Some(1 << 20);
        v[4].storage_class = StorageClass::Archive;
        v[4].last_archived_at = Some(now - 100 * DAY);
        v[6].last_activated_at = Some(now - 5 * DAY);
        v[6].size_bytes = Some(7);
        v
    })
}

/// `now` for [`sample_images`] (2025-01-01T00:00:00Z).
const SAMPLE_NOW: i64 = 1_735_689_600;

/// Lifecycle policy text (bytes as UTF-8, lossy) through what `lifecycle validate` runs. A
/// valid policy's canonical text must stay valid, be its own canonical form, mean the same
/// (equal per `semantically_equal`) and evaluate exactly like the original.
pub fn lifecycle_policy(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let findings = lifecycle::validate_json(&text);
    let parsed = lifecycle::parse_policy(&text);
    if let Ok(p) = &parsed {
        let _ = lifecycle::lint(p);
        // Shape is right, so every finding is semantic and validate() reports the same ones
        // except the text length (validate() sees no text).
        assert!(
            findings.iter().all(|f| !f.is_shape_error()),
            "parsed, yet shape findings: {findings:?}"
        );
    } else {
        assert!(!findings.is_empty(), "unparseable policy without findings");
    }
    if !findings.is_empty() {
        return;
    }
    let policy = parsed.expect("valid policy parses");
    assert!(
        lifecycle::validate(&policy).is_empty(),
        "valid text, invalid model"
    );

    let canonical = lifecycle::canonicalize_text(&text).expect("valid policy canonicalises");
    // The canonical text is what the provider sends; it may fall under ECR's 100-character
    // minimum (the provider reports that), but must break no other rule.
    let refindings: Vec<_> = lifecycle::validate_json(&canonical)
        .into_iter()
        .filter(|f| {
            !(f.rule == lifecycle::validate::ids::TEXT_LENGTH
                && canonical.chars().count() < text.chars().count())
        })
        .collect();
    assert!(
        refindings.is_empty(),
        "canonical form of a valid policy is invalid: {refindings:?}\n{canonical}"
    );
    assert_eq!(
        lifecycle::canonicalize_text(&canonical).as_deref(),
        Ok(canonical.as_str()),
        "canonicalisation is not idempotent"
    );
    assert!(lifecycle::semantically_equal(&text, &canonical));

    let canonical_policy = lifecycle::parse_policy(&canonical).expect("canonical parses");
    let images = sample_images();
    let eval = lifecycle::evaluate(&policy, images, SAMPLE_NOW);
    assert_eq!(eval.results.len(), images.len());
    let expiring = eval
        .results
        .iter()
        .filter(|r| r.action == Some(lifecycle::ActionType::Expire))
        .count();
    let transitioning = eval
        .results
        .iter()
        .filter(|r| r.action == Some(lifecycle::ActionType::Transition))
        .count();
    assert_eq!(
        (eval.expiring, eval.transitioning),
        (expiring, transitioning)
    );
    for r in &eval.results {
        if r.action.is_some() {
            let prio = r.rule_priority.expect("an action names its rule");
            assert!(policy.rules.iter().any(|rule| rule.rule_priority == prio));
        }
    }
    assert_eq!(
        lifecycle::evaluate(&canonical_policy, images, SAMPLE_NOW),
        eval,
        "canonical policy behaves differently\n{canonical}"
    );
}

/// Field separator in `handshake_env` input.
pub const ENV_SEPARATOR: u8 = 0;

/// Input for `handshake_env`: the variables in [`HandshakeEnv`] order, `None` as the single
/// byte 0xFF (not UTF-8, which is how `std::env::var` reports a non-UTF-8 value too).
pub fn handshake_input(env: &HandshakeEnv) -> Vec<u8> {
    let fields = [
        &env.magic_cookie,
        &env.protocol_versions,
        &env.min_port,
        &env.max_port,
        &env.unix_socket_dir,
        &env.client_cert,
    ];
    let mut out = Vec::new();
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(ENV_SEPARATOR);
        }
        match f {
            Some(s) => out.extend_from_slice(s.as_bytes()),
            None => out.push(0xff),
        }
    }
    out
}

/// Splits `data` on NUL (environment values cannot contain it) into the handshake variables
/// (absent or non-UTF-8 fields are unset) and checks what [`handshake::plan`] decides from
/// them, in plugin and debug mode. A client certificate that parses must also make a TLS
/// server configuration.
pub fn handshake_env(data: &[u8]) {
    let env = env_from_input(data);

    let debug = handshake::plan(&env, true).expect("debug mode ignores the environment");
    assert_eq!(debug.client_cert, None);
    assert_eq!(debug.listen, ListenPlan::TcpAny);

    let cookie_ok = handshake::check_magic_cookie(env.magic_cookie.as_deref()).is_ok();
    let versions = handshake::negotiate_version(env.protocol_versions.as_deref());
    match handshake::plan(&env, false) {
        Ok(plan) => {
            assert!(cookie_ok, "accepted a wrong cookie");
            assert_eq!(Ok(plan.app_version), versions);
            assert!(handshake::SUPPORTED_APP_VERSIONS.contains(&plan.app_version));
            if let ListenPlan::TcpRange(a, b) = plan.listen {
                assert!(a <= b, "empty port range {a}..={b}");
            }
            if let Some(cert) = plan.client_cert {
                assert!(
                    env.client_cert
                        .as_deref()
                        .is_some_and(|c| !c.trim().is_empty()),
                    "a certificate out of nothing"
                );
                tls::server_config(fuzz_identity(), cert)
                    .expect("a parsed client certificate makes a TLS config");
            }
            let addr = ListenAddr::Tcp(std::net::SocketAddr::from(([127, 0, 0, 1], 10000)));
            let line = handshake::handshake_line(plan.app_version, &addr, Some(b"der"));
            assert_eq!(line.split('|').count(), 6, "{line}");
        }
        Err(msg) => {
            assert!(!msg.is_empty());
            assert!(
                !cookie_ok || versions.is_err() || msg.contains("PLUGIN_CLIENT_CERT"),
                "unexplained refusal: {msg}"
            );
        }
    }
    // The PEM parser on its own, with whatever the certificate field holds.
    if let Some(pem) = &env.client_cert {
        let _ = tls::parse_client_cert(pem);
    }
}

/// The six variables, in `HandshakeEnv` order, from `ENV_SEPARATOR`-separated bytes; a missing
/// or non-UTF-8 part is an unset variable.
fn env_from_input(data: &[u8]) -> HandshakeEnv {
    let mut parts = data.split(|&b| b == ENV_SEPARATOR);
    let mut next = || {
        parts
            .next()
            .and_then(|p| std::str::from_utf8(p).ok())
            .map(str::to_owned)
    };
    HandshakeEnv {
        magic_cookie: next(),
        protocol_versions: next(),
        min_port: next(),
        max_port: next(),
        unix_socket_dir: next(),
        client_cert: next(),
    }
}

/// One server identity for the whole fuzzing process (generating keys per input is slow).
fn fuzz_identity() -> &'static tls::ServerIdentity {
    static ID: OnceLock<tls::ServerIdentity> = OnceLock::new();
    ID.get_or_init(|| tls::generate_server_identity().expect("server identity"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handshake_input_splits_back_into_the_same_env() {
        let env = HandshakeEnv {
            magic_cookie: Some(handshake::MAGIC_COOKIE_VALUE.into()),
            protocol_versions: Some("6".into()),
            min_port: None,
            max_port: Some("x".into()),
            unix_socket_dir: Some(String::new()),
            client_cert: None,
        };
        // The harness sees exactly these values: unset stays unset, empty stays empty.
        assert_eq!(env_from_input(&handshake_input(&env)), env);
        handshake_env(&handshake_input(&env));
    }

    #[test]
    fn msgpack_harness_accepts_a_real_state() {
        let (_, ty) = &msgpack_types()[1];
        let Type::Object(attrs) = ty else {
            panic!("object type expected")
        };
        let v = Value::Object(attrs.keys().map(|k| (k.clone(), Value::Null)).collect());
        let bytes = cty::msgpack::encode(&v, ty).unwrap();
        msgpack_value(&msgpack_input(1, &bytes));
    }
}
