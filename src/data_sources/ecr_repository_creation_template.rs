//! `ecr_repository_creation_template` (data source): an existing template by prefix (one
//! DescribeRepositoryCreationTemplates call), as hashicorp/aws's data source of that name.

use std::collections::BTreeMap;

use aws_sdk_ecr::types::RepositoryCreationTemplate;
use serde::{Deserialize, Serialize};

use crate::aws::templates::describe_template;
use crate::aws::AwsClients;
use crate::framework::{AttrPath, Attribute, Block, Ctx, DataSource, Diagnostics, Schema, Val};
use crate::protocol::cty::Type;
use crate::registry::template::{self as domain, TemplateSpec};
use crate::registry::Problems;
use crate::shared::region;
use crate::shared::registry::report;

pub struct EcrRepositoryCreationTemplateData;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Model {
    pub id: Val<String>,
    pub prefix: Val<String>,
    pub registry_id: Val<String>,
    pub description: Val<String>,
    pub applied_for: Val<Vec<String>>,
    pub custom_role_arn: Val<String>,
    pub image_tag_mutability: Val<String>,
    pub image_tag_mutability_exclusion_filter: Val<Vec<ExclusionFilter>>,
    pub encryption_configuration: Val<Vec<Encryption>>,
    pub lifecycle_policy: Val<String>,
    pub repository_policy: Val<String>,
    pub resource_tags: Val<BTreeMap<String, String>>,
    pub created_at: Val<String>,
    pub updated_at: Val<String>,
    pub region: Val<String>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct ExclusionFilter {
    pub filter: String,
    pub filter_type: String,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct Encryption {
    pub encryption_type: String,
    pub kms_key: Option<String>,
}

fn list_of(fields: &[(&str, Type)]) -> Type {
    Type::List(Box::new(Type::Object(
        fields
            .iter()
            .map(|(n, t)| (n.to_string(), t.clone()))
            .collect(),
    )))
}

/// AWS's empty string means "not set".
fn opt(s: Option<&str>) -> Val<String> {
    s.filter(|s| !s.is_empty()).map_or(Val::Null, Val::of)
}

fn time(t: Option<&aws_smithy_types::DateTime>) -> Val<String> {
    t.map(|t| crate::timestamp::format_rfc3339(t.secs())).into()
}

/// State from the template AWS holds (documents as AWS returns them: nothing to compare with).
fn from_template(registry_id: Option<&str>, t: &RepositoryCreationTemplate) -> Model {
    let prefix = t.prefix().unwrap_or_default().to_string();
    let mut applied_for: Vec<String> = t
        .applied_for()
        .iter()
        .map(|a| a.as_str().to_string())
        .collect();
    applied_for.sort();
    Model {
        id: Val::of(prefix.clone()),
        prefix: Val::of(prefix),
        registry_id: registry_id.map(str::to_string).into(),
        description: opt(t.description()),
        applied_for: Val::Known(applied_for),
        custom_role_arn: opt(t.custom_role_arn()),
        image_tag_mutability: Val::of(t.image_tag_mutability().map_or("MUTABLE", |m| m.as_str())),
        image_tag_mutability_exclusion_filter: Val::Known(
            t.image_tag_mutability_exclusion_filters()
                .iter()
                .map(|f| ExclusionFilter {
                    filter: f.filter().to_string(),
                    filter_type: f.filter_type().as_str().to_string(),
                })
                .collect(),
        ),
        encryption_configuration: Val::Known(
            t.encryption_configuration()
                .map(|e| Encryption {
                    encryption_type: e.encryption_type().as_str().to_string(),
                    kms_key: e.kms_key().filter(|k| !k.is_empty()).map(str::to_string),
                })
                .into_iter()
                .collect(),
        ),
        lifecycle_policy: opt(t.lifecycle_policy()),
        repository_policy: opt(t.repository_policy()),
        resource_tags: Val::Known(
            t.resource_tags()
                .iter()
                .map(|x| (x.key().to_string(), x.value().to_string()))
                .collect(),
        ),
        created_at: time(t.created_at()),
        updated_at: time(t.updated_at()),
        region: Val::Null,
    }
}

#[async_trait::async_trait]
impl DataSource for EcrRepositoryCreationTemplateData {
    type Model = Model;
    type Provider = AwsClients;

    fn type_name(&self) -> &'static str {
        "ecr_repository_creation_template"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new("An existing repository creation template, by prefix: the settings ECR gives the repositories it creates itself under that prefix (hashicorp/aws's `aws_ecr_repository_creation_template` data source, plus the times). One `DescribeRepositoryCreationTemplates` call; a prefix without a template is an error naming it. Templates live in the caller's registry (the API takes no registry id).")
                .attr(Attribute::string("id").computed().description("The prefix."))
                .attr(Attribute::string("prefix").required().description("Prefix of the template, 1–256 characters of repository-name path components, or `ROOT` for the catch-all template."))
                .attr(Attribute::string("registry_id").computed().description("Account id of the registry holding the template."))
                .attr(region::data_source_attribute())
                .attr(Attribute::string("description").computed().description("The template's description, null when none."))
                .attr(Attribute::string_set("applied_for").computed().description("Scenarios the template applies to: `CREATE_ON_PUSH`, `PULL_THROUGH_CACHE`, `REPLICATION` (a set, as the resource's `applied_for`)."))
                .attr(Attribute::string("custom_role_arn").computed().description("Role ECR assumes to apply KMS encryption and tags, null when none."))
                .attr(Attribute::string("image_tag_mutability").computed().description("`MUTABLE`, `IMMUTABLE`, `IMMUTABLE_WITH_EXCLUSION` or `MUTABLE_WITH_EXCLUSION`."))
                .attr(Attribute::new("image_tag_mutability_exclusion_filter", list_of(&[("filter", Type::String), ("filter_type", Type::String)])).computed().description("Tag filters exempt from the mutability setting: `filter` and `filter_type` (`WILDCARD`)."))
                .attr(Attribute::new("encryption_configuration", list_of(&[("encryption_type", Type::String), ("kms_key", Type::String)])).computed().description("At most one element: `encryption_type` (`AES256`, `KMS` or `KMS_DSSE`) and `kms_key` (null for AES256)."))
                .attr(Attribute::string("lifecycle_policy").computed().description("Lifecycle policy JSON given to new repositories, as AWS returns it; null when none."))
                .attr(Attribute::string("repository_policy").computed().description("Repository policy JSON given to new repositories, as AWS returns it; null when none."))
                .attr(Attribute::string_map("resource_tags").computed().description("Tags given to new repositories."))
                .attr(Attribute::string("created_at").computed().description("When the template was created (RFC 3339)."))
                .attr(Attribute::string("updated_at").computed().description("When the template was last updated (RFC 3339).")),
        )
    }

