//! The Bloom filter of a block's keys (correlation ids and `--index-field`
//! values), and the hash it is built on.
//!
//! Owns the filter's bits and sizing: ten bits and seven probes per distinct
//! key, about 0.8% false positives. The hash is written out here, not
//! taken from std, because a sidecar outlives the binary that wrote it: a
//! hash that changed between Rust releases would turn every lookup into a
//! false "no", the one answer an index must never give wrongly.
//!
//! Invariant: a key inserted is always found ([`Bloom::may_hold`] has no
//! false negatives); a key not inserted is found about 0.8% of the time.

/// Bits per distinct key.
const BITS_PER_KEY: u64 = 10;
/// Probes per key: the best number for ten bits a key (ln 2 × 10 ≈ 7).
const PROBES: u32 = 7;

/// A 64-bit hash of `bytes`: eight bytes at a time, multiplied and
/// rotated in, then a 64-bit finalizer (MurmurHash3's fmix64).
pub fn hash(bytes: &[u8]) -> u64 {
    let mut h = Hasher::new();
    h.write(bytes);
    h.finish()
}

/// [`hash`] of bytes given in pieces (each piece is mixed in with its
/// length, so the pieces are part of what is hashed).
#[derive(Debug, Clone, Copy)]
pub struct Hasher(u64);

impl Hasher {
    pub fn new() -> Hasher {
        Hasher(0xcbf2_9ce4_8422_2325)
    }

    pub fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.mix(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        self.mix(u64::from_le_bytes(w) ^ ((bytes.len() as u64) << 56));
    }

    fn mix(&mut self, w: u64) {
        self.0 = (self.0 ^ w)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29);
    }

    pub fn finish(self) -> u64 {
        fmix(self.0)
    }
}

impl Default for Hasher {
    fn default() -> Hasher {
        Hasher::new()
    }
}

fn fmix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

/// A Bloom filter over key hashes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bloom {
    words: Vec<u64>,
}

impl Bloom {
    /// A filter sized for `keys` distinct keys.
    pub fn with_keys(keys: usize) -> Bloom {
        let bits = (keys as u64 * BITS_PER_KEY).max(64);
        Bloom {
            words: vec![0; bits.div_ceil(64) as usize],
        }
    }

    /// A filter from its words (as [`Bloom::words`] gave them).
    pub fn from_words(words: Vec<u64>) -> Bloom {
        Bloom { words }
    }

    /// The filter's bits, 64 to a word.
    pub fn words(&self) -> &[u64] {
        &self.words
    }

    /// Adds the key whose [`hash`] is `h`.
    pub fn insert(&mut self, h: u64) {
        let bits = self.bits();
        if bits == 0 {
            return;
        }
        for bit in probes(h, bits) {
            self.words[(bit / 64) as usize] |= 1 << (bit % 64);
        }
    }

    /// Whether the key whose [`hash`] is `h` may have been added: `false`
    /// means it certainly was not.
    pub fn may_hold(&self, h: u64) -> bool {
        let bits = self.bits();
        bits == 0
            || probes(h, bits).all(|bit| self.words[(bit / 64) as usize] & (1 << (bit % 64)) != 0)
    }

    fn bits(&self) -> u64 {
        self.words.len() as u64 * 64
    }
}

/// The bits a key sets: double hashing (Kirsch and Mitzenmacher), the
/// second hash derived from the first.
fn probes(h: u64, bits: u64) -> impl Iterator<Item = u64> {
    let step = fmix(h ^ 0x9e37_79b9_7f4a_7c15) | 1;
    (0..u64::from(PROBES)).map(move |i| h.wrapping_add(i.wrapping_mul(step)) % bits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_inserted_is_found() {
        let mut b = Bloom::with_keys(1000);
        for i in 0..1000 {
            b.insert(hash(format!("req-{i}").as_bytes()));
        }
        for i in 0..1000 {
            assert!(b.may_hold(hash(format!("req-{i}").as_bytes())), "req-{i}");
        }
    }

    #[test]
    fn false_positives_are_about_one_in_a_hundred() {
        let n = 20_000;
        let mut b = Bloom::with_keys(n);
        for i in 0..n {
            b.insert(hash(format!("req-{i:08x}").as_bytes()));
        }
        let tries = 100_000;
        let hits = (0..tries)
            .filter(|i| b.may_hold(hash(format!("other-{i}").as_bytes())))
            .count();
        let rate = hits as f64 / tries as f64;
        // Ten bits and seven probes a key: 0.82% in theory.
        assert!((0.002..0.02).contains(&rate), "false positive rate {rate}");
    }

    #[test]
    fn the_hash_is_fixed_across_builds() {
        // A sidecar written by one build is read by the next: these values
        // must never change (or the sidecar version must).
        assert_eq!(hash(b""), 0xd102_b704_521d_c6eb);
        assert_eq!(hash(b"req-42"), 0x862d_c7ea_1118_f8a9);
    }

    #[test]
    fn an_empty_filter_is_a_small_one() {
        let b = Bloom::with_keys(0);
        assert_eq!(b.words().len(), 1);
        assert!(!b.may_hold(hash(b"x")));
    }
}
