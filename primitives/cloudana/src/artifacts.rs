//! Jobs on circom circuits: the artifacts a prover fetches by content hash, and how the
//! job's private data is handled (its privacy level).
//!
//! A job on a circom circuit names three things besides its verifying key: the circuit's
//! witness generator (circom's `.wasm`), its proving key (snarkjs's `.zkey`) and its input
//! (circom's `input.json`). Each large file is an [`Artifact`]: its SHA-256 (FIPS 180-4, as
//! `sha256sum` prints it), its size in bytes and the `http://` or `https://` URL a prover
//! fetches it from. The chain stores only those; the prover daemon fetches, checks the size and
//! the hash, and caches by hash.
//!
//! | privacy | on chain | who sees the input |
//! |---|---|---|
//! | [`InputData::Public`] | the input JSON itself (at most [`MAX_PUBLIC_INPUT_LEN`] bytes) | everyone |
//! | [`InputData::Committed`] | the input file's hash, size and URL | whoever can fetch the URL: the requester chooses (the provers it serves) |
//!
//! Either way the proof is public, and so are the circuit's public signals (the job's inputs
//! and outputs). With a committed input the proof binds to the data only through a public
//! input the circuit computes from it: a digest (`hash_check`: the SHA-256 of the message) or a
//! Poseidon commitment (`matrix_mult`), which the requester puts among the job's inputs. The
//! file's hash on chain only tells provers which file to fetch.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;

/// The longest location (URL), bytes.
pub const MAX_LOCATION_LEN: u32 = 256;
/// The largest input JSON carried on chain ([`InputData::Public`]), bytes.
pub const MAX_PUBLIC_INPUT_LEN: u32 = 2048;

/// A URL, UTF-8 bytes, at most [`MAX_LOCATION_LEN`].
pub type Location = BoundedVec<u8, ConstU32<MAX_LOCATION_LEN>>;

/// A file a prover fetches: its content hash, size and location.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Artifact {
	/// SHA-256 of the file's bytes (JSON: `0x` hex).
	#[cfg_attr(feature = "serde", serde(with = "json::hex32"))]
	pub sha256: [u8; 32],
	/// The file's size, bytes.
	pub size: u64,
	/// Where to fetch it: an `http://` or `https://` URL (JSON: a string).
	#[cfg_attr(feature = "serde", serde(with = "json::text"))]
	pub location: Location,
}

impl Artifact {
	/// Whether the location is an `http://` or `https://` URL with a host, and the size is
	/// not zero.
	pub fn is_well_formed(&self) -> bool {
		let url = &self.location[..];
		let rest = url.strip_prefix(b"https://").or_else(|| url.strip_prefix(b"http://"));
		self.size > 0 &&
			core::str::from_utf8(url).is_ok() &&
			rest.is_some_and(|rest| !rest.is_empty() && rest[0] != b'/' && !rest.iter().any(|b| b.is_ascii_whitespace()))
	}
}

/// A job's input, by privacy level (module docs).
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum InputData {
	/// The input JSON, on chain for everyone to read (JSON: a string).
	Public(#[cfg_attr(feature = "serde", serde(with = "json::text"))] BoundedVec<u8, ConstU32<MAX_PUBLIC_INPUT_LEN>>),
	/// Only the input file's hash, size and location on chain.
	Committed(Artifact),
}

/// What a job on a circom circuit names besides its verifying key.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CircomJob {
	/// The witness generator, circom's `.wasm`.
	pub wasm: Artifact,
	/// The proving key, snarkjs's `.zkey`; its verifying key must be the job's circuit.
	pub zkey: Artifact,
	/// The input.
	pub input: InputData,
}

impl CircomJob {
	/// Whether every artifact is well formed and a public input is not empty.
	pub fn is_well_formed(&self) -> bool {
		self.wasm.is_well_formed() &&
			self.zkey.is_well_formed() &&
			match &self.input {
				InputData::Public(json) => !json.is_empty() && core::str::from_utf8(json).is_ok(),
				InputData::Committed(file) => file.is_well_formed(),
			}
	}
}

/// JSON forms of the fields, for the prover daemon's wire.
#[cfg(feature = "serde")]
mod json {
	pub mod hex32 {
		use serde::{Deserialize, Deserializer, Serializer};
		pub fn serialize<S: Serializer>(bytes: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
			s.collect_str(&crate::wire::Hex(*bytes))
		}
		pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
			crate::wire::Hex::<32>::deserialize(d).map(|h| h.0)
		}
	}
	pub mod text {
		use alloc::borrow::Cow;
		use frame_support::{traits::Get, BoundedVec};
		use serde::{Deserialize, Deserializer, Serializer};
		pub fn serialize<S: Serializer, N: Get<u32>>(bytes: &BoundedVec<u8, N>, s: S) -> Result<S::Ok, S::Error> {
			s.serialize_str(&alloc::string::String::from_utf8_lossy(bytes))
		}
		pub fn deserialize<'de, D: Deserializer<'de>, N: Get<u32>>(d: D) -> Result<BoundedVec<u8, N>, D::Error> {
			let text = <Cow<'de, str>>::deserialize(d)?;
			let len = text.len();
			text.as_bytes().to_vec().try_into().map_err(|_| serde::de::Error::custom(alloc::format!("{len} bytes, at most {}", N::get())))
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn artifact(url: &str, size: u64) -> Artifact {
		Artifact { sha256: [1; 32], size, location: url.as_bytes().to_vec().try_into().unwrap() }
	}

	#[test]
	fn only_http_urls_with_a_host_and_non_empty_files_are_well_formed() {
		assert!(artifact("http://127.0.0.1:8090/ab", 1).is_well_formed());
		assert!(artifact("https://example.org/x.zkey", 10).is_well_formed());
		for url in ["", "ftp://x/y", "file:///etc/passwd", "http://", "http:///x", "https://a b/"] {
			assert!(!artifact(url, 1).is_well_formed(), "{url}");
		}
		assert!(!artifact("http://x/y", 0).is_well_formed());
		let job = CircomJob { wasm: artifact("http://x/w", 1), zkey: artifact("http://x/z", 1), input: InputData::Public(Default::default()) };
		assert!(!job.is_well_formed(), "an empty public input");
	}
}
