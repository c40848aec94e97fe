//! Repository policy documents (IAM JSON): plan-time validation and comparison by meaning.
//!
//! Two policies are equivalent when they grant the same thing as IAM reads them: key order and
//! whitespace never matter, a single `Statement` object equals a one-element list, a string
//! equals a one-element array in `Action`/`NotAction`/`Resource`/`NotResource`, principals and
//! condition values, those arrays are sets (order and duplicates ignored), and `"Principal": "*"`
//! equals `{"AWS": "*"}`. Statement order is kept (conservative: a reordering shows as a diff).

use serde_json::{Map, Value as Json};

/// `RepositoryPolicyText` max length (characters).
pub const POLICY_MAX: usize = 10_240;

const VERSIONS: &[&str] = &["2012-10-17", "2008-10-17"];
const SET_KEYS: &[&str] = &["Action", "NotAction", "Resource", "NotResource"];

/// A problem with a policy document, with the JSON path it concerns (`""` for the document).
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyError {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

fn err(path: impl Into<String>, message: impl Into<String>) -> PolicyError {
    PolicyError {
        path: path.into(),
        message: message.into(),
    }
}

/// Validates a repository policy document; every problem found, in document order.
pub fn validate(text: &str) -> Vec<PolicyError> {
    let mut out = Vec::new();
    let n = text.chars().count();
    if n > POLICY_MAX {
        out.push(err(
            "",
            format!("the policy is {n} characters; ECR Public allows at most {POLICY_MAX}"),
        ));
    }
    let doc: Json = match serde_json::from_str(text) {
        Ok(j) => j,
        Err(e) => {
            out.push(err(
                "",
                format!(
                    "not valid JSON: {e} (jsonencode() or data.aws_iam_policy_document avoid this)"
                ),
            ));
            return out;
        }
    };
    let Json::Object(doc) = doc else {
        out.push(err(
            "",
            "a policy document must be a JSON object with a Statement",
        ));
        return out;
    };
    match doc.get("Version") {
        None => {}
        Some(Json::String(v)) if VERSIONS.contains(&v.as_str()) => {}
        Some(other) => out.push(err(
            "Version",
            format!("must be \"2012-10-17\" (or the legacy \"2008-10-17\"); got {other}"),
        )),
    }
    let statements: Vec<(String, &Json)> = match doc.get("Statement") {
        None => {
            out.push(err("", "the policy has no Statement"));
            return out;
        }
        Some(Json::Array(a)) if a.is_empty() => {
            out.push(err("Statement", "must hold at least one statement"));
            return out;
        }
        Some(Json::Array(a)) => a
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("Statement[{i}]"), s))
            .collect(),
        Some(s @ Json::Object(_)) => vec![("Statement".to_string(), s)],
        Some(other) => {
            out.push(err(
                "Statement",
                format!("must be an object or a list of objects; got {other}"),
            ));
            return out;
        }
    };
    for (path, s) in statements {
        let Json::Object(s) = s else {
            out.push(err(path, "a statement must be a JSON object"));
            continue;
        };
        match s.get("Effect") {
            Some(Json::String(e)) if e == "Allow" || e == "Deny" => {}
            Some(other) => out.push(err(
                format!("{path}.Effect"),
                format!("must be \"Allow\" or \"Deny\"; got {other}"),
            )),
            None => out.push(err(
                format!("{path}.Effect"),
                "is required (\"Allow\" or \"Deny\")",
            )),
        }
        if !s.contains_key("Action") && !s.contains_key("NotAction") {
            out.push(err(path.clone(), "needs Action or NotAction"));
        }
        if !s.contains_key("Principal") && !s.contains_key("NotPrincipal") {
            out.push(err(path.clone(), "needs Principal or NotPrincipal (a repository policy says who may act on the repository)"));
        }
        for key in SET_KEYS {
            if let Some(v) = s.get(*key) {
                if !is_string_or_strings(v) {
                    out.push(err(
                        format!("{path}.{key}"),
                        format!("must be a string or a list of strings; got {v}"),
                    ));
                }
            }
        }
    }
    out
}

fn is_string_or_strings(v: &Json) -> bool {
    match v {
        Json::String(_) => true,
        Json::Array(a) => !a.is_empty() && a.iter().all(Json::is_string),
        _ => false,
    }
}

/// The canonical text of a policy (see the module docs), or `None` when it is not JSON.
pub fn canonical(text: &str) -> Option<String> {
    let doc: Json = serde_json::from_str(text).ok()?;
    Some(serde_json::to_string(&sorted(&canon_doc(doc))).unwrap_or_default())
}

