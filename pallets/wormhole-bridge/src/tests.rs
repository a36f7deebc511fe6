//! Unit tests of the bridge: each call's effects and events, every rejection with its error and
//! no state change, conservation of CLD after each test (`mock::run`), and the attacks a
//! relayer, a peer or an outsider could try.

use crate::{mock::*, *};
use cloudana_wormhole::{governance::GuardianSetUpgrade, Vaa, K256};
use frame_support::{
	assert_noop, assert_ok,
	pallet_prelude::{BoundedVec, ConstU32, DispatchResult},
	traits::{
		fungible::{Inspect, InspectHold},
		Hooks,
	},
};
use sp_runtime::{DispatchError, TokenError};

fn send(who: &AccountId, amount: Balance) -> DispatchResult {
	Bridge::transfer(RuntimeOrigin::signed(who.clone()), amount, SOLANA, [0xB0; 32])
}

fn redeem(vaa: &Vaa) -> DispatchResult {
	Bridge::receive_message(RuntimeOrigin::signed(charlie()), bytes(vaa))
}

fn peer() -> Peer<Balance> {
	Peers::<Test>::get(SOLANA).unwrap()
}

/// A VAA returning `units` (of 10⁻⁸ CLD) to `who`, with sequence `sequence`.
fn returning(units: u64, who: &AccountId, sequence: u64) -> Vaa {
	signed(body(sequence, ntt_payload(units, to(who), CHAIN)))
}

fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| if let RuntimeEvent::Bridge(e) = r.event { Some(e) } else { None })
		.expect("an event of the bridge")
}

// --- transfer

#[test]
fn a_transfer_locks_cld_and_publishes_an_ntt_message_for_the_guardians() {
	run(|| {
		let before = Balances::balance(&alice());
		assert_ok!(send(&alice(), 100 * CLD));
		assert_eq!(Balances::balance(&alice()), before - 100 * CLD);
		assert_eq!(funds::locked::<Test>(), 100 * CLD);
		assert_eq!(peer().outstanding, 100 * CLD);
		assert_eq!(peer().outbound.capacity, LIMIT - 100 * CLD);
		System::assert_last_event(
			Event::TransferSent { sequence: 0, sender: alice(), amount: 100 * CLD, recipient_chain: SOLANA, recipient: [0xB0; 32] }
				.into(),
		);

		let message = Outbox::<Test>::get(0).unwrap();
		assert_eq!((message.timestamp as u64, message.nonce, message.consistency_level), (START, 0, 1));
		assert_eq!(message.emitter_chain, CHAIN);
		let transceiver = TransceiverMessage::parse(&message.payload).unwrap();
		assert_eq!((transceiver.source_manager, transceiver.recipient_manager), (Bridge::emitter_address(), PEER_MANAGER));
		let (manager, ntt) = transceiver.transfer().unwrap();
		assert_eq!(manager.id[24..], 0u64.to_be_bytes());
		assert_eq!(manager.sender, to(&alice()));
		// 100 CLD with 8 decimals.
		assert_eq!(ntt.amount, TrimmedAmount { amount: 100 * 100_000_000, decimals: 8 });
		assert_eq!((ntt.to, ntt.to_chain), ([0xB0; 32], SOLANA));

		assert_ok!(send(&alice(), CLD));
		assert_eq!(NextSequence::<Test>::get(), 2);
		assert!(Outbox::<Test>::contains_key(1));
	});
}

#[test]
fn a_transfer_refuses_bad_input_and_changes_nothing() {
	run(|| {
		let refuse = |amount, chain, recipient, error: DispatchError| {
			assert_noop!(Bridge::transfer(RuntimeOrigin::signed(alice()), amount, chain, recipient), error);
		};
		refuse(0, SOLANA, [1; 32], Error::<Test>::ZeroAmount.into());
		refuse(CLD, SOLANA, [0; 32], Error::<Test>::InvalidRecipient.into());
		refuse(CLD, 2, [1; 32], Error::<Test>::UnknownPeer.into());
		// 10⁴ base units is the smallest unit that crosses; 1 more is dust.
		refuse(CLD + 1, SOLANA, [1; 32], Error::<Test>::Dust.into());
		refuse(10_001, SOLANA, [1; 32], Error::<Test>::Dust.into());
		// More than u64::MAX units of 10⁻⁸.
		refuse((u64::MAX as u128 + 1) * 10_000, SOLANA, [1; 32], Error::<Test>::AmountTooLarge.into());
		// More than Alice has (she keeps her existential deposit).
		refuse(10_000 * CLD, SOLANA, [1; 32], TokenError::NotExpendable.into());
		assert_ok!(Bridge::transfer(RuntimeOrigin::signed(alice()), 10_000, SOLANA, [1; 32]));
	});
}

