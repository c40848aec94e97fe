//! Building AWS SDK clients from the provider configuration, falling back to the standard AWS
//! environment (AWS_REGION, AWS_PROFILE, shared files, IMDS, ...). Endpoints not set in the
//! provider block come from `AWS_ENDPOINT_URL_<SERVICE>` / `AWS_ENDPOINT_URL` through the SDK's own
//! loader (`Builder::from(&SdkConfig)`); the examples and their tests rely on it.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region};
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_credential_types::Credentials;

use super::reads::{LifecyclePolicyReads, RepositoryReads};

/// Everything the provider block can say about reaching AWS, already validated.
#[derive(Clone, Debug, Default)]
pub struct AwsSettings {
    pub region: Option<String>,
    pub profile: Option<String>,
    pub shared_config_files: Vec<String>,
    pub shared_credentials_files: Vec<String>,
    pub access_key: Option<String>,
    pub secret_key: Option<String>,
    pub token: Option<String>,
    pub assume_role: Option<AssumeRole>,
    pub web_identity: Option<WebIdentity>,
    pub endpoint_ecr: Option<String>,
    pub endpoint_ecrpublic: Option<String>,
    pub endpoint_sts: Option<String>,
    pub max_retries: Option<u32>,
    pub adaptive_retry: bool,
    pub skip_credentials_validation: bool,
    pub default_tags: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Default)]
pub struct AssumeRole {
    pub role_arn: String,
    pub session_name: Option<String>,
    pub external_id: Option<String>,
    pub duration: Option<Duration>,
}

#[derive(Clone, Debug, Default)]
pub struct WebIdentity {
    pub role_arn: String,
    pub web_identity_token_file: String,
    pub session_name: Option<String>,
}

/// Configured clients and facts the resources need.
#[derive(Clone, Debug)]
pub struct AwsClients {
    pub ecr: aws_sdk_ecr::Client,
    /// ECR Public only exists in us-east-1: this client is pinned there whatever `region` is.
    pub ecr_public: aws_sdk_ecrpublic::Client,
    pub region: String,
    /// From STS GetCallerIdentity unless credential validation is skipped.
    pub account_id: Option<String>,
    pub default_tags: BTreeMap<String, String>,
    /// Refresh reads of repositories: a registry snapshot plus batched DescribeRepositories.
    pub repositories: std::sync::Arc<RepositoryReads>,
    /// GetLifecyclePolicy answers shared between a repository's refresh and its policy's.
    pub lifecycle_policies: std::sync::Arc<LifecyclePolicyReads>,
    /// How posture checks (`posture_checks` in the provider block) are reported.
    pub posture: crate::posture::Mode,
    /// Clients for the other regions resources name in `region`, made on first use and shared.
    pub other_regions: std::sync::Arc<OtherRegions>,
}

/// What building an ECR client for another region needs, and the clients built so far.
#[derive(Debug)]
pub struct OtherRegions {
    sdk: aws_types::SdkConfig,
    endpoint_ecr: Option<String>,
    built: std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<AwsClients>>>,
}

impl AwsClients {
    /// The clients for a resource's `region`: these when it is unset or the provider's own,
    /// else ECR clients for that region (same credentials, endpoints and retries), built once
    /// per provider and shared by every resource there. ECR Public stays in us-east-1.
    pub fn in_region(&self, region: Option<&str>) -> std::sync::Arc<AwsClients> {
        let Some(r) = region.filter(|r| !r.is_empty() && *r != self.region) else {
            return std::sync::Arc::new(self.clone());
        };
        let o = &self.other_regions;
        let mut built = o.built.lock().unwrap_or_else(|e| e.into_inner());
        built
            .entry(r.to_string())
            .or_insert_with(|| {
                let mut b =
                    aws_sdk_ecr::config::Builder::from(&o.sdk).region(Region::new(r.to_string()));
                if let Some(e) = &o.endpoint_ecr {
                    b = b.endpoint_url(e);
                }
                let ecr = aws_sdk_ecr::Client::from_conf(b.build());
                std::sync::Arc::new(AwsClients {
                    repositories: std::sync::Arc::new(RepositoryReads::new(ecr.clone())),
                    lifecycle_policies: std::sync::Arc::new(LifecyclePolicyReads::new(ecr.clone())),
                    ecr,
                    region: r.to_string(),
                    ..self.clone()
                })
            })
            .clone()
    }

