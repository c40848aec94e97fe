use super::*;

fn shape(args: &[&str], blocks: &[(&str, Shape)]) -> Shape {
    Shape {
        arguments: args.iter().map(|s| s.to_string()).collect(),
        blocks: blocks
            .iter()
            .map(|(n, s)| (n.to_string(), s.clone()))
            .collect(),
    }
}

fn ours() -> Ours {
    let repo = shape(
        &[
            "name",
            "image_tag_mutability",
            "force_delete",
            "tags",
            "posture_ignore",
        ],
        &[
            (
                "image_scanning_configuration",
                shape(&["scan_on_push"], &[]),
            ),
            (
                "encryption_configuration",
                shape(&["encryption_type", "kms_key"], &[]),
            ),
        ],
    );
    let policy = shape(&["repository", "policy"], &[]);
    let doc = shape(
        &[],
        &[(
            "rule",
            shape(
                &["priority", "description"],
                &[
                    (
                        "selection",
                        shape(
                            &["tag_status", "count_type", "count_number", "count_unit"],
                            &[],
                        ),
                    ),
                    ("action", shape(&["type"], &[])),
                ],
            ),
        )],
    );
    Ours {
        provider: shape(
            &["region", "profile"],
            &[
                ("assume_role", shape(&["role_arn", "session_name"], &[])),
                ("default_tags", shape(&["tags"], &[])),
                ("endpoints", shape(&["ecr", "ecrpublic", "sts"], &[])),
            ],
        ),
        resources: [
            ("ecr_repository".to_string(), repo),
            ("ecr_lifecycle_policy".to_string(), policy.clone()),
            ("ecr_repository_policy".to_string(), policy),
        ]
        .into(),
        data_sources: [("ecr_lifecycle_policy_document".to_string(), doc)].into(),
        ephemeral_resources: [(
            "ecr_authorization_token".to_string(),
            shape(&["registry_id"], &[]),
        )]
        .into(),
    }
}

fn run(files: &[(&str, &str)]) -> Migration {
    let files: Vec<SourceFile> = files
        .iter()
        .map(|(n, t)| SourceFile {
            name: n.to_string(),
            text: t.to_string(),
        })
        .collect();
    migrate(&files, &ours()).unwrap()
}

const MAIN: &str = r#"terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1" # where the registry lives
  default_tags {
    tags = { team = "platform" }
  }
  ignore_tags {
    keys = ["x"]
  }
}

# The application's images.
resource "aws_ecr_repository" "app" {
  name                 = "my-org/app"
  image_tag_mutability = "IMMUTABLE" # never overwrite a tag

  image_scanning_configuration {
    scan_on_push = true
  }
}

data "aws_ecr_lifecycle_policy_document" "keep" {
  rule {
    priority = 1
    selection {
      tag_status   = "untagged"
      count_type   = "sinceImagePushed"
      count_unit   = "days"
      count_number = 14
    }
  }
}

resource "aws_ecr_lifecycle_policy" "app" {
  repository = aws_ecr_repository.app.name
  policy     = data.aws_ecr_lifecycle_policy_document.keep.json
}

output "url" {
  value = "${aws_ecr_repository.app.repository_url}:latest"
}
"#;

#[test]
fn converts_types_references_and_adds_moves_provider_and_requirement() {
    let m = run(&[("main.tf", MAIN)]);
    let out = &m.files[0].text;
    let expected = r#"terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
    ecr = {
      source = "ecr-rs/ecr"
    }
  }
}

provider "aws" {
  region = "eu-west-1" # where the registry lives
  default_tags {
    tags = { team = "platform" }
  }
  ignore_tags {
    keys = ["x"]
  }
}

provider "ecr" {
  region = "eu-west-1"
  default_tags {
    tags = { team = "platform" }
  }
}

# The application's images.
resource "ecr_repository" "app" {
  name                 = "my-org/app"
  image_tag_mutability = "IMMUTABLE" # never overwrite a tag

  image_scanning_configuration {
    scan_on_push = true
  }
}

