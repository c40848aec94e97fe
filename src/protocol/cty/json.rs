//! The JSON encoding of cty values (`DynamicValue.json`, `RawState.json`).
//!
//! Numbers must stay exact, which `serde_json::Value` cannot guarantee without its
//! `arbitrary_precision` feature, so text is read and written by a small hand-written
//! reader/writer that keeps each number's literal text. Both directions go through a
//! minimal syntax tree (`Json`) so that the typed logic exists once for text and for
//! `serde_json::Value`.

use std::collections::BTreeMap;

use super::value::{check_uniform, dedup_set, distinct};
use super::{CtyError, Number, PathStep, Type, Value, MAX_DEPTH};

/// Decodes JSON text as a value of type `ty`; object keys outside the type are errors.
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, CtyError> {
    Decoder {
        path: Vec::new(),
        lenient: false,
    }
    .value(parse(bytes)?, ty, 0)
}

/// Like [`decode`], but silently drops object attributes the type does not have: stored
/// state (`RawState.json`) may hold attributes that a newer schema removed.
pub fn decode_lenient(bytes: &[u8], ty: &Type) -> Result<Value, CtyError> {
    Decoder {
        path: Vec::new(),
        lenient: true,
    }
    .value(parse(bytes)?, ty, 0)
}

/// Decodes an already parsed document. Exact only as far as `serde_json::Value` is:
/// non-integers and integers beyond 64 bits were already rounded to `f64` by serde_json,
/// so prefer [`decode`] on the original text.
pub fn decode_value(json: &serde_json::Value, ty: &Type) -> Result<Value, CtyError> {
    Decoder {
        path: Vec::new(),
        lenient: false,
    }
    .value(Json::from_serde(json), ty, 0)
}

/// Encodes `v` as JSON text of type `ty`. Numbers are written exactly; unknown values
/// have no JSON form and are errors.
pub fn encode(v: &Value, ty: &Type) -> Result<Vec<u8>, CtyError> {
    let tree = Encoder {
        path: Vec::new(),
        serde_numbers: false,
    }
    .value(v, ty)?;
    let mut out = String::new();
    tree.write(&mut out);
    Ok(out.into_bytes())
}

/// Encodes `v` as a `serde_json::Value`. Numbers that `serde_json::Number` cannot hold
/// exactly (beyond 64-bit integers and shortest-form doubles) are errors; use [`encode`].
pub fn encode_value(v: &Value, ty: &Type) -> Result<serde_json::Value, CtyError> {
    Encoder {
        path: Vec::new(),
        serde_numbers: true,
    }
    .value(v, ty)?
    .into_serde()
}

/// A JSON document with numbers kept as their literal text.
enum Json {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Json>),
    /// Entries in document order, duplicates included (the decoder rejects them).
    Object(Vec<(String, Json)>),
}

impl Json {
    fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "boolean",
            Json::Number(_) => "number",
            Json::String(_) => "string",
            Json::Array(_) => "array",
            Json::Object(_) => "object",
        }
    }

    fn from_serde(v: &serde_json::Value) -> Json {
        match v {
            serde_json::Value::Null => Json::Null,
            serde_json::Value::Bool(b) => Json::Bool(*b),
            serde_json::Value::Number(n) => Json::Number(n.to_string()),
            serde_json::Value::String(s) => Json::String(s.clone()),
            serde_json::Value::Array(items) => {
                Json::Array(items.iter().map(Json::from_serde).collect())
            }
            serde_json::Value::Object(m) => Json::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), Json::from_serde(v)))
                    .collect(),
            ),
        }
    }

    /// Only called on trees built by [`Encoder`] with `serde_numbers`, which has already
    /// checked every number.
    fn into_serde(self) -> Result<serde_json::Value, CtyError> {
        Ok(match self {
            Json::Null => serde_json::Value::Null,
            Json::Bool(b) => serde_json::Value::Bool(b),
            Json::Number(text) => serde_number(&Number::parse(&text)?)
                .map(serde_json::Value::Number)
                .ok_or_else(|| {
                    CtyError::new(format!("number {text} has no exact serde_json form"))
                })?,
            Json::String(s) => serde_json::Value::String(s),
            Json::Array(items) => serde_json::Value::Array(
                items
                    .into_iter()
                    .map(Json::into_serde)
                    .collect::<Result<_, _>>()?,
            ),
            Json::Object(entries) => serde_json::Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| Ok((k, v.into_serde()?)))
                    .collect::<Result<_, CtyError>>()?,
            ),
        })
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(text) => out.push_str(text),
            Json::String(s) => write_string(s, out),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(entries) => {
                out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(k, out);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// The `serde_json::Number` with exactly this value, if there is one. serde_json prints
/// doubles in shortest form, so a double qualifies when its shortest form is `n`.
fn serde_number(n: &Number) -> Option<serde_json::Number> {
    if let Some(i) = n.to_i64() {
        Some(i.into())
    } else if let Some(u) = n.to_u64() {
        Some(u.into())
    } else {
        let f = n.to_f64();
        (Number::from_f64(f).as_ref() == Some(n))
            .then(|| serde_json::Number::from_f64(f))
            .flatten()
    }
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn parse(bytes: &[u8]) -> Result<Json, CtyError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| CtyError::new(format!("JSON is not valid UTF-8: {e}")))?;
    let mut p = Parser { text, pos: 0 };
    let json = p.value(0)?;
    p.ws();
    if p.pos != text.len() {
        return Err(p.err("unexpected data after the JSON value"));
    }
    Ok(json)
}

