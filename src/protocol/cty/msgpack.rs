//! The MessagePack encoding of cty values (`DynamicValue.msgpack`), following
//! Terraform's `object-wire-format.md` and cty's `msgpack` package.

use std::collections::BTreeMap;
use std::fmt::Display;

use rmp::encode as enc;
use rmp::Marker;

use super::value::{check_uniform, dedup_set, distinct};
use super::{CtyError, Number, PathStep, Type, Value, MAX_DEPTH};

/// cty's canonical unknown: fixext1, type 0, payload 0.
const UNKNOWN: [u8; 3] = [0xd4, 0x00, 0x00];

/// Decodes `bytes` as a value of type `ty`. Any extension value means "unknown", whatever
/// its type code or payload (refinements are accepted and dropped).
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, CtyError> {
    let mut d = Decoder {
        buf: bytes,
        pos: 0,
        path: Vec::new(),
    };
    let v = d.value(ty, 0)?;
    if d.pos != bytes.len() {
        return Err(CtyError::new("unexpected data after the MessagePack value"));
    }
    Ok(v)
}

/// Encodes `v` as a value of type `ty`, failing if it does not conform.
pub fn encode(v: &Value, ty: &Type) -> Result<Vec<u8>, CtyError> {
    let mut e = Encoder {
        out: Vec::new(),
        path: Vec::new(),
    };
    e.value(v, ty)?;
    Ok(e.out)
}

struct Decoder<'a> {
    buf: &'a [u8],
    pos: usize,
    path: Vec<PathStep>,
}

impl<'a> Decoder<'a> {
    fn err(&self, message: impl Into<String>) -> CtyError {
        CtyError::at(&self.path, message)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], CtyError> {
        let buf = self.buf;
        let chunk = self
            .pos
            .checked_add(n)
            .and_then(|end| buf.get(self.pos..end));
        let chunk = chunk.ok_or_else(|| self.err("unexpected end of MessagePack data"))?;
        self.pos += n;
        Ok(chunk)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], CtyError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn marker(&mut self) -> Result<Marker, CtyError> {
        Ok(Marker::from_u8(self.array::<1>()?[0]))
    }

    /// Reads the length that follows an 8/16/32-bit length marker.
    fn len(&mut self, width: u8) -> Result<usize, CtyError> {
        Ok(match width {
            8 => usize::from(self.array::<1>()?[0]),
            16 => usize::from(u16::from_be_bytes(self.array()?)),
            _ => u32::from_be_bytes(self.array()?) as usize,
        })
    }

    fn value(&mut self, ty: &Type, depth: usize) -> Result<Value, CtyError> {
        if depth > MAX_DEPTH {
            return Err(self.err("value is nested too deeply"));
        }
        let m = self.marker()?;
        let ext_len = match m {
            Marker::Null => return Ok(Value::Null),
            Marker::FixExt1 => Some(1),
            Marker::FixExt2 => Some(2),
            Marker::FixExt4 => Some(4),
            Marker::FixExt8 => Some(8),
            Marker::FixExt16 => Some(16),
            Marker::Ext8 => Some(self.len(8)?),
            Marker::Ext16 => Some(self.len(16)?),
            Marker::Ext32 => Some(self.len(32)?),
            _ => None,
        };
        if let Some(n) = ext_len {
            self.take(1 + n)?; // type code and payload
            return Ok(Value::Unknown);
        }
        // Each kind is handled in its own function to keep this recursive frame small.
        match ty {
            Type::String | Type::Number | Type::Bool => self.primitive(ty, m),
            Type::List(_) | Type::Set(_) | Type::Tuple(_) => self.sequence(ty, m, depth),
            Type::Map(_) | Type::Object(_) => self.mapping(ty, m, depth),
            Type::Dynamic => self.dynamic(m, depth),
        }
    }

    fn primitive(&mut self, ty: &Type, m: Marker) -> Result<Value, CtyError> {
        match (ty, m) {
            (Type::String, _) => Ok(Value::String(self.string(m)?)),
            (Type::Number, _) => Ok(Value::Number(self.number(m)?)),
            (_, Marker::True) => Ok(Value::Bool(true)),
            (_, Marker::False) => Ok(Value::Bool(false)),
            _ => Err(self.mismatch(ty, m)),
        }
    }

