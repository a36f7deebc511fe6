//! Big-endian reading with the offset and the shortfall named on error.

/// Input ended early: `needed` bytes were required at `at`, `available` remained.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Short {
	pub at: usize,
	pub needed: usize,
	pub available: usize,
}

/// A cursor over a byte slice.
pub struct Reader<'a> {
	bytes: &'a [u8],
	at: usize,
}

impl<'a> Reader<'a> {
	pub fn new(bytes: &'a [u8]) -> Self {
		Self { bytes, at: 0 }
	}

	pub fn position(&self) -> usize {
		self.at
	}

	pub fn remaining(&self) -> usize {
		self.bytes.len() - self.at
	}

	pub fn take(&mut self, n: usize) -> Result<&'a [u8], Short> {
		if self.remaining() < n {
			return Err(Short { at: self.at, needed: n, available: self.remaining() });
		}
		let out = &self.bytes[self.at..self.at + n];
		self.at += n;
		Ok(out)
	}

	pub fn array<const N: usize>(&mut self) -> Result<[u8; N], Short> {
		let mut out = [0u8; N];
		out.copy_from_slice(self.take(N)?);
		Ok(out)
	}

	pub fn u8(&mut self) -> Result<u8, Short> {
		Ok(self.array::<1>()?[0])
	}

	pub fn u16(&mut self) -> Result<u16, Short> {
		Ok(u16::from_be_bytes(self.array()?))
	}

	pub fn u32(&mut self) -> Result<u32, Short> {
		Ok(u32::from_be_bytes(self.array()?))
	}

	pub fn u64(&mut self) -> Result<u64, Short> {
		Ok(u64::from_be_bytes(self.array()?))
	}

	/// Everything left.
	pub fn rest(&mut self) -> &'a [u8] {
		let out = &self.bytes[self.at..];
		self.at = self.bytes.len();
		out
	}
}