/// A recursive-descent reader for RFC 8259 JSON.
struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn err(&self, message: &str) -> CtyError {
        CtyError::new(format!("invalid JSON at byte {}: {message}", self.pos))
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        let found = self.peek() == Some(c);
        if found {
            self.pos += 1;
        }
        found
    }

    fn expect(&mut self, c: u8) -> Result<(), CtyError> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(self.err(&format!("expected '{}'", char::from(c))))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, CtyError> {
        if depth > MAX_DEPTH {
            return Err(self.err("value is nested too deeply"));
        }
        self.ws();
        match self.peek() {
            None => Err(self.err("unexpected end of input")),
            Some(b'n') => self.literal("null", Json::Null),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'"') => Ok(Json::String(self.string()?)),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'[') => self.array(depth),
            Some(b'{') => self.object(depth),
            Some(_) => Err(self.err("expected a JSON value")),
        }
    }

    fn array(&mut self, depth: usize) -> Result<Json, CtyError> {
        self.pos += 1;
        let mut items = Vec::new();
        while self.next_item(b']', items.is_empty())? {
            items.push(self.value(depth + 1)?);
        }
        Ok(Json::Array(items))
    }

    fn object(&mut self, depth: usize) -> Result<Json, CtyError> {
        self.pos += 1;
        let mut entries = Vec::new();
        while self.next_item(b'}', entries.is_empty())? {
            self.ws();
            let key = self.string()?;
            self.ws();
            self.expect(b':')?;
            entries.push((key, self.value(depth + 1)?));
        }
        Ok(Json::Object(entries))
    }

    /// Between items of an array or object: consumes `,` (true) or the closer (false).
    fn next_item(&mut self, close: u8, first: bool) -> Result<bool, CtyError> {
        self.ws();
        if self.eat(close) {
            return Ok(false);
        }
        if first || self.eat(b',') {
            Ok(true)
        } else {
            Err(self.err(&format!("expected ',' or '{}'", char::from(close))))
        }
    }

    fn literal(&mut self, word: &str, json: Json) -> Result<Json, CtyError> {
        if self.text[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(json)
        } else {
            Err(self.err("expected a JSON value"))
        }
    }

    fn number(&mut self) -> Result<Json, CtyError> {
        let start = self.pos;
        while matches!(
            self.peek(),
            Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
        ) {
            self.pos += 1;
        }
        let text = &self.text[start..self.pos];
        Number::parse(text).map_err(|e| self.err(&e.message))?;
        Ok(Json::Number(text.to_owned()))
    }

    fn string(&mut self) -> Result<String, CtyError> {
        self.expect(b'"')?;
        let mut out = String::new();
        // Runs without escapes are copied whole; they start and end at ASCII bytes, so
        // the slices fall on character boundaries.
        let mut run = self.pos;
        loop {
            match self.peek() {
                None => return Err(self.err("unterminated string")),
                Some(b'"') => {
                    out.push_str(&self.text[run..self.pos]);
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    out.push_str(&self.text[run..self.pos]);
                    self.pos += 1;
                    out.push(self.escape()?);
                    run = self.pos;
                }
                Some(0..=0x1f) => return Err(self.err("control character in string")),
                Some(_) => self.pos += 1,
            }
        }
    }

    fn escape(&mut self) -> Result<char, CtyError> {
        let c = self.peek().ok_or_else(|| self.err("unterminated string"))?;
        self.pos += 1;
        Ok(match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = self.hex4()?;
                let code = match hi {
                    0xd800..=0xdbff => {
                        if !self.text[self.pos..].starts_with("\\u") {
                            return Err(self.err("unpaired surrogate in string"));
                        }
                        self.pos += 2;
                        let lo = self.hex4()?;
                        if !(0xdc00..=0xdfff).contains(&lo) {
                            return Err(self.err("unpaired surrogate in string"));
                        }
                        0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00)
                    }
                    0xdc00..=0xdfff => return Err(self.err("unpaired surrogate in string")),
                    _ => hi,
                };
                char::from_u32(code).ok_or_else(|| self.err("invalid \\u escape"))?
            }
            _ => return Err(self.err("invalid escape in string")),
        })
    }

    fn hex4(&mut self) -> Result<u32, CtyError> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
        let code = digits
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .ok_or_else(|| self.err("invalid \\u escape"))?;
        self.pos += 4;
        Ok(code)
    }
}