    fn sequence(&mut self, ty: &Type, m: Marker, depth: usize) -> Result<Value, CtyError> {
        let n = self.array_len(m, ty)?;
        match ty {
            Type::List(et) => {
                let elements = self.elements(n, |_| et, depth)?;
                check_uniform(et, elements.iter(), "list").map_err(|m| self.err(m))?;
                Ok(Value::List(elements))
            }
            Type::Set(et) => {
                let mut elements = self.elements(n, |_| et, depth)?;
                check_uniform(et, elements.iter(), "set").map_err(|m| self.err(m))?;
                dedup_set(&mut elements);
                Ok(Value::Set(elements))
            }
            Type::Tuple(ets) if n == ets.len() => {
                Ok(Value::Tuple(self.elements(n, |i| &ets[i], depth)?))
            }
            Type::Tuple(ets) => Err(self.err(format!(
                "a tuple of {} elements is required, got {n}",
                ets.len()
            ))),
            _ => Err(self.mismatch(ty, m)),
        }
    }

    fn mapping(&mut self, ty: &Type, m: Marker, depth: usize) -> Result<Value, CtyError> {
        let n = self.map_len(m, ty)?;
        let mut out = BTreeMap::new();
        for _ in 0..n {
            let key = self.key()?;
            let (step, ety) = match ty {
                Type::Map(et) => (PathStep::Key(key.clone()), Some(&**et)),
                Type::Object(attrs) => (PathStep::Attr(key.clone()), attrs.get(&key)),
                _ => return Err(self.mismatch(ty, m)),
            };
            self.path.push(step);
            let ety = ety.ok_or_else(|| self.err("unsupported attribute"))?;
            let v = self.value(ety, depth + 1)?;
            if out.insert(key, v).is_some() {
                return Err(self.err("duplicate key"));
            }
            self.path.pop();
        }
        if let Type::Object(attrs) = ty {
            // Terraform always sends every attribute; tolerate omissions as null.
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

    fn dynamic(&mut self, m: Marker, depth: usize) -> Result<Value, CtyError> {
        if self.array_len(m, &Type::Dynamic)? != 2 {
            return Err(self.err("a dynamic value must be a [type, value] pair"));
        }
        let tm = self.marker()?;
        let type_json = self
            .bytes(tm)
            .ok_or_else(|| self.err("dynamic value type must be a string"))??;
        let actual = Type::from_json_bytes(type_json).map_err(|e| self.err(e.message))?;
        self.value(&actual, depth + 1)
    }

    fn elements<'t>(
        &mut self,
        n: usize,
        ty_of: impl Fn(usize) -> &'t Type,
        depth: usize,
    ) -> Result<Vec<Value>, CtyError> {
        // Every element takes at least a byte: never trust a claimed length beyond that.
        let mut out = Vec::with_capacity(n.min(self.buf.len() - self.pos));
        for i in 0..n {
            self.path.push(PathStep::Index(i as i64));
            out.push(self.value(ty_of(i), depth + 1)?);
            self.path.pop();
        }
        Ok(out)
    }

    /// The payload of a str or bin, or `None` if `m` is neither.
    fn bytes(&mut self, m: Marker) -> Option<Result<&'a [u8], CtyError>> {
        let len = match m {
            Marker::FixStr(n) => Ok(usize::from(n)),
            Marker::Str8 | Marker::Bin8 => self.len(8),
            Marker::Str16 | Marker::Bin16 => self.len(16),
            Marker::Str32 | Marker::Bin32 => self.len(32),
            _ => return None,
        };
        Some(len.and_then(|n| self.take(n)))
    }

    fn string(&mut self, m: Marker) -> Result<String, CtyError> {
        let bytes = self
            .bytes(m)
            .ok_or_else(|| self.mismatch(&Type::String, m))??;
        String::from_utf8(bytes.to_vec()).map_err(|_| self.err("string is not valid UTF-8"))
    }

    fn key(&mut self) -> Result<String, CtyError> {
        let m = self.marker()?;
        let bytes = self
            .bytes(m)
            .ok_or_else(|| self.err(format!("map keys must be strings, got {}", kind(m))))??;
        String::from_utf8(bytes.to_vec()).map_err(|_| self.err("map key is not valid UTF-8"))
    }

