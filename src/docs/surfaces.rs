//! The pages of the newer Terraform surfaces: list resources (`terraform query`), provider
//! functions, and the import-by-identity section of resource pages. Ephemeral resources are
//! rendered like data sources by `render_page`.

use std::fmt::Write as _;
use std::io;

use super::{
    arguments, example_section, finish, front_matter, label, one_line, page_path, paragraph,
    type_label, Kind, Page,
};
use crate::framework::{Docs, Provider as _};
use crate::protocol::cty::Type;
use crate::protocol::{FunctionSignature, IdentitySchema};

/// A provider function's page input.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionPage {
    pub name: String,
    pub signature: FunctionSignature,
    pub docs: Docs,
    /// Contents of `examples/functions/<name>/main.tf`, when there is one.
    pub example: Option<String>,
}

type Example<'a> = &'a dyn Fn(Kind, &str) -> io::Result<Option<String>>;

/// Ephemeral resource, list resource and function pages of the provider. List resources take
/// the identity of the resource of their name from `resources`.
pub(super) fn collect(
    provider: &crate::provider::EcrProvider,
    resources: &[Page],
    example: Example<'_>,
) -> io::Result<(Vec<Page>, Vec<Page>, Vec<FunctionPage>)> {
    let mut ephemeral = Vec::new();
    for e in provider.ephemeral_resources() {
        ephemeral.push(Page {
            kind: Kind::EphemeralResource,
            name: e.type_name().to_string(),
            schema: e.schema().clone(),
            docs: e.docs(),
            example: example(Kind::EphemeralResource, e.type_name())?,
            identity: None,
        });
    }
    let mut lists = Vec::new();
    for l in provider.list_resources() {
        let name = l.type_name();
        lists.push(Page {
            kind: Kind::ListResource,
            name: name.to_string(),
            schema: l.schema().clone(),
            docs: l.docs(),
            example: example(Kind::ListResource, name)?,
            identity: resources
                .iter()
                .find(|r| r.name == name)
                .and_then(|r| r.identity.clone()),
        });
    }
    let mut functions = Vec::new();
    for f in provider.functions() {
        functions.push(FunctionPage {
            name: f.name().to_string(),
            signature: f.signature().clone(),
            docs: f.docs(),
            example: example(Kind::Function, f.name())?,
        });
    }
    Ok((ephemeral, lists, functions))
}

/// The index's list of functions.
pub(super) fn function_index(out: &mut String, functions: &[&FunctionPage]) {
    if functions.is_empty() {
        return;
    }
    out.push_str("## Functions\n\n");
    for f in functions {
        let _ = writeln!(
            out,
            "- [{0}]({1}): {2}",
            f.name,
            page_path(Kind::Function, &f.name),
            one_line(&f.signature.summary)
        );
    }
    out.push('\n');
}

pub(super) fn render_list(p: &Page) -> String {
    let mut out = String::new();
    let l = label(p.kind);
    front_matter(
        &mut out,
        &format!("{} {l} - {}", p.name, super::PROVIDER_NAME),
        p.docs.subcategory,
        &p.schema.block.description,
    );
    let _ = writeln!(out, "# {} ({l})\n", p.name);
    paragraph(&mut out, &p.schema.block.description);
    example_section(&mut out, p.example.as_deref());
    out.push_str("## Configuration Reference\n\n");
    out.push_str("Arguments of the `config` block of a `list` block:\n\n");
    arguments(&mut out, &p.schema.block, &[], "list resource");
    out.push_str("## Results\n\n");
    let _ = writeln!(
        out,
        "Each result is an [`{0}`](../resources/{0}.md), with a display name and its identity (what an `import {{ identity = … }}` block gives):\n",
        p.name
    );
    if let Some(identity) = &p.identity {
        identity_attributes(&mut out, identity);
    }
    out.push_str("With `include_resource = true` each result also carries the full state a refresh would read, and `terraform query -generate-config-out=FILE` writes a resource block and an import block for each; applying them imports the objects with no further change.\n\n");
    paragraph(&mut out, &p.docs.notes);
    finish(out)
}

pub(super) fn render_function(f: &FunctionPage) -> String {
    let mut out = String::new();
    let l = label(Kind::Function);
    front_matter(
        &mut out,
        &format!("{} {l} - {}", f.name, super::PROVIDER_NAME),
        f.docs.subcategory,
        &f.signature.summary,
    );
    let _ = writeln!(out, "# {} ({l})\n", f.name);
    paragraph(&mut out, &f.signature.description);
    example_section(&mut out, f.example.as_deref());
    out.push_str("## Signature\n\n");
    let params: Vec<String> = f
        .signature
        .parameters
        .iter()
        .map(|p| format!("{} {}", p.name, type_expr(&p.ty)))
        .collect();
    let _ = writeln!(
        out,
        "```text\nprovider::ecr::{}({}) {}\n```\n",
        f.name,
        params.join(", "),
        type_expr(&f.signature.return_type)
    );
    out.push_str("## Arguments\n\n");
    for (i, p) in f.signature.parameters.iter().enumerate() {
        let _ = writeln!(
            out,
            "{}. `{}` ({}) {}",
            i + 1,
            p.name,
            type_label(&p.ty),
            p.description.trim()
        );
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "## Return Type\n\n`{}`\n",
        type_expr(&f.signature.return_type)
    );
    paragraph(&mut out, &f.docs.notes);
    finish(out)
}

