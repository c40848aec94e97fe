//! `aws_ecr_registry_scanning_configuration` → `ecr_registry_scanning_configuration`.

use super::{source_attributes, MoveError, Source};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegistryScanning {
    pub scan_type: String,
    /// In the order the state stores them (hashicorp/aws keeps rules and filters in sets).
    pub rules: Vec<ScanRule>,
    pub registry_id: Option<String>,
    pub region: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScanRule {
    pub scan_frequency: String,
    /// (filter, filter_type) pairs.
    pub filters: Vec<(String, String)>,
}

pub fn from_aws(src: &Source<'_>) -> Result<RegistryScanning, MoveError> {
    let a = source_attributes(src, "ecr_registry_scanning_configuration")?;
    let rules = a
        .blocks("rule")
        .iter()
        .map(|r| {
            Ok(ScanRule {
                scan_frequency: r.required("scan_frequency")?,
                filters: r
                    .blocks("repository_filter")
                    .iter()
                    .filter_map(|f| {
                        Some((
                            f.string("filter")?,
                            f.string("filter_type").unwrap_or_else(|| "WILDCARD".into()),
                        ))
                    })
                    .collect(),
            })
        })
        .collect::<Result<_, MoveError>>()?;
    Ok(RegistryScanning {
        scan_type: a.required("scan_type")?,
        rules,
        registry_id: a.string("registry_id").or_else(|| a.string("id")),
        region: a.region(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::aws_source;
    use super::*;

    #[test]
    fn enhanced_with_two_rules() {
        let v6 = r#"{
            "id": "123456789012",
            "region": "us-east-1",
            "registry_id": "123456789012",
            "rule": [
                {"repository_filter": [{"filter": "*", "filter_type": "WILDCARD"}], "scan_frequency": "SCAN_ON_PUSH"},
                {"repository_filter": [{"filter": "prod-*", "filter_type": "WILDCARD"}, {"filter": "release", "filter_type": "WILDCARD"}], "scan_frequency": "CONTINUOUS_SCAN"}
            ],
            "scan_type": "ENHANCED"
        }"#;
        let s = from_aws(&aws_source("aws_ecr_registry_scanning_configuration", v6)).unwrap();
        assert_eq!(s.scan_type, "ENHANCED");
        assert_eq!(s.rules.len(), 2);
        assert_eq!(s.rules[1].scan_frequency, "CONTINUOUS_SCAN");
        assert_eq!(
            s.rules[1].filters,
            [
                ("prod-*".to_string(), "WILDCARD".to_string()),
                ("release".to_string(), "WILDCARD".to_string())
            ]
        );
        assert_eq!(s.region.as_deref(), Some("us-east-1"));
    }

    #[test]
    fn basic_without_rules() {
        let v5 = r#"{"id": "123456789012", "registry_id": "123456789012", "rule": [], "scan_type": "BASIC"}"#;
        let s = from_aws(&aws_source("aws_ecr_registry_scanning_configuration", v5)).unwrap();
        assert_eq!(
            s,
            RegistryScanning {
                scan_type: "BASIC".into(),
                registry_id: Some("123456789012".into()),
                ..Default::default()
            }
        );
    }
}
