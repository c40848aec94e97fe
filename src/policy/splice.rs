//! Statement-level edits of a policy document *as text*: the statements this provider does not
//! own keep their exact bytes (formatting, key order, escapes), only the edited element changes.
//!
//! A tiny JSON scanner finds the byte ranges of the top-level `Statement` value and of each of
//! its elements; `serde_json` checks validity and reads each element.

use serde_json::Value as Json;

/// Where the statements are in a document's text.
#[derive(Debug, PartialEq)]
pub struct Layout {
    /// Byte range of the top-level object's `{ ... }`.
    pub object: (usize, usize),
    /// Byte range of the `Statement` value (array or single object), if the key exists.
    pub statement_value: Option<(usize, usize)>,
    /// Whether that value is an array (else one object).
    pub is_array: bool,
    /// Byte ranges of each statement element.
    pub elements: Vec<(usize, usize)>,
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Scanner<'a> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn expect(&mut self, c: u8) -> Result<(), String> {
        self.ws();
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(format!("expected '{}' at byte {}", c as char, self.i))
        }
    }
    /// Skips a string starting at `"`; returns its raw (still escaped) content range.
    fn string(&mut self) -> Result<(usize, usize), String> {
        self.expect(b'"')?;
        let start = self.i;
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    return Ok((start, self.i - 1));
                }
                _ => self.i += 1,
            }
        }
        Err("unterminated string".into())
    }
    /// Skips any value; returns its byte range.
    fn value(&mut self) -> Result<(usize, usize), String> {
        self.ws();
        let start = self.i;
        match self.peek() {
            Some(b'"') => {
                self.string()?;
            }
            Some(open @ (b'{' | b'[')) => {
                let close = if open == b'{' { b'}' } else { b']' };
                self.i += 1;
                self.ws();
                if self.peek() == Some(close) {
                    self.i += 1;
                    return Ok((start, self.i));
                }
                loop {
                    if open == b'{' {
                        self.ws();
                        self.string()?;
                        self.expect(b':')?;
                    }
                    self.value()?;
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        Some(c) if c == close => {
                            self.i += 1;
                            break;
                        }
                        _ => {
                            return Err(format!(
                                "expected ',' or '{}' at byte {}",
                                close as char, self.i
                            ))
                        }
                    }
                }
            }
            Some(_) => {
                while self.i < self.b.len()
                    && !matches!(
                        self.b[self.i],
                        b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'
                    )
                {
                    self.i += 1;
                }
                if self.i == start {
                    return Err(format!("expected a value at byte {start}"));
                }
            }
            None => return Err("unexpected end of document".into()),
        }
        Ok((start, self.i))
    }
}

/// Finds the statements of a policy document. The text must be valid JSON with an object at the
/// top (checked with serde_json first).
pub fn layout(text: &str) -> Result<Layout, String> {
    let parsed: Json = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    if !parsed.is_object() {
        return Err("the policy must be a JSON object".into());
    }
    let mut s = Scanner {
        b: text.as_bytes(),
        i: 0,
    };
    s.ws();
    let obj_start = s.i;
    s.expect(b'{')?;
    let mut statement_value = None;
    s.ws();
    if s.peek() == Some(b'}') {
        s.i += 1;
    } else {
        loop {
            s.ws();
            let (ks, ke) = s.string()?;
            s.expect(b':')?;
            let v = s.value()?;
            // Keys are compared after unescaping, as serde_json would.
            let key: String = serde_json::from_str(&text[ks - 1..ke + 1]).unwrap_or_default();
            if key == "Statement" {
                statement_value = Some(v);
            }
            s.ws();
            match s.peek() {
                Some(b',') => s.i += 1,
                Some(b'}') => {
                    s.i += 1;
                    break;
                }
                _ => return Err(format!("expected ',' or '}}' at byte {}", s.i)),
            }
        }
    }
    let object = (obj_start, s.i);
    let mut elements = Vec::new();
    let mut is_array = false;
    if let Some((vs, ve)) = statement_value {
        if text.as_bytes()[vs] == b'[' {
            is_array = true;
            let mut a = Scanner {
                b: &text.as_bytes()[..ve],
                i: vs + 1,
            };
            a.ws();
            if a.peek() != Some(b']') {
                loop {
                    let el = a.value()?;
                    elements.push(el);
                    a.ws();
                    match a.peek() {
                        Some(b',') => a.i += 1,
                        _ => break,
                    }
                }
            }
        } else {
            elements.push((vs, ve));
        }
    }
    Ok(Layout {
        object,
        statement_value,
        is_array,
        elements,
    })
}

