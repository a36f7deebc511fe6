//! Storage migrations.
//!
//! | version | change | migration |
//! |---|---|---|
//! | 0 → 1 | [`ReputationRecord::last_active`] added (the last block the record's counters changed) | [`v1::MigrateV0ToV1`] |
//!
//! Each is a [`VersionedMigration`](frame_support::migrations::VersionedMigration): it runs
//! only when the on-chain storage version is its `FROM`, and sets it to its `TO` when done, so
//! a runtime can keep it in its `Migrations` across upgrades.

use crate::{Config, Pallet, ReputationRecord, Reputations};
use frame_support::{
	migrations::VersionedMigration,
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
};
use frame_system::pallet_prelude::BlockNumberFor;

/// Version 0 → 1.
pub mod v1 {
	use super::*;
	use codec::{Decode, Encode};

	/// A reputation record as storage version 0 wrote it: [`ReputationRecord`] without
	/// `last_active`.
	#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
	pub struct ReputationRecordV0<BlockNumber> {
		pub score: u16,
		pub completed: u32,
		pub on_time: u32,
		pub timeouts: u32,
		pub invalid_proofs: u32,
		pub repeated_failures: u32,
		pub disputes_lost: u32,
		pub ratings: u32,
		pub stars: u32,
		pub heartbeats: u32,
		pub since: BlockNumber,
	}

	impl<BlockNumber: Clone> ReputationRecordV0<BlockNumber> {
		/// The version-1 record: every counter kept, `last_active` = `since` (when the prover was
		/// last active before the upgrade is not on chain).
		pub fn upgrade(self) -> ReputationRecord<BlockNumber> {
			ReputationRecord {
				score: self.score,
				completed: self.completed,
				on_time: self.on_time,
				timeouts: self.timeouts,
				invalid_proofs: self.invalid_proofs,
				repeated_failures: self.repeated_failures,
				disputes_lost: self.disputes_lost,
				ratings: self.ratings,
				stars: self.stars,
				heartbeats: self.heartbeats,
				last_active: self.since.clone(),
				since: self.since,
			}
		}
	}

	/// Rewrites every [`Reputations`] entry from [`ReputationRecordV0`]. An entry that does not
	/// decode as version 0 is dropped by `translate` and logged; `try-runtime`'s
	/// `post_upgrade` fails on any such loss.
	pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut translated = 0u64;
			Reputations::<T>::translate::<ReputationRecordV0<BlockNumberFor<T>>, _>(|_, old| {
				translated += 1;
				Some(old.upgrade())
			});
			log::info!(target: "runtime::reputation", "migrated {translated} reputation records to storage version 1");
			T::DbWeight::get().reads_writes(translated, translated)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			// Every version-0 record, raw: post_upgrade checks each one survived, counters intact.
			let records: alloc::vec::Vec<(T::AccountId, ReputationRecordV0<BlockNumberFor<T>>)> =
				Reputations::<T>::iter_keys()
					.map(|who| {
						let raw = frame_support::storage::unhashed::get_raw(&Reputations::<T>::hashed_key_for(&who))
							.ok_or("a listed reputation key has no value")?;
						let old = ReputationRecordV0::decode(&mut &raw[..])
							.map_err(|_| "a reputation record does not decode as version 0")?;
						Ok((who, old))
					})
					.collect::<Result<_, sp_runtime::TryRuntimeError>>()?;
			Ok(records.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			let before: alloc::vec::Vec<(T::AccountId, ReputationRecordV0<BlockNumberFor<T>>)> =
				Decode::decode(&mut &state[..]).map_err(|_| "pre_upgrade's state does not decode")?;
			frame_support::ensure!(
				Reputations::<T>::iter_keys().count() == before.len(),
				"the migration lost or added reputation records"
			);
			for (who, old) in before {
				let new = Reputations::<T>::get(&who).ok_or("a reputation record is gone")?;
				frame_support::ensure!(new == old.upgrade(), "a reputation record changed in migration");
			}
			Ok(())
		}
	}

	/// The migration to add to a runtime's `Migrations`: [`InnerMigrateV0ToV1`] when the
	/// pallet's on-chain storage version is 0, then version 1.
	pub type MigrateV0ToV1<T> =
		VersionedMigration<0, 1, InnerMigrateV0ToV1<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;
}