moved {
  from = aws_ecr_repository.app
  to   = ecr_repository.app
}

data "ecr_lifecycle_policy_document" "keep" {
  rule {
    priority = 1
    selection {
      tag_status   = "untagged"
      count_type   = "sinceImagePushed"
      count_unit   = "days"
      count_number = 14
    }
  }
}

resource "ecr_lifecycle_policy" "app" {
  repository = ecr_repository.app.name
  policy     = data.ecr_lifecycle_policy_document.keep.json
}

moved {
  from = aws_ecr_lifecycle_policy.app
  to   = ecr_lifecycle_policy.app
}

output "url" {
  value = "${ecr_repository.app.repository_url}:latest"
}
"#;
    assert_eq!(
        out,
        expected,
        "\n{}",
        diff::unified("main.tf", expected, out, 2)
    );
    assert_eq!(
        (
            m.resources,
            m.data_sources,
            m.moved_blocks,
            m.provider_blocks
        ),
        (2, 1, 2, 1)
    );
    assert_eq!(m.references, 3);
    assert_eq!(m.notes.len(), 1, "{:?}", m.notes);
    assert!(
        m.notes[0].message.contains("ignore_tags not copied"),
        "{}",
        m.notes[0]
    );
    assert_eq!(m.notes[0].line, 10);
}

#[test]
fn a_second_run_changes_nothing() {
    let once = run(&[("main.tf", MAIN)]);
    let twice = run(&[("main.tf", &once.files[0].text)]);
    assert_eq!(twice.files[0].text, once.files[0].text);
    assert_eq!(twice.resources, 0);
}

#[test]
fn unconvertible_blocks_and_arguments_are_reported_and_left() {
    let text = r#"data "aws_ecrpublic_image" "app" {
  repository_name = "app"
  image_tag       = "latest"
}

data "aws_iam_policy_document" "pull" {
  statement {
    actions = ["ecr:BatchGetImage"]
  }
}

resource "aws_ecr_repository_policy" "app" {
  repository = "app"
  policy     = data.aws_iam_policy_document.pull.json
}

resource "aws_ecr_repository" "old" {
  name         = "old"
  force_delete = true
  region       = "us-west-2"
  timeouts {
    delete = "5m"
  }
}

ephemeral "aws_ecr_authorization_token" "t" {}

ephemeral "aws_ecrpublic_authorization_token" "p" {}

output "user" {
  value     = ephemeral.aws_ecr_authorization_token.t.user_name
  ephemeral = true
}

# A type hashicorp/aws may add later (every ECR resource it has today has a twin here).
resource "aws_ecr_future_type" "r" {}
"#;
    let m = run(&[("ecr.tf", text)]);
    let out = &m.files[1 - 1].text;
    assert!(out.contains("data \"aws_ecrpublic_image\" \"app\""));
    assert!(out.contains("data \"aws_iam_policy_document\" \"pull\""));
    assert!(out.contains("resource \"ecr_repository_policy\" \"app\""));
    assert!(out.contains("policy     = data.aws_iam_policy_document.pull.json"));
    assert!(out.contains("resource \"ecr_repository\" \"old\" {\n  name         = \"old\"\n  force_delete = true\n}"), "{out}");
    assert!(out.starts_with("terraform {\n  required_providers {\n    ecr = {\n      source = \"ecr-rs/ecr\"\n    }\n  }\n}\n\n"), "{out}");
    let messages: Vec<String> = m.notes.iter().map(ToString::to_string).collect();
    let has = |s: &str| messages.iter().any(|m| m.contains(s));
    assert!(has("ecr.tf:1: data.aws_ecrpublic_image.app: not converted: terraform-provider-ecr has no such data source"), "{messages:#?}");
    assert!(has("aws_ecr_repository_policy.app: data.aws_iam_policy_document.pull stays on hashicorp/aws"), "{messages:#?}");
    assert!(
        has("argument region removed: ecr_repository has no such argument"),
        "{messages:#?}"
    );
    assert!(has("block timeouts removed"), "{messages:#?}");
    // An ephemeral twin is converted with its references; one whose twin the target schema
    // lacks (here ecr_public_authorization_token) stays, saying why.
    assert!(
        out.contains("ephemeral \"ecr_authorization_token\" \"t\" {}"),
        "{out}"
    );
    assert!(
        out.contains("value     = ephemeral.ecr_authorization_token.t.user_name"),
        "{out}"
    );
    assert!(!out.contains("moved {\n  from = ephemeral"), "{out}");
    assert!(
        !has("ephemeral.aws_ecr_authorization_token.t: not converted"),
        "{messages:#?}"
    );
    assert!(
        has(
            "aws_ecr_future_type.r: not converted: terraform-provider-ecr has no such resource yet"
        ),
        "{messages:#?}"
    );
}

