//! The spoke program (its SBF build) in litesvm, against the SPL Token program litesvm
//! bundles: a VAA from Cloudana mints bridged CLD, once; every class of bad VAA and bad account
//! is refused with its error and mints nothing; burn-and-send burns and publishes the message
//! guardians sign.
//!
//! Needs the program: `scripts/build-spoke.sh` (its path in `CLOUDANA_SPOKE_SO`).

use cloudana_solana_devnet::{Devnet, Failure};
use cloudana_spoke_interface::{Config, SpokeError, CONFIG_LEN, UPGRADEABLE_LOADER};
use cloudana_wormhole::{
	devnet,
	ntt::{TransceiverMessage, Transfer, TrimmedAmount},
	verify, Body, GuardianSet, Signature, Vaa, K256,
};
use solana_account::Account;
use solana_address::Address;
use solana_instruction::AccountMeta;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::path::PathBuf;

const HUB_CHAIN: u16 = 0xC1D0;
const HUB: [u8; 32] = [0xCE; 32];
const PROGRAM: Address = Address::new_from_array([0x5B; 32]);

fn program_so() -> PathBuf {
	let path = PathBuf::from(std::env::var("CLOUDANA_SPOKE_SO").expect("CLOUDANA_SPOKE_SO: the spoke's .so (scripts/build-spoke.sh)"));
	assert!(path.exists(), "{} is missing: run scripts/build-spoke.sh", path.display());
	path
}

fn guardians() -> Vec<[u8; 20]> {
	devnet::GUARDIAN_ADDRESSES[..devnet::DEV_GUARDIANS].to_vec()
}

fn devnet() -> Devnet {
	Devnet::new(&program_so(), PROGRAM, HUB_CHAIN, HUB, 0, guardians()).unwrap()
}

/// A transfer from Cloudana of `units` (10⁻⁸ CLD) to the Solana owner `to`.
fn payload(units: u64, to: [u8; 32], to_chain: u16, decimals: u8) -> Vec<u8> {
	Transfer {
		source_manager: HUB,
		recipient_manager: PROGRAM.to_bytes(),
		sequence: 0,
		sender: [0xA1; 32],
		amount: TrimmedAmount { amount: units, decimals },
		source_token: [0u8; 32],
		to,
		to_chain,
	}
	.encode()
	.unwrap()
}

fn body(sequence: u64, payload: Vec<u8>) -> Body {
	Body { timestamp: 1_750_000_000, nonce: 0, emitter_chain: HUB_CHAIN, emitter_address: HUB, sequence, consistency_level: 1, payload }
}

fn sign(signers: &[u8], body: Body) -> Vaa {
	sign_as(0, signers.iter().map(|&i| (i, i as usize)), body)
}

/// `body` signed for guardian set `set_index`: each `(guardian index, key)` a signature by
/// Wormhole devnet key `key` as that index.
fn sign_as(set_index: u32, signers: impl Iterator<Item = (u8, usize)>, body: Body) -> Vaa {
	let digest = body.digest(&K256);
	let signatures = signers
		.map(|(i, key)| Signature { guardian_index: i, signature: K256.sign(&devnet::GUARDIAN_KEYS[key], &digest).unwrap() })
		.collect();
	Vaa { guardian_set_index: set_index, signatures, body }
}

/// Signed by a quorum (4 of 5).
fn signed(body: Body) -> Vaa {
	sign(&[0, 1, 2, 3], body)
}

fn refused(result: Result<(), Failure>, error: SpokeError) {
	assert_eq!(result, Err(Failure::Spoke(error)));
}

