use std::collections::BTreeMap;

use aws_sdk_ecr::types::{EncryptionConfiguration, EncryptionType, Repository};

use super::adopt::{encryption_mismatch, settings_mismatches};
use super::checks::{lifecycle_policy_finding, posture_facts};
use super::moved::{moved_from_aws, record_default_blocks, MOVED_SHAPE_HINT};
use super::remote::apply_remote;
use super::*;

fn diags_for(m: &Model) -> Diagnostics {
    let mut d = Diagnostics::new();
    EcrRepository.validate(m, &mut d);
    d
}

#[test]
fn repository_names() {
    let d = diags_for(&Model {
        name: Val::of("a"),
        ..Default::default()
    });
    assert!(d.has_errors());
    assert_eq!(d.0[0].attribute, Some(AttrPath::attr("name")));
}

#[test]
fn exclusion_filters_need_an_exclusion_mode() {
    let f = ExclusionFilter {
        filter: Val::of("latest*"),
        filter_type: Val::Null,
    };
    let m = Model {
        name: Val::of("app"),
        image_tag_mutability: Val::of("MUTABLE"),
        image_tag_mutability_exclusion_filter: Val::Known(vec![f.clone()]),
        ..Default::default()
    };
    let d = diags_for(&m);
    // AWS documents no refusal of the combination (the rule is the CDK's): a warning.
    assert!(!d.has_errors());
    assert!(d
        .0
        .iter()
        .any(|x| x.attribute == Some(AttrPath::attr("image_tag_mutability_exclusion_filter"))));
    let ok = Model {
        image_tag_mutability: Val::of("IMMUTABLE_WITH_EXCLUSION"),
        ..m.clone()
    };
    assert!(!diags_for(&ok).has_errors());
    let missing = Model {
        image_tag_mutability_exclusion_filter: Val::Known(vec![]),
        ..ok.clone()
    };
    let d = diags_for(&missing);
    assert!(!d.has_errors() && !d.is_empty());
    let unknown_mode = Model {
        image_tag_mutability: Val::Unknown,
        ..m
    };
    assert!(!diags_for(&unknown_mode).has_errors());
}

#[test]
fn bad_filters_point_at_the_filter() {
    let m = Model {
        name: Val::of("app"),
        image_tag_mutability: Val::of("IMMUTABLE_WITH_EXCLUSION"),
        image_tag_mutability_exclusion_filter: Val::Known(vec![
            ExclusionFilter {
                filter: Val::of("bad filter!"),
                filter_type: Val::Null,
            },
            ExclusionFilter {
                filter: Val::of("a*b*c*"),
                filter_type: Val::of("REGEX"),
            },
        ]),
        ..Default::default()
    };
    let d = diags_for(&m);
    let paths: Vec<String> =
        d.0.iter()
            .filter_map(|x| x.attribute.as_ref().map(|p| p.to_string()))
            .collect();
    assert!(
        paths.contains(&"image_tag_mutability_exclusion_filter[0].filter".to_string()),
        "{paths:?}"
    );
    assert!(
        paths.contains(&"image_tag_mutability_exclusion_filter[1].filter".to_string()),
        "{paths:?}"
    );
    assert!(
        paths.contains(&"image_tag_mutability_exclusion_filter[1].filter_type".to_string()),
        "{paths:?}"
    );
}

#[test]
fn posture_facts_read_aws_defaults_from_an_empty_configuration() {
    let m = Model {
        name: Val::of("app"),
        image_scanning_configuration: Val::Known(vec![]),
        encryption_configuration: Val::Known(vec![]),
        ..Default::default()
    };
    let ids: Vec<&str> = posture::repository_findings(&posture_facts(&m, false))
        .iter()
        .map(|f| f.check.id)
        .collect();
    assert_eq!(ids, ["ECR-P001", "ECR-P002", "ECR-P003"]);
    let with_registry_scanning: Vec<&str> = posture::repository_findings(&posture_facts(&m, true))
        .iter()
        .map(|f| f.check.id)
        .collect();
    assert_eq!(with_registry_scanning, ["ECR-P001", "ECR-P003"]);
    let hardened = Model {
        image_tag_mutability: Val::of("IMMUTABLE_WITH_EXCLUSION"),
        image_scanning_configuration: Val::Known(vec![Scanning {
            scan_on_push: Val::Known(true),
        }]),
        encryption_configuration: Val::Known(vec![Encryption {
            encryption_type: Val::of("KMS"),
            kms_key: Val::Null,
        }]),
        ..m.clone()
    };
    assert!(posture::repository_findings(&posture_facts(&hardened, false)).is_empty());
    // Unknown at plan time: the check is skipped, not guessed.
    let unknown = Model {
        image_tag_mutability: Val::Unknown,
        image_scanning_configuration: Val::Unknown,
        encryption_configuration: Val::Unknown,
        ..m
    };
    assert!(posture::repository_findings(&posture_facts(&unknown, false)).is_empty());
}

