//! The node's service: client, import queue, network, RPC, off-chain workers, and consensus:
//! Aura + GRANDPA on normal chains, manual sealing with instant finality on development chains.

use crate::cli::CloudanaParams;
use codec::{Decode, Encode};
use cloudana_runtime::{opaque::Block, RuntimeApi};
use futures::{FutureExt, SinkExt, StreamExt};
use sc_client_api::{Backend as _, BlockBackend};
use sc_consensus_aura::{ImportQueueParams, SlotProportion, StartAuraParams};
use sc_consensus_manual_seal::{consensus::aura::AuraConsensusDataProvider, EngineCommand, ManualSealParams};
use sc_service::{error::Error as ServiceError, ChainType, Configuration, TaskManager, WarpSyncConfig};
use sc_telemetry::{Telemetry, TelemetryWorker};
use sc_transaction_pool_api::{OffchainTransactionPoolFactory, TransactionPool};
use sp_consensus_aura::{
	sr25519::{AuthorityId as AuraId, AuthorityPair as AuraPair, AuthoritySignature as AuraSignature},
	Slot,
};
use sp_core::offchain::OffchainStorage as _;
use sp_runtime::traits::Block as BlockT;
use std::{sync::Arc, time::Duration};

/// Host functions of the executor: Substrate's, Cloudana's Groth16, and benchmarking's when
/// built for benchmarks.
#[cfg(not(feature = "runtime-benchmarks"))]
pub type HostFunctions = (sp_io::SubstrateHostFunctions, cloudana_groth16::HostFunctions);
#[cfg(feature = "runtime-benchmarks")]
pub type HostFunctions = (
	sp_io::SubstrateHostFunctions,
	cloudana_groth16::HostFunctions,
	frame_benchmarking::benchmarking::HostFunctions,
);

/// The wasm executor.
pub type RuntimeExecutor = sc_executor::WasmExecutor<HostFunctions>;
pub type FullClient = sc_service::TFullClient<Block, RuntimeApi, RuntimeExecutor>;
pub type FullBackend = sc_service::TFullBackend<Block>;
pub type FullSelectChain = sc_consensus::LongestChain<FullBackend, Block>;
pub type FullPool = sc_transaction_pool::TransactionPoolHandle<Block, FullClient>;
type GrandpaImport = sc_consensus_grandpa::GrandpaBlockImport<FullBackend, Block, FullClient, FullSelectChain>;
type GrandpaLink = sc_consensus_grandpa::LinkHalf<Block, FullClient, FullSelectChain>;

/// What `new_partial` builds.
pub type Service = sc_service::PartialComponents<
	FullClient,
	FullBackend,
	FullSelectChain,
	sc_consensus::DefaultImportQueue<Block>,
	FullPool,
	(Option<(GrandpaImport, GrandpaLink)>, Option<Telemetry>),
>;

/// GRANDPA justifications are kept every this many blocks.
const GRANDPA_JUSTIFICATION_PERIOD: u32 = 512;

/// Whether the chain is sealed manually (development chains).
pub fn is_manual_seal(config: &Configuration) -> bool {
	config.chain_spec.chain_type() == ChainType::Development
}

/// The parts shared by the node and the chain-maintenance commands.
pub fn new_partial(config: &Configuration) -> Result<Service, ServiceError> {
	let telemetry = config
		.telemetry_endpoints
		.clone()
		.filter(|x| !x.is_empty())
		.map(|endpoints| -> Result<_, sc_telemetry::Error> {
			let worker = TelemetryWorker::new(16)?;
			let telemetry = worker.handle().new_telemetry(endpoints);
			Ok((worker, telemetry))
		})
		.transpose()?;
	let executor = sc_service::new_wasm_executor::<HostFunctions>(&config.executor);
	let (client, backend, keystore_container, task_manager) = sc_service::new_full_parts::<Block, RuntimeApi, _>(
		config,
		telemetry.as_ref().map(|(_, telemetry)| telemetry.handle()),
		executor,
		Vec::new(),
	)?;
	let client = Arc::new(client);
	let telemetry = telemetry.map(|(worker, telemetry)| {
		task_manager.spawn_handle().spawn("telemetry", None, worker.run());
		telemetry
	});
	let select_chain = sc_consensus::LongestChain::new(backend.clone());
	let transaction_pool = Arc::new(
		sc_transaction_pool::Builder::new(
			task_manager.spawn_essential_handle(),
			client.clone(),
			config.role.is_authority().into(),
		)
		.with_options(config.transaction_pool.clone())
		.with_prometheus(config.prometheus_registry())
		.build(),
	);

	let (import_queue, grandpa) = if is_manual_seal(config) {
		let import_queue = sc_consensus_manual_seal::import_queue(
			Box::new(client.clone()),
			&task_manager.spawn_essential_handle(),
			config.prometheus_registry(),
		);
		(import_queue, None)
	} else {
		let (grandpa_block_import, grandpa_link) = sc_consensus_grandpa::block_import(
			client.clone(),
			GRANDPA_JUSTIFICATION_PERIOD,
			&client,
			select_chain.clone(),
			telemetry.as_ref().map(|x| x.handle()),
		)?;
		let cidp_client = client.clone();
		let import_queue = sc_consensus_aura::import_queue::<AuraPair, _, _, _, _, _>(ImportQueueParams {
			block_import: grandpa_block_import.clone(),
			justification_import: Some(Box::new(grandpa_block_import.clone())),
			client: client.clone(),
			create_inherent_data_providers: move |parent_hash, ()| {
				let client = cidp_client.clone();
				async move {
					let slot_duration =
						sc_consensus_aura::standalone::slot_duration_at::<AuraId, _, _>(&*client, parent_hash)?;
					let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
					let slot = sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
						*timestamp,
						slot_duration,
					);
					Ok((slot, timestamp))
				}
			},
			spawner: &task_manager.spawn_essential_handle(),
			registry: config.prometheus_registry(),
			check_for_equivocation: Default::default(),
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			compatibility_mode: Default::default(),
		})?;
		(import_queue, Some((grandpa_block_import, grandpa_link)))
	};
	Ok(sc_service::PartialComponents {
		client,
		backend,
		task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (grandpa, telemetry),
	})
}