#[test]
fn a_vaa_from_cloudana_mints_once_and_a_malleated_twin_is_a_replay() {
	let mut net = devnet();
	let owner = Keypair::new();
	let account = net.token_account(&owner.pubkey()).unwrap();
	let vaa = signed(body(0, payload(250_000_000, owner.pubkey().to_bytes(), 1, 8)));
	net.redeem(&vaa.encode(), account).unwrap();
	assert_eq!((net.balance(&account), net.supply()), (250_000_000, 250_000_000));
	refused(net.redeem(&vaa.encode(), account), SpokeError::AlreadyRedeemed);

	// (r, n − s, v ⊕ 1): another valid signature over the same digest.
	let mut twin = vaa.clone();
	twin.signatures[0].signature = K256.malleate(&twin.signatures[0].signature).unwrap();
	assert_ne!(twin.encode(), vaa.encode());
	// Solana's secp256k1_recover accepts high s as Ethereum's ecrecover does: the twin verifies,
	// and only the digest-keyed replay account stops it.
	refused(net.redeem(&twin.encode(), account), SpokeError::AlreadyRedeemed);
	assert_eq!(net.supply(), 250_000_000);
}

#[test]
fn every_class_of_bad_vaa_is_refused_with_its_error_and_mints_nothing() {
	let mut net = devnet();
	let owner = Keypair::new();
	let account = net.token_account(&owner.pubkey()).unwrap();
	let to = owner.pubkey().to_bytes();
	let good = signed(body(0, payload(100_000_000, to, 1, 8)));
	let encoded = good.encode();

	refused(net.redeem(&encoded[..40], account), SpokeError::MalformedVaa);
	let mut v2 = encoded.clone();
	v2[0] = 2;
	refused(net.redeem(&v2, account), SpokeError::UnsupportedVaaVersion);
	let mut other_set = good.clone();
	other_set.guardian_set_index = 1;
	refused(net.redeem(&other_set.encode(), account), SpokeError::UnknownGuardianSet);
	refused(net.redeem(&sign(&[0, 1, 2], good.body.clone()).encode(), account), SpokeError::NoQuorum);
	refused(net.redeem(&sign(&[1, 0, 2, 3], good.body.clone()).encode(), account), SpokeError::GuardianIndicesNotAscending);
	let mut out_of_range = good.clone();
	out_of_range.signatures[3].guardian_index = 5;
	refused(net.redeem(&out_of_range.encode(), account), SpokeError::GuardianIndexOutOfRange);
	let mut bad_v = good.clone();
	bad_v.signatures[0].signature[64] = 27;
	refused(net.redeem(&bad_v.encode(), account), SpokeError::InvalidRecoveryId);
	// Signed by guardians 5–8 of Wormhole's devnet, claiming to be 0–3 of this set.
	let mut impostor = good.clone();
	let digest = good.body.digest(&K256);
	for (i, s) in impostor.signatures.iter_mut().enumerate() {
		s.signature = K256.sign(&devnet::GUARDIAN_KEYS[5 + i], &digest).unwrap();
	}
	refused(net.redeem(&impostor.encode(), account), SpokeError::InvalidSignature);
	let mut tampered = good.clone();
	tampered.body.payload = payload(100_000_000_000, to, 1, 8);
	refused(net.redeem(&tampered.encode(), account), SpokeError::InvalidSignature);

	let refuse_body = |net: &mut Devnet, body: Body, error| refused(net.redeem(&signed(body).encode(), account), error);
	let mut other_chain = body(1, payload(1, to, 1, 8));
	other_chain.emitter_chain = 2;
	refuse_body(&mut net, other_chain, SpokeError::WrongEmitter);
	let mut other_emitter = body(1, payload(1, to, 1, 8));
	other_emitter.emitter_address = [0xEE; 32];
	refuse_body(&mut net, other_emitter, SpokeError::WrongEmitter);
	refuse_body(&mut net, body(1, b"no transceiver message".to_vec()), SpokeError::MalformedPayload);
	let message = |f: &dyn Fn(&mut TransceiverMessage)| {
		let mut m = TransceiverMessage::parse(&payload(1, to, 1, 8)).unwrap();
		f(&mut m);
		body(1, m.encode().unwrap())
	};
	refuse_body(&mut net, message(&|m| m.source_manager = [0x11; 32]), SpokeError::WrongSourceManager);
	refuse_body(&mut net, message(&|m| m.recipient_manager = [0x22; 32]), SpokeError::WrongRecipientManager);
	refuse_body(&mut net, body(1, payload(1, to, 2, 8)), SpokeError::WrongTargetChain);
	refuse_body(&mut net, body(1, payload(1, to, 1, 6)), SpokeError::UnsupportedDecimals);
	refuse_body(&mut net, body(1, payload(0, to, 1, 8)), SpokeError::ZeroAmount);
	// A token account that is not the recipient's.
	let stranger = Keypair::new();
	let other_account = net.token_account(&stranger.pubkey()).unwrap();
	refused(net.redeem(&good.encode(), other_account), SpokeError::WrongRecipient);
	// The replay account must be the digest's.
	let wrong_replay = net.redeem_instruction(&good.encode(), &[7u8; 32], account);
	assert_eq!(net.send(&[wrong_replay], &[]), Err(Failure::Spoke(SpokeError::WrongAccount)));

	assert_eq!(net.supply(), 0);
	net.redeem(&good.encode(), account).unwrap();
	assert_eq!(net.supply(), 100_000_000);
}

