//! Schemas: the shape of the provider block, each resource and each data source.
//!
//! Built with small builder methods, converted to the wire form once at start-up. The rules
//! Terraform 1.0 crashes on (a nil block, both `type` and `nested_type`) can't be expressed.

use super::cty::{Type, Value};
use crate::proto::tfplugin6 as pb;

#[derive(Clone, Debug, PartialEq)]
pub struct Schema {
    pub version: i64,
    pub block: Block,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Block {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<NestedBlock>,
    /// Markdown.
    pub description: String,
    pub deprecated: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum AttributeType {
    Type(Type),
    Nested(NestedAttributes),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectNesting {
    Single,
    List,
    Set,
    Map,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NestedAttributes {
    pub nesting: ObjectNesting,
    pub attributes: Vec<Attribute>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Attribute {
    pub name: String,
    pub ty: AttributeType,
    /// Markdown.
    pub description: String,
    pub required: bool,
    pub optional: bool,
    pub computed: bool,
    pub sensitive: bool,
    pub deprecated: bool,
    /// How the provider plans it; never sent to Terraform (see [`PlanRules`]).
    pub plan: PlanRules,
}

/// How the provider plans an attribute beyond what Terraform proposes, declared with the schema
/// so that a type file states it once instead of writing it out in its plan code. The rules are
/// data here; `framework::plan` applies them (in the manner of terraform-plugin-framework's plan
/// modifiers and defaults) before the resource's own `modify_plan`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlanRules {
    /// Planned whenever the configuration leaves the attribute null (optional + computed).
    pub default: Option<Value>,
    /// On update, the prior state's value instead of "known after apply" (the value does not
    /// change once set: ids, ARNs, creation times).
    pub use_state_for_unknown: bool,
    /// A planned value different from the prior state's replaces the resource.
    pub requires_replace: bool,
    /// When the configured text means the same as the prior state's, the prior text is planned,
    /// so reformatting shows no diff (policy documents).
    pub equivalent: Option<Equivalence>,
}

/// Whether two texts mean the same (e.g. two spellings of one policy document).
#[derive(Clone, Copy)]
pub struct Equivalence(pub fn(&str, &str) -> bool);

impl PartialEq for Equivalence {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::fn_addr_eq(self.0, other.0)
    }
}

impl std::fmt::Debug for Equivalence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Equivalence")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockNesting {
    Single,
    List,
    Set,
    Map,
    Group,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NestedBlock {
    pub type_name: String,
    pub block: Block,
    pub nesting: BlockNesting,
    pub min_items: i64,
    /// 0 = unlimited.
    pub max_items: i64,
    /// A change of the block's value replaces the resource (never sent to Terraform).
    pub requires_replace: bool,
}

impl Schema {
    pub fn new(version: i64, block: Block) -> Self {
        Schema { version, block }
    }
    pub fn implied_type(&self) -> Type {
        self.block.implied_type()
    }
    pub fn to_proto(&self) -> pb::Schema {
        pb::Schema {
            version: self.version,
            block: Some(self.block.to_proto()),
        }
    }
}

impl Block {
    pub fn new(description: impl Into<String>) -> Self {
        Block {
            description: description.into(),
            ..Default::default()
        }
    }
    pub fn attr(mut self, a: Attribute) -> Self {
        self.attributes.push(a);
        self
    }
    pub fn block(mut self, b: NestedBlock) -> Self {
        self.blocks.push(b);
        self
    }

    /// The object type of this block's value (`decoder_spec.go` in Terraform).
    pub fn implied_type(&self) -> Type {
        let mut attrs = std::collections::BTreeMap::new();
        for a in &self.attributes {
            attrs.insert(a.name.clone(), a.ty.implied_type());
        }
        for b in &self.blocks {
            let inner = b.block.implied_type();
            let t = match b.nesting {
                BlockNesting::Single | BlockNesting::Group => inner,
                BlockNesting::List => Type::List(Box::new(inner)),
                BlockNesting::Set => Type::Set(Box::new(inner)),
                BlockNesting::Map => Type::Map(Box::new(inner)),
            };
            attrs.insert(b.type_name.clone(), t);
        }
        Type::Object(attrs)
    }

    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }
    pub fn nested_block(&self, name: &str) -> Option<&NestedBlock> {
        self.blocks.iter().find(|b| b.type_name == name)
    }

    pub fn to_proto(&self) -> pb::schema::Block {
        pb::schema::Block {
            version: 0,
            attributes: self.attributes.iter().map(Attribute::to_proto).collect(),
            block_types: self.blocks.iter().map(NestedBlock::to_proto).collect(),
            description: self.description.clone(),
            description_kind: pb::StringKind::Markdown as i32,
            deprecated: self.deprecated,
        }
    }
}

impl AttributeType {
    pub fn implied_type(&self) -> Type {
        match self {
            AttributeType::Type(t) => t.clone(),
            AttributeType::Nested(n) => {
                let obj = Type::Object(
                    n.attributes
                        .iter()
                        .map(|a| (a.name.clone(), a.ty.implied_type()))
                        .collect(),
                );
                match n.nesting {
                    ObjectNesting::Single => obj,
                    ObjectNesting::List => Type::List(Box::new(obj)),
                    ObjectNesting::Set => Type::Set(Box::new(obj)),
                    ObjectNesting::Map => Type::Map(Box::new(obj)),
                }
            }
        }
    }
}

impl Attribute {
    /// An attribute of any cty type; call `required()`, `optional()` or `computed()` next.
    pub fn new(name: impl Into<String>, ty: Type) -> Self {
        Attribute {
            name: name.into(),
            ty: AttributeType::Type(ty),
            description: String::new(),
            required: false,
            optional: false,
            computed: false,
            sensitive: false,
            deprecated: false,
            plan: PlanRules::default(),
        }
    }
    pub fn string(name: impl Into<String>) -> Self {
        Self::new(name, Type::String)
    }
    pub fn bool(name: impl Into<String>) -> Self {
        Self::new(name, Type::Bool)
    }
    pub fn number(name: impl Into<String>) -> Self {
        Self::new(name, Type::Number)
    }
    pub fn string_map(name: impl Into<String>) -> Self {
        Self::new(name, Type::Map(Box::new(Type::String)))
    }
    pub fn string_list(name: impl Into<String>) -> Self {
        Self::new(name, Type::List(Box::new(Type::String)))
    }
    pub fn string_set(name: impl Into<String>) -> Self {
        Self::new(name, Type::Set(Box::new(Type::String)))
    }
    pub fn nested(
        name: impl Into<String>,
        nesting: ObjectNesting,
        attributes: Vec<Attribute>,
    ) -> Self {
        let mut a = Self::new(name, Type::Dynamic);
        a.ty = AttributeType::Nested(NestedAttributes {
            nesting,
            attributes,
        });
        a
    }
    pub fn required(mut self) -> Self {
        self.required = true;
        self.optional = false;
        self.computed = false;
        self
    }
    pub fn optional(mut self) -> Self {
        self.optional = true;
        self.required = false;
        self
    }
    pub fn computed(mut self) -> Self {
        self.computed = true;
        self.required = false;
        self
    }
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
    pub fn deprecated(mut self) -> Self {
        self.deprecated = true;
        self
    }
    pub fn description(mut self, d: impl Into<String>) -> Self {
        self.description = d.into();
        self
    }

    /// Planned when the configuration leaves it null; the attribute must be optional + computed.
    pub fn default_value(mut self, v: Value) -> Self {
        self.plan.default = Some(v);
        self
    }
    /// [`Attribute::default_value`] of a string.
    pub fn default_string(self, s: &str) -> Self {
        self.default_value(Value::string(s))
    }
    /// [`Attribute::default_value`] of a bool.
    pub fn default_bool(self, b: bool) -> Self {
        self.default_value(Value::Bool(b))
    }
    /// On update, plan the prior state's value instead of "known after apply".
    pub fn use_state_for_unknown(mut self) -> Self {
        self.plan.use_state_for_unknown = true;
        self
    }
    /// A change of this attribute replaces the resource.
    pub fn requires_replace(mut self) -> Self {
        self.plan.requires_replace = true;
        self
    }
    /// Plan the prior state's text when the configured one means the same (`same(prior, config)`).
    pub fn semantic_equality(mut self, same: fn(&str, &str) -> bool) -> Self {
        self.plan.equivalent = Some(Equivalence(same));
        self
    }

    pub fn to_proto(&self) -> pb::schema::Attribute {
        let (ty, nested) = match &self.ty {
            AttributeType::Type(t) => (t.to_json_bytes(), None),
            AttributeType::Nested(n) => (
                Vec::new(),
                Some(pb::schema::Object {
                    attributes: n.attributes.iter().map(Attribute::to_proto).collect(),
                    nesting: match n.nesting {
                        ObjectNesting::Single => pb::schema::object::NestingMode::Single,
                        ObjectNesting::List => pb::schema::object::NestingMode::List,
                        ObjectNesting::Set => pb::schema::object::NestingMode::Set,
                        ObjectNesting::Map => pb::schema::object::NestingMode::Map,
                    } as i32,
                    #[allow(deprecated)]
                    min_items: 0,
                    #[allow(deprecated)]
                    max_items: 0,
                }),
            ),
        };
        pb::schema::Attribute {
            name: self.name.clone(),
            r#type: ty,
            nested_type: nested,
            description: self.description.clone(),
            required: self.required,
            optional: self.optional,
            computed: self.computed,
            sensitive: self.sensitive,
            description_kind: pb::StringKind::Markdown as i32,
            deprecated: self.deprecated,
            write_only: false,
        }
    }
}

impl NestedBlock {
    pub fn new(type_name: impl Into<String>, nesting: BlockNesting, block: Block) -> Self {
        NestedBlock {
            type_name: type_name.into(),
            block,
            nesting,
            min_items: 0,
            max_items: 0,
            requires_replace: false,
        }
    }
    pub fn list(type_name: impl Into<String>, block: Block) -> Self {
        Self::new(type_name, BlockNesting::List, block)
    }
    pub fn set(type_name: impl Into<String>, block: Block) -> Self {
        Self::new(type_name, BlockNesting::Set, block)
    }
    pub fn single(type_name: impl Into<String>, block: Block) -> Self {
        Self::new(type_name, BlockNesting::Single, block)
    }
    pub fn min(mut self, n: i64) -> Self {
        self.min_items = n;
        self
    }
    pub fn max(mut self, n: i64) -> Self {
        self.max_items = n;
        self
    }
    /// A change of the block's value replaces the resource.
    pub fn requires_replace(mut self) -> Self {
        self.requires_replace = true;
        self
    }

    pub fn to_proto(&self) -> pb::schema::NestedBlock {
        use pb::schema::nested_block::NestingMode as M;
        pb::schema::NestedBlock {
            type_name: self.type_name.clone(),
            block: Some(self.block.to_proto()),
            nesting: match self.nesting {
                BlockNesting::Single => M::Single,
                BlockNesting::List => M::List,
                BlockNesting::Set => M::Set,
                BlockNesting::Map => M::Map,
                BlockNesting::Group => M::Group,
            } as i32,
            min_items: self.min_items,
            max_items: self.max_items,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn implied_type_covers_attributes_and_blocks() {
        let b = Block::new("x")
            .attr(Attribute::string("name").required())
            .block(
                NestedBlock::list(
                    "rule",
                    Block::new("r").attr(Attribute::number("n").optional()),
                )
                .max(2),
            );
        let t = b.implied_type();
        let Type::Object(attrs) = t else { panic!() };
        assert_eq!(attrs["name"], Type::String);
        assert!(matches!(&attrs["rule"], Type::List(inner) if matches!(**inner, Type::Object(_))));
    }

    #[test]
    fn nested_attributes_never_set_type_too() {
        let a = Attribute::nested(
            "o",
            ObjectNesting::List,
            vec![Attribute::string("s").computed()],
        )
        .computed();
        let p = a.to_proto();
        assert!(p.r#type.is_empty());
        assert!(p.nested_type.is_some());
        let plain = Attribute::string("s").optional().to_proto();
        assert_eq!(plain.r#type, b"\"string\"");
        assert!(plain.nested_type.is_none());
    }
}