#[test]
fn a_transfer_over_the_outbound_limit_is_queued_then_completed_after_a_day() {
	run(|| {
		assert_ok!(send(&alice(), 900 * CLD));
		assert_ok!(send(&alice(), 200 * CLD));
		let release_at = START + DAY;
		System::assert_last_event(
			Event::OutboundQueued {
				id: 0,
				sender: alice(),
				amount: 200 * CLD,
				recipient_chain: SOLANA,
				recipient: [0xB0; 32],
				release_at,
			}
			.into(),
		);
		// Locked at once, with its deposit held; not published.
		assert_eq!(funds::locked::<Test>(), 1_100 * CLD);
		assert_eq!(Balances::balance_on_hold(&HoldReason::QueuedTransfer.into(), &alice()), 5 * CLD);
		assert_eq!(NextSequence::<Test>::get(), 1);

		assert_noop!(
			Bridge::complete_queued(RuntimeOrigin::signed(bob()), Queued::Outbound(0)),
			Error::<Test>::StillQueued
		);
		assert_noop!(Bridge::complete_queued(RuntimeOrigin::signed(bob()), Queued::Outbound(9)), Error::<Test>::NotQueued);
		set_now(release_at);
		assert_ok!(Bridge::complete_queued(RuntimeOrigin::signed(bob()), Queued::Outbound(0)));
		assert_eq!(
			last_event(),
			Event::TransferSent { sequence: 1, sender: alice(), amount: 200 * CLD, recipient_chain: SOLANA, recipient: [0xB0; 32] }
		);
		assert_eq!(Balances::balance_on_hold(&HoldReason::QueuedTransfer.into(), &alice()), 0);
		assert!(OutboundQueue::<Test>::get(0).is_none());
		assert_eq!(peer().outstanding, 1_100 * CLD);
	});
}

#[test]
fn a_peer_cannot_return_cld_still_queued_on_its_way_to_it() {
	run(|| {
		// 1 200 CLD locked, but only 1 000 published: the peer minted 1 000 at most.
		assert_ok!(send(&alice(), 1_000 * CLD));
		assert_ok!(send(&alice(), 200 * CLD));
		assert_eq!(peer().outstanding, 1_000 * CLD);
		assert_noop!(redeem(&returning(1_100 * 100_000_000, &bob(), 1)), Error::<Test>::ExceedsOutstanding);
		assert_ok!(redeem(&returning(1_000 * 100_000_000, &bob(), 1)));
		// Alice may still cancel what never left.
		assert_ok!(Bridge::cancel_queued(RuntimeOrigin::signed(alice()), 0));
	});
}

#[test]
fn only_the_sender_cancels_a_queued_transfer_and_gets_everything_back() {
	run(|| {
		let before = Balances::balance(&alice());
		assert_ok!(send(&alice(), 1_001 * CLD));
		assert!(OutboundQueue::<Test>::contains_key(0));
		assert_noop!(Bridge::cancel_queued(RuntimeOrigin::signed(bob()), 0), Error::<Test>::NotSender);
		assert_noop!(Bridge::cancel_queued(RuntimeOrigin::signed(alice()), 1), Error::<Test>::NotQueued);
		assert_ok!(Bridge::cancel_queued(RuntimeOrigin::signed(alice()), 0));
		System::assert_last_event(Event::OutboundCancelled { id: 0, sender: alice(), amount: 1_001 * CLD }.into());
		assert_eq!(Balances::balance(&alice()), before);
		assert_eq!(Balances::total_balance(&alice()), before);
		assert_eq!((peer().outstanding, funds::locked::<Test>()), (0, 0));
	});
}

