//! circom circuits: the witness generator against snarkjs's, proofs against snarkjs's verifier
//! (`scripts/circom-demo.sh` runs snarkjs itself on the proofs), and refusals.
//!
//! Fixtures in `tests/fixtures/circom/` are real circom and snarkjs outputs
//! (`scripts/circom-fixtures.sh` regenerates them): `sum` (`SumSq(20)`: the sum of the squares of
//! 20 private inputs as an output, one public input).

use cloudana_circuits::circom::{witness, CircomCircuit, CircomError, WitnessError};
use cloudana_groth16::snarkjs;
use serde_json::json;

fn fixture(name: &str) -> Vec<u8> {
	let path = format!("{}/tests/fixtures/circom/{name}", std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into()));
	std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn sum() -> CircomCircuit {
	CircomCircuit::new(&fixture("sum.zkey"), &fixture("sum.wasm")).unwrap()
}

fn input() -> serde_json::Value {
	serde_json::from_slice(&fixture("sum.input.json")).unwrap()
}

#[test]
fn the_witness_equals_snarkjs_and_the_proof_verifies_under_its_verification_key() {
	let circuit = sum();
	let witness = circuit.generator.witness(&input()).unwrap();
	// snarkjs's .wtns: "wtns", version, sections; section 2 holds the witness, 32 bytes LE each.
	let wtns = fixture("sum.wtns");
	let ours: Vec<u8> = witness.iter().flat_map(|w| cloudana_groth16::encoding::encode_fr(w).into_iter().rev()).collect();
	assert!(wtns.windows(ours.len()).any(|w| w == ours.as_slice()), "the witness differs from snarkjs's");
	assert_eq!(witness::read_wtns(&wtns).unwrap(), witness);
	assert!(witness::read_wtns(b"wtns\x02\0\0\0").is_err());
	let proven = circuit.prove(&witness).unwrap();
	let vk = snarkjs::verifying_key_from_json(std::str::from_utf8(&fixture("sum.vk.json")).unwrap()).unwrap();
	assert_eq!(vk, circuit.vk, "the zkey's verifying key is snarkjs's export");
	assert_eq!(proven.public, snarkjs::public_inputs_from_json(std::str::from_utf8(&fixture("sum.public.json")).unwrap()).unwrap());
	cloudana_groth16::verifier::verify(&vk, &proven.public, &proven.proof).unwrap();
	let mut other = proven.public.clone();
	other[1][31] ^= 1;
	assert!(cloudana_groth16::verifier::verify(&vk, &other, &proven.proof).is_err());
}

#[test]
fn bad_inputs_are_refused_with_the_signal_named() {
	let circuit = sum();
	let mut input = input();
	input["x"].as_array_mut().unwrap().pop();
	let error = circuit.generator.witness(&input).unwrap_err();
	assert!(matches!(&error, WitnessError::Input(m) if m.contains("signal x takes 20")), "{error}");
	let error = circuit.generator.witness(&json!({"nope": 1})).unwrap_err();
	assert!(matches!(&error, WitnessError::Input(m) if m.contains("no input signal nope")), "{error}");
	let error = circuit.generator.witness(&json!({"x": "twelve"})).unwrap_err();
	assert!(matches!(&error, WitnessError::Input(_)), "{error}");
	assert!(CircomCircuit::new(b"not a zkey", &fixture("sum.wasm")).is_err());
	assert!(matches!(CircomCircuit::new(&fixture("sum.zkey"), b"\0asm"), Err(CircomError::Witness(WitnessError::Module(_)))));
}

#[test]
fn names_hash_and_scalars_parse_as_circom_does() {
	// witness_calculator.js: fnvHash("main") etc. are FNV-1a 64.
	assert_eq!(witness::fnv1a(""), 0xcbf29ce484222325);
	assert_eq!(witness::fnv1a("a"), 0xaf63dc4c8601ec8c);
	assert_eq!(witness::parse_scalar("-1").unwrap(), -ark_bn254::Fr::from(1u64));
	assert_eq!(witness::parse_scalar("0x10").unwrap(), ark_bn254::Fr::from(16u64));
	let flat = witness::flatten_input(&json!({"a": {"b": [1, 2]}, "c": [{"d": 3}, {"d": 4}]})).unwrap();
	let names: Vec<&str> = flat.iter().map(|(n, _)| n.as_str()).collect();
	assert_eq!(names, ["a.b", "c[0].d", "c[1].d"]);
}

