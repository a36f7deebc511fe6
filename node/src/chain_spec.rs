//! Chain specifications, built from the runtime's genesis presets.
//!
//! `dev` uses preset `development` (one validator, Alice), `local` preset `local_testnet` (Alice,
//! Bob, Charlie and Dave). `chain-specs/dev.json` and `chain-specs/local.json` are these, exported
//! with `cloudana-node export-chain-spec`; a test checks they still match.

use sc_service::ChainType;

/// Specialized `ChainSpec`. The genesis may call the Groth16 host functions.
pub type ChainSpec = sc_service::GenericChainSpec<Option<()>, cloudana_groth16::HostFunctions>;

fn wasm() -> Result<&'static [u8], String> {
	cloudana_runtime::WASM_BINARY.ok_or_else(|| "the runtime wasm was not built (SKIP_WASM_BUILD was set)".to_string())
}

fn properties() -> sc_chain_spec::Properties {
	let mut properties = sc_chain_spec::Properties::new();
	properties.insert("tokenSymbol".into(), cloudana_runtime::TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), cloudana_runtime::TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), cloudana_runtime::SS58_PREFIX.into());
	properties
}

/// The development chain: one validator, manual sealing.
pub fn development() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("Cloudana Development")
		.with_id("dev")
		.with_chain_type(ChainType::Development)
		.with_properties(properties())
		.with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET)
		.build())
}

/// The local testnet: four validators, Aura + GRANDPA.
pub fn local_testnet() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("Cloudana Local Testnet")
		.with_id("local_testnet")
		.with_chain_type(ChainType::Local)
		.with_properties(properties())
		.with_genesis_config_preset_name(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
		.build())
}