    fn number(&mut self, m: Marker) -> Result<Number, CtyError> {
        Ok(match m {
            Marker::FixPos(n) => Number::from_u64(n.into()),
            Marker::FixNeg(n) => Number::from_i64(n.into()),
            Marker::U8 => Number::from_u64(self.array::<1>()?[0].into()),
            Marker::U16 => Number::from_u64(u16::from_be_bytes(self.array()?).into()),
            Marker::U32 => Number::from_u64(u32::from_be_bytes(self.array()?).into()),
            Marker::U64 => Number::from_u64(u64::from_be_bytes(self.array()?)),
            Marker::I8 => Number::from_i64(i8::from_be_bytes(self.array()?).into()),
            Marker::I16 => Number::from_i64(i16::from_be_bytes(self.array()?).into()),
            Marker::I32 => Number::from_i64(i32::from_be_bytes(self.array()?).into()),
            Marker::I64 => Number::from_i64(i64::from_be_bytes(self.array()?)),
            Marker::F32 => {
                let f = f32::from_be_bytes(self.array()?);
                self.float(f.into())?
            }
            Marker::F64 => {
                let f = f64::from_be_bytes(self.array()?);
                self.float(f)?
            }
            _ => {
                let text = self
                    .bytes(m)
                    .ok_or_else(|| self.mismatch(&Type::Number, m))??;
                let text = std::str::from_utf8(text)
                    .map_err(|_| self.err("number string is not valid UTF-8"))?;
                Number::parse(text).map_err(|e| self.err(e.message))?
            }
        })
    }

    fn float(&self, f: f64) -> Result<Number, CtyError> {
        if f.is_infinite() {
            return Err(self.err("infinite numbers are not supported"));
        }
        Number::from_f64_exact(f).ok_or_else(|| self.err("NaN is not a number"))
    }

    fn array_len(&mut self, m: Marker, ty: &Type) -> Result<usize, CtyError> {
        match m {
            Marker::FixArray(n) => Ok(usize::from(n)),
            Marker::Array16 => self.len(16),
            Marker::Array32 => self.len(32),
            _ => Err(self.mismatch(ty, m)),
        }
    }

    fn map_len(&mut self, m: Marker, ty: &Type) -> Result<usize, CtyError> {
        match m {
            Marker::FixMap(n) => Ok(usize::from(n)),
            Marker::Map16 => self.len(16),
            Marker::Map32 => self.len(32),
            _ => Err(self.mismatch(ty, m)),
        }
    }

    fn mismatch(&self, ty: &Type, m: Marker) -> CtyError {
        self.err(format!("{ty} required, got MessagePack {}", kind(m)))
    }
}

fn kind(m: Marker) -> &'static str {
    match m {
        Marker::FixPos(_) | Marker::FixNeg(_) => "integer",
        Marker::U8 | Marker::U16 | Marker::U32 | Marker::U64 => "integer",
        Marker::I8 | Marker::I16 | Marker::I32 | Marker::I64 => "integer",
        Marker::F32 | Marker::F64 => "float",
        Marker::FixStr(_) | Marker::Str8 | Marker::Str16 | Marker::Str32 => "string",
        Marker::Bin8 | Marker::Bin16 | Marker::Bin32 => "binary",
        Marker::FixArray(_) | Marker::Array16 | Marker::Array32 => "array",
        Marker::FixMap(_) | Marker::Map16 | Marker::Map32 => "map",
        Marker::True | Marker::False => "bool",
        Marker::Null => "nil",
        Marker::Reserved => "reserved byte 0xc1",
        _ => "extension",
    }
}

struct Encoder {
    out: Vec<u8>,
    path: Vec<PathStep>,
}

impl Encoder {
    fn err(&self, message: impl Into<String>) -> CtyError {
        CtyError::at(&self.path, message)
    }

    /// Writes into a `Vec` cannot fail, but rmp's signatures are generic over writers.
    fn check<T, E: Display>(&self, r: Result<T, E>) -> Result<(), CtyError> {
        r.map(drop)
            .map_err(|e| self.err(format!("MessagePack write failed: {e}")))
    }

    fn len32(&self, n: usize) -> Result<u32, CtyError> {
        u32::try_from(n).map_err(|_| self.err("value too large for MessagePack"))
    }

