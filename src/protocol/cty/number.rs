//! Arbitrary-precision decimal numbers: cty numbers are big floats, and Terraform sends
//! values that fit neither `i64` nor `f64` as decimal strings, so they must stay exact.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use super::CtyError;

/// Largest decimal exponent accepted. Far beyond anything real, but keeps every
/// operation (display, conversion) bounded for absurd inputs such as `1e999999999999`.
const MAX_EXP: u64 = 1 << 31;

/// Integers up to this many digits display without an exponent.
const MAX_PLAIN_DIGITS: i64 = 40;

/// An exact decimal number, stored normalised so that derived `Eq`/`Hash` are numeric:
/// `1`, `1.0` and `10e-1` have the same representation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Number {
    negative: bool,
    /// Significant digits (ASCII) without leading or trailing zeros; empty for zero.
    digits: String,
    /// The value is `digits × 10^exp`.
    exp: i64,
}

impl Number {
    /// Builds a normalised number from a digit string that may carry leading/trailing zeros.
    fn from_parts(negative: bool, digits: &str, exp: i64) -> Number {
        let leading = digits.trim_start_matches('0');
        let significant = leading.trim_end_matches('0');
        if significant.is_empty() {
            return Number::default();
        }
        let trailing = (leading.len() - significant.len()) as i64;
        Number {
            negative,
            digits: significant.to_owned(),
            exp: exp.saturating_add(trailing),
        }
    }

    pub fn from_i64(v: i64) -> Number {
        Number::from_parts(v < 0, &v.unsigned_abs().to_string(), 0)
    }

    pub fn from_u64(v: u64) -> Number {
        Number::from_parts(false, &v.to_string(), 0)
    }

    /// The shortest decimal that rounds to `v` (so `0.1_f64` becomes `0.1`); `None` for
    /// NaN and infinities, which cty numbers cannot hold here.
    pub fn from_f64(v: f64) -> Option<Number> {
        if !v.is_finite() {
            return None;
        }
        // `{:e}` prints the shortest round-tripping digits, e.g. `1.5e-7`.
        Number::parse(&format!("{v:e}")).ok()
    }

    /// The exact value of the binary float `v` (so `0.1_f64` becomes
    /// `0.1000000000000000055511151231257827021181583404541015625`). This is how cty reads
    /// MessagePack floats, and using it keeps decode→encode lossless.
    pub fn from_f64_exact(v: f64) -> Option<Number> {
        if !v.is_finite() {
            return None;
        }
        let bits = v.to_bits();
        let negative = bits >> 63 == 1;
        let biased = ((bits >> 52) & 0x7ff) as i64;
        let fraction = bits & ((1 << 52) - 1);
        let (mantissa, exp2) = if biased == 0 {
            (fraction, -1074)
        } else {
            (fraction | 1 << 52, biased - 1075)
        };
        if mantissa == 0 {
            return Some(Number::default());
        }
        // v = mantissa × 2^exp2 = mantissa × 5^-exp2 × 10^exp2 when exp2 < 0.
        let mut big = BigDigits::from_u64(mantissa);
        if exp2 >= 0 {
            big.mul_pow(2, exp2 as u32);
            Some(Number::from_parts(negative, &big.to_string(), 0))
        } else {
            big.mul_pow(5, (-exp2) as u32);
            Some(Number::from_parts(negative, &big.to_string(), exp2))
        }
    }

