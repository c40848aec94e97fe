//! `terraform-provider-ecr docs [--out DIR] [--examples DIR] [--check]`: writes the registry
//! pages rendered by `crate::docs`, or (`--check`) reports where the committed ones differ.
//!
//! Only `index.md` and the `.md` files of `resources/`, `data-sources/`, `ephemeral-resources/`,
//! `list-resources/` and `functions/` belong to the generator: other
//! files in the docs folder (`cli.md`, `posture-checks.md`, ...) are never read, written or
//! removed. Exit 0 done / in sync, 1 out of date (`--check`), 2 usage or I/O error.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use super::io::Output;
use crate::docs;

pub const USAGE: &str = "Usage:
  terraform-provider-ecr docs [--out DIR] [--examples DIR] [--check]
      Write the Terraform Registry pages (index.md, resources/*.md, data-sources/*.md,
      ephemeral-resources/*.md, list-resources/*.md, functions/*.md) generated from the schemas
      into DIR (default docs), with the example configurations read from --examples (default
      examples: provider/main.tf, resources/<type>/main.tf, data-sources/<type>/main.tf,
      ephemeral-resources/<type>/main.tf, list-resources/<type>/query.tfquery.hcl,
      functions/<name>/main.tf). Generated pages of types that no longer exist are removed.
      --check writes nothing: exit 1 listing the files that differ, are missing or are stale.
      Exit 0 done / in sync, 1 out of date, 2 usage or I/O error.
";

/// The folders whose `.md` files are all generated (a file there with no type is stale).
const GENERATED_DIRS: [&str; 5] = [
    "resources",
    "data-sources",
    "ephemeral-resources",
    "list-resources",
    "functions",
];

#[derive(Clone, Debug, PartialEq, Eq)]
struct Args {
    out: PathBuf,
    examples: PathBuf,
    check: bool,
}

/// Why a committed page does not match the generated one.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mismatch {
    Differs(String),
    Missing(String),
    /// A page in `resources/` or `data-sources/` for a type the provider no longer has.
    Stale(String),
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mismatch::Differs(p) => write!(f, "differs: {p}"),
            Mismatch::Missing(p) => write!(f, "missing: {p}"),
            Mismatch::Stale(p) => write!(f, "stale:   {p} (no such type)"),
        }
    }
}

/// Runs `docs ARGS` (without the `docs` word).
pub fn run(args: &[String]) -> Output {
    let a = match parse_args(args) {
        Ok(Some(a)) => a,
        Ok(None) => {
            return Output {
                code: 0,
                stdout: USAGE.to_string(),
                stderr: String::new(),
            }
        }
        Err(msg) => {
            return Output {
                code: 2,
                stdout: String::new(),
                stderr: format!("error: {msg}\n\n{USAGE}"),
            }
        }
    };
    match execute(&a) {
        Ok(out) => out,
        Err(e) => Output {
            code: 2,
            stdout: String::new(),
            stderr: format!("error: {e}\n"),
        },
    }
}

fn parse_args(args: &[String]) -> Result<Option<Args>, String> {
    let mut a = Args {
        out: PathBuf::from("docs"),
        examples: PathBuf::from("examples"),
        check: false,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--out" | "--examples" => {
                let Some(v) = it.next() else {
                    return Err(format!("{arg} needs a directory"));
                };
                if arg == "--out" {
                    a.out = PathBuf::from(v);
                } else {
                    a.examples = PathBuf::from(v);
                }
            }
            "--check" => a.check = true,
            "-h" | "--help" | "help" => return Ok(None),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Some(a))
}

fn execute(a: &Args) -> io::Result<Output> {
    let site = docs::collect(&a.examples)?;
    let pages = docs::render(&site);
    if a.check {
        let mismatches = check_dir(&a.out, &pages)?;
        if mismatches.is_empty() {
            return Ok(Output {
                code: 0,
                stdout: format!(
                    "{} is up to date ({} generated pages)\n",
                    a.out.display(),
                    pages.len()
                ),
                stderr: String::new(),
            });
        }
        let mut err = format!("{} is out of date:\n", a.out.display());
        for m in &mismatches {
            let _ = writeln!(err, "  {m}");
        }
        let _ = writeln!(
            err,
            "Regenerate with `terraform-provider-ecr docs` (in the repository: `cargo run -- docs`)."
        );
        return Ok(Output {
            code: 1,
            stdout: String::new(),
            stderr: err,
        });
    }
    let report = write_dir(&a.out, &pages)?;
    let mut out = String::new();
    for p in &report.written {
        let _ = writeln!(out, "wrote   {}", a.out.join(p).display());
    }
    for p in &report.removed {
        let _ = writeln!(out, "removed {}", a.out.join(p).display());
    }
    let _ = writeln!(
        out,
        "{} pages generated in {} ({} changed, {} removed)",
        pages.len(),
        a.out.display(),
        report.written.len(),
        report.removed.len()
    );
    Ok(Output {
        code: 0,
        stdout: out,
        stderr: String::new(),
    })
}

/// The `.md` files in the generated folders, as paths relative to `dir`.
fn generated_files_on_disk(dir: &Path) -> io::Result<BTreeSet<String>> {
    let mut found = BTreeSet::new();
    for sub in GENERATED_DIRS {
        let entries = match std::fs::read_dir(dir.join(sub)) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(with_path(e, &dir.join(sub))),
        };
        for entry in entries {
            let entry = entry.map_err(|e| with_path(e, &dir.join(sub)))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".md") && entry.path().is_file() {
                found.insert(format!("{sub}/{name}"));
            }
        }
    }
    Ok(found)
}

fn with_path(e: io::Error, p: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", p.display()))
}

/// Compares `pages` with the files under `dir`; empty when they match.
pub fn check_dir(dir: &Path, pages: &[(String, String)]) -> io::Result<Vec<Mismatch>> {
    let mut out = Vec::new();
    for (rel, contents) in pages {
        let path = dir.join(rel);
        match std::fs::read_to_string(&path) {
            Ok(s) if s == *contents => {}
            Ok(_) => out.push(Mismatch::Differs(rel.clone())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                out.push(Mismatch::Missing(rel.clone()))
            }
            Err(e) => return Err(with_path(e, &path)),
        }
    }
    let expected: BTreeSet<&str> = pages.iter().map(|(p, _)| p.as_str()).collect();
    for rel in generated_files_on_disk(dir)? {
        if !expected.contains(rel.as_str()) {
            out.push(Mismatch::Stale(rel));
        }
    }
    out.sort();
    Ok(out)
}

/// What [`write_dir`] changed, as paths relative to the docs folder.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct WriteReport {
    pub written: Vec<String>,
    pub removed: Vec<String>,
}

/// Writes the pages that differ (unchanged files keep their timestamps) and removes stale
/// generated pages. Files outside `index.md`, `resources/`, `data-sources/` are left alone.
pub fn write_dir(dir: &Path, pages: &[(String, String)]) -> io::Result<WriteReport> {
    let mut report = WriteReport::default();
    for m in check_dir(dir, pages)? {
        match m {
            Mismatch::Differs(rel) | Mismatch::Missing(rel) => {
                let path = dir.join(&rel);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| with_path(e, parent))?;
                }
                let contents = &pages
                    .iter()
                    .find(|(p, _)| *p == rel)
                    .expect("listed page")
                    .1;
                std::fs::write(&path, contents).map_err(|e| with_path(e, &path))?;
                report.written.push(rel);
            }
            Mismatch::Stale(rel) => {
                let path = dir.join(&rel);
                std::fs::remove_file(&path).map_err(|e| with_path(e, &path))?;
                report.removed.push(rel);
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn pages() -> Vec<(String, String)> {
        vec![
            ("index.md".into(), "# index\n".into()),
            ("resources/ecr_a.md".into(), "# a\n".into()),
            ("data-sources/ecr_b.md".into(), "# b\n".into()),
        ]
    }

    #[test]
    fn parses_options() {
        assert_eq!(
            parse_args(&args(&["--out", "x", "--check", "--examples", "ex"])),
            Ok(Some(Args {
                out: "x".into(),
                examples: "ex".into(),
                check: true
            }))
        );
        assert_eq!(parse_args(&[]).unwrap().unwrap().out, PathBuf::from("docs"));
        assert!(parse_args(&args(&["--out"])).unwrap_err().contains("--out"));
        assert!(parse_args(&args(&["--bogus"]))
            .unwrap_err()
            .contains("--bogus"));
        let out = run(&args(&["--bogus"]));
        assert_eq!(out.code, 2);
        assert!(out.stderr.contains("unknown argument"));
    }

    #[test]
    fn write_then_check_round_trips_and_spares_hand_written_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("resources")).unwrap();
        std::fs::write(d.join("cli.md"), "hand-written").unwrap();
        std::fs::write(d.join("resources/ecr_gone.md"), "old").unwrap();
        std::fs::write(d.join("resources/notes.txt"), "not a page").unwrap();

        let before = check_dir(d, &pages()).unwrap();
        assert_eq!(
            before,
            vec![
                Mismatch::Missing("data-sources/ecr_b.md".into()),
                Mismatch::Missing("index.md".into()),
                Mismatch::Missing("resources/ecr_a.md".into()),
                Mismatch::Stale("resources/ecr_gone.md".into()),
            ]
        );
        let report = write_dir(d, &pages()).unwrap();
        assert_eq!(report.written.len(), 3);
        assert_eq!(report.removed, vec!["resources/ecr_gone.md".to_string()]);
        assert_eq!(check_dir(d, &pages()).unwrap(), vec![]);
        assert_eq!(
            std::fs::read_to_string(d.join("cli.md")).unwrap(),
            "hand-written"
        );
        assert!(d.join("resources/notes.txt").exists());

        // A second write changes nothing.
        assert_eq!(write_dir(d, &pages()).unwrap(), WriteReport::default());

        std::fs::write(d.join("resources/ecr_a.md"), "# edited by hand\n").unwrap();
        assert_eq!(
            check_dir(d, &pages()).unwrap(),
            vec![Mismatch::Differs("resources/ecr_a.md".into())]
        );
    }
}
