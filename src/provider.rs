//! The `ecr` provider block: how to reach AWS, default tags, and the list of types this binary
//! serves (resources, data sources, ephemeral resources, list resources, functions).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::aws::config::{parse_duration, AssumeRole, AwsSettings, WebIdentity};
use crate::aws::AwsClients;
use crate::framework::{self, AttrPath, Attribute, Block, Diagnostics, NestedBlock, Schema, Val};

/// Source address Terraform configurations use: `source = "ecr-rs/ecr"`.
pub const PROVIDER_ADDRESS: &str = "registry.terraform.io/ecr-rs/ecr";

pub struct EcrProvider;

#[derive(Serialize, Deserialize, Default, Clone, Debug)]
#[serde(default)]
pub struct ProviderConfig {
    pub region: Val<String>,
    pub profile: Val<String>,
    pub shared_config_files: Val<Vec<String>>,
    pub shared_credentials_files: Val<Vec<String>>,
    pub access_key: Val<String>,
    pub secret_key: Val<String>,
    pub token: Val<String>,
    pub assume_role: Val<Vec<AssumeRoleBlock>>,
    pub assume_role_with_web_identity: Val<Vec<WebIdentityBlock>>,
    pub endpoints: Val<Vec<EndpointsBlock>>,
    pub max_retries: Val<i64>,
    pub retry_mode: Val<String>,
    pub default_tags: Val<Vec<DefaultTagsBlock>>,
    pub skip_credentials_validation: Val<bool>,
    pub posture_checks: Val<String>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug)]
#[serde(default)]
pub struct AssumeRoleBlock {
    pub role_arn: Val<String>,
    pub session_name: Val<String>,
    pub external_id: Val<String>,
    pub duration: Val<String>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug)]
#[serde(default)]
pub struct WebIdentityBlock {
    pub role_arn: Val<String>,
    pub web_identity_token_file: Val<String>,
    pub session_name: Val<String>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug)]
#[serde(default)]
pub struct EndpointsBlock {
    pub ecr: Val<String>,
    pub ecrpublic: Val<String>,
    pub sts: Val<String>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug)]
#[serde(default)]
pub struct DefaultTagsBlock {
    pub tags: Val<BTreeMap<String, String>>,
}

fn schema() -> Schema {
    let s = |name: &str, desc: &str| Attribute::string(name).optional().description(desc);
    Schema::new(
        0,
        Block::new("The `ecr` provider manages Amazon Elastic Container Registry: private repositories and their lifecycle policies, scanning, pull-through cache rules and policies, and ECR Public.\n\nIt speaks Terraform plugin protocol 6 (Terraform ≥ 1.0, OpenTofu). Credentials and region come from this block or, when unset, from the standard AWS environment (`AWS_REGION`, `AWS_PROFILE`, shared files, `AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_ECR`, instance roles).")
            .attr(s("region", "AWS region of the registry, e.g. `us-east-1`. Defaults to `AWS_REGION`/`AWS_DEFAULT_REGION` or the profile's region. ECR Public resources always use `us-east-1`."))
            .attr(s("profile", "Named profile from the shared configuration files."))
            .attr(Attribute::string_list("shared_config_files").optional().description("Paths of AWS shared config files (default `~/.aws/config`)."))
            .attr(Attribute::string_list("shared_credentials_files").optional().description("Paths of AWS shared credentials files (default `~/.aws/credentials`)."))
            .attr(s("access_key", "Static access key id. Prefer the environment or a profile.").sensitive())
            .attr(s("secret_key", "Static secret access key.").sensitive())
            .attr(s("token", "Session token for temporary static credentials.").sensitive())
            .attr(Attribute::number("max_retries").optional().description("Retries for throttled or failed AWS calls (default 9, i.e. 10 attempts)."))
            .attr(s("retry_mode", "`standard` (default) or `adaptive` (client-side rate limiting)."))
            .attr(Attribute::bool("skip_credentials_validation").optional().description("Skip the STS GetCallerIdentity call at configure time (useful against emulators)."))
            .attr(s("posture_checks", "How best-practice checks (mutable tags, no scanning, AES256, no lifecycle policy, `*` principals; ids `ECR-P001`…, see [posture checks](posture-checks.md)) are reported at plan time: `warn` (default), `off`, or `error` to fail the plan (for CI). Single checks can be silenced per resource with `posture_ignore`."))
            .block(
                NestedBlock::list(
                    "assume_role",
                    Block::new("Assume an IAM role with the credentials found above.")
                        .attr(Attribute::string("role_arn").required().description("ARN of the role to assume."))
                        .attr(s("session_name", "Session name (default `terraform-provider-ecr`)."))
                        .attr(s("external_id", "External id required by the role's trust policy."))
                        .attr(s("duration", "Session length, Go duration syntax such as `1h` or `15m` (15m–12h).")),
                )
                .max(1),
            )
            .block(
                NestedBlock::list(
                    "assume_role_with_web_identity",
                    Block::new("Assume a role with an OIDC token file, as CI systems such as GitHub Actions provide.")
                        .attr(Attribute::string("role_arn").required().description("ARN of the role to assume."))
                        .attr(Attribute::string("web_identity_token_file").required().description("Path of the file holding the OIDC token."))
                        .attr(s("session_name", "Session name (default `terraform-provider-ecr`).")),
                )
                .max(1),
            )
            .block(
                NestedBlock::list(
                    "endpoints",
                    Block::new("Custom service endpoints (emulators, VPC endpoints). Unset ones come from the standard environment: `AWS_ENDPOINT_URL_ECR`, `AWS_ENDPOINT_URL_ECR_PUBLIC`, `AWS_ENDPOINT_URL_STS`, else `AWS_ENDPOINT_URL`.")
                        .attr(s("ecr", "Endpoint URL for ECR."))
                        .attr(s("ecrpublic", "Endpoint URL for ECR Public."))
                        .attr(s("sts", "Endpoint URL for STS.")),
                )
                .max(1),
            )
            .block(
                NestedBlock::list(
                    "default_tags",
                    Block::new("Tags added to every taggable resource of this provider; resource `tags` win on conflicts.")
                        .attr(Attribute::string_map("tags").optional().description("The default tags.")),
                )
                .max(1),
            ),
    )
}

