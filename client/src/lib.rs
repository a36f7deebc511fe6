//! # cloudana-client
//!
//! The library behind the `cloudana` command-line client: a subxt client for Cloudana's
//! runtime (statically generated from `metadata/cloudana.scale`), with the calls, queries and
//! unit conversions the CLI and the end-to-end tests use.
//!
//! Amounts: the chain counts base units; 1 CLD = 10¹² base units. [`units`] converts.

pub mod bridge;

use anyhow::{anyhow, bail, Context as _};
use std::str::FromStr;
use subxt::{
	config::RpcConfigFor,
	rpcs::{methods::LegacyRpcMethods, rpc_params, RpcClient},
	utils::{AccountId32, H256},
	OnlineClient, SubstrateConfig,
};
use subxt_signer::{sr25519::Keypair, SecretUri};

/// Cloudana's runtime API, generated from `metadata/cloudana.scale` (regenerate with
/// `CLOUDANA_BLESS=1 cargo test -p cloudana-runtime --test integration metadata::`).
#[subxt::subxt(
	runtime_metadata_path = "metadata/cloudana.scale",
	derive_for_all_types = "Clone",
	substitute_type(
		path = "bounded_collections::bounded_vec::BoundedVec<T>",
		with = "::std::vec::Vec<T>"
	)
)]
pub mod runtime {}

// Rebuild when the metadata changes.
const _: &[u8] = include_bytes!("../metadata/cloudana.scale");

pub use runtime::runtime_types::{
	cloudana_groth16::types::{Proof as ChainProof, VerifyingKey as ChainVerifyingKey},
	pallet_jobs::types::{Job, JobStatus, JobTerms},
};

/// The chain's configuration (AccountId32, MultiSignature, BlakeTwo256).
pub type Config = SubstrateConfig;

/// The slots' hyper-parameters for `--grid` arguments: the cartesian product, canonical text.
pub fn expand_grid(args: &[String]) -> anyhow::Result<Vec<String>> {
	let mut axes: Vec<(String, Vec<String>)> = Vec::new();
	for part in args.iter().flat_map(|a| a.split(';')).map(str::trim).filter(|p| !p.is_empty()) {
		let (key, values) = part.split_once('=').ok_or_else(|| anyhow!("--grid {part:?} is not key=v1,v2,…"))?;
		let values: Vec<String> = values.split(',').map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect();
		if values.is_empty() {
			bail!("--grid {key} has no values");
		}
		if axes.iter().any(|(k, _)| k == key.trim()) {
			bail!("--grid {key} is given twice");
		}
		axes.push((key.trim().to_string(), values));
	}
	let mut combos: Vec<Vec<String>> = vec![vec![]];
	for (key, values) in &axes {
		combos = combos
			.into_iter()
			.flat_map(|combo| values.iter().map(move |v| [combo.clone(), vec![format!("{key}={v}")]].concat()))
			.collect();
	}
	combos
		.into_iter()
		.map(|combo| {
			let text = combo.join(",");
			cloudana_circuits::train::HyperParams::parse(&text).map(|p| p.to_text()).map_err(|e| anyhow!("slot {text:?}: {e}"))
		})
		.collect()
}

/// Amounts in CLD and base units.
pub mod units {
	use anyhow::{bail, Context as _};

	/// Decimals of CLD.
	pub const DECIMALS: u32 = 12;
	/// One CLD in base units.
	pub const CLD: u128 = 1_000_000_000_000;