    /// How many regions other than the provider's have clients (for tests).
    pub fn other_region_count(&self) -> usize {
        self.other_regions
            .built
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .len()
    }

    pub async fn build(s: &AwsSettings) -> Result<AwsClients, String> {
        let mut loader = aws_config::defaults(BehaviorVersion::latest());
        if let Some(r) = &s.region {
            loader = loader.region(Region::new(r.clone()));
        }
        if let Some(p) = &s.profile {
            loader = loader.profile_name(p);
        }
        if !s.shared_config_files.is_empty() || !s.shared_credentials_files.is_empty() {
            use aws_runtime::env_config::file::{
                EnvConfigFileKind as ProfileFileKind, EnvConfigFiles as ProfileFiles,
            };
            let mut files = ProfileFiles::builder();
            if s.shared_config_files.is_empty() {
                files = files.include_default_config_file(true);
            }
            if s.shared_credentials_files.is_empty() {
                files = files.include_default_credentials_file(true);
            }
            for f in &s.shared_config_files {
                files = files.with_file(ProfileFileKind::Config, expand_home(f));
            }
            for f in &s.shared_credentials_files {
                files = files.with_file(ProfileFileKind::Credentials, expand_home(f));
            }
            loader = loader.profile_files(files.build());
        }
        match (&s.access_key, &s.secret_key) {
            (Some(ak), Some(sk)) => {
                loader = loader.credentials_provider(Credentials::new(
                    ak,
                    sk,
                    s.token.clone(),
                    None,
                    "terraform-provider-ecr",
                ));
            }
            (None, None) => {}
            _ => return Err("access_key and secret_key must be set together".into()),
        }
        let retry = if s.adaptive_retry {
            RetryConfig::adaptive()
        } else {
            RetryConfig::standard()
        };
        let retry = match s.max_retries {
            Some(n) => retry.with_max_attempts(n.saturating_add(1)),
            None => retry.with_max_attempts(10),
        };
        loader = loader.retry_config(retry);
        let base = loader.load().await;
        let region = base.region().map(|r| r.to_string()).ok_or(
            "no AWS region: set `region` in the provider block or AWS_REGION in the environment",
        )?;

        // Role assumption talks to STS, possibly at a custom endpoint.
        let mut sts_config = base.to_builder();
        if let Some(e) = &s.endpoint_sts {
            sts_config.set_endpoint_url(Some(e.clone()));
        }
        let sts_config = sts_config.build();
        let mut sdk = base.clone();
        if let Some(w) = &s.web_identity {
            // Our own provider, so the call goes to `endpoints { sts }` (see web_identity.rs).
            let provider = super::web_identity::WebIdentityProvider {
                sts: aws_sdk_sts::Client::new(&sts_config),
                role_arn: w.role_arn.clone(),
                token_file: PathBuf::from(expand_home(&w.web_identity_token_file)),
                session_name: w
                    .session_name
                    .clone()
                    .unwrap_or_else(|| "terraform-provider-ecr".into()),
            };
            sdk = sdk
                .to_builder()
                .credentials_provider(SharedCredentialsProvider::new(provider))
                .build();
        }
        if let Some(a) = &s.assume_role {
            let source = sts_config.to_builder();
            let source = match sdk.credentials_provider() {
                Some(c) => source.credentials_provider(c),
                None => source,
            }
            .build();
            let mut b = aws_config::sts::AssumeRoleProvider::builder(a.role_arn.clone())
                .session_name(
                    a.session_name
                        .clone()
                        .unwrap_or_else(|| "terraform-provider-ecr".into()),
                )
                .configure(&source);
            if let Some(x) = &a.external_id {
                b = b.external_id(x.clone());
            }
            if let Some(d) = a.duration {
                b = b.session_length(d);
            }
            let provider = b.build().await;
            sdk = sdk
                .to_builder()
                .credentials_provider(SharedCredentialsProvider::new(provider))
                .build();
        }

        let mut ecr = aws_sdk_ecr::config::Builder::from(&sdk);
        if let Some(e) = &s.endpoint_ecr {
            ecr = ecr.endpoint_url(e);
        }
        let mut ecr_public =
            aws_sdk_ecrpublic::config::Builder::from(&sdk).region(Region::new("us-east-1"));
        if let Some(e) = &s.endpoint_ecrpublic {
            ecr_public = ecr_public.endpoint_url(e);
        }

        let account_id = if s.skip_credentials_validation {
            None
        } else {
            let mut sts = aws_sdk_sts::config::Builder::from(&sdk);
            if let Some(e) = &s.endpoint_sts {
                sts = sts.endpoint_url(e);
            }
            let sts = aws_sdk_sts::Client::from_conf(sts.build());
            let who = sts.get_caller_identity().send().await.map_err(|e| {
                format!(
                    "validating AWS credentials with STS GetCallerIdentity: {}",
                    super::errors::text(&e)
                )
            })?;
            who.account().map(str::to_string)
        };

        let ecr = aws_sdk_ecr::Client::from_conf(ecr.build());
        Ok(AwsClients {
            repositories: std::sync::Arc::new(RepositoryReads::new(ecr.clone())),
            lifecycle_policies: std::sync::Arc::new(LifecyclePolicyReads::new(ecr.clone())),
            ecr,
            ecr_public: aws_sdk_ecrpublic::Client::from_conf(ecr_public.build()),
            region,
            account_id,
            default_tags: s.default_tags.clone(),
            posture: Default::default(),
            other_regions: std::sync::Arc::new(OtherRegions {
                sdk: sdk.clone(),
                endpoint_ecr: s.endpoint_ecr.clone(),
                built: Default::default(),
            }),
        })
    }
}

