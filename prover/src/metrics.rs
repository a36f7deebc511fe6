//! Prometheus metrics of the daemon (`serve --metrics 127.0.0.1:9956`, text format at
//! `/metrics`), through Substrate's `substrate-prometheus-endpoint` (the `prometheus` crate's
//! types and its HTTP exporter, as the node's own metrics).
//!
//! | metric | type | labels | what |
//! |---|---|---|---|
//! | `cloudana_prover_queue_depth` | gauge | | tasks waiting to be proven |
//! | `cloudana_prover_proofs_total` | counter | `circuit`, `outcome` (`proven`, `failed`) | tasks finished |
//! | `cloudana_prover_proving_seconds` | histogram | `circuit` | wall time of a task (training included for a grid slot), seconds |
//! | `cloudana_prover_journal_tasks` | gauge | | tasks kept in the journal (`<journal>/tasks/`) |
//! | `cloudana_prover_tasks_accepted_total` | counter | | tasks accepted (`prover_submit`) |
//!
//! `circuit` is the circuit id, `0x` and 64 hex digits; the circuits a daemon proves are those
//! it was given (`--dataset`) and the circom circuits of the jobs its node locks.

use prometheus_endpoint::{
	exponential_buckets, register, Counter, CounterVec, Gauge, HistogramOpts, HistogramVec, Opts, PrometheusError,
	Registry, U64,
};

/// The daemon's metrics, registered in one registry.
pub struct Metrics {
	pub registry: Registry,
	pub queue_depth: Gauge<U64>,
	pub proofs: CounterVec<U64>,
	pub proving_seconds: HistogramVec,
	pub journal_tasks: Gauge<U64>,
	pub accepted: Counter<U64>,
}

impl Metrics {
	pub fn new() -> Result<Self, PrometheusError> {
		let registry = Registry::new_custom(Some("cloudana_prover".into()), None)?;
		Ok(Metrics {
			queue_depth: register(Gauge::new("queue_depth", "Tasks waiting to be proven")?, &registry)?,
			proofs: register(
				CounterVec::new(Opts::new("proofs_total", "Tasks finished, by circuit and outcome"), &["circuit", "outcome"])?,
				&registry,
			)?,
			proving_seconds: register(
				HistogramVec::new(
					HistogramOpts::new("proving_seconds", "Wall time of a task, seconds")
						.buckets(exponential_buckets(0.05, 2.0, 14)?),
					&["circuit"],
				)?,
				&registry,
			)?,
			journal_tasks: register(Gauge::new("journal_tasks", "Tasks kept in the journal")?, &registry)?,
			accepted: register(Counter::new("tasks_accepted_total", "Tasks accepted")?, &registry)?,
			registry,
		})
	}

	/// Serves `/metrics` on `address` until the process ends.
	pub async fn serve(self: std::sync::Arc<Self>, address: std::net::SocketAddr) -> anyhow::Result<()> {
		prometheus_endpoint::init_prometheus(address, self.registry.clone())
			.await
			.map_err(|e| anyhow::anyhow!("metrics on {address}: {e}"))
	}
}
