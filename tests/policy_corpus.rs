//! The policy and pull-through corpus (tests/fixtures/policy-corpus): every document gets the
//! verdict its manifest expects, with exactly the expected error and warning summaries; the CLI
//! (`policy validate`, `pullthrough validate`) prints the same findings; and the Terraform path —
//! ValidateResourceConfig over gRPC against the real binary — reports the same diagnostics as the
//! CLI for every document.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use serde_json::{json, Value as Json};
use terraform_provider_ecr::findings::Finding;
use terraform_provider_ecr::policy::{validate_document, Kind};
use terraform_provider_ecr::proto::tfplugin6 as pb;
use terraform_provider_ecr::protocol::cty::{self, Type, Value};
use terraform_provider_ecr::pullthrough::{check_json, Field};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/policy-corpus")
}

struct Entry {
    id: String,
    kind: String,
    file: PathBuf,
    text: String,
    expected_valid: bool,
    errors: BTreeSet<String>,
    warnings: BTreeSet<String>,
}

fn entries() -> Vec<Entry> {
    let dir = corpus_dir();
    let manifest: Json =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let set = |v: &Json| -> BTreeSet<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    };
    manifest["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            for key in ["source", "expectation_source"] {
                assert!(
                    !e[key].as_str().unwrap_or_default().is_empty(),
                    "{}: {key}",
                    e["id"]
                );
            }
            let file = dir.join(e["file"].as_str().unwrap());
            Entry {
                id: e["id"].as_str().unwrap().to_string(),
                kind: e["kind"].as_str().unwrap().to_string(),
                text: std::fs::read_to_string(&file).unwrap(),
                file,
                expected_valid: match e["expected"].as_str().unwrap() {
                    "valid" => true,
                    "invalid" => false,
                    other => panic!("{}: expected {other:?}", e["id"]),
                },
                errors: set(&e["errors"]),
                warnings: set(&e["warnings"]),
            }
        })
        .collect()
}

fn domain(e: &Entry) -> Vec<Finding> {
    match e.kind.as_str() {
        "pullthrough" => check_json(&e.text, None),
        k => validate_document(&e.text, Kind::from_name(k).expect("known kind")),
    }
}

#[test]
fn corpus_is_large_enough_and_sourced() {
    let all = entries();
    let policies = all
        .iter()
        .filter(|e| e.kind == "repository" || e.kind == "registry")
        .count();
    let rules = all.iter().filter(|e| e.kind == "pullthrough").count();
    assert!(policies >= 40, "{policies} repository/registry policies");
    assert!(rules >= 15, "{rules} pull-through rules");
    let ids: BTreeSet<&str> = all.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), all.len(), "ids are unique");
}

