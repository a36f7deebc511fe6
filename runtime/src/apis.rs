//! The runtime APIs: the standard ones a solochain node and clients need, plus Cloudana's.
//!
//! Cloudana's APIs (callable with `state_call` by any client):
//! - `VerifierApi_verify(vk: H256, public_inputs: Vec<[u8; 32]>, proof: Proof)
//!   -> Result<(), VerifyError>`: check a proof against a registered key without a transaction;
//! - `JobsApi_lock_price(job: u64) -> Option<Balance>`: the price an open job locks at in the
//!   next block; `JobsApi_binding(work: WorkId, prover: AccountId) -> [u8; 32]`: the binding
//!   input of a job or grid slot;
//! - `ParametersApi_current() -> Vec<RuntimeParameters>`: every runtime parameter (economics and
//!   governance) with its current value, its default where none is stored, so that a client can
//!   show values never set on chain (the web app's parameter form);
//! - `ReputationApi_reputation(who: AccountId) -> Option<ProverReputation>`: a prover's score,
//!   tier, formula value and counters (pallet-reputation).
//!
//! With the `runtime-benchmarks` feature only, `VerifierBenchApi` verifies a proof `n` times
//! through the host function and in pure wasm, for `cloudana-node benchmark-verify`.

use crate::*;
use alloc::vec::Vec;
use cloudana_groth16::{Proof, PublicInput};
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	weights::Weight,
};
use pallet_grandpa::AuthorityId as GrandpaId;
use sp_api::impl_runtime_apis;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata, H256};
use sp_runtime::{
	traits::{Block as BlockT, NumberFor},
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult,
};

sp_api::decl_runtime_apis! {
	/// Verification of proofs against registered verifying keys.
	pub trait VerifierApi {
		/// Verifies `proof` for `public_inputs` against the registered key `vk`, exactly as
		/// `Jobs::submit_result` would.
		fn verify(vk: H256, public_inputs: Vec<PublicInput>, proof: Proof) -> Result<(), cloudana_primitives::VerifyError>;
	}

	/// Queries about jobs.
	pub trait JobsApi {
		/// The price an open job would lock at in the next block, base units; `None` if the
		/// job is not open.
		fn lock_price(job: u64) -> Option<Balance>;
		/// The binding public input of `work` (a job or a grid slot) for `prover`.
		fn binding(work: cloudana_primitives::WorkId, prover: AccountId) -> PublicInput;
	}

	/// The runtime parameters (`pallet-parameters`), defaults included.
	pub trait ParametersApi {
		/// Every runtime parameter with its current value: stored on chain, or its default.
		fn current() -> Vec<configs::RuntimeParameters>;
	}
}

#[cfg(feature = "runtime-benchmarks")]
sp_api::decl_runtime_apis! {
	/// Repeated verification, to compare the host function with pure wasm.
	pub trait VerifierBenchApi {
		/// Verifies `n` times through the host function, reading the prepared key from storage
		/// each time; returns how many verified.
		fn verify_host(vk: H256, public_inputs: Vec<PublicInput>, proof: Proof, n: u32) -> u32;
		/// Verifies `n` times in wasm (arkworks compiled into the runtime), reading the prepared
		/// key from storage each time; returns how many verified.
		fn verify_pure_wasm(vk: H256, public_inputs: Vec<PublicInput>, proof: Proof, n: u32) -> u32;
		/// Verifies a batch of `k` copies of the statement in one `Verifier::verify_batch`
		/// (one host call); returns how many were judged valid.
		fn verify_batch_host(vk: H256, public_inputs: Vec<PublicInput>, proof: Proof, k: u32) -> u32;
	}
}

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block)
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(Aura::slot_duration())
		}

		fn authorities() -> Vec<AuraId> {
			pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(owner: Vec<u8>, seed: Option<Vec<u8>>) -> sp_session::OpaqueGeneratedSessionKeys {
			opaque::SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			opaque::SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			_equivocation_proof: sp_consensus_grandpa::EquivocationProof<<Block as BlockT>::Hash, NumberFor<Block>>,
			_key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			None
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			_authority_id: GrandpaId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			None
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}

		fn query_fee_details(uxt: <Block as BlockT>::Extrinsic, len: u32) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}

		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}

		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall> for Runtime {
		fn query_call_info(call: RuntimeCall, len: u32) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}

		fn query_call_fee_details(call: RuntimeCall, len: u32) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}

		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}

		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			crate::genesis_config_presets::preset_names()
		}
	}

	impl self::VerifierApi<Block> for Runtime {
		fn verify(vk: H256, public_inputs: Vec<PublicInput>, proof: Proof) -> Result<(), pallet_verifier::VerifyError> {
			Verifier::verify(&vk, &public_inputs, &proof)
		}
	}

	impl pallet_reputation::runtime_api::ReputationApi<Block, AccountId, BlockNumber> for Runtime {
		fn reputation(who: AccountId) -> Option<pallet_reputation::ProverReputation<BlockNumber>> {
			Reputation::reputation(&who)
		}
	}

	impl self::ParametersApi<Block> for Runtime {
		fn current() -> Vec<configs::RuntimeParameters> {
			configs::economics::current()
		}
	}

	impl self::JobsApi<Block> for Runtime {
		fn lock_price(job: u64) -> Option<Balance> {
			let record = Jobs::job(job)?;
			(record.status == pallet_jobs::JobStatus::Open)
				.then(|| Jobs::price_at(&record, System::block_number().saturating_add(1)))
		}

		fn binding(work: cloudana_primitives::WorkId, prover: AccountId) -> PublicInput {
			Jobs::binding(work, &prover)
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl self::VerifierBenchApi<Block> for Runtime {
		fn verify_host(vk: H256, public_inputs: Vec<PublicInput>, proof: Proof, n: u32) -> u32 {
			(0..n).filter(|_| Verifier::verify(&vk, &public_inputs, &proof).is_ok()).count() as u32
		}

		fn verify_pure_wasm(vk: H256, public_inputs: Vec<PublicInput>, proof: Proof, n: u32) -> u32 {
			let inputs = cloudana_groth16::flatten_public_inputs(&public_inputs);
			let proof = proof.to_bytes();
			(0..n)
				.filter(|_| {
					pallet_verifier::PreparedKeys::<Runtime>::get(vk).is_some_and(|prepared| {
						cloudana_groth16::verifier::verify_prepared(&prepared, &inputs, &proof).is_ok()
					})
				})
				.count() as u32
		}

		fn verify_batch_host(vk: H256, public_inputs: Vec<PublicInput>, proof: Proof, k: u32) -> u32 {
			let statements = alloc::vec![(public_inputs, proof); k as usize];
			let (verdicts, _) = Verifier::verify_batch(&vk, &statements);
			verdicts.iter().filter(|v| **v == pallet_verifier::Verdict::Valid).count() as u32
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::BenchmarkList;
			use frame_support::traits::StorageInfoTrait;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);
			(list, AllPalletsWithSystem::storage_info())
		}

		#[allow(non_local_definitions)]
		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig,
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::BenchmarkBatch;
			use frame_support::traits::{TrackedStorageKey, WhitelistedStorageKeys};

			let whitelist: Vec<TrackedStorageKey> = AllPalletsWithSystem::whitelisted_storage_keys();
			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);
			Ok(batches)
		}
	}
}
