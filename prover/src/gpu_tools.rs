//! `cloudana-prover gpu-check` and `gpu-bench`.

use anyhow::Context as _;
use ark_bn254::{Bn254, Fr, G1Projective, G2Projective};
use ark_ff::UniformRand;
use ark_relations::{
	lc,
	r1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError},
};
use cloudana_circuits::{
	engine::{libsnark_coset, Cpu, Engine},
	keys, mlp, train, AccuracyStatement, Synthesized,
};
use cloudana_gpu::{checks, Device, Gpu, G1, G2};
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
use std::{path::Path, time::Instant};

/// `x₀, x₁ = x₀², …`: `constraints` multiplication constraints, the last square public; the
/// synthetic circuit of a given size for benchmarks.
pub struct SquareChain {
	/// Constraints (at least 1).
	pub constraints: usize,
	/// The start.
	pub start: Fr,
}

impl ConstraintSynthesizer<Fr> for SquareChain {
	fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
		let mut value = self.start;
		let mut values = Vec::with_capacity(self.constraints + 1);
		values.push(value);
		for _ in 0..self.constraints {
			value.square_in_place();
			values.push(value);
		}
		let output = cs.new_input_variable(|| Ok(values[self.constraints]))?;
		let mut x = cs.new_witness_variable(|| Ok(values[0]))?;
		for i in 1..=self.constraints {
			let next = if i == self.constraints { output } else { cs.new_witness_variable(|| Ok(values[i]))? };
			cs.enforce_constraint(lc!() + x, lc!() + x, lc!() + next)?;
			x = next;
		}
		Ok(())
	}
}

use ark_ff::Field as _;

fn median_ms<T, E: Into<anyhow::Error>>(runs: usize, mut f: impl FnMut() -> Result<T, E>) -> anyhow::Result<f64> {
	let mut times = Vec::new();
	for _ in 0..runs.max(1) {
		let started = Instant::now();
		std::hint::black_box(f().map_err(Into::into)?);
		times.push(started.elapsed().as_secs_f64() * 1e3);
	}
	times.sort_by(f64::total_cmp);
	Ok(times[times.len() / 2])
}

/// `gpu-check`.
pub fn check(archs: &[String], compile_only: bool, cache: &Path, datasets: &Path) -> anyhow::Result<()> {
	#[cfg(feature = "cuda")]
	{
		use cloudana_gpu::{cuda, Kernel};
		let version = cuda::nvrtc_version()?;
		for arch in archs {
			let started = Instant::now();
			let ptx = cuda::compile(arch)?;
			let missing: Vec<&str> =
				Kernel::ALL.iter().map(|k| k.name()).filter(|name| !ptx.contains(&format!(".entry {name}("))).collect();
			anyhow::ensure!(missing.is_empty(), "{arch}: kernels missing from the PTX: {missing:?}");
			println!(
				"nvrtc {version} {arch}: {} kernels, {} KiB of PTX, {:.1} s",
				Kernel::ALL.len(),
				ptx.len() >> 10,
				started.elapsed().as_secs_f64()
			);
		}
		if compile_only {
			return Ok(());
		}
		let gpu = Gpu::new(cuda::Cuda::new(0, cache)?);
		device_checks(&gpu, datasets)
	}
	#[cfg(not(feature = "cuda"))]
	{
		let _ = (archs, compile_only, cache, datasets);
		anyhow::bail!("this cloudana-prover was built without the `cuda` feature")
	}
}

/// The device checks of `gpu-check`: every failure listed, then an error if any.
pub fn device_checks<D: Device>(gpu: &Gpu<D>, datasets: &Path) -> anyhow::Result<()> {
	println!("device: {}", gpu.name());
	gpu.self_test().context("self-test")?;
	println!("self-test: passed");
	let mut all = checks::msm_g1(gpu, &[1, 2, 3, 8, 1000, (1 << 16) + 1]);
	all.extend(checks::msm_g2(gpu, &[1, 9, (1 << 12) + 3]));
	all.extend(checks::quotients(gpu, &[2, 1 << 10, 1 << 16, 1 << 20]));
	// Whole proofs, equal to the CPU's for the same r, s.
	let (r, s) = (Fr::from(0x5eedu64), Fr::from(0xcafeu64));
	for spec in mlp::Spec::ALL {
		let started = Instant::now();
		let result = (|| -> anyhow::Result<bool> {
			let (pk, statement) = accuracy_statement(spec, datasets)?;
			Ok(statement.prove(gpu, &pk, r, s)?.proof == statement.prove(&Cpu, &pk, r, s)?.proof)
		})();
		all.push(checks::Check {
			name: format!("{} proof", spec.name()),
			error: match result {
				Ok(true) => None,
				Ok(false) => Some("differs from the CPU's".into()),
				Err(e) => Some(format!("{e:#}")),
			},
			ms: started.elapsed().as_secs_f64() * 1e3,
		});
	}
	let mut failed = 0;
	for check in &all {
		match &check.error {
			None => println!("ok    {} ({:.1} ms)", check.name, check.ms),
			Some(error) => {
				failed += 1;
				println!("FAIL  {}: {error}", check.name);
			},
		}
	}
	anyhow::ensure!(failed == 0, "{failed} of {} GPU checks failed", all.len());
	println!("all {} GPU checks passed", all.len());
	Ok(())
}

