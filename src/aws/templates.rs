//! Repository creation templates: the one read the template resource and its data source share.

use aws_sdk_ecr::types::RepositoryCreationTemplate;

use super::errors::text;
use super::AwsClients;

/// The template for exactly `prefix` (DescribeRepositoryCreationTemplates matches prefixes,
/// so the answer is filtered again) with the registry id AWS reports, or `None` when there is
/// none. The API takes no registry id: templates are always the caller's.
pub async fn describe_template(
    aws: &AwsClients,
    prefix: &str,
) -> Result<Option<(Option<String>, RepositoryCreationTemplate)>, String> {
    match aws
        .ecr
        .describe_repository_creation_templates()
        .prefixes(prefix)
        .send()
        .await
    {
        Ok(out) => Ok(out
            .repository_creation_templates()
            .iter()
            .find(|t| t.prefix() == Some(prefix))
            .cloned()
            .map(|t| (out.registry_id().map(str::to_string), t))),
        Err(e) => Err(text(&e)),
    }
}