    /// Parses the JSON number grammar (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`),
    /// with any number of digits.
    pub fn parse(text: &str) -> Result<Number, CtyError> {
        let invalid = || {
            let shown: String = text.chars().take(64).collect();
            CtyError::new(format!("invalid number {shown:?}"))
        };
        let b = text.as_bytes();
        let digits_from = |mut i: usize| {
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            i
        };
        let negative = b.first() == Some(&b'-');
        let int_start = usize::from(negative);
        let mut i = digits_from(int_start);
        let int_part = &text[int_start..i];
        if int_part.is_empty() || (int_part.len() > 1 && int_part.starts_with('0')) {
            return Err(invalid());
        }
        let mut frac_part = "";
        if b.get(i) == Some(&b'.') {
            let end = digits_from(i + 1);
            frac_part = &text[i + 1..end];
            if frac_part.is_empty() {
                return Err(invalid());
            }
            i = end;
        }
        let mut exp: i64 = 0;
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            let exp_negative = b.get(i) == Some(&b'-');
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let end = digits_from(i);
            if end == i {
                return Err(invalid());
            }
            for d in &b[i..end] {
                exp = exp.saturating_mul(10).saturating_add(i64::from(d - b'0'));
            }
            if exp_negative {
                exp = -exp;
            }
            i = end;
        }
        if i != b.len() {
            return Err(invalid());
        }
        let exp = exp.saturating_sub(frac_part.len() as i64);
        let n = Number::from_parts(negative, &format!("{int_part}{frac_part}"), exp);
        if n.exp.unsigned_abs() > MAX_EXP {
            return Err(CtyError::new(format!(
                "number {:?} is out of range",
                text.chars().take(64).collect::<String>()
            )));
        }
        Ok(n)
    }

    pub fn is_integer(&self) -> bool {
        self.exp >= 0
    }

    pub fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// The value as `i128` when it is an integer of at most 38 digits.
    fn to_i128(&self) -> Option<i128> {
        if !self.is_integer() || self.digits.len() as i64 + self.exp > 38 {
            return None;
        }
        let mut v: i128 = 0;
        for d in self.digits.bytes() {
            v = v * 10 + i128::from(d - b'0');
        }
        for _ in 0..self.exp {
            v *= 10;
        }
        Some(if self.negative { -v } else { v })
    }

    /// The value as `i64`, only when exactly representable.
    pub fn to_i64(&self) -> Option<i64> {
        self.to_i128().and_then(|v| i64::try_from(v).ok())
    }

    /// The value as `u64`, only when exactly representable.
    pub fn to_u64(&self) -> Option<u64> {
        self.to_i128().and_then(|v| u64::try_from(v).ok())
    }

    /// The nearest `f64` (±infinity when out of range).
    pub fn to_f64(&self) -> f64 {
        // Rust's float parser rounds correctly for any number of digits.
        self.to_string().parse().unwrap_or(f64::NAN)
    }

    /// The `f64` whose binary value is exactly this number, if there is one.
    pub fn to_exact_f64(&self) -> Option<f64> {
        // A non-integer decimal is a binary fraction only if its last digit is 5, and
        // exact doubles have at most 767 significant digits: cheap rejections first.
        if (self.exp < 0 && !self.digits.ends_with('5')) || self.digits.len() > 767 {
            return None;
        }
        let f = self.to_f64();
        (Number::from_f64_exact(f).as_ref() == Some(self)).then_some(f)
    }

    /// Magnitude comparison: first by the position of the leading digit, then digit-wise
    /// (valid because neither digit string has trailing zeros).
    fn cmp_magnitude(&self, other: &Number) -> Ordering {
        let lead = |n: &Number| n.digits.len() as i64 + n.exp;
        lead(self)
            .cmp(&lead(other))
            .then_with(|| self.digits.as_bytes().cmp(other.digits.as_bytes()))
    }

    fn signum(&self) -> i8 {
        match (self.is_zero(), self.negative) {
            (true, _) => 0,
            (false, true) => -1,
            (false, false) => 1,
        }
    }
}

impl Ord for Number {
    fn cmp(&self, other: &Number) -> Ordering {
        self.signum().cmp(&other.signum()).then_with(|| {
            let m = self.cmp_magnitude(other);
            if self.negative {
                m.reverse()
            } else {
                m
            }
        })
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Number) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Shortest form: plain integers up to 40 digits, plain decimals while short, otherwise
/// scientific (`1.5e-7`, `1e50`). Always valid JSON number syntax.
impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_zero() {
            return f.write_str("0");
        }
        let sign = if self.negative { "-" } else { "" };
        let digits = &self.digits;
        // Number of digits before the decimal point.
        let point = digits.len() as i64 + self.exp;
        if self.exp >= 0 && point <= MAX_PLAIN_DIGITS {
            write!(f, "{sign}{digits}{}", "0".repeat(self.exp as usize))
        } else if self.exp < 0 && point > 0 && point <= MAX_PLAIN_DIGITS {
            let (int, frac) = digits.split_at(point as usize);
            write!(f, "{sign}{int}.{frac}")
        } else if self.exp < 0 && point <= 0 && point > -6 {
            write!(f, "{sign}0.{}{digits}", "0".repeat((-point) as usize))
        } else {
            let (first, rest) = digits.split_at(1);
            let dot = if rest.is_empty() { "" } else { "." };
            write!(f, "{sign}{first}{dot}{rest}e{}", point - 1)
        }
    }
}

impl FromStr for Number {
    type Err = CtyError;
    fn from_str(s: &str) -> Result<Number, CtyError> {
        Number::parse(s)
    }
}

impl From<i64> for Number {
    fn from(v: i64) -> Number {
        Number::from_i64(v)
    }
}

impl From<i32> for Number {
    fn from(v: i32) -> Number {
        Number::from_i64(v.into())
    }
}

