//! The Wormhole bridge on the real runtime: CLD locked for a Solana peer, the message the
//! guardians sign read back from the outbox, a VAA signed by the development guardian set (five
//! of Wormhole's public devnet guardians) unlocking CLD, replay refused, and who may manage the
//! bridge.


use cloudana_runtime::{
	configs::{dynamic_params::bridge, RuntimeParameters},
	governance::origins::Origin,
	Balances, Economics, OriginCaller, Runtime, RuntimeOrigin, WormholeBridge, CLD,
};
use cloudana_wormhole::{
	devnet,
	ntt::{TransceiverMessage, Transfer, TrimmedAmount},
	verify, Body, GuardianSet, Signature, Vaa, K256,
};
use crate::common::{check_invariants, dev_ext};
use frame_support::{assert_noop, assert_ok, traits::{fungible::Inspect, Get}};
use pallet_wormhole_bridge::{Error, Outbox, PeerConfig, Peers};
use sp_keyring::Sr25519Keyring::{Alice, Bob};
use sp_runtime::DispatchError;

const SOLANA: u16 = 1;
const EMITTER: [u8; 32] = [0xE1; 32];
const MANAGER: [u8; 32] = [0x3A; 32];

fn solana() -> PeerConfig<u128> {
	PeerConfig { emitter: EMITTER, manager: MANAGER, decimals: 8, outbound_limit: 10_000 * CLD, inbound_limit: 10_000 * CLD }
}

fn now(unix_seconds: u64) {
	pallet_timestamp::Now::<Runtime>::put(unix_seconds * 1_000);
}

/// `body` signed by the development set's guardians 0–3 (a quorum of 4 of 5).
fn signed(body: Body) -> Vaa {
	let digest = body.digest(&K256);
	let signatures = (0..4u8)
		.map(|i| Signature { guardian_index: i, signature: K256.sign(&devnet::GUARDIAN_KEYS[i as usize], &digest).unwrap() })
		.collect();
	Vaa { guardian_set_index: 0, signatures, body }
}

/// The Solana peer returning `units` (10⁻⁸ CLD) to `to`.
fn returning(units: u64, to: [u8; 32], sequence: u64) -> Vaa {
	let payload = Transfer {
		source_manager: MANAGER,
		recipient_manager: WormholeBridge::emitter_address(),
		sequence: 1,
		sender: [0x5E; 32],
		amount: TrimmedAmount { amount: units, decimals: 8 },
		source_token: [0x70; 32],
		to,
		to_chain: bridge::ChainId::get(),
	}
	.encode()
	.unwrap();
	signed(Body {
		timestamp: 1_750_000_000,
		nonce: 0,
		emitter_chain: SOLANA,
		emitter_address: EMITTER,
		sequence,
		consistency_level: 32,
		payload,
	})
}

fn redeem(vaa: &Vaa) -> sp_runtime::DispatchResult {
	WormholeBridge::receive_message(RuntimeOrigin::signed(Bob.to_account_id()), vaa.encode().try_into().unwrap())
}

#[test]
fn cld_crosses_to_a_solana_peer_and_back_with_the_development_guardians() {
	dev_ext().execute_with(|| {
		now(1_750_000_000);
		assert_ok!(WormholeBridge::register_peer(RuntimeOrigin::root(), SOLANA, solana()));
		let alice = Alice.to_account_id();
		let bob = Bob.to_account_id();
		let owner = [0xB0; 32];
		assert_ok!(WormholeBridge::transfer(RuntimeOrigin::signed(alice.clone()), 100 * CLD, SOLANA, owner));
		assert_eq!(Balances::balance(&WormholeBridge::account_id()), 100 * CLD + cloudana_runtime::EXISTENTIAL_DEPOSIT);

		// What a guardian reads and signs: the body from the outbox, with this chain's id and
		// the bridge's emitter; it verifies against the development set.
		let message = Outbox::<Runtime>::get(0).unwrap();
		let body = Body {
			timestamp: message.timestamp,
			nonce: message.nonce,
			emitter_chain: message.emitter_chain,
			emitter_address: WormholeBridge::emitter_address(),
			sequence: 0,
			consistency_level: message.consistency_level,
			payload: message.payload.to_vec(),
		};
		let outbound = signed(body);
		let keys = devnet::GUARDIAN_ADDRESSES[..devnet::DEV_GUARDIANS].to_vec();
		let set = GuardianSet { index: 0, keys: &keys, expiration_time: u64::MAX };
		verify(&K256, &outbound, &set, 0, 0).unwrap();
		let (_, ntt) = TransceiverMessage::parse(&outbound.body.payload).unwrap().transfer().unwrap();
		assert_eq!((ntt.amount.amount, ntt.to, ntt.to_chain), (100 * 100_000_000, owner, SOLANA));

		// 40 CLD burned on Solana come back to Bob.
		let before = Balances::balance(&bob);
		let vaa = returning(40 * 100_000_000, bob.clone().into(), 1);
		assert_ok!(redeem(&vaa));
		assert_eq!(Balances::balance(&bob), before + 40 * CLD);
		assert_noop!(redeem(&vaa), Error::<Runtime>::AlreadyConsumed);
		assert_eq!(Peers::<Runtime>::get(SOLANA).unwrap().outstanding, 60 * CLD);
		check_invariants();
	});
}

