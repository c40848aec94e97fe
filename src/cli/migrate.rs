//! `terraform-provider-ecr migrate [DIR] [--write]`: rewrites the `.tf` files of one module from
//! hashicorp/aws's ECR types to this provider's (see `crate::migrate`). Without `--write` it
//! prints a unified diff; with it, it writes the files. Either way it lists what it could not
//! convert and why. Exit 0 done (also with notes), 2 usage, I/O or parse error.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::io::Output;
use crate::migrate::{self, Ours, SourceFile};

pub const USAGE: &str = "Usage:
  terraform-provider-ecr migrate [DIR] [--write]
      Rewrite the .tf files of the module in DIR (default .) from hashicorp/aws's ECR types
      (aws_ecr_repository, aws_ecr_lifecycle_policy, ...) to this provider's: resource and data
      source types, every reference to them, a `moved` block per resource (the first plan
      moves the state; nothing is replaced) and the required_providers entry. Comments and
      formatting are kept. Without --write, print the changes as a unified diff; with --write,
      write them. Lists what was not converted and why. Nested module directories are not
      visited: run migrate in each. Exit 0 done, 2 usage, I/O or parse error.
";

struct Args {
    dir: PathBuf,
    write: bool,
}

fn parse_args(args: &[String]) -> Result<Option<Args>, String> {
    let mut dir = None;
    let mut write = false;
    for a in args {
        match a.as_str() {
            "--write" | "-w" => write = true,
            "-h" | "--help" | "help" => return Ok(None),
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag:?}")),
            d if dir.is_none() => dir = Some(PathBuf::from(d)),
            extra => return Err(format!("unexpected argument {extra:?}")),
        }
    }
    Ok(Some(Args {
        dir: dir.unwrap_or_else(|| PathBuf::from(".")),
        write,
    }))
}

/// Runs `migrate ARGS` (without the `migrate` word) against this provider's schemas `ours`
/// (`crate::migrate_targets()`).
pub fn run(args: &[String], ours: &Ours) -> Output {
    let a = match parse_args(args) {
        Ok(Some(a)) => a,
        Ok(None) => return output(0, USAGE.to_string(), String::new()),
        Err(e) => return output(2, String::new(), format!("{e}\n\n{USAGE}")),
    };
    let files = match read_module(&a.dir) {
        Ok(f) if f.is_empty() => {
            return output(
                2,
                String::new(),
                format!("no .tf files in {}\n", a.dir.display()),
            )
        }
        Ok(f) => f,
        Err(e) => return output(2, String::new(), format!("{e}\n")),
    };
    let m = match migrate::migrate(&files, ours) {
        Ok(m) => m,
        Err(e) => return output(2, String::new(), format!("cannot parse {e}\n")),
    };
    let mut stdout = String::new();
    let mut stderr = String::new();
    for (old, new) in files.iter().zip(&m.files) {
        if old.text == new.text {
            continue;
        }
        if a.write {
            let path = a.dir.join(&new.name);
            if let Err(e) = std::fs::write(&path, &new.text) {
                return output(2, stdout, format!("cannot write {}: {e}\n", path.display()));
            }
            let _ = writeln!(stdout, "rewrote {}", path.display());
        } else {
            stdout.push_str(&migrate::diff::unified(&new.name, &old.text, &new.text, 3));
        }
    }
    for n in &m.notes {
        let _ = writeln!(stderr, "note: {n}");
    }
    let _ = writeln!(
        stderr,
        "{} resource(s) and {} data source(s) converted, {} reference(s) updated, {} moved block(s) and {} provider block(s) added; {} note(s){}",
        m.resources,
        m.data_sources,
        m.references,
        m.moved_blocks,
        m.provider_blocks,
        m.notes.len(),
        if a.write || m.resources + m.data_sources == 0 {
            ""
        } else {
            ". Nothing written: run again with --write"
        }
    );
    output(0, stdout, stderr)
}

fn output(code: u8, stdout: String, stderr: String) -> Output {
    Output {
        code,
        stdout,
        stderr,
    }
}

/// The module's `.tf` files, by name.
fn read_module(dir: &Path) -> Result<Vec<SourceFile>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tf"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let path = dir.join(&name);
            std::fs::read_to_string(&path)
                .map(|text| SourceFile { name, text })
                .map_err(|e| format!("cannot read {}: {e}", path.display()))
        })
        .collect()
}
