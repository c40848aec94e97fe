//! Terraform Registry docs (`docs/index.md`, `docs/resources/*.md`, `docs/data-sources/*.md`,
//! `docs/ephemeral-resources/*.md`, `docs/list-resources/*.md`, `docs/functions/*.md`) rendered
//! from the schemas, so the descriptions Terraform shows and the published pages cannot drift
//! apart. `surfaces.rs` renders what is not a resource or data source page (list resources,
//! functions) and the import-by-identity section of resource pages. Attributes are documented only by their schema description; what is
//! not about one attribute comes from each type's `docs()` hook ([`Docs`]).
//!
//! [`render`] is pure (schemas and example text in, pages out); [`collect`] gathers the input
//! from the provider and the `examples/` folder. `terraform-provider-ecr docs` (`crate::cli::docs`)
//! writes or checks the pages.

mod surfaces;

use std::fmt::Write as _;
use std::io;
use std::path::Path;

pub use surfaces::FunctionPage;

use crate::framework::{Docs, Provider as _};
use crate::protocol::cty::Type;
use crate::protocol::schema::{
    Attribute, AttributeType, Block, BlockNesting, NestedBlock, ObjectNesting, Schema,
};
use crate::protocol::IdentitySchema;

/// Name of the provider in page titles and front matter.
const PROVIDER_NAME: &str = "terraform-provider-ecr";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Provider,
    Resource,
    DataSource,
    EphemeralResource,
    /// The schema is the list block's `config`; results are of the resource type of the name.
    ListResource,
    Function,
}

/// One page's input: a type's schema, its docs hook and its example configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    pub kind: Kind,
    /// Terraform type name (`ecr_repository`), or the provider's local name (`ecr`).
    pub name: String,
    pub schema: Schema,
    pub docs: Docs,
    /// Contents of the example's `main.tf` (a list resource's `query.tfquery.hcl`), when there
    /// is one.
    pub example: Option<String>,
    /// Resources (and list resources, whose results are resources): the identity an
    /// `import { identity = … }` block gives.
    pub identity: Option<IdentitySchema>,
}

/// Everything the docs are rendered from.
#[derive(Clone, Debug, PartialEq)]
pub struct Site {
    pub provider: Page,
    pub resources: Vec<Page>,
    pub data_sources: Vec<Page>,
    pub ephemeral_resources: Vec<Page>,
    pub list_resources: Vec<Page>,
    pub functions: Vec<FunctionPage>,
}

/// The example configuration of a page, relative to the examples folder.
pub fn example_path(kind: Kind, name: &str) -> String {
    match kind {
        Kind::Provider => "provider/main.tf".to_string(),
        Kind::Resource => format!("resources/{name}/main.tf"),
        Kind::DataSource => format!("data-sources/{name}/main.tf"),
        Kind::EphemeralResource => format!("ephemeral-resources/{name}/main.tf"),
        Kind::ListResource => format!("list-resources/{name}/query.tfquery.hcl"),
        Kind::Function => format!("functions/{name}/main.tf"),
    }
}

/// The page's path, relative to the docs folder.
pub fn page_path(kind: Kind, name: &str) -> String {
    match kind {
        Kind::Provider => "index.md".to_string(),
        Kind::Resource => format!("resources/{name}.md"),
        Kind::DataSource => format!("data-sources/{name}.md"),
        Kind::EphemeralResource => format!("ephemeral-resources/{name}.md"),
        Kind::ListResource => format!("list-resources/{name}.md"),
        Kind::Function => format!("functions/{name}.md"),
    }
}