/// Applies a [`Type`] to a parsed document.
struct Decoder {
    path: Vec<PathStep>,
    lenient: bool,
}

impl Decoder {
    fn err(&self, message: impl Into<String>) -> CtyError {
        CtyError::at(&self.path, message)
    }

    fn value(&mut self, json: Json, ty: &Type, depth: usize) -> Result<Value, CtyError> {
        if depth > MAX_DEPTH {
            return Err(self.err("value is nested too deeply"));
        }
        // Each kind is handled in its own function to keep this recursive frame small.
        match (ty, json) {
            (_, Json::Null) => Ok(Value::Null),
            (Type::String | Type::Number | Type::Bool, json) => self.primitive(ty, json),
            (Type::List(_) | Type::Set(_) | Type::Tuple(_), Json::Array(items)) => {
                self.sequence(ty, items, depth)
            }
            (Type::Map(_) | Type::Object(_), Json::Object(entries)) => {
                self.mapping(ty, entries, depth)
            }
            (Type::Dynamic, Json::Object(entries)) => self.dynamic(entries, depth),
            (ty, json) => Err(self.mismatch(ty, &json)),
        }
    }

    fn mismatch(&self, ty: &Type, json: &Json) -> CtyError {
        self.err(format!("{ty} required, got JSON {}", json.kind()))
    }

    /// Converts the way cty's JSON decoder does: numbers and bools may arrive as
    /// strings, and strings as numbers or bools.
    fn primitive(&self, ty: &Type, json: Json) -> Result<Value, CtyError> {
        Ok(match (ty, json) {
            (Type::String, Json::String(s) | Json::Number(s)) => Value::String(s),
            (Type::String, Json::Bool(b)) => Value::String(b.to_string()),
            (Type::Number, Json::Number(text) | Json::String(text)) => {
                Value::Number(Number::parse(&text).map_err(|e| self.err(e.message))?)
            }
            (Type::Bool, Json::Bool(b)) => Value::Bool(b),
            (Type::Bool, Json::String(s)) if s == "true" || s == "false" => {
                Value::Bool(s == "true")
            }
            (ty, json) => return Err(self.mismatch(ty, &json)),
        })
    }

    fn sequence(&mut self, ty: &Type, items: Vec<Json>, depth: usize) -> Result<Value, CtyError> {
        match ty {
            Type::Set(et) => {
                let mut elements = self.elements(items, |_| et, depth)?;
                check_uniform(et, elements.iter(), "set").map_err(|m| self.err(m))?;
                dedup_set(&mut elements);
                Ok(Value::Set(elements))
            }
            Type::Tuple(ets) if items.len() == ets.len() => {
                Ok(Value::Tuple(self.elements(items, |i| &ets[i], depth)?))
            }
            Type::Tuple(ets) => Err(self.err(format!(
                "a tuple of {} elements is required, got {}",
                ets.len(),
                items.len()
            ))),
            Type::List(et) => {
                let elements = self.elements(items, |_| et, depth)?;
                check_uniform(et, elements.iter(), "list").map_err(|m| self.err(m))?;
                Ok(Value::List(elements))
            }
            _ => Err(self.mismatch(ty, &Json::Array(items))),
        }
    }