	/// Parses a CLD amount with up to 12 decimals (`12`, `0.5`, `1_000`) into base units.
	pub fn parse_cld(text: &str) -> anyhow::Result<u128> {
		let clean: String = text.trim().chars().filter(|c| *c != '_').collect();
		let (whole, fraction) = clean.split_once('.').unwrap_or((&clean, ""));
		if whole.is_empty() && fraction.is_empty() {
			bail!("{text:?} is not an amount of CLD");
		}
		if !whole.chars().all(|c| c.is_ascii_digit()) || !fraction.chars().all(|c| c.is_ascii_digit()) {
			bail!("{text:?} is not an amount of CLD (digits and one '.', e.g. 12.5)");
		}
		if fraction.len() > DECIMALS as usize {
			bail!("{text:?} has more than {DECIMALS} decimals");
		}
		let whole: u128 = if whole.is_empty() { 0 } else { whole.parse().context("amount too large")? };
		let fraction: u128 = format!("{fraction:0<12}").parse().unwrap_or(0);
		whole.checked_mul(CLD).and_then(|w| w.checked_add(fraction)).context("amount too large")
	}

	/// Formats base units as CLD, trimming trailing zeros (`12.5 CLD`).
	pub fn format_cld(base: u128) -> String {
		let whole = base / CLD;
		let fraction = base % CLD;
		if fraction == 0 {
			return format!("{whole} CLD");
		}
		let fraction = format!("{fraction:012}");
		format!("{whole}.{} CLD", fraction.trim_end_matches('0'))
	}
}

/// A signer from a secret URI: a dev account (`//Alice`), a mnemonic, or a raw seed with
/// optional derivation path and password.
pub fn signer(suri: &str) -> anyhow::Result<Keypair> {
	let uri = SecretUri::from_str(suri).map_err(|e| anyhow!("invalid secret URI: {e}"))?;
	Keypair::from_uri(&uri).map_err(|e| anyhow!("invalid secret URI: {e}"))
}

/// The treasury's account: `PalletId(*b"py/trsry")`, i.e. `"modl" ‖ "py/trsry"` zero-padded.
pub fn treasury_account() -> AccountId32 {
	let mut bytes = [0u8; 32];
	bytes[..4].copy_from_slice(b"modl");
	bytes[4..12].copy_from_slice(b"py/trsry");
	AccountId32(bytes)
}

/// An account from an SS58 address, a secret URI (`//Bob`), or `treasury`.
pub fn account(text: &str) -> anyhow::Result<AccountId32> {
	if text == "treasury" {
		return Ok(treasury_account());
	}
	if text.starts_with("//") || text.contains(' ') {
		return Ok(signer(text)?.public_key().to_account_id());
	}
	AccountId32::from_str(text).map_err(|e| anyhow!("{text:?} is not an SS58 address or a secret URI: {e}"))
}

/// Parses a 32-byte id (`0x…` hex).
pub fn parse_h256(what: &str, text: &str) -> anyhow::Result<H256> {
	let bytes = hex::decode(text.strip_prefix("0x").unwrap_or(text)).with_context(|| format!("{what}: not hex"))?;
	let bytes: [u8; 32] = bytes.try_into().map_err(|_| anyhow!("{what}: expected 32 bytes of hex"))?;
	Ok(H256(bytes))
}

/// Parses a public input: a decimal integer or `0x` hex, as a 32-byte big-endian scalar. It must
/// be below the BN254 scalar modulus r; it is never reduced.
pub fn parse_scalar(text: &str) -> anyhow::Result<[u8; 32]> {
	let bytes = if let Some(hex_text) = text.strip_prefix("0x") {
		let raw = hex::decode(hex_text).with_context(|| format!("{text:?}: not hex"))?;
		if raw.len() > 32 {
			bail!("{text:?}: more than 32 bytes");
		}
		let mut out = [0u8; 32];
		out[32 - raw.len()..].copy_from_slice(&raw);
		out
	} else {
		cloudana_groth16::snarkjs::parse_decimal("input", text)?
	};
	cloudana_groth16::encoding::decode_fr(&bytes, cloudana_groth16::Element::PublicInput(0))
		.map_err(|_| anyhow!("{text:?} is not below the BN254 scalar modulus r"))?;
	Ok(bytes)
}