#[test]
fn missing_lifecycle_policy_is_reported_at_plan_after_refresh() {
    let state = Model {
        name: Val::of("app"),
        ..Default::default()
    };
    let plan = Plan {
        prior: Some(state.clone()),
        config: state.clone(),
        planned: state.clone(),
        requires_replace: vec![],
        siblings: Default::default(),
    };
    assert!(
        lifecycle_policy_finding(&plan).is_none(),
        "nothing refreshed yet"
    );
    cross::no_lifecycle_policy_at_refresh(&plan.siblings, "app");
    assert_eq!(
        lifecycle_policy_finding(&plan).map(|f| f.check.id),
        Some("ECR-P004")
    );
    let create = Plan {
        prior: None,
        ..plan
    };
    assert!(
        lifecycle_policy_finding(&create).is_none(),
        "a new repository is not checked"
    );
    let plan = Plan {
        prior: Some(state.clone()),
        ..create
    };
    cross::lifecycle_policy_planned(&plan.siblings, "app");
    assert!(
        lifecycle_policy_finding(&plan).is_none(),
        "a policy planned before it silences it"
    );
}

#[test]
fn adoption_needs_every_setting_to_match() {
    let tags = |pairs: &[(&str, &str)]| {
        Val::Known(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<BTreeMap<_, _>>(),
        )
    };
    let plan = Model {
        image_tag_mutability: Val::of("IMMUTABLE"),
        image_scanning_configuration: Val::Known(vec![Scanning {
            scan_on_push: Val::Known(true),
        }]),
        tags_all: tags(&[("team", "a")]),
        ..Default::default()
    };
    assert!(settings_mismatches(&plan, &plan.clone()).is_empty());

    // Another workspace's new, empty repository with AWS's defaults and no tags.
    let other = Model {
        image_tag_mutability: Val::of("MUTABLE"),
        image_scanning_configuration: Val::Null,
        tags_all: tags(&[]),
        ..Default::default()
    };
    assert_eq!(
        settings_mismatches(&plan, &other),
        vec![
            "image_tag_mutability MUTABLE differs from planned IMMUTABLE".to_string(),
            "scan_on_push false differs from planned true".to_string(),
            "its tags {} differ from the planned {team=a}".to_string(),
        ]
    );
    let filtered = Model {
        image_tag_mutability_exclusion_filter: Val::Known(vec![ExclusionFilter {
            filter: Val::of("latest"),
            filter_type: Val::of("WILDCARD"),
        }]),
        ..plan.clone()
    };
    assert_eq!(
        settings_mismatches(&plan, &filtered),
        vec!["its image tag mutability exclusion filters differ from the planned ones"]
    );
}