/// A built-in circuit's development key and a statement of a model trained on its data.
fn accuracy_statement(spec: mlp::Spec, datasets: &Path) -> anyhow::Result<(ark_groth16::ProvingKey<Bn254>, AccuracyStatement)> {
	let path = datasets.join(spec.file_name());
	let all = mlp::Dataset::read_csv(&path).with_context(|| format!("dataset {}", path.display()))?;
	let model = train::train(&all.training(), &train::HyperParams::parse("lr=0.002,epochs=20")?, train::slot_seed(0, 0));
	let statement = AccuracyStatement::new(&[0; 32], &model, &all.holdout()?)?;
	Ok((keys::dev_setup(spec), statement))
}

/// `gpu-bench`'s settings.
pub struct BenchSettings {
	/// Smallest MSM / quotient, log₂.
	pub min_log: u32,
	/// Largest.
	pub max_log: u32,
	/// The synthetic circuit's constraints, log₂ (0: skipped).
	pub circuit_log: u32,
	/// Timed runs.
	pub runs: usize,
	/// Dataset CSVs.
	pub datasets: std::path::PathBuf,
}

/// `gpu-bench`.
pub fn bench(settings: BenchSettings, cache: &Path, emulator: bool) -> anyhow::Result<()> {
	let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
	println!("cpu: {cores} cores (arkworks, rayon)");
	if emulator {
		let gpu = Gpu::new(cloudana_gpu::emulator::Emulator { parallelism: 4096 });
		return run_bench(Some(&gpu), &settings);
	}
	#[cfg(feature = "cuda")]
	match cloudana_gpu::cuda::Cuda::new(0, cache) {
		Ok(device) => {
			let gpu = Gpu::new(device);
			gpu.self_test().context("the GPU failed its self-test")?;
			return run_bench(Some(&gpu), &settings);
		},
		Err(e) => println!("gpu: unavailable ({e}); CPU times only"),
	}
	#[cfg(not(feature = "cuda"))]
	{
		let _ = cache;
		println!("gpu: unavailable (built without the `cuda` feature); CPU times only");
	}
	run_bench::<cloudana_gpu::emulator::Emulator>(None, &settings)
}

fn line(what: &str, cpu: f64, gpu: Option<f64>) {
	match gpu {
		Some(gpu) => println!("{what:<40} cpu_ms {cpu:>10.2}  gpu_ms {gpu:>9.2}  cpu/gpu {:>7.2}", cpu / gpu),
		None => println!("{what:<40} cpu_ms {cpu:>10.2}  gpu_ms         -"),
	}
}

