//! What the node tells its prover off-chain worker, through the off-chain PERSISTENT storage
//! (`sp_offchain::STORAGE_PREFIX`). The node writes these keys from its command line
//! (`--prover-endpoint`, `--prover-token-file`, `--prover-min-price`,
//! `--prover-max-collateral`, `--prover-max-collateral-ratio`, `--dev-block-time`); the worker in
//! pallet-jobs reads them. All values are SCALE-encoded.

use codec::{Decode, Encode};

/// The prover daemon's URL (`Vec<u8>`, e.g. `http://127.0.0.1:9955`); empty or absent turns the
/// worker off.
pub const ENDPOINT_KEY: &[u8] = b"cloudana::prover-endpoint";
/// The daemon's bearer token (`Vec<u8>`), sent as `Authorization: Bearer <token>`.
pub const TOKEN_KEY: &[u8] = b"cloudana::prover-token";
/// The operator's [`ProverPolicy`].
pub const POLICY_KEY: &[u8] = b"cloudana::prover-policy";
/// Milliseconds per block as this node produces or sees them (`u64`); absent means the
/// runtime's slot duration.
pub const BLOCK_TIME_KEY: &[u8] = b"cloudana::block-time-ms";

/// Which work the operator's worker may lock.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode)]
pub struct ProverPolicy {
	/// The lowest price locked at, base units: cheaper work waits until its price has risen.
	pub min_price: u128,
	/// The most collateral a lock may put at risk, base units.
	pub max_collateral: u128,
	/// The most collateral a lock may put at risk, in percent of its price.
	pub max_collateral_percent: u32,
}

impl Default for ProverPolicy {
	/// No minimum price; collateral at most 100 CLD and at most the price.
	fn default() -> Self {
		ProverPolicy { min_price: 0, max_collateral: 100_000_000_000_000, max_collateral_percent: 100 }
	}
}

impl ProverPolicy {
	/// Whether a lock at `price` with `collateral` (base units) fits the policy; `Err` says why
	/// not.
	pub fn admits(&self, price: u128, collateral: u128) -> Result<(), &'static str> {
		if price < self.min_price {
			return Err("price below --prover-min-price");
		}
		if collateral > self.max_collateral {
			return Err("collateral above --prover-max-collateral");
		}
		if collateral.saturating_mul(100) > price.saturating_mul(self.max_collateral_percent as u128) {
			return Err("collateral above --prover-max-collateral-ratio of the price");
		}
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_policy_bounds_price_collateral_and_their_ratio() {
		let policy = ProverPolicy { min_price: 10, max_collateral: 50, max_collateral_percent: 100 };
		assert_eq!(policy.admits(10, 10), Ok(()));
		assert!(policy.admits(9, 0).is_err());
		assert!(policy.admits(100, 51).is_err());
		assert!(policy.admits(20, 21).is_err(), "collateral above the price");
		assert_eq!(ProverPolicy::default().admits(5, 5), Ok(()));
	}
}