/// Gathers the provider's schemas and docs hooks, with the examples under `examples_dir`
/// (a missing `main.tf` leaves that page without an example; other read errors are returned).
pub fn collect(examples_dir: &Path) -> io::Result<Site> {
    let provider = crate::provider::EcrProvider;
    let example = |kind: Kind, name: &str| -> io::Result<Option<String>> {
        let path = examples_dir.join(example_path(kind, name));
        match std::fs::read_to_string(&path) {
            Ok(s) => Ok(Some(s)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io::Error::new(
                e.kind(),
                format!("cannot read {}: {e}", path.display()),
            )),
        }
    };
    let mut resources = Vec::new();
    for r in provider.resources() {
        resources.push(Page {
            kind: Kind::Resource,
            name: r.type_name().to_string(),
            schema: r.schema().clone(),
            docs: r.docs(),
            example: example(Kind::Resource, r.type_name())?,
            identity: Some(r.identity_schema().clone()),
        });
    }
    let mut data_sources = Vec::new();
    for d in provider.data_sources() {
        data_sources.push(Page {
            kind: Kind::DataSource,
            name: d.type_name().to_string(),
            schema: d.schema().clone(),
            docs: d.docs(),
            example: example(Kind::DataSource, d.type_name())?,
            identity: None,
        });
    }
    let (ephemeral_resources, list_resources, functions) =
        surfaces::collect(&provider, &resources, &example)?;
    Ok(Site {
        provider: Page {
            kind: Kind::Provider,
            name: "ecr".to_string(),
            schema: provider.schema(),
            docs: provider.docs(),
            example: example(Kind::Provider, "")?,
            identity: None,
        },
        resources,
        data_sources,
        ephemeral_resources,
        list_resources,
        functions,
    })
}

