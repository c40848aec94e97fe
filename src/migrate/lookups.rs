//! What converting hashicorp/aws's ECR data sources needs beyond the type name. Their arguments
//! and attributes have the same names here; two things differ in meaning, and are handled:
//! - `aws_ecr_image` takes `image_tag` and `image_digest` together (the tag must name that
//!   digest); `ecr_image` takes exactly one, so the tag goes and the digest, which names the
//!   same image, stays;
//! - `aws_ecr_image`'s `image_uri` is always `<repository_url>@<digest>`; `ecr_image`'s is
//!   `<repository_url>:<tag>` when the image is looked up by tag. A reference to it is reported
//!   with the expression that keeps the digest form (a task definition would otherwise change).

use std::collections::BTreeSet;

use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::structure::{Block, Body};
use hcl_edit::visit::{self, Visit};

use super::edits::Edits;
use super::tables::Twin;
use super::{address, note, span, Kind, Note, SourceFile};

const IMAGE: &str = "aws_ecr_image";

/// Edits a converted data source block needs beyond its type (none for most).
pub(super) fn convert(
    f: &SourceFile,
    b: &Block,
    twin: &Twin,
    e: &mut Edits<'_>,
    notes: &mut Vec<Note>,
) {
    if twin.aws != IMAGE {
        return;
    }
    if let (Some(tag), true) = (
        b.body.get_attribute("image_tag"),
        b.body.has_attribute("image_digest"),
    ) {
        e.remove_line(span(tag));
        notes.push(note(
            f,
            b,
            &format!(
                "argument image_tag removed: {} looks an image up by exactly one of image_tag, image_digest and most_recent, and image_digest names the same image",
                twin.ours
            ),
        ));
    }
}

/// Notes for references to `image_uri` of converted `aws_ecr_image` blocks that look the image
/// up by tag only (`converted(name)`: whether `data.aws_ecr_image.<name>` is converted).
pub(super) fn reference_notes(
    files: &[SourceFile],
    bodies: &[Body],
    converted: impl Fn(&str) -> bool,
) -> Vec<Note> {
    let mut referenced = BTreeSet::new();
    for body in bodies {
        let mut v = ImageUriReferences(&mut referenced);
        v.visit_body(body);
    }
    let mut notes = Vec::new();
    for (f, body) in files.iter().zip(bodies) {
        for b in body.blocks() {
            let Some((Kind::DataSource, IMAGE, name)) = address(b) else {
                continue;
            };
            let by_tag_only =
                b.body.has_attribute("image_tag") && !b.body.has_attribute("image_digest");
            if by_tag_only && converted(name) && referenced.contains(name) {
                let x = format!("data.ecr_image.{name}");
                notes.push(note(
                    f,
                    b,
                    &format!(
                        "its image_uri is referenced: looked up by tag, ecr_image's image_uri is <repository_url>:<tag> (hashicorp/aws gives <repository_url>@<digest>); to keep the digest form write \"${{trimsuffix({x}.image_uri, \":${{{x}.image_tag}}\")}}@${{{x}.image_digest}}\""
                    ),
                ));
            }
        }
    }
    notes
}

/// Names `N` of `data.aws_ecr_image.N.image_uri` references.
struct ImageUriReferences<'a>(&'a mut BTreeSet<String>);

impl Visit for ImageUriReferences<'_> {
    fn visit_traversal(&mut self, t: &hcl_edit::expr::Traversal) {
        if let Expression::Variable(root) = &t.expr {
            let names: Vec<&str> = t
                .operators
                .iter()
                .take(3)
                .map_while(|o| match o.value() {
                    TraversalOperator::GetAttr(a) => Some(a.as_str()),
                    _ => None,
                })
                .collect();
            if root.as_str() == "data"
                && names.len() == 3
                && names[0] == IMAGE
                && names[2] == "image_uri"
            {
                self.0.insert(names[1].to_string());
            }
        }
        visit::visit_traversal(self, t);
    }
}

#[cfg(test)]
mod tests {
    use super::super::{migrate, Migration, Ours, Shape, SourceFile};

    fn ours() -> Ours {
        let shape = |args: &[&str]| Shape {
            arguments: args.iter().map(|s| s.to_string()).collect(),
            blocks: Default::default(),
        };
        Ours {
            data_sources: [
                (
                    "ecr_image",
                    shape(&[
                        "repository_name",
                        "registry_id",
                        "region",
                        "image_tag",
                        "image_digest",
                        "most_recent",
                    ]),
                ),
                ("ecr_repository", shape(&["name", "registry_id", "region"])),
                ("ecr_repositories", shape(&["registry_id", "region"])),
                (
                    "ecr_images",
                    shape(&["repository_name", "registry_id", "region"]),
                ),
                (
                    "ecr_pull_through_cache_rule",
                    shape(&["ecr_repository_prefix", "registry_id", "region"]),
                ),
                (
                    "ecr_repository_creation_template",
                    shape(&["prefix", "region"]),
                ),
                (
                    "ecr_public_images",
                    Shape {
                        blocks: [(
                            "image_ids".to_string(),
                            shape(&["image_tag", "image_digest"]),
                        )]
                        .into(),
                        ..shape(&["repository_name", "registry_id"])
                    },
                ),
            ]
            .into_iter()
            .map(|(n, s)| (n.to_string(), s))
            .collect(),
            ..Default::default()
        }
    }