#[test]
fn only_root_or_a_bridge_admin_referendum_manages_the_bridge() {
	dev_ext().execute_with(|| {
		let origin = |o: Origin| RuntimeOrigin::from(OriginCaller::Origins(o));
		for other in [Origin::EconomicParams, Origin::Treasurer, Origin::SlashCancel, Origin::Dispute] {
			assert_noop!(WormholeBridge::register_peer(origin(other), SOLANA, solana()), DispatchError::BadOrigin);
		}
		assert_noop!(
			WormholeBridge::register_peer(RuntimeOrigin::signed(Alice.to_account_id()), SOLANA, solana()),
			DispatchError::BadOrigin
		);
		assert_ok!(WormholeBridge::register_peer(origin(Origin::BridgeAdmin), SOLANA, solana()));
		let keys = devnet::GUARDIAN_ADDRESSES[..7].to_vec().try_into().unwrap();
		assert_ok!(WormholeBridge::set_guardian_set(origin(Origin::BridgeAdmin), 1, keys));
		check_invariants();
	});
}

#[test]
fn the_chain_id_is_a_runtime_parameter_and_messages_for_another_id_are_refused() {
	dev_ext().execute_with(|| {
		now(1_750_000_000);
		assert_eq!(bridge::ChainId::get(), 0xC1D0);
		assert_ok!(WormholeBridge::register_peer(RuntimeOrigin::root(), SOLANA, solana()));
		assert_ok!(WormholeBridge::transfer(RuntimeOrigin::signed(Alice.to_account_id()), 10 * CLD, SOLANA, [0xB0; 32]));
		let vaa = returning(100_000_000, Bob.to_account_id().into(), 1);
		assert_ok!(Economics::set_parameter(
			RuntimeOrigin::root(),
			RuntimeParameters::Bridge(bridge::Parameters::ChainId(bridge::ChainId, Some(0xC1D1)))
		));
		assert_noop!(redeem(&vaa), Error::<Runtime>::WrongTargetChain);
		check_invariants();
	});
}

/// Issue 26 item 9, through a real referendum: the `bridge_guardian` track pauses the bridge
/// within minutes (prepare 1 block, confirm 10 minutes, enactment 1 block; a few blocks on the
/// development chain), and cannot unpause it; only `bridge_admin` (or Root) can.
#[test]
fn item_9_a_bridge_guardian_referendum_pauses_the_bridge_quickly_and_cannot_unpause_it() {
	dev_ext().execute_with(|| {
		use crate::common::{referendum, run_to_block, run_until_ended};
		now(1_750_000_000);
		assert_ok!(WormholeBridge::register_peer(RuntimeOrigin::root(), SOLANA, solana()));
		let pause = cloudana_runtime::RuntimeCall::WormholeBridge(pallet_wormhole_bridge::Call::set_paused { outbound: true, inbound: true });
		let start = cloudana_runtime::System::block_number();
		let index = referendum(pause, OriginCaller::Origins(Origin::BridgeGuardian));
		run_until_ended(index, 100);
		run_to_block(cloudana_runtime::System::block_number() + 2);
		let paused = pallet_wormhole_bridge::Paused::<Runtime>::get();
		assert!(paused.outbound && paused.inbound, "the referendum's call paused the bridge");
		// On the development chain (days / 1 440): confirm is under a block, so a few blocks.
		assert!(cloudana_runtime::System::block_number() - start <= 10, "took {} blocks", cloudana_runtime::System::block_number() - start);
		assert_noop!(
			WormholeBridge::transfer(RuntimeOrigin::signed(Alice.to_account_id()), 10 * CLD, SOLANA, [0xB0; 32]),
			Error::<Runtime>::OutboundPaused
		);
		assert_noop!(redeem(&returning(100_000_000, [0xB0; 32], 1)), Error::<Runtime>::InboundPaused);
		// The guardian track cannot unpause; the admin track can.
		let guardian = RuntimeOrigin::from(Origin::BridgeGuardian);
		assert_noop!(WormholeBridge::set_paused(guardian, false, false), DispatchError::BadOrigin);
		assert_ok!(WormholeBridge::set_paused(RuntimeOrigin::from(Origin::BridgeAdmin), false, false));
		// Issue 26 item 13: below the minimum transfer (1 CLD), nothing is locked.
		assert_noop!(
			WormholeBridge::transfer(RuntimeOrigin::signed(Alice.to_account_id()), CLD / 2, SOLANA, [0xB0; 32]),
			Error::<Runtime>::BelowMinimumTransfer
		);
		assert_ok!(WormholeBridge::transfer(RuntimeOrigin::signed(Alice.to_account_id()), 10 * CLD, SOLANA, [0xB0; 32]));
		check_invariants();
	});
}