fn run_bench<D: Device>(gpu: Option<&Gpu<D>>, settings: &BenchSettings) -> anyhow::Result<()> {
	if let Some(gpu) = gpu {
		println!("gpu: {}", gpu.name());
	}
	let runs = settings.runs;
	let mut rng = ChaCha20Rng::seed_from_u64(2026);
	let max = 1usize << settings.max_log;
	let started = Instant::now();
	let g1 = checks::points::<G1Projective>(&mut rng, max);
	let scalars = checks::scalars(&mut rng, max);
	println!("inputs: 2^{} G1 points and scalars in {:.1} s", settings.max_log, started.elapsed().as_secs_f64());
	let mut goal_msm = None;
	for log in settings.min_log..=settings.max_log {
		let n = 1usize << log;
		let cpu = median_ms(runs, || Cpu.msm_g1(&g1[..n], &scalars[..n]))?;
		let gpu_ms = match gpu {
			Some(gpu) => {
				let expected = Cpu.msm_g1(&g1[..n], &scalars[..n])?;
				anyhow::ensure!(gpu.msm::<G1>(&g1[..n], &scalars[..n])? == expected, "the GPU's G1 MSM of 2^{log} differs");
				Some(median_ms(runs, || gpu.msm::<G1>(&g1[..n], &scalars[..n]))?)
			},
			None => None,
		};
		if log == 20 {
			goal_msm = gpu_ms;
		}
		line(&format!("msm g1 2^{log}"), cpu, gpu_ms);
	}
	drop(g1);
	let g2_max = settings.max_log.min(20);
	let g2 = checks::points::<G2Projective>(&mut rng, 1 << g2_max);
	for log in (settings.min_log..=g2_max).step_by(2) {
		let n = 1usize << log;
		let cpu = median_ms(runs, || Cpu.msm_g2(&g2[..n], &scalars[..n]))?;
		let gpu_ms = match gpu {
			Some(gpu) => Some(median_ms(runs, || gpu.msm::<G2>(&g2[..n], &scalars[..n]))?),
			None => None,
		};
		line(&format!("msm g2 2^{log}"), cpu, gpu_ms);
	}
	drop(g2);
	for log in (settings.min_log..=settings.max_log).step_by(2) {
		let n = 1usize << log;
		let coset = libsnark_coset(n).context("a BN254 domain")?;
		let (a, b, c) = (&scalars[..n], &scalars[1..=n.min(max - 1)], &scalars[..n]);
		let b = if b.len() == n { b.to_vec() } else { a.to_vec() };
		let cpu = median_ms(runs, || Cpu.quotient(a.to_vec(), b.clone(), Some(c.to_vec()), coset))?;
		let gpu_ms = match gpu {
			Some(gpu) => Some(median_ms(runs, || gpu.quotient_on_device(a, &b, Some(c), coset))?),
			None => None,
		};
		line(&format!("quotient 2^{log} (7 NTTs)"), cpu, gpu_ms);
	}
	let (r, s) = (Fr::rand(&mut rng), Fr::rand(&mut rng));
	let prove = |name: &str, pk: &ark_groth16::ProvingKey<Bn254>, r1cs: &Synthesized| -> anyhow::Result<Option<f64>> {
		let expected = r1cs.prove(&Cpu, pk, r, s)?;
		let cpu = median_ms(runs, || r1cs.prove(&Cpu, pk, r, s))?;
		let gpu_ms = match gpu {
			Some(gpu) => {
				anyhow::ensure!(r1cs.prove(gpu, pk, r, s)? == expected, "the GPU's {name} proof differs from the CPU's");
				Some(median_ms(runs, || r1cs.prove(gpu, pk, r, s))?)
			},
			None => None,
		};
		line(&format!("proof {name}"), cpu, gpu_ms);
		Ok(gpu_ms)
	};
	for spec in mlp::Spec::ALL {
		let (pk, statement) = accuracy_statement(spec, &settings.datasets)?;
		prove(&format!("{} ({} constraints)", spec.name(), statement.r1cs.matrices.num_constraints), &pk, &statement.r1cs)?;
	}
	let mut goal_proof = None;
	if settings.circuit_log > 0 {
		let constraints = (1usize << settings.circuit_log) - 2;
		let circuit = || SquareChain { constraints, start: Fr::from(3u64) };
		let started = Instant::now();
		let pk = {
			use ark_snark::SNARK;
			ark_groth16::Groth16::<Bn254>::circuit_specific_setup(circuit(), &mut rng).map_err(|e| anyhow::anyhow!("setup: {e}"))?.0
		};
		let r1cs = Synthesized::new(circuit())?;
		println!("setup: 2^{} constraints in {:.1} s", settings.circuit_log, started.elapsed().as_secs_f64());
		goal_proof = prove(&format!("2^{} constraints", settings.circuit_log), &pk, &r1cs)?;
	}
	// The goals (issue 15, on an H100/H200): a 2^20 G1 MSM ≤ 5 ms, a 2^20-constraint proof ≤ 50 ms.
	let show = |v: Option<f64>| v.map_or("-".to_string(), |ms| format!("{ms:.2}"));
	if settings.max_log >= 20 && settings.min_log <= 20 {
		println!("msm g1 2^20 gpu_ms: {} (goal ≤ 5)", show(goal_msm));
	}
	if settings.circuit_log == 20 {
		println!("proof 2^20 gpu_ms: {} (goal ≤ 50)", show(goal_proof));
	}
	Ok(())
}
