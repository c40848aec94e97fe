//! `provider::ecr::parse_image_uri(uri)`: the parts of an ECR image URI.

use serde::Serialize;

use super::string_param;
use crate::framework::{Docs, Function, FunctionError, FunctionSignature};
use crate::image_uri;
use crate::protocol::cty::Type;

pub struct ParseImageUri;

#[derive(Serialize, Debug, PartialEq)]
pub struct Parts {
    pub registry_id: String,
    pub region: String,
    pub repository_name: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
    pub registry_host: String,
}

impl Function for ParseImageUri {
    type Args = (String,);
    type Output = Parts;

    fn name(&self) -> &'static str {
        "parse_image_uri"
    }

    fn signature(&self) -> FunctionSignature {
        FunctionSignature {
            parameters: vec![string_param(
                "uri",
                "An image URI: `<registry host>/<repository>`, optionally with `:tag` and/or `@sha256:…`.",
            )],
            return_type: Type::object([
                ("registry_id", Type::String),
                ("region", Type::String),
                ("repository_name", Type::String),
                ("tag", Type::String),
                ("digest", Type::String),
                ("registry_host", Type::String),
            ]),
            summary: "Splits an ECR image URI into registry, region, repository, tag and digest.".into(),
            description: "Parses an image URI of a private ECR registry (`<account>.dkr.ecr.<region>.amazonaws.com`, its FIPS form `dkr.ecr-fips`, China `amazonaws.com.cn` and dual-stack `<account>.dkr-ecr[-fips].<region>.on.aws` hosts; pull-through cache repositories are private repositories under the rule's prefix) or of ECR Public (`public.ecr.aws/<alias>/<repository>`, dual-stack `ecr-public.aws.com`).\n\nReturns an object with `registry_id` (the account id; for ECR Public the registry alias), `region` (`us-east-1` for ECR Public), `repository_name`, `tag` and `digest` (null when absent) and `registry_host`. A URI it cannot read is an error naming the part at fault (scheme, registry host, repository, registry alias, tag or digest).".into(),
        }
    }

    fn docs(&self) -> Docs {
        Docs {
            notes: "## Notes\n\n- No AWS call is made: the function reads the text only, so it works in any\n  configuration, with or without credentials.\n- Docker Hub style references (`nginx:latest`, `docker.io/…`) are refused: they are not ECR\n  URIs.".into(),
            ..Default::default()
        }
    }

    fn call(&self, (uri,): (String,)) -> Result<Parts, FunctionError> {
        let p = image_uri::parse(&uri).map_err(|e| FunctionError::at(0, e.to_string()))?;
        Ok(Parts {
            registry_id: p.registry_id,
            region: p.region,
            repository_name: p.repository_name,
            tag: p.tag,
            digest: p.digest,
            registry_host: p.registry_host,
        })
    }
}
