//! The pallets benchmarked for weights (`scripts/benchmark-weights.sh`).

frame_benchmarking::define_benchmarks!(
	[pallet_verifier, Verifier]
	[pallet_prover_staking, ProverStaking]
	[pallet_jobs, Jobs]
	[pallet_reputation, Reputation]
	[pallet_slashing, Slashing]
	[pallet_disputes, Disputes]
	[pallet_wormhole_bridge, WormholeBridge]
	[pallet_parameters, Parameters]
	[pallet_economics, Economics]
);
