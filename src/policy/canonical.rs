//! Canonical forms of policy documents and statements, for comparing by meaning.
//!
//! [`canonical`] is the stable form the provider shows (`statement_json`): keys sorted, one
//! element lists as scalars, value lists sorted and de-duplicated (IAM reads them as sets),
//! bare account ids as root ARNs (AWS rewrites them so). The comparisons
//! ([`semantically_equal`], [`statements_equal`], [`equivalent_in_order`]) also fold what IAM
//! reads alike and AWS may rewrite: `"Principal": "*"` and `{"AWS": "*"}`, an empty `Sid` and
//! none, a missing `Version` and `2008-10-17` (IAM's default), the case of action names,
//! condition operators and condition keys, and quoted vs unquoted numbers and booleans.

use serde_json::{json, Map, Value as Json};

use super::principal::normalize_principal;

/// IAM's policy language version when a document has no `Version`.
const DEFAULT_VERSION: &str = "2008-10-17";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The shown form: only the rewrites above that keep the text readable.
    Show,
    /// The comparison form: also folds everything IAM reads alike.
    Compare,
}

/// The canonical form of a policy or a statement (see the module docs).
pub fn canonical(v: &Json) -> Json {
    canon(v, None, Mode::Show, true)
}

/// Canonical text of a policy document for comparison: statements in a fixed order.
pub fn canonical_text(text: &str) -> Result<String, String> {
    comparable_text(text, true)
}

