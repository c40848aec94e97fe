//! `provider::ecr::image_uri(repository_url, tag_or_digest)`: an image URI from a repository
//! URL and a tag or digest.

use super::string_param;
use crate::framework::{Docs, Function, FunctionError, FunctionSignature};
use crate::image_uri;
use crate::protocol::cty::Type;

pub struct ImageUri;

impl Function for ImageUri {
    type Args = (String, String);
    type Output = String;

    fn name(&self) -> &'static str {
        "image_uri"
    }

    fn signature(&self) -> FunctionSignature {
        FunctionSignature {
            parameters: vec![
                string_param(
                    "repository_url",
                    "A repository URL without tag or digest, e.g. `ecr_repository.app.repository_url`.",
                ),
                string_param(
                    "tag_or_digest",
                    "A tag (`v1.2.3`) or a digest (`sha256:` and 64 lowercase hex digits).",
                ),
            ],
            return_type: Type::String,
            summary: "Builds an image URI from a repository URL and a tag or digest.".into(),
            description: "Returns `<repository_url>:<tag>`, or `<repository_url>@<digest>` when the second argument is a digest. The repository URL is checked like `parse_image_uri` checks a URI; a value starting with `sha256:` must be a complete digest, anything else a valid tag (1–128 characters of `A-Z a-z 0-9 _ . -`, not starting with `.` or `-`). Errors name the argument and the part at fault.".into(),
        }
    }

    fn docs(&self) -> Docs {
        Docs {
            notes: "## Notes\n\n- Pinning by digest (`image_uri(url, data.….image_digest)`) makes deployments immune to a tag\n  being moved; with `IMMUTABLE` tags both forms are stable.".into(),
            ..Default::default()
        }
    }

    fn call(&self, (url, tag_or_digest): (String, String)) -> Result<String, FunctionError> {
        image_uri::build(&url, &tag_or_digest)
            .map_err(|(arg, e)| FunctionError::at(arg, e.to_string()))
    }
}
