//! CI check for the registry docs: the committed `docs/` must be exactly what
//! `terraform-provider-ecr docs` generates from the schemas and `examples/`, and the schema
//! descriptions the pages are made of must read as documentation.

use std::path::{Path, PathBuf};
use std::process::Command;

use terraform_provider_ecr::cli::docs::check_dir;
use terraform_provider_ecr::docs::{collect, render, Kind, Page};
use terraform_provider_ecr::protocol::cty::Type;
use terraform_provider_ecr::protocol::schema::{AttributeType, Block};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn committed_docs_match_the_generated_ones() {
    let site = collect(&repo().join("examples")).expect("read the examples");
    let pages = render(&site);
    let mismatches = check_dir(&repo().join("docs"), &pages).expect("read docs/");
    assert!(
        mismatches.is_empty(),
        "docs/ is out of date with the schemas or examples/:\n{}\nRegenerate with `cargo run -- docs` and commit the result.",
        mismatches
            .iter()
            .map(|m| format!("  {m}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn all_pages() -> Vec<Page> {
    let site = collect(&repo().join("examples")).unwrap();
    let mut v = vec![site.provider];
    v.extend(site.resources);
    v.extend(site.data_sources);
    v
}

/// Every description in a block, with a readable location.
fn descriptions(block: &Block, at: &str, out: &mut Vec<(String, String)>) {
    out.push((at.to_string(), block.description.clone()));
    for a in &block.attributes {
        out.push((format!("{at}.{}", a.name), a.description.clone()));
        if let AttributeType::Nested(n) = &a.ty {
            for inner in &n.attributes {
                out.push((
                    format!("{at}.{}.{}", a.name, inner.name),
                    inner.description.clone(),
                ));
            }
        }
    }
    for b in &block.blocks {
        descriptions(&b.block, &format!("{at}.{}", b.type_name), out);
    }
}

#[test]
fn every_description_is_a_full_sentence() {
    let mut bad = Vec::new();
    for p in all_pages() {
        let mut all = Vec::new();
        descriptions(&p.schema.block, &p.name, &mut all);
        for (at, d) in all {
            let d = d.trim();
            let ends_well = d.ends_with('.') || d.ends_with(".)") || d.ends_with(".\"");
            if d.is_empty() || !ends_well {
                bad.push(format!("{at}: {d:?}"));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "descriptions must be non-empty sentences:\n{}",
        bad.join("\n")
    );
}

/// cty object types carry no per-field descriptions, so the attribute's description must
/// name every field (the page renders nothing else for them).
#[test]
fn object_typed_attributes_name_every_field_in_their_description() {
    fn fields(t: &Type) -> Vec<String> {
        match t {
            Type::Object(attrs) => attrs.keys().cloned().collect(),
            Type::List(e) | Type::Set(e) | Type::Map(e) => fields(e),
            _ => vec![],
        }
    }
    let mut bad = Vec::new();
    for p in all_pages() {
        for a in &p.schema.block.attributes {
            if let AttributeType::Type(t) = &a.ty {
                for f in fields(t) {
                    if !a.description.contains(&format!("`{f}`")) {
                        bad.push(format!("{}.{}: field `{f}`", p.name, a.name));
                    }
                }
            }
        }
    }
    assert!(bad.is_empty(), "undocumented fields:\n{}", bad.join("\n"));
}

#[test]
fn every_resource_documents_its_import_id() {
    for p in all_pages().iter().filter(|p| p.kind == Kind::Resource) {
        let import = p
            .docs
            .import
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no import docs", p.name));
        assert!(!import.id.trim().is_empty(), "{}", p.name);
        assert!(!import.example.trim().is_empty(), "{}", p.name);
    }
    for p in all_pages().iter().filter(|p| p.kind != Kind::Resource) {
        assert!(p.docs.import.is_none(), "{} is not importable", p.name);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

fn run_docs(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_terraform-provider-ecr"))
        .arg("docs")
        .args(args)
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .output()
        .expect("run the provider binary")
}

#[test]
fn docs_subcommand_checks_and_regenerates() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("docs");
    copy_dir(&repo().join("docs"), &out);
    let examples = repo().join("examples");
    let ex = examples.to_str().unwrap();
    let o = out.to_str().unwrap();

    let r = run_docs(&["--check", "--out", o, "--examples", ex]);
    assert_eq!(
        r.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );

    std::fs::write(out.join("resources/ecr_repository.md"), "edited\n").unwrap();
    std::fs::remove_file(out.join("data-sources/ecr_cost_estimate.md")).unwrap();
    std::fs::write(out.join("resources/ecr_gone.md"), "old type\n").unwrap();
    let cli_md = std::fs::read(out.join("cli.md")).unwrap();

    let r = run_docs(&["--check", "--out", o, "--examples", ex]);
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("differs: resources/ecr_repository.md"),
        "{stderr}"
    );
    assert!(
        stderr.contains("missing: data-sources/ecr_cost_estimate.md"),
        "{stderr}"
    );
    assert!(
        stderr.contains("stale:   resources/ecr_gone.md"),
        "{stderr}"
    );
    assert!(stderr.contains("cargo run -- docs"), "{stderr}");
    // --check wrote nothing.
    assert_eq!(
        std::fs::read_to_string(out.join("resources/ecr_repository.md")).unwrap(),
        "edited\n"
    );

    let r = run_docs(&["--out", o, "--examples", ex]);
    assert_eq!(
        r.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    assert!(!out.join("resources/ecr_gone.md").exists());
    assert_eq!(std::fs::read(out.join("cli.md")).unwrap(), cli_md);
    let r = run_docs(&["--check", "--out", o, "--examples", ex]);
    assert_eq!(
        r.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );

    let r = run_docs(&["--bogus"]);
    assert_eq!(r.status.code(), Some(2));
}

#[test]
fn examples_are_included_without_provider_tf() {
    let tmp = tempfile::tempdir().unwrap();
    let ex = tmp.path().join("examples/resources/ecr_repository");
    std::fs::create_dir_all(&ex).unwrap();
    std::fs::write(
        ex.join("main.tf"),
        "resource \"ecr_repository\" \"app\" {\n  name = \"my-org/app\"\n}\n",
    )
    .unwrap();
    std::fs::write(
        ex.join("provider.tf"),
        "provider \"ecr\" { region = \"x\" }\n",
    )
    .unwrap();
    let pages = render(&collect(&tmp.path().join("examples")).unwrap());
    let page = &pages
        .iter()
        .find(|(p, _)| p == "resources/ecr_repository.md")
        .unwrap()
        .1;
    assert!(page.contains(
        "## Example Usage\n\n```terraform\nresource \"ecr_repository\" \"app\" {\n  name = \"my-org/app\"\n}\n```\n"
    ));
    assert!(!page.contains("provider \"ecr\""), "{page}");
    let other = &pages
        .iter()
        .find(|(p, _)| p == "resources/ecr_lifecycle_policy.md")
        .unwrap()
        .1;
    assert!(!other.contains("## Example Usage"));
}