#[test]
fn aliases_follow_and_existing_moved_blocks_are_left() {
    let text = r#"provider "aws" {
  alias  = "west"
  region = "us-west-2"
  assume_role {
    role_arn = "arn:aws:iam::123456789012:role/ci"
    tags     = { a = "b" }
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_ecr_repository" "west" {
  provider = aws.west
  name     = "west"
}

moved {
  from = aws_ecr_repository.old_name
  to   = aws_ecr_repository.west
}

resource "aws_s3_bucket" "b" {
  provider   = aws.west
  depends_on = [aws_ecr_repository.west]
}
"#;
    let m = run(&[("main.tf", text)]);
    let out = &m.files[0].text;
    assert!(
        out.contains("resource \"ecr_repository\" \"west\" {\n  provider = ecr.west\n"),
        "{out}"
    );
    assert!(out.contains("provider \"ecr\" {\n  alias  = \"west\"\n  region = \"us-west-2\"\n  assume_role {\n    role_arn = \"arn:aws:iam::123456789012:role/ci\"\n  }\n}"), "{out}");
    // Only the aliased configuration is used: no ecr twin of the default one.
    assert_eq!(m.provider_blocks, 1);
    assert!(out.contains(
        "moved {\n  from = aws_ecr_repository.old_name\n  to   = aws_ecr_repository.west\n}"
    ));
    assert!(
        out.contains("provider   = aws.west\n  depends_on = [ecr_repository.west]"),
        "{out}"
    );
    assert!(m
        .notes
        .iter()
        .any(|n| n.message.contains("assume_role.tags not copied")));
}

#[test]
fn a_taken_address_is_not_converted_and_several_files_are_handled() {
    let a = "resource \"aws_ecr_repository\" \"app\" {\n  name = \"a\"\n}\n";
    let b = "resource \"ecr_repository\" \"app\" {\n  name = \"b\"\n}\n\nterraform {\n  required_version = \">= 1.8\"\n}\n";
    let m = run(&[("a.tf", a), ("b.tf", b)]);
    assert_eq!(m.files[0].text, a);
    assert_eq!(m.resources, 0);
    assert!(m.notes[0]
        .message
        .contains("ecr_repository.app already exists"));
    // Nothing converted: no requirement added either.
    assert_eq!(m.files[1].text, b);

    let c = "resource \"aws_ecr_repository\" \"c\" {\n  name = \"c\"\n}\n";
    let m = run(&[("b.tf", b), ("c.tf", c)]);
    assert!(m.files[0].text.ends_with("terraform {\n  required_version = \">= 1.8\"\n  required_providers {\n    ecr = {\n      source = \"ecr-rs/ecr\"\n    }\n  }\n}\n"), "{}", m.files[0].text);
    assert!(m.files[1]
        .text
        .starts_with("resource \"ecr_repository\" \"c\""));
}

#[test]
fn a_parse_error_names_the_file() {
    let files = vec![SourceFile {
        name: "bad.tf".into(),
        text: "resource \"x\" {".into(),
    }];
    let e = migrate(&files, &ours()).unwrap_err();
    assert_eq!(e.file, "bad.tf");
}