    fn mapping(
        &mut self,
        ty: &Type,
        entries: Vec<(String, Json)>,
        depth: usize,
    ) -> Result<Value, CtyError> {
        let mut out = BTreeMap::new();
        for (k, j) in entries {
            let (step, ety) = match ty {
                Type::Map(et) => (PathStep::Key(k.clone()), Some(&**et)),
                Type::Object(attrs) => (PathStep::Attr(k.clone()), attrs.get(&k)),
                _ => return Err(self.mismatch(ty, &j)),
            };
            self.path.push(step);
            match ety {
                Some(ety) => {
                    let v = self.value(j, ety, depth + 1)?;
                    if out.insert(k, v).is_some() {
                        return Err(self.err("duplicate key"));
                    }
                }
                None if self.lenient => {}
                None => return Err(self.err("unsupported attribute")),
            }
            self.path.pop();
        }
        if let Type::Object(attrs) = ty {
            for name in attrs.keys() {
                out.entry(name.clone()).or_insert(Value::Null);
            }
            Ok(Value::Object(out))
        } else {
            if let Type::Map(et) = ty {
                check_uniform(et, out.values(), "map").map_err(|m| self.err(m))?;
            }
            Ok(Value::Map(out))
        }
    }

    fn dynamic(&mut self, entries: Vec<(String, Json)>, depth: usize) -> Result<Value, CtyError> {
        let (mut type_json, mut value) = (None, None);
        for (k, j) in entries {
            match k.as_str() {
                "type" => type_json = Some(j),
                "value" => value = Some(j),
                _ => return Err(self.err(format!("unexpected key {k:?} in a dynamic value"))),
            }
        }
        let (Some(type_json), Some(value)) = (type_json, value) else {
            return Err(self.err("a dynamic value needs both \"type\" and \"value\""));
        };
        let actual = Type::from_json(&type_header(type_json)).map_err(|e| self.err(e.message))?;
        self.value(value, &actual, depth + 1)
    }

    fn elements<'t>(
        &mut self,
        items: Vec<Json>,
        ty_of: impl Fn(usize) -> &'t Type,
        depth: usize,
    ) -> Result<Vec<Value>, CtyError> {
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            self.path.push(PathStep::Index(i as i64));
            out.push(self.value(item, ty_of(i), depth + 1)?);
            self.path.pop();
        }
        Ok(out)
    }
}

/// Converts a dynamic value's `type` member for [`Type::from_json`]. Type JSON never
/// contains numbers, so they become `null`, which is rejected there.
fn type_header(json: Json) -> serde_json::Value {
    match json {
        Json::Null | Json::Number(_) => serde_json::Value::Null,
        Json::Bool(b) => serde_json::Value::Bool(b),
        Json::String(s) => serde_json::Value::String(s),
        Json::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(type_header).collect())
        }
        Json::Object(entries) => serde_json::Value::Object(
            entries
                .into_iter()
                .map(|(k, v)| (k, type_header(v)))
                .collect(),
        ),
    }
}

/// Turns a value into a [`Json`] tree, checking it against the type.
struct Encoder {
    path: Vec<PathStep>,
    /// Reject numbers that `serde_json::Number` cannot represent exactly.
    serde_numbers: bool,
}

impl Encoder {
    fn err(&self, message: impl Into<String>) -> CtyError {
        CtyError::at(&self.path, message)
    }

