//! iden3's binary container (`binfileutils`), the envelope of snarkjs's `.zkey` and `.ptau`, and
//! the Montgomery point encoding both use.
//!
//! A file is a 4-byte magic (`zkey`, `ptau`), a `u32` version (1), a `u32` section count, then
//! the sections, each a `u32` id, a `u64` byte length and that many bytes. Integers are
//! little-endian. Readers find sections by id, so their order does not matter to them; snarkjs
//! refuses a file where an id appears twice (`startReadUniqueSection`), and so does [`sections`].
//!
//! Points ("LEM" in snarkjs's code) are affine, each coordinate 32 bytes little-endian in
//! Montgomery form (`x·R mod q`, `R = 2²⁵⁶`: arkworks' own internal form, so a copy of its limbs);
//! G2 coordinates are `c0 ‖ c1`; the identity is all zero bytes.

use ark_bn254::{Fq, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use std::{collections::BTreeMap, io::Write};

/// The sections of a container with `magic`, by id, or why it is not one. Every length is
/// checked against the bytes there are before anything is sliced.
pub fn sections<'a>(bytes: &'a [u8], magic: &[u8; 4]) -> Result<BTreeMap<u32, &'a [u8]>, String> {
	if bytes.len() < 12 || &bytes[..4] != magic {
		return Err(format!("no `{}` magic", String::from_utf8_lossy(magic)));
	}
	let version = u32::from_le_bytes(bytes[4..8].try_into().expect("4 bytes; qed"));
	if version != 1 {
		return Err(format!("container version {version}, not 1"));
	}
	let count = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes; qed"));
	let mut sections = BTreeMap::new();
	let mut at = 12usize;
	for _ in 0..count {
		let header = bytes.get(at..at + 12).ok_or("a section header is cut short")?;
		let id = u32::from_le_bytes(header[..4].try_into().expect("4 bytes; qed"));
		let len = u64::from_le_bytes(header[4..].try_into().expect("8 bytes; qed"));
		let start = at + 12;
		let end = usize::try_from(len).ok().and_then(|len| start.checked_add(len)).filter(|end| *end <= bytes.len());
		let end = end.ok_or_else(|| format!("section {id} runs past the end of the file"))?;
		if sections.insert(id, &bytes[start..end]).is_some() {
			return Err(format!("section {id} appears twice"));
		}
		at = end;
	}
	Ok(sections)
}

/// Writes a container's header: `magic`, version 1 and the number of sections to follow.
pub fn write_header(out: &mut impl Write, magic: &[u8; 4], sections: u32) -> std::io::Result<()> {
	out.write_all(magic)?;
	out.write_all(&1u32.to_le_bytes())?;
	out.write_all(&sections.to_le_bytes())
}

/// Writes one section: its id, its length and `body`.
pub fn write_section(out: &mut impl Write, id: u32, body: &[u8]) -> std::io::Result<()> {
	out.write_all(&id.to_le_bytes())?;
	out.write_all(&(body.len() as u64).to_le_bytes())?;
	out.write_all(body)
}

/// Appends `x` in Montgomery form, little-endian (32 bytes).
pub fn put_fq(out: &mut Vec<u8>, x: &Fq) {
	for limb in x.0 .0 {
		out.extend_from_slice(&limb.to_le_bytes());
	}
}

/// Appends a G1 point (64 bytes; the identity as zeros).
pub fn put_g1(out: &mut Vec<u8>, p: &G1Affine) {
	match p.xy() {
		Some((x, y)) => {
			put_fq(out, &x);
			put_fq(out, &y);
		},
		None => out.extend_from_slice(&[0u8; 64]),
	}
}

/// Appends a G2 point (128 bytes, `x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1`; the identity as zeros).
pub fn put_g2(out: &mut Vec<u8>, p: &G2Affine) {
	match p.xy() {
		Some((x, y)) => {
			for c in [x.c0, x.c1, y.c0, y.c1] {
				put_fq(out, &c);
			}
		},
		None => out.extend_from_slice(&[0u8; 128]),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn sections_round_trip_and_bad_containers_are_refused() {
		let mut file = Vec::new();
		write_header(&mut file, b"ptau", 2).unwrap();
		write_section(&mut file, 1, b"").unwrap();
		write_section(&mut file, 7, b"seven").unwrap();
		let read = sections(&file, b"ptau").unwrap();
		assert_eq!(read.get(&7), Some(&&b"seven"[..]));
		assert_eq!(read.get(&1), Some(&&b""[..]));
		assert!(sections(&file, b"zkey").unwrap_err().contains("magic"));
		assert!(sections(&file[..file.len() - 1], b"ptau").unwrap_err().contains("section 7 runs past"));
		assert!(sections(&file[..20], b"ptau").unwrap_err().contains("cut short"));
		let mut twice = Vec::new();
		write_header(&mut twice, b"ptau", 2).unwrap();
		write_section(&mut twice, 3, b"a").unwrap();
		write_section(&mut twice, 3, b"b").unwrap();
		assert!(sections(&twice, b"ptau").unwrap_err().contains("twice"));
		// A length that would overflow is refused, not allocated.
		let mut huge = Vec::new();
		write_header(&mut huge, b"ptau", 1).unwrap();
		huge.extend_from_slice(&2u32.to_le_bytes());
		huge.extend_from_slice(&u64::MAX.to_le_bytes());
		assert!(sections(&huge, b"ptau").is_err());
	}

	#[test]
	fn the_generators_encode_as_snarkjs_writes_them() {
		// snarkjs's LEM form of (1, 2): R mod q and 2R mod q.
		let mut g1 = Vec::new();
		put_g1(&mut g1, &G1Affine::generator());
		assert_eq!(
			hex::encode(g1),
			"9d0d8fc58d435dd33d0bc7f528eb780a2c4679786fa36e662fdf079ac1770a0e3a1b1e8b1b87baa67b168eeb51d6f114588cf2f0de46ddcc5ebe0f3483ef141c"
		);
		let mut zero = Vec::new();
		put_g2(&mut zero, &G2Affine::identity());
		assert_eq!(zero, vec![0u8; 128]);
	}
}
