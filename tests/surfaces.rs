//! The newer protocol surfaces over gRPC, against the real binary: resource identities, provider
//! functions, ephemeral resources, a streamed ListResource, MoveResourceState and
//! GenerateResourceConfig. AWS is `fake_aws` (a few ECR and STS operations on a local port).

mod common;
mod fake_aws;

use std::collections::BTreeMap;

use common::*;
use fake_aws::{FakeAws, ACCOUNT, PASSWORD, REGION, TOKEN};
use terraform_provider_ecr::proto::tfplugin6 as pb;
use terraform_provider_ecr::proto::tfplugin6::provider_client::ProviderClient;
use terraform_provider_ecr::protocol::cty::{self, Type, Value};
use tonic::transport::Channel;

/// The implied type of a wire schema block, as Terraform builds it.
fn block_type(b: &pb::schema::Block) -> Type {
    let mut attrs = BTreeMap::new();
    for a in &b.attributes {
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

fn schema_type(s: &pb::Schema) -> Type {
    block_type(s.block.as_ref().unwrap())
}

/// An object of `ty` with every attribute null (block lists empty) but those given.
fn object(ty: &Type, set: &[(&str, Value)]) -> Value {
    let Type::Object(attrs) = ty else {
        panic!("{ty:?}")
    };
    let mut obj: BTreeMap<String, Value> = attrs
        .iter()
        .map(|(k, t)| {
            let v = match t {
                Type::List(_) | Type::Set(_) => Value::List(vec![]),
                _ => Value::Null,
            };
            (k.clone(), v)
        })
        .collect();
    for (k, v) in set {
        obj.insert(k.to_string(), v.clone());
    }
    Value::Object(obj)
}

fn dv(v: &Value, ty: &Type) -> pb::DynamicValue {
    pb::DynamicValue {
        msgpack: cty::msgpack::encode(v, ty).unwrap(),
        json: vec![],
    }
}

fn decode(d: Option<&pb::DynamicValue>, ty: &Type) -> Value {
    cty::msgpack::decode(&d.expect("a value").msgpack, ty).unwrap()
}

fn s(v: &str) -> Value {
    Value::string(v)
}

struct Session {
    _plugin: Plugin,
    client: ProviderClient<Channel>,
    schema: pb::get_provider_schema::Response,
}

/// A provider process configured against `aws` (credentials checked with STS there).
async fn configured(aws: &FakeAws) -> Session {
    let cert = p521_client_cert();
    let plugin = start(Some(&cert.pem), &[]);
    let mut client = provider_client(&plugin, &cert).await;
    let schema = client
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .unwrap()
        .into_inner();
    let pty = schema_type(schema.provider.as_ref().unwrap());
    let Type::Object(attrs) = &pty else { panic!() };
    let Type::List(endpoints_ty) = &attrs["endpoints"] else {
        panic!()
    };
    let endpoints = object(endpoints_ty, &[("ecr", s(&aws.url)), ("sts", s(&aws.url))]);
    let config = object(
        &pty,
        &[
            ("region", s(REGION)),
            ("access_key", s("test")),
            ("secret_key", s("test")),
            ("max_retries", Value::number(0)),
            ("endpoints", Value::List(vec![endpoints])),
        ],
    );
    let resp = client
        .configure_provider(pb::configure_provider::Request {
            terraform_version: "1.15.5".into(),
            config: Some(dv(&config, &pty)),
            client_capabilities: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(resp.diagnostics.is_empty(), "{:?}", resp.diagnostics);
    Session {
        _plugin: plugin,
        client,
        schema,
    }
}

#[tokio::test]
async fn schema_offers_identities_functions_ephemeral_and_list_resources() {
    let cert = p521_client_cert();
    let plugin = start(Some(&cert.pem), &[]);
    let mut client = provider_client(&plugin, &cert).await;
    let schema = client
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .unwrap()
        .into_inner();
    let caps = schema.server_capabilities.unwrap();
    assert!(caps.move_resource_state && caps.generate_resource_config && caps.plan_destroy);
    let keys = |m: &std::collections::HashMap<String, pb::Schema>| {
        let mut k: Vec<String> = m.keys().cloned().collect();
        k.sort();
        k
    };
    let mut functions: Vec<&String> = schema.functions.keys().collect();
    functions.sort();
    assert_eq!(
        functions,
        ["image_uri", "lifecycle_policy", "parse_image_uri"]
    );
    assert_eq!(
        keys(&schema.ephemeral_resource_schemas),
        ["ecr_authorization_token", "ecr_public_authorization_token"]
    );
    assert_eq!(
        keys(&schema.list_resource_schemas),
        [
            "ecr_lifecycle_policy",
            "ecr_pull_through_cache_rule",
            "ecr_repository",
            "ecr_repository_policy"
        ]
    );
    // Each ephemeral token has its data source's attributes, the secrets sensitive in both.
    for name in schema.ephemeral_resource_schemas.keys() {
        let attrs = |s: &pb::Schema| {
            let mut v: Vec<(String, bool)> = s
                .block
                .as_ref()
                .unwrap()
                .attributes
                .iter()
                .map(|a| (a.name.clone(), a.sensitive))
                .collect();
            v.sort();
            v
        };
        let e = attrs(&schema.ephemeral_resource_schemas[name]);
        assert_eq!(e, attrs(&schema.data_source_schemas[name]), "{name}");
        let sensitive: Vec<&str> = e.iter().filter(|a| a.1).map(|a| a.0.as_str()).collect();
        assert_eq!(sensitive, ["authorization_token", "password"], "{name}");
    }

    let ids = client
        .get_resource_identity_schemas(pb::get_resource_identity_schemas::Request {})
        .await
        .unwrap()
        .into_inner()
        .identity_schemas;
    assert_eq!(
        keys(&schema.resource_schemas),
        {
            let mut k: Vec<String> = ids.keys().cloned().collect();
            k.sort();
            k
        },
        "every resource has an identity"
    );
    let shape = |name: &str| {
        let mut v: Vec<(String, bool)> = ids[name]
            .identity_attributes
            .iter()
            .map(|a| (a.name.clone(), a.required_for_import))
            .collect();
        v.sort();
        v
    };
    let owned = |v: &[(&str, bool)]| -> Vec<(String, bool)> {
        v.iter().map(|(n, r)| (n.to_string(), *r)).collect()
    };
    // hashicorp/aws's names for the types it gives an identity.
    assert_eq!(
        shape("ecr_repository"),
        owned(&[("account_id", false), ("name", true), ("region", false)])
    );
    for t in ["ecr_lifecycle_policy", "ecr_repository_policy"] {
        assert_eq!(
            shape(t),
            owned(&[
                ("account_id", false),
                ("region", false),
                ("repository", true)
            ]),
            "{t}"
        );
    }
    assert_eq!(
        shape("ecr_registry_policy"),
        owned(&[("account_id", false), ("region", false)])
    );

    let meta = client
        .get_metadata(pb::get_metadata::Request {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(meta.list_resources.len(), 4);
    assert_eq!(meta.functions.len(), 3);
    assert_eq!(meta.ephemeral_resources.len(), 2);
}

#[tokio::test]
async fn functions_return_parts_and_name_the_bad_argument() {
    let cert = p521_client_cert();
    let plugin = start(Some(&cert.pem), &[]);
    let mut client = provider_client(&plugin, &cert).await;
    let functions = client
        .get_functions(pb::get_functions::Request {})
        .await
        .unwrap()
        .into_inner()
        .functions;
    let ret = |name: &str| {
        Type::from_json_bytes(&functions[name].r#return.as_ref().unwrap().r#type).unwrap()
    };
    let call = |name: &'static str, args: Vec<&'static str>| {
        let req = pb::call_function::Request {
            name: name.into(),
            arguments: args.iter().map(|a| dv(&s(a), &Type::String)).collect(),
        };
        let mut c = client.clone();
        async move { c.call_function(req).await.unwrap().into_inner() }
    };

    let out = call(
        "parse_image_uri",
        vec!["111122223333.dkr-ecr.us-west-2.on.aws/team/app:v1"],
    )
    .await;
    assert!(out.error.is_none(), "{:?}", out.error);
    let v = decode(out.result.as_ref(), &ret("parse_image_uri"));
    for (k, want) in [
        ("registry_id", s("111122223333")),
        ("region", s("us-west-2")),
        ("repository_name", s("team/app")),
        ("tag", s("v1")),
        ("digest", Value::Null),
        ("registry_host", s("111122223333.dkr-ecr.us-west-2.on.aws")),
    ] {
        assert_eq!(v.get_attr(k), Some(&want), "{k}");
    }

    let err = call("parse_image_uri", vec!["docker.io/library/nginx"])
        .await
        .error
        .unwrap();
    assert_eq!(err.function_argument, Some(0));
    assert!(err.text.starts_with("registry host:"), "{}", err.text);

    let err = call(
        "image_uri",
        vec![
            "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app",
            "sha256:beef",
        ],
    )
    .await
    .error
    .unwrap();
    assert_eq!(err.function_argument, Some(1));
    assert!(err.text.starts_with("digest:"), "{}", err.text);

    let bad_policy = r#"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":0},"action":{"type":"expire"}}]}"#;
    let err = call("lifecycle_policy", vec![bad_policy])
        .await
        .error
        .unwrap();
    assert_eq!(err.function_argument, Some(0));
    assert!(err.text.contains("rules[0]"), "{}", err.text);

    let err = call("no_such_function", vec![]).await.error.unwrap();
    assert!(err.text.contains("no function"), "{}", err.text);
}

#[tokio::test]
async fn list_resource_streams_every_page_and_stops_at_the_limit() {
    let names: Vec<String> = ["team/a", "team/b", "team/c", "other/x", "team/d"]
        .iter()
        .map(|n| n.to_string())
        .collect();
    let aws = FakeAws::start(names, 2).await;
    let mut session = configured(&aws).await;
    let ty = schema_type(&session.schema.list_resource_schemas["ecr_repository"]);
    let id_ty = Type::object([
        ("account_id", Type::String),
        ("name", Type::String),
        ("region", Type::String),
    ]);

    let validate = session
        .client
        .validate_list_resource_config(pb::validate_list_resource_config::Request {
            type_name: "ecr_repository".into(),
            config: None,
            include_resource_object: None,
            limit: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(
        validate.diagnostics.is_empty(),
        "{:?}",
        validate.diagnostics
    );

    let list = |config: Option<Value>, limit: i64| {
        let req = pb::list_resource::Request {
            type_name: "ecr_repository".into(),
            config: config.map(|c| dv(&c, &ty)),
            include_resource_object: false,
            limit,
        };
        let mut c = session.client.clone();
        async move {
            let mut stream = c.list_resource(req).await.unwrap().into_inner();
            let mut events = Vec::new();
            while let Some(e) = stream.message().await.unwrap() {
                events.push(e);
            }
            events
        }
    };

    let events = list(None, 100).await;
    let got: Vec<(String, Value)> = events
        .iter()
        .map(|e| {
            assert!(e.diagnostic.is_empty(), "{:?}", e.diagnostic);
            assert!(e.resource_object.is_none());
            let id = decode(e.identity.as_ref().unwrap().identity_data.as_ref(), &id_ty);
            (e.display_name.clone(), id)
        })
        .collect();
    assert_eq!(got.len(), 5, "{got:?}");
    assert_eq!(got[0].0, "other/x");
    assert_eq!(
        got[0].1,
        Value::object([
            ("account_id", s(ACCOUNT)),
            ("name", s("other/x")),
            ("region", s(REGION))
        ])
    );
    assert_eq!(aws.count("DescribeRepositories"), 3, "three pages of two");

    let filtered = list(Some(object(&ty, &[("name_prefix", s("team/"))])), 100).await;
    let shown: Vec<&str> = filtered.iter().map(|e| e.display_name.as_str()).collect();
    assert_eq!(shown, ["team/a", "team/b", "team/c", "team/d"]);

    assert_eq!(list(None, 2).await.len(), 2);
}

#[tokio::test]
async fn ephemeral_token_opens_renews_and_closes_without_leaking() {
    let aws = FakeAws::start(vec![], 10).await;
    let mut session = configured(&aws).await;
    let ty = schema_type(&session.schema.ephemeral_resource_schemas["ecr_authorization_token"]);

    let invalid = session
        .client
        .validate_ephemeral_resource_config(pb::validate_ephemeral_resource_config::Request {
            type_name: "ecr_authorization_token".into(),
            config: Some(dv(&object(&ty, &[("registry_id", s("123"))]), &ty)),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(invalid.diagnostics.len(), 1);
    let step = &invalid.diagnostics[0].attribute.as_ref().unwrap().steps[0];
    assert_eq!(
        step.selector,
        Some(pb::attribute_path::step::Selector::AttributeName(
            "registry_id".into()
        ))
    );

    let opened = session
        .client
        .open_ephemeral_resource(pb::open_ephemeral_resource::Request {
            type_name: "ecr_authorization_token".into(),
            config: Some(dv(&object(&ty, &[]), &ty)),
            client_capabilities: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(opened.diagnostics.is_empty(), "{:?}", opened.diagnostics);
    let result = decode(opened.result.as_ref(), &ty);
    assert_eq!(result.get_attr("password"), Some(&s(PASSWORD)));
    assert_eq!(result.get_attr("user_name"), Some(&s("AWS")));
    assert_eq!(result.get_attr("authorization_token"), Some(&s(TOKEN)));
    assert_eq!(
        result.get_attr("expires_at"),
        Some(&s("2100-01-01T00:00:00Z"))
    );
    assert_eq!(
        opened.renew_at.unwrap().seconds,
        fake_aws::EXPIRES_AT - 600,
        "renewal ten minutes before expiry"
    );
    let private = opened.private.unwrap();
    let text = String::from_utf8_lossy(&private);
    assert!(
        !text.contains(PASSWORD) && !text.contains(TOKEN),
        "private data holds no secret: {text}"
    );

    let renewed = session
        .client
        .renew_ephemeral_resource(pb::renew_ephemeral_resource::Request {
            type_name: "ecr_authorization_token".into(),
            private: Some(private.clone()),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(renewed.renew_at.is_none());
    assert_eq!(renewed.diagnostics.len(), 1);
    assert_eq!(
        renewed.diagnostics[0].severity,
        pb::diagnostic::Severity::Warning as i32
    );
    assert!(renewed.diagnostics[0]
        .detail
        .contains("2100-01-01T00:00:00Z"));

    let closed = session
        .client
        .close_ephemeral_resource(pb::close_ephemeral_resource::Request {
            type_name: "ecr_authorization_token".into(),
            private: Some(private),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(closed.diagnostics.is_empty(), "{:?}", closed.diagnostics);
    assert_eq!(aws.count("GetAuthorizationToken"), 1);
}

#[tokio::test]
async fn import_by_identity_moves_and_generated_configuration() {
    let aws = FakeAws::start(vec!["team/app".into()], 10).await;
    let mut session = configured(&aws).await;
    let ty = schema_type(&session.schema.resource_schemas["ecr_repository"]);
    let id_ty = Type::object([
        ("account_id", Type::String),
        ("name", Type::String),
        ("region", Type::String),
    ]);
    let identity = |name: &str, region: Value| pb::ResourceIdentityData {
        identity_data: Some(dv(
            &Value::object([
                ("account_id", Value::Null),
                ("name", s(name)),
                ("region", region),
            ]),
            &id_ty,
        )),
    };

    // An import block with only `name`: the provider fills account and region.
    let imported = session
        .client
        .import_resource_state(pb::import_resource_state::Request {
            type_name: "ecr_repository".into(),
            id: String::new(),
            client_capabilities: None,
            identity: Some(identity("team/app", Value::Null)),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(
        imported.diagnostics.is_empty(),
        "{:?}",
        imported.diagnostics
    );
    let r = &imported.imported_resources[0];
    assert_eq!(
        decode(r.state.as_ref(), &ty).get_attr("name"),
        Some(&s("team/app"))
    );
    assert_eq!(
        decode(r.identity.as_ref().unwrap().identity_data.as_ref(), &id_ty),
        Value::object([
            ("account_id", s(ACCOUNT)),
            ("name", s("team/app")),
            ("region", s(REGION))
        ])
    );

    // Another region than the provider's: imported there (the resource's `region`), as
    // `terraform import ecr_repository.x team/app@ap-south-1` would.
    let elsewhere = session
        .client
        .import_resource_state(pb::import_resource_state::Request {
            type_name: "ecr_repository".into(),
            id: String::new(),
            client_capabilities: None,
            identity: Some(identity("team/app", s("ap-south-1"))),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(
        elsewhere.diagnostics.is_empty(),
        "{:?}",
        elsewhere.diagnostics
    );
    let r2 = &elsewhere.imported_resources[0];
    assert_eq!(
        decode(r2.state.as_ref(), &ty).get_attr("region"),
        Some(&s("ap-south-1"))
    );
    assert_eq!(
        decode(r2.identity.as_ref().unwrap().identity_data.as_ref(), &id_ty).get_attr("region"),
        Some(&s("ap-south-1"))
    );

    // A move from a type this provider does not take: a clear error, no state.
    let moved = session
        .client
        .move_resource_state(pb::move_resource_state::Request {
            source_provider_address: "registry.terraform.io/hashicorp/google".into(),
            source_type_name: "google_artifact_registry_repository".into(),
            source_schema_version: 0,
            source_state: Some(pb::RawState {
                json: br#"{"name":"app"}"#.to_vec(),
                flatmap: Default::default(),
            }),
            target_type_name: "ecr_repository".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(moved.target_state.is_none());
    assert_eq!(
        moved.diagnostics[0].severity,
        pb::diagnostic::Severity::Error as i32
    );
    assert!(
        moved.diagnostics[0]
            .detail
            .contains("google_artifact_registry_repository"),
        "{:?}",
        moved.diagnostics
    );

    // Generated configuration: what the state says, without computed-only attributes.
    let state = decode(r.state.as_ref(), &ty);
    let generated = session
        .client
        .generate_resource_config(pb::generate_resource_config::Request {
            type_name: "ecr_repository".into(),
            state: Some(dv(&state, &ty)),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(
        generated.diagnostics.is_empty(),
        "{:?}",
        generated.diagnostics
    );
    let config = decode(generated.config.as_ref(), &ty);
    assert_eq!(config.get_attr("name"), Some(&s("team/app")));
    assert_eq!(config.get_attr("arn"), Some(&Value::Null));
    assert_eq!(config.get_attr("repository_url"), Some(&Value::Null));

    // Identities stored by this version upgrade to themselves.
    let upgraded = session
        .client
        .upgrade_resource_identity(pb::upgrade_resource_identity::Request {
            type_name: "ecr_repository".into(),
            version: 0,
            raw_identity: Some(pb::RawState {
                json: format!(
                    r#"{{"account_id":"{ACCOUNT}","name":"team/app","region":"{REGION}"}}"#
                )
                .into_bytes(),
                flatmap: Default::default(),
            }),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(
        upgraded.diagnostics.is_empty(),
        "{:?}",
        upgraded.diagnostics
    );
    assert_eq!(
        decode(
            upgraded.upgraded_identity.unwrap().identity_data.as_ref(),
            &id_ty
        )
        .get_attr("name"),
        Some(&s("team/app"))
    );
}
