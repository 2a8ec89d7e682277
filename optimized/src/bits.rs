//! A growable bitset over u64 words (LSB-first in memory), used for the leaf set (D20), the
//! prune list (D22) and the set of positions with a pending undo record. The MWEB byte
//! layouts (MSB-first) are produced at the boundary by [`Bits::to_msb_bytes`].

/// A growable bitset. Bits beyond `len` are always zero.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bits {
    words: Vec<u64>,
    len: u64,
}

impl Bits {
    /// An empty bitset.
    pub const fn new() -> Self {
        Bits {
            words: Vec::new(),
            len: 0,
        }
    }

    /// Number of bits.
    pub const fn len(&self) -> u64 {
        self.len
    }

    /// Whether there are no bits.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bit `i`; `false` beyond the length.
    #[inline]
    pub fn get(&self, i: u64) -> bool {
        match self.words.get((i >> 6) as usize) {
            Some(w) => (w >> (i & 63)) & 1 == 1,
            None => false,
        }
    }

    /// Sets bit `i` to `v`, growing the set with zeros if `i >= len`.
    #[inline]
    pub fn set(&mut self, i: u64, v: bool) {
        if i >= self.len {
            if !v {
                return;
            }
            self.resize(i + 1);
        }
        let w = &mut self.words[(i >> 6) as usize];
        if v {
            *w |= 1 << (i & 63);
        } else {
            *w &= !(1 << (i & 63));
        }
    }

    /// Appends one bit.
    #[inline]
    pub fn push(&mut self, v: bool) {
        if self.len & 63 == 0 {
            self.words.push(0);
        }
        if v {
            let last = self.words.len() - 1;
            self.words[last] |= 1 << (self.len & 63);
        }
        self.len += 1;
    }

    /// Appends `count` bits of value `v`.
    pub fn push_many(&mut self, count: u64, v: bool) {
        let start = self.len;
        self.resize(start.saturating_add(count));
        if v {
            for i in start..self.len {
                self.words[(i >> 6) as usize] |= 1 << (i & 63);
            }
        }
    }

    /// Sets the length to `len`, zero-filling new bits and clearing dropped ones.
    pub fn resize(&mut self, len: u64) {
        let words = len.div_ceil(64) as usize;
        self.words.resize(words, 0);
        if len & 63 != 0 {
            if let Some(w) = self.words.last_mut() {
                *w &= (1u64 << (len & 63)) - 1;
            }
        }
        self.len = len;
    }

    /// Shortens to `len` bits (no-op if already shorter).
    pub fn truncate(&mut self, len: u64) {
        if len < self.len {
            self.resize(len);
        }
    }

    /// Number of set bits.
    pub fn count_ones(&self) -> u64 {
        self.words.iter().map(|w| u64::from(w.count_ones())).sum()
    }

    /// Number of set bits below `i` (the compaction shift of position `i`, D22).
    pub fn rank(&self, i: u64) -> u64 {
        let i = i.min(self.len);
        let full = (i >> 6) as usize;
        let mut r: u64 = self.words[..full]
            .iter()
            .map(|w| u64::from(w.count_ones()))
            .sum();
        if i & 63 != 0 {
            r += u64::from((self.words[full] & ((1u64 << (i & 63)) - 1)).count_ones());
        }
        r
    }

    /// The set bits, ascending.
    pub fn ones(&self) -> impl Iterator<Item = u64> + '_ {
        self.words.iter().enumerate().flat_map(|(k, &w)| {
            let mut w = w;
            core::iter::from_fn(move || {
                if w == 0 {
                    return None;
                }
                let b = w.trailing_zeros();
                w &= w - 1;
                Some(((k as u64) << 6) | u64::from(b))
            })
        })
    }

    /// The first `nbits` bits in MWEB's MSB-first byte layout (bit i is `0x80 >> (i % 8)` of
    /// byte `i / 8`, D20, D22), `ceil(nbits / 8)` bytes; bits beyond the length read 0.
    pub fn to_msb_bytes(&self, nbits: u64) -> Vec<u8> {
        let nbytes = nbits.div_ceil(8) as usize;
        let mut out = Vec::with_capacity(nbytes);
        for k in 0..nbytes {
            let w = self.words.get(k >> 3).copied().unwrap_or(0);
            out.push(((w >> ((k & 7) * 8)) as u8).reverse_bits());
        }
        if nbits & 7 != 0 {
            if let Some(b) = out.last_mut() {
                *b &= 0xffu8 << (8 - (nbits & 7));
            }
        }
        out
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.words.capacity() * 8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_ops_and_layout() {
        let mut b = Bits::new();
        for i in 0..10 {
            b.push(i == 0 || i == 2 || i == 9);
        }
        assert_eq!(b.to_msb_bytes(10), vec![0xa0, 0x40]); // SPEC.md D20 example
        assert_eq!(b.ones().collect::<Vec<_>>(), vec![0, 2, 9]);
        assert_eq!(b.rank(3), 2);
        assert_eq!(b.rank(100), 3);
        b.truncate(5);
        assert_eq!(b.count_ones(), 2);
        assert!(!b.get(9));
        b.set(70, true);
        assert_eq!(b.len(), 71);
        assert!(b.get(70));
        b.set(200, false);
        assert_eq!(b.len(), 71);
        b.push_many(100, true);
        assert_eq!(b.count_ones(), 103);
        b.resize(64);
        assert_eq!(b.count_ones(), 2);
    }
}
