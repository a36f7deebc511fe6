//! Genesis presets: `development` (one validator, Alice; Sudo; governance a day to the minute:
//! `TimeDivisor` 1 440) and `local_testnet` (four validators, Alice, Bob, Charlie and Dave; no
//! Sudo, governed by referenda alone, with the same divisor). Both endow the well-known development
//! accounts with 1 000 000 CLD, and the treasury and the insurance pool with 1 CLD each (they
//! must exist to receive fees and slashes). Bob, the development prover, starts with a Gold
//! reputation (700), so he may take jobs up to 200 CLD; every other account starts at 0
//! (Bronze). The Wormhole bridge's guardian set 0 is five of Wormhole's public devnet
//! guardians (public keys: for development only), and its account gets the existential
//! deposit.

use crate::{
	configs::{InsurancePool, TreasuryAccount},
	AccountId, BalancesConfig, EconomicsConfig, ReputationConfig, RuntimeGenesisConfig, SudoConfig, WormholeBridgeConfig,
	CLD,
};
use crate::configs::{dynamic_params::governance, RuntimeParameters};
use alloc::{vec, vec::Vec};
use codec::Encode;
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// The development prover's (Bob's) starting reputation: Gold.
pub const DEV_PROVER_SCORE: u16 = 700;

/// CLD given to each development account.
pub const ENDOWMENT: u128 = 1_000_000 * CLD;

/// The development chain's governance time divisor: a day of referendum periods lasts a minute.
pub const DEV_TIME_DIVISOR: u32 = 1_440;

fn genesis(
	authorities: Vec<(AuraId, GrandpaId)>,
	endowed: Vec<AccountId>,
	root: Option<AccountId>,
	parameters: Vec<RuntimeParameters>,
) -> Value {
	let mut balances: Vec<(AccountId, u128)> = endowed.into_iter().map(|a| (a, ENDOWMENT)).collect();
	balances.push((TreasuryAccount::get(), CLD));
	balances.push((InsurancePool::get(), CLD));
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances },
		aura: pallet_aura::GenesisConfig { authorities: authorities.iter().map(|a| a.0.clone()).collect::<Vec<_>>() },
		grandpa: pallet_grandpa::GenesisConfig {
			authorities: authorities.iter().map(|a| (a.1.clone(), 1)).collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: root },
		reputation: ReputationConfig { scores: vec![(Sr25519Keyring::Bob.to_account_id(), DEV_PROVER_SCORE)] },
		economics: EconomicsConfig { parameters: parameters.iter().map(|p| p.encode().into()).collect::<Vec<sp_core::Bytes>>() },
		wormhole_bridge: WormholeBridgeConfig {
			guardian_set_index: 0,
			guardians: dev_guardians(),
			peers: vec![],
		},
	})
}

fn authority(keyring: (Sr25519Keyring, Ed25519Keyring)) -> (AuraId, GrandpaId) {
	(keyring.0.public().into(), keyring.1.public().into())
}

/// The development guardian set: the first five of Wormhole's public devnet guardians
/// (`cloudana_wormhole::devnet`), quorum 4. Peers are registered by governance
/// (`WormholeBridge::register_peer`).
fn dev_guardians() -> Vec<[u8; 20]> {
	cloudana_wormhole::devnet::GUARDIAN_ADDRESSES[..cloudana_wormhole::devnet::DEV_GUARDIANS].to_vec()
}

fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect()
}

/// One validator (Alice), Sudo key Alice, governance periods divided by [`DEV_TIME_DIVISOR`].
pub fn development() -> Value {
	genesis(
		vec![authority((Sr25519Keyring::Alice, Ed25519Keyring::Alice))],
		dev_accounts(),
		Some(Sr25519Keyring::Alice.to_account_id()),
		vec![RuntimeParameters::Governance(governance::Parameters::TimeDivisor(
			governance::TimeDivisor,
			Some(DEV_TIME_DIVISOR),
		))],
	)
}

/// Four validators (Alice, Bob, Charlie, Dave: GRANDPA finalizes with more than two thirds,
/// so four tolerate one down), no Sudo: governed by referenda alone. Like the development
/// chain, governance periods are divided by [`DEV_TIME_DIVISOR`] (a day lasts a minute), so
/// that upgrades and parameter changes can be rehearsed on it; a production chain spec sets
/// no divisor.
pub fn local_testnet() -> Value {
	genesis(
		vec![
			authority((Sr25519Keyring::Alice, Ed25519Keyring::Alice)),
			authority((Sr25519Keyring::Bob, Ed25519Keyring::Bob)),
			authority((Sr25519Keyring::Charlie, Ed25519Keyring::Charlie)),
			authority((Sr25519Keyring::Dave, Ed25519Keyring::Dave)),
		],
		dev_accounts(),
		None,
		vec![RuntimeParameters::Governance(governance::Parameters::TimeDivisor(
			governance::TimeDivisor,
			Some(DEV_TIME_DIVISOR),
		))],
	)
}

/// The preset named `id`, as JSON.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_testnet(),
		_ => return None,
	};
	Some(
		serde_json::to_string(&patch)
			.expect("serializing a JSON value cannot fail; qed")
			.into_bytes(),
	)
}

/// The presets this runtime has.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}