/// A connection to a Cloudana node.
pub struct Client {
	/// The subxt client.
	pub api: OnlineClient<Config>,
	/// Raw RPC (for methods subxt does not wrap).
	pub rpc: RpcClient,
	/// Legacy RPC methods.
	pub legacy: LegacyRpcMethods<RpcConfigFor<Config>>,
	/// The tip [`Client::submit`] adds to every transaction, base units (0 unless set with
	/// [`Client::with_tip`]): under congestion a higher tip gets ordinary transactions in first.
	pub tip: u128,
}

/// What a submitted extrinsic produced.
pub type Events = subxt::extrinsics::ExtrinsicEvents<Config>;

impl Client {
	/// Connects to a node's WebSocket RPC (e.g. `ws://127.0.0.1:9944`).
	pub async fn connect(url: &str) -> anyhow::Result<Client> {
		let rpc = RpcClient::from_insecure_url(url)
			.await
			.with_context(|| format!("cannot connect to a Cloudana node at {url}"))?;
		let api = OnlineClient::<Config>::from_rpc_client(rpc.clone())
			.await
			.with_context(|| format!("cannot talk to the node at {url}"))?;
		let legacy = LegacyRpcMethods::new(rpc.clone());
		Ok(Client { api, rpc, legacy, tip: 0 })
	}

	/// The same client, tipping `tip` base units on every transaction [`Client::submit`] sends.
	pub fn with_tip(self, tip: u128) -> Client {
		Client { tip, ..self }
	}

	/// Signs, submits and waits for `call` to be finalized; fails with the pallet's error name
	/// and documentation if the extrinsic failed.
	pub async fn submit<Call: subxt::transactions::Payload>(&self, call: &Call, signer: &Keypair) -> anyhow::Result<Events> {
		let at = self.api.at_current_block().await?;
		let mut tx = at.tx();
		let params = subxt::config::SubstrateExtrinsicParamsBuilder::<Config>::new().tip(self.tip).build();
		let progress = tx
			.sign_and_submit_then_watch(call, signer, params)
			.await
			.map_err(|e| anyhow!("the node refused the transaction: {e}"))?;
		progress.wait_for_finalized_success().await.map_err(describe_failure)
	}

	/// Signs `call` once for each `(signer, nonce)` with `tip` (base units; offline, immortal,
	/// against one block), without sending anything: for sending many transactions fast,
	/// each account's in nonce order ([`Client::submit_encoded`]).
	pub async fn sign_batch<Call: subxt::transactions::Payload>(
		&self,
		call: &Call,
		signers: &[(&Keypair, u64)],
		tip: u128,
	) -> anyhow::Result<Vec<Vec<u8>>> {
		let at = self.api.at_current_block().await?;
		let mut signed = Vec::with_capacity(signers.len());
		for (signer, nonce) in signers {
			let params =
				subxt::config::SubstrateExtrinsicParamsBuilder::<Config>::new().immortal().nonce(*nonce).tip(tip).build();
			signed.push(at.tx().create_signable_offline(call, params)?.sign(*signer)?.into_encoded());
		}
		Ok(signed)
	}

	/// Signs `call` with `nonce` (offline, immortal; with the client's tip) and hands it to the
	/// node's transaction pool without waiting for it to be included; the pool's reason for a
	/// refusal is in the error. Many at once: [`Client::sign_batch`].
	pub async fn submit_with_nonce<Call: subxt::transactions::Payload>(
		&self,
		call: &Call,
		signer: &Keypair,
		nonce: u64,
	) -> anyhow::Result<()> {
		let params =
			subxt::config::SubstrateExtrinsicParamsBuilder::<Config>::new().immortal().nonce(nonce).tip(self.tip).build();
		let at = self.api.at_current_block().await?;
		let signed = at.tx().create_signable_offline(call, params)?.sign(signer)?;
		signed.submit().await.map(|_| ()).map_err(|e| anyhow!("the node refused the transaction: {e}"))
	}

