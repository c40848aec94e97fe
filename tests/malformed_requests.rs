//! Malformed tfplugin6 requests over the real transport (the binary, AutoMTLS, a real gRPC
//! client): every RPC that carries values gets garbage, truncated or mistyped values, unknown
//! type names, empty DynamicValues and calls before ConfigureProvider. Each must come back as an
//! error diagnostic with a useful summary (and the attribute path when one applies), never a
//! gRPC error or a dead process.

mod common;

use std::collections::BTreeMap;

use common::*;
use terraform_provider_ecr::proto::tfplugin6 as pb;
use terraform_provider_ecr::proto::tfplugin6::provider_client::ProviderClient;
use terraform_provider_ecr::protocol::cty::{self, Type, Value};
use tonic::transport::Channel;

use pb::attribute_path::step::Selector;

/// What a case expects: an error whose summary contains `summary`, pointing at `attr` (the
/// first path step's attribute name) when given.
struct Expect {
    summary: &'static str,
    attr: Option<&'static str>,
}

const fn err(summary: &'static str) -> Expect {
    Expect {
        summary,
        attr: None,
    }
}

const fn at(summary: &'static str, attr: &'static str) -> Expect {
    Expect {
        summary,
        attr: Some(attr),
    }
}

/// The outcome of one malformed request.
type Outcome = Result<Vec<pb::Diagnostic>, tonic::Status>;

fn mp(bytes: &[u8]) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: bytes.to_vec(),
        json: vec![],
    })
}

fn json(bytes: &[u8]) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: vec![],
        json: bytes.to_vec(),
    })
}

fn empty() -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue::default())
}

/// An object of `ty` with every attribute null except `set`, encoded with `ty'` = `ty` whose
/// attributes are retyped per `set` (so mistyped values can be encoded at all).
fn object_msgpack(ty: &Type, set: &[(&str, Value, Type)]) -> Vec<u8> {
    let Type::Object(attrs) = ty else {
        panic!("object type expected")
    };
    let mut attrs = attrs.clone();
    let mut values: BTreeMap<String, Value> =
        attrs.keys().map(|k| (k.clone(), Value::Null)).collect();
    for (k, v, t) in set {
        attrs.insert(k.to_string(), t.clone());
        values.insert(k.to_string(), v.clone());
    }
    cty::msgpack::encode(&Value::Object(values), &Type::Object(attrs)).unwrap()
}

struct Types {
    provider: Type,
    repo: Type,
    preview: Type,
}