#[test]
fn the_prover_equals_arkworks_for_the_same_randomness() {
	use ark_bn254::{Bn254, Fr};
	use cloudana_circuits::circom::prove;
	let circuit = sum();
	let witness = circuit.generator.witness(&input()).unwrap();
	let (r, s) = (Fr::from(12345u64), Fr::from(67890u64));
	let ours = prove::prove_with(
		&cloudana_circuits::engine::Cpu,
		prove::Reduction::Snarkjs,
		&circuit.zkey.pk,
		&circuit.zkey.matrices,
		circuit.zkey.n_public + 1,
		&witness,
		r,
		s,
	)
	.unwrap();
	let theirs = ark_groth16::Groth16::<Bn254, SnarkjsReduction>::create_proof_with_reduction_and_matrices(
		&circuit.zkey.pk,
		r,
		s,
		&circuit.zkey.matrices,
		circuit.zkey.n_public + 1,
		circuit.zkey.matrices.num_constraints,
		&witness,
	)
	.unwrap();
	assert_eq!(ours, theirs);
	// And the MSM agrees with arkworks' on zeros, ones and others.
	use ark_ec::{CurveGroup, VariableBaseMSM};
	let bases: Vec<_> = circuit.zkey.pk.a_query.clone();
	let scalars: Vec<Fr> = (0..bases.len()).map(|i| Fr::from((i % 3) as u64) * Fr::from(if i % 5 == 0 { 1u64 << 40 } else { 1 })).collect();
	assert_eq!(prove::msm(&bases, &scalars).into_affine(), ark_bn254::G1Projective::msm(&bases, &scalars).unwrap().into_affine());
}

/// snarkjs's witness map written against arkworks' own domains, as an oracle for
/// `prove::quotient` under `Reduction::Snarkjs`: `aᵢ = ⟨Aᵢ, w⟩`, `bᵢ = ⟨Bᵢ, w⟩`, `cᵢ = aᵢ·bᵢ`,
/// each interpolated and evaluated on the odd coset of the `2n`-th roots, then `a·b − c`.
struct SnarkjsReduction;

impl ark_groth16::r1cs_to_qap::R1CSToQAP for SnarkjsReduction {
	fn instance_map_with_evaluation<F: ark_ff::PrimeField, D: ark_poly::EvaluationDomain<F>>(
		_cs: ark_relations::r1cs::ConstraintSystemRef<F>,
		_t: &F,
	) -> Result<(Vec<F>, Vec<F>, Vec<F>, F, usize, usize), ark_relations::r1cs::SynthesisError> {
		unimplemented!("proving only")
	}

	fn witness_map_from_matrices<F: ark_ff::PrimeField, D: ark_poly::EvaluationDomain<F>>(
		matrices: &ark_relations::r1cs::ConstraintMatrices<F>,
		_num_inputs: usize,
		num_constraints: usize,
		full_assignment: &[F],
	) -> Result<Vec<F>, ark_relations::r1cs::SynthesisError> {
		use ark_groth16::r1cs_to_qap::evaluate_constraint;
		let domain = D::new(num_constraints).unwrap();
		let n = domain.size();
		let row = |m: &[Vec<(F, usize)>], i: usize| if i < num_constraints { evaluate_constraint(&m[i], full_assignment) } else { F::zero() };
		let mut a: Vec<F> = (0..n).map(|i| row(&matrices.a, i)).collect();
		let mut b: Vec<F> = (0..n).map(|i| row(&matrices.b, i)).collect();
		let mut c: Vec<F> = a.iter().zip(&b).map(|(a, b)| *a * b).collect();
		let coset = domain.get_coset(F::get_root_of_unity(2 * n as u64).unwrap()).unwrap();
		for v in [&mut a, &mut b, &mut c] {
			domain.ifft_in_place(v);
			coset.fft_in_place(v);
		}
		Ok(a.iter().zip(&b).zip(&c).map(|((a, b), c)| *a * b - c).collect())
	}

	fn h_query_scalars<F: ark_ff::PrimeField, D: ark_poly::EvaluationDomain<F>>(
		_max_power: usize,
		_t: F,
		_zt: F,
		_delta_inverse: F,
	) -> Result<Vec<F>, ark_relations::r1cs::SynthesisError> {
		unimplemented!("proving only")
	}
}

