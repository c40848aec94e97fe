//! Rule blocks ↔ the policy JSON document: the document built from the configuration's blocks
//! (what is validated and sent), and blocks for a policy read from ECR.

use serde_json::{Map, Number, Value as Json};

use super::{ActionBlock, RuleBlock, SelectionBlock};
use crate::framework::Val;
use crate::lifecycle::{self, LifecyclePolicy, Rule};

/// The JSON document built from rule blocks.
#[derive(Debug, Clone, PartialEq)]
pub struct BuiltRules {
    /// Compact JSON of the rules whose values are all known.
    pub text: String,
    /// `index[i]`: position in the configuration of `rules[i]` of the document.
    pub index: Vec<usize>,
    /// Whether every value was known (nothing left out).
    pub complete: bool,
}

/// Builds the policy document from rule blocks. A rule with an unknown value that affects
/// validation is left out (and `complete` is false): every check on the remaining rules is
/// still sound, because leaving rules out can only hide violations, never create them.
pub fn build_rules(rules: &[RuleBlock]) -> BuiltRules {
    let mut out = Vec::new();
    let mut index = Vec::new();
    let mut complete = true;
    for (i, r) in rules.iter().enumerate() {
        match rule_json(r) {
            Some((j, rule_complete)) => {
                complete &= rule_complete;
                out.push(j);
                index.push(i);
            }
            None => complete = false,
        }
    }
    let mut doc = Map::new();
    doc.insert("rules".into(), Json::Array(out));
    BuiltRules {
        text: Json::Object(doc).to_string(),
        index,
        complete,
    }
}

/// Inserts a known string; `None` if the value is unknown.
fn put_str(m: &mut Map<String, Json>, key: &str, v: &Val<String>) -> Option<()> {
    match v {
        Val::Unknown => None,
        Val::Known(s) => {
            m.insert(key.into(), Json::String(s.clone()));
            Some(())
        }
        Val::Null => Some(()),
    }
}

fn put_num(m: &mut Map<String, Json>, key: &str, v: &Val<Number>) -> Option<()> {
    match v {
        Val::Unknown => None,
        Val::Known(n) => {
            m.insert(key.into(), Json::Number(n.clone()));
            Some(())
        }
        Val::Null => Some(()),
    }
}

fn put_list(m: &mut Map<String, Json>, key: &str, v: &Val<Vec<Val<String>>>) -> Option<()> {
    match v {
        Val::Unknown => None,
        Val::Known(items) => {
            let mut a = Vec::with_capacity(items.len());
            for item in items {
                a.push(match item {
                    Val::Unknown => return None,
                    Val::Known(s) => Json::String(s.clone()),
                    // Reported as a null entry by validation.
                    Val::Null => Json::Null,
                });
            }
            m.insert(key.into(), Json::Array(a));
            Some(())
        }
        Val::Null => Some(()),
    }
}

/// One rule as JSON and whether it is complete; `None` when a value that matters is unknown.
fn rule_json(r: &RuleBlock) -> Option<(Json, bool)> {
    if r.unknown {
        return None;
    }
    let mut m = Map::new();
    put_num(&mut m, "rulePriority", &r.priority)?;
    // An unknown description only affects the text length.
    let complete = !r.description.is_unknown();
    if !r.description.is_unknown() {
        put_str(&mut m, "description", &r.description)?;
    }
    match &r.selection {
        Val::Unknown => return None,
        Val::Known(v) => {
            if let Some(s) = v.first() {
                if s.unknown {
                    return None;
                }
                let mut sm = Map::new();
                put_str(&mut sm, "tagStatus", &s.tag_status)?;
                put_list(&mut sm, "tagPrefixList", &s.tag_prefix_list)?;
                put_list(&mut sm, "tagPatternList", &s.tag_pattern_list)?;
                put_str(&mut sm, "storageClass", &s.storage_class)?;
                put_str(&mut sm, "countType", &s.count_type)?;
                put_str(&mut sm, "countUnit", &s.count_unit)?;
                put_num(&mut sm, "countNumber", &s.count_number)?;
                m.insert("selection".into(), Json::Object(sm));
            }
        }
        Val::Null => {}
    }
    let mut am = Map::new();
    match &r.action {
        Val::Unknown => return None,
        Val::Known(v) if !v.is_empty() => {
            if v[0].unknown {
                return None;
            }
            put_str(&mut am, "type", &v[0].r#type)?;
            put_str(&mut am, "targetStorageClass", &v[0].target_storage_class)?;
        }
        _ => {
            am.insert("type".into(), Json::String("expire".into()));
        }
    }
    m.insert("action".into(), Json::Object(am));
    Some((Json::Object(m), complete))
}

/// Canonical text of rule blocks when complete and readable (validity not required).
pub fn rules_canonical(rules: &[RuleBlock]) -> Option<String> {
    let built = build_rules(rules);
    if !built.complete {
        return None;
    }
    lifecycle::canonicalize_text(&built.text).ok()
}

/// Rule blocks for a policy read from ECR. Rules whose priority appears in `prior` take that
/// block's position, and are the prior block itself when they mean the same, so a plan shows
/// only the rules that really changed.
pub fn blocks_from_policy(p: &LifecyclePolicy, prior: &[RuleBlock]) -> Vec<RuleBlock> {
    let mut remaining: Vec<Option<&Rule>> = p.rules.iter().map(Some).collect();
    let mut out = Vec::with_capacity(p.rules.len());
    for pb in prior {
        let Some(prio) = pb.priority.known().and_then(Number::as_i64) else {
            continue;
        };
        let Some(slot) = remaining
            .iter_mut()
            .find(|r| r.is_some_and(|r| r.rule_priority == prio))
        else {
            continue;
        };
        let Some(rule) = slot.take() else { continue };
        let same = rules_canonical(std::slice::from_ref(pb)) == Some(single_rule_canonical(rule));
        out.push(if same {
            pb.clone()
        } else {
            block_from_rule(rule)
        });
    }
    out.extend(remaining.into_iter().flatten().map(block_from_rule));
    out
}

fn single_rule_canonical(r: &Rule) -> String {
    lifecycle::canonical_json(&LifecyclePolicy {
        rules: vec![r.clone()],
    })
}

/// The rule block that writes `r`.
pub fn block_from_rule(r: &Rule) -> RuleBlock {
    let list = |l: &Option<Vec<String>>| -> Val<Vec<Val<String>>> {
        l.as_ref()
            .map(|v| v.iter().map(|s| Val::of(s.clone())).collect())
            .into()
    };
    let s = &r.selection;
    RuleBlock {
        priority: Val::Known(Number::from(r.rule_priority)),
        description: r.description.clone().into(),
        selection: Val::Known(vec![SelectionBlock {
            tag_status: Val::of(s.tag_status.as_str()),
            tag_prefix_list: list(&s.tag_prefix_list),
            tag_pattern_list: list(&s.tag_pattern_list),
            storage_class: s.storage_class.map(|c| c.as_str().to_string()).into(),
            count_type: Val::of(s.count_type.as_str()),
            count_unit: s.count_unit.map(|u| u.as_str().to_string()).into(),
            count_number: Val::Known(Number::from(s.count_number)),
            unknown: false,
        }]),
        action: Val::Known(vec![ActionBlock {
            r#type: Val::of(r.action.r#type.as_str()),
            target_storage_class: r
                .action
                .target_storage_class
                .map(|c| c.as_str().to_string())
                .into(),
            unknown: false,
        }]),
        unknown: false,
    }
}
