//! Minima's decimal amounts, exactly as minima-global/Minima v1.0.45 computes and streams
//! them (`src/org/minima/objects/base/MiniNumber.java`), for the values Minima's MMR
//! carries: non-negative, at most `2^64 - 1` (`MAX_MININUMBER`), at most 44 decimal places
//! (`MAX_DECIMAL_PLACES`).
//!
//! A MiniNumber is a Java `BigDecimal`: an unscaled integer and a scale, and the stream form
//! writes both (`i8 scale || u8 len || BigInteger.toByteArray()`), so `1`, `1.0` and `1.00`
//! are equal amounts with different hashes. [`MiniNumber::parse`] keeps the scale the digits
//! give (as `new BigDecimal(String)` does) and [`MiniNumber::add`] is `BigDecimal.add` under
//! `MathContext(64, DOWN)`: within this range the exact sum at the larger of the two scales
//! (at most 20 integer and 44 fraction digits, so the 64-digit context never rounds), refused
//! above `2^64 - 1` as `MiniNumber`'s `checkLimits` refuses it. Display is `toString`:
//! `stripTrailingZeros().toPlainString()`.

use crate::Error;
use core::cmp::Ordering;
use core::fmt;

/// Most decimal places a MiniNumber keeps (`MiniNumber.MAX_DECIMAL_PLACES`, v1.0.45).
pub const MAX_DECIMAL_PLACES: u8 = 44;

/// A 256-bit unsigned integer, little-endian limbs: enough for `(2^64 - 1) * 10^44 < 2^211`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
struct U256([u64; 4]);

impl U256 {
    const fn from_u64(v: u64) -> U256 {
        U256([v, 0, 0, 0])
    }

    fn is_zero(&self) -> bool {
        self.0 == [0; 4]
    }

    /// `self * m + a`, or `None` on overflow.
    fn mul_add_small(self, m: u64, a: u64) -> Option<U256> {
        let mut out = [0u64; 4];
        let mut carry = u128::from(a);
        for (o, &l) in out.iter_mut().zip(self.0.iter()) {
            let t = u128::from(l) * u128::from(m) + carry;
            *o = t as u64;
            carry = t >> 64;
        }
        (carry == 0).then_some(U256(out))
    }

    fn checked_add(self, o: U256) -> Option<U256> {
        let mut out = [0u64; 4];
        let mut carry = false;
        for (r, (a, b)) in out.iter_mut().zip(self.0.iter().zip(o.0.iter())) {
            let (s1, c1) = a.overflowing_add(*b);
            let (s2, c2) = s1.overflowing_add(u64::from(carry));
            *r = s2;
            carry = c1 || c2;
        }
        (!carry).then_some(U256(out))
    }

    /// `(self / d, self % d)`.
    fn div_rem_small(self, d: u64) -> (U256, u64) {
        let mut out = [0u64; 4];
        let mut rem = 0u128;
        for i in (0..4).rev() {
            let cur = (rem << 64) | u128::from(self.0[i]);
            out[i] = (cur / u128::from(d)) as u64;
            rem = cur % u128::from(d);
        }
        (U256(out), rem as u64)
    }

    fn scaled(self, places: u8) -> Option<U256> {
        (0..places).try_fold(self, |acc, _| acc.mul_add_small(10, 0))
    }

    fn cmp(&self, o: &U256) -> Ordering {
        self.0.iter().rev().cmp(o.0.iter().rev())
    }

    fn to_be_bytes(self) -> [u8; 32] {
        let mut b = [0u8; 32];
        for (i, l) in self.0.iter().rev().enumerate() {
            b[i * 8..i * 8 + 8].copy_from_slice(&l.to_be_bytes());
        }
        b
    }

    fn decimal_digits(self) -> String {
        if self.is_zero() {
            return "0".into();
        }
        let mut digits = Vec::new();
        let mut v = self;
        while !v.is_zero() {
            let (q, r) = v.div_rem_small(10);
            digits.push(b'0' + r as u8);
            v = q;
        }
        digits.reverse();
        String::from_utf8(digits).expect("ASCII digits")
    }
}

/// Why a decimal string is not a MiniNumber amount of Minima's MMR.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError(pub String);

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParseError {}

/// A MiniNumber amount: `unscaled / 10^scale`, `0 <= scale <= 44`, at most `2^64 - 1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct MiniNumber {
    unscaled: U256,
    scale: u8,
}