#[test]
fn the_outbound_limit_refills_linearly_over_a_day() {
	run(|| {
		assert_ok!(send(&alice(), 1_000 * CLD));
		assert_eq!(peer().outbound.current(START, DAY), 0);
		assert_eq!(peer().outbound.current(START + DAY / 4, DAY), 250 * CLD);
		set_now(START + DAY / 4);
		assert_ok!(send(&alice(), 250 * CLD));
		assert!(OutboundQueue::<Test>::iter().next().is_none());
		assert_ok!(send(&alice(), CLD));
		assert!(OutboundQueue::<Test>::contains_key(0));
		// Never more than the limit, however long it rests.
		assert_eq!(peer().outbound.current(START + 30 * DAY, DAY), LIMIT);
	});
}

// --- receive_message

#[test]
fn a_vaa_from_the_peer_unlocks_cld_to_the_recipient() {
	run(|| {
		assert_ok!(send(&alice(), 100 * CLD));
		let before = Balances::balance(&bob());
		let vaa = returning(40 * 100_000_000, &bob(), 7);
		let digest = vaa.body.digest(&K256);
		assert_ok!(redeem(&vaa));
		assert_eq!(Balances::balance(&bob()), before + 40 * CLD);
		assert_eq!((peer().outstanding, funds::locked::<Test>()), (60 * CLD, 60 * CLD));
		assert!(Consumed::<Test>::contains_key(digest));
		System::assert_last_event(
			Event::TransferRedeemed { digest, source_chain: SOLANA, sequence: 7, recipient: bob(), amount: 40 * CLD }.into(),
		);
		// What came back gives the outbound limit capacity back.
		assert_eq!(peer().outbound.capacity, LIMIT - 60 * CLD);
	});
}

#[test]
fn a_replayed_vaa_is_refused_even_with_a_malleated_signature() {
	run(|| {
		assert_ok!(send(&alice(), 100 * CLD));
		let vaa = returning(100_000_000, &bob(), 1);
		assert_ok!(redeem(&vaa));
		assert_noop!(redeem(&vaa), Error::<Test>::AlreadyConsumed);
		// (r, n − s, 1 − v) is a second valid signature over the same digest: still a replay.
		let mut twin = vaa.clone();
		twin.signatures[0].signature = K256.malleate(&twin.signatures[0].signature).unwrap();
		assert_ne!(twin.encode(), vaa.encode());
		assert_noop!(redeem(&twin), Error::<Test>::AlreadyConsumed);
	});
}

#[test]
fn every_class_of_bad_vaa_has_its_error_and_changes_nothing() {
	run(|| {
		assert_ok!(send(&alice(), 100 * CLD));
		let good = returning(100_000_000, &bob(), 1);
		let refuse = |vaa: Vec<u8>, error: Error<Test>| {
			assert_noop!(
				Bridge::receive_message(RuntimeOrigin::signed(charlie()), vaa.try_into().unwrap()),
				error
			);
		};
		let encoded = good.encode();
		refuse(encoded[..40].to_vec(), Error::<Test>::MalformedVaa);
		refuse(vec![], Error::<Test>::MalformedVaa);
		let mut v2 = encoded.clone();
		v2[0] = 2;
		refuse(v2, Error::<Test>::UnsupportedVaaVersion);
		let mut unknown = good.clone();
		unknown.guardian_set_index = 7;
		refuse(unknown.encode(), Error::<Test>::UnknownGuardianSet);
		refuse(sign(0, &[0, 1, 2], good.body.clone()).encode(), Error::<Test>::NoQuorum);
		refuse(sign(0, &[1, 0, 2, 3], good.body.clone()).encode(), Error::<Test>::GuardianIndicesNotAscending);
		refuse(sign(0, &[0, 0, 1, 2], good.body.clone()).encode(), Error::<Test>::GuardianIndicesNotAscending);
		let mut out_of_range = sign(0, &[0, 1, 2, 3], good.body.clone());
		out_of_range.signatures[3].guardian_index = 5;
		refuse(out_of_range.encode(), Error::<Test>::GuardianIndexOutOfRange);
		let mut bad_v = good.clone();
		bad_v.signatures[1].signature[64] = 27;
		refuse(bad_v.encode(), Error::<Test>::InvalidRecoveryId);
		// Signed by keys that are not the set's (set 1's keys claiming to be set 0).
		let mut impostor = sign(1, &[0, 1, 2, 3], good.body.clone());
		impostor.guardian_set_index = 0;
		refuse(impostor.encode(), Error::<Test>::InvalidSignature);
		// The body changed after signing: the recipient swapped for the relayer.
		let mut tampered = good.clone();
		tampered.body.payload = ntt_payload(100_000_000, to(&charlie()), CHAIN);
		refuse(tampered.encode(), Error::<Test>::InvalidSignature);
		// 20 signatures: more than MaxGuardians.
		let mut many = good.clone();
		many.signatures = (0..20).map(|i| cloudana_wormhole::Signature { guardian_index: i, signature: [1; 65] }).collect();
		refuse(many.encode(), Error::<Test>::TooManySignatures);
		assert_ok!(redeem(&good));
	});
}