    fn run(text: &str) -> Migration {
        migrate(
            &[SourceFile {
                name: "main.tf".into(),
                text: text.into(),
            }],
            &ours(),
        )
        .unwrap()
    }

    fn messages(m: &Migration) -> Vec<String> {
        m.notes.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn every_lookup_converts_with_its_references() {
        let text = r#"data "aws_ecr_repository" "app" {
  name        = "app"
  registry_id = "111122223333"
  region      = "eu-west-1" # v6
}

data "aws_ecr_repositories" "all" {}

data "aws_ecr_image" "newest" {
  repository_name = data.aws_ecr_repository.app.name
  most_recent     = true
}

data "aws_ecr_images" "app" {
  repository_name = "app"
}

data "aws_ecrpublic_images" "tool" {
  repository_name = "tool"
  region          = "us-east-1"
  image_ids {
    image_tag = "stable"
  }
}

data "aws_ecr_pull_through_cache_rule" "quay" {
  ecr_repository_prefix = "quay"
}

data "aws_ecr_repository_creation_template" "root" {
  prefix = "ROOT"
}

output "x" {
  value = [
    data.aws_ecr_repository.app.repository_url,
    data.aws_ecr_repositories.all.names,
    data.aws_ecr_image.newest.image_uri,
    data.aws_ecr_images.app.image_ids[0].image_digest,
    data.aws_ecrpublic_images.tool.images,
    "${data.aws_ecr_pull_through_cache_rule.quay.upstream_registry_url}/x",
    data.aws_ecr_repository_creation_template.root.applied_for,
  ]
}
"#;
        let m = run(text);
        let out = &m.files[0].text;
        assert_eq!(m.data_sources, 7);
        assert_eq!(m.references, 8);
        for (aws, ours) in [
            ("aws_ecr_repository", "ecr_repository"),
            ("aws_ecr_repositories", "ecr_repositories"),
            ("aws_ecr_image", "ecr_image"),
            ("aws_ecr_images", "ecr_images"),
            ("aws_ecrpublic_images", "ecr_public_images"),
            (
                "aws_ecr_pull_through_cache_rule",
                "ecr_pull_through_cache_rule",
            ),
            (
                "aws_ecr_repository_creation_template",
                "ecr_repository_creation_template",
            ),
        ] {
            assert!(out.contains(&format!("data \"{ours}\" ")), "{ours}: {out}");
            assert!(!out.contains(aws), "{aws} left in {out}");
        }
        assert!(
            out.contains("  region      = \"eu-west-1\" # v6\n"),
            "{out}"
        );
        assert!(
            out.contains("    data.ecr_image.newest.image_uri,\n"),
            "{out}"
        );
        assert!(
            out.contains("\"${data.ecr_pull_through_cache_rule.quay.upstream_registry_url}/x\"")
        );
        // ECR Public has no region here (us-east-1 only): the one note.
        assert_eq!(
            messages(&m),
            ["main.tf:18: data.aws_ecrpublic_images.tool: argument region removed: ecr_public_images has no such argument"]
        );
        assert!(out.contains("data \"ecr_public_images\" \"tool\" {\n  repository_name = \"tool\"\n  image_ids {"), "{out}");
    }

    #[test]
    fn image_by_tag_and_digest_keeps_the_digest_and_tag_lookups_report_image_uri() {
        let text = r#"data "aws_ecr_image" "both" {
  repository_name = "app"
  image_tag       = "v1"
  image_digest    = "sha256:0000000000000000000000000000000000000000000000000000000000000000"
}

data "aws_ecr_image" "by_tag" {
  repository_name = "app"
  image_tag       = "v1"
}

data "aws_ecr_image" "by_tag_unused_uri" {
  repository_name = "app"
  image_tag       = "v2"
}

output "uris" {
  value = [data.aws_ecr_image.both.image_uri, "${data.aws_ecr_image.by_tag.image_uri}", data.aws_ecr_image.by_tag_unused_uri.image_digest]
}
"#;
        let m = run(text);
        let out = &m.files[0].text;
        assert!(out.contains("data \"ecr_image\" \"both\" {\n  repository_name = \"app\"\n  image_digest    = \"sha256:"), "{out}");
        assert!(out.contains("data \"ecr_image\" \"by_tag\" {\n  repository_name = \"app\"\n  image_tag       = \"v1\"\n}"), "{out}");
        let msgs = messages(&m);
        assert_eq!(msgs.len(), 2, "{msgs:#?}");
        assert!(
            msgs.iter()
                .any(|n| n
                    .starts_with("main.tf:1: data.aws_ecr_image.both: argument image_tag removed")),
            "{msgs:#?}"
        );
        let uri = msgs
            .iter()
            .find(|n| {
                n.starts_with("main.tf:7: data.aws_ecr_image.by_tag: its image_uri is referenced")
            })
            .unwrap_or_else(|| panic!("{msgs:#?}"));
        assert!(
            uri.ends_with(r#"write "${trimsuffix(data.ecr_image.by_tag.image_uri, ":${data.ecr_image.by_tag.image_tag}")}@${data.ecr_image.by_tag.image_digest}""#),
            "{uri}"
        );
        // A second run finds nothing left to convert or report.
        let again = migrate(&m.files, &ours()).unwrap();
        assert_eq!((again.data_sources, again.notes.len()), (0, 0));
        assert_eq!(again.files, m.files);
    }
}