    fn value(&mut self, v: &Value, ty: &Type) -> Result<(), CtyError> {
        match (v, ty) {
            (Value::Null, _) => {
                self.out.push(0xc0);
                Ok(())
            }
            (Value::Unknown, _) => {
                self.out.extend_from_slice(&UNKNOWN);
                Ok(())
            }
            (_, Type::Dynamic) => {
                let actual = v.implied_type();
                self.out.push(0x92); // fixarray of 2
                let type_json = actual.to_json_bytes();
                self.len32(type_json.len())?;
                let r = enc::write_bin(&mut self.out, &type_json);
                self.check(r)?;
                self.value(v, &actual)
            }
            (Value::String(s), Type::String) => {
                self.len32(s.len())?;
                let r = enc::write_str(&mut self.out, s);
                self.check(r)
            }
            (Value::Number(n), Type::Number) => self.number(n),
            (Value::Bool(b), Type::Bool) => {
                self.out.push(if *b { 0xc3 } else { 0xc2 });
                Ok(())
            }
            (Value::List(items), Type::List(et)) => self.elements(items.iter(), |_| et),
            (Value::Set(items), Type::Set(et)) => {
                self.elements(distinct(items).into_iter(), |_| et)
            }
            (Value::Tuple(items), Type::Tuple(ets)) => {
                if items.len() != ets.len() {
                    return Err(self.err(format!(
                        "a tuple of {} elements is required, got {}",
                        ets.len(),
                        items.len()
                    )));
                }
                self.elements(items.iter(), |i| &ets[i])
            }
            (Value::Map(m), Type::Map(et)) => {
                let n = self.len32(m.len())?;
                let r = enc::write_map_len(&mut self.out, n);
                self.check(r)?;
                for (k, v) in m {
                    self.key(k)?;
                    self.path.push(PathStep::Key(k.clone()));
                    self.value(v, et)?;
                    self.path.pop();
                }
                Ok(())
            }
            (Value::Object(m), Type::Object(attrs)) => {
                if let Some(extra) = m.keys().find(|k| !attrs.contains_key(*k)) {
                    self.path.push(PathStep::Attr(extra.clone()));
                    return Err(self.err("unsupported attribute"));
                }
                let n = self.len32(attrs.len())?;
                let r = enc::write_map_len(&mut self.out, n);
                self.check(r)?;
                for (k, aty) in attrs {
                    self.key(k)?;
                    self.path.push(PathStep::Attr(k.clone()));
                    self.value(m.get(k).unwrap_or(&Value::Null), aty)?;
                    self.path.pop();
                }
                Ok(())
            }
            _ => Err(self.err(format!("{ty} required, got {}", v.kind()))),
        }
    }

    fn elements<'v, 't>(
        &mut self,
        items: impl ExactSizeIterator<Item = &'v Value>,
        ty_of: impl Fn(usize) -> &'t Type,
    ) -> Result<(), CtyError> {
        let n = self.len32(items.len())?;
        let r = enc::write_array_len(&mut self.out, n);
        self.check(r)?;
        for (i, item) in items.enumerate() {
            self.path.push(PathStep::Index(i as i64));
            self.value(item, ty_of(i))?;
            self.path.pop();
        }
        Ok(())
    }

    fn key(&mut self, k: &str) -> Result<(), CtyError> {
        self.len32(k.len())?;
        let r = enc::write_str(&mut self.out, k);
        self.check(r)
    }