impl From<u64> for Number {
    fn from(v: u64) -> Number {
        Number::from_u64(v)
    }
}

impl From<u32> for Number {
    fn from(v: u32) -> Number {
        Number::from_u64(v.into())
    }
}

/// Minimal unsigned big integer (little-endian base-10⁹ limbs), just enough to expand a
/// double into its exact decimal digits.
struct BigDigits(Vec<u32>);

impl BigDigits {
    const BASE: u64 = 1_000_000_000;

    fn from_u64(mut v: u64) -> Self {
        let mut limbs = Vec::new();
        while v > 0 {
            limbs.push((v % Self::BASE) as u32);
            v /= Self::BASE;
        }
        BigDigits(limbs)
    }

    fn mul_small(&mut self, m: u32) {
        let mut carry = 0u64;
        for limb in &mut self.0 {
            let v = u64::from(*limb) * u64::from(m) + carry;
            *limb = (v % Self::BASE) as u32;
            carry = v / Self::BASE;
        }
        while carry > 0 {
            self.0.push((carry % Self::BASE) as u32);
            carry /= Self::BASE;
        }
    }

    /// Multiplies by `base^exp` for base 2 or 5, in chunks that fit a `u32` multiplier.
    fn mul_pow(&mut self, base: u32, mut exp: u32) {
        let chunk = if base == 2 { 31 } else { 13 };
        while exp > 0 {
            let e = exp.min(chunk);
            self.mul_small(base.pow(e));
            exp -= e;
        }
    }
}