#[test]
fn burn_and_send_burns_and_publishes_the_body_guardians_sign() {
	let mut net = devnet();
	let owner = Keypair::new();
	net.fund(&owner.pubkey());
	let account = net.token_account(&owner.pubkey()).unwrap();
	net.redeem(&signed(body(0, payload(500_000_000, owner.pubkey().to_bytes(), 1, 8))).encode(), account).unwrap();

	let alice = [0xA1; 32];
	let sequence = net.burn_and_send(&owner, account, 120_000_000, alice).unwrap();
	assert_eq!(sequence, 0);
	assert_eq!((net.balance(&account), net.supply()), (380_000_000, 380_000_000));
	let body = Body::parse(&net.outbox(0).unwrap()).unwrap();
	assert_eq!((body.emitter_chain, body.emitter_address, body.sequence), (1, PROGRAM.to_bytes(), 0));
	let message = TransceiverMessage::parse(&body.payload).unwrap();
	assert_eq!((message.source_manager, message.recipient_manager), (PROGRAM.to_bytes(), HUB));
	let (manager, ntt) = message.transfer().unwrap();
	assert_eq!(manager.sender, owner.pubkey().to_bytes());
	assert_eq!((ntt.amount, ntt.to, ntt.to_chain), (TrimmedAmount { amount: 120_000_000, decimals: 8 }, alice, HUB_CHAIN));
	// What the guardians make of it verifies against the set.
	let vaa = signed(body);
	let keys = guardians();
	verify(&K256, &vaa, &GuardianSet { index: 0, keys: &keys, expiration_time: 0 }, 0, 0).unwrap();

	assert_eq!(net.burn_and_send(&owner, account, 1, alice).unwrap(), 1);
	assert!(net.outbox(1).is_some());
	assert_eq!(net.burn_and_send(&owner, account, 0, alice), Err(Failure::Spoke(SpokeError::ZeroAmount)));
	assert_eq!(net.burn_and_send(&owner, account, 1, [0u8; 32]), Err(Failure::Spoke(SpokeError::InvalidRecipient)));
	// More than the account holds: the token program refuses, nothing published.
	assert!(matches!(net.burn_and_send(&owner, account, 1_000_000_000, alice), Err(Failure::Other(_))));
	// Someone else's tokens: the owner must sign the burn.
	let thief = Keypair::new();
	net.fund(&thief.pubkey());
	assert!(matches!(net.burn_and_send(&thief, account, 1, alice), Err(Failure::Other(_))));
	assert_eq!(net.next_sequence(), 2);
	assert_eq!(net.supply(), 379_999_999);
}

#[test]
fn the_config_is_initialized_once_with_a_mint_the_spoke_controls() {
	let mut net = devnet();
	let again = net.initialize_instruction(HUB_CHAIN, HUB, 0, guardians());
	assert_eq!(net.send(&[again], &[]), Err(Failure::Spoke(SpokeError::AlreadyInitialized)));
	let config = net.config();
	assert_eq!((config.hub_chain, config.hub_emitter, config.guardians.len()), (HUB_CHAIN, HUB, 5));
	assert_eq!(config.mint, net.mint.to_bytes());
	assert_eq!(config.admin, net.payer.pubkey().to_bytes());
}

