//! Byte-level reading and writing for the canonical encodings (SPEC.md D13, D15, D17, D18).
//!
//! All integers are unsigned 64-bit big-endian unless a definition says otherwise. The reader
//! reports the exact offset of every failure and never allocates more than the input could
//! possibly describe, so a hostile length field cannot exhaust memory.

use crate::{Error, Hash, Node};

/// Appends `v` as 8 big-endian bytes.
pub fn put_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_be_bytes());
}

/// Appends a node as its 32 hash bytes followed by its value as u64 big-endian.
pub fn put_node(out: &mut Vec<u8>, n: &Node) {
    out.extend_from_slice(n.hash.as_bytes());
    put_u64(out, n.value);
}

/// A cursor over an input that reports failures with their byte offset.
#[derive(Debug)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// Starts reading at offset 0.
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    /// The offset of the next byte.
    pub fn offset(&self) -> u64 {
        self.pos as u64
    }

    /// How many bytes remain.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// Takes the next `n` bytes, or fails with [`Error::Truncated`].
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        if self.remaining() < n {
            return Err(Error::Truncated {
                offset: self.buf.len() as u64,
                needed: (n - self.remaining()) as u64,
            });
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    /// Reads one byte.
    pub fn u8(&mut self) -> Result<u8, Error> {
        Ok(self.take(1)?[0])
    }

    /// Reads a u64 big-endian.
    pub fn u64(&mut self) -> Result<u64, Error> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_be_bytes(a))
    }

    /// Reads a 32-byte hash.
    pub fn hash(&mut self) -> Result<Hash, Error> {
        let b = self.take(32)?;
        let mut a = [0u8; 32];
        a.copy_from_slice(b);
        Ok(Hash(a))
    }

    /// Reads a node: 32 hash bytes, then its value.
    pub fn node(&mut self) -> Result<Node, Error> {
        Ok(Node {
            hash: self.hash()?,
            value: self.u64()?,
        })
    }

    /// Reads a count of records of `record` bytes each and checks that the input can hold
    /// them all, so the caller may allocate `count` entries safely.
    pub fn count(&mut self, record: usize) -> Result<usize, Error> {
        let count = self.u64()?;
        let avail = (self.remaining() / record.max(1)) as u64;
        if count > avail {
            let needed = count
                .saturating_mul(record as u64)
                .saturating_sub(self.remaining() as u64);
            return Err(Error::Truncated {
                offset: self.buf.len() as u64,
                needed,
            });
        }
        Ok(count as usize)
    }

    /// Fails with [`Error::TrailingBytes`] unless the input is used up.
    pub fn finish(self) -> Result<(), Error> {
        if self.remaining() != 0 {
            return Err(Error::TrailingBytes {
                offset: self.pos as u64,
                extra: self.remaining() as u64,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reader_reports_offsets() {
        let mut r = Reader::new(&[0, 0, 0, 0, 0, 0, 0, 5, 9]);
        assert_eq!(r.u64().unwrap(), 5);
        assert_eq!(r.offset(), 8);
        assert_eq!(
            r.u64(),
            Err(Error::Truncated {
                offset: 9,
                needed: 7
            })
        );
        let r = Reader::new(&[1, 2]);
        assert_eq!(
            r.finish(),
            Err(Error::TrailingBytes {
                offset: 0,
                extra: 2
            })
        );
    }

    #[test]
    fn hostile_count_is_refused_before_allocation() {
        let mut buf = Vec::new();
        put_u64(&mut buf, u64::MAX);
        buf.extend_from_slice(&[0; 40]);
        let mut r = Reader::new(&buf);
        assert!(matches!(
            r.count(48),
            Err(Error::Truncated { offset: 48, .. })
        ));
    }
}