/// Writes the prover worker's settings into the off-chain PERSISTENT storage (keys and
/// encodings: `cloudana_primitives::offchain`). `block_ms` is the block time this node seals at
/// (development chains), if it seals its own.
fn configure_prover(backend: &FullBackend, params: &CloudanaParams, block_ms: Option<u64>) -> Result<(), ServiceError> {
	use cloudana_primitives::offchain::{ProverPolicy, BLOCK_TIME_KEY, ENDPOINT_KEY, POLICY_KEY, TOKEN_KEY};
	let mut storage = backend.offchain_storage().ok_or("the database has no off-chain storage")?;
	let prefix = sp_offchain::STORAGE_PREFIX;
	// Manual sealing makes blocks at the node's pace, not the runtime's slot duration.
	match block_ms {
		Some(ms) => storage.set(prefix, BLOCK_TIME_KEY, &ms.encode()),
		None => storage.remove(prefix, BLOCK_TIME_KEY),
	}
	if let Some(url) = &params.prover_endpoint {
		if !url.is_empty() && !(url.starts_with("http://") || url.starts_with("https://")) {
			return Err(format!("--prover-endpoint must be an http:// or https:// URL, got {url:?}").into());
		}
		storage.set(prefix, ENDPOINT_KEY, &url.as_bytes().to_vec().encode());
		if url.is_empty() {
			log::info!("🧮 Prover worker off");
		} else {
			log::info!("🧮 Prover worker on, daemon at {url}");
		}
	}
	if let Some(path) = &params.prover_token_file {
		let token = std::fs::read_to_string(path).map_err(|e| {
			format!("--prover-token-file {}: {e} (the daemon writes it at its first start: start cloudana-prover first)", path.display())
		})?;
		let token = token.trim();
		if token.is_empty() {
			return Err(format!("--prover-token-file {} is empty", path.display()).into());
		}
		storage.set(prefix, TOKEN_KEY, &token.as_bytes().to_vec().encode());
	}
	let mut policy = storage
		.get(prefix, POLICY_KEY)
		.and_then(|bytes| ProverPolicy::decode(&mut &bytes[..]).ok())
		.unwrap_or_default();
	if let Some(price) = params.prover_min_price {
		policy.min_price = price;
	}
	if let Some(collateral) = params.prover_max_collateral {
		policy.max_collateral = collateral;
	}
	if let Some(percent) = params.prover_max_collateral_ratio {
		policy.max_collateral_percent = percent;
	}
	storage.set(prefix, POLICY_KEY, &policy.encode());
	if params.prover_endpoint.as_deref().is_some_and(|url| !url.is_empty()) {
		log::info!(
			"🧮 Prover policy: price from {} base units, collateral at most {} base units and {}% of the price",
			policy.min_price,
			policy.max_collateral,
			policy.max_collateral_percent
		);
	}
	Ok(())
}

