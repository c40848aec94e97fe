//! Rewriting a configuration written for hashicorp/aws's ECR types into this provider's, for
//! `terraform-provider-ecr migrate` (pure: texts in, texts and notes out).
//!
//! The files are parsed with `hcl-edit`, and every change is a text edit at the span of the
//! syntax node it concerns (a block label, the root of a reference, an argument), so comments,
//! blank lines and alignment everywhere else stay byte for byte. What changes:
//! - `resource`/`data` blocks of a type with a twin here get the twin's type ([`tables`]);
//!   arguments the twin does not have are removed and reported; `aws_ecr_image`'s meanings
//!   that differ here are handled in `lookups`;
//! - every reference to a converted block (`aws_ecr_repository.app.arn`,
//!   `data.aws_ecr_lifecycle_policy_document.x.json`, `depends_on`, `import { to }`) follows it;
//!   existing `moved` and `removed` blocks are left alone (they name addresses in the state);
//! - a `moved` block follows each converted resource, so the first plan moves its state
//!   (`crate::moves`) instead of replacing it;
//! - each `provider "aws"` block that converted blocks used gets a `provider "ecr"` twin with
//!   the settings this provider has (region, credentials, assume role, default tags, endpoints);
//! - `required_providers` gets `ecr = { source = "ecr-rs/ecr" }`.
//!
//! Anything left as it was is reported with the reason.

pub mod diff;
mod edits;
mod lookups;
pub mod tables;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::structure::{Block, Body, Structure};
use hcl_edit::visit::{self, Visit};
use hcl_edit::Span;

use edits::Edits;
use tables::{Kind, Twin};

/// The source address written into `required_providers`.
pub const PROVIDER_SOURCE: &str = "ecr-rs/ecr";

/// What a type of this provider accepts, as far as rewriting needs to know.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shape {
    /// Attributes a configuration may set.
    pub arguments: BTreeSet<String>,
    /// Nested blocks, by name.
    pub blocks: BTreeMap<String, Shape>,
}