#[test]
fn encryption_mismatch_compares_type_and_a_planned_key() {
    let plan = |t: &str, k: Option<&str>| Model {
        encryption_configuration: Val::Known(vec![Encryption {
            encryption_type: Val::of(t),
            kms_key: k.map(str::to_string).into(),
        }]),
        ..Default::default()
    };
    // What AWS reports, read back the way adoption reads it (`None`: AWS omits the block).
    let read_back = |enc: Option<(&str, Option<&str>)>| {
        let repo = Repository::builder()
            .set_encryption_configuration(enc.map(|(t, k)| {
                EncryptionConfiguration::builder()
                    .encryption_type(EncryptionType::from(t))
                    .set_kms_key(k.map(str::to_string))
                    .build()
                    .unwrap()
            }))
            .build();
        let mut m = Model::default();
        apply_remote(&mut m, &repo, &BTreeMap::new(), &BTreeMap::new());
        m
    };
    let remote = |t: &str, k: Option<&str>| read_back(Some((t, k)));
    // No block planned, none reported: AES256 both sides.
    assert_eq!(
        encryption_mismatch(&Model::default(), &read_back(None)),
        None
    );
    assert_eq!(
        encryption_mismatch(&Model::default(), &remote("KMS", Some("arn:k"))),
        Some("encryption KMS differs from planned AES256".into())
    );
    assert_eq!(
        encryption_mismatch(&plan("KMS", None), &remote("AES256", None)),
        Some("encryption AES256 differs from planned KMS".into())
    );
    // KMS without a planned key accepts AWS's key; a planned key must be the same.
    assert_eq!(
        encryption_mismatch(&plan("KMS", None), &remote("KMS", Some("arn:aws-ecr"))),
        None
    );
    assert_eq!(
        encryption_mismatch(&plan("KMS", Some("arn:k1")), &remote("KMS", Some("arn:k1"))),
        None
    );
    assert_eq!(
        encryption_mismatch(&plan("KMS", Some("arn:k1")), &remote("KMS", Some("arn:k2"))),
        Some("encryption KMS key arn:k2 differs from planned arn:k1".into())
    );
}

#[test]
fn kms_key_needs_kms() {
    let m = Model {
        name: Val::of("app"),
        encryption_configuration: Val::Known(vec![Encryption {
            encryption_type: Val::of("AES256"),
            kms_key: Val::of("arn:aws:kms:x"),
        }]),
        ..Default::default()
    };
    let d = diags_for(&m);
    assert!(
        !d.has_errors() && d.0[0].detail.contains("AES256"),
        "{:?}",
        d.0
    );
}

#[test]
fn moved_from_a_v6_state_and_default_blocks_written_out() {
    let state: serde_json::Value = serde_json::from_str(
        r#"{
        "name": "moved-app", "arn": "arn:aws:ecr:us-east-1:123456789012:repository/moved-app",
        "encryption_configuration": [{"encryption_type": "AES256", "kms_key": ""}],
        "image_scanning_configuration": [{"scan_on_push": false}],
        "image_tag_mutability": "MUTABLE", "force_delete": null,
        "tags": {}, "tags_all": {"managed-by": "terraform"}, "timeouts": null
    }"#,
    )
    .unwrap();
    let src = crate::moves::Source {
        provider_address: "registry.opentofu.org/hashicorp/aws",
        type_name: "aws_ecr_repository",
        schema_version: 0,
        state: &state,
        identity: None,
    };
    let m = moved_from_aws(&src, Some("eu-north-1")).unwrap();
    assert_eq!(m.region, Val::of("eu-north-1"));
    assert_eq!(m.force_delete, Val::Known(false));
    assert_eq!(m.tags, Val::Null);
    assert_eq!(m.image_scanning_configuration, Val::Known(vec![]));
    assert_eq!(m.encryption_configuration, Val::Known(vec![]));
    // A configuration that writes the defaults out gets them in the moved state.
    let config = Model {
        name: Val::of("moved-app"),
        image_scanning_configuration: Val::Known(vec![Scanning {
            scan_on_push: Val::Known(false),
        }]),
        encryption_configuration: Val::Known(vec![Encryption {
            encryption_type: Val::of("AES256"),
            kms_key: Val::Null,
        }]),
        ..Default::default()
    };
    record_default_blocks(&config);
    let m = moved_from_aws(&src, Some("us-east-1")).unwrap();
    assert_eq!(m.image_scanning_configuration.items().len(), 1);
    assert_eq!(
        m.encryption_configuration.items()[0].encryption_type,
        Val::of("AES256")
    );
    let planned = crate::framework::testing::plan(
        EcrRepository,
        Some(&m),
        &config,
        None,
        &Default::default(),
    );
    assert!(
        planned.requires_replace.is_empty(),
        "{:?}",
        planned.requires_replace
    );
    let mut expected = m.clone();
    expected.tags_all = Val::Unknown; // the provider is not configured in this test
    assert_eq!(planned.planned, expected);
    hints::record(MOVED_SHAPE_HINT, "moved-app", None);
}
