//! The real binary, started as go-plugin starts it, driven by a gRPC client over AutoMTLS.

mod common;

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use terraform_provider_ecr::proto::tfplugin6 as pb;
use terraform_provider_ecr::protocol::cty::{self, Type, Value};
use terraform_provider_ecr::protocol::schema::Block;

fn resource_type(schema: &pb::get_provider_schema::Response, name: &str) -> Type {
    // Rebuild the implied type from the wire schema the way Terraform would.
    fn block_type(b: &pb::schema::Block) -> Type {
        let mut attrs = std::collections::BTreeMap::new();
        for a in &b.attributes {
            assert!(
                a.nested_type.is_none(),
                "nested attributes not expected here"
            );
            attrs.insert(a.name.clone(), Type::from_json_bytes(&a.r#type).unwrap());
        }
        for nb in &b.block_types {
            let inner = block_type(nb.block.as_ref().unwrap());
            let t = match nb.nesting {
                1 | 5 => inner,
                2 => Type::List(Box::new(inner)),
                3 => Type::Set(Box::new(inner)),
                _ => Type::Map(Box::new(inner)),
            };
            attrs.insert(nb.type_name.clone(), t);
        }
        Type::Object(attrs)
    }
    block_type(schema.resource_schemas[name].block.as_ref().unwrap())
}

fn repo_config(ty: &Type, name: &str) -> pb::DynamicValue {
    let Type::Object(attrs) = ty else { panic!() };
    let mut obj = std::collections::BTreeMap::new();
    for (k, t) in attrs {
        let v = match t {
            Type::List(_) => Value::List(vec![]),
            _ => Value::Null,
        };
        obj.insert(k.clone(), v);
    }
    obj.insert("name".into(), Value::string(name));
    pb::DynamicValue {
        msgpack: cty::msgpack::encode(&Value::Object(obj), ty).unwrap(),
        json: vec![],
    }
}

#[test]
fn without_the_magic_cookie_it_explains_and_exits_1() {
    let out = Command::new(bin())
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "nothing on stdout");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("This binary is a plugin"), "{err}");
}

#[test]
fn no_common_protocol_version_fails_cleanly() {
    let mut child = Command::new(bin())
        .env("TF_PLUGIN_MAGIC_COOKIE", COOKIE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "4,5")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1));
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(err.contains("protocol"), "{err}");
}

#[tokio::test]
async fn handshake_line_and_schema_over_mutual_tls() {
    let cert = p521_client_cert();
    let plugin = start(Some(&cert.pem), &[]);
    let f: Vec<&str> = plugin.line.split('|').collect();
    assert_eq!(&f[..3], &["1", "6", "tcp"]);
    assert!(f[3].starts_with("127.0.0.1:"));
    let port: u16 = f[3].rsplit(':').next().unwrap().parse().unwrap();
    assert!(
        (10000..=25000).contains(&port),
        "port {port} outside PLUGIN_MIN/MAX_PORT"
    );
    assert_eq!(f[4], "grpc");
    assert!(!f[5].contains('='), "certificate must be unpadded base64");

    let mut client = provider_client(&plugin, &cert).await;
    let schema = client
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .unwrap()
        .into_inner();
    assert!(schema.provider.as_ref().unwrap().block.is_some());
    let repo = &schema.resource_schemas["ecr_repository"];
    let block = repo.block.as_ref().unwrap();
    fn check(b: &pb::schema::Block) {
        for a in &b.attributes {
            assert!(
                a.r#type.is_empty() != a.nested_type.is_none(),
                "{}: exactly one of type/nested_type",
                a.name
            );
            assert!(!a.description.is_empty(), "{} has no description", a.name);
            assert_eq!(
                a.required as u8 + a.optional as u8 + (a.computed && !a.optional) as u8,
                1,
                "{}",
                a.name
            );
        }
        for nb in &b.block_types {
            check(nb.block.as_ref().expect("block present"));
        }
    }
    check(block);
    check(schema.provider.as_ref().unwrap().block.as_ref().unwrap());
    assert!(schema.server_capabilities.unwrap().plan_destroy);
}

#[tokio::test]
async fn connections_without_the_client_certificate_are_refused() {
    let cert = p521_client_cert();
    let plugin = start(Some(&cert.pem), &[]);
    // No client certificate at all.
    let no_cert = channel(&plugin, None).await;
    let refused = match no_cert {
        Err(_) => true,
        Ok(ch) => pb::provider_client::ProviderClient::new(ch)
            .get_provider_schema(pb::get_provider_schema::Request {})
            .await
            .is_err(),
    };
    assert!(
        refused,
        "a client without a certificate must not get an answer"
    );
    // A different (valid, P-521) certificate.
    let other = p521_client_cert();
    let wrong = match channel(&plugin, Some(&other)).await {
        Err(_) => true,
        Ok(ch) => pb::provider_client::ProviderClient::new(ch)
            .get_provider_schema(pb::get_provider_schema::Request {})
            .await
            .is_err(),
    };
    assert!(
        wrong,
        "a client with another certificate must not get an answer"
    );
    // And the right one still works afterwards.
    let mut ok = provider_client(&plugin, &cert).await;
    assert!(ok
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .is_ok());
}

