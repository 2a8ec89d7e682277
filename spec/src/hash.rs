//! 32-byte digests and their lowercase-hex form.

use core::fmt;
use core::str::FromStr;

/// A 32-byte digest. Every profile in this project hashes to 32 bytes (SPEC.md D10).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Hash(pub [u8; 32]);

impl Hash {
    /// The all-zero digest (the empty root of the Grin and MWEB dialects).
    pub const ZERO: Hash = Hash([0; 32]);

    /// The digest's bytes.
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Lowercase hex, 64 characters.
    pub fn to_hex(&self) -> String {
        to_hex(&self.0)
    }

    /// Parses exactly 64 hex digits (either case).
    pub fn from_hex(s: &str) -> Result<Hash, HexError> {
        let bytes = from_hex(s)?;
        let arr: [u8; 32] = bytes.as_slice().try_into().map_err(|_| HexError::Length {
            expected: 64,
            got: s.len(),
        })?;
        Ok(Hash(arr))
    }
}

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({})", self.to_hex())
    }
}

impl FromStr for Hash {
    type Err = HexError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Hash::from_hex(s)
    }
}

impl From<[u8; 32]> for Hash {
    fn from(b: [u8; 32]) -> Self {
        Hash(b)
    }
}

/// Why a hex string was rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HexError {
    /// The string has an odd number of digits or the wrong length for its type.
    Length {
        /// Digits expected (0 means "any even number").
        expected: usize,
        /// Digits given.
        got: usize,
    },
    /// A character that is not a hex digit, at this character offset.
    Digit {
        /// Offset of the offending character.
        offset: usize,
    },
}

impl fmt::Display for HexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HexError::Length { expected: 0, got } => {
                write!(f, "hex string has an odd number of digits ({got})")
            }
            HexError::Length { expected, got } => {
                write!(f, "hex string has {got} digits, expected {expected}")
            }
            HexError::Digit { offset } => write!(f, "not a hex digit at offset {offset}"),
        }
    }
}

impl std::error::Error for HexError {}

/// Lowercase hex of any byte string.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

/// Parses an even number of hex digits (either case) into bytes.
pub fn from_hex(s: &str) -> Result<Vec<u8>, HexError> {
    let b = s.as_bytes();
    if b.len() % 2 != 0 {
        return Err(HexError::Length {
            expected: 0,
            got: b.len(),
        });
    }
    let digit = |i: usize| -> Result<u8, HexError> {
        match b[i] {
            c @ b'0'..=b'9' => Ok(c - b'0'),
            c @ b'a'..=b'f' => Ok(c - b'a' + 10),
            c @ b'A'..=b'F' => Ok(c - b'A' + 10),
            _ => Err(HexError::Digit { offset: i }),
        }
    };
    (0..b.len() / 2)
        .map(|i| Ok(digit(2 * i)? << 4 | digit(2 * i + 1)?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip_and_errors() {
        let h = Hash([0xab; 32]);
        assert_eq!(h.to_hex(), "ab".repeat(32));
        assert_eq!(Hash::from_hex(&"AB".repeat(32)).unwrap(), h);
        assert_eq!(from_hex("0g"), Err(HexError::Digit { offset: 1 }));
        assert_eq!(
            from_hex("abc"),
            Err(HexError::Length {
                expected: 0,
                got: 3
            })
        );
        assert_eq!(
            Hash::from_hex("00"),
            Err(HexError::Length {
                expected: 64,
                got: 2
            })
        );
        assert_eq!(to_hex(&[0, 1, 255]), "0001ff");
    }
}