	/// Hands signed extrinsics to the node's transaction pool at once (`author_submitExtrinsic`),
	/// without waiting for inclusion; returns each one's outcome, in order. Sent out of nonce
	/// order, an account's transactions wait in the pool's future queue, which drops what waits
	/// too long.
	pub async fn submit_encoded(&self, extrinsics: &[Vec<u8>]) -> Vec<anyhow::Result<()>> {
		let submissions = extrinsics.iter().map(|xt| {
			let hex = format!("0x{}", hex::encode(xt));
			async move {
				self.rpc
					.request::<serde_json::Value>("author_submitExtrinsic", rpc_params![hex])
					.await
					.map(|_| ())
					.map_err(|e| anyhow!("the node refused the transaction: {e}"))
			}
		});
		futures::future::join_all(submissions).await
	}

	/// The nonce `who`'s next transaction takes, counting what waits in the node's pool
	/// (`system_accountNextIndex`).
	pub async fn next_nonce(&self, who: &AccountId32) -> anyhow::Result<u64> {
		self.rpc
			.request::<u64>("system_accountNextIndex", rpc_params![who.to_string()])
			.await
			.map_err(|e| anyhow!("system_accountNextIndex failed: {e}"))
	}

	/// The nonce `who`'s next transaction takes, as of the latest block.
	pub async fn nonce(&self, who: &AccountId32) -> anyhow::Result<u64> {
		let at = self.api.at_current_block().await?;
		let info = at.storage().fetch(runtime::storage().system().account(), (who.clone(),)).await?.decode()?;
		Ok(info.nonce.into())
	}

	/// Inserts a key into the node's keystore (`author_insertKey`; the node must allow unsafe
	/// RPC methods, as a local node does).
	pub async fn insert_key(&self, key_type: &str, suri: &str, public: &[u8]) -> anyhow::Result<()> {
		self.rpc
			.request::<serde_json::Value>("author_insertKey", rpc_params![key_type, suri, format!("0x{}", hex::encode(public))])
			.await
			.map(|_| ())
			.map_err(|e| anyhow!("author_insertKey failed (is the node local, with unsafe RPC allowed?): {e}"))
	}

	/// Free and held balance of an account, base units.
	pub async fn balance(&self, who: &AccountId32) -> anyhow::Result<(u128, u128)> {
		let at = self.api.at_current_block().await?;
		let info = at.storage().fetch(runtime::storage().system().account(), (who.clone(),)).await?.decode()?;
		Ok((info.data.free, info.data.reserved))
	}

	/// A job.
	pub async fn job(&self, id: u64) -> anyhow::Result<Option<Job>> {
		let at = self.api.at_current_block().await?;
		match at.storage().try_fetch(runtime::storage().jobs().jobs(), (id,)).await? {
			Some(value) => Ok(Some(value.decode()?)),
			None => Ok(None),
		}
	}

	/// The genesis hash.
	pub fn genesis_hash(&self) -> H256 {
		self.api.genesis_hash()
	}

	/// The latest finalized block number.
	pub async fn block_number(&self) -> anyhow::Result<u64> {
		Ok(self.api.at_current_block().await?.block_number().into())
	}
}

/// Turns a failed extrinsic into a readable error: `Pallet::Error: docs`.
fn describe_failure(error: subxt::error::TransactionFinalizedSuccessError) -> anyhow::Error {
	use subxt::error::{DispatchError, TransactionEventsError, TransactionFinalizedSuccessError};
	match error {
		TransactionFinalizedSuccessError::SuccessError(TransactionEventsError::ExtrinsicFailed(dispatch)) =>
			match &dispatch {
				DispatchError::Module(module) => match module.details() {
					Ok(details) => anyhow!(
						"{}::{}: {}",
						details.pallet.name(),
						details.variant.name,
						details.variant.docs.join(" ").trim()
					),
					Err(_) => anyhow!("extrinsic failed: {module}"),
				},
				other => anyhow!("extrinsic failed: {other}"),
			},
		other => anyhow!("{other}"),
	}
}