/// Builds and starts the full node.
pub fn new_full<N: sc_network::NetworkBackend<Block, <Block as BlockT>::Hash>>(
	config: Configuration,
	params: CloudanaParams,
) -> Result<TaskManager, ServiceError> {
	let manual_seal = is_manual_seal(&config);
	let sc_service::PartialComponents {
		client,
		backend,
		mut task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (grandpa, mut telemetry),
	} = new_partial(&config)?;
	configure_prover(&backend, &params, manual_seal.then_some(params.dev_block_time).filter(|ms| *ms > 0))?;

	let mut net_config = sc_network::config::FullNetworkConfiguration::<Block, <Block as BlockT>::Hash, N>::new(
		&config.network,
		config.prometheus_registry().cloned(),
	);
	let metrics = N::register_notification_metrics(config.prometheus_registry());
	let mut grandpa_protocol = None;
	let warp_sync_config = match &grandpa {
		Some((_, link)) => {
			let name = sc_consensus_grandpa::protocol_standard_name(
				&client.block_hash(0).ok().flatten().expect("the genesis block exists; qed"),
				&config.chain_spec,
			);
			let (protocol_config, notification_service) = sc_consensus_grandpa::grandpa_peers_set_config::<_, N>(
				name.clone(),
				metrics.clone(),
				net_config.peer_store_handle(),
			);
			net_config.add_notification_protocol(protocol_config);
			grandpa_protocol = Some((name, notification_service));
			Some(WarpSyncConfig::WithProvider(Arc::new(sc_consensus_grandpa::warp_proof::NetworkProvider::new(
				backend.clone(),
				link.shared_authority_set().clone(),
				Vec::new(),
			))))
		},
		None => None,
	};

	let (network, system_rpc_tx, tx_handler_controller, sync_service, _bitswap) =
		sc_service::build_network(sc_service::BuildNetworkParams {
			config: &config,
			net_config,
			client: client.clone(),
			transaction_pool: transaction_pool.clone(),
			spawn_handle: task_manager.spawn_handle(),
			spawn_essential_handle: task_manager.spawn_essential_handle(),
			import_queue,
			block_announce_validator_builder: None,
			warp_sync_config,
			block_relay: None,
			metrics,
			gap_sync_body_policy: None,
		})?;

	if config.offchain_worker.enabled {
		let offchain_workers = sc_offchain::OffchainWorkers::new(sc_offchain::OffchainWorkerOptions {
			runtime_api_provider: client.clone(),
			is_validator: config.role.is_authority(),
			keystore: Some(keystore_container.keystore()),
			offchain_db: backend.offchain_storage(),
			transaction_pool: Some(OffchainTransactionPoolFactory::new(transaction_pool.clone())),
			network_provider: Arc::new(network.clone()),
			enable_http_requests: true,
			custom_extensions: |_| vec![],
		})?;
		task_manager.spawn_handle().spawn(
			"offchain-workers-runner",
			"offchain-worker",
			offchain_workers.run(client.clone(), task_manager.spawn_handle()).boxed(),
		);
	} else if params.prover_endpoint.as_deref().is_some_and(|url| !url.is_empty()) {
		log::warn!("--prover-endpoint is set but off-chain workers are off: pass --offchain-worker always");
	}

	let (seal_sink, seal_stream) = futures::channel::mpsc::channel::<EngineCommand<<Block as BlockT>::Hash>>(1024);
	let role = config.role;
	let force_authoring = config.force_authoring;
	let name = config.network.node_name.clone();
	let enable_grandpa = !config.disable_grandpa;
	let prometheus_registry = config.prometheus_registry().cloned();

	let rpc_builder = {
		let client = client.clone();
		let pool = transaction_pool.clone();
		let sink = manual_seal.then(|| seal_sink.clone());
		Box::new(move |_| {
			crate::rpc::create_full(crate::rpc::FullDeps {
				client: client.clone(),
				pool: pool.clone(),
				manual_seal: sink.clone(),
			})
			.map_err(Into::into)
		})
	};

	sc_service::spawn_tasks(sc_service::SpawnTasksParams {
		network: network.clone(),
		client: client.clone(),
		keystore: keystore_container.keystore(),
		task_manager: &mut task_manager,
		transaction_pool: transaction_pool.clone(),
		rpc_builder,
		backend: backend.clone(),
		system_rpc_tx,
		tx_handler_controller,
		sync_service: sync_service.clone(),
		config,
		telemetry: telemetry.as_mut(),
		tracing_execute_block: None,
	})?;

	let proposer = sc_basic_authorship::ProposerFactory::new(
		task_manager.spawn_handle(),
		client.clone(),
		transaction_pool.clone(),
		prometheus_registry.as_ref(),
		telemetry.as_ref().map(|x| x.handle()),
	);
	let slot_duration = sc_consensus_aura::slot_duration::<AuraId, _, _>(&*client)?;

	if manual_seal {
		let commands: futures::stream::BoxStream<'static, _> = if params.dev_block_time == 0 {
			log::info!("🔨 Sealing a block for each transaction (instant finality)");
			let on_transaction = transaction_pool.import_notification_stream().map(|_| EngineCommand::SealNewBlock {
				create_empty: false,
				finalize: true,
				parent_hash: None,
				sender: None,
			});
			futures::stream::select(seal_stream, on_transaction).boxed()
		} else {
			let period = Duration::from_millis(params.dev_block_time);
			log::info!("🔨 Sealing a block every {} ms (instant finality)", params.dev_block_time);
			let mut sink = seal_sink.clone();
			task_manager.spawn_handle().spawn("dev-block-timer", None, async move {
				let mut interval = tokio::time::interval(period);
				interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
				loop {
					interval.tick().await;
					let command = EngineCommand::SealNewBlock {
						create_empty: true,
						finalize: true,
						parent_hash: None,
						sender: None,
					};
					if sink.send(command).await.is_err() {
						break;
					}
				}
			});
			seal_stream.boxed()
		};
		let cidp_client = client.clone();
		// Timestamps follow the wall clock, but each block takes at least the next Aura slot.
		let create_inherent_data_providers = move |parent: <Block as BlockT>::Hash, ()| {
			let client = cidp_client.clone();
			async move {
				let header = client.header(parent)?.ok_or("the parent header is missing")?;
				let parent_slot = sc_consensus_aura::find_pre_digest::<Block, AuraSignature>(&header)?;
				let now = Slot::from_timestamp(sp_timestamp::Timestamp::current(), slot_duration);
				let slot = std::cmp::max(now, parent_slot + 1);
				let timestamp = slot.timestamp(slot_duration).ok_or("the timestamp overflowed")?;
				Ok::<_, Box<dyn std::error::Error + Send + Sync>>(sp_timestamp::InherentDataProvider::new(timestamp))
			}
		};
		task_manager.spawn_essential_handle().spawn_blocking(
			"manual-seal",
			Some("block-authoring"),
			sc_consensus_manual_seal::run_manual_seal(ManualSealParams {
				block_import: client.clone(),
				env: proposer,
				client: client.clone(),
				pool: transaction_pool.clone(),
				commands_stream: commands,
				select_chain,
				consensus_data_provider: Some(Box::new(AuraConsensusDataProvider::new_with_slot_duration(slot_duration))),
				create_inherent_data_providers,
			}),
		);
		return Ok(task_manager);
	}

	let (block_import, grandpa_link) = grandpa.expect("normal chains build GRANDPA in new_partial; qed");
	let (grandpa_protocol_name, grandpa_notification_service) =
		grandpa_protocol.expect("set with GRANDPA above; qed");

	if role.is_authority() {
		let aura = sc_consensus_aura::start_aura::<AuraPair, _, _, _, _, _, _, _, _, _, _>(StartAuraParams {
			slot_duration,
			client: client.clone(),
			select_chain,
			block_import,
			proposer_factory: proposer,
			create_inherent_data_providers: move |_, ()| async move {
				let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
				let slot = sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
					*timestamp,
					slot_duration,
				);
				Ok((slot, timestamp))
			},
			force_authoring,
			backoff_authoring_blocks: Option::<()>::None,
			keystore: keystore_container.keystore(),
			sync_oracle: sync_service.clone(),
			justification_sync_link: sync_service.clone(),
			block_proposal_slot_portion: SlotProportion::new(2f32 / 3f32),
			max_block_proposal_slot_portion: None,
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			compatibility_mode: Default::default(),
		})?;
		task_manager.spawn_essential_handle().spawn_blocking("aura", Some("block-authoring"), aura);
	}

	if enable_grandpa {
		let keystore = role.is_authority().then(|| keystore_container.keystore());
		let grandpa_params = sc_consensus_grandpa::GrandpaParams {
			config: sc_consensus_grandpa::Config {
				gossip_duration: Duration::from_millis(333),
				justification_generation_period: GRANDPA_JUSTIFICATION_PERIOD,
				name: Some(name),
				observer_enabled: false,
				keystore,
				local_role: role,
				telemetry: telemetry.as_ref().map(|x| x.handle()),
				protocol_name: grandpa_protocol_name,
			},
			link: grandpa_link,
			network,
			sync: sync_service,
			notification_service: grandpa_notification_service,
			voting_rule: sc_consensus_grandpa::VotingRulesBuilder::default().build(),
			prometheus_registry,
			shared_voter_state: sc_consensus_grandpa::SharedVoterState::empty(),
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			offchain_tx_pool_factory: OffchainTransactionPoolFactory::new(transaction_pool),
		};
		task_manager.spawn_essential_handle().spawn_blocking(
			"grandpa-voter",
			None,
			sc_consensus_grandpa::run_grandpa_voter(grandpa_params)?,
		);
	}

	Ok(task_manager)
}
