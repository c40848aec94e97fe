//! `migrate` on the repository's own examples written back in hashicorp/aws form
//! (`tests/fixtures/migrate/examples-aws/`): every folder converts completely, with one `moved`
//! block per resource, the provider block and requirement, and a second run changes nothing;
//! the only note is the one a tag lookup's `image_uri` gets.
//! (`acceptance-tests/test_moves.py` plans the result against moved state.)

use std::path::{Path, PathBuf};

use terraform_provider_ecr::migrate::{migrate, SourceFile};

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/migrate/examples-aws")
}

fn folders() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for kind in ["resources", "data-sources"] {
        for e in std::fs::read_dir(fixture_root().join(kind)).unwrap() {
            out.push(e.unwrap().path());
        }
    }
    out.sort();
    out
}

/// The folder's main.tf with the shared provider.tf, as each example links it.
fn module(folder: &Path) -> Vec<SourceFile> {
    ["main.tf", "provider.tf"]
        .iter()
        .map(|name| {
            let path = if *name == "provider.tf" {
                fixture_root().join(name)
            } else {
                folder.join(name)
            };
            SourceFile {
                name: name.to_string(),
                text: std::fs::read_to_string(path).unwrap(),
            }
        })
        .collect()
}

#[test]
fn every_example_converts_completely_and_once() {
    let ours = terraform_provider_ecr::migrate_targets();
    let folders = folders();
    assert_eq!(folders.len(), 22, "{folders:?}");
    for folder in folders {
        let name = folder.file_name().unwrap().to_string_lossy().into_owned();
        let input = module(&folder);
        let aws_resources = input[0].text.matches("\nresource \"aws_ecr").count()
            + usize::from(input[0].text.starts_with("resource \"aws_ecr"));
        let m = migrate(&input, &ours).unwrap();
        let notes: Vec<String> = m.notes.iter().map(|n| n.to_string()).collect();
        if name == "ecr_image" {
            // hashicorp/aws's image_uri is digest-pinned; looked up by tag, ours is not.
            assert_eq!(notes.len(), 1, "{name}: {notes:#?}");
            assert!(
                notes[0].contains("data.aws_ecr_image.release: its image_uri is referenced"),
                "{name}: {notes:#?}"
            );
        } else {
            assert!(notes.is_empty(), "{name}: {notes:#?}");
        }
        assert_eq!(m.moved_blocks, aws_resources, "{name}");
        assert_eq!(m.resources, aws_resources, "{name}");
        let main = &m.files[0].text;
        for line in main.lines() {
            let in_moved_from = line.trim_start().starts_with("from = aws_ecr");
            assert!(
                in_moved_from || !line.contains("aws_ecr"),
                "{name}: left unconverted: {line}"
            );
        }
        // The folder's own type is there, under this provider's name.
        let kind = if folder.parent().unwrap().ends_with("resources") {
            "resource"
        } else {
            "data"
        };
        assert!(
            main.contains(&format!("{kind} \"{name}\"")),
            "{name}: no {kind} \"{name}\" in\n{main}"
        );
        let provider = &m.files[1].text;
        assert!(
            provider.contains("provider \"ecr\" {\n  default_tags {\n    tags = { managed-by = \"terraform\" }\n  }\n}"),
            "{name}: {provider}"
        );
        assert!(
            provider.contains("ecr = {\n      source = \"ecr-rs/ecr\"\n    }"),
            "{provider}"
        );
        // A second run has nothing left to do.
        let again = migrate(&m.files, &ours).unwrap();
        assert_eq!(again.files, m.files, "{name}");
        assert_eq!(again.resources + again.data_sources, 0, "{name}");
    }
}

#[test]
fn the_cli_prints_a_diff_and_writes_only_with_write() {
    let dir = tempfile::tempdir().unwrap();
    let folder = fixture_root().join("resources/ecr_repository");
    for f in module(&folder) {
        std::fs::write(dir.path().join(&f.name), &f.text).unwrap();
    }
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_terraform-provider-ecr"))
            .arg("migrate")
            .args(args)
            .env_remove("TF_PLUGIN_MAGIC_COOKIE")
            .output()
            .unwrap()
    };
    let dry = run(&[dir.path().to_str().unwrap()]);
    assert_eq!(dry.status.code(), Some(0));
    let out = String::from_utf8_lossy(&dry.stdout);
    assert!(out.contains("--- a/main.tf\n+++ b/main.tf\n"), "{out}");
    assert!(
        out.contains(
            "-resource \"aws_ecr_repository\" \"app\" {\n+resource \"ecr_repository\" \"app\" {"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "+moved {\n+  from = aws_ecr_repository.app\n+  to   = ecr_repository.app\n+}"
        ),
        "{out}"
    );
    let err = String::from_utf8_lossy(&dry.stderr);
    assert!(
        err.contains("2 resource(s) and 1 data source(s) converted"),
        "{err}"
    );
    assert!(
        err.contains("Nothing written: run again with --write"),
        "{err}"
    );
    let untouched = std::fs::read_to_string(dir.path().join("main.tf")).unwrap();
    assert!(untouched.contains("resource \"aws_ecr_repository\""));

    let wet = run(&[dir.path().to_str().unwrap(), "--write"]);
    assert_eq!(wet.status.code(), Some(0));
    let written = std::fs::read_to_string(dir.path().join("main.tf")).unwrap();
    assert!(written.contains("resource \"ecr_repository\" \"app\""));
    assert!(written.contains("  repository = ecr_repository.app.name\n"));

    let bad = run(&["--frobnicate"]);
    assert_eq!(bad.status.code(), Some(2));
    let empty = tempfile::tempdir().unwrap();
    let none = run(&[empty.path().to_str().unwrap()]);
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("no .tf files"));
}