#[test]
fn every_document_gets_its_expected_verdict() {
    let mut wrong = Vec::new();
    for e in entries() {
        let f = domain(&e);
        let errors: BTreeSet<String> = f
            .iter()
            .filter(|x| x.is_error())
            .map(|x| x.summary.clone())
            .collect();
        let warnings: BTreeSet<String> = f
            .iter()
            .filter(|x| !x.is_error())
            .map(|x| x.summary.clone())
            .collect();
        if errors.is_empty() != e.expected_valid || errors != e.errors || warnings != e.warnings {
            wrong.push(format!(
                "{}: expected errors {:?} warnings {:?}, got {f:#?}",
                e.id, e.errors, e.warnings
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

#[test]
fn the_two_cases_of_the_issue_are_accepted_with_a_warning() {
    let all = entries();
    for id in [
        "tam-readwrite-assumed-role-session",
        "hashicorp-docs-ecr-public-with-credential",
    ] {
        let e = all.iter().find(|e| e.id == id).expect(id);
        let f = domain(e);
        assert!(!f.iter().any(Finding::is_error), "{id}: {f:?}");
        assert!(f.iter().any(|x| !x.is_error()), "{id}: no warning");
    }
}

/// The CLI's findings for an entry, from its JSON output, and its exit code.
fn cli(e: &Entry, file: &Path) -> (i32, Vec<Json>) {
    let mut cmd = Command::new(bin());
    if e.kind == "pullthrough" {
        cmd.args(["pullthrough", "validate"]);
    } else {
        cmd.args(["policy", "validate", "--kind", &e.kind]);
    }
    let out = cmd
        .arg(file)
        .args(["--format", "json"])
        .output()
        .expect("run the CLI");
    let v: Json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|err| panic!("{}: {err}: {:?}", e.id, out));
    let code = out.status.code().unwrap();
    assert_eq!(v["valid"], json!(code == 0), "{}", e.id);
    (code, v["diagnostics"].as_array().unwrap().clone())
}

fn as_json(f: &[Finding]) -> Vec<Json> {
    f.iter()
        .map(|x| json!({"severity": x.severity.as_str(), "summary": x.summary, "detail": x.detail, "path": x.path}))
        .collect()
}

#[test]
fn the_cli_prints_the_domain_findings() {
    for e in entries() {
        let (code, diags) = cli(&e, &e.file);
        assert_eq!(code == 0, e.expected_valid, "{}: exit {code}", e.id);
        assert_eq!(diags, as_json(&domain(&e)), "{}", e.id);
    }
}

// ------------------------------------------------------------------------------------------
// The Terraform path

fn resource_type(schema: &pb::get_provider_schema::Response, name: &str) -> Type {
    let b = schema.resource_schemas[name].block.as_ref().unwrap();
    let mut attrs = BTreeMap::new();
    for a in &b.attributes {
        attrs.insert(a.name.clone(), Type::from_json_bytes(&a.r#type).unwrap());
    }
    assert!(b.block_types.is_empty(), "{name} has no blocks");
    Type::Object(attrs)
}

fn config(ty: &Type, values: &[(&str, &str)]) -> pb::DynamicValue {
    let Type::Object(attrs) = ty else { panic!() };
    let mut obj: BTreeMap<String, Value> = attrs.keys().map(|k| (k.clone(), Value::Null)).collect();
    for (k, v) in values {
        assert!(obj.contains_key(*k), "attribute {k}");
        obj.insert(k.to_string(), Value::string(*v));
    }
    pb::DynamicValue {
        msgpack: cty::msgpack::encode(&Value::Object(obj), ty).unwrap(),
        json: vec![],
    }
}

/// A diagnostic reduced to what both paths say: severity, summary, detail, attribute.
type Said = (String, String, String, String);

fn said_by_terraform(d: &[pb::Diagnostic]) -> BTreeSet<Said> {
    d.iter()
        .map(|d| {
            let attr = d
                .attribute
                .as_ref()
                .and_then(|p| p.steps.first())
                .and_then(|s| match &s.selector {
                    Some(pb::attribute_path::step::Selector::AttributeName(n)) => Some(n.clone()),
                    _ => None,
                })
                .unwrap_or_default();
            let severity = if d.severity == pb::diagnostic::Severity::Error as i32 {
                "error"
            } else {
                "warning"
            };
            (
                severity.to_string(),
                d.summary.clone(),
                d.detail.clone(),
                attr,
            )
        })
        .collect()
}

const RULE_FIELDS: &[Field] = &[
    Field::EcrRepositoryPrefix,
    Field::UpstreamRegistryUrl,
    Field::CredentialArn,
    Field::CustomRoleArn,
    Field::UpstreamRepositoryPrefix,
];

/// API field names → Terraform attribute names, in a CLI message.
fn terraform_names(s: &str) -> String {
    RULE_FIELDS
        .iter()
        .fold(s.to_string(), |s, f| s.replace(f.api(), f.terraform()))
}

/// What the CLI says, in the form a resource shows it.
fn said_by_cli(e: &Entry, diags: &[Json]) -> BTreeSet<Said> {
    diags
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap().to_string();
            if e.kind == "pullthrough" {
                (
                    s("severity"),
                    terraform_names(&s("summary")),
                    terraform_names(&s("detail")),
                    terraform_names(&s("path")),
                )
            } else {
                let detail = if s("path").is_empty() {
                    format!("In the policy JSON: {}.", s("detail"))
                } else {
                    format!("In the policy JSON at {}: {}.", s("path"), s("detail"))
                };
                (s("severity"), s("summary"), detail, "policy".to_string())
            }
        })
        .collect()
}

#[tokio::test]
async fn cli_and_terraform_agree_on_every_document() {
    let cert = p521_client_cert();
    let plugin = start(Some(&cert.pem), &[]);
    let mut client = provider_client(&plugin, &cert).await;
    let schema = client
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .unwrap()
        .into_inner();
    let tmp = std::env::temp_dir().join(format!("tpe-corpus-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let mut compared = 0;
    for e in entries() {
        let (type_name, values, cli_file): (&str, Vec<(String, String)>, PathBuf) =
            match e.kind.as_str() {
                "repository" => (
                    "ecr_repository_policy",
                    vec![
                        ("repository".into(), "app".into()),
                        ("policy".into(), e.text.clone()),
                    ],
                    e.file.clone(),
                ),
                "registry" => (
                    "ecr_registry_policy",
                    vec![("policy".into(), e.text.clone())],
                    e.file.clone(),
                ),
                "public-repository" => (
                    "ecr_public_repository_policy",
                    vec![
                        ("repository_name".into(), "app".into()),
                        ("policy".into(), e.text.clone()),
                    ],
                    e.file.clone(),
                ),
                _ => {
                    // Only what a Terraform configuration can say: the rule's own fields.
                    let rule: Json = serde_json::from_str(&e.text).unwrap();
                    let mut kept = serde_json::Map::new();
                    let mut values = Vec::new();
                    for f in RULE_FIELDS {
                        if let Some(v) = rule.get(f.api()) {
                            kept.insert(f.api().into(), v.clone());
                            values
                                .push((f.terraform().to_string(), v.as_str().unwrap().to_string()));
                        }
                    }
                    let file = tmp.join(format!("{}.json", e.id));
                    std::fs::write(&file, Json::Object(kept).to_string()).unwrap();
                    ("ecr_pull_through_cache_rule", values, file)
                }
            };
        let ty = resource_type(&schema, type_name);
        let refs: Vec<(&str, &str)> = values
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let resp = client
            .validate_resource_config(pb::validate_resource_config::Request {
                type_name: type_name.into(),
                config: Some(config(&ty, &refs)),
                client_capabilities: None,
            })
            .await
            .unwrap()
            .into_inner();
        let terraform = said_by_terraform(&resp.diagnostics);
        let (code, diags) = cli(&e, &cli_file);
        assert_eq!(
            said_by_cli(&e, &diags),
            terraform,
            "{}: the CLI and ValidateResourceConfig differ",
            e.id
        );
        assert_eq!(
            code == 0,
            !terraform.iter().any(|d| d.0 == "error"),
            "{}",
            e.id
        );
        compared += 1;
    }
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(compared >= 55, "{compared}");
}