impl fmt::Display for BigDigits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut limbs = self.0.iter().rev();
        match limbs.next() {
            None => f.write_str("0"),
            Some(top) => {
                write!(f, "{top}")?;
                limbs.try_for_each(|l| write!(f, "{l:09}"))
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod strategies {
    use super::Number;
    use proptest::prelude::*;

    /// Integers of every width, shortest and exact doubles, and long decimals.
    pub(crate) fn arb_number() -> BoxedStrategy<Number> {
        prop_oneof![
            any::<i64>().prop_map(Number::from_i64),
            any::<u64>().prop_map(Number::from_u64),
            (-1000i64..1000).prop_map(Number::from_i64),
            any::<f64>().prop_filter_map("finite", Number::from_f64),
            any::<f64>().prop_filter_map("finite", Number::from_f64_exact),
            "-?(0|[1-9][0-9]{0,45})(\\.[0-9]{1,25})?([eE][+-]?[0-9]{1,3})?"
                .prop_filter_map("valid", |s| Number::parse(&s).ok()),
        ]
        .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::hash_map::DefaultHasher;
    use std::hash::{Hash, Hasher};

    fn n(s: &str) -> Number {
        Number::parse(s).unwrap()
    }

    fn hash(n: &Number) -> u64 {
        let mut h = DefaultHasher::new();
        n.hash(&mut h);
        h.finish()
    }

    #[test]
    fn equal_spellings_are_equal() {
        for s in ["1.0", "10e-1", "0.1e1", "1E0", "1.000e+0", "100e-2"] {
            assert_eq!(n(s), n("1"), "{s}");
            assert_eq!(hash(&n(s)), hash(&n("1")));
        }
        for s in ["-0", "0.000", "0e99", "-0.0e-5"] {
            assert_eq!(n(s), Number::default(), "{s}");
            assert!(!n(s).is_negative());
        }
        assert_ne!(n("1"), n("-1"));
        assert_ne!(n("1"), n("1.0000000000000000000000001"));
    }

    #[test]
    fn display() {
        for (input, shown) in [
            ("123", "123"),
            ("-0.5", "-0.5"),
            ("12345678901234567890123", "12345678901234567890123"),
            ("1e39", "1000000000000000000000000000000000000000"),
            ("1e40", "1e40"),
            ("-1.25e45", "-1.25e45"),
            ("0.000001", "0.000001"),
            ("0.0000001", "1e-7"),
            ("1.5e-7", "1.5e-7"),
            ("1234.5678", "1234.5678"),
            ("0", "0"),
            ("-0.0", "0"),
            ("100", "100"),
            ("0.120", "0.12"),
        ] {
            assert_eq!(n(input).to_string(), shown, "{input}");
        }
    }

    #[test]
    fn parse_rejects_non_json_numbers() {
        for s in [
            "", "-", "01", "-01", "1.", ".5", "1e", "1e+", "+1", "NaN", "inf", " 1", "1 ", "0x10",
            "1.2.3", "1e5.5", "--1",
        ] {
            assert!(Number::parse(s).is_err(), "{s:?}");
        }
        assert!(Number::parse("1e99999999999999999999")
            .unwrap_err()
            .message
            .contains("out of range"));
        assert_eq!(n("0e99999999999999999999"), Number::default());
    }

    #[test]
    fn integer_conversions_are_exact_only() {
        assert_eq!(n("9223372036854775807").to_i64(), Some(i64::MAX));
        assert_eq!(n("-9223372036854775808").to_i64(), Some(i64::MIN));
        assert_eq!(n("9223372036854775808").to_i64(), None);
        assert_eq!(n("9223372036854775808").to_u64(), Some(1 << 63));
        assert_eq!(n("18446744073709551615").to_u64(), Some(u64::MAX));
        assert_eq!(n("18446744073709551616").to_u64(), None);
        assert_eq!(n("-1").to_u64(), None);
        assert_eq!(n("1.5").to_i64(), None);
        assert_eq!(n("1.5e1").to_i64(), Some(15));
        assert_eq!(n("1e3").to_i64(), Some(1000));
        assert_eq!(n("1e300").to_i64(), None);
        assert!(n("2e3").is_integer() && !n("2e-3").is_integer());
        assert_eq!(
            Number::from_u64(u64::MAX).to_string(),
            "18446744073709551615"
        );
        assert_eq!(
            Number::from_i64(i64::MIN).to_string(),
            "-9223372036854775808"
        );
    }

    #[test]
    fn floats() {
        assert_eq!(Number::from_f64(0.1), Some(n("0.1")));
        assert_eq!(
            Number::from_f64_exact(0.1).unwrap().to_string(),
            "0.1000000000000000055511151231257827021181583404541015625"
        );
        assert_eq!(Number::from_f64_exact(-2.5), Some(n("-2.5")));
        assert_eq!(Number::from_f64_exact(1e300).unwrap().to_f64(), 1e300);
        assert_eq!(
            Number::from_f64_exact(f64::MIN_POSITIVE / 4.0)
                .unwrap()
                .to_f64(),
            f64::MIN_POSITIVE / 4.0
        );
        assert_eq!(Number::from_f64_exact(-0.0), Some(Number::default()));
        assert_eq!(Number::from_f64(f64::INFINITY), None);
        assert_eq!(Number::from_f64_exact(f64::NAN), None);
        assert_eq!(n("0.1").to_exact_f64(), None);
        assert_eq!(n("0.5").to_exact_f64(), Some(0.5));
        assert_eq!(n("1e30").to_exact_f64(), None);
        assert_eq!(
            n("1267650600228229401496703205376").to_exact_f64(),
            Some(2f64.powi(100))
        );
        assert_eq!(n("1e400").to_f64(), f64::INFINITY);
        assert_eq!(n("-12.75").to_f64(), -12.75);
    }

    #[test]
    fn ordering() {
        let sorted = [
            "-1e50", "-2", "-1.5", "-0.001", "0", "1e-30", "0.001", "1", "1.0001", "2", "10",
            "1e40",
        ];
        for w in sorted.windows(2) {
            assert!(n(w[0]) < n(w[1]), "{} < {}", w[0], w[1]);
            assert!(n(w[1]) > n(w[0]));
        }
        assert_eq!(n("1.0").cmp(&n("1")), Ordering::Equal);
    }

    proptest! {
        #[test]
        fn display_parse_round_trip(x in strategies::arb_number()) {
            prop_assert_eq!(Number::parse(&x.to_string()), Ok(x.clone()));
        }

        #[test]
        fn floats_round_trip(f in any::<f64>().prop_filter("finite", |f| f.is_finite())) {
            prop_assert_eq!(Number::from_f64(f).map(|x| x.to_f64()), Some(f));
            let exact = Number::from_f64_exact(f).unwrap();
            prop_assert_eq!(exact.to_f64(), f);
            prop_assert_eq!(exact.to_exact_f64(), Some(f));
        }

        #[test]
        fn ordering_matches_integers(a in any::<i64>(), b in any::<i64>()) {
            prop_assert_eq!(Number::from_i64(a).cmp(&Number::from_i64(b)), a.cmp(&b));
            prop_assert_eq!(Number::from_i64(a).to_i64(), Some(a));
        }

        #[test]
        fn ordering_matches_floats(a in -1e6f64..1e6, b in -1e6f64..1e6) {
            let (x, y) = (Number::from_f64_exact(a).unwrap(), Number::from_f64_exact(b).unwrap());
            prop_assert_eq!(x.partial_cmp(&y), a.partial_cmp(&b));
        }
    }
}
