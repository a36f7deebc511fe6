//! BLAKE2b-512 (RFC 7693) with its state open, as snarkjs's transcripts need it.
//!
//! A `.ptau` contribution stores the response hasher's state part-way (`partialHash`, 216
//! bytes), so that a verifier can finish the hash with the contribution's public key without
//! re-hashing the points. The layout is blake2b-wasm's context, which snarkjs 0.7.6 rebuilds by
//! hand (`misc.js`, `toPartialHash`) from `@noble/hashes`:
//!
//! | offset | bytes | field |
//! |---:|---:|---|
//! | 0 | 128 | the block buffer (bytes past `c` are zero) |
//! | 128 | 64 | the chaining value `h[0..8]`, `u64` little-endian |
//! | 192 | 8 | `t`: bytes compressed so far, `u64` LE |
//! | 200 | 8 | `c`: bytes in the buffer, `u64` LE (1..=128 once anything was absorbed) |
//! | 208 | 8 | `f`: zero |
//!
//! The buffer is compressed lazily: a full block waits until more input arrives, so the last
//! block is always compressed by the finalization with the final flag. No maintained crate
//! exposes this state (`blake2`, `blake2b_simd` keep it private), hence these few lines; the
//! tests check the digests against `blake2b_simd` (through `sp-crypto-hashing`).

const IV: [u64; 8] = [
	0x6a09e667f3bcc908,
	0xbb67ae8584caa73b,
	0x3c6ef372fe94f82b,
	0xa54ff53a5f1d36f1,
	0x510e527fade682d1,
	0x9b05688c2b3e6c1f,
	0x1f83d9abfb41bd6b,
	0x5be0cd19137e2179,
];

