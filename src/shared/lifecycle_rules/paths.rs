//! A finding's place in the policy document, in configuration terms: `rules[2].selection.
//! tagPatternList` is `rule[2].selection[0].tag_pattern_list` when document rule 2 is the
//! configuration's third block. [`BlockNames`] has validation write its messages in these terms.

use super::RuleBlock;
use crate::framework::AttrPath;
use crate::lifecycle::validate::{JsonPath, Names, Step};

/// Names of the document built from rule blocks: `index[i]` is the configuration position of
/// document rule `i`.
pub struct BlockNames<'a> {
    pub index: &'a [usize],
}

impl Names for BlockNames<'_> {
    fn field(&self, json: &str) -> String {
        hcl_name(json)
    }
    fn rule(&self, i: usize) -> String {
        match self.index.get(i) {
            Some(n) => format!("rule[{n}]"),
            None => format!("rules[{i}]"),
        }
    }
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
pub fn config_path(path: &JsonPath, blocks: &[RuleBlock], index: &[usize]) -> AttrPath {
    let base = AttrPath::attr("rule");
    let [Step::Key(k), Step::Index(i), rest @ ..] = path.steps() else {
        return base;
    };
    let (true, Some(&c)) = (k == "rules", index.get(*i)) else {
        return base;
    };
    let Some(block) = blocks.get(c) else {
        return base;
    };
    let p = base.then_index(c);
    let nested = |p: AttrPath, tail: &[Step]| match tail {
        [Step::Key(k), Step::Index(j), ..] => p.then_attr(hcl_name(k)).then_index(*j),
        [Step::Key(k), ..] => p.then_attr(hcl_name(k)),
        _ => p,
    };
    match rest {
        [Step::Key(k), tail @ ..] if k == "selection" && !block.selection.items().is_empty() => {
            nested(p.then_attr("selection").then_index(0), tail)
        }
        // Without an action block the rule expires; point at the rule.
        [Step::Key(k), tail @ ..] if k == "action" && !block.action.items().is_empty() => {
            nested(p.then_attr("action").then_index(0), tail)
        }
        [Step::Key(k), ..] if k == "rulePriority" || k == "description" => p.then_attr(hcl_name(k)),
        _ => p,
    }
}
