//! What a resource's `move_state` hook receives: the source of a `moved` block whose `from` is a
//! resource of another type, usually another provider's (MoveResourceState, Terraform ≥ 1.8).

/// The resource being moved, as its own provider stored it.
#[derive(Clone, Copy, Debug)]
pub struct MoveSource<'a> {
    /// Full address of the source provider, e.g. `registry.terraform.io/hashicorp/aws` (or
    /// `registry.opentofu.org/hashicorp/aws` under OpenTofu).
    pub provider_address: &'a str,
    /// e.g. `aws_ecr_repository`.
    pub type_name: &'a str,
    /// The schema version the source state was written with.
    pub schema_version: i64,
    /// The source state, parsed from the JSON Terraform stored.
    pub state: &'a serde_json::Value,
    /// The source identity (Terraform ≥ 1.12, when the source type has one).
    pub identity: Option<&'a serde_json::Value>,
    pub identity_schema_version: i64,
}

impl MoveSource<'_> {
    /// `hashicorp/aws` under either registry host (`registry.terraform.io`,
    /// `registry.opentofu.org`) or none.
    pub fn is_provider(&self, namespace_and_name: &str) -> bool {
        let addr = self.provider_address;
        addr == namespace_and_name
            || addr
                .split_once('/')
                .is_some_and(|(host, rest)| host.contains('.') && rest == namespace_and_name)
    }

    /// A string attribute of the source state.
    pub fn state_str(&self, name: &str) -> Option<&str> {
        self.state.get(name).and_then(|v| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_address_matches_on_any_registry_host() {
        let state = serde_json::json!({"name": "app"});
        let src = |addr| MoveSource {
            provider_address: addr,
            type_name: "aws_ecr_repository",
            schema_version: 0,
            state: &state,
            identity: None,
            identity_schema_version: 0,
        };
        for addr in [
            "registry.terraform.io/hashicorp/aws",
            "registry.opentofu.org/hashicorp/aws",
            "hashicorp/aws",
        ] {
            assert!(src(addr).is_provider("hashicorp/aws"), "{addr}");
        }
        for addr in [
            "registry.terraform.io/hashicorp/awscc",
            "registry.terraform.io/someone/aws",
            "hashicorp/aws/extra",
        ] {
            assert!(!src(addr).is_provider("hashicorp/aws"), "{addr}");
        }
        assert_eq!(src("hashicorp/aws").state_str("name"), Some("app"));
        assert_eq!(src("hashicorp/aws").state_str("missing"), None);
    }
}