impl MiniNumber {
    /// Zero at scale 0 (`MiniNumber.ZERO`).
    pub const ZERO: MiniNumber = MiniNumber {
        unscaled: U256([0; 4]),
        scale: 0,
    };

    /// The integer `v` at scale 0 (`new MiniNumber(long)`).
    pub const fn from_u64(v: u64) -> MiniNumber {
        MiniNumber {
            unscaled: U256::from_u64(v),
            scale: 0,
        }
    }

    /// The scale (decimal places) the number carries, trailing zeros included.
    pub fn scale(&self) -> u8 {
        self.scale
    }

    /// The amount as an integer, if it has scale 0 (the u64 domain of the other profiles).
    pub fn as_integer(&self) -> Option<u64> {
        let l = self.unscaled.0;
        (self.scale == 0 && l[1..] == [0, 0, 0]).then_some(l[0])
    }

    /// Parses a plain decimal (`"0.001"`, `"1000000000.000000001"`, `"5"`) as
    /// `new BigDecimal(String)` does: the scale is the number of fraction digits written.
    /// Refused with a reason: a sign (negative amounts are refused; `+` is not accepted
    /// either), an exponent, more than 44 fraction digits (Minima would silently truncate
    /// them), anything but ASCII digits and one point, and a value above `2^64 - 1`.
    pub fn parse(s: &str) -> Result<MiniNumber, ParseError> {
        let bad = |why: &str| {
            Err(ParseError(format!(
                "{s:?} is not a MiniNumber amount: {why}"
            )))
        };
        if s.starts_with('-') {
            return bad("negative values are refused");
        }
        if s.contains(['e', 'E']) {
            return bad("exponent notation is not accepted");
        }
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i, f),
            None => (s, ""),
        };
        if int.is_empty() && frac.is_empty() {
            return bad("no digits");
        }
        if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
            return bad("only the digits 0-9 and one '.' are accepted");
        }
        if frac.len() > usize::from(MAX_DECIMAL_PLACES) {
            return bad("more than 44 decimal places");
        }
        let mut unscaled = U256::default();
        for b in int.bytes().chain(frac.bytes()) {
            unscaled = match unscaled.mul_add_small(10, u64::from(b - b'0')) {
                Some(u) => u,
                None => return bad("above 2^64 - 1"),
            };
        }
        let n = MiniNumber {
            unscaled,
            scale: frac.len() as u8,
        };
        if !n.within_max() {
            return bad("above 2^64 - 1");
        }
        Ok(n)
    }

    /// `unscaled <= (2^64 - 1) * 10^scale`.
    fn within_max(&self) -> bool {
        match U256::from_u64(u64::MAX).scaled(self.scale) {
            Some(max) => self.unscaled.cmp(&max) != Ordering::Greater,
            None => false,
        }
    }

    /// `MiniNumber.add`: the exact sum at the larger scale; [`Error::ValueOverflow`] above
    /// `2^64 - 1` (Minima throws there).
    pub fn add(&self, o: &MiniNumber) -> Result<MiniNumber, Error> {
        let scale = self.scale.max(o.scale);
        let a = self.unscaled.scaled(scale - self.scale);
        let b = o.unscaled.scaled(scale - o.scale);
        let sum = a
            .zip(b)
            .and_then(|(a, b)| a.checked_add(b))
            .ok_or(Error::ValueOverflow)?;
        let n = MiniNumber {
            unscaled: sum,
            scale,
        };
        if n.within_max() {
            Ok(n)
        } else {
            Err(Error::ValueOverflow)
        }
    }

    /// Numeric equality (`MiniNumber.isEqual`, `compareTo == 0`): `1.0` equals `1`.
    pub fn numerically_equal(&self, o: &MiniNumber) -> bool {
        let scale = self.scale.max(o.scale);
        self.unscaled.scaled(scale - self.scale) == o.unscaled.scaled(scale - o.scale)
    }

    /// Appends the stream form (`MiniNumber.writeDataStream`): the scale byte, the length
    /// byte, then `BigInteger.toByteArray()` of the unscaled value (minimal two's-complement
    /// big-endian: 0 is `00`, 128 is `00 80`).
    pub fn put(&self, out: &mut Vec<u8>) {
        let be = self.unscaled.to_be_bytes();
        let skip = be.iter().take_while(|&&b| b == 0).count().min(31);
        let mut digits = be[skip..].to_vec();
        if digits[0] & 0x80 != 0 {
            digits.insert(0, 0);
        }
        out.push(self.scale);
        out.push(digits.len() as u8);
        out.extend_from_slice(&digits);
    }

    /// The stream form (see [`MiniNumber::put`]).
    pub fn to_stream(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(36);
        self.put(&mut v);
        v
    }
}