/// The `Sid` of a statement element, if it is an object with a string Sid.
fn sid_of(text: &str, range: (usize, usize)) -> Option<String> {
    let v: Json = serde_json::from_str(&text[range.0..range.1]).ok()?;
    v.get("Sid")?.as_str().map(str::to_string)
}

/// The statements of `text` as JSON values, in document order.
pub fn statements(text: &str) -> Result<Vec<Json>, String> {
    let l = layout(text)?;
    l.elements
        .iter()
        .map(|r| serde_json::from_str(&text[r.0..r.1]).map_err(|e| e.to_string()))
        .collect()
}

/// The statement whose Sid is `sid`.
pub fn find(text: &str, sid: &str) -> Result<Option<Json>, String> {
    Ok(statements(text)?
        .into_iter()
        .find(|s| s.get("Sid").and_then(Json::as_str) == Some(sid)))
}

/// A new document holding only `statement`.
pub fn new_document(statement: &Json) -> String {
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {}\n  ]\n}}",
        compact(statement)
    )
}

fn compact(v: &Json) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// `text` with the statement identified by `sid` replaced by `statement` (or appended when no
/// statement has that Sid). Every other byte of `text` is kept. `None` text = no policy yet.
pub fn upsert(text: Option<&str>, sid: &str, statement: &Json) -> Result<String, String> {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Ok(new_document(statement));
    };
    let l = layout(text)?;
    let new = compact(statement);
    if let Some(r) = l
        .elements
        .iter()
        .find(|r| sid_of(text, **r).as_deref() == Some(sid))
    {
        return Ok(format!("{}{}{}", &text[..r.0], new, &text[r.1..]));
    }
    match l.statement_value {
        None => {
            // No Statement key: add one right after the opening brace.
            let at = l.object.0 + 1;
            let inner_empty = text[at..l.object.1 - 1].trim().is_empty();
            let sep = if inner_empty { "" } else { "," };
            Ok(format!(
                "{}\"Statement\":[{}]{}{}",
                &text[..at],
                new,
                sep,
                &text[at..]
            ))
        }
        Some((vs, ve)) if !l.is_array => Ok(format!(
            "{}[{},{}]{}",
            &text[..vs],
            &text[vs..ve],
            new,
            &text[ve..]
        )),
        Some((_, ve)) => {
            let close = ve - 1; // the ']'
            match l.elements.last() {
                Some(last) => {
                    // Indent like the last element when it sits on its own line.
                    let line_start = text[..last.0].rfind('\n').map(|i| i + 1).unwrap_or(last.0);
                    let indent = &text[line_start..last.0];
                    let sep =
                        if indent.chars().all(|c| c == ' ' || c == '\t') && line_start != last.0 {
                            format!(",\n{indent}")
                        } else {
                            ",".to_string()
                        };
                    Ok(format!(
                        "{}{}{}{}",
                        &text[..last.1],
                        sep,
                        new,
                        &text[last.1..]
                    ))
                }
                None => Ok(format!("{}{}{}", &text[..close], new, &text[close..])),
            }
        }
    }
}