#[test]
fn the_upgradeable_loader_constant_is_solanas() {
	assert_eq!(Address::new_from_array(UPGRADEABLE_LOADER), Address::from_str_const("BPFLoaderUpgradeab1e11111111111111111111111"));
}

/// Guardians 5–8 of Wormhole's devnet: not the spoke's.
fn attacker_guardians() -> Vec<[u8; 20]> {
	devnet::GUARDIAN_ADDRESSES[5..9].to_vec()
}

/// A funded keypair.
fn funded(net: &mut Devnet) -> Keypair {
	let key = Keypair::new();
	net.fund(&key.pubkey());
	key
}

/// Issue 26 item 1: an account the program merely owns is not the config. Anyone can create a
/// program-owned account (System `CreateAccount` names any owner); before the config was the
/// program address `["config"]`, the attacker's `Initialize` filled it with their own guardians
/// and the real mint, their own VAA minted through it, and `BurnAndSend` unlocked the hub's CLD.
#[test]
fn item_1_a_forged_config_is_refused_by_every_instruction() {
	let mut net = devnet();
	let attacker = funded(&mut net);
	let forged = Keypair::new();
	let mut create = net.create_account_instruction(&forged.pubkey(), CONFIG_LEN, &PROGRAM);
	create.accounts[0] = AccountMeta::new(attacker.pubkey(), true);
	let mut initialize = net.initialize_instruction(HUB_CHAIN, HUB, 0, attacker_guardians());
	initialize.accounts[0] = AccountMeta::new(forged.pubkey(), false);
	initialize.accounts[1] = AccountMeta::new(attacker.pubkey(), true);
	assert_eq!(net.send(&[create.clone(), initialize], &[&attacker, &forged]), Err(Failure::Spoke(SpokeError::NotUpgradeAuthority)));

	// Even filled (as the old `Initialize` filled it), the program-owned account is not the config.
	let mut data = vec![0u8; CONFIG_LEN];
	let mut config = net.config();
	config.guardians = attacker_guardians();
	config.write(&mut data);
	let lamports = net.svm.minimum_balance_for_rent_exemption(CONFIG_LEN);
	net.svm.set_account(forged.pubkey(), Account { lamports, data, owner: PROGRAM, executable: false, rent_epoch: 0 }).unwrap();
	let owner = attacker.pubkey();
	let account = net.token_account(&owner).unwrap();
	let mut body = body(0, payload(1_000_000_000_000, owner.to_bytes(), 1, 8));
	body.nonce = 7;
	// Signed by the attacker's guardians (devnet 5–8) as indices 0–3 of set 0.
	let vaa = signed_by(0, 5, 4, body);
	let digest = vaa.body.digest(&K256);
	let mut redeem = net.redeem_instruction(&vaa.encode(), &digest, account);
	redeem.accounts[0] = AccountMeta::new_readonly(forged.pubkey(), false);
	assert_eq!(net.send(&[Devnet::compute_limit(), redeem], &[]), Err(Failure::Spoke(SpokeError::InvalidConfig)));
	let mut burn = net.burn_and_send_instruction(&owner, account, 1, [0xA1; 32]);
	burn.accounts[0] = AccountMeta::new(forged.pubkey(), false);
	assert_eq!(net.send(&[burn], &[&attacker]), Err(Failure::Spoke(SpokeError::InvalidConfig)));
	assert_eq!(net.supply(), 0);
	assert_eq!(Config::read(&net.svm.get_account(&forged.pubkey()).unwrap().data).unwrap().guardians, attacker_guardians());
}

