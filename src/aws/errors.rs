//! SDK errors → readable text. The SDK's own Display stops at "service error"; the useful part
//! (code and message) is further down the source chain.

use aws_smithy_types::error::display::DisplayErrorContext;

/// Full error text, e.g. `RepositoryNotEmptyException: The repository ... cannot be deleted`.
pub fn describe<E: std::error::Error>(e: &E) -> String {
    DisplayErrorContext(e).to_string()
}

/// The AWS error code when the service returned one.
pub fn code<E>(
    e: &aws_smithy_runtime_api::client::result::SdkError<E, aws_smithy_runtime_api::http::Response>,
) -> Option<&str>
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata,
{
    match e {
        aws_smithy_runtime_api::client::result::SdkError::ServiceError(s) => s.err().code(),
        _ => None,
    }
}
