//! Resource identity schemas (protocol 6.9, Terraform ≥ 1.12): the few attributes that name a
//! remote object, stored beside its state and accepted by `import { identity = { … } }`.

use std::collections::BTreeMap;

use super::cty::Type;
use crate::proto::tfplugin6 as pb;

#[derive(Clone, Debug, PartialEq)]
pub struct IdentitySchema {
    /// Bumped whenever the attributes change; separate from the state schema version.
    pub version: i64,
    pub attributes: Vec<IdentityAttribute>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct IdentityAttribute {
    pub name: String,
    pub ty: Type,
    /// Markdown.
    pub description: String,
    /// An import block must give it; otherwise the provider can supply it.
    pub required_for_import: bool,
}

impl IdentitySchema {
    pub fn new(version: i64) -> Self {
        IdentitySchema {
            version,
            attributes: vec![],
        }
    }
    /// A string attribute an import block must set.
    pub fn required(mut self, name: &str, description: &str) -> Self {
        self.attributes.push(IdentityAttribute {
            name: name.into(),
            ty: Type::String,
            description: description.into(),
            required_for_import: true,
        });
        self
    }
    /// A string attribute the provider fills in when an import block leaves it out.
    pub fn optional(mut self, name: &str, description: &str) -> Self {
        self.attributes.push(IdentityAttribute {
            name: name.into(),
            ty: Type::String,
            description: description.into(),
            required_for_import: false,
        });
        self
    }
    pub fn attribute(&self, name: &str) -> Option<&IdentityAttribute> {
        self.attributes.iter().find(|a| a.name == name)
    }
    /// Identity data is an object of these attributes.
    pub fn implied_type(&self) -> Type {
        Type::Object(
            self.attributes
                .iter()
                .map(|a| (a.name.clone(), a.ty.clone()))
                .collect::<BTreeMap<_, _>>(),
        )
    }
    pub fn to_proto(&self) -> pb::ResourceIdentitySchema {
        pb::ResourceIdentitySchema {
            version: self.version,
            identity_attributes: self
                .attributes
                .iter()
                .map(|a| pb::resource_identity_schema::IdentityAttribute {
                    name: a.name.clone(),
                    r#type: a.ty.to_json_bytes(),
                    required_for_import: a.required_for_import,
                    optional_for_import: !a.required_for_import,
                    description: a.description.clone(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_attribute_is_required_or_optional_for_import() {
        let s = IdentitySchema::new(0)
            .optional("account_id", "a")
            .required("name", "n");
        let p = s.to_proto();
        assert_eq!(p.identity_attributes.len(), 2);
        for a in &p.identity_attributes {
            assert_ne!(a.required_for_import, a.optional_for_import, "{}", a.name);
            assert_eq!(a.r#type, b"\"string\"");
        }
        assert!(p.identity_attributes[1].required_for_import);
        assert_eq!(
            s.implied_type(),
            Type::object([("account_id", Type::String), ("name", Type::String)])
        );
    }
}