async fn types(client: &mut ProviderClient<Channel>) -> Types {
    let s = client
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .unwrap()
        .into_inner();
    fn block_type(b: &pb::schema::Block) -> Type {
        let mut attrs = BTreeMap::new();
        for a in &b.attributes {
            attrs.insert(a.name.clone(), Type::from_json_bytes(&a.r#type).unwrap());
        }
        for nb in &b.block_types {
            let inner = block_type(nb.block.as_ref().unwrap());
            let t = match nb.nesting {
                1 | 5 => inner,
                2 => Type::list(inner),
                3 => Type::set(inner),
                _ => Type::map(inner),
            };
            attrs.insert(nb.type_name.clone(), t);
        }
        Type::Object(attrs)
    }
    Types {
        provider: block_type(s.provider.as_ref().unwrap().block.as_ref().unwrap()),
        repo: block_type(s.resource_schemas["ecr_repository"].block.as_ref().unwrap()),
        preview: block_type(
            s.data_source_schemas["ecr_lifecycle_preview"]
                .block
                .as_ref()
                .unwrap(),
        ),
    }
}

/// Checks one outcome; returns a description of what is wrong, if anything.
fn judge(name: &str, outcome: Outcome, expect: &Expect) -> Option<String> {
    let diags = match outcome {
        Ok(d) => d,
        Err(status) => {
            return Some(format!(
                "{name}: gRPC error instead of a diagnostic: {status}"
            ))
        }
    };
    let Some(d) = diags
        .iter()
        .find(|d| d.severity == pb::diagnostic::Severity::Error as i32)
    else {
        return Some(format!("{name}: no error diagnostic, got {diags:?}"));
    };
    if !d.summary.contains(expect.summary) {
        return Some(format!(
            "{name}: summary {:?} lacks {:?} (detail {:?})",
            d.summary, expect.summary, d.detail
        ));
    }
    if d.detail.is_empty() {
        return Some(format!("{name}: empty detail"));
    }
    if let Some(attr) = expect.attr {
        let first = d
            .attribute
            .as_ref()
            .and_then(|p| p.steps.first())
            .and_then(|s| s.selector.clone());
        if first != Some(Selector::AttributeName(attr.into())) {
            return Some(format!(
                "{name}: attribute path {:?}, expected {attr:?} ({:?})",
                d.attribute, d.detail
            ));
        }
    }
    None
}

#[tokio::test]
async fn malformed_requests_get_error_diagnostics_and_the_server_keeps_serving() {
    let cert = p521_client_cert();
    let mut plugin = start(Some(&cert.pem), &[]);
    let mut c = provider_client(&plugin, &cert).await;
    let t = types(&mut c).await;

    let garbage: &[u8] = &[0xc1, 0xff, 0x00];
    let good_repo = object_msgpack(&t.repo, &[("name", Value::string("app"), Type::String)]);
    let truncated = good_repo[..good_repo.len() / 2].to_vec();
    let trailing = [good_repo.as_slice(), &[0xc0]].concat();
    // `name` as a number; an attribute the schema does not have; a block as a string.
    let name_number = object_msgpack(&t.repo, &[("name", Value::number(42i64), Type::Number)]);
    let extra_attr = object_msgpack(
        &t.repo,
        &[
            ("name", Value::string("app"), Type::String),
            ("bogus", Value::Bool(true), Type::Bool),
        ],
    );
    let block_as_string = object_msgpack(
        &t.repo,
        &[
            ("name", Value::string("app"), Type::String),
            (
                "image_scanning_configuration",
                Value::string("yes"),
                Type::String,
            ),
        ],
    );
    let not_an_object = cty::msgpack::encode(&Value::string("app"), &Type::String).unwrap();
    let unknown_root: &[u8] = &[0xd4, 0x00, 0x00];
    let region_number = object_msgpack(
        &t.provider,
        &[("region", Value::number(7i64), Type::Number)],
    );
    let preview_bad = object_msgpack(
        &t.preview,
        &[("policy", Value::List(vec![]), Type::list(Type::String))],
    );
    let good_preview = object_msgpack(&t.preview, &[]);

    let mut failures = Vec::new();
    let mut cases = 0;
    macro_rules! case {
        ($name:expr, $expect:expr, $call:expr, $diags:ident) => {{
            cases += 1;
            let outcome: Outcome = $call.await.map(|r| r.into_inner().$diags);
            if let Some(f) = judge($name, outcome, &$expect) {
                failures.push(f);
            }
            // Still answering after every case.
            if let Err(e) = c
                .get_provider_schema(pb::get_provider_schema::Request {})
                .await
            {
                failures.push(format!("{}: server stopped answering: {e}", $name));
                c = provider_client(&plugin, &cert).await;
            }
        }};
    }

    // --- provider configuration ------------------------------------------------------------
    for (n, v, e) in [
        (
            "garbage",
            mp(garbage),
            err("Invalid provider configuration"),
        ),
        (
            "truncated",
            mp(&[0x81, 0xa6, b'r', b'e']),
            err("Invalid provider configuration"),
        ),
        (
            "json garbage",
            json(b"{\"region\":"),
            err("Invalid provider configuration"),
        ),
        (
            "region as a number",
            mp(&region_number),
            at("Invalid provider configuration", "region"),
        ),
        (
            "not an object",
            mp(&not_an_object),
            err("Invalid provider configuration"),
        ),
        (
            "empty DynamicValue",
            empty(),
            err("Missing provider configuration"),
        ),
        ("absent", None, err("Missing provider configuration")),
        ("unknown", mp(unknown_root), err("provider configuration")),
    ] {
        case!(
            &format!("ValidateProviderConfig {n}"),
            e,
            c.validate_provider_config(pb::validate_provider_config::Request { config: v.clone() }),
            diagnostics
        );
        case!(
            &format!("ConfigureProvider {n}"),
            e,
            c.configure_provider(pb::configure_provider::Request {
                terraform_version: "1.0.3".into(),
                config: v,
                client_capabilities: None,
            }),
            diagnostics
        );
    }

    // --- resource configuration ------------------------------------------------------------
    for (n, ty_name, v, e) in [
        (
            "unknown type",
            "ecr_nope",
            mp(&good_repo),
            err("Unknown resource type"),
        ),
        (
            "empty type name",
            "",
            mp(&good_repo),
            err("Unknown resource type"),
        ),
        (
            "garbage",
            "ecr_repository",
            mp(garbage),
            err("Invalid configuration"),
        ),
        (
            "truncated",
            "ecr_repository",
            mp(&truncated),
            err("Invalid configuration"),
        ),
        (
            "trailing bytes",
            "ecr_repository",
            mp(&trailing),
            err("Invalid configuration"),
        ),
        (
            "name as a number",
            "ecr_repository",
            mp(&name_number),
            at("Invalid configuration", "name"),
        ),
        (
            "extra attribute",
            "ecr_repository",
            mp(&extra_attr),
            at("Invalid configuration", "bogus"),
        ),
        (
            "block as a string",
            "ecr_repository",
            mp(&block_as_string),
            at("Invalid configuration", "image_scanning_configuration"),
        ),
        (
            "json of the wrong shape",
            "ecr_repository",
            json(b"[1,2,3]"),
            err("Invalid configuration"),
        ),
        (
            "empty DynamicValue",
            "ecr_repository",
            empty(),
            err("Missing configuration"),
        ),
        (
            "absent",
            "ecr_repository",
            None,
            err("Missing configuration"),
        ),
        (
            "unknown",
            "ecr_repository",
            mp(unknown_root),
            err("configuration"),
        ),
    ] {
        case!(
            &format!("ValidateResourceConfig {n}"),
            e,
            c.validate_resource_config(pb::validate_resource_config::Request {
                type_name: ty_name.into(),
                config: v,
                client_capabilities: None,
            }),
            diagnostics
        );
    }

    // --- data source configuration ---------------------------------------------------------
    for (n, ty_name, v, e) in [
        (
            "unknown type",
            "ecr_nope",
            mp(&good_preview),
            err("Unknown data source"),
        ),
        (
            "garbage",
            "ecr_lifecycle_preview",
            mp(garbage),
            err("Invalid configuration"),
        ),
        (
            "policy as a list",
            "ecr_lifecycle_preview",
            mp(&preview_bad),
            at("Invalid configuration", "policy"),
        ),
        (
            "repository schema",
            "ecr_lifecycle_preview",
            mp(&good_repo),
            err("Invalid configuration"),
        ),
        (
            "empty DynamicValue",
            "ecr_lifecycle_preview",
            empty(),
            err("Missing configuration"),
        ),
    ] {
        case!(
            &format!("ValidateDataResourceConfig {n}"),
            e,
            c.validate_data_resource_config(pb::validate_data_resource_config::Request {
                type_name: ty_name.into(),
                config: v.clone(),
            }),
            diagnostics
        );
        case!(
            &format!("ReadDataSource {n}"),
            e,
            c.read_data_source(pb::read_data_source::Request {
                type_name: ty_name.into(),
                config: v,
                ..Default::default()
            }),
            diagnostics
        );
    }

    // --- state upgrade ---------------------------------------------------------------------
    for (n, ty_name, raw, e) in [
        (
            "unknown type",
            "ecr_nope",
            br#"{"name":"app"}"#.to_vec(),
            err("Unknown resource type"),
        ),
        (
            "array",
            "ecr_repository",
            b"[1,2,3]".to_vec(),
            err("Cannot read the stored state"),
        ),
        (
            "syntax",
            "ecr_repository",
            b"{\"name\":".to_vec(),
            err("Cannot read the stored state"),
        ),
        (
            "not JSON",
            "ecr_repository",
            vec![0xff, 0xfe],
            err("Cannot read the stored state"),
        ),
        (
            "name as an object",
            "ecr_repository",
            br#"{"name":{"a":1}}"#.to_vec(),
            at("Cannot read the stored state", "name"),
        ),
        (
            "block as a number",
            "ecr_repository",
            br#"{"name":"app","encryption_configuration":5}"#.to_vec(),
            at("Cannot read the stored state", "encryption_configuration"),
        ),
    ] {
        case!(
            &format!("UpgradeResourceState {n}"),
            e,
            c.upgrade_resource_state(pb::upgrade_resource_state::Request {
                type_name: ty_name.into(),
                version: 0,
                raw_state: Some(pb::RawState {
                    json: raw,
                    flatmap: Default::default(),
                }),
            }),
            diagnostics
        );
    }
    case!(
        "UpgradeResourceState flatmap",
        err("Unsupported legacy state"),
        c.upgrade_resource_state(pb::upgrade_resource_state::Request {
            type_name: "ecr_repository".into(),
            version: 0,
            raw_state: Some(pb::RawState {
                json: vec![],
                flatmap: [("id".to_string(), "app".to_string())].into(),
            }),
        }),
        diagnostics
    );

    // --- plan / apply / read ---------------------------------------------------------------
    // (field, value) pairs, each with the other values well formed.
    let plan_bad: Vec<(&str, Option<pb::DynamicValue>, Expect)> = vec![
        (
            "prior_state garbage",
            mp(garbage),
            err("Invalid prior state"),
        ),
        (
            "prior_state truncated",
            mp(&truncated),
            err("Invalid prior state"),
        ),
        (
            "proposed_new_state garbage",
            mp(garbage),
            err("Invalid proposed state"),
        ),
        (
            "proposed_new_state mistyped",
            mp(&name_number),
            at("Invalid proposed state", "name"),
        ),
        ("config garbage", mp(garbage), err("Invalid configuration")),
        (
            "config extra attribute",
            mp(&extra_attr),
            at("Invalid configuration", "bogus"),
        ),
        (
            "config json garbage",
            json(b"nul"),
            err("Invalid configuration"),
        ),
    ];
    for (n, v, e) in plan_bad {
        let mut req = pb::plan_resource_change::Request {
            type_name: "ecr_repository".into(),
            prior_state: None,
            proposed_new_state: mp(&good_repo),
            config: mp(&good_repo),
            ..Default::default()
        };
        match n.split(' ').next().unwrap() {
            "prior_state" => req.prior_state = v,
            "proposed_new_state" => req.proposed_new_state = v,
            _ => req.config = v,
        }
        case!(
            &format!("PlanResourceChange {n}"),
            e,
            c.plan_resource_change(req),
            diagnostics
        );
    }
    case!(
        "PlanResourceChange unknown type",
        err("Unknown resource type"),
        c.plan_resource_change(pb::plan_resource_change::Request {
            type_name: "ecr_nope".into(),
            proposed_new_state: mp(&good_repo),
            config: mp(&good_repo),
            ..Default::default()
        }),
        diagnostics
    );

    let apply_bad: Vec<(&str, Option<pb::DynamicValue>, Expect)> = vec![
        (
            "prior_state garbage",
            mp(garbage),
            err("Invalid prior state"),
        ),
        (
            "planned_state garbage",
            mp(garbage),
            err("Invalid planned state"),
        ),
        (
            "planned_state truncated",
            mp(&truncated),
            err("Invalid planned state"),
        ),
        (
            "planned_state mistyped",
            mp(&block_as_string),
            at("Invalid planned state", "image_scanning_configuration"),
        ),
        (
            "config not an object",
            mp(&not_an_object),
            err("Invalid configuration"),
        ),
    ];
    for (n, v, e) in apply_bad {
        let mut req = pb::apply_resource_change::Request {
            type_name: "ecr_repository".into(),
            prior_state: None,
            planned_state: mp(&good_repo),
            config: mp(&good_repo),
            ..Default::default()
        };
        match n.split(' ').next().unwrap() {
            "prior_state" => req.prior_state = v,
            "planned_state" => req.planned_state = v,
            _ => req.config = v,
        }
        case!(
            &format!("ApplyResourceChange {n}"),
            e,
            c.apply_resource_change(req),
            diagnostics
        );
    }

    for (n, ty_name, v, e) in [
        (
            "garbage",
            "ecr_repository",
            mp(garbage),
            err("Invalid state"),
        ),
        (
            "mistyped",
            "ecr_repository",
            mp(&name_number),
            at("Invalid state", "name"),
        ),
        (
            "unknown type",
            "ecr_nope",
            mp(&good_repo),
            err("Unknown resource type"),
        ),
    ] {
        case!(
            &format!("ReadResource {n}"),
            e,
            c.read_resource(pb::read_resource::Request {
                type_name: ty_name.into(),
                current_state: v,
                ..Default::default()
            }),
            diagnostics
        );
    }

    // --- well-formed, but the provider was never configured --------------------------------
    case!(
        "ReadResource before ConfigureProvider",
        err("Provider not configured"),
        c.read_resource(pb::read_resource::Request {
            type_name: "ecr_repository".into(),
            current_state: mp(&good_repo),
            ..Default::default()
        }),
        diagnostics
    );
    case!(
        "ApplyResourceChange before ConfigureProvider",
        err("Provider not configured"),
        c.apply_resource_change(pb::apply_resource_change::Request {
            type_name: "ecr_repository".into(),
            planned_state: mp(&good_repo),
            config: mp(&good_repo),
            ..Default::default()
        }),
        diagnostics
    );
    case!(
        "ImportResourceState before ConfigureProvider",
        err("Provider not configured"),
        c.import_resource_state(pb::import_resource_state::Request {
            type_name: "ecr_repository".into(),
            id: "app".into(),
            ..Default::default()
        }),
        diagnostics
    );
    case!(
        "ImportResourceState unknown type",
        err("Unknown resource type"),
        c.import_resource_state(pb::import_resource_state::Request {
            type_name: "ecr_nope".into(),
            id: "app".into(),
            ..Default::default()
        }),
        diagnostics
    );
    case!(
        "ReadDataSource before ConfigureProvider",
        err("Provider not configured"),
        c.read_data_source(pb::read_data_source::Request {
            type_name: "ecr_authorization_token".into(),
            config: mp(&[0x80]),
            ..Default::default()
        }),
        diagnostics
    );

    // A follow-up well-formed call on the same connection still works.
    let schema = c
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .expect("GetProviderSchema after the malformed requests")
        .into_inner();
    assert!(schema.resource_schemas.contains_key("ecr_repository"));
    assert!(
        failures.is_empty(),
        "{} of {cases} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(cases >= 60, "only {cases} cases ran");
    // The process is alive and was never restarted.
    assert!(
        plugin.child.try_wait().unwrap().is_none(),
        "provider exited"
    );
}
