//! What every subcommand shares: its result ([`Output`]: exit code and both streams, so a
//! command runs without touching the process and is unit-tested directly), option parsing and
//! reading FILE or stdin.

use std::collections::BTreeMap;
use std::io::Read;

/// What a command produced: the exit code and both output streams.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Output {
    pub code: u8,
    pub stdout: String,
    pub stderr: String,
}

/// Output formats of the validate commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// Parsed arguments: positional ones, `--name value` / `--name=value` options, `-h`.
pub struct Args {
    pub positional: Vec<String>,
    pub options: BTreeMap<String, String>,
    pub help: bool,
}

impl Args {
    pub fn format(&self) -> Result<Format, String> {
        match self.options.get("format").map(String::as_str) {
            None | Some("text") => Ok(Format::Text),
            Some("json") => Ok(Format::Json),
            Some(other) => Err(format!("--format must be text or json, not {other:?}")),
        }
    }
}

/// Reads `args`, accepting only the options named in `allowed`, each at most once.
pub fn parse_args(args: &[String], allowed: &[&str]) -> Result<Args, String> {
    let mut out = Args {
        positional: vec![],
        options: BTreeMap::new(),
        help: false,
    };
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "-h" || a == "--help" {
            out.help = true;
            continue;
        }
        if a == "--" {
            out.positional.extend(args[i..].iter().cloned());
            break;
        }
        if a == "-" || !a.starts_with('-') {
            out.positional.push(a.clone());
            continue;
        }
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (a.as_str(), None),
        };
        let name = name.trim_start_matches('-');
        if !allowed.contains(&name) {
            return Err(format!("unknown option {a:?}"));
        }
        let value = match inline {
            Some(v) => v,
            None => match args.get(i) {
                Some(v) => {
                    i += 1;
                    v.clone()
                }
                None => return Err(format!("option --{name} needs a value")),
            },
        };
        if out.options.insert(name.to_string(), value).is_some() {
            return Err(format!("option --{name} given twice"));
        }
    }
    Ok(out)
}

/// A usage error: exit 2 with the message and the command's usage.
pub fn usage(msg: impl std::fmt::Display, usage: &str) -> Output {
    Output {
        code: 2,
        stdout: String::new(),
        stderr: format!("error: {msg}\n\n{usage}"),
    }
}

/// An I/O error: exit 2.
pub fn io_error(msg: impl std::fmt::Display) -> Output {
    Output {
        code: 2,
        stdout: String::new(),
        stderr: format!("error: {msg}\n"),
    }
}

/// Help text: exit 0.
pub fn help(usage: &str) -> Output {
    Output {
        code: 0,
        stdout: usage.to_string(),
        stderr: String::new(),
    }
}

/// Reads FILE, or stdin for `-`. Bytes that are not UTF-8 are kept (replaced) so that JSON
/// validation reports them instead of an I/O error.
pub fn read_input(name: &str, stdin: &mut dyn Read) -> Result<String, String> {
    let mut bytes = Vec::new();
    if name == "-" {
        stdin
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read stdin: {e}"))?;
    } else {
        bytes = std::fs::read(name).map_err(|e| format!("cannot read {name}: {e}"))?;
    }
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn options_and_positionals() {
        let a = parse_args(
            &args(&["x.json", "--kind=registry", "--format", "json"]),
            &["kind", "format"],
        )
        .unwrap();
        assert_eq!(a.positional, vec!["x.json"]);
        assert_eq!(a.options["kind"], "registry");
        assert_eq!(a.format().unwrap(), Format::Json);
        assert!(parse_args(&args(&["--bogus"]), &["kind"]).is_err());
        assert!(parse_args(&args(&["--kind"]), &["kind"]).is_err());
        assert!(parse_args(&args(&["--kind", "a", "--kind", "b"]), &["kind"]).is_err());
        assert!(parse_args(&args(&["--", "-"]), &[]).unwrap().positional == vec!["-"]);
    }
}