/// Issue 26 item 4: a `.zkey` whose header claims more than its sections hold is refused before
/// anything is allocated for it (a 2³¹ domain in a small file took ~51 GB), and a witness
/// generator is held to its limits: fuel, time, and no more signals than the `.zkey` has.
#[test]
fn item_4_hostile_artifacts_are_refused_within_bounds() {
	use cloudana_circuits::circom::{witness::Limits, Generator, Zkey};
	let zkey = fixture("sum.zkey");
	// The header's domain size (section 2: n8q, q, n8r, r, nVars, nPublic, domainSize).
	let sections = cloudana_circuits::circom::binfile::sections(&zkey, b"zkey").unwrap();
	let header = sections[&2];
	let offset = header.as_ptr() as usize - zkey.as_ptr() as usize + 4 + 32 + 4 + 32 + 8;
	let mut hostile = zkey.clone();
	hostile[offset..offset + 4].copy_from_slice(&(1u32 << 31).to_le_bytes());
	let error = match Zkey::read(&hostile) {
		Err(e) => e.to_string(),
		Ok(_) => panic!("a 2^31 domain in a small file was read"),
	};
	assert!(error.contains("too few for the 2147483648 elements"), "{error}");
	assert!(Zkey::read_verifying_key(&hostile).is_err());
	// The verifying key alone reads without the rest.
	let vk = Zkey::read_verifying_key(&zkey).unwrap();
	assert_eq!(vk, Zkey::read(&zkey).unwrap().pk.vk);

	// Fuel: too little to finish.
	let starved = Generator::with_limits(&fixture("sum.wasm"), Limits { fuel: 1_000, ..Limits::default() }).unwrap();
	let error = starved.witness(&input()).unwrap_err().to_string();
	assert!(error.contains("went past a limit"), "{error}");
	// More signals than the circuit has.
	let mut capped = Generator::new(&fixture("sum.wasm")).unwrap();
	capped.set_max_witness(2);
	let error = capped.witness(&input()).unwrap_err().to_string();
	assert!(error.contains("claims") && error.contains("the circuit has 2"), "{error}");
	// The circuit's own cap is its nVars: its witnesses fit.
	let circuit = sum();
	assert_eq!(circuit.generator.limits().max_witness, circuit.zkey.n_vars);
}

proptest::proptest! {
	#![proptest_config(proptest::prelude::ProptestConfig::with_cases(
		std::env::var("CLOUDANA_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64)
	))]

	/// Issue 26 item 4's fuzz target: mutated `.zkey`, `.wtns` and `.wasm` files (bytes
	/// overwritten, 32-bit fields set to huge counts, cut short) never panic, never allocate
	/// past their bytes, and a mutated generator stays within its limits. More cases:
	/// `CLOUDANA_FUZZ_CASES=100000 cargo test -p cloudana-circuits --release --test circom fuzz`.
	#[test]
	fn fuzz_the_zkey_and_wtns_readers_and_the_witness_runner(
		at in proptest::prelude::any::<proptest::sample::Index>(),
		word in proptest::prelude::any::<u32>(),
		huge in proptest::prelude::any::<bool>(),
		cut in proptest::prelude::any::<proptest::sample::Index>(),
		which in 0..3u8,
	) {
		use cloudana_circuits::circom::{witness::{read_wtns, Limits}, Generator, Zkey};
		let mut bytes = match which {
			0 => fixture("sum.zkey"),
			1 => fixture("sum.wtns"),
			_ => fixture("sum.wasm"),
		};
		let i = at.index(bytes.len().saturating_sub(4).max(1));
		let value = if huge { word | 0x8000_0000 } else { word };
		let end = (i + 4).min(bytes.len());
		bytes[i..end].copy_from_slice(&value.to_le_bytes()[..end - i]);
		if cut.index(8) == 0 {
			bytes.truncate(cut.index(bytes.len()));
		}
		match which {
			0 => { let _ = Zkey::read(&bytes); let _ = Zkey::read_verifying_key(&bytes); },
			1 => { let _ = read_wtns(&bytes); },
			_ => {
				let limits = Limits { fuel: 50_000_000, time: std::time::Duration::from_secs(10), memory: 64 << 20, max_witness: 1 << 12 };
				if let Ok(generator) = Generator::with_limits(&bytes, limits) {
					let _ = generator.witness(&input());
				}
			},
		}
	}
}
