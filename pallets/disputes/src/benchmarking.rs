//! Benchmarks for pallet-disputes (frame-benchmarking v2). The runtime's [`BenchmarkHelper`]
//! makes real slashes, completed work and referendum outcomes in the other pallets.

use super::*;
use crate::Pallet as Disputes;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get};
use frame_system::RawOrigin;
use sp_core::H256;
use sp_runtime::traits::Zero;

/// What benchmarks need from the rest of the runtime.
pub trait BenchmarkHelper<AccountId> {
	/// Gives `who` enough to pay bonds and referendum deposits.
	fn fund(who: &AccountId);
	/// Makes `prover` a staked prover with a pending slash on work of `requester`; with
	/// `unprovable`, work the chain can tell nobody could prove.
	fn pending_slash(prover: &AccountId, requester: &AccountId, unprovable: bool) -> SlashId;
	/// Work of `requester` that staked `prover` completed just now.
	fn completed_work(requester: &AccountId, prover: &AccountId) -> WorkId;
	/// Ends referendum `index`, approved or not.
	fn end_referendum(index: ReferendumIndex, approved: bool);
}

fn funded<T: Config>(name: &'static str) -> T::AccountId {
	let who: T::AccountId = account(name, 0, 0);
	T::BenchmarkHelper::fund(&who);
	who
}

/// A challenge of completed work: `(dispute, requester, prover)`.
fn challenged<T: Config>() -> Result<(DisputeId, T::AccountId, T::AccountId), BenchmarkError> {
	let (requester, prover) = (funded::<T>("requester"), funded::<T>("prover"));
	let work = T::BenchmarkHelper::completed_work(&requester, &prover);
	Disputes::<T>::challenge(RawOrigin::Signed(requester.clone()).into(), work, Reason::TrainingMismatch)?;
	Ok((NextDisputeId::<T>::get() - 1, requester, prover))
}

fn referendum<T: Config>(dispute: DisputeId) -> ReferendumIndex {
	match Disputes::<T>::dispute(dispute).map(|d| d.phase) {
		Some(Phase::Voting { referendum, .. }) => referendum,
		_ => panic!("the dispute is voting"),
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn appeal_slash() {
		let (prover, requester) = (funded::<T>("prover"), funded::<T>("requester"));
		let slash = T::BenchmarkHelper::pending_slash(&prover, &requester, false);

		#[extrinsic_call]
		_(RawOrigin::Signed(prover), slash, Reason::RequesterFault);

		assert!(Subjects::<T>::contains_key(Subject::Slash(slash)));
	}

	/// The chain decides at once: the slash is cancelled in the same call.
	#[benchmark]
	fn appeal_slash_automatic() {
		let (prover, requester) = (funded::<T>("prover"), funded::<T>("requester"));
		let slash = T::BenchmarkHelper::pending_slash(&prover, &requester, true);

		#[extrinsic_call]
		appeal_slash(RawOrigin::Signed(prover), slash, Reason::Unprovable);

		assert!(T::Slashes::pending(slash).is_none());
	}

	#[benchmark]
	fn challenge() {
		let (requester, prover) = (funded::<T>("requester"), funded::<T>("prover"));
		let work = T::BenchmarkHelper::completed_work(&requester, &prover);

		#[extrinsic_call]
		_(RawOrigin::Signed(requester), work, Reason::TrainingMismatch);

		assert!(Subjects::<T>::contains_key(Subject::Work(work)));
	}

	/// The respondent's first evidence (its bond placed), the longest note, the last place.
	#[benchmark]
	fn add_evidence() -> Result<(), BenchmarkError> {
		let (dispute, requester, prover) = challenged::<T>()?;
		for _ in 1..T::MaxEvidence::get() {
			Disputes::<T>::add_evidence(RawOrigin::Signed(requester.clone()).into(), dispute, H256::zero(), vec![])?;
		}
		let note = vec![b'x'; T::MaxNoteLen::get() as usize];

		#[extrinsic_call]
		_(RawOrigin::Signed(prover), dispute, H256::repeat_byte(1), note);

		let record = Disputes::<T>::dispute(dispute).ok_or(BenchmarkError::Weightless)?;
		assert_eq!(record.evidence.len() as u32, T::MaxEvidence::get());
		assert!(!record.respondent_bond.is_zero());
		Ok(())
	}

	/// The first round's ruling by its own referendum (the recorded index read and checked),
	/// once the evidence period is over.
	#[benchmark]
	fn rule() -> Result<(), BenchmarkError> {
		let (dispute, ..) = challenged::<T>()?;
		T::BenchmarkHelper::end_referendum(referendum::<T>(dispute), true);
		let now = frame_system::Pallet::<T>::block_number();
		frame_system::Pallet::<T>::set_block_number(now + T::EvidencePeriod::get());
		let origin = T::RulingOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, dispute, true);

		assert!(matches!(Disputes::<T>::dispute(dispute).map(|d| d.phase), Some(Phase::Ruled { upheld: true, .. })));
		Ok(())
	}

	#[benchmark]
	fn appeal() -> Result<(), BenchmarkError> {
		let (dispute, _, prover) = challenged::<T>()?;
		T::BenchmarkHelper::end_referendum(referendum::<T>(dispute), true);
		Disputes::<T>::conclude(RawOrigin::Signed(prover.clone()).into(), dispute)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(prover), dispute);

		assert!(Disputes::<T>::dispute(dispute).and_then(|d| d.appeal).is_some());
		Ok(())
	}

	/// The worst verdict: an appeal that overturns a rejected challenge into fraud (the stake
	/// slashed and split, both sides' bonds and the appeal bond moved).
	#[benchmark]
	fn conclude() -> Result<(), BenchmarkError> {
		let (dispute, requester, prover) = challenged::<T>()?;
		Disputes::<T>::add_evidence(RawOrigin::Signed(prover.clone()).into(), dispute, H256::zero(), vec![])?;
		T::BenchmarkHelper::end_referendum(referendum::<T>(dispute), false);
		Disputes::<T>::conclude(RawOrigin::Signed(requester.clone()).into(), dispute)?;
		Disputes::<T>::appeal(RawOrigin::Signed(requester.clone()).into(), dispute)?;
		T::BenchmarkHelper::end_referendum(referendum::<T>(dispute), true);

		#[extrinsic_call]
		_(RawOrigin::Signed(requester), dispute);

		assert!(Disputes::<T>::dispute(dispute).is_none());
		Ok(())
	}

	impl_benchmark_test_suite!(Disputes, crate::mock::new_test_ext(), crate::mock::Test);
}