/// This provider's schemas, as shapes.
#[derive(Clone, Debug, Default)]
pub struct Ours {
    pub provider: Shape,
    pub resources: BTreeMap<String, Shape>,
    pub data_sources: BTreeMap<String, Shape>,
    pub ephemeral_resources: BTreeMap<String, Shape>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

/// Something left as it was, or changed in a way the user should know about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub file: String,
    pub line: usize,
    /// The block concerned, e.g. `data.aws_ecr_image.app`.
    pub address: String,
    pub message: String,
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.file, self.line, self.address, self.message
        )
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Migration {
    /// Every input file with its new text, in input order, plus a new file if one was needed.
    pub files: Vec<SourceFile>,
    pub notes: Vec<Note>,
    pub resources: usize,
    pub data_sources: usize,
    pub moved_blocks: usize,
    pub references: usize,
    pub provider_blocks: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub file: String,
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

/// A block converted to a type here.
#[derive(Clone, Debug)]
struct Conversion {
    twin: &'static Twin,
}

type Key = (Kind, String, String);

/// Rewrites `files` (the `.tf` files of one module).
pub fn migrate(files: &[SourceFile], ours: &Ours) -> Result<Migration, ParseError> {
    let bodies = files
        .iter()
        .map(|f| {
            hcl_edit::parser::parse_body(&f.text).map_err(|e| ParseError {
                file: f.name.clone(),
                message: e.to_string(),
            })
        })
        .collect::<Result<Vec<Body>, _>>()?;
    let mut out = Migration::default();

    // Which blocks convert: a twin exists and the new address is free.
    let mut existing: BTreeSet<Key> = BTreeSet::new();
    for body in &bodies {
        for b in body.blocks() {
            if let Some((kind, ty, name)) = address(b) {
                existing.insert((kind, ty.to_string(), name.to_string()));
            }
        }
    }
    let mut converted: BTreeMap<Key, Conversion> = BTreeMap::new();
    for (f, body) in files.iter().zip(&bodies) {
        for b in body.blocks() {
            let Some((kind, ty, name)) = address(b) else {
                continue;
            };
            let twins = match kind {
                Kind::Resource => tables::RESOURCES,
                Kind::DataSource => tables::DATA_SOURCES,
                Kind::Ephemeral => tables::EPHEMERALS,
            };
            match twins.iter().find(|t| t.aws == ty) {
                Some(twin)
                    if existing.contains(&(kind, twin.ours.to_string(), name.to_string())) =>
                {
                    out.notes.push(note(
                        f,
                        b,
                        &format!(
                            "not converted: {} {}.{name} already exists",
                            kind_word(kind),
                            twin.ours
                        ),
                    ));
                }
                Some(twin) => {
                    converted.insert(
                        (kind, ty.to_string(), name.to_string()),
                        Conversion { twin },
                    );
                }
                None => {
                    if let Some(reason) = tables::no_twin_reason(kind, ty) {
                        out.notes
                            .push(note(f, b, &format!("not converted: {reason}")));
                    }
                }
            }
        }
    }

    // Which provider configurations the converted blocks use ("" for the default one).
    let aliases: BTreeSet<String> = bodies
        .iter()
        .flat_map(|body| body.blocks())
        .filter(|b| {
            address(b)
                .is_some_and(|(k, t, n)| converted.contains_key(&(k, t.to_string(), n.to_string())))
        })
        .map(provider_alias)
        .collect();
    out.notes
        .extend(lookups::reference_notes(files, &bodies, |name| {
            converted.contains_key(&(
                Kind::DataSource,
                "aws_ecr_image".to_string(),
                name.to_string(),
            ))
        }));
    let required = if converted.is_empty() {
        None
    } else {
        required_provider_edit(files, &bodies)
    };

    for (i, (f, body)) in files.iter().zip(&bodies).enumerate() {
        let mut e = Edits::new(&f.text);
        // References anywhere, including in converted blocks.
        let mut refs = References {
            converted: &converted,
            edits: &mut e,
            count: 0,
        };
        refs.visit_body(body);
        out.references += refs.count;

        for b in body.blocks() {
            if b.has_ident("provider") && b.labels.first().map(|l| l.as_str()) == Some("aws") {
                let alias = b
                    .body
                    .get_attribute(tables::PROVIDER_ALIAS)
                    .and_then(|a| a.value.as_str())
                    .unwrap_or("")
                    .to_string();
                if aliases.contains(&alias) {
                    let text = provider_block(f, b, &ours.provider, &mut out.notes);
                    e.insert(span(b).end, format!("\n\n{text}"));
                    out.provider_blocks += 1;
                }
                continue;
            }
            let Some((kind, ty, name)) = address(b) else {
                continue;
            };
            let Some(c) = converted.get(&(kind, ty.to_string(), name.to_string())) else {
                continue;
            };
            let shape = match kind {
                Kind::Resource => ours.resources.get(c.twin.ours),
                Kind::DataSource => ours.data_sources.get(c.twin.ours),
                Kind::Ephemeral => ours.ephemeral_resources.get(c.twin.ours),
            };
            convert_block(f, b, c, shape, &mut e, &mut out.notes);
            if kind == Kind::Resource {
                out.resources += 1;
                e.insert(
                    span(b).end,
                    format!(
                        "\n\nmoved {{\n  from = {ty}.{name}\n  to   = {}.{name}\n}}",
                        c.twin.ours
                    ),
                );
                out.moved_blocks += 1;
            } else {
                lookups::convert(f, b, c.twin, &mut e, &mut out.notes);
                out.data_sources += 1;
            }
        }
        if let Some((file, at, text)) = &required {
            if *file == i {
                e.insert(*at, text.clone());
            }
        }
        out.files.push(SourceFile {
            name: f.name.clone(),
            text: e.apply(),
        });
    }
    Ok(out)
}

/// The provider configuration a block uses: its `provider = aws.<alias>`, "" for the default.
fn provider_alias(b: &Block) -> String {
    if let Some(p) = b.body.get_attribute("provider") {
        if let Expression::Traversal(t) = &p.value {
            if let (Expression::Variable(root), [op]) = (&t.expr, t.operators.as_slice()) {
                if let (true, TraversalOperator::GetAttr(a)) = (root.as_str() == "aws", op.value())
                {
                    return a.as_str().to_string();
                }
            }
        }
    }
    String::new()
}

fn kind_word(kind: Kind) -> &'static str {
    match kind {
        Kind::Resource => "resource",
        Kind::DataSource => "data source",
        Kind::Ephemeral => "ephemeral resource",
    }
}

