//! Replays every committed fuzz input (`fuzz/corpus/<target>/`: seeds and kept reproducers)
//! through the same harness functions the `cargo fuzz` targets call, so a regression is caught
//! by a plain `cargo test` on stable, without nightly or libFuzzer.
//!
//! `cargo test --test fuzz_corpus -- --ignored write_seed_corpus` regenerates the seeds that
//! are built from code (msgpack values from the encoder, handshake environments).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use terraform_provider_ecr::fuzzing;
use terraform_provider_ecr::plugin::handshake::{HandshakeEnv, MAGIC_COOKIE_VALUE};
use terraform_provider_ecr::protocol::cty::{self, Number, Type, Value};

type Harness = fn(&[u8]);

const TARGETS: &[(&str, Harness)] = &[
    ("msgpack_value", fuzzing::msgpack_value),
    ("lifecycle_policy", fuzzing::lifecycle_policy),
    ("handshake_env", fuzzing::handshake_env),
];

fn corpus_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target)
}

#[test]
fn every_committed_fuzz_input_passes_its_harness() {
    let mut failures = Vec::new();
    for (target, harness) in TARGETS {
        let dir = corpus_dir(target);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        assert!(
            files.len() >= 5,
            "{target}: only {} seed inputs in {}",
            files.len(),
            dir.display()
        );
        for file in files {
            let data = std::fs::read(&file).unwrap();
            // Keep going after a failure so one run lists every failing input.
            if let Err(e) = std::panic::catch_unwind(|| harness(&data)) {
                let msg = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!("{}: {msg}", file.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "failing inputs:\n{}",
        failures.join("\n")
    );
}

/// The corpus must exercise more than the error paths: some seeds of each kind must get past
/// decoding / validation / the cookie check, or the fuzzer starts from nothing useful.
#[test]
fn seeds_reach_the_interesting_paths() {
    let read = |target: &str| -> Vec<Vec<u8>> {
        std::fs::read_dir(corpus_dir(target))
            .unwrap()
            .map(|e| std::fs::read(e.unwrap().path()).unwrap())
            .collect()
    };
    let types = fuzzing::msgpack_types();
    let decodable = read("msgpack_value")
        .iter()
        .filter(|d| {
            d.split_first().is_some_and(|(&s, p)| {
                cty::msgpack::decode(p, &types[usize::from(s) % types.len()].1).is_ok()
            })
        })
        .count();
    assert!(decodable >= 5, "{decodable} decodable msgpack seeds");
    let valid = read("lifecycle_policy")
        .iter()
        .filter(|d| {
            terraform_provider_ecr::lifecycle::validate_json(&String::from_utf8_lossy(d)).is_empty()
        })
        .count();
    assert!(valid >= 3, "{valid} valid lifecycle seeds");
}

// ---------------------------------------------------------------------------------------------
// Seed generation (run by hand, see the module docs).

fn null_object(ty: &Type) -> BTreeMap<String, Value> {
    let Type::Object(attrs) = ty else {
        panic!("object type expected, got {ty}")
    };
    attrs.keys().map(|k| (k.clone(), Value::Null)).collect()
}

fn msgpack_seeds() -> Vec<(String, Vec<u8>)> {
    let types = fuzzing::msgpack_types();
    let index = |name: &str| types.iter().position(|(n, _)| *n == name).unwrap() as u8;
    let ty = |name: &str| &types[usize::from(index(name))].1;
    let mut seeds = Vec::new();
    let mut add = |file: &str, name: &str, v: &Value| {
        let bytes = cty::msgpack::encode(v, ty(name)).unwrap();
        seeds.push((
            file.to_string(),
            fuzzing::msgpack_input(index(name), &bytes),
        ));
    };

    // ecr_repository: a configuration, a planned state with unknowns, a full state.
    let repo = ty("ecr_repository");
    let mut cfg = null_object(repo);
    cfg.insert("name".into(), Value::string("my-org/app"));
    cfg.insert("image_tag_mutability".into(), Value::string("IMMUTABLE"));
    cfg.insert(
        "tags".into(),
        Value::Map([("team".to_string(), Value::string("platform"))].into()),
    );
    add(
        "repository-config",
        "ecr_repository",
        &Value::Object(cfg.clone()),
    );
    let mut planned = cfg.clone();
    for k in ["arn", "registry_id", "repository_url", "id"] {
        planned.insert(k.into(), Value::Unknown);
    }
    add(
        "repository-planned",
        "ecr_repository",
        &Value::Object(planned),
    );
    let mut state = cfg;
    state.insert(
        "arn".into(),
        Value::string("arn:aws:ecr:eu-west-1:111122223333:repository/my-org/app"),
    );
    state.insert("registry_id".into(), Value::string("111122223333"));
    state.insert("force_delete".into(), Value::Bool(false));
    add("repository-state", "ecr_repository", &Value::Object(state));
    add("repository-null", "ecr_repository", &Value::Null);

    // ecr_lifecycle_policy: JSON form.
    let lp = ty("ecr_lifecycle_policy");
    let mut pcfg = null_object(lp);
    pcfg.insert("repository".into(), Value::string("my-org/app"));
    pcfg.insert(
        "policy".into(),
        Value::string(
            r#"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}"#,
        ),
    );
    add(
        "lifecycle-policy-config",
        "ecr_lifecycle_policy",
        &Value::Object(pcfg),
    );

    // Provider configuration.
    let mut prov = null_object(ty("provider"));
    prov.insert("region".into(), Value::string("eu-west-1"));
    add("provider-config", "provider", &Value::Object(prov));

    // ecr_lifecycle_preview data source, everything unknown.
    let preview = ty("ecr_lifecycle_preview");
    let unknown: BTreeMap<_, _> = null_object(preview)
        .into_keys()
        .map(|k| (k, Value::Unknown))
        .collect();
    add(
        "preview-unknown",
        "ecr_lifecycle_preview",
        &Value::Object(unknown),
    );

    // Dynamic values: every kind, exact numbers beyond f64, sets, nesting.
    let big = Number::parse("123456789012345678901234567890.000000000000000000001").unwrap();
    let dynamic = Value::Tuple(vec![
        Value::string("s"),
        Value::Number(big),
        Value::Number(Number::parse("0.1").unwrap()),
        Value::number(-7i64),
        Value::Bool(true),
        Value::Null,
        Value::Unknown,
        Value::List(vec![Value::string("a"), Value::string("b")]),
        Value::set([Value::number(1i64), Value::number(2i64)]),
        Value::Map([("k".to_string(), Value::Bool(false))].into()),
        Value::object([(
            "o",
            Value::List(vec![Value::object([("x", Value::number(1i64))])]),
        )]),
    ]);
    add("dynamic-tuple", "dynamic", &dynamic);
    add("dynamic-string", "dynamic", &Value::string("hello"));
    add("dynamic-unknown", "dynamic", &Value::Unknown);

    // Malformed: truncated, trailing bytes, wrong type, refined unknown.
    let good = seeds[0].1.clone();
    seeds.push(("truncated".into(), good[..good.len() / 2].to_vec()));
    let mut trailing = good;
    trailing.push(0xc0);
    seeds.push(("trailing".into(), trailing));
    seeds.push((
        "wrong-type".into(),
        fuzzing::msgpack_input(index("ecr_repository"), &[0x93, 0x01, 0x02, 0x03]),
    ));
    // cty refinements: ext type 12 with a payload (unknown, not null, string prefix).
    seeds.push((
        "refined-unknown".into(),
        fuzzing::msgpack_input(
            index("dynamic"),
            &[
                0x92, 0xa8, b'"', b's', b't', b'r', b'i', b'n', b'g', b'"', 0xc7, 0x03, 0x0c, 0x81,
                0x01, 0xc2,
            ],
        ),
    ));
    // JSON text (the same harness tries the bytes as DynamicValue.json too).
    seeds.push((
        "json-dynamic".into(),
        fuzzing::msgpack_input(
            index("dynamic"),
            br#"{"value":{"a":[1,2.5,"x"]},"type":["object",{"a":["tuple",["number","number","string"]]}]}"#,
        ),
    ));
    seeds.push((
        "json-repository".into(),
        fuzzing::msgpack_input(
            index("ecr_repository"),
            br#"{"name":"app","tags":{"a":"b"},"legacy":1,"image_scanning_configuration":[{"scan_on_push":true}]}"#,
        ),
    ));
    seeds
}

fn handshake_seeds() -> Vec<(String, Vec<u8>)> {
    let pem = rcgen::generate_simple_self_signed(vec!["localhost".into()])
        .unwrap()
        .cert
        .pem();
    let ok = HandshakeEnv {
        magic_cookie: Some(MAGIC_COOKIE_VALUE.into()),
        protocol_versions: Some("5,6".into()),
        min_port: Some("10000".into()),
        max_port: Some("25000".into()),
        unix_socket_dir: None,
        client_cert: None,
    };
    let cases = [
        ("terraform", ok.clone()),
        (
            "terraform-automtls",
            HandshakeEnv {
                client_cert: Some(pem.clone()),
                ..ok.clone()
            },
        ),
        (
            "unix-socket",
            HandshakeEnv {
                unix_socket_dir: Some("/tmp/plugins".into()),
                ..ok.clone()
            },
        ),
        (
            "no-cookie",
            HandshakeEnv {
                magic_cookie: None,
                ..ok.clone()
            },
        ),
        (
            "old-protocols",
            HandshakeEnv {
                protocol_versions: Some("4, 5".into()),
                ..ok.clone()
            },
        ),
        (
            "bad-versions",
            HandshakeEnv {
                protocol_versions: Some("6,x".into()),
                ..ok.clone()
            },
        ),
        (
            "reversed-ports",
            HandshakeEnv {
                min_port: Some("25000".into()),
                max_port: Some(" 10000 ".into()),
                ..ok.clone()
            },
        ),
        (
            "bad-pem",
            HandshakeEnv {
                client_cert: Some(pem.replace('M', "*")),
                ..ok.clone()
            },
        ),
        (
            "truncated-pem",
            HandshakeEnv {
                client_cert: Some(pem[..pem.len() / 2].to_string()),
                ..ok.clone()
            },
        ),
        ("empty", HandshakeEnv::default()),
    ];
    cases
        .into_iter()
        .map(|(n, env)| (n.to_string(), fuzzing::handshake_input(&env)))
        .collect()
}

#[test]
#[ignore = "writes fuzz/corpus; run by hand to regenerate seeds"]
fn write_seed_corpus() {
    for (target, seeds) in [
        ("msgpack_value", msgpack_seeds()),
        ("handshake_env", handshake_seeds()),
    ] {
        let dir = corpus_dir(target);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, bytes) in seeds {
            std::fs::write(dir.join(format!("seed-{name}")), bytes).unwrap();
        }
    }
}