#[test]
fn registry_wide_types_convert_with_their_references() {
    let mut targets = ours();
    let filter = shape(&["filter", "filter_type"], &[]);
    targets.resources.extend([
        (
            "ecr_replication_configuration".to_string(),
            shape(
                &["region"],
                &[(
                    "replication_configuration",
                    shape(
                        &[],
                        &[(
                            "rule",
                            shape(
                                &[],
                                &[
                                    ("destination", shape(&["region", "registry_id"], &[])),
                                    ("repository_filter", filter.clone()),
                                ],
                            ),
                        )],
                    ),
                )],
            ),
        ),
        (
            "ecr_repository_creation_template".to_string(),
            shape(
                &[
                    "prefix",
                    "applied_for",
                    "image_tag_mutability",
                    "lifecycle_policy",
                    "region",
                ],
                &[("image_tag_mutability_exclusion_filter", filter)],
            ),
        ),
        (
            "ecr_account_setting".to_string(),
            shape(&["name", "value", "region"], &[]),
        ),
        (
            "ecr_pull_time_update_exclusion".to_string(),
            shape(&["principal_arn", "region"], &[]),
        ),
    ]);
    let main = r#"resource "aws_ecr_replication_configuration" "this" {
  region = "eu-west-1" # 6.x's per-resource region
  replication_configuration {
    rule {
      destination {
        region      = "us-west-2"
        registry_id = "123456789012"
      }
      repository_filter {
        filter      = "prod"
        filter_type = "PREFIX_MATCH"
      }
    }
  }
}

resource "aws_ecr_repository_creation_template" "hub" {
  prefix               = "docker-hub"
  applied_for          = ["PULL_THROUGH_CACHE"]
  image_tag_mutability = "IMMUTABLE_WITH_EXCLUSION"
  image_tag_mutability_exclusion_filter {
    filter      = "latest*"
    filter_type = "WILDCARD"
  }
}

resource "aws_ecr_account_setting" "mount" {
  name  = "BLOB_MOUNTING"
  value = "ENABLED"
}

resource "aws_ecr_pull_time_update_exclusion" "scanner" {
  principal_arn = "arn:aws:iam::123456789012:role/scanner"
}

output "ids" {
  value = [
    aws_ecr_replication_configuration.this.registry_id,
    aws_ecr_repository_creation_template.hub.registry_id,
    aws_ecr_account_setting.mount.value,
    aws_ecr_pull_time_update_exclusion.scanner.principal_arn,
  ]
}
"#;
    let files = [SourceFile {
        name: "main.tf".into(),
        text: main.into(),
    }];
    let m = migrate(&files, &targets).unwrap();
    assert!(m.notes.is_empty(), "{:#?}", m.notes);
    assert_eq!((m.resources, m.moved_blocks, m.references), (4, 4, 4));
    let out = &m.files[0].text;
    for (aws, ours) in [
        (
            "aws_ecr_replication_configuration",
            "ecr_replication_configuration",
        ),
        (
            "aws_ecr_repository_creation_template",
            "ecr_repository_creation_template",
        ),
        ("aws_ecr_account_setting", "ecr_account_setting"),
        (
            "aws_ecr_pull_time_update_exclusion",
            "ecr_pull_time_update_exclusion",
        ),
    ] {
        assert!(out.contains(&format!("resource \"{ours}\"")), "{out}");
        assert!(out.contains(&format!("  from = {aws}.")), "{out}");
        assert!(
            !out.contains(&format!("    {aws}.")),
            "reference left: {out}"
        );
    }
    // Arguments and comments stay as written.
    assert!(out.contains("  region = \"eu-west-1\" # 6.x's per-resource region\n"));
    assert!(out.contains("    filter_type = \"WILDCARD\"\n"));
    assert!(out.contains("    ecr_pull_time_update_exclusion.scanner.principal_arn,\n"));
}