    fn value(&mut self, v: &Value, ty: &Type) -> Result<Json, CtyError> {
        Ok(match (v, ty) {
            (Value::Null, _) => Json::Null,
            (Value::Unknown, _) => {
                return Err(self.err("unknown values cannot be represented in JSON"))
            }
            (_, Type::Dynamic) => {
                let actual = v.implied_type();
                let value = self.value(v, &actual)?;
                Json::Object(vec![
                    ("type".into(), Json::from_serde(&actual.to_json())),
                    ("value".into(), value),
                ])
            }
            (Value::String(s), Type::String) => Json::String(s.clone()),
            (Value::Number(n), Type::Number) => {
                if self.serde_numbers && serde_number(n).is_none() {
                    return Err(self.err(format!(
                        "number {n} cannot be held exactly by serde_json; encode to text instead"
                    )));
                }
                Json::Number(n.to_string())
            }
            (Value::Bool(b), Type::Bool) => Json::Bool(*b),
            (Value::List(items), Type::List(et)) => self.elements(items.iter(), |_| et)?,
            (Value::Set(items), Type::Set(et)) => {
                self.elements(distinct(items).into_iter(), |_| et)?
            }
            (Value::Tuple(items), Type::Tuple(ets)) => {
                if items.len() != ets.len() {
                    return Err(self.err(format!(
                        "a tuple of {} elements is required, got {}",
                        ets.len(),
                        items.len()
                    )));
                }
                self.elements(items.iter(), |i| &ets[i])?
            }
            (Value::Map(m), Type::Map(et)) => {
                let mut entries = Vec::with_capacity(m.len());
                for (k, v) in m {
                    self.path.push(PathStep::Key(k.clone()));
                    entries.push((k.clone(), self.value(v, et)?));
                    self.path.pop();
                }
                Json::Object(entries)
            }
            (Value::Object(m), Type::Object(attrs)) => {
                if let Some(extra) = m.keys().find(|k| !attrs.contains_key(*k)) {
                    self.path.push(PathStep::Attr(extra.clone()));
                    return Err(self.err("unsupported attribute"));
                }
                let mut entries = Vec::with_capacity(attrs.len());
                for (k, aty) in attrs {
                    self.path.push(PathStep::Attr(k.clone()));
                    entries.push((
                        k.clone(),
                        self.value(m.get(k).unwrap_or(&Value::Null), aty)?,
                    ));
                    self.path.pop();
                }
                Json::Object(entries)
            }
            _ => return Err(self.err(format!("{ty} required, got {}", v.kind()))),
        })
    }

    fn elements<'v, 't>(
        &mut self,
        items: impl Iterator<Item = &'v Value>,
        ty_of: impl Fn(usize) -> &'t Type,
    ) -> Result<Json, CtyError> {
        let mut out = Vec::new();
        for (i, item) in items.enumerate() {
            self.path.push(PathStep::Index(i as i64));
            out.push(self.value(item, ty_of(i))?);
            self.path.pop();
        }
        Ok(Json::Array(out))
    }
}

#[cfg(test)]
mod tests {
    use super::super::value::strategies::{arb_typed_value, arb_value};
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn num(s: &str) -> Value {
        Value::Number(Number::parse(s).unwrap())
    }

    fn text(v: &Value, ty: &Type) -> String {
        String::from_utf8(encode(v, ty).unwrap()).unwrap()
    }

    #[test]
    fn numbers_stay_exact() {
        let ty = Type::object([
            ("big", Type::Number),
            ("f", Type::Number),
            ("i", Type::Number),
            ("neg", Type::Number),
        ]);
        let src = r#"{"big":123456789012345678901234567890,"f":0.1,"i":18446744073709551615,"neg":-1.5e-30}"#;
        let v = decode(src.as_bytes(), &ty).unwrap();
        assert_eq!(
            v.get_attr("big"),
            Some(&num("123456789012345678901234567890"))
        );
        assert_eq!(v.get_attr("f"), Some(&num("0.1")));
        assert_eq!(
            text(&v, &ty),
            r#"{"big":123456789012345678901234567890,"f":0.1,"i":18446744073709551615,"neg":-1.5e-30}"#
        );
        let huge = "1234567890123456789012345678901234567890.0987654321";
        assert_eq!(decode(huge.as_bytes(), &Type::Number), Ok(num(huge)));
    }