fn span(node: &impl Span) -> Range<usize> {
    node.span().unwrap_or(0..0)
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn note(f: &SourceFile, b: &Block, message: &str) -> Note {
    let address = match address(b) {
        Some((Kind::Resource, t, n)) => format!("{t}.{n}"),
        Some((Kind::DataSource, t, n)) => format!("data.{t}.{n}"),
        Some((Kind::Ephemeral, t, n)) => format!("ephemeral.{t}.{n}"),
        None => {
            let labels: Vec<&str> = b.labels.iter().map(|l| l.as_str()).collect();
            format!("{} {}", b.ident.as_str(), labels.join(" "))
                .trim()
                .to_string()
        }
    };
    Note {
        file: f.name.clone(),
        line: line_of(&f.text, span(b).start),
        address,
        message: message.to_string(),
    }
}

/// `resource "T" "N"`, `data "T" "N"` or `ephemeral "T" "N"`.
fn address(b: &Block) -> Option<(Kind, &str, &str)> {
    let kind = match b.ident.as_str() {
        "resource" => Kind::Resource,
        "data" => Kind::DataSource,
        "ephemeral" => Kind::Ephemeral,
        _ => return None,
    };
    match b.labels.as_slice() {
        [t, n] => Some((kind, t.as_str(), n.as_str())),
        _ => None,
    }
}

/// Renames the block's type, drops what the twin lacks, and points `provider = aws.x` at
/// `ecr.x`.
fn convert_block(
    f: &SourceFile,
    b: &Block,
    c: &Conversion,
    shape: Option<&Shape>,
    e: &mut Edits<'_>,
    notes: &mut Vec<Note>,
) {
    let label = span(&b.labels[0]);
    let quoted = f.text[label.clone()].starts_with('"');
    e.replace(
        label,
        if quoted {
            format!("\"{}\"", c.twin.ours)
        } else {
            c.twin.ours.to_string()
        },
    );
    if let Some(p) = b.body.get_attribute("provider") {
        if let Expression::Traversal(t) = &p.value {
            if let Expression::Variable(root) = &t.expr {
                if root.as_str() == "aws" {
                    e.replace(span(root), "ecr".to_string());
                }
            }
        }
    }
    if let Some(shape) = shape {
        check_body(f, b, &b.body, shape, c, "", true, e, notes);
    }
    for t in iam_policy_documents(&b.body) {
        notes.push(note(
            f,
            b,
            &format!("{t} stays on hashicorp/aws (aws_iam_policy_document has no equivalent here); the JSON it renders works as it is, or write it with jsonencode()"),
        ));
    }
}

/// Removes arguments and blocks `shape` does not have (renamed ones are renamed).
#[allow(clippy::too_many_arguments)]
fn check_body(
    f: &SourceFile,
    top: &Block,
    body: &Body,
    shape: &Shape,
    c: &Conversion,
    path: &str,
    top_level: bool,
    e: &mut Edits<'_>,
    notes: &mut Vec<Note>,
) {
    for s in body.iter() {
        match s {
            Structure::Attribute(a) => {
                let key = a.key.as_str();
                if top_level && tables::META_ARGUMENTS.contains(&key) {
                    continue;
                }
                let full = format!("{path}{key}");
                if let Some((_, new)) = c.twin.renamed.iter().find(|(old, _)| *old == full) {
                    e.replace(span(&a.key), (*new).to_string());
                    continue;
                }
                if !shape.arguments.contains(key) {
                    e.remove_line(span(a));
                    notes.push(note(
                        f,
                        top,
                        &format!(
                            "argument {full} removed: {} has no such argument",
                            c.twin.ours
                        ),
                    ));
                }
            }
            Structure::Block(inner) => {
                let name = inner.ident.as_str();
                if top_level && tables::META_BLOCKS.contains(&name) {
                    continue;
                }
                let (name, content) = if name == "dynamic" {
                    let Some(l) = inner.labels.first() else {
                        continue;
                    };
                    let content = inner.body.get_blocks("content").next();
                    (l.as_str(), content.map(|c| &c.body))
                } else {
                    (name, Some(&inner.body))
                };
                let full = format!("{path}{name}");
                match shape.blocks.get(name) {
                    Some(sub) => {
                        if let Some(content) = content {
                            check_body(
                                f,
                                top,
                                content,
                                sub,
                                c,
                                &format!("{full}."),
                                false,
                                e,
                                notes,
                            );
                        }
                    }
                    None => {
                        e.remove_line(span(inner));
                        notes.push(note(
                            f,
                            top,
                            &format!("block {full} removed: {} has no such block", c.twin.ours),
                        ));
                    }
                }
            }
        }
    }
}

/// `data.aws_iam_policy_document.<name>` references in a body.
fn iam_policy_documents(body: &Body) -> BTreeSet<String> {
    struct Find(BTreeSet<String>);
    impl Visit for Find {
        fn visit_traversal(&mut self, t: &hcl_edit::expr::Traversal) {
            if let (Expression::Variable(root), [first, second, ..]) =
                (&t.expr, t.operators.as_slice())
            {
                if let (TraversalOperator::GetAttr(ty), TraversalOperator::GetAttr(name)) =
                    (first.value(), second.value())
                {
                    if root.as_str() == "data" && ty.as_str() == "aws_iam_policy_document" {
                        self.0
                            .insert(format!("data.aws_iam_policy_document.{}", name.as_str()));
                    }
                }
            }
            visit::visit_traversal(self, t);
        }
    }
    let mut v = Find(BTreeSet::new());
    v.visit_body(body);
    v.0
}

/// Rewrites references to converted blocks.
struct References<'a, 'e> {
    converted: &'a BTreeMap<Key, Conversion>,
    edits: &'a mut Edits<'e>,
    count: usize,
}

impl Visit for References<'_, '_> {
    fn visit_block(&mut self, b: &Block) {
        // moved/removed blocks name addresses in the state: leave them.
        if b.has_ident("moved") || b.has_ident("removed") {
            return;
        }
        visit::visit_block(self, b);
    }

    fn visit_traversal(&mut self, t: &hcl_edit::expr::Traversal) {
        if let Expression::Variable(root) = &t.expr {
            let ops = t.operators.as_slice();
            let attr = |i: usize| match ops.get(i).map(|o| o.value()) {
                Some(TraversalOperator::GetAttr(a)) => Some(a),
                _ => None,
            };
            let nested = match root.as_str() {
                "data" => Some(Kind::DataSource),
                "ephemeral" => Some(Kind::Ephemeral),
                _ => None,
            };
            if let Some(kind) = nested {
                if let (Some(ty), Some(name)) = (attr(0), attr(1)) {
                    let key = (kind, ty.as_str().to_string(), name.as_str().to_string());
                    if let Some(c) = self.converted.get(&key) {
                        self.edits.replace(span(ty), c.twin.ours.to_string());
                        self.count += 1;
                    }
                }
            } else if let Some(name) = attr(0) {
                let key = (
                    Kind::Resource,
                    root.as_str().to_string(),
                    name.as_str().to_string(),
                );
                if let Some(c) = self.converted.get(&key) {
                    self.edits.replace(span(root), c.twin.ours.to_string());
                    self.count += 1;
                }
            }
        }
        visit::visit_traversal(self, t);
    }
}

/// `provider "ecr"` with what `provider "aws"` `b` says that this provider understands, copied
/// as written; the rest is reported.
fn provider_block(f: &SourceFile, b: &Block, shape: &Shape, notes: &mut Vec<Note>) -> String {
    let mut lines = vec!["provider \"ecr\" {".to_string()];
    for s in b.body.iter() {
        match s {
            Structure::Attribute(a) => {
                let key = a.key.as_str();
                if key == tables::PROVIDER_ALIAS || shape.arguments.contains(key) {
                    lines.push(format!("  {}", &f.text[span(a)]));
                } else {
                    notes.push(note(
                        f,
                        b,
                        &format!("{key} not copied to provider \"ecr\": it has no such argument"),
                    ));
                }
            }
            Structure::Block(inner) => {
                let name = inner.ident.as_str();
                let Some(sub) = shape.blocks.get(name) else {
                    notes.push(note(
                        f,
                        b,
                        &format!(
                            "block {name} not copied to provider \"ecr\": it has no such block"
                        ),
                    ));
                    continue;
                };
                lines.push(format!("  {name} {{"));
                for inner_s in inner.body.iter() {
                    match inner_s {
                        Structure::Attribute(a) if sub.arguments.contains(a.key.as_str()) => {
                            lines.push(format!("    {}", &f.text[span(a)]));
                        }
                        Structure::Attribute(a) => notes.push(note(
                            f,
                            b,
                            &format!(
                                "{name}.{} not copied to provider \"ecr\": it has no such argument",
                                a.key.as_str()
                            ),
                        )),
                        Structure::Block(x) => notes.push(note(
                            f,
                            b,
                            &format!(
                                "{name}.{} not copied to provider \"ecr\": it has no such block",
                                x.ident.as_str()
                            ),
                        )),
                    }
                }
                lines.push("  }".to_string());
            }
        }
    }
    lines.push("}".to_string());
    lines.join("\n")
}

/// Where to add `ecr = { source = "ecr-rs/ecr" }`: (file index, offset, text). Into an
/// existing `required_providers` block, else a new one in the first `terraform` block, else a
/// new `terraform` block at the top of the first file; `None` when `ecr` is already required.
fn required_provider_edit(files: &[SourceFile], bodies: &[Body]) -> Option<(usize, usize, String)> {
    let entry = |indent: &str| {
        format!("{indent}ecr = {{\n{indent}  source = \"{PROVIDER_SOURCE}\"\n{indent}}}\n")
    };
    let before_closing_brace = |text: &str, b: &Block| {
        let close = span(b).end.saturating_sub(1);
        text[..close].rfind('\n').map_or(close, |n| n + 1)
    };
    for (i, (f, body)) in files.iter().zip(bodies).enumerate() {
        for t in body.get_blocks("terraform") {
            if let Some(rp) = t.body.get_blocks("required_providers").next() {
                if rp.body.has_attribute("ecr") {
                    return None;
                }
                let indent = rp
                    .body
                    .attributes()
                    .next()
                    .map(|a| indentation(&f.text, span(a).start))
                    .unwrap_or_else(|| format!("{}  ", indentation(&f.text, span(rp).start)));
                return Some((i, before_closing_brace(&f.text, rp), entry(&indent)));
            }
        }
    }
    let block = format!("required_providers {{\n{}  }}", entry("    "));
    for (i, (f, body)) in files.iter().zip(bodies).enumerate() {
        if let Some(t) = body.get_blocks("terraform").next() {
            return Some((i, before_closing_brace(&f.text, t), format!("  {block}\n")));
        }
    }
    (!files.is_empty()).then(|| (0, 0, format!("terraform {{\n  {block}\n}}\n\n")))
}

fn indentation(text: &str, offset: usize) -> String {
    let start = text[..offset].rfind('\n').map_or(0, |n| n + 1);
    text[start..offset]
        .chars()
        .take_while(|c| c.is_whitespace())
        .collect()
}

#[cfg(test)]
mod tests;