/// The Import section's part for Terraform ≥ 1.12: an `import` block with `identity`. The
/// example values come from the import id example: with several required attributes it is
/// split at `/` (e.g. `my-org/app/ProdPull` → repository `my-org/app`, sid `ProdPull`), with
/// none (one object per account and region) it is the account id.
pub(super) fn import_by_identity(
    out: &mut String,
    type_name: &str,
    identity: &IdentitySchema,
    example: &str,
) {
    out.push_str("### Import by identity\n\n");
    out.push_str("Terraform 1.12 and later can import with an identity instead of an id, in an `import` block (the same attribute names as hashicorp/aws where it has an identity for this object):\n\n");
    let required: Vec<&str> = identity
        .attributes
        .iter()
        .filter(|a| a.required_for_import)
        .map(|a| a.name.as_str())
        .collect();
    let values: Vec<(String, String)> = if required.is_empty() {
        vec![("account_id".into(), example.into())]
    } else {
        let mut parts: Vec<&str> = example.rsplitn(required.len(), '/').collect();
        parts.reverse();
        required
            .iter()
            .zip(parts)
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    };
    let width = values.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    let _ = writeln!(
        out,
        "```terraform\nimport {{\n  to = {type_name}.example\n  identity = {{"
    );
    for (n, v) in &values {
        let _ = writeln!(out, "    {n:width$} = {v:?}");
    }
    out.push_str("  }\n}\n```\n\n");
    out.push_str("Identity attributes:\n\n");
    identity_attributes(out, identity);
}

fn identity_attributes(out: &mut String, identity: &IdentitySchema) {
    for required in [true, false] {
        for a in identity
            .attributes
            .iter()
            .filter(|a| a.required_for_import == required)
        {
            let flag = if required { "Required" } else { "Optional" };
            let _ = writeln!(
                out,
                "- `{}` ({}, {flag}) {}",
                a.name,
                type_label(&a.ty),
                a.description.trim()
            );
        }
    }
    out.push('\n');
}

/// A type as written in Terraform type constraints: `string`, `object({ a = string })`.
fn type_expr(t: &Type) -> String {
    match t {
        Type::String => "string".into(),
        Type::Number => "number".into(),
        Type::Bool => "bool".into(),
        Type::Dynamic => "any".into(),
        Type::List(e) => format!("list({})", type_expr(e)),
        Type::Set(e) => format!("set({})", type_expr(e)),
        Type::Map(e) => format!("map({})", type_expr(e)),
        Type::Object(attrs) => {
            let inner: Vec<String> = attrs
                .iter()
                .map(|(k, v)| format!("{k} = {}", type_expr(v)))
                .collect();
            format!("object({{ {} }})", inner.join(", "))
        }
        Type::Tuple(ts) => {
            let inner: Vec<String> = ts.iter().map(type_expr).collect();
            format!("tuple([{}])", inner.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::FunctionParameter;

    #[test]
    fn identity_import_block_from_the_example_id() {
        let mut out = String::new();
        let s = IdentitySchema::new(0)
            .optional("account_id", "The account.")
            .required("repository", "The repository.")
            .required("sid", "The statement.");
        import_by_identity(&mut out, "ecr_grant", &s, "my-org/app/ProdPull");
        assert!(out.contains("to = ecr_grant.example"), "{out}");
        assert!(out.contains("    repository = \"my-org/app\"\n"), "{out}");
        assert!(out.contains("    sid        = \"ProdPull\"\n"), "{out}");
        // Required attributes are listed first.
        let r = out.find("- `repository` (String, Required)").unwrap();
        let a = out.find("- `account_id` (String, Optional)").unwrap();
        assert!(r < a, "{out}");
        let mut out = String::new();
        import_by_identity(
            &mut out,
            "ecr_singleton",
            &IdentitySchema::new(0).optional("account_id", "a"),
            "123456789012",
        );
        assert!(out.contains("account_id = \"123456789012\""), "{out}");
    }

    #[test]
    fn function_page_shows_signature_and_arguments() {
        let f = FunctionPage {
            name: "split".into(),
            signature: FunctionSignature {
                parameters: vec![FunctionParameter {
                    name: "uri".into(),
                    ty: Type::String,
                    description: "An image URI.".into(),
                }],
                return_type: Type::object([("tag", Type::String)]),
                summary: "Splits a URI.".into(),
                description: "Splits a URI into parts.".into(),
            },
            docs: Docs::default(),
            example: Some("output \"x\" {}\n".into()),
        };
        let page = render_function(&f);
        assert!(
            page.starts_with("---\npage_title: \"split Function - terraform-provider-ecr\""),
            "{page}"
        );
        assert!(
            page.contains("provider::ecr::split(uri string) object({ tag = string })"),
            "{page}"
        );
        assert!(page.contains("1. `uri` (String) An image URI."), "{page}");
        assert!(page.contains("## Example Usage"), "{page}");
    }
}