/// Renders every page: `(path relative to the docs folder, contents)`, sorted by path.
pub fn render(site: &Site) -> Vec<(String, String)> {
    let mut resources: Vec<&Page> = site.resources.iter().collect();
    resources.sort_by(|a, b| a.name.cmp(&b.name));
    let mut data_sources: Vec<&Page> = site.data_sources.iter().collect();
    data_sources.sort_by(|a, b| a.name.cmp(&b.name));
    let mut ephemeral: Vec<&Page> = site.ephemeral_resources.iter().collect();
    ephemeral.sort_by(|a, b| a.name.cmp(&b.name));
    let mut lists: Vec<&Page> = site.list_resources.iter().collect();
    lists.sort_by(|a, b| a.name.cmp(&b.name));
    let mut functions: Vec<&FunctionPage> = site.functions.iter().collect();
    functions.sort_by(|a, b| a.name.cmp(&b.name));

    let mut out = vec![(
        page_path(Kind::Provider, &site.provider.name),
        render_index(
            &site.provider,
            &[
                ("Resources", &resources),
                ("Data Sources", &data_sources),
                ("Ephemeral Resources", &ephemeral),
                ("List Resources", &lists),
            ],
            &functions,
        ),
    )];
    for p in resources.iter().chain(&data_sources).chain(&ephemeral) {
        out.push((page_path(p.kind, &p.name), render_page(p)));
    }
    for p in &lists {
        out.push((page_path(p.kind, &p.name), surfaces::render_list(p)));
    }
    for f in &functions {
        out.push((
            page_path(Kind::Function, &f.name),
            surfaces::render_function(f),
        ));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The first paragraph of a description: the page summary.
fn summary(description: &str) -> &str {
    description.trim().split("\n\n").next().unwrap_or("").trim()
}

fn front_matter(out: &mut String, page_title: &str, subcategory: &str, description: &str) {
    out.push_str("---\n");
    let _ = writeln!(out, "page_title: {}", yaml_string(page_title));
    let _ = writeln!(out, "subcategory: {}", yaml_string(subcategory));
    out.push_str("description: |-\n");
    for line in summary(description).lines() {
        let _ = writeln!(out, "  {}", line.trim_end());
    }
    out.push_str("---\n\n");
}

fn yaml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn render_index(
    provider: &Page,
    sections: &[(&str, &[&Page])],
    functions: &[&FunctionPage],
) -> String {
    let mut out = String::new();
    let title = provider.name.to_uppercase();
    front_matter(
        &mut out,
        &format!("{} Provider", provider.name),
        provider.docs.subcategory,
        &provider.schema.block.description,
    );
    let _ = writeln!(out, "# {title} Provider\n");
    paragraph(&mut out, &provider.schema.block.description);
    example_section(&mut out, provider.example.as_deref());
    out.push_str("## Argument Reference\n\n");
    arguments(&mut out, &provider.schema.block, &[], "provider block");
    paragraph(&mut out, &provider.docs.notes);
    for (heading, pages) in sections {
        if pages.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {heading}\n");
        for p in pages.iter() {
            let summary = summary(&p.schema.block.description);
            let _ = write!(out, "- [{0}]({1})", p.name, page_path(p.kind, &p.name));
            if summary.is_empty() {
                out.push('\n');
            } else {
                let _ = writeln!(out, ": {}", one_line(summary));
            }
        }
        out.push('\n');
    }
    surfaces::function_index(&mut out, functions);
    finish(out)
}

fn render_page(p: &Page) -> String {
    let mut out = String::new();
    let label = label(p.kind);
    front_matter(
        &mut out,
        &format!("{} {label} - {PROVIDER_NAME}", p.name),
        p.docs.subcategory,
        &p.schema.block.description,
    );
    let _ = writeln!(out, "# {} ({label})\n", p.name);
    paragraph(&mut out, &p.schema.block.description);
    example_section(&mut out, p.example.as_deref());

    let what = match p.kind {
        Kind::Resource => "resource",
        Kind::EphemeralResource => "ephemeral resource",
        _ => "data source",
    };
    out.push_str("## Argument Reference\n\n");
    // Top-level attributes and blocks whose change replaces the resource (schema plan rules).
    let top = &p.schema.block;
    let replace: Vec<&str> = (top.attributes.iter())
        .filter(|a| a.plan.requires_replace)
        .map(|a| a.name.as_str())
        .chain(
            (top.blocks.iter())
                .filter(|b| b.requires_replace)
                .map(|b| b.type_name.as_str()),
        )
        .collect();
    arguments(&mut out, &p.schema.block, &replace, what);

    out.push_str("## Attribute Reference\n\n");
    let computed: Vec<&Attribute> = p
        .schema
        .block
        .attributes
        .iter()
        .filter(|a| is_read_only(a))
        .collect();
    if computed.is_empty() {
        let _ = writeln!(
            out,
            "This {what} exports no attributes beyond its arguments.\n"
        );
    } else {
        let has_arguments = !p.schema.block.blocks.is_empty()
            || p.schema.block.attributes.iter().any(|a| !is_read_only(a));
        out.push_str(if has_arguments {
            "In addition to the arguments above, these attributes are exported:\n\n"
        } else {
            "These attributes are exported:\n\n"
        });
        for a in computed {
            attribute(&mut out, a, 0, false);
        }
        out.push('\n');
    }
    paragraph(&mut out, &p.docs.notes);
    if p.kind == Kind::Resource {
        out.push_str("## Import\n\n");
        match &p.docs.import {
            Some(import) => {
                paragraph(&mut out, import.id);
                let _ = writeln!(
                    out,
                    "```shell\nterraform import {}.example {}\n```\n",
                    p.name, import.example
                );
                if let Some(identity) = &p.identity {
                    surfaces::import_by_identity(&mut out, &p.name, identity, import.example);
                }
            }
            None => out.push_str("This resource cannot be imported.\n\n"),
        }
    }
    finish(out)
}

/// The kind of page in its title: `# ecr_repository (Resource)`.
fn label(kind: Kind) -> &'static str {
    match kind {
        Kind::Resource => "Resource",
        Kind::DataSource => "Data Source",
        Kind::Provider => "Provider",
        Kind::EphemeralResource => "Ephemeral Resource",
        Kind::ListResource => "List Resource",
        Kind::Function => "Function",
    }
}

/// Ends the page with exactly one newline.
fn finish(mut out: String) -> String {
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

fn paragraph(out: &mut String, text: &str) {
    let text = text.trim();
    if !text.is_empty() {
        out.push_str(text);
        out.push_str("\n\n");
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn example_section(out: &mut String, example: Option<&str>) {
    let Some(example) = example else { return };
    let example = example.trim_matches('\n').trim_end();
    if example.is_empty() {
        return;
    }
    // A fence longer than any backtick run inside keeps the block intact.
    let longest = example.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let _ = writeln!(
        out,
        "## Example Usage\n\n{fence}terraform\n{example}\n{fence}\n"
    );
}

/// Computed and not settable: belongs under "Attribute Reference".
fn is_read_only(a: &Attribute) -> bool {
    a.computed && !a.optional && !a.required
}

fn block_is_required(b: &NestedBlock) -> bool {
    b.min_items > 0
}

/// The argument list of a block: required attributes and blocks, then optional ones.
fn arguments(out: &mut String, block: &Block, replace: &[&str], what: &str) {
    let args: Vec<&Attribute> = block
        .attributes
        .iter()
        .filter(|a| !is_read_only(a))
        .collect();
    if args.is_empty() && block.blocks.is_empty() {
        let _ = writeln!(out, "This {what} has no arguments.\n");
        return;
    }
    block_arguments(out, block, 0, replace);
    out.push('\n');
}

/// A block's arguments at `indent`, required ones first, each attribute before the nested
/// blocks of its group; those named in `replace` say that changing them replaces the resource.
fn block_arguments(out: &mut String, block: &Block, indent: usize, replace: &[&str]) {
    for required in [true, false] {
        for a in block
            .attributes
            .iter()
            .filter(|a| !is_read_only(a) && a.required == required)
        {
            attribute(out, a, indent, replace.contains(&a.name.as_str()));
        }
        for b in block
            .blocks
            .iter()
            .filter(|b| block_is_required(b) == required)
        {
            nested_block(out, b, indent, replace.contains(&b.type_name.as_str()));
        }
    }
}

fn type_label(t: &Type) -> String {
    match t {
        Type::String => "String".into(),
        Type::Number => "Number".into(),
        Type::Bool => "Boolean".into(),
        Type::Dynamic => "Dynamic".into(),
        Type::List(e) => format!("List of {}", type_label(e)),
        Type::Set(e) => format!("Set of {}", type_label(e)),
        Type::Map(e) => format!("Map of {}", type_label(e)),
        Type::Object(_) => "Object".into(),
        Type::Tuple(_) => "Tuple".into(),
    }
}

/// One list item with `indent` levels of nesting; continuation lines are indented to match.
fn item(out: &mut String, indent: usize, head: &str, description: &str, extra: &[&str]) {
    let pad = "  ".repeat(indent);
    let mut text = description.trim().to_string();
    for e in extra {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(e);
    }
    let _ = write!(out, "{pad}- {head}");
    for (i, line) in text.lines().enumerate() {
        if i == 0 {
            let _ = write!(out, " {line}");
        } else if line.trim().is_empty() {
            out.push('\n');
        } else {
            let _ = write!(out, "\n{pad}  {line}");
        }
    }
    out.push('\n');
}

fn attribute(out: &mut String, a: &Attribute, indent: usize, replaces: bool) {
    let mut flags = vec![match &a.ty {
        AttributeType::Type(t) => type_label(t),
        AttributeType::Nested(n) => match n.nesting {
            ObjectNesting::Single => "Attributes".to_string(),
            ObjectNesting::List => "Attributes List".to_string(),
            ObjectNesting::Set => "Attributes Set".to_string(),
            ObjectNesting::Map => "Attributes Map".to_string(),
        },
    }];
    if a.required {
        flags.push("Required".into());
    } else if a.optional {
        flags.push("Optional".into());
    } else if indent > 0 {
        // Inside a block, read-only attributes sit among the arguments.
        flags.push("Read-only".into());
    }
    if a.sensitive {
        flags.push("Sensitive".into());
    }
    if a.deprecated {
        flags.push("Deprecated".into());
    }
    let head = format!("`{}` ({})", a.name, flags.join(", "));
    let mut extra = Vec::new();
    if replaces {
        extra.push("Changing this replaces the resource.");
    }
    item(out, indent, &head, &a.description, &extra);
    // Object-typed attributes (`List of Object`) name their fields in the description: cty
    // object types carry no per-field descriptions to render.
    if let AttributeType::Nested(n) = &a.ty {
        for inner in &n.attributes {
            attribute(out, inner, indent + 1, false);
        }
    }
}

fn nested_block(out: &mut String, b: &NestedBlock, indent: usize, replaces: bool) {
    let mut flags = vec![match b.nesting {
        BlockNesting::Single | BlockNesting::Group => "Block".to_string(),
        BlockNesting::List => "Block List".to_string(),
        BlockNesting::Set => "Block Set".to_string(),
        BlockNesting::Map => "Block Map".to_string(),
    }];
    flags.push(if block_is_required(b) {
        "Required".into()
    } else {
        "Optional".into()
    });
    if b.min_items > 0 {
        flags.push(format!("Min: {}", b.min_items));
    }
    if b.max_items > 0 {
        flags.push(format!("Max: {}", b.max_items));
    }
    if b.block.deprecated {
        flags.push("Deprecated".into());
    }
    let head = format!("`{}` ({})", b.type_name, flags.join(", "));
    let mut extra = Vec::new();
    if replaces {
        extra.push("Changing this replaces the resource.");
    }
    item(out, indent, &head, &b.block.description, &extra);
    let inner = &b.block;
    block_arguments(out, inner, indent + 1, &[]);
    for a in inner.attributes.iter().filter(|a| is_read_only(a)) {
        attribute(out, a, indent + 1, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::ImportDocs;

    fn page(kind: Kind, name: &str, block: Block) -> Page {
        Page {
            kind,
            name: name.to_string(),
            schema: Schema::new(0, block),
            docs: Docs::default(),
            example: None,
            identity: None,
        }
    }

    fn site(resources: Vec<Page>, data_sources: Vec<Page>) -> Site {
        Site {
            provider: page(
                Kind::Provider,
                "ecr",
                Block::new("Manages things.\n\nMore detail.").attr(
                    Attribute::string("region")
                        .optional()
                        .description("The region."),
                ),
            ),
            resources,
            data_sources,
            ephemeral_resources: vec![],
            list_resources: vec![],
            functions: vec![],
        }
    }

    fn get<'a>(pages: &'a [(String, String)], path: &str) -> &'a str {
        &pages
            .iter()
            .find(|(p, _)| p == path)
            .unwrap_or_else(|| panic!("no page {path}"))
            .1
    }

    /// The text between `## {heading}` and the next `## ` heading.
    fn section<'a>(page: &'a str, heading: &str) -> &'a str {
        let start = page
            .find(&format!("\n## {heading}\n"))
            .unwrap_or_else(|| panic!("no section {heading} in\n{page}"));
        let rest = &page[start + heading.len() + 5..];
        match rest.find("\n## ") {
            Some(end) => &rest[..end],
            None => rest,
        }
    }

    fn widget() -> Page {
        page(
            Kind::Resource,
            "ecr_widget",
            Block::new("A widget.\n\nIt does things.")
                .attr(
                    Attribute::string("id")
                        .computed()
                        .description("The widget id."),
                )
                .attr(
                    Attribute::string("name")
                        .required()
                        .requires_replace()
                        .description("Widget name."),
                )
                .attr(
                    Attribute::string("secret")
                        .optional()
                        .sensitive()
                        .description("A secret."),
                )
                .attr(
                    Attribute::string("mode")
                        .optional()
                        .computed()
                        .description("Mode; AWS picks one when unset."),
                )
                .block(
                    NestedBlock::list(
                        "part",
                        Block::new("A part of the widget.")
                            .attr(Attribute::number("size").required().description("Size."))
                            .attr(Attribute::string("arn").computed().description("Part ARN."))
                            .block(
                                NestedBlock::list(
                                    "bolt",
                                    Block::new("Bolts.").attr(
                                        Attribute::bool("tight").optional().description("Tight."),
                                    ),
                                )
                                .min(1),
                            ),
                    )
                    .min(1)
                    .max(3),
                ),
        )
    }

    #[test]
    fn required_argument_and_computed_attribute_land_in_their_sections() {
        let pages = render(&site(vec![widget()], vec![]));
        let page = get(&pages, "resources/ecr_widget.md");
        let args = section(page, "Argument Reference");
        let attrs = section(page, "Attribute Reference");
        assert!(
            args.contains("- `name` (String, Required) Widget name."),
            "{args}"
        );
        // Optional + computed is an argument, not an exported-only attribute.
        assert!(args.contains("- `mode` (String, Optional) Mode;"), "{args}");
        assert!(!args.contains("`id`"), "{args}");
        assert!(attrs.contains("- `id` (String) The widget id."), "{attrs}");
        assert!(!attrs.contains("`name`"), "{attrs}");
        // Required before optional.
        assert!(args.find("`name`").unwrap() < args.find("`secret`").unwrap());
        assert!(args.find("`part`").unwrap() < args.find("`secret`").unwrap());
    }

    #[test]
    fn nested_blocks_list_their_attributes_and_item_limits() {
        let pages = render(&site(vec![widget()], vec![]));
        let args = section(get(&pages, "resources/ecr_widget.md"), "Argument Reference");
        assert!(
            args.contains(
                "- `part` (Block List, Required, Min: 1, Max: 3) A part of the widget.\n  - `size` (Number, Required) Size.\n"
            ),
            "{args}"
        );
        assert!(
            args.contains("  - `bolt` (Block List, Required, Min: 1) Bolts.\n    - `tight` (Boolean, Optional) Tight.\n"),
            "{args}"
        );
        assert!(
            args.contains("  - `arn` (String, Read-only) Part ARN."),
            "{args}"
        );
    }

    #[test]
    fn sensitive_and_replacing_attributes_are_marked() {
        let pages = render(&site(vec![widget()], vec![]));
        let args = section(get(&pages, "resources/ecr_widget.md"), "Argument Reference");
        assert!(
            args.contains("- `secret` (String, Optional, Sensitive) A secret.\n"),
            "{args}"
        );
        assert!(
            args.contains("Widget name. Changing this replaces the resource.\n"),
            "{args}"
        );
        assert!(!args.contains("A secret. Changing"), "{args}");
    }

    #[test]
    fn example_section_only_when_there_is_an_example() {
        let mut with = widget();
        with.example = Some("resource \"ecr_widget\" \"w\" {\n  name = \"a\"\n}\n".into());
        let mut ds = page(
            Kind::DataSource,
            "ecr_thing",
            Block::new("A thing.").attr(Attribute::string("x").computed().description("X.")),
        );
        ds.example = None;
        let pages = render(&site(vec![with], vec![ds]));
        let page = get(&pages, "resources/ecr_widget.md");
        assert!(
            section(page, "Example Usage")
                .contains("```terraform\nresource \"ecr_widget\" \"w\" {\n  name = \"a\"\n}\n```"),
            "{page}"
        );
        let ds_page = get(&pages, "data-sources/ecr_thing.md");
        assert!(!ds_page.contains("## Example Usage"), "{ds_page}");
        assert!(ds_page.contains("## Argument Reference\n\nThis data source has no arguments."));
        // No import section for data sources.
        assert!(!ds_page.contains("## Import"), "{ds_page}");
    }

    #[test]
    fn front_matter_notes_and_import() {
        let mut w = widget();
        w.docs = Docs {
            subcategory: "Widgets",
            notes: "## Behaviour\n\nWidgets spin.".into(),
            import: Some(ImportDocs {
                id: "Import with the widget name.",
                example: "my-widget",
            }),
        };
        let pages = render(&site(vec![w], vec![]));
        let page = get(&pages, "resources/ecr_widget.md");
        assert!(page.starts_with(
            "---\npage_title: \"ecr_widget Resource - terraform-provider-ecr\"\nsubcategory: \"Widgets\"\ndescription: |-\n  A widget.\n---\n\n# ecr_widget (Resource)\n\nA widget.\n\nIt does things.\n"
        ), "{page}");
        assert_eq!(section(page, "Behaviour").trim(), "Widgets spin.");
        // Notes come after the attribute reference and before the import section.
        assert!(page.find("## Attribute Reference").unwrap() < page.find("## Behaviour").unwrap());
        assert!(section(page, "Import").contains(
            "Import with the widget name.\n\n```shell\nterraform import ecr_widget.example my-widget\n```"
        ));
        assert!(page.ends_with("```\n") && !page.ends_with("\n\n"));
        // A resource without import docs says so.
        let pages = render(&site(vec![widget()], vec![]));
        assert!(section(get(&pages, "resources/ecr_widget.md"), "Import")
            .contains("cannot be imported"));
    }

    #[test]
    fn index_links_every_type_in_order() {
        let pages = render(&site(
            vec![
                widget(),
                page(Kind::Resource, "ecr_apple", Block::new("Apples.")),
            ],
            vec![page(
                Kind::DataSource,
                "ecr_thing",
                Block::new("A thing.\n\nDetail."),
            )],
        ));
        let paths: Vec<&str> = pages.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "data-sources/ecr_thing.md",
                "index.md",
                "resources/ecr_apple.md",
                "resources/ecr_widget.md"
            ]
        );
        let index = get(&pages, "index.md");
        assert!(
            index.starts_with("---\npage_title: \"ecr Provider\""),
            "{index}"
        );
        assert!(section(index, "Resources").contains(
            "- [ecr_apple](resources/ecr_apple.md): Apples.\n- [ecr_widget](resources/ecr_widget.md): A widget.\n"
        ), "{index}");
        assert!(section(index, "Data Sources")
            .contains("- [ecr_thing](data-sources/ecr_thing.md): A thing.\n"));
        assert!(section(index, "Argument Reference")
            .contains("- `region` (String, Optional) The region."));
    }
}