/// `MiniNumber.toString`: `stripTrailingZeros().toPlainString()` (`1000`, `0.001`, `0`).
impl fmt::Display for MiniNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.unscaled.decimal_digits();
        let scale = usize::from(self.scale);
        let (int, frac) = if digits.len() > scale {
            let (i, fr) = digits.split_at(digits.len() - scale);
            (i.to_string(), fr.to_string())
        } else {
            ("0".to_string(), format!("{digits:0>scale$}"))
        };
        let frac = frac.trim_end_matches('0');
        if frac.is_empty() {
            f.write_str(&int)
        } else {
            write!(f, "{int}.{frac}")
        }
    }
}

impl core::str::FromStr for MiniNumber {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<MiniNumber, ParseError> {
        MiniNumber::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> MiniNumber {
        MiniNumber::parse(s).unwrap()
    }

    #[test]
    fn stream_forms_keep_the_scale() {
        // BigDecimal("0.001"): unscaled 1, scale 3.
        assert_eq!(n("0.001").to_stream(), [3, 1, 1]);
        assert_eq!(n("0.5").to_stream(), [1, 1, 5]);
        assert_eq!(n("1").to_stream(), [0, 1, 1]);
        assert_eq!(n("1.0").to_stream(), [1, 1, 10]);
        assert_eq!(n("0").to_stream(), [0, 1, 0]);
        assert_eq!(n("0.000").to_stream(), [3, 1, 0]);
        assert_eq!(n("128").to_stream(), [0, 2, 0, 0x80]);
        assert_eq!(
            MiniNumber::from_u64(u64::MAX).to_stream(),
            [0, 9, 0, 255, 255, 255, 255, 255, 255, 255, 255]
        );
        let tiny = n("0.00000000000000000000000000000000000000000001");
        assert_eq!(tiny.to_stream(), [44, 1, 1]);
        assert_eq!(
            n("1.00000000000000000000000000000000000000000000").scale(),
            44
        );
    }

    #[test]
    fn sums_take_the_larger_scale() {
        let s = n("0.001").add(&n("0.5")).unwrap();
        assert_eq!(s.to_stream(), [3, 2, 0x01, 0xf5]); // 501 at scale 3
        assert_eq!(s.to_string(), "0.501");
        let t = s.add(&n("1000000000.000000001")).unwrap();
        assert_eq!(t.scale(), 9);
        assert_eq!(t.to_string(), "1000000000.501000001");
        // 1000000000501000001 = 0x0de0b6b3c540a741
        assert_eq!(
            t.to_stream(),
            [9, 8, 0x0d, 0xe0, 0xb6, 0xb3, 0xc5, 0x40, 0xa7, 0x41]
        );
        assert_eq!(n("0").add(&n("0.000")).unwrap().to_stream(), [3, 1, 0]);
        assert_eq!(
            MiniNumber::from_u64(u64::MAX).add(&n("0.1")),
            Err(Error::ValueOverflow)
        );
        assert!(n("1.0").numerically_equal(&n("1")));
        assert_ne!(n("1.0"), n("1"));
    }

    #[test]
    fn display_is_minimas_to_string() {
        for (s, shown) in [
            ("1000", "1000"),
            ("1000.000", "1000"),
            ("0.0010", "0.001"),
            ("0", "0"),
            ("0.000", "0"),
            ("007.5", "7.5"),
            (".5", "0.5"),
            ("18446744073709551615", "18446744073709551615"),
        ] {
            assert_eq!(n(s).to_string(), shown, "{s}");
        }
    }

    #[test]
    fn refusals_name_the_reason() {
        for (s, why) in [
            ("-1", "negative"),
            ("1E3", "exponent"),
            ("0.000000000000000000000000000000000000000000001", "44"),
            ("18446744073709551616", "2^64"),
            ("18446744073709551615.1", "2^64"),
            ("1,5", "digits"),
            ("+1", "digits"),
            (".", "no digits"),
            ("", "no digits"),
        ] {
            let e = MiniNumber::parse(s).unwrap_err();
            assert!(e.0.contains(why), "{s}: {e}");
        }
        assert_eq!(n("5").as_integer(), Some(5));
        assert_eq!(n("5.0").as_integer(), None);
    }
}