#[test]
fn a_vaa_not_from_the_peer_or_not_for_this_chain_is_refused() {
	run(|| {
		assert_ok!(send(&alice(), 100 * CLD));
		let refuse = |body: cloudana_wormhole::Body, error: Error<Test>| {
			assert_noop!(redeem(&signed(body)), error);
		};
		let payload = ntt_payload(100_000_000, to(&bob()), CHAIN);
		let mut other_chain = body(1, payload.clone());
		other_chain.emitter_chain = 2;
		refuse(other_chain, Error::<Test>::UnknownPeer);
		let mut other_emitter = body(1, payload.clone());
		other_emitter.emitter_address = [0xEE; 32];
		refuse(other_emitter, Error::<Test>::WrongEmitter);
		refuse(body(1, b"not a transceiver message".to_vec()), Error::<Test>::MalformedPayload);

		let message = |f: &dyn Fn(&mut TransceiverMessage)| {
			let mut m = TransceiverMessage::parse(&payload).unwrap();
			f(&mut m);
			body(1, m.encode().unwrap())
		};
		refuse(message(&|m| m.source_manager = [0x11; 32]), Error::<Test>::WrongSourceManager);
		refuse(message(&|m| m.recipient_manager = [0x22; 32]), Error::<Test>::WrongRecipientManager);
		refuse(message(&|m| m.manager_payload.truncate(40)), Error::<Test>::MalformedPayload);
		refuse(body(1, ntt_payload(100_000_000, to(&bob()), 2)), Error::<Test>::WrongTargetChain);
		let with_decimals = |decimals| {
			message(&|m| {
				let (mut manager, mut ntt) = m.transfer().unwrap();
				ntt.amount.decimals = decimals;
				manager.payload = ntt.encode().unwrap();
				m.manager_payload = manager.encode().unwrap();
			})
		};
		refuse(with_decimals(6), Error::<Test>::UnsupportedDecimals);
		refuse(body(1, ntt_payload(0, to(&bob()), CHAIN)), Error::<Test>::ZeroAmount);
		// The peer can never unlock more than was sent to it.
		refuse(body(1, ntt_payload(100 * 100_000_000 + 1, to(&bob()), CHAIN)), Error::<Test>::ExceedsOutstanding);
		assert_ok!(redeem(&signed(body(1, payload))));
	});
}

#[test]
fn a_transfer_too_small_for_a_new_account_stays_redeemable_until_the_account_exists() {
	run(|| {
		assert_ok!(send(&alice(), 100 * CLD));
		let dave = AccountId::new([4u8; 32]);
		// 10⁻⁸ CLD (10⁴ base units) is below the existential deposit (1 mCLD).
		let vaa = returning(1, &dave, 1);
		assert_noop!(redeem(&vaa), TokenError::BelowMinimum);
		assert_ok!(Balances::transfer_allow_death(RuntimeOrigin::signed(alice()), dave.clone(), CLD));
		assert_ok!(redeem(&vaa));
		assert_eq!(Balances::balance(&dave), CLD + 10_000);
	});
}