const SIGMA: [[usize; 16]; 10] = [
	[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
	[14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
	[11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
	[7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
	[9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
	[2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
	[12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
	[13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
	[6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
	[10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
];

/// The size of a serialized state ([`Blake2b512::partial_state`]).
pub const PARTIAL_STATE_LEN: usize = 216;

/// BLAKE2b with a 64-byte digest, no key.
#[derive(Clone)]
pub struct Blake2b512 {
	h: [u64; 8],
	t: u128,
	buf: [u8; 128],
	c: usize,
}

impl Default for Blake2b512 {
	fn default() -> Self {
		Self::new()
	}
}

impl Blake2b512 {
	/// A fresh hasher (digest length 64, key length 0, fanout and depth 1).
	pub fn new() -> Self {
		let mut h = IV;
		h[0] ^= 0x0101_0000 ^ 64;
		Blake2b512 { h, t: 0, buf: [0; 128], c: 0 }
	}

	fn compress(&mut self, last: bool) {
		let mut m = [0u64; 16];
		for (i, word) in m.iter_mut().enumerate() {
			*word = u64::from_le_bytes(self.buf[8 * i..8 * i + 8].try_into().expect("8 bytes; qed"));
		}
		let mut v = [0u64; 16];
		v[..8].copy_from_slice(&self.h);
		v[8..].copy_from_slice(&IV);
		v[12] ^= self.t as u64;
		v[13] ^= (self.t >> 64) as u64;
		if last {
			v[14] = !v[14];
		}
		let mut g = |a: usize, b: usize, c: usize, d: usize, x: u64, y: u64| {
			v[a] = v[a].wrapping_add(v[b]).wrapping_add(x);
			v[d] = (v[d] ^ v[a]).rotate_right(32);
			v[c] = v[c].wrapping_add(v[d]);
			v[b] = (v[b] ^ v[c]).rotate_right(24);
			v[a] = v[a].wrapping_add(v[b]).wrapping_add(y);
			v[d] = (v[d] ^ v[a]).rotate_right(16);
			v[c] = v[c].wrapping_add(v[d]);
			v[b] = (v[b] ^ v[c]).rotate_right(63);
		};
		for round in 0..12 {
			let s = &SIGMA[round % 10];
			g(0, 4, 8, 12, m[s[0]], m[s[1]]);
			g(1, 5, 9, 13, m[s[2]], m[s[3]]);
			g(2, 6, 10, 14, m[s[4]], m[s[5]]);
			g(3, 7, 11, 15, m[s[6]], m[s[7]]);
			g(0, 5, 10, 15, m[s[8]], m[s[9]]);
			g(1, 6, 11, 12, m[s[10]], m[s[11]]);
			g(2, 7, 8, 13, m[s[12]], m[s[13]]);
			g(3, 4, 9, 14, m[s[14]], m[s[15]]);
		}
		for i in 0..8 {
			self.h[i] ^= v[i] ^ v[i + 8];
		}
	}

	/// Absorbs `data`.
	pub fn update(&mut self, mut data: &[u8]) {
		while !data.is_empty() {
			if self.c == 128 {
				self.t += 128;
				self.compress(false);
				self.buf = [0; 128];
				self.c = 0;
			}
			let take = (128 - self.c).min(data.len());
			self.buf[self.c..self.c + take].copy_from_slice(&data[..take]);
			self.c += take;
			data = &data[take..];
		}
	}

	/// The digest.
	pub fn finalize(mut self) -> [u8; 64] {
		self.t += self.c as u128;
		self.buf[self.c..].fill(0);
		self.compress(true);
		let mut out = [0u8; 64];
		for (i, word) in self.h.iter().enumerate() {
			out[8 * i..8 * i + 8].copy_from_slice(&word.to_le_bytes());
		}
		out
	}

	/// The state as snarkjs stores it (module docs).
	pub fn partial_state(&self) -> [u8; PARTIAL_STATE_LEN] {
		let mut out = [0u8; PARTIAL_STATE_LEN];
		out[..128].copy_from_slice(&self.buf);
		for (i, word) in self.h.iter().enumerate() {
			out[128 + 8 * i..136 + 8 * i].copy_from_slice(&word.to_le_bytes());
		}
		out[192..200].copy_from_slice(&(self.t as u64).to_le_bytes());
		out[200..208].copy_from_slice(&(self.c as u64).to_le_bytes());
		out
	}

	/// A hasher resumed from a stored state, or `None` if it is not one (a buffer count above
	/// 128, a final flag set).
	pub fn from_partial_state(state: &[u8; PARTIAL_STATE_LEN]) -> Option<Self> {
		let word = |at: usize| u64::from_le_bytes(state[at..at + 8].try_into().expect("8 bytes; qed"));
		let c = word(200);
		if c > 128 || word(208) != 0 {
			return None;
		}
		let mut h = [0u64; 8];
		for (i, w) in h.iter_mut().enumerate() {
			*w = word(128 + 8 * i);
		}
		let mut buf = [0u8; 128];
		buf[..c as usize].copy_from_slice(&state[..c as usize]);
		Some(Blake2b512 { h, t: u128::from(word(192)), buf, c: c as usize })
	}
}

/// BLAKE2b-512 of the concatenation of `parts`.
pub fn hash(parts: &[&[u8]]) -> [u8; 64] {
	let mut h = Blake2b512::new();
	for part in parts {
		h.update(part);
	}
	h.finalize()
}

#[cfg(test)]
mod tests {
	use super::*;
	use proptest::prelude::*;

	#[test]
	fn partial_state_matches_blake2b_wasm_and_resumes() {
		let mut h = Blake2b512::new();
		h.update(b"abc");
		let state = h.partial_state();
		// blake2b-wasm 2.4.0's getPartialHash() after update("abc").
		let mut expected = vec![0x61, 0x62, 0x63];
		expected.resize(128, 0);
		expected.extend(hex::decode("48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b").unwrap());
		expected.extend([0u8; 8]);
		expected.extend(3u64.to_le_bytes());
		expected.extend([0u8; 8]);
		assert_eq!(state.to_vec(), expected);
		let mut resumed = Blake2b512::from_partial_state(&state).unwrap();
		resumed.update(b"def");
		assert_eq!(resumed.finalize(), sp_crypto_hashing::blake2_512(b"abcdef"));
		let mut bad = state;
		bad[200] = 129;
		assert!(Blake2b512::from_partial_state(&bad).is_none());
	}

	#[test]
	fn empty_input() {
		assert_eq!(hash(&[]), sp_crypto_hashing::blake2_512(b""));
	}

	proptest! {
		#[test]
		fn digests_and_resumed_states_match_blake2b_simd(data in proptest::collection::vec(any::<u8>(), 0..700), split in 0usize..700, chunk in 1usize..200) {
			let split = split.min(data.len());
			let mut h = Blake2b512::new();
			for piece in data[..split].chunks(chunk) {
				h.update(piece);
			}
			let mut resumed = Blake2b512::from_partial_state(&h.partial_state()).unwrap();
			resumed.update(&data[split..]);
			h.update(&data[split..]);
			let expected = sp_crypto_hashing::blake2_512(&data);
			prop_assert_eq!(h.finalize(), expected);
			prop_assert_eq!(resumed.finalize(), expected);
		}
	}
}
