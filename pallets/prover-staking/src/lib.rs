//! # Prover staking
//!
//! ## Overview
//!
//! The registry of provers. A prover registers with a stake, held from its account by a
//! fungible hold, and the circuits (verifying-key ids) it serves. Other pallets ask this one
//! whether a prover may take a job ([`Pallet::ensure_eligible`]); the stake backs the prover's
//! work, and it is what offences slash ([`Pallet::slash`], called by the slashing pallet).
//!
//! Stake leaves in two steps: [`Pallet::unbond`] moves some of the active stake into an
//! unbonding chunk that matures after `UnbondingPeriod` blocks, and
//! [`Pallet::withdraw_unbonded`] releases matured chunks. Unbonding chunks stay held, and stay
//! slashable, until withdrawn. No stake can be unbonded during the first `StakeLockPeriod` blocks
//! after registration.
//!
//! **Reserved stake.** Each active lock reserves the stake its price requires
//! ([`ProverRegistry::reserve`], called by pallet-jobs when a prover locks work; given back when
//! the lock ends), and a new lock needs the required stake on top of what is reserved. So one
//! stake backs one set of concurrent locks, never an unlimited number: a prover with 500 CLD
//! takes at most ten 50-CLD-tier locks at once. Reserved stake cannot be unbonded.
//!
//! A prover takes new jobs only while it is **active**: not chilled (by itself, with
//! [`Pallet::chill`]; undone with [`Pallet::activate`]), not suspended (after an offence, until
//! a block: [`Pallet::suspend`]) and not banned (for fraud: [`Pallet::ban`]). Jobs it already
//! holds are not affected. Provers send a [`Pallet::heartbeat`] at most once per
//! `HeartbeatInterval`; the reputation pallet counts them as uptime.
//!
//! ## Terms
//!
//! - **Active stake**: the part of the stake that counts for eligibility; `0` or at least
//!   `MinimumStake`.
//! - **Unbonding chunk**: stake on its way out, with the block from which it can be withdrawn.
//! - **Held**: active stake plus unbonding chunks, held with [`HoldReason::ProverStake`].
//! - **Required stake**: the active stake a job of a given price requires (`RequiredStake`,
//!   the stake tiers).
//! - **Reserved stake**: the sum of the required stakes of the prover's active locks.
//! - Amounts are base units (12 decimals on Cloudana); periods are blocks.
//!
//! ## Calls
//!
//! - [`Pallet::register`]: become a prover with a stake and a set of circuits.
//! - [`Pallet::bond_extra`]: add to the active stake.
//! - [`Pallet::unbond`]: start unbonding part of the active stake.
//! - [`Pallet::withdraw_unbonded`]: release matured chunks; leave once nothing is left.
//! - [`Pallet::set_circuits`]: change the circuits served.
//! - [`Pallet::heartbeat`]: say the prover is up.
//! - [`Pallet::chill`] / [`Pallet::activate`]: stop / resume taking new jobs.
//!
//! ## Coupling
//!
//! Reputation tiers come through [`Config::Reputation`] ([`ReputationTier`]; `()` allows every
//! price) and heartbeats go out through [`Config::OnHeartbeat`]. This pallet implements, for
//! itself, [`ProverRegistry`] (for pallet-jobs: eligibility and reserved stake) and
//! [`StakeLedger`] (for pallet-slashing: slash, suspend, lift, ban); the runtime wires them.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use cloudana_primitives::{
	traits::{OnHeartbeat, ProverRegistry, ReputationTier, StakeLedger},
	CircuitId, Ineligibility,
};
pub use pallet::*;
pub use types::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
mod types;
pub mod weights;

pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{BalancedHold, Credit, Inspect, Mutate, MutateHold},
			tokens::Precision,
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::{Convert, Saturating, Zero};

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency stakes are held in.
		type Currency: Inspect<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ BalancedHold<Self::AccountId>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The least active stake a prover may have, base units.
		#[pallet::constant]
		type MinimumStake: Get<BalanceOf<Self>>;

		/// Blocks an unbonding chunk waits before it can be withdrawn. Must exceed the longest
		/// proof timeout plus the dispute window, so stake cannot leave before its work is judged.
		#[pallet::constant]
		type UnbondingPeriod: Get<BlockNumberFor<Self>>;

		/// Blocks after registration during which no stake can be unbonded.
		#[pallet::constant]
		type StakeLockPeriod: Get<BlockNumberFor<Self>>;

		/// The most circuits a prover may serve.
		#[pallet::constant]
		type MaxCircuits: Get<u32>;

		/// The most unbonding chunks a prover may have at once.
		#[pallet::constant]
		type MaxUnbondingChunks: Get<u32>;

		/// The active stake a job of a given price (base units) requires: the stake tiers.
		type RequiredStake: Convert<BalanceOf<Self>, BalanceOf<Self>>;

		/// Whether a prover's reputation tier allows a job price.
		type Reputation: ReputationTier<Self::AccountId, BalanceOf<Self>>;

		/// Told of every heartbeat.
		type OnHeartbeat: OnHeartbeat<Self::AccountId, BlockNumberFor<Self>>;

		/// The fewest blocks between two heartbeats of a prover.
		#[pallet::constant]
		type HeartbeatInterval: Get<BlockNumberFor<Self>>;

		/// The longest a job can keep stake at risk, blocks: the longest lock window plus the
		/// longest proof timeout. `integrity_test` checks `UnbondingPeriod` against it.
		#[pallet::constant]
		type MaxJobDuration: Get<BlockNumberFor<Self>>;

		/// Blocks after a job during which an offence can still be judged and its slash applied
		/// (the slash deferral, and later the dispute window).
		#[pallet::constant]
		type DisputeWindow: Get<BlockNumberFor<Self>>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A prover's stake, active or unbonding.
		#[codec(index = 0)]
		ProverStake,
	}

	/// Registered provers.
	#[pallet::storage]
	pub type Provers<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ProverOf<T>>;

	/// Base units at stake in open disputes about each prover's work (pallet-disputes), summed:
	/// a withdrawal leaves the prover at least this much slashable stake, so every verdict can
	/// still take what its dispute kept. The rest of the stake may leave. Removed at zero.
	#[pallet::storage]
	pub type DisputedStake<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, BalanceOf<T>, OptionQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A prover registered.
		ProverRegistered {
			/// The prover.
			prover: T::AccountId,
			/// Its active stake, base units.
			stake: BalanceOf<T>,
			/// The circuits it serves.
			circuits: BoundedVec<CircuitId, T::MaxCircuits>,
		},
		/// A prover added to its active stake.
		Bonded {
			/// The prover.
			prover: T::AccountId,
			/// Amount added, base units.
			amount: BalanceOf<T>,
			/// Active stake after, base units.
			stake: BalanceOf<T>,
		},
		/// A prover started unbonding part of its stake.
		Unbonded {
			/// The prover.
			prover: T::AccountId,
			/// Amount unbonding, base units.
			amount: BalanceOf<T>,
			/// The block from which it can be withdrawn.
			unlocks_at: BlockNumberFor<T>,
		},
		/// Matured unbonding chunks were released to the prover.
		Withdrawn {
			/// The prover.
			prover: T::AccountId,
			/// Amount released, base units.
			amount: BalanceOf<T>,
		},
		/// A prover with nothing left staked left the registry.
		ProverLeft {
			/// The prover.
			prover: T::AccountId,
		},
		/// A prover changed the circuits it serves.
		CircuitsSet {
			/// The prover.
			prover: T::AccountId,
			/// The circuits it now serves.
			circuits: BoundedVec<CircuitId, T::MaxCircuits>,
		},
		/// A prover sent a heartbeat.
		Heartbeat {
			/// The prover.
			prover: T::AccountId,
		},
		/// A prover stopped taking new jobs.
		Chilled {
			/// The prover.
			prover: T::AccountId,
		},
		/// A chilled prover takes new jobs again.
		Activated {
			/// The prover.
			prover: T::AccountId,
		},
		/// A prover was suspended after an offence.
		Suspended {
			/// The prover.
			prover: T::AccountId,
			/// The first block at which it may take jobs again.
			until: BlockNumberFor<T>,
		},
		/// A prover's suspension was lifted early (its slash was cancelled).
		SuspensionLifted {
			/// The prover.
			prover: T::AccountId,
		},
		/// A prover was banned for fraud.
		Banned {
			/// The prover.
			prover: T::AccountId,
		},
		/// Stake was slashed.
		Slashed {
			/// The prover.
			prover: T::AccountId,
			/// Amount taken, base units: from the active stake first, then from the unbonding
			/// chunks, newest first.
			amount: BalanceOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already a registered prover.
		AlreadyRegistered,
		/// The account is not a registered prover.
		NotRegistered,
		/// The active stake would be below `MinimumStake` (and not zero).
		StakeBelowMinimum,
		/// The account cannot afford to hold this amount.
		InsufficientBalance,
		/// The amount is zero.
		ZeroAmount,
		/// The amount exceeds the active stake.
		InsufficientStake,
		/// Stake cannot be unbonded during the first `StakeLockPeriod` blocks.
		StakeLocked,
		/// The prover already has `MaxUnbondingChunks` chunks unbonding.
		TooManyUnbondingChunks,
		/// No unbonding chunk has matured.
		NothingToWithdraw,
		/// A prover must serve at least one circuit.
		NoCircuits,
		/// A circuit is listed twice.
		DuplicateCircuit,
		/// The account was banned for fraud and cannot register again.
		Banned,
		/// The last heartbeat was less than `HeartbeatInterval` blocks ago.
		HeartbeatTooSoon,
		/// The prover is already chilled.
		AlreadyChilled,
		/// The prover is not chilled.
		NotChilled,
		/// The amount would leave less active stake than the prover's active locks reserve.
		StakeReserved,
		/// A dispute about the prover's work is open: its stake stays until the verdict.
		UnderDispute,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(!T::MinimumStake::get().is_zero(), "MinimumStake must be positive");
			assert!(!T::UnbondingPeriod::get().is_zero(), "UnbondingPeriod must be positive");
			assert!(T::MaxCircuits::get() > 0, "MaxCircuits must be positive");
			assert!(T::MaxUnbondingChunks::get() > 0, "MaxUnbondingChunks must be positive");
			assert!(!T::HeartbeatInterval::get().is_zero(), "HeartbeatInterval must be positive");
			assert!(
				T::UnbondingPeriod::get() >= T::MaxJobDuration::get().saturating_add(T::DisputeWindow::get()),
				"UnbondingPeriod must cover the longest job plus the dispute window, so stake stays slashable"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register as a prover.
		///
		/// - Origin: signed; the signer becomes the prover.
		/// - `stake`: active stake to hold, base units, at least `MinimumStake`.
		/// - `circuits`: the verifying-key ids the prover serves, 1 to `MaxCircuits`, distinct.
		///
		/// Holds `stake` from the prover with [`HoldReason::ProverStake`] and records it.
		///
		/// Emits [`Event::ProverRegistered`].
		///
		/// Errors: [`Error::Banned`], [`Error::AlreadyRegistered`], [`Error::StakeBelowMinimum`],
		/// [`Error::NoCircuits`], [`Error::DuplicateCircuit`], [`Error::InsufficientBalance`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register())]
		pub fn register(
			origin: OriginFor<T>,
			#[pallet::compact] stake: BalanceOf<T>,
			circuits: BoundedVec<CircuitId, T::MaxCircuits>,
		) -> DispatchResult {
			let prover = ensure_signed(origin)?;
			if let Some(existing) = Provers::<T>::get(&prover) {
				ensure!(!existing.banned, Error::<T>::Banned);
				return Err(Error::<T>::AlreadyRegistered.into());
			}
			ensure!(stake >= T::MinimumStake::get(), Error::<T>::StakeBelowMinimum);
			Self::check_circuits(&circuits)?;
			T::Currency::hold(&HoldReason::ProverStake.into(), &prover, stake)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			Provers::<T>::insert(
				&prover,
				Prover {
					stake,
					unbonding: BoundedVec::new(),
					circuits: circuits.clone(),
					reserved: Zero::zero(),
					registered_at: frame_system::Pallet::<T>::block_number(),
					last_heartbeat: None,
					chilled: false,
					suspended_until: None,
					banned: false,
				},
			);
			Self::deposit_event(Event::ProverRegistered { prover, stake, circuits });
			Ok(())
		}

		/// Add to the active stake.
		///
		/// - Origin: signed by a registered prover.
		/// - `amount`: base units to hold in addition, more than zero.
		///
		/// Emits [`Event::Bonded`].
		///
		/// Errors: [`Error::NotRegistered`], [`Error::ZeroAmount`], [`Error::StakeBelowMinimum`]
		/// (a prover that unbonded everything must bond at least `MinimumStake` again),
		/// [`Error::InsufficientBalance`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::bond_extra())]
		pub fn bond_extra(origin: OriginFor<T>, #[pallet::compact] amount: BalanceOf<T>) -> DispatchResult {
			let prover = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			let stake = Provers::<T>::try_mutate(&prover, |entry| {
				let info = entry.as_mut().ok_or(Error::<T>::NotRegistered)?;
				let stake = info.stake.saturating_add(amount);
				ensure!(stake >= T::MinimumStake::get(), Error::<T>::StakeBelowMinimum);
				T::Currency::hold(&HoldReason::ProverStake.into(), &prover, amount)
					.map_err(|_| Error::<T>::InsufficientBalance)?;
				info.stake = stake;
				Ok::<_, Error<T>>(stake)
			})?;
			Self::deposit_event(Event::Bonded { prover, amount, stake });
			Ok(())
		}

		/// Start unbonding part of the active stake.
		///
		/// - Origin: signed by a registered prover, at least `StakeLockPeriod` blocks after it
		///   registered.
		/// - `amount`: base units to unbond, at most the active stake less what active locks
		///   reserve; what stays active must be zero or at least `MinimumStake`. Unbonding
		///   everything makes the prover ineligible.
		///
		/// Moves `amount` into an unbonding chunk that can be withdrawn from block
		/// `now + UnbondingPeriod`; it stays held until then.
		///
		/// Emits [`Event::Unbonded`].
		///
		/// Errors: [`Error::NotRegistered`], [`Error::ZeroAmount`], [`Error::StakeLocked`],
		/// [`Error::InsufficientStake`], [`Error::StakeReserved`], [`Error::StakeBelowMinimum`],
		/// [`Error::TooManyUnbondingChunks`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::unbond())]
		pub fn unbond(origin: OriginFor<T>, #[pallet::compact] amount: BalanceOf<T>) -> DispatchResult {
			let prover = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			let now = frame_system::Pallet::<T>::block_number();
			let unlocks_at = now.saturating_add(T::UnbondingPeriod::get());
			Provers::<T>::try_mutate(&prover, |entry| {
				let info = entry.as_mut().ok_or(Error::<T>::NotRegistered)?;
				ensure!(
					now >= info.registered_at.saturating_add(T::StakeLockPeriod::get()),
					Error::<T>::StakeLocked
				);
				ensure!(amount <= info.stake, Error::<T>::InsufficientStake);
				let remaining = info.stake.saturating_sub(amount);
				ensure!(remaining >= info.reserved, Error::<T>::StakeReserved);
				ensure!(
					remaining.is_zero() || remaining >= T::MinimumStake::get(),
					Error::<T>::StakeBelowMinimum
				);
				info.unbonding
					.try_push(UnbondingChunk { amount, unlocks_at })
					.map_err(|_| Error::<T>::TooManyUnbondingChunks)?;
				info.stake = remaining;
				Ok::<_, Error<T>>(())
			})?;
			Self::deposit_event(Event::Unbonded { prover, amount, unlocks_at });
			Ok(())
		}

		/// Release matured unbonding chunks.
		///
		/// - Origin: signed by a registered prover.
		///
		/// Releases every chunk whose unlock block has come, except what open disputes about the
		/// prover's work keep at stake ([`DisputedStake`]): that part stays held as a matured
		/// chunk until their verdicts. A prover left with no active stake and no chunks leaves
		/// the registry (a banned one stays, so it cannot register again).
		///
		/// Emits [`Event::Withdrawn`], and [`Event::ProverLeft`] when the prover leaves.
		///
		/// Errors: [`Error::NotRegistered`], [`Error::NothingToWithdraw`] (no chunk has
		/// matured), [`Error::UnderDispute`] (every matured unit is at stake in a dispute).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::withdraw_unbonded())]
		pub fn withdraw_unbonded(origin: OriginFor<T>) -> DispatchResult {
			let prover = ensure_signed(origin)?;
			let mut info = Provers::<T>::get(&prover).ok_or(Error::<T>::NotRegistered)?;
			let now = frame_system::Pallet::<T>::block_number();
			let mut matured = BalanceOf::<T>::zero();
			info.unbonding.retain(|chunk| {
				let ripe = chunk.unlocks_at <= now;
				if ripe {
					matured = matured.saturating_add(chunk.amount);
				}
				!ripe
			});
			ensure!(!matured.is_zero(), Error::<T>::NothingToWithdraw);
			// What open disputes keep at stake stays slashable: withdraw only the excess.
			let at_stake = DisputedStake::<T>::get(&prover).unwrap_or_else(Zero::zero);
			let amount = matured.min(info.slashable().saturating_add(matured).saturating_sub(at_stake));
			ensure!(!amount.is_zero(), Error::<T>::UnderDispute);
			let kept = matured.saturating_sub(amount);
			if !kept.is_zero() {
				// At least one chunk matured and was taken out, so there is room for this one.
				info.unbonding
					.try_push(UnbondingChunk { amount: kept, unlocks_at: now })
					.map_err(|_| Error::<T>::TooManyUnbondingChunks)?;
			}
			T::Currency::release(&HoldReason::ProverStake.into(), &prover, amount, Precision::BestEffort)?;
			let leaves = info.stake.is_zero() && info.unbonding.is_empty() && info.reserved.is_zero() && !info.banned;
			if leaves {
				Provers::<T>::remove(&prover);
			} else {
				Provers::<T>::insert(&prover, info);
			}
			Self::deposit_event(Event::Withdrawn { prover: prover.clone(), amount });
			if leaves {
				Self::deposit_event(Event::ProverLeft { prover });
			}
			Ok(())
		}

		/// Replace the circuits the prover serves.
		///
		/// - Origin: signed by a registered prover.
		/// - `circuits`: verifying-key ids, 1 to `MaxCircuits`, distinct.
		///
		/// Emits [`Event::CircuitsSet`].
		///
		/// Errors: [`Error::NotRegistered`], [`Error::NoCircuits`], [`Error::DuplicateCircuit`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_circuits())]
		pub fn set_circuits(
			origin: OriginFor<T>,
			circuits: BoundedVec<CircuitId, T::MaxCircuits>,
		) -> DispatchResult {
			let prover = ensure_signed(origin)?;
			Self::check_circuits(&circuits)?;
			Provers::<T>::try_mutate(&prover, |entry| {
				let info = entry.as_mut().ok_or(Error::<T>::NotRegistered)?;
				info.circuits = circuits.clone();
				Ok::<_, Error<T>>(())
			})?;
			Self::deposit_event(Event::CircuitsSet { prover, circuits });
			Ok(())
		}

		/// Say the prover is up.
		///
		/// - Origin: signed by a registered prover, at least `HeartbeatInterval` blocks after
		///   its last heartbeat.
		///
		/// Records the block and tells [`Config::OnHeartbeat`] (the reputation pallet counts
		/// heartbeats as uptime).
		///
		/// Emits [`Event::Heartbeat`].
		///
		/// Errors: [`Error::NotRegistered`], [`Error::HeartbeatTooSoon`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::heartbeat())]
		pub fn heartbeat(origin: OriginFor<T>) -> DispatchResult {
			let prover = ensure_signed(origin)?;
			let now = frame_system::Pallet::<T>::block_number();
			Provers::<T>::try_mutate(&prover, |entry| {
				let info = entry.as_mut().ok_or(Error::<T>::NotRegistered)?;
				if let Some(last) = info.last_heartbeat {
					ensure!(now >= last.saturating_add(T::HeartbeatInterval::get()), Error::<T>::HeartbeatTooSoon);
				}
				info.last_heartbeat = Some(now);
				Ok::<_, Error<T>>(())
			})?;
			T::OnHeartbeat::on_heartbeat(&prover, now);
			Self::deposit_event(Event::Heartbeat { prover });
			Ok(())
		}

		/// Stop taking new jobs. Jobs already locked are not affected; the stake stays.
		///
		/// - Origin: signed by a registered prover that is not chilled.
		///
		/// Emits [`Event::Chilled`].
		///
		/// Errors: [`Error::NotRegistered`], [`Error::AlreadyChilled`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::chill())]
		pub fn chill(origin: OriginFor<T>) -> DispatchResult {
			let prover = ensure_signed(origin)?;
			Self::set_chilled(&prover, true)?;
			Self::deposit_event(Event::Chilled { prover });
			Ok(())
		}

		/// Take new jobs again after [`Pallet::chill`]. (A suspension or a ban still applies.)
		///
		/// - Origin: signed by a chilled prover.
		///
		/// Emits [`Event::Activated`].
		///
		/// Errors: [`Error::NotRegistered`], [`Error::NotChilled`].
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::activate())]
		pub fn activate(origin: OriginFor<T>) -> DispatchResult {
			let prover = ensure_signed(origin)?;
			Self::set_chilled(&prover, false)?;
			Self::deposit_event(Event::Activated { prover });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		fn check_circuits(circuits: &[CircuitId]) -> Result<(), Error<T>> {
			ensure!(!circuits.is_empty(), Error::<T>::NoCircuits);
			for (i, circuit) in circuits.iter().enumerate() {
				ensure!(!circuits[..i].contains(circuit), Error::<T>::DuplicateCircuit);
			}
			Ok(())
		}

		fn set_chilled(prover: &T::AccountId, chilled: bool) -> Result<(), Error<T>> {
			Provers::<T>::try_mutate(prover, |entry| {
				let info = entry.as_mut().ok_or(Error::<T>::NotRegistered)?;
				match (info.chilled, chilled) {
					(true, true) => Err(Error::<T>::AlreadyChilled),
					(false, false) => Err(Error::<T>::NotChilled),
					_ => {
						info.chilled = chilled;
						Ok(())
					},
				}
			})
		}

		/// What a slash of `who` could take now: its active stake plus its unbonding chunks,
		/// base units (zero for an unknown account).
		pub fn slashable(who: &T::AccountId) -> BalanceOf<T> {
			Provers::<T>::get(who).map(|info| info.slashable()).unwrap_or_else(Zero::zero)
		}

		/// Slashes up to `amount` of `who`'s held stake: the active stake first, then the
		/// unbonding chunks, newest first. Returns the slashed funds as a credit (an imbalance
		/// the caller distributes; dropping it burns them), whose value is what was taken: at
		/// most `amount`, and at most [`Pallet::slashable`].
		///
		/// Emits [`Event::Slashed`] when anything was taken.
		pub fn slash(who: &T::AccountId, amount: BalanceOf<T>) -> Credit<T::AccountId, T::Currency> {
			use frame_support::traits::Imbalance;
			let Some(mut info) = Provers::<T>::get(who) else { return Credit::<T::AccountId, T::Currency>::zero() };
			let amount = amount.min(info.slashable());
			let mut left = amount;
			let from_active = left.min(info.stake);
			info.stake = info.stake.saturating_sub(from_active);
			left = left.saturating_sub(from_active);
			for chunk in info.unbonding.iter_mut().rev() {
				let take = left.min(chunk.amount);
				chunk.amount = chunk.amount.saturating_sub(take);
				left = left.saturating_sub(take);
			}
			info.unbonding.retain(|chunk| !chunk.amount.is_zero());
			let (credit, _missing) = T::Currency::slash(&HoldReason::ProverStake.into(), who, amount);
			Provers::<T>::insert(who, info);
			if !credit.peek().is_zero() {
				Self::deposit_event(Event::Slashed { prover: who.clone(), amount: credit.peek() });
			}
			credit
		}

		/// Suspends `who` until block `until` (exclusive), or longer if it is already suspended
		/// beyond that. Does nothing for an unknown account.
		///
		/// Emits [`Event::Suspended`].
		pub fn suspend(who: &T::AccountId, until: BlockNumberFor<T>) {
			let updated = Provers::<T>::mutate(who, |entry| {
				let info = entry.as_mut()?;
				let until = info.suspended_until.map_or(until, |current| current.max(until));
				info.suspended_until = Some(until);
				Some(until)
			});
			if let Some(until) = updated {
				Self::deposit_event(Event::Suspended { prover: who.clone(), until });
			}
		}

		/// Lifts `who`'s suspension if it ends at `until`, the end a [`Pallet::suspend`] call
		/// set (a longer suspension from a later offence stays).
		///
		/// Emits [`Event::SuspensionLifted`] when it lifts one.
		pub fn lift_suspension(who: &T::AccountId, until: BlockNumberFor<T>) {
			let lifted = Provers::<T>::mutate(who, |entry| match entry.as_mut() {
				Some(info) if info.suspended_until == Some(until) => {
					info.suspended_until = None;
					true
				},
				_ => false,
			});
			if lifted {
				Self::deposit_event(Event::SuspensionLifted { prover: who.clone() });
			}
		}

		/// Bans `who` for good: it takes no new jobs and cannot register again. Its stake can
		/// still be unbonded and withdrawn. Does nothing for an unknown account.
		///
		/// Emits [`Event::Banned`].
		pub fn ban(who: &T::AccountId) {
			let banned = Provers::<T>::mutate(who, |entry| match entry.as_mut() {
				Some(info) if !info.banned => {
					info.banned = true;
					true
				},
				_ => false,
			});
			if banned {
				Self::deposit_event(Event::Banned { prover: who.clone() });
			}
		}

		/// A registered prover's record.
		pub fn prover(who: &T::AccountId) -> Option<ProverOf<T>> {
			Provers::<T>::get(who)
		}

		/// Whether `who` may take a job on `circuit` at `price` (base units): registered, not
		/// banned, not suspended, not chilled, with active stake, serving the circuit, with at
		/// least the required stake for the price on top of what its active locks reserve, and a
		/// reputation tier that allows it. Checked in that order.
		pub fn ensure_eligible(
			who: &T::AccountId,
			circuit: &CircuitId,
			price: BalanceOf<T>,
		) -> Result<(), Ineligibility> {
			let info = Provers::<T>::get(who).ok_or(Ineligibility::NotRegistered)?;
			Self::check_eligible(who, &info, circuit, price).map(|_| ())
		}

		/// The eligibility checks of [`Pallet::ensure_eligible`] on a loaded record; returns the
		/// stake the price requires.
		fn check_eligible(
			who: &T::AccountId,
			info: &ProverOf<T>,
			circuit: &CircuitId,
			price: BalanceOf<T>,
		) -> Result<BalanceOf<T>, Ineligibility> {
			if info.banned {
				return Err(Ineligibility::Banned);
			}
			if info.is_suspended(frame_system::Pallet::<T>::block_number()) {
				return Err(Ineligibility::Suspended);
			}
			if info.chilled {
				return Err(Ineligibility::Chilled);
			}
			if info.stake.is_zero() {
				return Err(Ineligibility::Inactive);
			}
			if !info.circuits.contains(circuit) {
				return Err(Ineligibility::CircuitNotServed);
			}
			let required = T::RequiredStake::convert(price);
			if info.stake < required {
				return Err(Ineligibility::StakeTooLow);
			}
			if info.free_stake() < required {
				return Err(Ineligibility::StakeCommitted);
			}
			if !T::Reputation::allows(who, price) {
				return Err(Ineligibility::ReputationTooLow);
			}
			Ok(required)
		}

		/// Checks eligibility and reserves the stake `price` requires for one more active lock;
		/// returns the amount reserved.
		pub fn reserve(
			who: &T::AccountId,
			circuit: &CircuitId,
			price: BalanceOf<T>,
		) -> Result<BalanceOf<T>, Ineligibility> {
			Provers::<T>::try_mutate(who, |entry| {
				let info = entry.as_mut().ok_or(Ineligibility::NotRegistered)?;
				let required = Self::check_eligible(who, info, circuit, price)?;
				info.reserved = info.reserved.saturating_add(required);
				Ok(required)
			})
		}

		/// Gives back `amount` reserved by [`Pallet::reserve`].
		pub fn unreserve(who: &T::AccountId, amount: BalanceOf<T>) {
			Provers::<T>::mutate(who, |entry| {
				if let Some(info) = entry.as_mut() {
					info.reserved = info.reserved.saturating_sub(amount);
				}
			});
		}

		/// Checks the pallet's invariants: each prover's held stake equals its active stake plus
		/// its unbonding chunks (what the pallet believes it holds is what is held), and no chunk
		/// is empty. (After a slash, active stake may be below `MinimumStake`, or the record
		/// empty: the prover keeps its state, suspension included, and bonds again to work.)
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use frame_support::traits::fungible::InspectHold;
			for (who, info) in Provers::<T>::iter() {
				ensure!(
					T::Currency::balance_on_hold(&HoldReason::ProverStake.into(), &who) == info.slashable(),
					"held stake differs from active plus unbonding stake"
				);
				ensure!(info.unbonding.iter().all(|chunk| !chunk.amount.is_zero()), "an empty unbonding chunk");
			}
			Ok(())
		}
	}
}

