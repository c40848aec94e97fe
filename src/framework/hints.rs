//! Configuration values Terraform does not send at destroy time, carried from the plan to the
//! apply of the *same* Terraform command.
//!
//! Terraform 1.x calls ApplyResourceChange for a delete with a null configuration, so a
//! `force_delete = true` added just before `terraform destroy` would be ignored (hashicorp/aws
//! issue #33523). Every destroy first runs a refresh plan, which does see the configuration; we
//! record the value there in a file keyed by the Terraform process (our parent) so it can't leak
//! into another command or machine, and the delete reads it back.

use std::path::PathBuf;

fn dir() -> Option<PathBuf> {
    #[cfg(unix)]
    {
        let ppid = std::os::unix::process::parent_id();
        Some(
            std::env::temp_dir()
                .join("terraform-provider-ecr-hints")
                .join(ppid.to_string()),
        )
    }
    #[cfg(not(unix))]
    {
        None
    }
}

fn file(kind: &str, key: &str) -> Option<PathBuf> {
    let safe: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    Some(dir()?.join(format!("{kind}--{safe}")))
}

/// Records `value` for `key` for the rest of this Terraform command; `None` clears it.
pub fn record(kind: &str, key: &str, value: Option<&str>) {
    let Some(path) = file(kind, key) else { return };
    match value {
        Some(v) => {
            if let Some(parent) = path.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            let _ = std::fs::write(&path, v);
        }
        None => {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// The value recorded earlier in this Terraform command, if any.
pub fn lookup(kind: &str, key: &str) -> Option<String> {
    std::fs::read_to_string(file(kind, key)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_lookup_clear() {
        let key = format!("test/repo-{}", std::process::id());
        record("unit", &key, Some("true"));
        assert_eq!(lookup("unit", &key).as_deref(), Some("true"));
        record("unit", &key, None);
        assert_eq!(lookup("unit", &key), None);
    }
}
