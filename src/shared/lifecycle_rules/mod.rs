//! The `rule` blocks of `ecr_lifecycle_policy` and `ecr_lifecycle_policy_document`: the schema
//! block, its serde model, the JSON document built from it ([`document`]), its validation with
//! diagnostics on the offending block attribute ([`check`]), and the mapping of a finding's place
//! in the document back to the configuration ([`paths`]).
//!
//! Rules with values unknown at plan time are left out of the document; `BuiltRules::index` keeps
//! the configuration position of every rule that is in it, so findings still point at the right
//! block.

pub mod check;
pub mod document;
pub mod paths;
#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use serde_json::Number;

use crate::framework::{Attribute, Block, NestedBlock, Val};

pub use check::{check_policy_text, check_rules};
pub use document::{blocks_from_policy, rules_canonical};

// A block element that is wholly unknown reaches the model as the framework's unknown sentinel
// object (`{"$$terraform-unknown$$": true}`, see `framework::val`); with `#[serde(default)]` it
// would silently decode as a block of nulls. Each block type therefore captures the sentinel
// key in an `unknown` flag, and such a block is treated like any other unknown value.

/// A `rule` block.
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct RuleBlock {
    /// Set when the whole block is unknown (see above).
    #[serde(rename = "$$terraform-unknown$$", default, skip_serializing)]
    pub unknown: bool,
    pub priority: Val<Number>,
    pub description: Val<String>,
    pub selection: Val<Vec<SelectionBlock>>,
    pub action: Val<Vec<ActionBlock>>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct SelectionBlock {
    #[serde(rename = "$$terraform-unknown$$", default, skip_serializing)]
    pub unknown: bool,
    pub tag_status: Val<String>,
    pub tag_prefix_list: Val<Vec<Val<String>>>,
    pub tag_pattern_list: Val<Vec<Val<String>>>,
    pub storage_class: Val<String>,
    pub count_type: Val<String>,
    pub count_unit: Val<String>,
    pub count_number: Val<Number>,
}

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct ActionBlock {
    #[serde(rename = "$$terraform-unknown$$", default, skip_serializing)]
    pub unknown: bool,
    #[serde(rename = "type")]
    pub r#type: Val<String>,
    pub target_storage_class: Val<String>,
}

/// The `rule` block, as the resource and the policy document data source declare it.
pub fn rule_block(min_items: i64) -> NestedBlock {
    NestedBlock::list(
        "rule",
        Block::new("A lifecycle rule. Rules apply from the lowest `priority` up; an image is expired or transitioned by at most one rule. At most 50 rules.")
            .attr(Attribute::number("priority").required().description("`rulePriority`: order in which rules apply, lowest first. A whole number of at least 1, unique within the policy; values need not be sequential. A rule with `tag_status = \"any\"` must have the highest priority of its storage class."))
            .attr(Attribute::string("description").optional().description("Free-text description of the rule."))
            .block(
                NestedBlock::list(
                    "selection",
                    Block::new("Which images the rule applies to.")
                        .attr(Attribute::string("tag_status").required().description("`tagged` (needs exactly one of `tag_prefix_list` / `tag_pattern_list`), `untagged` (at most one such rule per storage class) or `any` (must be the last rule of its storage class)."))
                        .attr(Attribute::string_list("tag_prefix_list").optional().description("Tag prefixes, only with `tag_status = \"tagged\"`. An image is selected when **every** entry is a prefix of one of its tags (AND, not OR: use one rule per prefix to treat them separately)."))
                        .attr(Attribute::string_list("tag_pattern_list").optional().description("Tag patterns, only with `tag_status = \"tagged\"`; `*` matches any run of characters and a pattern must match a whole tag; at most 4 `*` per pattern. An image is selected when **every** entry matches one of its tags."))
                        .attr(Attribute::string("storage_class").optional().description("`standard` (default) or `archive`. `archive` is required with `count_type = \"sinceImageTransitioned\"` and not allowed with the other count types."))
                        .attr(Attribute::string("count_type").required().description("`imageCountMoreThan` (keep the `count_number` most recent images), `sinceImagePushed`, `sinceImagePulled` (transition only) or `sinceImageTransitioned` (expire archived images only)."))
                        .attr(Attribute::string("count_unit").optional().description("`days`: required with the `since*` count types, not allowed with `imageCountMoreThan`."))
                        .attr(Attribute::number("count_number").required().description("Images to keep (`imageCountMoreThan`) or age in days (`since*`, strictly older than). A whole number of at least 1; at least 90 with `sinceImageTransitioned`.")),
                )
                .min(1)
                .max(1),
            )
            .block(
                NestedBlock::list(
                    "action",
                    Block::new("What happens to the selected images. Without this block the rule expires them.")
                        .attr(Attribute::string("type").required().description("`expire` (delete) or `transition` (move to `target_storage_class`)."))
                        .attr(Attribute::string("target_storage_class").optional().description("`archive`: required with `transition`, not allowed with `expire`.")),
                )
                .max(1),
            ),
    )
    .min(min_items)
}