/// Issue 26 item 1: only the upgrade authority initializes, once; a front-runner, a forged
/// ProgramData or an immutable program get nothing, and lamports sent to `["config"]` first
/// do not block it.
#[test]
fn item_1_only_the_upgrade_authority_initializes_the_config_once() {
	let mut net = Devnet::deploy(&program_so(), PROGRAM).unwrap();
	let front_runner = funded(&mut net);
	let by = |net: &Devnet, signer: &Keypair| {
		let mut initialize = net.initialize_instruction(HUB_CHAIN, HUB, 0, attacker_guardians());
		initialize.accounts[1] = AccountMeta::new(signer.pubkey(), true);
		initialize
	};
	let initialize = by(&net, &front_runner);
	assert_eq!(net.send(&[initialize], &[&front_runner]), Err(Failure::Spoke(SpokeError::NotUpgradeAuthority)));
	// A ProgramData of the attacker's making (it names them), at an address not the loader's.
	let fake = Keypair::new();
	let mut data = vec![3u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
	data.extend_from_slice(front_runner.pubkey().as_ref());
	let lamports = net.svm.minimum_balance_for_rent_exemption(data.len());
	let loader = Address::new_from_array(UPGRADEABLE_LOADER);
	net.svm.set_account(fake.pubkey(), Account { lamports, data, owner: loader, executable: false, rent_epoch: 0 }).unwrap();
	let mut initialize = by(&net, &front_runner);
	initialize.accounts[3] = AccountMeta::new_readonly(fake.pubkey(), false);
	assert_eq!(net.send(&[initialize], &[&front_runner]), Err(Failure::Spoke(SpokeError::NotUpgradeAuthority)));
	// An immutable program has no one to initialize it.
	net.set_upgrade_authority(None);
	let initialize = net.initialize_instruction(HUB_CHAIN, HUB, 0, guardians());
	assert_eq!(net.send(&[initialize], &[]), Err(Failure::Spoke(SpokeError::NotUpgradeAuthority)));
	let authority = net.payer.pubkey();
	net.set_upgrade_authority(Some(&authority));
	assert!(net.svm.get_account(&net.config).is_none());

	// Lamports sent to the config's address first block nothing.
	let config = net.config;
	net.svm.airdrop(&config, net.svm.minimum_balance_for_rent_exemption(0)).unwrap();
	let initialize = net.initialize_instruction(HUB_CHAIN, HUB, 0, guardians());
	net.send(&[initialize], &[]).unwrap();
	assert_eq!(net.config().guardians, guardians());
	let initialize = net.initialize_instruction(HUB_CHAIN, HUB, 0, attacker_guardians());
	assert_eq!(net.send(&[initialize], &[]), Err(Failure::Spoke(SpokeError::AlreadyInitialized)));
	assert_eq!(net.config().guardians, guardians());
}

/// Issue 26 item 1: the mint is the config's, the outbox and the replay accounts their
/// derivations'; and since a program address is public, lamports an attacker sends to the next
/// outbox or to a VAA's replay account must not block the bridge (before: `AlreadyRedeemed` for
/// a VAA never redeemed, and an outbound sequence stuck for ever).
#[test]
fn item_1_a_forged_mint_or_foreign_outbox_is_refused_and_prefunded_addresses_block_nothing() {
	let mut net = devnet();
	let owner = funded(&mut net);
	let account = net.token_account(&owner.pubkey()).unwrap();
	let vaa = signed(body(0, payload(300_000_000, owner.pubkey().to_bytes(), 1, 8)));
	let digest = vaa.body.digest(&K256);

	// A mint of the attacker's making whose authority is the spoke's, and an account of it.
	let forged_mint = net.new_mint().unwrap();
	let forged_account = net.token_account_of(&forged_mint, &owner.pubkey()).unwrap();
	let mut redeem = net.redeem_instruction(&vaa.encode(), &digest, forged_account);
	redeem.accounts[2] = AccountMeta::new(forged_mint, false);
	assert_eq!(net.send(&[Devnet::compute_limit(), redeem], &[]), Err(Failure::Spoke(SpokeError::WrongAccount)));
	// The replay account of another digest.
	let wrong_replay = net.redeem_instruction(&vaa.encode(), &[9u8; 32], account);
	assert_eq!(net.send(&[Devnet::compute_limit(), wrong_replay], &[]), Err(Failure::Spoke(SpokeError::WrongAccount)));

	// Lamports sent to the VAA's replay account before it is redeemed.
	let replay = net.replay_address(&digest);
	net.svm.airdrop(&replay, net.svm.minimum_balance_for_rent_exemption(0)).unwrap();
	net.redeem(&vaa.encode(), account).unwrap();
	assert_eq!(net.supply(), 300_000_000);
	assert_eq!(net.svm.get_account(&replay).unwrap().owner, PROGRAM);
	assert_eq!(net.redeem(&vaa.encode(), account), Err(Failure::Spoke(SpokeError::AlreadyRedeemed)));

	// Burning into an outbox not the next sequence's, or into a forged mint.
	let mut burn = net.burn_and_send_instruction(&owner.pubkey(), account, 1, [0xA1; 32]);
	burn.accounts[1] = AccountMeta::new(net.outbox_address(5), false);
	assert_eq!(net.send(&[burn], &[&owner]), Err(Failure::Spoke(SpokeError::WrongAccount)));
	let mut burn = net.burn_and_send_instruction(&owner.pubkey(), forged_account, 1, [0xA1; 32]);
	burn.accounts[2] = AccountMeta::new(forged_mint, false);
	assert_eq!(net.send(&[burn], &[&owner]), Err(Failure::Spoke(SpokeError::WrongAccount)));
	// Lamports (less than its rent) sent to the next outbox first.
	let outbox = net.outbox_address(0);
	net.svm.airdrop(&outbox, net.svm.minimum_balance_for_rent_exemption(0)).unwrap();
	assert_eq!(net.burn_and_send(&owner, account, 100_000_000, [0xA1; 32]).unwrap(), 0);
	assert!(net.outbox(0).is_some());
	assert_eq!((net.balance(&account), net.supply(), net.next_sequence()), (200_000_000, 200_000_000, 1));
}

#[test]
fn every_spoke_error_code_maps_back_to_its_error() {
	for (code, error) in SpokeError::ALL.iter().enumerate() {
		assert_eq!(*error as u32, code as u32);
		assert_eq!(SpokeError::from_code(code as u32), Some(*error));
	}
	assert_eq!(SpokeError::from_code(SpokeError::ALL.len() as u32), None);
}

/// A VAA signed by guardians `keys[first..first + count]` of Wormhole's devnet as indices
/// `0..count` of set `set_index`.
fn signed_by(set_index: u32, first: usize, count: u8, body: Body) -> Vaa {
	sign_as(set_index, (0..count).map(|i| (i, first + i as usize)), body)
}

/// A guardian-set upgrade body from Wormhole's governance emitter.
fn upgrade(chain: u16, new_index: u32, keys: Vec<[u8; 20]>) -> Body {
	use cloudana_wormhole::governance::{GuardianSetUpgrade, GOVERNANCE_CHAIN, GOVERNANCE_EMITTER};
	Body {
		timestamp: 1_750_000_000,
		nonce: 0,
		emitter_chain: GOVERNANCE_CHAIN,
		emitter_address: GOVERNANCE_EMITTER,
		sequence: new_index as u64,
		consistency_level: 1,
		payload: GuardianSetUpgrade { chain, new_index, keys }.encode(),
	}
}

/// Issue 26 item 14: the spoke had one guardian set for ever, so a compromised or retired set
/// kept minting. A guardian-set upgrade VAA (as Wormhole's core bridge takes it) rotates it;
/// the old set signs for 24 more hours, then nothing it signs mints.
#[test]
fn item_14_a_guardian_set_upgrade_rotates_the_set_and_the_old_one_expires_after_a_day() {
	let mut net = devnet();
	let owner = Keypair::new();
	let account = net.token_account(&owner.pubkey()).unwrap();
	let to = owner.pubkey().to_bytes();
	let next = attacker_guardians();
	let mut not_governance = upgrade(1, 1, next.clone());
	not_governance.emitter_address = [0xEE; 32];
	let refuse = |net: &mut Devnet, vaa: Vaa, error| assert_eq!(net.upgrade_guardian_set(&vaa.encode()), Err(Failure::Spoke(error)));
	refuse(&mut net, signed(not_governance), SpokeError::NotGovernanceEmitter);
	refuse(&mut net, signed(upgrade(1, 2, next.clone())), SpokeError::GuardianSetIndexNotNext);
	refuse(&mut net, signed(upgrade(2, 1, next.clone())), SpokeError::WrongTargetChain);
	refuse(&mut net, sign(&[0, 1, 2], upgrade(1, 1, next.clone())), SpokeError::NoQuorum);
	let mut bad_keys = next.clone();
	bad_keys[0] = [0u8; 20];
	refuse(&mut net, signed(upgrade(0, 1, bad_keys)), SpokeError::InvalidGuardianSet);

	let rotation = signed(upgrade(0, 1, next.clone()));
	net.upgrade_guardian_set(&rotation.encode()).unwrap();
	let config = net.config();
	assert_eq!((config.guardian_set_index, config.guardians.clone()), (1, next.clone()));
	assert_eq!((config.previous_set_index, config.previous_guardians.clone()), (0, guardians()));
	// Again: its set is no longer current (and its replay account exists).
	let replay = net.replay_address(&rotation.body.digest(&K256));
	assert_eq!(net.svm.get_account(&replay).map(|a| a.owner), Some(PROGRAM));
	refuse(&mut net, rotation, SpokeError::GuardianSetIndexNotNext);
	// Only the current set rotates.
	refuse(&mut net, signed(upgrade(0, 2, guardians())), SpokeError::GuardianSetIndexNotNext);

	// The new set (devnet guardians 5–8, indices 0–3 of set 1) mints; the old one for a day.
	net.redeem(&signed_by(1, 5, 3, body(1, payload(100_000_000, to, 1, 8))).encode(), account).unwrap();
	net.redeem(&signed(body(2, payload(100_000_000, to, 1, 8))).encode(), account).unwrap();
	assert_eq!(net.supply(), 200_000_000);
	net.warp(86_401);
	refused(net.redeem(&signed(body(3, payload(100_000_000, to, 1, 8))).encode(), account), SpokeError::GuardianSetExpired);
	refused(net.redeem(&signed_by(7, 5, 3, body(3, payload(1, to, 1, 8))).encode(), account), SpokeError::UnknownGuardianSet);
	net.redeem(&signed_by(1, 5, 3, body(3, payload(100_000_000, to, 1, 8))).encode(), account).unwrap();
	assert_eq!(net.supply(), 300_000_000);
}

/// Issue 26 item 14: the spoke minted whatever a valid VAA said, so a compromised guardian set
/// could mint without bound. Redemptions now draw on a capacity that refills to the mint limit
/// over 24 hours, as the hub's inbound limit; burns give it back; only the admin sets it.
#[test]
fn item_14_the_mint_limit_caps_what_a_day_mints() {
	let mut net = devnet();
	let owner = Keypair::new();
	net.fund(&owner.pubkey());
	let account = net.token_account(&owner.pubkey()).unwrap();
	let to = owner.pubkey().to_bytes();
	let stranger = funded(&mut net);
	assert_eq!(net.set_mint_limit(Some(&stranger), u64::MAX), Err(Failure::Spoke(SpokeError::NotAdmin)));
	net.set_mint_limit(None, 100_000_000).unwrap(); // 1 CLD a day
	assert_eq!((net.config().mint_limit, net.config().mint_capacity), (100_000_000, 100_000_000));

	net.redeem(&signed(body(0, payload(60_000_000, to, 1, 8))).encode(), account).unwrap();
	let second = signed(body(1, payload(60_000_000, to, 1, 8)));
	refused(net.redeem(&second.encode(), account), SpokeError::MintLimitExceeded);
	assert_eq!(net.supply(), 60_000_000);
	// Half a day refills half the limit: 0.4 + 0.5 CLD.
	net.warp(43_200);
	net.redeem(&second.encode(), account).unwrap();
	assert_eq!(net.config().mint_capacity, 30_000_000);
	// A burn gives capacity back.
	net.burn_and_send(&owner, account, 50_000_000, [0xA1; 32]).unwrap();
	assert_eq!(net.config().mint_capacity, 80_000_000);
	refused(net.redeem(&signed(body(2, payload(90_000_000, to, 1, 8))).encode(), account), SpokeError::MintLimitExceeded);
	assert_eq!(net.supply(), 70_000_000);
}
