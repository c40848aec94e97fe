//! SDK errors: recognised by the SDK's typed error kinds ([`is`]), and turned into text a user
//! can act on ([`text`], [`public_text`]). The SDK's own Display stops at "service error"; the
//! useful part (code and message) is further down the source chain.

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// Whether `e` is the service error that `kind` recognises, one of the SDK's generated
/// predicates, e.g. `is(&e, DescribeRepositoriesError::is_repository_not_found_exception)`.
pub fn is<E, R>(e: &SdkError<E, R>, kind: impl FnOnce(&E) -> bool) -> bool {
    e.as_service_error().is_some_and(kind)
}

/// Full error text, e.g. `RepositoryNotEmptyException: The repository ... cannot be deleted`.
pub fn text<E: std::error::Error>(e: &E) -> String {
    DisplayErrorContext(e).to_string()
}

/// The AWS error code when the service returned one: for messages (and the remedies of
/// [`public_hint`]), never to recognise an error (that is [`is`]).
pub fn code<E, R>(e: &SdkError<E, R>) -> Option<&str>
where
    E: ProvideErrorMetadata,
{
    match e {
        SdkError::ServiceError(s) => s.err().code(),
        _ => None,
    }
}

/// Error text for an ECR Public call: AWS's code and message (without the SDK's dump of the
/// raw HTTP response), plus a remedy when we know one ([`public_hint`]).
pub fn public_text<E, R>(e: &SdkError<E, R>) -> String
where
    E: std::error::Error + ProvideErrorMetadata + 'static,
    R: std::fmt::Debug,
{
    let message = match e {
        SdkError::ServiceError(s) => match (s.err().code(), s.err().message()) {
            (Some(c), Some(m)) => format!("{c}: {m}"),
            (Some(c), None) => c.to_string(),
            _ => text(e),
        },
        _ => text(e),
    };
    let hint = match e {
        SdkError::ServiceError(s) => s.err().code().and_then(public_hint),
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => Some(
            "Could not reach the ECR Public API. It exists only in us-east-1 (api.ecr-public.us-east-1.amazonaws.com, or endpoints.ecrpublic when set); check network access to it.",
        ),
        _ => None,
    };
    match hint {
        Some(h) => format!("{message}\n\n{h}"),
        None => message,
    }
}

/// A remedy for ECR Public error codes whose fix is not obvious from AWS's message.
pub fn public_hint(code: &str) -> Option<&'static str> {
    Some(match code {
        "RepositoryNotEmptyException" => "Set force_destroy = true to delete the repository together with its images.",
        "RepositoryNotFoundException" => "ECR Public repositories live in the account's public registry in us-east-1, not in the provider's region; check the name (the repository must exist before its policy).",
        "LimitExceededException" => "An ECR Public service quota was reached (see https://docs.aws.amazon.com/AmazonECR/latest/public/public-service-quotas.html).",
        "TooManyTagsException" => "A repository can hold at most 50 tags, default_tags included.",
        "AccessDeniedException" | "UnrecognizedClientException" | "InvalidSignatureException" | "ExpiredTokenException" | "InvalidClientTokenId" => {
            "ECR Public calls always go to us-east-1, whatever the provider's region: the credentials must be valid there, and IAM policies or SCPs that restrict regions must allow ecr-public (and sts:GetServiceBearerToken for the authorization token) in us-east-1."
        }
        "UnsupportedCommandException" => "ECR Public's API exists only in us-east-1. The provider pins these calls there; if endpoints.ecrpublic is set, it must point at a us-east-1 endpoint.",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ecrpublic::operation::delete_repository::DeleteRepositoryError;
    use aws_sdk_ecrpublic::types::error::RepositoryNotEmptyException;
    use aws_smithy_runtime_api::http::{Response, StatusCode};
    use aws_smithy_types::body::SdkBody;
    use aws_smithy_types::error::ErrorMetadata;

    #[test]
    fn error_hints_name_the_remedy() {
        assert!(public_hint("RepositoryNotEmptyException")
            .unwrap()
            .contains("force_destroy = true"));
        assert!(public_hint("AccessDeniedException")
            .unwrap()
            .contains("us-east-1"));
        assert!(public_hint("UnsupportedCommandException")
            .unwrap()
            .contains("us-east-1"));
        assert_eq!(public_hint("ServerException"), None);
    }

    #[test]
    fn service_errors_get_code_message_and_hint() {
        let inner = RepositoryNotEmptyException::builder()
            .message("The repository with name 'my-tool' in registry with id '123456789012' cannot be deleted because it still contains images")
            .meta(ErrorMetadata::builder().code("RepositoryNotEmptyException").message("still contains images").build())
            .build();
        let e: SdkError<DeleteRepositoryError, Response> = SdkError::service_error(
            DeleteRepositoryError::RepositoryNotEmptyException(inner),
            Response::new(StatusCode::try_from(400).unwrap(), SdkBody::empty()),
        );
        assert_eq!(code(&e), Some("RepositoryNotEmptyException"));
        assert!(is(
            &e,
            DeleteRepositoryError::is_repository_not_empty_exception
        ));
        assert!(!is(
            &e,
            DeleteRepositoryError::is_repository_not_found_exception
        ));
        let text = public_text(&e);
        assert!(
            text.starts_with("RepositoryNotEmptyException: still contains images\n\n"),
            "{text}"
        );
        assert!(
            text.ends_with(
                "Set force_destroy = true to delete the repository together with its images."
            ),
            "{text}"
        );
    }
}