    fn validate(&self, c: &Model, diags: &mut Diagnostics) {
        region::validate(&c.region, diags);
        // The prefix rule of the template resource (registry::template), nothing else set.
        let spec = TemplateSpec {
            prefix: c.prefix.str(),
            ..Default::default()
        };
        let mut problems = Problems::default();
        domain::check(&spec, Default::default(), &mut problems);
        report(problems, &AttrPath::root(), diags);
    }

    async fn read(
        &self,
        ctx: &Ctx<AwsClients>,
        mut c: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let aws = &ctx.provider.in_region(c.region.str());
        region::read(&mut c.region, &aws.region);
        let prefix = c.prefix.str().unwrap_or_default().to_string();
        let (registry_id, t) = match describe_template(aws, &prefix).await {
            Ok(Some(found)) => found,
            Ok(None) => {
                diags.attr_error(
                    AttrPath::attr("prefix"),
                    format!("No repository creation template for prefix {prefix:?}"),
                    "DescribeRepositoryCreationTemplates returned no template with that prefix.",
                );
                return None;
            }
            Err(e) => {
                diags.error(
                    format!("Reading the repository creation template {prefix:?} failed"),
                    e,
                );
                return None;
            }
        };
        Some(Model {
            region: c.region,
            ..from_template(registry_id.as_deref(), &t)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ecr::types::{
        EncryptionConfigurationForRepositoryCreationTemplate, EncryptionType, RctAppliedFor, Tag,
    };

    #[test]
    fn template_maps_to_state() {
        let t = RepositoryCreationTemplate::builder()
            .prefix("docker-hub")
            .description("")
            .applied_for(RctAppliedFor::PullThroughCache)
            .applied_for(RctAppliedFor::CreateOnPush)
            .encryption_configuration(
                EncryptionConfigurationForRepositoryCreationTemplate::builder()
                    .encryption_type(EncryptionType::Aes256)
                    .kms_key("")
                    .build()
                    .unwrap(),
            )
            .resource_tags(
                Tag::builder()
                    .key("team")
                    .value("platform")
                    .build()
                    .unwrap(),
            )
            .created_at(aws_smithy_types::DateTime::from_secs(1_767_225_600))
            .build();
        let m = from_template(Some("123456789012"), &t);
        assert_eq!(
            m.applied_for.known().unwrap(),
            &["CREATE_ON_PUSH", "PULL_THROUGH_CACHE"]
        );
        assert!(
            m.description.is_null(),
            "AWS's empty string is no description"
        );
        assert_eq!(m.encryption_configuration.items()[0].kms_key, None);
        assert_eq!(m.image_tag_mutability.str(), Some("MUTABLE"));
        assert_eq!(m.created_at.str(), Some("2026-01-01T00:00:00Z"));
        assert_eq!(m.registry_id.str(), Some("123456789012"));
        assert!(crate::framework::val::encode_model(
            &m,
            &EcrRepositoryCreationTemplateData.schema().block
        )
        .is_ok());
    }

    #[test]
    fn prefix_rule_is_the_resource_one() {
        let mut d = Diagnostics::new();
        EcrRepositoryCreationTemplateData.validate(
            &Model {
                prefix: Val::of("Bad Prefix"),
                ..Default::default()
            },
            &mut d,
        );
        assert_eq!(d.0[0].attribute, Some(AttrPath::attr("prefix")));
        let mut ok = Diagnostics::new();
        EcrRepositoryCreationTemplateData.validate(
            &Model {
                prefix: Val::of("ROOT"),
                ..Default::default()
            },
            &mut ok,
        );
        assert!(ok.0.is_empty());
    }
}