    /// As cty does: exact int64 as int (and u64 as uint), non-integers whose value is
    /// exactly a double as float64, anything else as decimal text so nothing is lost.
    /// (Sending 0.1 as a double would mean 0.1000000000000000055… to Terraform.)
    fn number(&mut self, n: &Number) -> Result<(), CtyError> {
        if let Some(i) = n.to_i64() {
            let r = enc::write_sint(&mut self.out, i);
            self.check(r)
        } else if let Some(u) = n.to_u64() {
            let r = enc::write_uint(&mut self.out, u);
            self.check(r)
        } else if let Some(f) = n.to_exact_f64().filter(|_| !n.is_integer()) {
            let r = enc::write_f64(&mut self.out, f);
            self.check(r)
        } else {
            let text = n.to_string();
            self.len32(text.len())?;
            let r = enc::write_str(&mut self.out, &text);
            self.check(r)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::value::strategies::{arb_typed_value, arb_value};
    use super::*;
    use proptest::prelude::*;

    fn num(s: &str) -> Value {
        Value::Number(Number::parse(s).unwrap())
    }

    fn round_trip(v: &Value, ty: &Type) -> Value {
        decode(&encode(v, ty).unwrap(), ty).unwrap()
    }

    fn fixstr(s: &str) -> Vec<u8> {
        let mut out = vec![0xa0 | s.len() as u8];
        out.extend_from_slice(s.as_bytes());
        out
    }

    #[test]
    fn unknown_is_fixext1_type0() {
        for ty in [
            Type::String,
            Type::Dynamic,
            Type::list(Type::Number),
            Type::object([("a", Type::Bool)]),
        ] {
            assert_eq!(encode(&Value::Unknown, &ty).unwrap(), [0xd4, 0x00, 0x00]);
        }
        assert_eq!(
            decode(&[0xd4, 0x00, 0x00], &Type::String),
            Ok(Value::Unknown)
        );
    }

    #[test]
    fn any_extension_decodes_as_unknown() {
        // ext 12 with a refinement map {1: false (not null), 2: "pre" (string prefix)}.
        let refinement = [0x82, 0x01, 0xc2, 0x02, 0xa3, b'p', b'r', b'e'];
        let mut ext12 = vec![0xc7, refinement.len() as u8, 0x0c];
        ext12.extend_from_slice(&refinement);
        let mut ext16 = vec![0xc8, 0x01, 0x00, 0x05];
        ext16.extend_from_slice(&[0xaa; 256]);
        let mut ext32 = vec![0xc9, 0x00, 0x00, 0x00, 0x03, 0x7f];
        ext32.extend_from_slice(b"abc");
        let cases: Vec<Vec<u8>> = vec![
            ext12,
            ext16,
            ext32,
            vec![0xc7, 0x00, 0x00], // ext8, empty payload (rmp-serde style)
            vec![0xd4, 0x05, 0x01], // fixext1, other type code
            vec![0xd5, 0x0c, 0x80, 0x00], // fixext2
            vec![0xd6, 0x01, 0, 0, 0, 0], // fixext4
            [vec![0xd7, 0x02], vec![0; 8]].concat(),
            [vec![0xd8, 0xff], vec![0; 16]].concat(),
        ];
        for bytes in &cases {
            for ty in [
                Type::String,
                Type::Number,
                Type::Dynamic,
                Type::set(Type::String),
            ] {
                assert_eq!(decode(bytes, &ty), Ok(Value::Unknown), "{bytes:02x?}");
            }
        }
        // Inside an object, followed by another attribute.
        let ty = Type::object([("a", Type::String), ("b", Type::Bool)]);
        let bytes = [&[0x82][..], &fixstr("a"), &cases[0], &fixstr("b"), &[0xc3]].concat();
        assert_eq!(
            decode(&bytes, &ty),
            Ok(Value::object([
                ("a", Value::Unknown),
                ("b", Value::Bool(true))
            ]))
        );
        assert!(
            decode(&[0xc7, 0x05, 0x0c, 0x80], &Type::String).is_err(),
            "truncated ext must error"
        );
    }

    #[test]
    fn nil_is_null_for_every_type() {
        for ty in [
            Type::String,
            Type::Number,
            Type::Dynamic,
            Type::list(Type::String),
            Type::object([]),
        ] {
            assert_eq!(decode(&[0xc0], &ty), Ok(Value::Null));
            assert_eq!(encode(&Value::Null, &ty).unwrap(), [0xc0]);
        }
    }

    #[test]
    fn strings() {
        assert_eq!(
            encode(&Value::string("hi"), &Type::String).unwrap(),
            [0xa2, b'h', b'i']
        );
        assert_eq!(
            decode(&[0xc4, 0x02, b'h', b'i'], &Type::String),
            Ok(Value::string("hi"))
        );
        assert_eq!(
            decode(&[0xd9, 0x02, b'h', b'i'], &Type::String),
            Ok(Value::string("hi"))
        );
        assert!(decode(&[0xa2, 0xff, 0xfe], &Type::String).is_err());
        let long = "x".repeat(70_000);
        assert_eq!(
            round_trip(&Value::string(long.clone()), &Type::String),
            Value::string(long)
        );
    }

    #[test]
    fn integers_of_every_width() {
        let cases: &[(&[u8], &str)] = &[
            (&[0x05], "5"),
            (&[0xff], "-1"),
            (&[0xcc, 0xff], "255"),
            (&[0xcd, 0x01, 0x00], "256"),
            (&[0xce, 0xff, 0xff, 0xff, 0xff], "4294967295"),
            (
                &[0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
                "18446744073709551615",
            ),
            (&[0xd0, 0x80], "-128"),
            (&[0xd1, 0x80, 0x00], "-32768"),
            (&[0xd2, 0x80, 0x00, 0x00, 0x00], "-2147483648"),
            (&[0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0], "-9223372036854775808"),
            (&[0xd3, 0, 0, 0, 0, 0, 0, 0, 0x07], "7"),
        ];
        for (bytes, text) in cases {
            assert_eq!(decode(bytes, &Type::Number), Ok(num(text)), "{text}");
        }
        assert_eq!(
            encode(&Value::Number(Number::from_u64(u64::MAX)), &Type::Number).unwrap(),
            [0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
        );
        assert_eq!(
            encode(&num("-9223372036854775808"), &Type::Number).unwrap(),
            [0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0]
        );
        assert_eq!(encode(&num("1e2"), &Type::Number).unwrap(), [0x64]);
        assert_eq!(encode(&num("-3"), &Type::Number).unwrap(), [0xfd]);
    }

    #[test]
    fn floats_and_big_numbers() {
        assert_eq!(
            decode(&[0xca, 0x3f, 0xc0, 0, 0], &Type::Number),
            Ok(num("1.5"))
        );
        let f = [0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0];
        assert_eq!(decode(&f, &Type::Number), Ok(num("1.5")));
        assert_eq!(encode(&num("1.5"), &Type::Number).unwrap(), f);
        // 0.1 is not a double: cty sends it as text, and so do we.
        assert_eq!(encode(&num("0.1"), &Type::Number).unwrap(), fixstr("0.1"));
        let big = "123456789012345678901234567890";
        let bytes = encode(&num(big), &Type::Number).unwrap();
        assert_eq!(bytes, fixstr(big));
        assert_eq!(decode(&bytes, &Type::Number), Ok(num(big)));
        assert_eq!(
            decode(&fixstr("-12.5e-3"), &Type::Number),
            Ok(num("-0.0125"))
        );
        // Integers beyond 64 bits go as text even when a double could hold them.
        assert_eq!(
            encode(&num("1e20"), &Type::Number).unwrap(),
            fixstr("100000000000000000000")
        );
        assert!(decode(&fixstr("twelve"), &Type::Number).is_err());
        // A double's exact value survives decode -> encode bit for bit.
        let tenth = 0.1f64.to_be_bytes();
        let bytes = [&[0xcb][..], &tenth].concat();
        assert_eq!(
            encode(&decode(&bytes, &Type::Number).unwrap(), &Type::Number).unwrap(),
            bytes
        );
    }

    #[test]
    fn infinity_and_nan_are_errors() {
        let inf = [&[0xcb][..], &f64::INFINITY.to_be_bytes()].concat();
        let err = decode(&inf, &Type::Number).unwrap_err();
        assert_eq!(err.message, "infinite numbers are not supported");
        let ninf = [&[0xca][..], &f32::NEG_INFINITY.to_be_bytes()].concat();
        assert!(decode(&ninf, &Type::Number)
            .unwrap_err()
            .message
            .contains("infinite"));
        let nan = [&[0xcb][..], &f64::NAN.to_be_bytes()].concat();
        assert!(decode(&nan, &Type::Number).is_err());
    }

    #[test]
    fn objects() {
        let ty = Type::object([("a", Type::String), ("b", Type::Number)]);
        // Encoding writes every attribute, sorted, with nil for missing ones.
        let bytes = encode(&Value::object([("b", Value::from(1))]), &ty).unwrap();
        assert_eq!(
            bytes,
            [&[0x82][..], &fixstr("a"), &[0xc0], &fixstr("b"), &[0x01]].concat()
        );
        // Decoding fills absent attributes with null.
        let partial = [&[0x81][..], &fixstr("b"), &[0x01]].concat();
        assert_eq!(
            decode(&partial, &ty),
            Ok(Value::object([("a", Value::Null), ("b", Value::from(1))]))
        );
        // An attribute that is not in the type is an error, located by its path.
        let outer = Type::object([("nested", ty.clone())]);
        let bad = [
            &[0x81][..],
            &fixstr("nested"),
            &[0x81],
            &fixstr("bogus"),
            &[0xc0],
        ]
        .concat();
        let err = decode(&bad, &outer).unwrap_err();
        assert_eq!(
            err.path,
            [
                PathStep::Attr("nested".into()),
                PathStep::Attr("bogus".into())
            ]
        );
        assert!(err.message.contains("unsupported attribute"));
        let extra = Value::object([("zzz", Value::Null)]);
        assert_eq!(
            encode(&extra, &ty).unwrap_err().path,
            [PathStep::Attr("zzz".into())]
        );
        let dup = [&[0x82][..], &fixstr("a"), &[0xc0], &fixstr("a"), &[0xc0]].concat();
        assert!(decode(&dup, &ty).is_err());
    }

    #[test]
    fn type_mismatches_carry_paths() {
        let ty = Type::object([
            ("name", Type::String),
            ("tags", Type::map(Type::list(Type::Number))),
        ]);
        let err = encode(&Value::object([("name", Value::Bool(true))]), &ty).unwrap_err();
        assert_eq!(err.path, [PathStep::Attr("name".into())]);
        assert_eq!(err.to_string(), "name: string required, got bool");

        let tags = Value::Map(
            [(
                "k".to_owned(),
                Value::List(vec![Value::from(1), Value::string("x")]),
            )]
            .into(),
        );
        let err = encode(&Value::object([("tags", tags)]), &ty).unwrap_err();
        assert_eq!(
            err.path,
            [
                PathStep::Attr("tags".into()),
                PathStep::Key("k".into()),
                PathStep::Index(1)
            ]
        );

        let bytes = [
            &[0x81][..],
            &fixstr("tags"),
            &[0x81],
            &fixstr("k"),
            &[0x92, 0x01, 0xc3],
        ]
        .concat();
        let err = decode(&bytes, &ty).unwrap_err();
        assert_eq!(
            err.path,
            [
                PathStep::Attr("tags".into()),
                PathStep::Key("k".into()),
                PathStep::Index(1)
            ]
        );
        assert!(err.message.contains("number required"));

        assert!(encode(&Value::List(vec![]), &Type::set(Type::String)).is_err());
        assert!(encode(&Value::Map(BTreeMap::new()), &Type::object([])).is_err());
        assert!(encode(&Value::Tuple(vec![Value::Null]), &Type::tuple([])).is_err());
        assert!(decode(&[0x91, 0xc0], &Type::tuple([])).is_err());
        assert!(
            decode(&[0x81, 0x01, 0xc0], &Type::map(Type::String)).is_err(),
            "int map key"
        );
    }

    #[test]
    fn dynamic_values() {
        let bytes = encode(&Value::string("hello"), &Type::Dynamic).unwrap();
        let mut expected = vec![0x92, 0xc4, 0x08];
        expected.extend_from_slice(br#""string""#);
        expected.extend_from_slice(&fixstr("hello"));
        assert_eq!(bytes, expected);
        assert_eq!(decode(&bytes, &Type::Dynamic), Ok(Value::string("hello")));
        // The type header may also arrive as str.
        let as_str = [&[0x92][..], &fixstr(r#"["list","bool"]"#), &[0x91, 0xc3]].concat();
        assert_eq!(
            decode(&as_str, &Type::Dynamic),
            Ok(Value::List(vec![Value::Bool(true)]))
        );
        assert_eq!(encode(&Value::Null, &Type::Dynamic).unwrap(), [0xc0]);
        let v = Value::object([
            ("a", Value::List(vec![Value::Null, Value::from(2)])),
            ("b", Value::Unknown),
        ]);
        assert_eq!(round_trip(&v, &Type::Dynamic), v);
        assert!(decode(&[0x92, 0xa3, b'f', b'o', b'o', 0xc0], &Type::Dynamic).is_err());
        assert!(decode(&[0x91, 0xc0], &Type::Dynamic).is_err());
        assert!(decode(&[0x92, 0x01, 0xc0], &Type::Dynamic).is_err());
    }

    #[test]
    fn sets_are_deduplicated() {
        let ty = Type::set(Type::String);
        let bytes = [
            &[0x94][..],
            &fixstr("a"),
            &fixstr("b"),
            &fixstr("a"),
            &[0xd4, 0, 0],
        ]
        .concat();
        let v = decode(&bytes, &ty).unwrap();
        assert_eq!(v.as_slice().map(<[Value]>::len), Some(3));
        assert_eq!(
            v,
            Value::Set(vec![Value::Unknown, Value::string("b"), Value::string("a")])
        );
        // Encoding drops known duplicates too.
        let dup = Value::Set(vec![Value::string("a"), Value::string("a")]);
        assert_eq!(
            encode(&dup, &ty).unwrap(),
            [&[0x91][..], &fixstr("a")].concat()
        );
    }

    #[test]
    fn malformed_input_is_an_error_not_a_panic() {
        assert!(decode(&[], &Type::String).is_err());
        assert!(decode(&[0xa5, b'a'], &Type::String).is_err());
        assert!(
            decode(&[0xc0, 0xc0], &Type::String).is_err(),
            "trailing data"
        );
        assert!(decode(&[0xc1], &Type::Bool).is_err());
        // A huge claimed length with no data must not allocate or panic.
        assert!(decode(&[0xdd, 0xff, 0xff, 0xff, 0xff], &Type::list(Type::String)).is_err());
        assert!(decode(&[0xdf, 0xff, 0xff, 0xff, 0xff], &Type::map(Type::String)).is_err());
        // Deeply nested dynamic lists hit the depth limit instead of the stack.
        let mut bytes = Vec::new();
        for _ in 0..2000 {
            bytes.extend_from_slice(&[0x92]);
            bytes.extend_from_slice(&fixstr(r#"["list","dynamic"]"#));
            bytes.push(0x91);
        }
        bytes.push(0xc0);
        assert!(decode(&bytes, &Type::Dynamic)
            .unwrap_err()
            .message
            .contains("nested too deeply"));
    }

    /// Found by fuzzing: a map(dynamic) whose elements had different types decoded, and then
    /// could not be encoded (cty itself panics on such a collection).
    #[test]
    fn collections_of_dynamic_must_be_uniform() {
        let dyn_pair = |ty: &str, value: &[u8]| {
            let mut out = vec![0x92];
            out.extend(fixstr(ty));
            out.extend_from_slice(value);
            out
        };
        let num = dyn_pair("\"number\"", &[0x01]);
        let s = dyn_pair("\"string\"", &fixstr("x"));
        let mut map = vec![0x82];
        map.extend(fixstr("a"));
        map.extend(&num);
        map.extend(fixstr("b"));
        map.extend(&s);
        let err = decode(&map, &Type::map(Type::Dynamic)).unwrap_err();
        assert!(err.message.contains("same type"), "{err}");
        for ty in [Type::list(Type::Dynamic), Type::set(Type::Dynamic)] {
            let list = [&[0x92][..], &num, &s].concat();
            let err = decode(&list, &ty).unwrap_err();
            assert!(err.message.contains("same type"), "{ty}: {err}");
        }
        // Same types, or nulls among them, are fine and round-trip.
        let list = [&[0x93][..], &num, &[0xc0], &num].concat();
        let v = decode(&list, &Type::list(Type::Dynamic)).unwrap();
        assert_eq!(round_trip(&v, &Type::list(Type::Dynamic)), v);
        // A tuple may mix types.
        let tuple = [&[0x92][..], &num, &s].concat();
        assert!(decode(&tuple, &Type::tuple([Type::Dynamic, Type::Dynamic])).is_ok());
    }

    proptest! {
        #[test]
        fn round_trips((ty, v) in arb_typed_value(true)) {
            let bytes = encode(&v, &ty).unwrap();
            prop_assert_eq!(decode(&bytes, &ty), Ok(v));
        }

        #[test]
        fn round_trips_through_dynamic(v in arb_value(&Type::Dynamic, true)) {
            let bytes = encode(&v, &Type::Dynamic).unwrap();
            prop_assert_eq!(decode(&bytes, &Type::Dynamic), Ok(v));
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..64), (ty, _v) in arb_typed_value(false)) {
            let _ = decode(&bytes, &ty);
        }
    }
}