/// `text` without the statement identified by `sid`; `Ok(None)` when no statement is left
/// (the caller deletes the policy). Unchanged text when no statement has that Sid.
pub fn remove(text: &str, sid: &str) -> Result<Option<String>, String> {
    let l = layout(text)?;
    let Some(idx) = l
        .elements
        .iter()
        .position(|r| sid_of(text, *r).as_deref() == Some(sid))
    else {
        return Ok(if l.elements.is_empty() {
            None
        } else {
            Some(text.to_string())
        });
    };
    if l.elements.len() == 1 {
        return Ok(None);
    }
    let r = l.elements[idx];
    if !l.is_array {
        return Ok(None);
    }
    // Remove the element with the separator before it (or after it, for the first one).
    let (cut_start, cut_end) = if idx > 0 {
        (l.elements[idx - 1].1, r.1)
    } else {
        (r.0, l.elements[1].0)
    };
    Ok(Some(format!("{}{}", &text[..cut_start], &text[cut_end..])))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const DOC: &str = r#"{
  "Version" : "2008-10-17",
  "Statement" : [ {
    "Sid" : "Other",
    "Effect" : "Allow",
    "Principal" : {"AWS": "arn:aws:iam::111122223333:root"},
    "Action" : [ "ecr:BatchGetImage" ]
  }, {
    "Sid" : "Mine", "Effect": "Allow", "Principal": "*", "Action": "ecr:*"
  } ]
}"#;

    #[test]
    fn layout_finds_each_statement() {
        let l = layout(DOC).unwrap();
        assert!(l.is_array);
        assert_eq!(l.elements.len(), 2);
        assert!(DOC[l.elements[0].0..l.elements[0].1].contains("\"Other\""));
        assert!(DOC[l.elements[1].0..l.elements[1].1].ends_with('}'));
    }

    #[test]
    fn replace_keeps_other_statements_byte_for_byte() {
        let other = &DOC[layout(DOC).unwrap().elements[0].0..layout(DOC).unwrap().elements[0].1];
        let out = upsert(Some(DOC), "Mine", &json!({"Sid": "Mine", "Effect": "Deny"})).unwrap();
        assert!(out.contains(other));
        assert!(
            out.contains(r#"{"Effect":"Deny","Sid":"Mine"}"#)
                || out.contains(r#"{"Sid":"Mine","Effect":"Deny"}"#)
        );
        assert_eq!(statements(&out).unwrap().len(), 2);
        assert!(out.starts_with("{\n  \"Version\" : \"2008-10-17\""));
    }

    #[test]
    fn append_and_remove_round_trip_to_the_original_text() {
        let added = upsert(Some(DOC), "New", &json!({"Sid": "New", "Effect": "Allow"})).unwrap();
        assert_eq!(statements(&added).unwrap().len(), 3);
        assert_eq!(remove(&added, "New").unwrap().as_deref(), Some(DOC));
        // Removing the first statement keeps the second intact.
        let out = remove(DOC, "Other").unwrap().unwrap();
        assert_eq!(statements(&out).unwrap().len(), 1);
        assert!(out
            .contains(r#""Sid" : "Mine", "Effect": "Allow", "Principal": "*", "Action": "ecr:*""#));
        // Removing the last one leaves nothing: the caller deletes the policy.
        assert_eq!(remove(&out, "Mine").unwrap(), None);
        // Unknown sid: unchanged.
        assert_eq!(remove(DOC, "Nope").unwrap().as_deref(), Some(DOC));
    }

    #[test]
    fn single_statement_object_and_missing_statement() {
        let single = r#"{"Version":"2012-10-17","Statement":{"Sid":"A","Effect":"Allow"}}"#;
        let out = upsert(Some(single), "B", &json!({"Sid": "B"})).unwrap();
        assert_eq!(
            out,
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow"},{"Sid":"B"}]}"#
        );
        assert_eq!(remove(single, "A").unwrap(), None);
        let none = r#"{"Version":"2012-10-17"}"#;
        let out = upsert(Some(none), "B", &json!({"Sid": "B"})).unwrap();
        assert_eq!(statements(&out).unwrap(), vec![json!({"Sid": "B"})]);
        let empty_array = r#"{"Statement": []}"#;
        assert_eq!(
            upsert(Some(empty_array), "B", &json!({"Sid": "B"})).unwrap(),
            r#"{"Statement": [{"Sid":"B"}]}"#
        );
        assert_eq!(remove(empty_array, "B").unwrap(), None);
        assert!(upsert(None, "B", &json!({"Sid": "B"}))
            .unwrap()
            .contains("2012-10-17"));
    }

    #[test]
    fn strings_with_brackets_and_escapes_do_not_confuse_the_scanner() {
        let doc = r#"{"Statement":[{"Sid":"X","Condition":{"StringLike":{"k":"a]\"},{[b"}}},{"Sid":"Y"}],"Version":"2012-10-17"}"#;
        let l = layout(doc).unwrap();
        assert_eq!(l.elements.len(), 2);
        let out = remove(doc, "Y").unwrap().unwrap();
        assert_eq!(
            out,
            r#"{"Statement":[{"Sid":"X","Condition":{"StringLike":{"k":"a]\"},{[b"}}}],"Version":"2012-10-17"}"#
        );
    }

    #[test]
    fn invalid_documents_are_errors() {
        assert!(layout("not json").is_err());
        assert!(layout("[1]").is_err());
        assert!(upsert(Some("{"), "A", &json!({})).is_err());
    }
}