#[test]
fn an_inbound_transfer_over_the_limit_is_queued_and_released_after_a_day() {
	run(|| {
		// Lock 1 500 CLD (one transfer queued), then bring 1 200 back: over the inbound limit.
		assert_ok!(send(&alice(), 1_000 * CLD));
		assert_ok!(send(&alice(), 500 * CLD));
		assert_eq!(peer().outstanding, 1_000 * CLD);
		set_now(START + DAY);
		assert_ok!(Bridge::complete_queued(RuntimeOrigin::signed(bob()), Queued::Outbound(0)));
		assert_eq!(peer().outstanding, 1_500 * CLD);
		let vaa = returning(1_200 * 100_000_000, &bob(), 3);
		let digest = vaa.body.digest(&K256);
		let before = Balances::balance(&bob());
		assert_ok!(redeem(&vaa));
		assert_eq!(
			last_event(),
			Event::InboundQueued {
				digest,
				source_chain: SOLANA,
				sequence: 3,
				recipient: bob(),
				amount: 1_200 * CLD,
				release_at: START + 2 * DAY
			}
		);
		assert_eq!(Balances::balance(&bob()), before);
		assert_noop!(redeem(&vaa), Error::<Test>::AlreadyConsumed);
		assert_noop!(
			Bridge::complete_queued(RuntimeOrigin::signed(charlie()), Queued::Inbound(digest)),
			Error::<Test>::StillQueued
		);
		set_now(START + 2 * DAY);
		assert_ok!(Bridge::complete_queued(RuntimeOrigin::signed(charlie()), Queued::Inbound(digest)));
		System::assert_last_event(Event::InboundReleased { digest, recipient: bob(), amount: 1_200 * CLD }.into());
		assert_eq!(Balances::balance(&bob()), before + 1_200 * CLD);
		assert_noop!(
			Bridge::complete_queued(RuntimeOrigin::signed(charlie()), Queued::Inbound(digest)),
			Error::<Test>::NotQueued
		);
	});
}

// --- guardian sets

#[test]
fn a_replaced_guardian_set_signs_for_a_day_then_expires() {
	run(|| {
		assert_ok!(send(&alice(), 100 * CLD));
		let keys: BoundedVec<_, _> = guardians(1, 7).try_into().unwrap();
		assert_ok!(Bridge::set_guardian_set(RuntimeOrigin::root(), 1, keys));
		System::assert_last_event(Event::GuardianSetChanged { index: 1, guardians: 7, previous_expires_at: START + DAY }.into());
		assert_eq!(CurrentGuardianSet::<Test>::get(), 1);
		// The old set, within its grace.
		assert_ok!(redeem(&returning(100_000_000, &bob(), 1)));
		// The new set: 5 of 7.
		assert_ok!(redeem(&sign(1, &[0, 2, 3, 5, 6], body(2, ntt_payload(100_000_000, to(&bob()), CHAIN)))));
		assert_noop!(
			redeem(&sign(1, &[0, 1, 2, 3], body(3, ntt_payload(100_000_000, to(&bob()), CHAIN)))),
			Error::<Test>::NoQuorum
		);
		set_now(START + DAY + 1);
		assert_noop!(redeem(&returning(100_000_000, &bob(), 4)), Error::<Test>::GuardianSetExpired);
	});
}

#[test]
fn governance_alone_replaces_guardian_sets_and_registers_peers_and_checks_them() {
	run(|| {
		let keys = |v: Vec<Address>| -> BoundedVec<Address, ConstU32<19>> { v.try_into().unwrap() };
		assert_noop!(
			Bridge::set_guardian_set(RuntimeOrigin::signed(alice()), 1, keys(guardians(1, 3))),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Bridge::set_guardian_set(RuntimeOrigin::root(), 2, keys(guardians(1, 3))),
			Error::<Test>::GuardianSetIndexNotNext
		);
		assert_noop!(Bridge::set_guardian_set(RuntimeOrigin::root(), 1, keys(vec![])), Error::<Test>::InvalidGuardianSet);
		assert_noop!(
			Bridge::set_guardian_set(RuntimeOrigin::root(), 1, keys(vec![[1; 20], [1; 20]])),
			Error::<Test>::InvalidGuardianSet
		);
		assert_noop!(
			Bridge::set_guardian_set(RuntimeOrigin::root(), 1, keys(vec![[0; 20]])),
			Error::<Test>::InvalidGuardianSet
		);

		let mut config = solana_peer();
		assert_noop!(Bridge::register_peer(RuntimeOrigin::signed(alice()), 2, config), DispatchError::BadOrigin);
		assert_noop!(Bridge::register_peer(RuntimeOrigin::root(), 0, config), Error::<Test>::InvalidPeer);
		assert_noop!(Bridge::register_peer(RuntimeOrigin::root(), CHAIN, config), Error::<Test>::InvalidPeer);
		config.emitter = [0; 32];
		assert_noop!(Bridge::register_peer(RuntimeOrigin::root(), 2, config), Error::<Test>::InvalidPeer);
		config = PeerConfig { decimals: 19, ..solana_peer() };
		assert_noop!(Bridge::register_peer(RuntimeOrigin::root(), 2, config), Error::<Test>::UnsupportedDecimals);

		// Updating a peer keeps what it owes and what its limits used.
		assert_ok!(send(&alice(), 600 * CLD));
		let halved = PeerConfig { outbound_limit: LIMIT / 2, ..solana_peer() };
		assert_ok!(Bridge::register_peer(RuntimeOrigin::root(), SOLANA, halved));
		System::assert_last_event(Event::PeerRegistered { chain: SOLANA, config: halved }.into());
		assert_eq!(peer().outstanding, 600 * CLD);
		assert_eq!(peer().outbound.current(START, DAY), 0);
	});
}

