//! Rule block fixtures for unit tests of the types that use them.

use serde_json::Number;

use super::{RuleBlock, SelectionBlock};
use crate::framework::Val;

pub fn n(i: i64) -> Val<Number> {
    Val::Known(Number::from(i))
}

pub fn strs(items: &[&str]) -> Val<Vec<Val<String>>> {
    Val::Known(items.iter().map(|s| Val::of(*s)).collect())
}

pub fn sel(tag_status: &str, count_type: &str, count_number: i64) -> SelectionBlock {
    SelectionBlock {
        tag_status: Val::of(tag_status),
        count_type: Val::of(count_type),
        count_unit: if count_type == "imageCountMoreThan" {
            Val::Null
        } else {
            Val::of("days")
        },
        count_number: n(count_number),
        ..Default::default()
    }
}

pub fn rule(priority: i64, s: SelectionBlock) -> RuleBlock {
    RuleBlock {
        priority: n(priority),
        selection: Val::Known(vec![s]),
        action: Val::Known(vec![]),
        ..Default::default()
    }
}

/// The seed's production policy.
pub fn seed() -> Vec<RuleBlock> {
    vec![
        rule(
            1,
            SelectionBlock {
                tag_prefix_list: strs(&["v"]),
                ..sel("tagged", "imageCountMoreThan", 10)
            },
        ),
        rule(2, sel("untagged", "sinceImagePushed", 7)),
        rule(
            3,
            SelectionBlock {
                tag_pattern_list: strs(&["sha-*"]),
                ..sel("tagged", "imageCountMoreThan", 5)
            },
        ),
    ]
}