impl<T: Config> ProverRegistry<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn ensure_eligible(who: &T::AccountId, circuit: &CircuitId, price: BalanceOf<T>) -> Result<(), Ineligibility> {
		Pallet::<T>::ensure_eligible(who, circuit, price)
	}
	fn reserve(who: &T::AccountId, circuit: &CircuitId, price: BalanceOf<T>) -> Result<BalanceOf<T>, Ineligibility> {
		Pallet::<T>::reserve(who, circuit, price)
	}
	fn unreserve(who: &T::AccountId, amount: BalanceOf<T>) {
		Pallet::<T>::unreserve(who, amount)
	}
}

impl<T: Config> StakeLedger<T::AccountId, frame_system::pallet_prelude::BlockNumberFor<T>, T::Currency> for Pallet<T> {
	fn slashable(who: &T::AccountId) -> BalanceOf<T> {
		Pallet::<T>::slashable(who)
	}
	fn slash(
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> frame_support::traits::fungible::Credit<T::AccountId, T::Currency> {
		Pallet::<T>::slash(who, amount)
	}
	fn suspend(who: &T::AccountId, until: frame_system::pallet_prelude::BlockNumberFor<T>) {
		Pallet::<T>::suspend(who, until)
	}
	fn lift_suspension(who: &T::AccountId, until: frame_system::pallet_prelude::BlockNumberFor<T>) {
		Pallet::<T>::lift_suspension(who, until)
	}
	fn ban(who: &T::AccountId) {
		Pallet::<T>::ban(who)
	}
	fn dispute_opened(who: &T::AccountId, at_stake: BalanceOf<T>) {
		use sp_runtime::traits::{Saturating, Zero};
		if !at_stake.is_zero() {
			DisputedStake::<T>::mutate(who, |sum| *sum = Some(sum.unwrap_or_else(Zero::zero).saturating_add(at_stake)));
		}
	}
	fn dispute_closed(who: &T::AccountId, at_stake: BalanceOf<T>) {
		use sp_runtime::traits::{Saturating, Zero};
		DisputedStake::<T>::mutate(who, |sum| {
			*sum = sum.map(|s| s.saturating_sub(at_stake)).filter(|s| !s.is_zero());
		});
	}
}
