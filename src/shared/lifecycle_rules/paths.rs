//! A finding's place in the policy document, in configuration terms: `rules[2].selection.
//! tagPatternList` is `rule[2].selection[0].tag_pattern_list` when document rule 2 is the
//! configuration's third block.

use std::sync::LazyLock;

use regex::Regex;

use super::RuleBlock;
use crate::framework::AttrPath;

/// A step of a finding's JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// Parses a finding path (`rules[2].selection.tagPatternList[0]`, `rules[0]["a b"]`). Stops at
/// the first thing it cannot read, keeping what came before.
pub fn parse_json_path(path: &str) -> Vec<Seg> {
    let b = path.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'.' => i += 1,
            b'[' if b.get(i + 1) == Some(&b'"') => {
                // A JSON string up to the closing quote (skipping escapes), then `]`.
                let mut j = i + 2;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                let Some(s) = path
                    .get(i + 1..=j)
                    .and_then(|q| serde_json::from_str::<String>(q).ok())
                else {
                    break;
                };
                if b.get(j + 1) != Some(&b']') {
                    break;
                }
                out.push(Seg::Key(s));
                i = j + 2;
            }
            b'[' => {
                let end = match path[i..].find(']') {
                    Some(e) => i + e,
                    None => break,
                };
                let Ok(n) = path[i + 1..end].parse::<usize>() else {
                    break;
                };
                out.push(Seg::Index(n));
                i = end + 1;
            }
            _ => {
                let end = path[i..].find(['.', '[']).map_or(b.len(), |e| i + e);
                out.push(Seg::Key(path[i..end].to_string()));
                i = end;
            }
        }
    }
    out
}

/// The configuration name of a policy document property.
pub fn hcl_name(json_key: &str) -> String {
    match json_key {
        "rulePriority" => "priority".into(),
        "targetStorageClass" => "target_storage_class".into(),
        other => {
            let mut s = String::with_capacity(other.len() + 4);
            for c in other.chars() {
                if c.is_ascii_uppercase() {
                    s.push('_');
                    s.push(c.to_ascii_lowercase());
                } else {
                    s.push(c);
                }
            }
            s
        }
    }
}

/// Maps a finding path in the document built from `blocks` to the configuration attribute it
/// is about; `index[i]` is the configuration position of document rule `i`.
pub fn config_path(path: &str, blocks: &[RuleBlock], index: &[usize]) -> AttrPath {
    let base = AttrPath::attr("rule");
    let segs = parse_json_path(path);
    let [Seg::Key(k), Seg::Index(i), rest @ ..] = segs.as_slice() else {
        return base;
    };
    let (true, Some(&c)) = (k == "rules", index.get(*i)) else {
        return base;
    };
    let Some(block) = blocks.get(c) else {
        return base;
    };
    let p = base.then_index(c);
    let nested = |p: AttrPath, tail: &[Seg]| match tail {
        [Seg::Key(k), Seg::Index(j), ..] => p.then_attr(hcl_name(k)).then_index(*j),
        [Seg::Key(k), ..] => p.then_attr(hcl_name(k)),
        _ => p,
    };
    match rest {
        [Seg::Key(k), tail @ ..] if k == "selection" && !block.selection.items().is_empty() => {
            nested(p.then_attr("selection").then_index(0), tail)
        }
        // Without an action block the rule expires; point at the rule.
        [Seg::Key(k), tail @ ..] if k == "action" && !block.action.items().is_empty() => {
            nested(p.then_attr("action").then_index(0), tail)
        }
        [Seg::Key(k), ..] if k == "rulePriority" || k == "description" => p.then_attr(hcl_name(k)),
        _ => p,
    }
}

static RULES_REF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\brules\[(\d+)\]").expect("valid regex"));
static FIELD_REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(rulePriority|tagStatus|tagPrefixList|tagPatternList|storageClass|countType|countUnit|countNumber|targetStorageClass)\b")
        .expect("valid regex")
});

/// Rewrites a finding message in configuration terms: `rules[i]` → `rule[index[i]]`, JSON
/// property names → attribute names. Quoted values (`"sinceImagePushed"`) are unchanged.
pub fn config_message(message: &str, index: &[usize]) -> String {
    let s = RULES_REF.replace_all(message, |c: &regex::Captures| {
        match c[1].parse::<usize>().ok().and_then(|i| index.get(i)) {
            Some(n) => format!("rule[{n}]"),
            None => c[0].to_string(),
        }
    });
    FIELD_REF
        .replace_all(&s, |c: &regex::Captures| hcl_name(&c[1]))
        .into_owned()
}