impl ProviderConfig {
    fn settings(&self, diags: &mut Diagnostics) -> AwsSettings {
        let mut s = AwsSettings {
            region: self.region.known().cloned(),
            profile: self.profile.known().cloned(),
            shared_config_files: self.shared_config_files.items().to_vec(),
            shared_credentials_files: self.shared_credentials_files.items().to_vec(),
            access_key: self.access_key.known().cloned(),
            secret_key: self.secret_key.known().cloned(),
            token: self.token.known().cloned(),
            max_retries: self.max_retries.known().map(|n| (*n).clamp(0, 100) as u32),
            adaptive_retry: self.retry_mode.str() == Some("adaptive"),
            skip_credentials_validation: self.skip_credentials_validation.or(false),
            default_tags: self
                .default_tags
                .items()
                .first()
                .map(|d| d.tags.or(BTreeMap::new()))
                .unwrap_or_default(),
            ..Default::default()
        };
        if let Some(e) = self.endpoints.items().first() {
            s.endpoint_ecr = e.ecr.known().cloned();
            s.endpoint_ecrpublic = e.ecrpublic.known().cloned();
            s.endpoint_sts = e.sts.known().cloned();
        }
        if let Some(a) = self.assume_role.items().first() {
            if let Some(arn) = a.role_arn.known() {
                let duration = match a.duration.str() {
                    Some(d) => match parse_duration(d) {
                        Ok(d) => Some(d),
                        Err(e) => {
                            diags.attr_error(
                                AttrPath::attr("assume_role")
                                    .then_index(0)
                                    .then_attr("duration"),
                                "Invalid duration",
                                e,
                            );
                            None
                        }
                    },
                    None => None,
                };
                s.assume_role = Some(AssumeRole {
                    role_arn: arn.clone(),
                    session_name: a.session_name.known().cloned(),
                    external_id: a.external_id.known().cloned(),
                    duration,
                });
            }
        }
        if let Some(w) = self.assume_role_with_web_identity.items().first() {
            if let (Some(arn), Some(file)) = (w.role_arn.known(), w.web_identity_token_file.known())
            {
                s.web_identity = Some(WebIdentity {
                    role_arn: arn.clone(),
                    web_identity_token_file: file.clone(),
                    session_name: w.session_name.known().cloned(),
                });
            }
        }
        s
    }
}