/// The governance body of a guardian-set upgrade.
fn upgrade_body(payload: Vec<u8>) -> cloudana_wormhole::Body {
	cloudana_wormhole::Body {
		emitter_chain: cloudana_wormhole::governance::GOVERNANCE_CHAIN,
		emitter_address: cloudana_wormhole::governance::GOVERNANCE_EMITTER,
		..body(1, payload)
	}
}

#[test]
fn a_guardian_set_upgrade_vaa_signed_by_the_current_set_installs_the_next_set() {
	run(|| {
		let upgrade = |chain, new_index, n| GuardianSetUpgrade { chain, new_index, keys: guardians(1, n) }.encode();
		let submit = |vaa: &Vaa| Bridge::submit_guardian_set_upgrade(RuntimeOrigin::signed(charlie()), bytes(vaa));
		assert_noop!(submit(&signed(body(1, upgrade(0, 1, 3)))), Error::<Test>::NotGovernanceEmitter);
		assert_noop!(submit(&signed(upgrade_body(b"Core".to_vec()))), Error::<Test>::NotGuardianSetUpgrade);
		assert_noop!(submit(&signed(upgrade_body(upgrade(2, 1, 3)))), Error::<Test>::WrongTargetChain);
		assert_noop!(submit(&signed(upgrade_body(upgrade(0, 2, 3)))), Error::<Test>::GuardianSetIndexNotNext);
		assert_noop!(submit(&sign(0, &[0, 1], upgrade_body(upgrade(0, 1, 3)))), Error::<Test>::NoQuorum);

		let vaa = signed(upgrade_body(upgrade(CHAIN, 1, 3)));
		assert_ok!(submit(&vaa));
		assert_eq!(CurrentGuardianSet::<Test>::get(), 1);
		assert_eq!(GuardianSets::<Test>::get(1).unwrap().keys.to_vec(), guardians(1, 3));
		assert_noop!(submit(&vaa), Error::<Test>::AlreadyConsumed);
		// Set 0, within its grace, may still sign transfers but no longer governance.
		let next = GuardianSetUpgrade { chain: 0, new_index: 2, keys: guardians(2, 3) }.encode();
		assert_noop!(submit(&signed(upgrade_body(next))), Error::<Test>::NotCurrentGuardianSet);
	});
}

#[test]
fn wormholes_own_mainnet_upgrade_from_set_3_to_set_4_applies() {
	run(|| {
		let vaa = hex::decode(include_str!("../../../primitives/wormhole/tests/data/mainnet_guardian_set_4_upgrade.hex").trim().trim_start_matches("0x")).unwrap();
		let parsed = Vaa::parse(&vaa).unwrap();
		let set_4 = GuardianSetUpgrade::parse(&parsed.body.payload).unwrap().keys;
		// Set 3 is set 4 but for guardian 0 (primitives/wormhole/tests/data/SOURCES.md).
		let mut set_3 = set_4.clone();
		set_3[0] = hex_literal20("58CC3AE5C097b213cE3c81979e1B9f9570746AA5");
		GuardianSets::<Test>::insert(3, GuardianSetInfo { keys: set_3.try_into().unwrap(), expiration_time: u64::MAX });
		CurrentGuardianSet::<Test>::put(3);
		assert_ok!(Bridge::submit_guardian_set_upgrade(RuntimeOrigin::signed(charlie()), vaa.try_into().unwrap()));
		assert_eq!(CurrentGuardianSet::<Test>::get(), 4);
		assert_eq!(GuardianSets::<Test>::get(4).unwrap().keys.to_vec(), set_4);
	});
}