    #[test]
    fn objects_and_lenient_decoding() {
        let ty = Type::object([
            ("name", Type::String),
            ("rules", Type::list(Type::object([("n", Type::Number)]))),
        ]);
        let src = br#"{"name":"x","rules":[{"n":1,"gone":true}],"removed":{"deep":[1]}}"#;
        let strict = decode(src, &ty).unwrap_err();
        assert_eq!(
            strict.path,
            [
                PathStep::Attr("rules".into()),
                PathStep::Index(0),
                PathStep::Attr("gone".into())
            ]
        );
        assert_eq!(
            decode_lenient(src, &ty),
            Ok(Value::object([
                ("name", Value::string("x")),
                (
                    "rules",
                    Value::List(vec![Value::object([("n", Value::from(1))])])
                )
            ]))
        );
        // Missing attributes are null; encoding writes every attribute.
        let v = decode(br#"{"rules":null}"#, &ty).unwrap();
        assert_eq!(
            v,
            Value::object([("name", Value::Null), ("rules", Value::Null)])
        );
        assert_eq!(text(&v, &ty), r#"{"name":null,"rules":null}"#);
        assert!(decode(br#"{"name":"a","name":"b"}"#, &ty).is_err());
        let extra = Value::object([("nope", Value::Null)]);
        assert_eq!(
            encode(&extra, &ty).unwrap_err().path,
            [PathStep::Attr("nope".into())]
        );
    }

    #[test]
    fn unknown_cannot_be_encoded() {
        let ty = Type::object([("a", Type::list(Type::String))]);
        let v = Value::object([("a", Value::List(vec![Value::string("x"), Value::Unknown]))]);
        let err = encode(&v, &ty).unwrap_err();
        assert_eq!(err.path, [PathStep::Attr("a".into()), PathStep::Index(1)]);
        assert!(encode_value(&Value::Unknown, &Type::String).is_err());
    }

    #[test]
    fn dynamic_values() {
        assert_eq!(
            text(&Value::string("x"), &Type::Dynamic),
            r#"{"type":"string","value":"x"}"#
        );
        let v = Value::List(vec![Value::from(1), Value::Null]);
        assert_eq!(
            text(&v, &Type::Dynamic),
            r#"{"type":["list","number"],"value":[1,null]}"#
        );
        assert_eq!(
            decode(
                br#"{"value":[1,null],"type":["list","number"]}"#,
                &Type::Dynamic
            ),
            Ok(v)
        );
        assert_eq!(decode(b"null", &Type::Dynamic), Ok(Value::Null));
        assert!(decode(br#"{"type":"string"}"#, &Type::Dynamic).is_err());
        assert!(decode(
            br#"{"type":"string","value":"x","extra":1}"#,
            &Type::Dynamic
        )
        .is_err());
        assert!(decode(br#"{"type":["list",1],"value":[]}"#, &Type::Dynamic).is_err());
        assert!(decode(br#""x""#, &Type::Dynamic).is_err());
    }

    #[test]
    fn primitive_conversions_like_cty() {
        assert_eq!(decode(br#""12.50""#, &Type::Number), Ok(num("12.5")));
        assert_eq!(decode(b"12.50", &Type::String), Ok(Value::string("12.50")));
        assert_eq!(decode(b"true", &Type::String), Ok(Value::string("true")));
        assert_eq!(decode(br#""false""#, &Type::Bool), Ok(Value::Bool(false)));
        assert!(decode(br#""yes""#, &Type::Bool).is_err());
        assert!(decode(br#""12x""#, &Type::Number).is_err());
        assert!(decode(b"[]", &Type::String)
            .unwrap_err()
            .message
            .contains("string required"));
    }

    #[test]
    fn strings_and_escapes() {
        let s = "q\"b\\s/\u{8}\u{c}\n\r\t\u{1}é😀";
        let encoded = text(&Value::string(s), &Type::String);
        assert_eq!(encoded, "\"q\\\"b\\\\s/\\u0008\\u000c\\n\\r\\t\\u0001é😀\"");
        assert_eq!(
            decode(encoded.as_bytes(), &Type::String),
            Ok(Value::string(s))
        );
        assert_eq!(
            decode(br#""\u00e9\ud83d\ude00\/""#, &Type::String),
            Ok(Value::string("é😀/"))
        );
        for bad in [
            &br#""\ud83d""#[..],
            br#""\ude00""#,
            br#""\ud83d\u0041""#,
            br#""\x""#,
            br#""\u12""#,
            br#""\u+123""#,
            b"\"a\nb\"",
            b"\"abc",
            b"\"\\",
        ] {
            assert!(
                decode(bad, &Type::String).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        assert!(decode(b"\"\xff\"", &Type::String).is_err());
    }

    #[test]
    fn malformed_json() {
        let list = Type::list(Type::Number);
        for bad in [
            "", "[1,]", "[1 2]", "[1", "[1]]", "nul", "[01]", "[1.]", "[-]", "{}", "[1] x", "[+1]",
            "[NaN]",
        ] {
            assert!(decode(bad.as_bytes(), &list).is_err(), "{bad:?}");
        }
        assert_eq!(
            decode(b" \n[ 1 , 2 ]\t", &list),
            Ok(Value::List(vec![Value::from(1), Value::from(2)]))
        );
        assert!(decode(br#"{"a" 1}"#, &Type::map(Type::Number)).is_err());
        assert!(decode(br#"{"a":1,}"#, &Type::map(Type::Number)).is_err());
        assert!(decode(br#"{1:1}"#, &Type::map(Type::Number)).is_err());
        let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
        assert!(decode(deep.as_bytes(), &Type::Dynamic)
            .unwrap_err()
            .message
            .contains("nested too deeply"));
    }

    #[test]
    fn sets() {
        let ty = Type::set(Type::String);
        let v = decode(br#"["a","b","a",null,null]"#, &ty).unwrap();
        assert_eq!(
            v,
            Value::Set(vec![Value::Null, Value::string("b"), Value::string("a")])
        );
        assert_eq!(v.as_slice().map(<[Value]>::len), Some(3));
        assert_eq!(
            text(
                &Value::Set(vec![Value::string("a"), Value::string("a")]),
                &ty
            ),
            r#"["a"]"#
        );
        assert!(decode(br#"[1]"#, &Type::tuple([])).is_err());
    }

    #[test]
    fn serde_json_values() {
        let ty = Type::object([
            ("m", Type::map(Type::Number)),
            ("t", Type::tuple([Type::Bool, Type::String])),
        ]);
        let doc = json!({"m": {"a": 1, "b": 0.1, "c": u64::MAX}, "t": [true, "x"]});
        let v = decode_value(&doc, &ty).unwrap();
        assert_eq!(
            v.get_attr("m")
                .and_then(|m| m.as_map())
                .and_then(|m| m.get("b")),
            Some(&num("0.1"))
        );
        assert_eq!(encode_value(&v, &ty), Ok(doc));
        let big = Value::object([(
            "m",
            Value::Map([("a".into(), num("123456789012345678901234567890"))].into()),
        )]);
        let err = encode_value(&big, &ty).unwrap_err();
        assert_eq!(
            err.path,
            [PathStep::Attr("m".into()), PathStep::Key("a".into())]
        );
        assert_eq!(encode_value(&num("1e300"), &Type::Number), Ok(json!(1e300)));
        assert_eq!(
            encode_value(&Value::string("x"), &Type::Dynamic),
            Ok(json!({"type": "string", "value": "x"}))
        );
    }

    /// Found by fuzzing (see the msgpack twin): mixed element types in a collection of dynamic.
    #[test]
    fn collections_of_dynamic_must_be_uniform() {
        let mixed = br#"{"a":{"value":1,"type":"number"},"b":{"value":"x","type":"string"}}"#;
        let err = decode(mixed, &Type::map(Type::Dynamic)).unwrap_err();
        assert!(err.message.contains("same type"), "{err}");
        let list = br#"[{"value":1,"type":"number"},{"value":"x","type":"string"}]"#;
        assert!(decode(list, &Type::list(Type::Dynamic)).is_err());
        let same = br#"[{"value":1,"type":"number"},null,{"value":2,"type":"number"}]"#;
        let v = decode(same, &Type::list(Type::Dynamic)).unwrap();
        assert_eq!(
            decode(
                &encode(&v, &Type::list(Type::Dynamic)).unwrap(),
                &Type::list(Type::Dynamic)
            )
            .unwrap(),
            v
        );
    }

    proptest! {
        #[test]
        fn round_trips((ty, v) in arb_typed_value(false)) {
            let bytes = encode(&v, &ty).unwrap();
            prop_assert_eq!(decode(&bytes, &ty), Ok(v.clone()));
            prop_assert_eq!(decode_lenient(&bytes, &ty), Ok(v.clone()));
            // Our text is valid JSON for other parsers too (serde_json refuses numbers
            // beyond the f64 range, which is its limitation, not a syntax error).
            if let Err(e) = serde_json::from_slice::<serde_json::Value>(&bytes) {
                prop_assert!(e.to_string().contains("number out of range"), "{}", e);
            }
        }

        #[test]
        fn round_trips_through_dynamic(v in arb_value(&Type::Dynamic, false)) {
            let bytes = encode(&v, &Type::Dynamic).unwrap();
            prop_assert_eq!(decode(&bytes, &Type::Dynamic), Ok(v));
        }

        #[test]
        fn serde_value_round_trips_when_representable((ty, v) in arb_typed_value(false)) {
            if let Ok(json) = encode_value(&v, &ty) {
                prop_assert_eq!(decode_value(&json, &ty), Ok(v));
            }
        }

        #[test]
        fn arbitrary_text_never_panics(s in "[\\[\\]{}\",:0-9a-z\\\\ .eE+-]{0,40}", (ty, _v) in arb_typed_value(false)) {
            let _ = decode(s.as_bytes(), &ty);
            let _ = decode_lenient(s.as_bytes(), &ty);
        }
    }
}
