//! `ecr_repositories`: the names of every repository in a registry (DescribeRepositories, every
//! page at 1000 a page).

use serde::{Deserialize, Serialize};

use crate::aws::errors::text;
use crate::aws::AwsClients;
use crate::framework::validate;
use crate::framework::{AttrPath, Attribute, Block, Ctx, DataSource, Diagnostics, Schema, Val};
use crate::shared::region;
use crate::shared::validators::RegistryId;

pub struct EcrRepositories;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Model {
    pub id: Val<String>,
    pub registry_id: Val<String>,
    pub names: Val<Vec<String>>,
    pub region: Val<String>,
}

#[async_trait::async_trait]
impl DataSource for EcrRepositories {
    type Model = Model;
    type Provider = AwsClients;

    fn type_name(&self) -> &'static str {
        "ecr_repositories"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            0,
            Block::new("The names of every repository in a private registry (in the provider's region, or `region`), as hashicorp/aws's `aws_ecr_repositories`: `DescribeRepositories`, 1,000 repositories per call.")
                .attr(Attribute::string("id").computed().description("The region and registry read, `<region>:<registry_id>`."))
                .attr(Attribute::string("registry_id").optional().description("Account id (12 digits) of another account's registry; only repositories whose policy lets the caller describe them are listed. Default: the caller's registry."))
                .attr(region::data_source_attribute())
                .attr(Attribute::string_set("names").computed().description("Repository names.")),
        )
    }

    fn validate(&self, c: &Model, diags: &mut Diagnostics) {
        region::validate(&c.region, diags);
        validate::check(
            diags,
            &AttrPath::attr("registry_id"),
            &c.registry_id,
            &[&RegistryId],
        );
    }

    async fn read(
        &self,
        ctx: &Ctx<AwsClients>,
        mut c: Model,
        diags: &mut Diagnostics,
    ) -> Option<Model> {
        let aws = &ctx.provider.in_region(c.region.str());
        region::read(&mut c.region, &aws.region);
        let mut pages = aws
            .ecr
            .describe_repositories()
            .set_registry_id(c.registry_id.str().map(str::to_string))
            .max_results(1000)
            .into_paginator()
            .send();
        let mut names = Vec::new();
        while let Some(page) = pages.next().await {
            match page {
                Ok(p) => names.extend(
                    p.repositories()
                        .iter()
                        .filter_map(|r| r.repository_name())
                        .map(str::to_string),
                ),
                Err(e) => {
                    diags.error("Listing ECR repositories failed", text(&e));
                    return None;
                }
            }
        }
        names.sort();
        names.dedup();
        let registry = c
            .registry_id
            .str()
            .or(aws.account_id.as_deref())
            .unwrap_or("default");
        Some(Model {
            id: Val::of(format!("{}:{registry}", aws.region)),
            names: Val::Known(names),
            ..c
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_id_is_checked_and_names_are_a_set() {
        let mut d = Diagnostics::new();
        EcrRepositories.validate(
            &Model {
                registry_id: Val::of("abc"),
                ..Default::default()
            },
            &mut d,
        );
        assert_eq!(d.0[0].attribute, Some(AttrPath::attr("registry_id")));
        let s = EcrRepositories.schema();
        assert_eq!(
            s.block.attribute("names").unwrap().ty,
            crate::protocol::schema::AttributeType::Type(crate::protocol::cty::Type::Set(
                Box::new(crate::protocol::cty::Type::String)
            ))
        );
    }
}