fn hex_literal20(s: &str) -> Address {
	hex::decode(s).unwrap().try_into().unwrap()
}

// --- outbox

#[test]
fn the_outbox_is_pruned_after_its_retention_a_few_entries_a_block() {
	run(|| {
		for _ in 0..6 {
			assert_ok!(send(&alice(), CLD));
		}
		Bridge::on_initialize(100);
		assert_eq!(Outbox::<Test>::iter().count(), 6);
		// Published in block 1, kept 100 blocks; at most 4 pruned a block.
		Bridge::on_initialize(101);
		assert_eq!(Outbox::<Test>::iter().count(), 2);
		assert_eq!(OutboxStart::<Test>::get(), 4);
		Bridge::on_initialize(102);
		assert_eq!(Outbox::<Test>::iter().count(), 0);
		assert_eq!(OutboxStart::<Test>::get(), 6);
		Bridge::on_initialize(103);
		assert_eq!(OutboxStart::<Test>::get(), 6);
	});
}

#[test]
fn the_bridge_account_exists_from_genesis_and_keeps_its_existential_deposit() {
	run(|| {
		assert_eq!(Balances::balance(&Bridge::account_id()), ExistentialDeposit::get());
		assert_ok!(send(&alice(), 100 * CLD));
		assert_ok!(redeem(&returning(100 * 100_000_000, &bob(), 1)));
		assert_eq!(Balances::balance(&Bridge::account_id()), ExistentialDeposit::get());
		assert_eq!(Bridge::emitter_address(), to(&Bridge::account_id()));
	});
}

mod properties {
	use super::*;
	use proptest::prelude::*;

	#[derive(Clone, Debug)]
	enum Step {
		Send(u8, u32),
		Return(u8, u32),
		Wait(u32),
		Complete,
		Cancel,
	}

	fn step() -> impl Strategy<Value = Step> {
		prop_oneof![
			(0u8..3, 1u32..800).prop_map(|(w, c)| Step::Send(w, c)),
			(0u8..3, 1u32..800).prop_map(|(w, c)| Step::Return(w, c)),
			(0u32..(DAY as u32)).prop_map(Step::Wait),
			Just(Step::Complete),
			Just(Step::Cancel),
		]
	}

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(64))]
		/// Whatever is sent, returned, queued, completed or cancelled, the bridge holds exactly
		/// what it owes, total issuance does not change, and a peer never returns more than
		/// it was sent.
		#[test]
		fn cld_is_conserved(steps in proptest::collection::vec(step(), 1..40)) {
			new_test_ext().execute_with(|| {
				let issuance = Balances::total_issuance();
				let who = |i: u8| [alice(), bob(), charlie()][i as usize].clone();
				let mut sequence = 0;
				for step in steps {
					match step {
						Step::Send(w, cld) => { let _ = send(&who(w), cld as Balance * CLD); },
						Step::Return(w, cld) => {
							sequence += 1;
							let _ = redeem(&returning(cld as u64 * 100_000_000, &who(w), sequence));
						},
						Step::Wait(s) => advance(s as u64),
						Step::Complete => {
							let ids: Vec<_> = OutboundQueue::<Test>::iter_keys().collect();
							for id in ids { let _ = Bridge::complete_queued(RuntimeOrigin::signed(bob()), Queued::Outbound(id)); }
							let digests: Vec<_> = InboundQueue::<Test>::iter_keys().collect();
							for d in digests { let _ = Bridge::complete_queued(RuntimeOrigin::signed(bob()), Queued::Inbound(d)); }
						},
						Step::Cancel => {
							if let Some((id, q)) = OutboundQueue::<Test>::iter().next() {
								assert_ok!(Bridge::cancel_queued(RuntimeOrigin::signed(q.sender), id));
							}
						},
					}
					check_invariants().unwrap();
					prop_assert_eq!(Balances::total_issuance(), issuance);
				}
				Ok(())
			})?;
		}
	}
}

