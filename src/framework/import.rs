//! Import by an id that is an attribute's value as it is (a repository name, a prefix, an
//! account id): the state import starts from holds the id in the listed attributes and nothing
//! else, and the resource's `read` fills in the rest. In the manner of terraform-plugin-framework's
//! `ImportStatePassthroughID`.

use serde::de::DeserializeOwned;

use crate::protocol::Diagnostics;

/// The model holding `id` in each of `attrs`; `None` with an error naming the expected form
/// (`usage`, e.g. `<repository-name>`) when `problem` says what is wrong with the id.
///
/// ```ignore
/// import::passthrough(self.type_name(), id, &["id", "name"], repository::check_name(id), "<repository-name>", diags)
/// ```
pub fn passthrough<M: DeserializeOwned>(
    type_name: &str,
    id: &str,
    attrs: &[&str],
    problem: Option<String>,
    usage: &str,
    diags: &mut Diagnostics,
) -> Option<M> {
    if let Some(why) = problem {
        diags.error(
            "Invalid import id",
            format!("The id {id:?} is not valid: {why}. Import with: terraform import {type_name}.NAME {usage}"),
        );
        return None;
    }
    let state: serde_json::Map<String, serde_json::Value> = attrs
        .iter()
        .map(|a| (a.to_string(), serde_json::Value::String(id.to_string())))
        .collect();
    match serde_json::from_value(serde_json::Value::Object(state)) {
        Ok(m) => Some(m),
        Err(e) => {
            diags.error(
                "Cannot build the imported state",
                format!("This is a bug in the provider: {e}"),
            );
            None
        }
    }
}

/// [`passthrough`] for a regional type: the id may end in `@<region>` (as hashicorp/aws v6
/// accepts), which goes into `region`; `check` judges the rest.
pub fn passthrough_in_region<M: DeserializeOwned>(
    type_name: &str,
    id: &str,
    attrs: &[&str],
    check: impl Fn(&str) -> Option<String>,
    is_region: fn(&str) -> bool,
    usage: &str,
    diags: &mut Diagnostics,
) -> Option<M> {
    let (name, region) = match id.rsplit_once('@') {
        Some((name, region)) => (name, Some(region)),
        None => (id, None),
    };
    let problem = match region {
        Some(r) if !is_region(r) => Some(format!("{r:?} after '@' is not an AWS region name")),
        _ => check(name),
    };
    let usage = format!("{usage} (or {usage}@<region>)");
    let mut attrs_with_region: Vec<(&str, &str)> = attrs.iter().map(|a| (*a, name)).collect();
    if let Some(r) = region {
        attrs_with_region.push(("region", r));
    }
    if let Some(why) = problem {
        diags.error(
            "Invalid import id",
            format!("The id {id:?} is not valid: {why}. Import with: terraform import {type_name}.NAME {usage}"),
        );
        return None;
    }
    from_pairs(&attrs_with_region, diags)
}

fn from_pairs<M: DeserializeOwned>(pairs: &[(&str, &str)], diags: &mut Diagnostics) -> Option<M> {
    let state: serde_json::Map<String, serde_json::Value> = pairs
        .iter()
        .map(|(a, v)| (a.to_string(), serde_json::Value::String(v.to_string())))
        .collect();
    match serde_json::from_value(serde_json::Value::Object(state)) {
        Ok(m) => Some(m),
        Err(e) => {
            diags.error(
                "Cannot build the imported state",
                format!("This is a bug in the provider: {e}"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::Val;

    #[derive(serde::Deserialize, Default, Debug, PartialEq)]
    #[serde(default)]
    struct M {
        id: Val<String>,
        name: Val<String>,
        other: Val<String>,
    }

    #[test]
    fn copies_the_id_into_the_attributes() {
        let mut d = Diagnostics::new();
        let m: M = passthrough("x_thing", "a/b", &["id", "name"], None, "<name>", &mut d).unwrap();
        assert_eq!(
            m,
            M {
                id: Val::of("a/b"),
                name: Val::of("a/b"),
                other: Val::Null
            }
        );
        assert!(d.is_empty());
    }

    #[derive(serde::Deserialize, Default, Debug, PartialEq)]
    #[serde(default)]
    struct R {
        id: Val<String>,
        name: Val<String>,
        region: Val<String>,
    }

    #[test]
    fn a_region_suffix_goes_into_region() {
        let is_region = |r: &str| r.starts_with("eu-");
        let check = |n: &str| (n.len() < 2).then(|| "too short".to_string());
        let mut d = Diagnostics::new();
        let r: R = passthrough_in_region(
            "x",
            "app@eu-west-1",
            &["id", "name"],
            check,
            is_region,
            "<name>",
            &mut d,
        )
        .unwrap();
        assert_eq!(
            (r.name.str(), r.id.str(), r.region.str()),
            (Some("app"), Some("app"), Some("eu-west-1"))
        );
        let r: R = passthrough_in_region(
            "x",
            "app",
            &["id", "name"],
            check,
            is_region,
            "<name>",
            &mut d,
        )
        .unwrap();
        assert_eq!(r.region, Val::Null);
        assert!(d.is_empty());
        let r: Option<R> =
            passthrough_in_region("x", "app@mars", &["id"], check, is_region, "<name>", &mut d);
        assert!(r.is_none());
        assert!(
            d.0[0]
                .detail
                .contains("\"mars\" after '@' is not an AWS region name"),
            "{}",
            d.0[0].detail
        );
        assert!(d.0[0].detail.ends_with("<name> (or <name>@<region>)"));
    }

    #[test]
    fn a_refused_id_names_the_expected_form() {
        let mut d = Diagnostics::new();
        let m: Option<M> = passthrough(
            "x_thing",
            "A",
            &["id"],
            Some("it is not a name".into()),
            "<name>",
            &mut d,
        );
        assert!(m.is_none());
        assert_eq!(d.0[0].summary, "Invalid import id");
        assert_eq!(
            d.0[0].detail,
            "The id \"A\" is not valid: it is not a name. Import with: terraform import x_thing.NAME <name>"
        );
    }
}
