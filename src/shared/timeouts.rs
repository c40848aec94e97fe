//! `timeouts { delete = "…" }` (as in hashicorp/aws): how long a delete waits for AWS to report
//! the object gone.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::aws::config::parse_duration;
use crate::framework::{AttrPath, Attribute, Block, Diagnostics, NestedBlock, Val};

/// hashicorp/aws's default for repositories.
pub const DEFAULT_DELETE: Duration = Duration::from_secs(20 * 60);

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Timeouts {
    pub delete: Val<String>,
}

pub fn block() -> NestedBlock {
    NestedBlock::single(
        "timeouts",
        Block::new("How long operations wait for AWS.").attr(
            Attribute::string("delete").optional().description(
                "How long `terraform destroy` waits for AWS to report the deletion done, as a duration like `30s`, `5m` or `1h` (default `20m`). Past it the delete fails, saying the object is still being deleted.",
            ),
        ),
    )
}

/// Refuses an unparsable duration at `terraform validate`, on `timeouts.delete`.
pub fn validate(t: &Val<Timeouts>, diags: &mut Diagnostics) {
    let Some(s) = t.known().and_then(|t| t.delete.str()) else {
        return;
    };
    if let Err(e) = parse_duration(s) {
        diags.attr_error(
            AttrPath::attr("timeouts").then_attr("delete"),
            "Invalid timeouts.delete",
            format!("timeouts.delete {s:?} is not a duration ({e}): write it like \"30s\", \"5m\" or \"1h30m\"."),
        );
    }
}

/// A duration as the user would write it: `5s`, `20m`, `1h30m`.
pub fn show(d: Duration) -> String {
    let s = d.as_secs();
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if sec > 0 || out.is_empty() {
        out.push_str(&format!("{sec}s"));
    }
    out
}

/// The delete timeout the state records, else the default.
pub fn delete(t: &Val<Timeouts>) -> Duration {
    t.known()
        .and_then(|t| t.delete.str())
        .and_then(|s| parse_duration(s).ok())
        .unwrap_or(DEFAULT_DELETE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_default() {
        let t = |s: &str| Val::Known(Timeouts { delete: Val::of(s) });
        assert_eq!(delete(&t("90s")), Duration::from_secs(90));
        assert_eq!(delete(&t("1h30m")), Duration::from_secs(5400));
        assert_eq!(delete(&Val::Null), DEFAULT_DELETE);
        assert_eq!(show(Duration::from_secs(5400)), "1h30m");
        assert_eq!(show(Duration::from_secs(5)), "5s");
        let mut d = Diagnostics::new();
        validate(&t("5 minutes"), &mut d);
        assert_eq!(
            d.0[0].attribute,
            Some(AttrPath::attr("timeouts").then_attr("delete"))
        );
        let mut d = Diagnostics::new();
        validate(&t("5m"), &mut d);
        assert!(d.is_empty());
    }
}
