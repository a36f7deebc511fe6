//! # Verifier
//!
//! ## Overview
//!
//! The registry of Groth16 (BN254) verifying keys, and verification of proofs against them. The
//! pairing runs natively, through the `cloudana_groth16` host functions the node registers, so a
//! verification costs about as much as a native one.
//!
//! A key is registered once, by anyone, against a deposit held from the registrant; it is named
//! by its hash and prepared on registration (the pairing `e(α, β)` and the Miller-loop
//! coefficients of `γ` and `δ` are computed once and stored), so that each verification does
//! only the work that depends on the proof. The owner can unregister a key no job uses, and gets
//! the deposit back.
//!
//! ## Terms
//!
//! - **Verifying key (VK)**: a Groth16 key in EIP-197 encoding, `α ∈ G1, β, γ, δ ∈ G2` and
//!   `IC₀ … ICₙ ∈ G1` for `n` public inputs. See `cloudana_groth16` for the byte layouts.
//! - **VK id**: `blake2_256(α ‖ β ‖ γ ‖ δ ‖ IC₀ ‖ … ‖ ICₙ)`, as an `H256`.
//! - **Prepared key**: the stored form of a key (`cloudana_groth16::verifier::prepared_key_len`
//!   bytes, about 34 KiB).
//! - **Consumers**: the number of live jobs that use a key; a key with consumers cannot be
//!   unregistered.
//! - **Deposit**: `DepositBase + DepositPerByte × prepared key length`, held from the owner with
//!   [`HoldReason::VerifyingKeyDeposit`] for as long as the key is registered. Base units
//!   (12 decimals on Cloudana).
//!
//! ## Calls
//!
//! - [`Pallet::register_vk`]: validate, prepare and store a verifying key; hold the deposit.
//! - [`Pallet::unregister_vk`]: remove an unused key; release the deposit.
//! - [`Pallet::revoke_vk`]: governance removes a key, used or not, and records it as revoked:
//!   work on it is provably unprovable (a prover slashed for it is cleared at once on appeal).
//!
//! ## Interface for other pallets
//!
//! This pallet implements, for itself, the [`Verifier`] trait pallet-jobs needs (input count,
//! acquire and release a key, verify one proof or a batch) and the [`CircuitOwner`] trait
//! pallet-reputation needs; the runtime wires them.
//!
//! ## Batches
//!
//! [`Pallet::verify_batch`] verifies many proofs under one key with one host call
//! (`cloudana_groth16::host::groth_16::verify_batch_prepared`: a random linear combination
//! with Fiat–Shamir coefficients, one multi-Miller loop and one final exponentiation; the
//! derivation and its soundness are documented on `cloudana_groth16::verifier`). Statements
//! that fail validation are refused one by one with their own error. If the combined check of
//! the rest fails, the batch is **bisected**: the left half is checked; if it holds its members
//! are valid and the right half is known to fail, else both halves are searched; a single
//! statement known to fail is invalid ([`cloudana_groth16::Groth16Error::ProofInvalid`]). Each
//! host call weighs [`WeightInfo::verify_batch`] for its size; the search makes a call only if
//! it fits in what is left of [`Pallet::bisection_weight`] (two more passes over the batch plus
//! two calls' overhead per halving level: enough to find one invalid proof in any batch, since
//! `count/2 + count/2 + count/4 + count/4 + … < 2·count`). Statements still undecided when it
//! runs out are [`Verdict::Unresolved`].

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use cloudana_primitives::{
	traits::{CircuitOwner, Verdict, Verifier, MAX_BENCHMARKED_BATCH},
	CircuitId, VerifyError,
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
	use alloc::{boxed::Box, vec::Vec};
	use cloudana_groth16::{host::groth_16, statement, Groth16Error, Proof, PublicInput};
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, Mutate, MutateHold},
			tokens::Precision,
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::Saturating;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency deposits are held in.
		type Currency: Inspect<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The most public inputs a registered key may have. At most
		/// `cloudana_groth16::MAX_PUBLIC_INPUTS` (64), at least 1.
		#[pallet::constant]
		type MaxPublicInputs: Get<u32>;

		/// Deposit held for any key, in base units.
		#[pallet::constant]
		type DepositBase: Get<BalanceOf<Self>>;

		/// Deposit held per byte of prepared key, in base units.
		#[pallet::constant]
		type DepositPerByte: Get<BalanceOf<Self>>;

		/// May revoke any key ([`Pallet::revoke_vk`]): Root.
		type RevokeOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of a registered verifying key.
		#[codec(index = 0)]
		VerifyingKeyDeposit,
	}

	/// Registered keys: owner, deposit, input count and consumers. Small; read on every job.
	#[pallet::storage]
	pub type VerifyingKeys<T: Config> = StorageMap<_, Identity, VkId, VkInfoOf<T>>;

	/// The prepared form of each registered key. Large; read only to verify.
	#[pallet::storage]
	pub type PreparedKeys<T: Config> =
		StorageMap<_, Identity, VkId, BoundedVec<u8, MaxPreparedKeyLen<T>>>;

	/// Keys governance revoked, and the block it did: work on them is provably unprovable. Only
	/// `RevokeOrigin` adds entries, one per key ever registered at most.
	#[pallet::storage]
	pub type Revoked<T: Config> = StorageMap<_, Identity, VkId, BlockNumberFor<T>>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A verifying key was registered.
		VkRegistered {
			/// The key's id.
			id: VkId,
			/// Who registered it and holds its deposit.
			owner: T::AccountId,
			/// Public inputs it verifies.
			public_inputs: u32,
			/// Deposit held, base units.
			deposit: BalanceOf<T>,
		},
		/// A verifying key was unregistered and its deposit released.
		VkUnregistered {
			/// The key's id.
			id: VkId,
			/// Its owner.
			owner: T::AccountId,
			/// Deposit released, base units.
			deposit: BalanceOf<T>,
		},
		/// Governance revoked a verifying key: removed, its deposit released, recorded in
		/// [`Revoked`].
		VkRevoked {
			/// The key's id.
			id: VkId,
			/// Its owner.
			owner: T::AccountId,
			/// Live jobs that used it (their work is now provably unprovable).
			consumers: u32,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// A key with this id is already registered.
		AlreadyRegistered,
		/// No key with this id is registered.
		VkNotFound,
		/// Only the key's owner may do this.
		NotOwner,
		/// Jobs still use this key.
		VkInUse,
		/// The owner cannot afford the deposit.
		InsufficientBalance,
		/// The key has more public inputs than `MaxPublicInputs`, or no `IC` point.
		TooManyPublicInputs,
		/// A coordinate is not a canonical field element (`≥ p`).
		NonCanonicalFieldElement,
		/// A point is not on its curve.
		PointNotOnCurve,
		/// A G2 point is outside the prime-order subgroup.
		PointNotInSubgroup,
		/// A point of the key is the identity (for an `IC` point: an unbound public input).
		IdentityInVerifyingKey,
		/// The key has `γ = δ`.
		GammaEqualsDelta,
		/// The key's bytes have the wrong length.
		MalformedEncoding,
	}

	impl<T: Config> From<Groth16Error> for Error<T> {
		fn from(error: Groth16Error) -> Self {
			match error {
				Groth16Error::NonCanonicalFieldElement(_) => Error::NonCanonicalFieldElement,
				Groth16Error::PointNotOnCurve(_) => Error::PointNotOnCurve,
				Groth16Error::PointNotInSubgroup(_) => Error::PointNotInSubgroup,
				Groth16Error::IdentityInVerifyingKey(_) | Groth16Error::IdentityInProof(_) =>
					Error::IdentityInVerifyingKey,
				Groth16Error::GammaEqualsDelta => Error::GammaEqualsDelta,
				Groth16Error::TooManyPublicInputs => Error::TooManyPublicInputs,
				_ => Error::MalformedEncoding,
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			let max = T::MaxPublicInputs::get();
			assert!(
				(1..=cloudana_groth16::MAX_PUBLIC_INPUTS).contains(&max),
				"MaxPublicInputs must be between 1 and {}",
				cloudana_groth16::MAX_PUBLIC_INPUTS
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register a Groth16 verifying key.
		///
		/// - Origin: signed; the signer becomes the key's owner.
		/// - `vk`: the key in EIP-197 encoding, with `1 + n` `IC` points for `n` public inputs,
		///   `1 ≤ n ≤ MaxPublicInputs`.
		///
		/// Validates every point (canonical, on the curve, in the subgroup, not the identity) and
		/// `γ ≠ δ`, prepares the key, stores it under its id (`blake2_256` of its flat bytes),
		/// and holds `DepositBase + DepositPerByte × prepared length` from the owner.
		///
		/// Emits [`Event::VkRegistered`].
		///
		/// Errors: [`Error::AlreadyRegistered`], [`Error::TooManyPublicInputs`],
		/// [`Error::NonCanonicalFieldElement`], [`Error::PointNotOnCurve`],
		/// [`Error::PointNotInSubgroup`], [`Error::IdentityInVerifyingKey`],
		/// [`Error::GammaEqualsDelta`], [`Error::InsufficientBalance`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_vk(vk.ic.len().saturating_sub(1) as u32))]
		pub fn register_vk(origin: OriginFor<T>, vk: Box<VerifyingKeyOf<T>>) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			let public_inputs = match vk.num_public_inputs() {
				Some(n) if (1..=T::MaxPublicInputs::get()).contains(&n) => n,
				_ => return Err(Error::<T>::TooManyPublicInputs.into()),
			};
			let id = VkId::from(statement::vk_id(&*vk));
			ensure!(!VerifyingKeys::<T>::contains_key(id), Error::<T>::AlreadyRegistered);

			let prepared = groth_16::prepare_verifying_key(&vk.to_flat_bytes()).map_err(Error::<T>::from)?;
			let prepared: BoundedVec<u8, MaxPreparedKeyLen<T>> =
				prepared.try_into().map_err(|_| Error::<T>::TooManyPublicInputs)?;
			let deposit = Self::deposit_for(prepared.len());
			T::Currency::hold(&HoldReason::VerifyingKeyDeposit.into(), &owner, deposit)
				.map_err(|_| Error::<T>::InsufficientBalance)?;

			VerifyingKeys::<T>::insert(
				id,
				VkInfo { owner: owner.clone(), deposit, public_inputs, consumers: 0 },
			);
			PreparedKeys::<T>::insert(id, prepared);
			Self::deposit_event(Event::VkRegistered { id, owner, public_inputs, deposit });
			Ok(())
		}

		/// Unregister a verifying key and release its deposit.
		///
		/// - Origin: signed by the key's owner.
		/// - `id`: the key's id.
		///
		/// Removes the key and releases its deposit to the owner. A key that live jobs use
		/// (consumers > 0) cannot be removed.
		///
		/// Emits [`Event::VkUnregistered`].
		///
		/// Errors: [`Error::VkNotFound`], [`Error::NotOwner`], [`Error::VkInUse`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::unregister_vk())]
		pub fn unregister_vk(origin: OriginFor<T>, id: VkId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let info = VerifyingKeys::<T>::get(id).ok_or(Error::<T>::VkNotFound)?;
			ensure!(info.owner == who, Error::<T>::NotOwner);
			ensure!(info.consumers == 0, Error::<T>::VkInUse);

			T::Currency::release(
				&HoldReason::VerifyingKeyDeposit.into(),
				&who,
				info.deposit,
				Precision::BestEffort,
			)?;
			VerifyingKeys::<T>::remove(id);
			PreparedKeys::<T>::remove(id);
			Self::deposit_event(Event::VkUnregistered { id, owner: who, deposit: info.deposit });
			Ok(())
		}

		/// Revoke a verifying key (governance): for a key found broken, whose work nobody can
		/// prove.
		///
		/// - Origin: `RevokeOrigin` (Root).
		/// - `id`: a registered key's id.
		///
		/// Removes the key even if live jobs use it (their proofs then fail for a reason not
		/// the proof's: no offence), releases its deposit to the owner, and records it in
		/// [`Revoked`], which makes work on it provably unprovable: an `Unprovable` appeal of a
		/// slash on it is upheld at once. A key its owner unregisters is not revoked: only
		/// governance can clear slashes this way.
		///
		/// Emits [`Event::VkRevoked`].
		///
		/// Errors: `BadOrigin`, [`Error::VkNotFound`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::revoke_vk())]
		pub fn revoke_vk(origin: OriginFor<T>, id: VkId) -> DispatchResult {
			T::RevokeOrigin::ensure_origin(origin)?;
			let info = VerifyingKeys::<T>::get(id).ok_or(Error::<T>::VkNotFound)?;
			T::Currency::release(&HoldReason::VerifyingKeyDeposit.into(), &info.owner, info.deposit, Precision::BestEffort)?;
			VerifyingKeys::<T>::remove(id);
			PreparedKeys::<T>::remove(id);
			Revoked::<T>::insert(id, frame_system::Pallet::<T>::block_number());
			Self::deposit_event(Event::VkRevoked { id, owner: info.owner, consumers: info.consumers });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The deposit for a prepared key of `len` bytes.
		pub fn deposit_for(len: usize) -> BalanceOf<T> {
			T::DepositPerByte::get()
				.saturating_mul((len as u32).into())
				.saturating_add(T::DepositBase::get())
		}

		/// A registered key's record.
		pub fn key_info(id: &VkId) -> Option<VkInfoOf<T>> {
			VerifyingKeys::<T>::get(id)
		}

		/// Verifies `proof` for `public_inputs` against the registered key `id`, natively.
		///
		/// Weight: [`WeightInfo::verify_proof`] with the input count; the caller accounts for it.
		pub fn verify(
			id: &VkId,
			public_inputs: &[PublicInput],
			proof: &Proof,
		) -> Result<(), VerifyError> {
			let prepared = PreparedKeys::<T>::get(id).ok_or(VerifyError::UnknownKey)?;
			groth_16::verify_prepared(
				&prepared,
				&cloudana_groth16::flatten_public_inputs(public_inputs),
				&proof.to_bytes(),
			)
			.map_err(VerifyError::Rejected)
		}

		/// Verifies `statements` (each a full statement and its proof) under key `id` together,
		/// bisecting a batch that fails (see "Batches" above). Returns one verdict per statement
		/// and the weight of every host call after the first.
		pub fn verify_batch(id: &VkId, statements: &[(Vec<PublicInput>, Proof)]) -> (Vec<Verdict>, Weight) {
			let count = statements.len();
			let (Some(prepared), Some(info)) = (PreparedKeys::<T>::get(id), VerifyingKeys::<T>::get(id)) else {
				return (alloc::vec![Verdict::Invalid(VerifyError::UnknownKey); count], Weight::zero());
			};
			let n = info.public_inputs;
			let mut verdicts = alloc::vec![Verdict::Unresolved; count];
			let mut pending: Vec<usize> = Vec::with_capacity(count);
			for (i, (inputs, _)) in statements.iter().enumerate() {
				if inputs.len() as u32 == n {
					pending.push(i);
				} else {
					verdicts[i] = Verdict::Invalid(VerifyError::Rejected(Groth16Error::PublicInputCountMismatch {
						expected: n,
						got: inputs.len() as u32,
					}));
				}
			}
			// One host call over `group`: the members it refuses get their verdict; returns
			// the rest and whether their combined check holds.
			let check = |group: &[usize], verdicts: &mut Vec<Verdict>| -> (Vec<usize>, bool) {
				let inputs: Vec<u8> = group.iter().flat_map(|i| cloudana_groth16::flatten_public_inputs(&statements[*i].0)).collect();
				let proofs: Vec<u8> = group.iter().flat_map(|i| statements[*i].1.to_bytes()).collect();
				match groth_16::verify_batch_prepared(&prepared, &inputs, &proofs) {
					Ok(result) => {
						let mut rest = group.to_vec();
						for (index, error) in result.malformed.iter().rev() {
							let member = rest.remove(*index as usize);
							verdicts[member] = Verdict::Invalid(VerifyError::Rejected(*error));
						}
						(rest, result.holds)
					},
					Err(error) => {
						for member in group {
							verdicts[*member] = Verdict::Invalid(VerifyError::Rejected(error));
						}
						(Vec::new(), true)
					},
				}
			};
			let mut weight = Weight::zero();
			let allowance = Self::bisection_weight(count as u32, n);
			// Checks `group` (every call after the first only if it fits in the allowance) and
			// marks its members valid if the check holds; returns the members it did not refuse
			// and whether their check held, or `None` if the allowance cannot pay for it.
			let mut try_group = |group: &[usize], verdicts: &mut Vec<Verdict>, charged: bool| {
				if charged {
					let after = weight.saturating_add(T::WeightInfo::verify_batch(group.len() as u32, n));
					if !after.all_lte(allowance) {
						return None;
					}
					weight = after;
				}
				let (rest, holds) = check(group, verdicts);
				if holds {
					rest.iter().for_each(|member| verdicts[*member] = Verdict::Valid);
				}
				Some((rest, holds))
			};
			// Groups still to decide: `(members, known to fail)`.
			let mut stack: Vec<(Vec<usize>, bool)> = alloc::vec![(pending, false)];
			let mut first = true;
			while let Some((group, failing)) = stack.pop() {
				if group.is_empty() {
					continue;
				}
				if failing && group.len() == 1 {
					verdicts[group[0]] = Verdict::Invalid(VerifyError::Rejected(Groth16Error::ProofInvalid));
					continue;
				}
				if !failing {
					// The whole group: the first check (paid by the caller's weight), or the right
					// half of a group whose left half failed too.
					if let Some((rest, false)) = try_group(&group, &mut verdicts, !core::mem::take(&mut first)) {
						stack.push((rest, true));
					}
					continue;
				}
				// A group known to fail: check its left half; if that holds, the right half
				// fails; if not, both halves are still to search.
				let (left, right) = group.split_at(group.len() / 2);
				match try_group(left, &mut verdicts, true) {
					None => {},
					Some((_, true)) => stack.push((right.to_vec(), true)),
					Some((left, false)) => {
						stack.push((right.to_vec(), false));
						stack.push((left, true));
					},
				}
			}
			(verdicts, weight)
		}

		/// The most [`Pallet::verify_batch`] spends after its first check, on `count` statements
		/// of `inputs` inputs: `2 × verify_batch(count) + 2⌈log₂ count⌉ × verify_batch(1)`.
		pub fn bisection_weight(count: u32, inputs: u32) -> Weight {
			let levels = u32::BITS - count.saturating_sub(1).leading_zeros();
			T::WeightInfo::verify_batch(count, inputs)
				.saturating_mul(2)
				.saturating_add(T::WeightInfo::verify_batch(1, inputs).saturating_mul(2 * levels as u64))
		}

		/// Counts one more consumer of key `id`, so it cannot be unregistered.
		pub fn acquire(id: &VkId) -> Result<VkInfoOf<T>, Error<T>> {
			VerifyingKeys::<T>::try_mutate(id, |info| {
				let info = info.as_mut().ok_or(Error::<T>::VkNotFound)?;
				info.consumers.saturating_inc();
				Ok(info.clone())
			})
		}

		/// Counts one consumer of key `id` fewer.
		pub fn release(id: &VkId) {
			VerifyingKeys::<T>::mutate(id, |info| {
				if let Some(info) = info {
					info.consumers.saturating_dec();
				}
			});
		}

		/// Checks the pallet's invariants: every key has its prepared form, of the right length,
		/// and each owner's held deposit covers the deposits of their keys.
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			use alloc::collections::btree_map::BTreeMap;
			use frame_support::traits::fungible::InspectHold;
			use sp_runtime::traits::Zero;
			let mut per_owner: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
			for (id, info) in VerifyingKeys::<T>::iter() {
				let prepared = PreparedKeys::<T>::get(id).ok_or("a key has no prepared form")?;
				ensure!(
					prepared.len() ==
						cloudana_groth16::verifier::prepared_key_len(info.public_inputs),
					"a prepared key has the wrong length"
				);
				let entry = per_owner.entry(info.owner.clone()).or_insert_with(Zero::zero);
				*entry = entry.saturating_add(info.deposit);
			}
			ensure!(
				PreparedKeys::<T>::iter_keys().all(|id| VerifyingKeys::<T>::contains_key(id)),
				"a prepared key has no record"
			);
			for (owner, deposits) in per_owner {
				ensure!(
					T::Currency::balance_on_hold(&HoldReason::VerifyingKeyDeposit.into(), &owner) >=
						deposits,
					"an owner's held deposit is below the deposits of their keys"
				);
			}
			Ok(())
		}
	}
}

impl<T: Config> Verifier for Pallet<T> {
	fn public_inputs(circuit: &CircuitId) -> Option<u32> {
		Pallet::<T>::key_info(circuit).map(|info| info.public_inputs)
	}
	fn revoked(circuit: &CircuitId) -> bool {
		Revoked::<T>::contains_key(circuit)
	}
	fn acquire(circuit: &CircuitId) -> sp_runtime::DispatchResult {
		Pallet::<T>::acquire(circuit).map(|_| ()).map_err(Into::into)
	}
	fn release(circuit: &CircuitId) {
		Pallet::<T>::release(circuit)
	}
	fn verify(
		circuit: &CircuitId,
		public_inputs: &[cloudana_groth16::PublicInput],
		proof: &cloudana_groth16::Proof,
	) -> Result<(), VerifyError> {
		Pallet::<T>::verify(circuit, public_inputs, proof)
	}
	fn verify_batch(
		circuit: &CircuitId,
		statements: &[(alloc::vec::Vec<cloudana_groth16::PublicInput>, cloudana_groth16::Proof)],
	) -> (alloc::vec::Vec<Verdict>, frame_support::weights::Weight) {
		Pallet::<T>::verify_batch(circuit, statements)
	}
	fn bisection_weight(count: u32, inputs: u32) -> frame_support::weights::Weight {
		Pallet::<T>::bisection_weight(count, inputs)
	}
}

impl<T: Config> CircuitOwner<T::AccountId> for Pallet<T> {
	fn owner(circuit: &CircuitId) -> Option<T::AccountId> {
		Pallet::<T>::key_info(circuit).map(|info| info.owner)
	}
}