#[tokio::test]
async fn validation_diagnostics_carry_attribute_paths() {
    let cert = p521_client_cert();
    let plugin = start(Some(&cert.pem), &[]);
    let mut client = provider_client(&plugin, &cert).await;
    let schema = client
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .unwrap()
        .into_inner();
    let ty = resource_type(&schema, "ecr_repository");

    let bad = client
        .validate_resource_config(pb::validate_resource_config::Request {
            type_name: "ecr_repository".into(),
            config: Some(repo_config(&ty, "Bad_Name!")),
            client_capabilities: None,
        })
        .await
        .unwrap()
        .into_inner();
    let d = bad
        .diagnostics
        .iter()
        .find(|d| d.severity == pb::diagnostic::Severity::Error as i32)
        .expect("an error");
    let step = &d.attribute.as_ref().expect("attribute path").steps[0];
    assert_eq!(
        step.selector,
        Some(pb::attribute_path::step::Selector::AttributeName(
            "name".into()
        ))
    );
    assert!(d.detail.contains("Bad_Name!"), "{}", d.detail);

    let good = client
        .validate_resource_config(pb::validate_resource_config::Request {
            type_name: "ecr_repository".into(),
            config: Some(repo_config(&ty, "my-org/app")),
            client_capabilities: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(good.diagnostics.is_empty(), "{:?}", good.diagnostics);

    let unknown = client
        .validate_resource_config(pb::validate_resource_config::Request {
            type_name: "ecr_nope".into(),
            config: None,
            client_capabilities: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(unknown.diagnostics[0]
        .summary
        .contains("Unknown resource type"));

    // Garbage msgpack is an error diagnostic, not a crash.
    let garbage = client
        .validate_resource_config(pb::validate_resource_config::Request {
            type_name: "ecr_repository".into(),
            config: Some(pb::DynamicValue {
                msgpack: vec![0xc1, 0xff],
                json: vec![],
            }),
            client_capabilities: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        garbage.diagnostics[0].severity,
        pb::diagnostic::Severity::Error as i32
    );
    assert!(
        client
            .get_provider_schema(pb::get_provider_schema::Request {})
            .await
            .is_ok(),
        "still serving"
    );
}

#[tokio::test]
async fn plan_for_create_marks_computed_values_unknown() {
    let cert = p521_client_cert();
    let plugin = start(Some(&cert.pem), &[]);
    let mut client = provider_client(&plugin, &cert).await;
    let schema = client
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .unwrap()
        .into_inner();
    let ty = resource_type(&schema, "ecr_repository");
    let config = repo_config(&ty, "app");
    let resp = client
        .plan_resource_change(pb::plan_resource_change::Request {
            type_name: "ecr_repository".into(),
            prior_state: None,
            proposed_new_state: Some(config.clone()),
            config: Some(config.clone()),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(resp.diagnostics.is_empty(), "{:?}", resp.diagnostics);
    let planned = cty::msgpack::decode(&resp.planned_state.unwrap().msgpack, &ty).unwrap();
    assert_eq!(planned.get_attr("arn"), Some(&Value::Unknown));
    assert_eq!(planned.get_attr("repository_url"), Some(&Value::Unknown));
    assert_eq!(planned.get_attr("name"), Some(&Value::string("app")));
    assert_eq!(
        planned.get_attr("image_tag_mutability"),
        Some(&Value::string("MUTABLE"))
    );
    assert_eq!(planned.get_attr("force_delete"), Some(&Value::Bool(false)));

    // Apply before ConfigureProvider: a clear error, and the prior (null) state kept.
    let applied = client
        .apply_resource_change(pb::apply_resource_change::Request {
            type_name: "ecr_repository".into(),
            prior_state: None,
            planned_state: Some(pb::DynamicValue {
                msgpack: cty::msgpack::encode(&planned, &ty).unwrap(),
                json: vec![],
            }),
            config: Some(config),
            planned_private: vec![],
            provider_meta: None,
            planned_identity: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(
        applied.diagnostics[0].summary.contains("not configured"),
        "{:?}",
        applied.diagnostics
    );
}

#[tokio::test]
async fn upgrade_state_drops_attributes_no_longer_in_the_schema() {
    let cert = p521_client_cert();
    let plugin = start(Some(&cert.pem), &[]);
    let mut client = provider_client(&plugin, &cert).await;
    let schema = client
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .unwrap()
        .into_inner();
    let ty = resource_type(&schema, "ecr_repository");
    let json = br#"{"id":"app","name":"app","arn":"arn:aws:ecr:us-east-1:123456789012:repository/app","legacy_attr":1,
        "image_tag_mutability":"MUTABLE","image_tag_mutability_exclusion_filter":[],"image_scanning_configuration":[],
        "encryption_configuration":[],"tags":null,"tags_all":{},"force_delete":false,"registry_id":"123456789012",
        "repository_url":"x"}"#;
    let resp = client
        .upgrade_resource_state(pb::upgrade_resource_state::Request {
            type_name: "ecr_repository".into(),
            version: 0,
            raw_state: Some(pb::RawState {
                json: json.to_vec(),
                flatmap: Default::default(),
            }),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(resp.diagnostics.is_empty(), "{:?}", resp.diagnostics);
    let v = cty::msgpack::decode(&resp.upgraded_state.unwrap().msgpack, &ty).unwrap();
    assert_eq!(v.get_attr("name"), Some(&Value::string("app")));
    assert!(v.get_attr("legacy_attr").is_none());

    let newer = client
        .upgrade_resource_state(pb::upgrade_resource_state::Request {
            type_name: "ecr_repository".into(),
            version: 99,
            raw_state: Some(pb::RawState {
                json: json.to_vec(),
                flatmap: Default::default(),
            }),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(
        newer.diagnostics[0].summary.contains("newer"),
        "{:?}",
        newer.diagnostics
    );
}

#[tokio::test]
async fn unknown_rpcs_are_unimplemented_and_health_reports_serving() {
    let cert = p521_client_cert();
    let plugin = start(Some(&cert.pem), &[]);
    let ch = channel(&plugin, Some(&cert)).await.unwrap();
    // An RPC of protocol 6.10 this provider does not declare (actions).
    let mut grpc = tonic::client::Grpc::new(ch.clone());
    grpc.ready().await.unwrap();
    let codec = tonic_prost::ProstCodec::<
        pb::get_provider_schema::Request,
        pb::get_provider_schema::Request,
    >::default();
    let path = http::uri::PathAndQuery::from_static("/tfplugin6.Provider/PlanAction");
    let err = grpc
        .unary(
            tonic::Request::new(pb::get_provider_schema::Request {}),
            path,
            codec,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), tonic::Code::Unimplemented);

    let mut health = tonic_health::pb::health_client::HealthClient::new(ch);
    let status = health
        .check(tonic_health::pb::HealthCheckRequest {
            service: "plugin".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        status.status,
        tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    );
}

#[tokio::test]
async fn controller_shutdown_exits_promptly() {
    use terraform_provider_ecr::proto::plugin::{
        grpc_controller_client::GrpcControllerClient, Empty,
    };
    let cert = p521_client_cert();
    let mut plugin = start(Some(&cert.pem), &[]);
    let ch = channel(&plugin, Some(&cert)).await.unwrap();
    let t0 = Instant::now();
    GrpcControllerClient::new(ch)
        .shutdown(Empty {})
        .await
        .unwrap();
    loop {
        if let Some(status) = plugin.child.try_wait().unwrap() {
            assert!(status.success());
            break;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(2),
            "still running 2s after Shutdown (go-plugin kills it then)"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test]
async fn sigint_is_ignored() {
    let cert = p521_client_cert();
    let mut plugin = start(Some(&cert.pem), &[]);
    let pid = plugin.child.id().to_string();
    Command::new("kill").args(["-INT", &pid]).status().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        plugin.child.try_wait().unwrap().is_none(),
        "SIGINT must not stop the plugin"
    );
    let mut client = provider_client(&plugin, &cert).await;
    assert!(client
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .is_ok());
}

#[tokio::test]
async fn debug_mode_prints_a_reattach_line_and_serves_plaintext() {
    use std::io::BufRead;
    let mut child = Command::new(bin())
        .arg("--debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut reader = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut reattach = None;
    for _ in 0..10 {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if let Some(rest) = line.trim().strip_prefix("TF_REATTACH_PROVIDERS='") {
            reattach = Some(rest.trim_end_matches('\'').to_string());
            break;
        }
    }
    let json: serde_json::Value = serde_json::from_str(&reattach.expect("reattach line")).unwrap();
    let entry = &json["registry.terraform.io/ecr-rs/ecr"];
    assert_eq!(entry["ProtocolVersion"], 6);
    assert_eq!(entry["Test"], true);
    assert_eq!(entry["Protocol"], "grpc");
    assert_eq!(entry["Pid"], child.id());
    let addr = entry["Addr"]["String"].as_str().unwrap().to_string();
    let ch = tonic::transport::Endpoint::try_from(format!("http://{addr}"))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut client = pb::provider_client::ProviderClient::new(ch);
    assert!(client
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .is_ok());
    let _ = child.kill();
    let _ = child.wait();
    let _ = Block::default();
}