/// Whether two policy texts mean the same (formatting, key order, list order and the forms AWS
/// rewrites aside). Texts that are not JSON are equal only when identical.
pub fn semantically_equal(a: &str, b: &str) -> bool {
    match (canonical_text(a), canonical_text(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// Like [`semantically_equal`], but a reordering of statements counts as a change (IAM would
/// not mind; ECR Public's resource keeps such a change visible). Texts that are not JSON are
/// never equivalent.
pub fn equivalent_in_order(a: &str, b: &str) -> bool {
    match (comparable_text(a, false), comparable_text(b, false)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

pub fn statements_equal(a: &Json, b: &Json) -> bool {
    canon(a, None, Mode::Compare, true) == canon(b, None, Mode::Compare, true)
}

fn comparable_text(text: &str, sort_statements: bool) -> Result<String, String> {
    let v: Json = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let mut c = canon(&v, None, Mode::Compare, sort_statements);
    if let Some(obj) = c.as_object_mut() {
        if let Some(s) = obj.get_mut("Statement") {
            if s.is_object() {
                *s = Json::Array(vec![s.take()]);
            }
        }
        if !obj.contains_key("Version") {
            obj.insert("Version".into(), json!(DEFAULT_VERSION));
            // Keep keys sorted whatever the map implementation is.
            *obj = std::mem::take(obj)
                .into_iter()
                .collect::<std::collections::BTreeMap<_, _>>()
                .into_iter()
                .collect();
        }
    }
    serde_json::to_string(&c).map_err(|e| e.to_string())
}

fn canon(v: &Json, key: Option<&str>, mode: Mode, sort_statements: bool) -> Json {
    let fold = mode == Mode::Compare;
    match v {
        Json::Object(m) => {
            let mut entries: Vec<(String, Json)> = Vec::new();
            for (k, x) in m {
                if fold && k == "Sid" && x.as_str() == Some("") {
                    continue;
                }
                let x = match (fold, k.as_str(), x) {
                    (true, "Principal" | "NotPrincipal", Json::String(s)) if s == "*" => {
                        json!({ "AWS": "*" })
                    }
                    (true, "Condition", Json::Object(ops)) => fold_condition(ops),
                    _ => x.clone(),
                };
                entries.push((k.clone(), canon(&x, Some(k), mode, sort_statements)));
            }
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Json::Object(entries.into_iter().collect::<Map<_, _>>())
        }
        Json::Array(a) => {
            let mut items: Vec<Json> = a
                .iter()
                .map(|x| canon(x, key, mode, sort_statements))
                .collect();
            let is_statements = key == Some("Statement");
            if !is_statements || sort_statements {
                items.sort_by_key(|x| serde_json::to_string(x).unwrap_or_default());
                items.dedup();
            }
            if items.len() == 1 && !is_statements {
                items.remove(0)
            } else {
                Json::Array(items)
            }
        }
        Json::Number(n) if fold => canon(&json!(n.to_string()), key, mode, sort_statements),
        Json::Bool(b) if fold => json!(b.to_string()),
        Json::String(s) if key == Some("AWS") => json!(normalize_principal(s)),
        Json::String(s) if fold && matches!(key, Some("Action" | "NotAction")) => {
            json!(s.to_ascii_lowercase())
        }
        _ => v.clone(),
    }
}

/// Condition operators and keys are case-insensitive in IAM: fold them (merging operators
/// that differ only in case). Values keep their case.
fn fold_condition(ops: &Map<String, Json>) -> Json {
    let mut out: Map<String, Json> = Map::new();
    for (op, keys) in ops {
        let op = op.to_ascii_lowercase();
        match keys {
            Json::Object(k) => {
                let slot = out.entry(op).or_insert_with(|| Json::Object(Map::new()));
                if let Json::Object(slot) = slot {
                    for (key, v) in k {
                        slot.insert(key.to_ascii_lowercase(), v.clone());
                    }
                }
            }
            other => {
                out.insert(op, other.clone());
            }
        }
    }
    Json::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_order_and_account_form_are_not_differences() {
        let a = r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::222233334444:root"]},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}]}"#;
        let b = r#"{ "Statement": { "Action": ["ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"], "Effect": "Allow",
                     "Principal": {"AWS": ["arn:aws:iam::222233334444:root", "arn:aws:iam::111122223333:root"]}, "Sid": "A" },
                     "Version": "2012-10-17" }"#;
        assert!(semantically_equal(a, b));
        let c = b.replace("Allow", "Deny");
        assert!(!semantically_equal(a, &c));
        let one = json!({"Action": ["ecr:BatchGetImage"]});
        let scalar = json!({"Action": "ecr:BatchGetImage"});
        assert!(statements_equal(&one, &scalar));
    }

    #[test]
    fn what_aws_rewrites_or_iam_reads_alike_is_not_a_difference() {
        let base = r#"{"Version":"2008-10-17","Statement":[{"Sid":"","Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abcdefghij"}}}]}"#;
        let rewritten = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["ecr:batchgetimage"],"Condition":{"stringequals":{"aws:principalorgid":["o-abcdefghij"]}}}]}"#;
        assert!(semantically_equal(base, rewritten));
        assert!(equivalent_in_order(base, rewritten));
        let numbers = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":111122223333},"Action":"ecr:*","Condition":{"Bool":{"aws:SecureTransport":true}}}]}"#;
        let strings = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"ecr:*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"#;
        assert!(semantically_equal(numbers, strings));
    }

    #[test]
    fn real_changes_still_differ() {
        let base = r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abcdefghij"}}}]}"#;
        for changed in [
            base.replace("o-abcdefghij", "o-ABCDEFGHIJ"),
            base.replace("2012-10-17", "2008-10-17"),
            base.replace("\"A\"", "\"B\""),
            base.replace("StringEquals", "StringLike"),
            base.replace("BatchGetImage", "BatchGetImages"),
        ] {
            assert!(!semantically_equal(base, &changed), "{changed}");
        }
        // A Version of 2012-10-17 is not the default.
        let without = base.replace(r#""Version":"2012-10-17","#, "");
        assert!(!semantically_equal(base, &without));
    }

    #[test]
    fn statement_order_counts_only_in_order() {
        let two = r#"{"Statement":[{"Sid":"A","Effect":"Allow","Principal":"*","Action":"a:B"},{"Sid":"B","Effect":"Deny","Principal":"*","Action":"a:C"}]}"#;
        let swapped = r#"{"Statement":[{"Sid":"B","Effect":"Deny","Principal":"*","Action":"a:C"},{"Sid":"A","Effect":"Allow","Principal":"*","Action":"a:B"}]}"#;
        assert!(semantically_equal(two, swapped));
        assert!(!equivalent_in_order(two, swapped));
        assert!(!equivalent_in_order("not json", "not json"));
    }

    #[test]
    fn the_shown_form_is_unchanged_by_comparison_folds() {
        let s = json!({"Sid": "X", "Principal": {"AWS": ["111122223333"]}, "Action": ["ecr:BatchGetImage"]});
        assert_eq!(
            canonical(&s),
            json!({"Action": "ecr:BatchGetImage", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Sid": "X"})
        );
    }
}
