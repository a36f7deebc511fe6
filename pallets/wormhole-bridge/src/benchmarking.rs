//! Benchmarks for the bridge (frame-benchmarking v2). VAAs are signed for real, with guardian
//! keys made here (k256, deterministic), so `receive_message` and
//! `submit_guardian_set_upgrade` pay for every signature recovery they do: their weight is
//! linear in the signatures, each set as large as its signatures (all sign).

use super::*;
use crate::Pallet as Bridge;
use alloc::vec::Vec;
use cloudana_wormhole::{
	governance::{GuardianSetUpgrade, GOVERNANCE_CHAIN, GOVERNANCE_EMITTER},
	Body, Crypto, Signature, K256,
};
use frame_benchmarking::v2::*;
use frame_support::{
	pallet_prelude::*,
	traits::{fungible::Mutate, EnsureOrigin, Hooks},
};
use frame_system::RawOrigin;
use sp_runtime::traits::{Bounded, One};

/// What benchmarks need from the runtime.
pub trait BenchmarkHelper {
	/// Sets the block's time, Unix seconds.
	fn set_time(unix_seconds: u64);
}

impl BenchmarkHelper for () {
	fn set_time(_: u64) {}
}

const PEER: ChainId = 1;
const START: u64 = 1_750_000_000;

fn secret(set: u32, i: u32) -> [u8; 32] {
	K256.keccak256(&[b"bench-guardian".as_slice(), &set.to_be_bytes(), &i.to_be_bytes()].concat())
}

/// Installs guardian set `set` of `n` keys as the current one.
fn guardian_set<T: Config>(set: u32, n: u32) {
	let keys: Vec<Address> = (0..n).map(|i| K256.address_of(&secret(set, i)).expect("a valid key")).collect();
	GuardianSets::<T>::insert(set, GuardianSetInfo { keys: keys.try_into().expect("n ≤ MaxGuardians"), expiration_time: u64::MAX });
	CurrentGuardianSet::<T>::put(set);
}

/// `body` signed by all `n` guardians of `set`.
fn vaa<T: Config>(set: u32, n: u32, body: Body) -> VaaBytes<T> {
	let digest = body.digest(&K256);
	let signatures = (0..n)
		.map(|i| Signature { guardian_index: i as u8, signature: K256.sign(&secret(set, i), &digest).expect("a valid key") })
		.collect();
	cloudana_wormhole::Vaa { guardian_set_index: set, signatures, body }.encode().try_into().expect("fits MaxVaaLen")
}

fn unit<T: Config>() -> BalanceOf<T> {
	// 1 CLD with 12 decimals; crosses to 8 decimals without dust.
	1_000_000_000_000u128.try_into().ok().expect("CLD fits the balance")
}

/// The Solana-like peer (8 decimals), with limits `limit`, and the clock at `START`.
fn peer<T: Config>(limit: BalanceOf<T>) -> PeerConfig<BalanceOf<T>> {
	T::BenchmarkHelper::set_time(START);
	funds::endow::<T>();
	let config = PeerConfig { emitter: [0xE1; 32], manager: [0x3A; 32], decimals: 8, outbound_limit: limit, inbound_limit: limit };
	Peers::<T>::insert(PEER, Pallet::<T>::new_peer(&config, None, START));
	config
}

fn funded<T: Config>(name: &'static str) -> T::AccountId {
	let who: T::AccountId = account(name, 0, 0);
	T::Currency::set_balance(&who, unit::<T>() * 1_000_000u32.into());
	who
}

