//! Attribute paths, so diagnostics point at the offending expression in the configuration.

use std::fmt;

use super::cty::{PathStep, Type};
use crate::proto::tfplugin6 as pb;

/// A path into a resource's value: `rule[2].selection.tag_pattern_list`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct AttrPath(pub Vec<PathStep>);

impl AttrPath {
    pub fn root() -> Self {
        AttrPath(Vec::new())
    }
    /// A top-level attribute.
    pub fn attr(name: impl Into<String>) -> Self {
        AttrPath(vec![PathStep::Attr(name.into())])
    }
    pub fn then_attr(mut self, name: impl Into<String>) -> Self {
        self.0.push(PathStep::Attr(name.into()));
        self
    }
    pub fn then_index(mut self, i: usize) -> Self {
        self.0.push(PathStep::Index(i as i64));
        self
    }
    pub fn then_key(mut self, key: impl Into<String>) -> Self {
        self.0.push(PathStep::Key(key.into()));
        self
    }
    /// The part of a codec error's path (`CtyError::path`, relative to a value of type `ty`)
    /// that Terraform can resolve in a configuration: it stops before the first step into a
    /// set (Terraform addresses set elements by value, not position) or into a dynamic value.
    pub fn resolvable(ty: &Type, steps: &[PathStep]) -> Self {
        let mut out = Vec::new();
        let mut ty = ty;
        for step in steps {
            let next = match (ty, step) {
                (Type::Object(attrs), PathStep::Attr(a)) => attrs.get(a),
                (Type::Map(et), PathStep::Key(_)) | (Type::List(et), PathStep::Index(_)) => {
                    Some(&**et)
                }
                (Type::Tuple(ets), PathStep::Index(i)) => {
                    usize::try_from(*i).ok().and_then(|i| ets.get(i))
                }
                _ => None,
            };
            out.push(step.clone());
            match next {
                Some(t) => ty = t,
                // An attribute the type lacks is still worth pointing at; nothing below it is.
                None => {
                    if !matches!(step, PathStep::Attr(_)) || !matches!(ty, Type::Object(_)) {
                        out.pop();
                    }
                    break;
                }
            }
        }
        AttrPath(out)
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    pub fn to_proto(&self) -> pb::AttributePath {
        use pb::attribute_path::step::Selector;
        pb::AttributePath {
            steps: self
                .0
                .iter()
                .map(|s| pb::attribute_path::Step {
                    selector: Some(match s {
                        PathStep::Attr(a) => Selector::AttributeName(a.clone()),
                        PathStep::Key(k) => Selector::ElementKeyString(k.clone()),
                        PathStep::Index(i) => Selector::ElementKeyInt(*i),
                    }),
                })
                .collect(),
        }
    }

    pub fn from_proto(p: &pb::AttributePath) -> Self {
        use pb::attribute_path::step::Selector;
        AttrPath(
            p.steps
                .iter()
                .filter_map(|s| {
                    Some(match s.selector.as_ref()? {
                        Selector::AttributeName(a) => PathStep::Attr(a.clone()),
                        Selector::ElementKeyString(k) => PathStep::Key(k.clone()),
                        Selector::ElementKeyInt(i) => PathStep::Index(*i),
                    })
                })
                .collect(),
        )
    }
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.0.iter().enumerate() {
            match s {
                PathStep::Attr(a) if i == 0 => write!(f, "{a}")?,
                PathStep::Attr(a) => write!(f, ".{a}")?,
                PathStep::Key(k) => write!(f, "[{k:?}]")?,
                PathStep::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_proto_round_trip() {
        let p = AttrPath::attr("rule")
            .then_index(2)
            .then_attr("selection")
            .then_key("k");
        assert_eq!(p.to_string(), "rule[2].selection[\"k\"]");
        assert_eq!(AttrPath::from_proto(&p.to_proto()), p);
    }

    #[test]
    fn resolvable_paths_stop_at_sets_and_dynamic_values() {
        let ty = Type::object([
            (
                "rule",
                Type::list(Type::object([("tags", Type::set(Type::String))])),
            ),
            ("labels", Type::map(Type::String)),
            ("any", Type::Dynamic),
        ]);
        let steps = |s: &[PathStep]| s.to_vec();
        let a = |n: &str| PathStep::Attr(n.into());
        // Into a list and an object: kept whole.
        let p = steps(&[a("rule"), PathStep::Index(1), a("tags")]);
        assert_eq!(AttrPath::resolvable(&ty, &p), AttrPath(p.clone()));
        // A set element: cut before it.
        let into_set = [p.clone(), vec![PathStep::Index(3)]].concat();
        assert_eq!(AttrPath::resolvable(&ty, &into_set), AttrPath(p));
        // Map keys are kept; a dynamic value is a leaf.
        let m = steps(&[a("labels"), PathStep::Key("k".into())]);
        assert_eq!(AttrPath::resolvable(&ty, &m), AttrPath(m.clone()));
        let d = steps(&[a("any"), PathStep::Index(0)]);
        assert_eq!(AttrPath::resolvable(&ty, &d), AttrPath::attr("any"));
        // An attribute the schema lacks is named (that is the error); below it, nothing.
        let extra = steps(&[a("bogus"), a("x")]);
        assert_eq!(AttrPath::resolvable(&ty, &extra), AttrPath::attr("bogus"));
        // A list step on an object: nothing resolvable.
        assert!(AttrPath::resolvable(&ty, &[PathStep::Index(0)]).is_root());
    }
}