fn expand_home(p: &str) -> String {
    match (p.strip_prefix("~/"), std::env::var("HOME")) {
        (Some(rest), Ok(home)) => format!("{home}/{rest}"),
        _ => p.to_string(),
    }
}

/// Go-style durations as Terraform users write them: "1h", "15m", "900s", "1h30m".
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("empty duration".into());
    }
    let mut total = 0f64;
    let mut num = String::new();
    let mut chars = s.chars().peekable();
    let mut saw_unit = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let mut unit = c.to_string();
        if c == 'm' && chars.peek() == Some(&'s') {
            unit.push(chars.next().unwrap_or('s'));
        }
        let n: f64 = num.parse().map_err(|_| format!("invalid duration {s:?}"))?;
        total += n * match unit.as_str() {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 0.001,
            _ => {
                return Err(format!(
                    "invalid duration {s:?}: unknown unit {unit:?} (use h, m, s)"
                ))
            }
        };
        num.clear();
        saw_unit = true;
    }
    if !num.is_empty() || !saw_unit {
        return Err(format!(
            "invalid duration {s:?}: a unit (h, m, s) is required"
        ));
    }
    Ok(Duration::from_secs_f64(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1h").unwrap(), Duration::from_secs(3600));
        assert_eq!(parse_duration("1h30m").unwrap(), Duration::from_secs(5400));
        assert_eq!(parse_duration("900s").unwrap(), Duration::from_secs(900));
        assert!(parse_duration("15").is_err());
        assert!(parse_duration("5d").is_err());
        assert!(parse_duration("").is_err());
    }

    #[tokio::test]
    async fn ecr_public_is_pinned_to_us_east_1_whatever_the_region() {
        let s = AwsSettings {
            region: Some("eu-west-1".into()),
            access_key: Some("test".into()),
            secret_key: Some("test".into()),
            endpoint_ecrpublic: Some("http://127.0.0.1:9".into()),
            skip_credentials_validation: true,
            ..Default::default()
        };
        let c = AwsClients::build(&s).await.unwrap();
        assert_eq!(c.region, "eu-west-1");
        assert_eq!(
            c.ecr.config().region().map(|r| r.as_ref()),
            Some("eu-west-1")
        );
        assert_eq!(
            c.ecr_public.config().region().map(|r| r.as_ref()),
            Some("us-east-1")
        );
    }
}