// --- issue 26: the emergency brake and the minimum transfer

/// Issue 26 item 9: the bridge had no brake: a forged VAA (a compromised guardian set) drained
/// the inbound limit at once and its queued surplus reached the attacker a day later, with
/// nothing governance could do in between. A fast origin now pauses either direction and
/// cancels a queued inbound transfer (its CLD stays locked, owed to the peer again); only the
/// admin unpauses. Conservation holds throughout (`try_state`).
#[test]
fn item_9_a_fast_origin_pauses_the_bridge_and_cancels_a_queued_inbound_transfer() {
	run(|| {
		assert_ok!(send(&alice(), 1_000 * CLD));
		assert_ok!(send(&alice(), 500 * CLD));
		set_now(START + DAY);
		assert_ok!(Bridge::complete_queued(RuntimeOrigin::signed(bob()), Queued::Outbound(0)));
		let vaa = returning(1_200 * 100_000_000, &bob(), 3);
		let digest = vaa.body.digest(&K256);
		assert_ok!(redeem(&vaa));
		assert_eq!(peer().outstanding, 300 * CLD);
		let (locked, bob_before) = (Balances::balance(&Bridge::account_id()), Balances::balance(&bob()));

		// Strangers cannot brake; the guardian track pauses both ways.
		let guardian = RuntimeOrigin::signed(guardian_track());
		assert_noop!(Bridge::set_paused(RuntimeOrigin::signed(bob()), true, true), DispatchError::BadOrigin);
		assert_noop!(Bridge::cancel_inbound(RuntimeOrigin::signed(bob()), digest), DispatchError::BadOrigin);
		assert_ok!(Bridge::set_paused(guardian.clone(), true, true));
		System::assert_last_event(Event::PauseSet { outbound: true, inbound: true }.into());
		assert_noop!(send(&alice(), 10 * CLD), Error::<Test>::OutboundPaused);
		assert_noop!(redeem(&returning(100_000_000, &bob(), 4)), Error::<Test>::InboundPaused);
		set_now(START + 2 * DAY);
		assert_noop!(
			Bridge::complete_queued(RuntimeOrigin::signed(charlie()), Queued::Inbound(digest)),
			Error::<Test>::InboundPaused
		);
		// The queued 1 200 CLD are cancelled: they stay locked, owed to the peer again.
		assert_ok!(Bridge::cancel_inbound(guardian.clone(), digest));
		System::assert_last_event(
			Event::InboundCancelled { digest, source_chain: SOLANA, recipient: bob(), amount: 1_200 * CLD }.into(),
		);
		assert_eq!(peer().outstanding, 1_500 * CLD);
		assert_eq!((Balances::balance(&Bridge::account_id()), Balances::balance(&bob())), (locked, bob_before));
		assert_noop!(Bridge::cancel_inbound(guardian.clone(), digest), Error::<Test>::NotQueued);
		assert_noop!(redeem(&vaa), Error::<Test>::InboundPaused);
		assert_ok!(Bridge::do_try_state());

		// The guardian track cannot unpause; the admin can.
		assert_noop!(Bridge::set_paused(guardian, false, false), DispatchError::BadOrigin);
		assert_ok!(Bridge::set_paused(RuntimeOrigin::root(), false, false));
		assert_noop!(redeem(&vaa), Error::<Test>::AlreadyConsumed);
		assert_ok!(send(&alice(), 10 * CLD));
		assert_ok!(Bridge::do_try_state());
	});
}

/// Issue 26 item 13: a transfer of one NTT unit (10⁴ base units) cost its sender a fee but
/// relayers and guardians one each to carry; below `MinTransfer` nothing is locked.
#[test]
fn item_13_a_transfer_below_the_minimum_is_refused_and_locks_nothing() {
	run(|| {
		MinTransfer::set(CLD);
		let before = Balances::balance(&alice());
		assert_noop!(send(&alice(), CLD / 2), Error::<Test>::BelowMinimumTransfer);
		assert_eq!(Balances::balance(&alice()), before);
		assert_ok!(send(&alice(), CLD));
		MinTransfer::set(10_000);
	});
}