#[async_trait::async_trait]
impl framework::Provider for EcrProvider {
    type Config = ProviderConfig;
    type Data = AwsClients;

    fn schema(&self) -> Schema {
        schema()
    }

    fn docs(&self) -> framework::Docs {
        framework::Docs {
            notes: "## Authentication

In order of precedence: `access_key`/`secret_key`/`token` in the block; `AWS_ACCESS_KEY_ID` and
friends in the environment; `profile` (or `AWS_PROFILE`) from the shared config and credentials
files; web identity (`AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`); container and instance roles.
`assume_role` and `assume_role_with_web_identity` then assume a role with those credentials.

ECR Public exists only in `us-east-1`: its resources and data source always call `us-east-1`,
whatever `region` says.

## Guides

- [Posture checks](posture-checks.md): the best-practice warnings shown at plan time.
- [CLI for CI](cli.md): lifecycle policy validation and preview, the scan gate, these docs.
- [Lifecycle policy JSON Schema](lifecycle-policy.schema.json)."
                .into(),
            ..Default::default()
        }
    }

    fn validate(&self, c: &ProviderConfig, diags: &mut Diagnostics) {
        framework::validate::check(
            diags,
            &AttrPath::attr("retry_mode"),
            &c.retry_mode,
            &[&framework::validate::OneOf(&["standard", "adaptive"])],
        );
        if c.access_key.is_known() != c.secret_key.is_known()
            && !c.access_key.is_unknown()
            && !c.secret_key.is_unknown()
        {
            diags.attr_error(
                AttrPath::attr(if c.access_key.is_known() {
                    "secret_key"
                } else {
                    "access_key"
                }),
                "Incomplete static credentials",
                "access_key and secret_key must be set together.",
            );
        }
        framework::validate::check(
            diags,
            &AttrPath::attr("posture_checks"),
            &c.posture_checks,
            &[&framework::validate::OneOf(crate::posture::Mode::NAMES)],
        );
        if let Some(n) = c.max_retries.known() {
            if *n < 0 {
                diags.attr_error(
                    AttrPath::attr("max_retries"),
                    "Invalid max_retries",
                    "max_retries must be 0 or more.",
                );
            }
        }
        for (i, a) in c.assume_role.items().iter().enumerate() {
            if let Some(d) = a.duration.str() {
                match parse_duration(d) {
                    Ok(dur) if dur.as_secs() < 900 || dur.as_secs() > 43_200 => diags.attr_error(
                        AttrPath::attr("assume_role")
                            .then_index(i)
                            .then_attr("duration"),
                        "Invalid duration",
                        format!("STS sessions last 15m to 12h; {d:?} is outside that."),
                    ),
                    Ok(_) => {}
                    Err(e) => diags.attr_error(
                        AttrPath::attr("assume_role")
                            .then_index(i)
                            .then_attr("duration"),
                        "Invalid duration",
                        e,
                    ),
                }
            }
        }
    }

    async fn configure(
        &self,
        _tf: &str,
        c: ProviderConfig,
        diags: &mut Diagnostics,
    ) -> Option<AwsClients> {
        let settings = c.settings(diags);
        if diags.has_errors() {
            return None;
        }
        match AwsClients::build(&settings).await {
            Ok(mut clients) => {
                clients.posture = c
                    .posture_checks
                    .str()
                    .and_then(crate::posture::Mode::parse)
                    .unwrap_or_default();
                Some(clients)
            }
            Err(e) => {
                diags.error("Cannot configure the ecr provider", e);
                None
            }
        }
    }

    fn resources(&self) -> Vec<Box<dyn framework::DynResource<AwsClients>>> {
        crate::resources::all()
    }

    fn data_sources(&self) -> Vec<Box<dyn framework::DynDataSource<AwsClients>>> {
        crate::data_sources::all()
    }

    fn ephemeral_resources(&self) -> Vec<Box<dyn framework::DynEphemeralResource<AwsClients>>> {
        crate::ephemeral_resources::all()
    }

    fn list_resources(&self) -> Vec<Box<dyn framework::DynListResource<AwsClients>>> {
        crate::list_resources::all()
    }

    fn functions(&self) -> Vec<Box<dyn framework::DynFunction>> {
        crate::functions::all()
    }
}