/// Where a job stands, in words.
pub fn status_name(status: &JobStatus) -> &'static str {
	match status {
		JobStatus::Open => "open",
		JobStatus::Locked(_) => "locked",
		JobStatus::Completed { .. } => "completed",
		JobStatus::Cancelled { .. } => "cancelled",
		JobStatus::Expired { .. } => "expired",
		JobStatus::Void { .. } => "void",
	}
}

/// A 32-byte scalar as an integer, if it fits in a `u128` (outputs such as counts do).
pub fn scalar_to_u128(bytes: &[u8; 32]) -> Option<u128> {
	if bytes[..16].iter().any(|b| *b != 0) {
		return None;
	}
	Some(u128::from_be_bytes(bytes[16..].try_into().expect("16 bytes; qed")))
}

/// The first event of type `E` an extrinsic emitted.
pub fn event<E: subxt::events::DecodeAsEvent>(events: &Events) -> anyhow::Result<E> {
	events
		.find_first::<E>()
		.transpose()?
		.ok_or_else(|| anyhow!("the extrinsic succeeded without a {} event", std::any::type_name::<E>()))
}

/// Converts an EIP-197 verifying key to the chain's argument type.
pub fn chain_vk(vk: &cloudana_groth16::VerifyingKey<Vec<[u8; 64]>>) -> ChainVerifyingKey<Vec<[u8; 64]>> {
	ChainVerifyingKey {
		alpha_g1: vk.alpha_g1,
		beta_g2: vk.beta_g2,
		gamma_g2: vk.gamma_g2,
		delta_g2: vk.delta_g2,
		ic: vk.ic.clone(),
	}
}

#[cfg(test)]
mod tests {
	#[test]
	fn grid_arguments_expand_to_the_cartesian_product_last_key_fastest() {
		use super::expand_grid;
		let slots = expand_grid(&["lr=0.01,0.05;epochs=10,20".into(), "hidden=4".into()]).unwrap();
		assert_eq!(
			slots,
			vec![
				"lr=0.01,epochs=10,hidden=4",
				"lr=0.01,epochs=20,hidden=4",
				"lr=0.05,epochs=10,hidden=4",
				"lr=0.05,epochs=20,hidden=4"
			]
		);
		assert_eq!(expand_grid(&["epochs=5".into(), "lr=1".into()]).unwrap(), vec!["lr=1,epochs=5,hidden=8"]);
		for bad in [vec!["lr"], vec!["lr="], vec!["lr=0.1", "lr=0.2"], vec!["lr=2", "epochs=1"], vec!["lr=0.1"], vec!["depth=3"]] {
			let args: Vec<String> = bad.iter().map(|s| s.to_string()).collect();
			assert!(expand_grid(&args).is_err(), "{bad:?} should be refused");
		}
	}

	use super::units::*;

	#[test]
	fn cld_amounts_round_trip() {
		assert_eq!(parse_cld("12").unwrap(), 12 * CLD);
		assert_eq!(parse_cld("0.5").unwrap(), CLD / 2);
		assert_eq!(parse_cld("1_000.000000000001").unwrap(), 1_000 * CLD + 1);
		assert_eq!(format_cld(12 * CLD + CLD / 2), "12.5 CLD");
		assert_eq!(format_cld(1), "0.000000000001 CLD");
		assert!(parse_cld("1.0000000000001").is_err());
		assert!(parse_cld("-1").is_err());
		assert!(parse_cld("abc").is_err());
		assert!(parse_cld("").is_err());
	}

	#[test]
	fn scalars_are_never_reduced() {
		assert_eq!(super::parse_scalar("5").unwrap()[31], 5);
		assert_eq!(super::parse_scalar("0x0a").unwrap()[31], 10);
		let r = "21888242871839275222246405745257275088548364400416034343698204186575808495617";
		assert!(super::parse_scalar(r).is_err());
	}
}