/// A peer's VAA returning `amount` units of 10⁻⁸ CLD to `to`.
fn returning<T: Config>(set: u32, n: u32, to: [u8; 32], amount: u64) -> VaaBytes<T> {
	let payload = cloudana_wormhole::ntt::Transfer {
		source_manager: [0x3A; 32],
		recipient_manager: Bridge::<T>::emitter_address(),
		sequence: 9,
		sender: [0x5E; 32],
		amount: TrimmedAmount { amount, decimals: 8 },
		source_token: [0x70; 32],
		to,
		to_chain: T::ChainId::get(),
	}
	.encode()
	.expect("fits");
	let body = Body {
		timestamp: START as u32,
		nonce: 0,
		emitter_chain: PEER,
		emitter_address: [0xE1; 32],
		sequence: 1,
		consistency_level: 32,
		payload,
	};
	vaa::<T>(set, n, body)
}

/// Sends `amount` away as `who`, queued when the limit is zero.
fn sent<T: Config>(who: &T::AccountId, amount: BalanceOf<T>) {
	Bridge::<T>::transfer(RawOrigin::Signed(who.clone()).into(), amount, PEER, [0xB0; 32]).expect("a valid transfer");
}

/// A unit sent to the peer and brought back over a zero inbound limit: queued. Returns the
/// relayer, the recipient and the queued transfer's digest.
fn queued_inbound<T: Config>() -> (T::AccountId, T::AccountId, [u8; 32]) {
	peer::<T>(BalanceOf::<T>::max_value());
	let alice = funded::<T>("alice");
	sent::<T>(&alice, unit::<T>());
	Peers::<T>::mutate(PEER, |p| p.as_mut().expect("registered").inbound = RateLimit::new(Zero::zero(), START));
	guardian_set::<T>(0, 1);
	let bob: T::AccountId = account("bob", 0, 0);
	Bridge::<T>::receive_message(
		RawOrigin::Signed(alice.clone()).into(),
		returning::<T>(0, 1, Bridge::<T>::account_bytes(&bob), 100_000_000),
	)
	.expect("a valid VAA");
	let digest = InboundQueue::<T>::iter_keys().next().expect("queued");
	(alice, bob, digest)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Within the limit: lock and publish.
	#[benchmark]
	fn transfer() {
		peer::<T>(BalanceOf::<T>::max_value());
		let alice = funded::<T>("alice");

		#[extrinsic_call]
		_(RawOrigin::Signed(alice), unit::<T>(), PEER, [0xB0; 32]);

		assert!(Outbox::<T>::contains_key(0));
	}

	/// Over the limit: lock, hold the deposit and queue.
	#[benchmark]
	fn transfer_queued() {
		peer::<T>(Zero::zero());
		let alice = funded::<T>("alice");

		#[extrinsic_call]
		transfer(RawOrigin::Signed(alice), unit::<T>(), PEER, [0xB0; 32]);

		assert!(OutboundQueue::<T>::contains_key(0));
	}

	/// `s` signatures of a set of `s` guardians; the amount goes to a new account.
	#[benchmark]
	fn receive_message(s: Linear<1, { T::MaxGuardians::get() }>) {
		peer::<T>(BalanceOf::<T>::max_value());
		let alice = funded::<T>("alice");
		sent::<T>(&alice, unit::<T>());
		guardian_set::<T>(0, s);
		let bob: T::AccountId = account("bob", 0, 0);
		let vaa = returning::<T>(0, s, Bridge::<T>::account_bytes(&bob), 100_000_000);

		#[extrinsic_call]
		_(RawOrigin::Signed(alice), vaa);

		assert_eq!(T::Currency::balance(&bob), unit::<T>());
	}

	#[benchmark]
	fn complete_outbound() {
		peer::<T>(Zero::zero());
		let alice = funded::<T>("alice");
		sent::<T>(&alice, unit::<T>());
		T::BenchmarkHelper::set_time(START + T::RateLimitDuration::get());

		#[extrinsic_call]
		complete_queued(RawOrigin::Signed(alice), Queued::Outbound(0));

		assert!(Outbox::<T>::contains_key(0));
	}

	#[benchmark]
	fn complete_inbound() {
		let (alice, bob, digest) = queued_inbound::<T>();
		T::BenchmarkHelper::set_time(START + T::RateLimitDuration::get());

		#[extrinsic_call]
		complete_queued(RawOrigin::Signed(alice), Queued::Inbound(digest));

		assert_eq!(T::Currency::balance(&bob), unit::<T>());
	}

	/// A queued inbound transfer cancelled (its peer's outstanding restored).
	#[benchmark]
	fn cancel_inbound() -> Result<(), BenchmarkError> {
		let (_, _, digest) = queued_inbound::<T>();
		let origin = T::PauseOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, digest);

		assert!(InboundQueue::<T>::get(digest).is_none());
		Ok(())
	}

	/// Unpausing both directions (the admin's path; pausing costs the same).
	#[benchmark]
	fn set_paused() -> Result<(), BenchmarkError> {
		Paused::<T>::put(Pause { outbound: true, inbound: true });
		let origin = T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, false, false);

		assert_eq!(Paused::<T>::get(), Pause::default());
		Ok(())
	}

	#[benchmark]
	fn cancel_queued() {
		peer::<T>(Zero::zero());
		let alice = funded::<T>("alice");
		sent::<T>(&alice, unit::<T>());

		#[extrinsic_call]
		_(RawOrigin::Signed(alice), 0);

		assert!(!OutboundQueue::<T>::contains_key(0));
	}

	/// Updating a peer (reads and rewrites it).
	#[benchmark]
	fn register_peer() -> Result<(), BenchmarkError> {
		let config = peer::<T>(unit::<T>());
		let origin = T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, PEER, config);

		Ok(())
	}

	#[benchmark]
	fn set_guardian_set(k: Linear<1, { T::MaxGuardians::get() }>) -> Result<(), BenchmarkError> {
		T::BenchmarkHelper::set_time(START);
		guardian_set::<T>(0, 1);
		let keys: Vec<Address> = (0..k).map(|i| K256.address_of(&secret(1, i)).expect("a valid key")).collect();
		let keys: BoundedVec<Address, T::MaxGuardians> = keys.try_into().expect("k ≤ MaxGuardians");
		let origin = T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 1, keys);

		assert_eq!(CurrentGuardianSet::<T>::get(), 1);
		Ok(())
	}

	/// `s` signatures of a set of `s`, installing a set of `MaxGuardians`.
	#[benchmark]
	fn submit_guardian_set_upgrade(s: Linear<1, { T::MaxGuardians::get() }>) {
		T::BenchmarkHelper::set_time(START);
		guardian_set::<T>(0, s);
		let keys = (0..T::MaxGuardians::get()).map(|i| K256.address_of(&secret(1, i)).expect("a valid key")).collect();
		let payload = GuardianSetUpgrade { chain: 0, new_index: 1, keys }.encode();
		let body = Body {
			timestamp: START as u32,
			nonce: 0,
			emitter_chain: GOVERNANCE_CHAIN,
			emitter_address: GOVERNANCE_EMITTER,
			sequence: 1,
			consistency_level: 32,
			payload,
		};
		let vaa = vaa::<T>(0, s, body);
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), vaa);

		assert_eq!(CurrentGuardianSet::<T>::get(), 1);
	}

	/// `n` outbox entries past their retention.
	#[benchmark]
	fn on_initialize(n: Linear<0, { T::MaxPrunePerBlock::get() }>) {
		peer::<T>(BalanceOf::<T>::max_value());
		let alice = funded::<T>("alice");
		for _ in 0..n {
			sent::<T>(&alice, unit::<T>());
		}
		let later = frame_system::Pallet::<T>::block_number() + T::OutboxRetention::get() + One::one();

		#[block]
		{
			Bridge::<T>::on_initialize(later);
		}

		assert_eq!(OutboxStart::<T>::get(), n as u64);
	}

	impl_benchmark_test_suite!(Bridge, crate::mock::new_test_ext(), crate::mock::Test);
}