/// True when both texts are JSON with the same meaning; false if either is not JSON.
pub fn equivalent(a: &str, b: &str) -> bool {
    match (canonical(a), canonical(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

fn canon_doc(doc: Json) -> Json {
    let Json::Object(mut m) = doc else { return doc };
    if let Some(st) = m.remove("Statement") {
        let list = match st {
            Json::Array(a) => a,
            other => vec![other],
        };
        m.insert(
            "Statement".into(),
            Json::Array(list.into_iter().map(canon_statement).collect()),
        );
    }
    Json::Object(m)
}

fn canon_statement(s: Json) -> Json {
    let Json::Object(m) = s else { return s };
    let mut out = Map::new();
    for (k, v) in m {
        let v = match k.as_str() {
            k if SET_KEYS.contains(&k) => string_set(v),
            "Principal" | "NotPrincipal" => principal(v),
            "Condition" => condition(v),
            _ => v,
        };
        out.insert(k, v);
    }
    Json::Object(out)
}

/// A string or array of scalars → a sorted, de-duplicated array.
fn string_set(v: Json) -> Json {
    let mut items = match v {
        Json::Array(a) => a,
        other => vec![other],
    };
    items.sort_by_key(|x| x.to_string());
    items.dedup();
    Json::Array(items)
}

fn principal(v: Json) -> Json {
    match v {
        Json::String(s) if s == "*" => {
            let mut m = Map::new();
            m.insert("AWS".into(), Json::Array(vec![Json::String(s)]));
            Json::Object(m)
        }
        Json::Object(m) => Json::Object(m.into_iter().map(|(k, v)| (k, string_set(v))).collect()),
        other => other,
    }
}

fn condition(v: Json) -> Json {
    match v {
        Json::Object(ops) => Json::Object(
            ops.into_iter()
                .map(|(op, keys)| {
                    let keys = match keys {
                        Json::Object(k) => {
                            Json::Object(k.into_iter().map(|(k, v)| (k, string_set(v))).collect())
                        }
                        other => other,
                    };
                    (op, keys)
                })
                .collect(),
        ),
        other => other,
    }
}

/// Object keys in sorted order whatever serde_json's map implementation is.
fn sorted(v: &Json) -> Json {
    match v {
        Json::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            Json::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), sorted(&m[k])))
                    .collect(),
            )
        }
        Json::Array(a) => Json::Array(a.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PULL: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Push","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root"]},"Action":["ecr-public:PutImage","ecr-public:BatchCheckLayerAvailability"]}]}"#;

    #[test]
    fn formatting_order_and_singletons_are_not_differences() {
        let same = r#"{
          "Statement": {
            "Action": ["ecr-public:BatchCheckLayerAvailability", "ecr-public:PutImage", "ecr-public:PutImage"],
            "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
            "Effect": "Allow",
            "Sid": "Push"
          },
          "Version": "2012-10-17"
        }"#;
        assert!(equivalent(PULL, same));
        assert!(equivalent(
            r#"{"Statement":[{"Principal":"*","Effect":"Allow","Action":"x:Y"}]}"#,
            r#"{"Statement":[{"Principal":{"AWS":["*"]},"Effect":"Allow","Action":["x:Y"]}]}"#
        ));
        assert!(equivalent(
            r#"{"Statement":[{"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}},"Effect":"Allow","Principal":"*","Action":"a:B"}]}"#,
            r#"{"Statement":[{"Condition":{"StringEquals":{"aws:PrincipalOrgID":["o-1"]}},"Effect":"Allow","Principal":"*","Action":"a:B"}]}"#,
        ));
    }

    #[test]
    fn real_changes_are_differences() {
        assert!(!equivalent(PULL, &PULL.replace("Allow", "Deny")));
        assert!(!equivalent(
            PULL,
            &PULL.replace("111122223333", "444455556666")
        ));
        assert!(!equivalent(
            PULL,
            &PULL.replace(r#","ecr-public:BatchCheckLayerAvailability""#, "")
        ));
        assert!(!equivalent(PULL, "not json"));
        // Statement order is significant to us (IAM would not mind, but we never hide a change).
        let two = r#"{"Statement":[{"Sid":"A","Effect":"Allow","Principal":"*","Action":"a:B"},{"Sid":"B","Effect":"Deny","Principal":"*","Action":"a:C"}]}"#;
        let swapped = r#"{"Statement":[{"Sid":"B","Effect":"Deny","Principal":"*","Action":"a:C"},{"Sid":"A","Effect":"Allow","Principal":"*","Action":"a:B"}]}"#;
        assert!(!equivalent(two, swapped));
    }

    #[test]
    fn canonical_text_is_stable() {
        let c = canonical(PULL).unwrap();
        assert_eq!(canonical(&c).unwrap(), c);
        assert!(c.starts_with(r#"{"Statement":[{"Action":["ecr-public:BatchCheckLayerAvailability","ecr-public:PutImage"]"#), "{c}");
    }

    #[test]
    fn validation_names_the_json_path() {
        assert!(validate(PULL).is_empty(), "{:?}", validate(PULL));
        let paths = |t: &str| validate(t).into_iter().map(|e| e.path).collect::<Vec<_>>();
        assert_eq!(
            paths(r#"{"Statement":[{"Effect":"Permit","Principal":"*","Action":"a:B"}]}"#),
            vec!["Statement[0].Effect"]
        );
        assert_eq!(
            paths(
                r#"{"Version":"2020-01-01","Statement":{"Effect":"Allow","Principal":"*","Action":"a:B"}}"#
            ),
            vec!["Version"]
        );
        assert_eq!(
            paths(
                r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"a:B"},{"Effect":"Allow","Action":"a:B"}]}"#
            ),
            vec!["Statement[1]"]
        );
        assert_eq!(
            paths(r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":5}]}"#),
            vec!["Statement[0].Action"]
        );
        assert_eq!(paths(r#"{"Statement":[]}"#), vec!["Statement"]);
        assert_eq!(paths(r#"{"Version":"2012-10-17"}"#), vec![""]);
        let e = validate("{not json");
        assert!(e[0].message.starts_with("not valid JSON"), "{e:?}");
        let long = format!(
            r#"{{"Statement":[{{"Effect":"Allow","Principal":"*","Action":"a:B","Sid":"{}"}}]}}"#,
            "x".repeat(POLICY_MAX)
        );
        assert!(validate(&long)[0].message.contains("at most 10240"));
    }
}
