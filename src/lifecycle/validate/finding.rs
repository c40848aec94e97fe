//! What validation hands out: [`Finding`]s with a structured [`JsonPath`] that renders itself,
//! and the [`Names`] they are written in (the document's JSON names, or those of a
//! configuration that writes the policy as blocks).

use std::fmt;

/// One step of a [`JsonPath`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Step {
    /// An element of an array.
    Index(usize),
    /// A property of an object.
    Key(String),
}

/// Where in the policy document a finding is: `rules[2].selection.tagPatternList`. Kept as
/// steps (so a caller maps it to its own terms without parsing text) and rendered once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct JsonPath {
    steps: Vec<Step>,
    text: String,
}

impl JsonPath {
    /// The document as a whole.
    pub fn root() -> Self {
        JsonPath::default()
    }
    fn from_steps(steps: Vec<Step>) -> Self {
        let text = render(&steps);
        JsonPath { steps, text }
    }
    /// `rules[i]`.
    pub fn rule(i: usize) -> Self {
        JsonPath::root().key("rules").index(i)
    }
    /// This path, then property `k`.
    pub fn key(&self, k: &str) -> Self {
        let mut s = self.steps.clone();
        s.push(Step::Key(k.to_string()));
        JsonPath::from_steps(s)
    }
    /// This path, then element `i`.
    pub fn index(&self, i: usize) -> Self {
        let mut s = self.steps.clone();
        s.push(Step::Index(i));
        JsonPath::from_steps(s)
    }
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
    /// The rendered path, `""` for the document itself.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl PartialEq<str> for JsonPath {
    fn eq(&self, other: &str) -> bool {
        self.text == other
    }
}

impl PartialEq<&str> for JsonPath {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

/// `rules[2].selection["odd key"].tagPatternList[0]`.
fn render(path: &[Step]) -> String {
    let mut s = String::new();
    for step in path {
        match step {
            Step::Index(i) => {
                s.push('[');
                s.push_str(&i.to_string());
                s.push(']');
            }
            Step::Key(k) if is_identifier(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Step::Key(k) => {
                s.push('[');
                s.push_str(&serde_json::to_string(k).unwrap_or_default());
                s.push(']');
            }
        }
    }
    s
}

fn is_identifier(k: &str) -> bool {
    let mut chars = k.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// One broken constraint.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Finding {
    /// Where the offending value is; empty for the document as a whole.
    pub path: JsonPath,
    /// Stable id of the constraint (one of [`ids`](super::ids)).
    pub rule: &'static str,
    /// What is wrong, in words that name the field and the rule (in the [`Names`] asked for).
    pub message: String,
}

impl Finding {
    /// Whether the finding is about the document's shape (syntax, types,
    /// properties) rather than a semantic rule.
    pub fn is_shape_error(&self) -> bool {
        super::SHAPE_RULES.contains(&self.rule)
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// How messages name the document's properties and rules. The default is the document's own
/// JSON (`countType`, `rules[2]`); a configuration that writes the policy as blocks names them
/// its way (`count_type`, `rule[3]`).
pub trait Names {
    /// The name of property `json` (`tagPatternList`).
    fn field(&self, json: &str) -> String {
        json.to_string()
    }
    /// The name of the document's rule `index`.
    fn rule(&self, index: usize) -> String {
        format!("rules[{index}]")
    }
}

/// The document's own JSON names.
pub struct JsonNames;
impl Names for JsonNames {}

/// Collects findings while validating; messages are written in `names`.
pub(super) struct Findings<'a> {
    items: Vec<(Vec<Step>, &'static str, String)>,
    pub(super) names: &'a dyn Names,
}

impl<'a> Findings<'a> {
    pub(super) fn new(names: &'a dyn Names) -> Self {
        Findings {
            items: Vec::new(),
            names,
        }
    }

    pub(super) fn push(&mut self, path: JsonPath, rule: &'static str, message: String) {
        self.items.push((path.steps, rule, message));
    }

    /// The name of property `json` in this collector's names.
    pub(super) fn f(&self, json: &str) -> String {
        self.names.field(json)
    }

    pub(super) fn has_shape_error(&self) -> bool {
        self.items
            .iter()
            .any(|(_, rule, _)| super::SHAPE_RULES.contains(rule))
    }

    /// Sorted by path (stable, so findings on one path keep discovery order).
    pub(super) fn finish(mut self) -> Vec<Finding> {
        self.items.sort_by(|a, b| a.0.cmp(&b.0));
        self.items
            .into_iter()
            .map(|(p, rule, message)| Finding {
                path: JsonPath::from_steps(p),
                rule,
                message,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_render_themselves_and_keep_their_steps() {
        let p = JsonPath::rule(2).key("selection").key("we\"ird").index(3);
        assert_eq!(p, r#"rules[2].selection["we\"ird"][3]"#);
        assert_eq!(
            p.steps(),
            [
                Step::Key("rules".into()),
                Step::Index(2),
                Step::Key("selection".into()),
                Step::Key("we\"ird".into()),
                Step::Index(3)
            ]
        );
        assert!(JsonPath::root().is_empty());
        assert_eq!(JsonPath::root().as_str(), "");
    }
}
