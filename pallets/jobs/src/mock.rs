//! A mock runtime for pallet-jobs' unit tests, with the real pallet-verifier and
//! pallet-prover-staking wired as the runtime wires them (each implements the trait pallet-jobs
//! needs), a recorder of outcomes, and a small real Groth16 circuit whose proofs the tests
//! submit.

use crate::{self as pallet_jobs, CircuitId, CompletedWork, Offence, WorkId};
use ark_bn254::{Bn254, Fr};
use ark_relations::{
	lc,
	r1cs::{ConstraintSynthesizer, ConstraintSystemRef, SynthesisError},
};
use ark_snark::SNARK;
use cloudana_groth16::{encoding, Proof, PublicInput};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64},
};
use sp_runtime::{
	generic::UncheckedExtrinsic,
	traits::{Convert, IdentityLookup},
	AccountId32, BuildStorage, MultiSignature, MultiSigner, Perbill,
};
use std::sync::OnceLock;

type Block = frame_system::mocking::MockBlock<Test>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type Verifier = pallet_verifier;
	#[runtime::pallet_index(3)]
	pub type ProverStaking = pallet_prover_staking;
	#[runtime::pallet_index(4)]
	pub type Jobs = pallet_jobs;
}

pub type AccountId = AccountId32;

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<u64>;
}

parameter_types! {
	/// 1, as in FRAME's test default; a test raises it to make an account unable to receive.
	pub static ExistentialDeposit: u64 = 1;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type ExistentialDeposit = ExistentialDeposit;
}

impl pallet_verifier::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type MaxPublicInputs = ConstU32<{ cloudana_groth16::MAX_PUBLIC_INPUTS }>;
	type DepositBase = ConstU64<100>;
	type DepositPerByte = ConstU64<0>;
	type RevokeOrigin = frame_system::EnsureRoot<u64>;
	type WeightInfo = ();
}

/// Stake tiers: price < 100 needs 1 000, otherwise 10 000.
pub struct Tiers;
impl Convert<u64, u64> for Tiers {
	fn convert(price: u64) -> u64 {
		if price < 100 {
			1_000
		} else {
			10_000
		}
	}
}

impl pallet_prover_staking::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type MinimumStake = ConstU64<1_000>;
	type UnbondingPeriod = ConstU64<150>;
	type StakeLockPeriod = ConstU64<10>;
	type MaxCircuits = ConstU32<16>;
	type MaxUnbondingChunks = ConstU32<4>;
	type RequiredStake = Tiers;
	type Reputation = ();
	type OnHeartbeat = ();
	type HeartbeatInterval = ConstU64<10>;
	type MaxJobDuration = ConstU64<150>;
	type DisputeWindow = ConstU64<0>;
	type WeightInfo = ();
}

thread_local! {
	pub static OFFENCES: std::cell::RefCell<Vec<(AccountId, WorkId, Offence)>> = Default::default();
	pub static COMPLETIONS: std::cell::RefCell<Vec<CompletedWork<AccountId, u64>>> = Default::default();
	pub static REAPED: std::cell::RefCell<Vec<WorkId>> = Default::default();
}

/// Records completions, offences and pruned records so tests can see them.
pub struct RecordOutcomes;
impl pallet_jobs::WorkOutcomes<AccountId, u64> for RecordOutcomes {
	fn on_completed(completed: &CompletedWork<AccountId, u64>) {
		COMPLETIONS.with(|c| c.borrow_mut().push(completed.clone()));
	}
	fn on_offence(prover: &AccountId, work: WorkId, offence: Offence) {
		OFFENCES.with(|o| o.borrow_mut().push((prover.clone(), work, offence)));
	}
	fn on_reaped(work: WorkId) {
		REAPED.with(|r| r.borrow_mut().push(work));
	}
}

/// 10% fee, 8% for provers in [`DIAMOND`].
pub struct Fees;
impl pallet_jobs::FeePolicy<AccountId> for Fees {
	fn fee_rate(prover: &AccountId) -> Perbill {
		if DIAMOND.with(|d| d.borrow().contains(prover)) {
			Perbill::from_percent(8)
		} else {
			FeeRate::get()
		}
	}
}

thread_local! {
	/// Provers that pay the Diamond fee.
	pub static DIAMOND: std::cell::RefCell<Vec<AccountId>> = Default::default();
}

pub const TREASURY: AccountId32 = AccountId32::new([0xee; 32]);

parameter_types! {
	pub const FeeRate: Perbill = Perbill::from_percent(10);
	pub const CancellationFee: Perbill = Perbill::from_percent(10);
	pub const ExpiryFee: Perbill = Perbill::from_percent(50);
	pub const Treasury: AccountId = TREASURY;
	pub static MinProofTimeout: u64 = 2;
	pub static RetentionPeriod: u64 = 30;
	pub static MaxDeadlineWeight: frame_support::weights::Weight = frame_support::weights::Weight::from_parts(20_000_000_000, u64::MAX);
}

impl pallet_jobs::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Verifier = Verifier;
	type Provers = ProverStaking;
	type Outcomes = RecordOutcomes;
	type Fees = Fees;
	type CancellationFee = CancellationFee;
	type ExpiryFee = ExpiryFee;
	type TreasuryAccount = Treasury;
	type DepositBase = ConstU64<10>;
	type DepositPerByte = ConstU64<1>;
	type MaxInputs = ConstU32<8>;
	type MaxOutputs = ConstU32<4>;
	type MaxLockTimeout = ConstU64<100>;
	type MinProofTimeout = MinProofTimeout;
	type MaxProofTimeout = ConstU64<50>;
	type RetentionPeriod = RetentionPeriod;
	type MaxDeadlineWeight = MaxDeadlineWeight;
	type MaxSlots = ConstU32<8>;
	type MaxHyperParamsLen = ConstU32<32>;
	type MaxBatch = ConstU32<8>;
	type MaxBatchKeys = ConstU32<2>;
	type BlockTimeMs = ConstU64<6_000>;
	type AuthorityId = crate::crypto::ProverAuthId;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkHelper;
}

pub type Extrinsic = UncheckedExtrinsic<AccountId, RuntimeCall, MultiSignature, ()>;

thread_local! {
	/// The nonce of each transaction the off-chain worker signed.
	pub static SIGNED_NONCES: std::cell::RefCell<Vec<(AccountId, u32)>> = Default::default();
}

impl frame_system::offchain::SigningTypes for Test {
	type Public = MultiSigner;
	type Signature = MultiSignature;
}

impl<C> frame_system::offchain::CreateTransactionBase<C> for Test
where
	RuntimeCall: From<C>,
{
	type RuntimeCall = RuntimeCall;
	type Extrinsic = Extrinsic;
}

impl<C> frame_system::offchain::CreateSignedTransaction<C> for Test
where
	RuntimeCall: From<C>,
{
	fn create_signed_transaction<A: frame_system::offchain::AppCrypto<MultiSigner, MultiSignature>>(
		call: RuntimeCall,
		public: MultiSigner,
		account: AccountId,
		nonce: u32,
	) -> Option<Extrinsic> {
		use codec::Encode;
		SIGNED_NONCES.with(|n| n.borrow_mut().push((account.clone(), nonce)));
		let signature = A::sign(&call.encode(), public)?;
		Some(Extrinsic::new_signed(call, account, signature, ()))
	}
}

#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for BenchmarkHelper {
	fn register_circuit(public_inputs: u32) -> CircuitId {
		let vk = cloudana_groth16_simulator::Trapdoor::new(crate::BENCHMARK_SEED, public_inputs).verifying_key();
		register_key(vk)
	}
	fn register_prover(who: &AccountId, circuit: CircuitId) {
		ProverStaking::register(RuntimeOrigin::signed(who.clone()), 1_000_000, vec![circuit].try_into().unwrap()).unwrap();
	}
}

pub fn account(n: u8) -> AccountId {
	AccountId32::new([n; 32])
}

pub fn requester() -> AccountId {
	account(1)
}
pub fn prover() -> AccountId {
	account(2)
}
pub fn other_prover() -> AccountId {
	account(3)
}
/// Owns the test circuit's key.
pub fn key_owner() -> AccountId {
	account(4)
}
pub fn poor() -> AccountId {
	account(5)
}

pub const RICH: u64 = 1_000_000;

pub fn all_accounts() -> Vec<AccountId> {
	vec![requester(), prover(), other_prover(), key_owner(), poor(), TREASURY]
}

/// The test circuit: public inputs `[binding, a, b, c]`, constraints `a · b = c` and a square
/// of the binding. Requesters give `a, b`; provers output `c`.
#[derive(Clone)]
pub struct Product {
	pub binding: Fr,
	pub a: Fr,
	pub b: Fr,
	/// Circom's order of public signals: the output first, `[c, binding, a, b]`.
	pub circom_order: bool,
}

impl ConstraintSynthesizer<Fr> for Product {
	fn generate_constraints(self, cs: ConstraintSystemRef<Fr>) -> Result<(), SynthesisError> {
		let early_c = if self.circom_order { Some(cs.new_input_variable(|| Ok(self.a * self.b))?) } else { None };
		let binding = cs.new_input_variable(|| Ok(self.binding))?;
		let a = cs.new_input_variable(|| Ok(self.a))?;
		let b = cs.new_input_variable(|| Ok(self.b))?;
		let c = match early_c {
			Some(c) => c,
			None => cs.new_input_variable(|| Ok(self.a * self.b))?,
		};
		let square = cs.new_witness_variable(|| Ok(self.binding * self.binding))?;
		cs.enforce_constraint(lc!() + a, lc!() + b, lc!() + c)?;
		cs.enforce_constraint(lc!() + binding, lc!() + binding, lc!() + square)?;
		Ok(())
	}
}

type Keys = (ark_groth16::ProvingKey<Bn254>, cloudana_groth16::VerifyingKey<Vec<[u8; 64]>>);

fn setup(circom_order: bool) -> Keys {
	use ark_std::rand::SeedableRng;
	let mut rng = ark_std::rand::rngs::StdRng::seed_from_u64(42 + circom_order as u64);
	let blank = Product { binding: Fr::from(0u64), a: Fr::from(0u64), b: Fr::from(0u64), circom_order };
	let (pk, vk) = ark_groth16::Groth16::<Bn254>::circuit_specific_setup(blank, &mut rng).unwrap();
	let vk = cloudana_groth16::VerifyingKey {
		alpha_g1: encoding::encode_g1(&vk.alpha_g1),
		beta_g2: encoding::encode_g2(&vk.beta_g2),
		gamma_g2: encoding::encode_g2(&vk.gamma_g2),
		delta_g2: encoding::encode_g2(&vk.delta_g2),
		ic: vk.gamma_abc_g1.iter().map(encoding::encode_g1).collect(),
	};
	(pk, vk)
}

pub fn product_keys() -> &'static Keys {
	static KEYS: OnceLock<Keys> = OnceLock::new();
	KEYS.get_or_init(|| setup(false))
}

/// The keys of the product circuit with circom's order of public signals, `[c, binding, a, b]`.
pub fn circom_product_keys() -> &'static Keys {
	static KEYS: OnceLock<Keys> = OnceLock::new();
	KEYS.get_or_init(|| setup(true))
}

/// A real proof that `a · b = c` for the given binding, in circom's order.
pub fn prove_circom_product(binding: &PublicInput, a: u64, b: u64) -> Proof {
	prove_with(circom_product_keys(), true, binding, a, b)
}

/// A real proof that `a · b = c` for the given binding.
pub fn prove_product(binding: &PublicInput, a: u64, b: u64) -> Proof {
	prove_with(product_keys(), false, binding, a, b)
}

fn prove_with(keys: &Keys, circom_order: bool, binding: &PublicInput, a: u64, b: u64) -> Proof {
	use ark_std::rand::SeedableRng;
	let binding = encoding::decode_fr(binding, cloudana_groth16::Element::PublicInput(0)).unwrap();
	let mut rng = ark_std::rand::rngs::StdRng::seed_from_u64(a ^ b.rotate_left(17));
	let circuit = Product { binding, a: Fr::from(a), b: Fr::from(b), circom_order };
	let proof = ark_groth16::Groth16::<Bn254>::prove(&keys.0, circuit, &mut rng).unwrap();
	Proof { a: encoding::encode_g1(&proof.a), b: encoding::encode_g2(&proof.b), c: encoding::encode_g1(&proof.c) }
}

pub fn scalar(v: u64) -> PublicInput {
	encoding::encode_fr(&Fr::from(v))
}

/// Registers a verifying key owned by `key_owner()`, returning its id.
pub fn register_key(vk: cloudana_groth16::VerifyingKey<Vec<[u8; 64]>>) -> CircuitId {
	let id = CircuitId::from(cloudana_groth16::statement::vk_id(&vk));
	let vk = vk.try_map_ic(TryInto::try_into).unwrap();
	Verifier::register_vk(RuntimeOrigin::signed(key_owner()), Box::new(vk)).unwrap();
	id
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![
			(requester(), RICH),
			(prover(), RICH),
			(other_prover(), RICH),
			(key_owner(), RICH),
			(poor(), 50),
			(TREASURY, 1),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::run_to_block::<AllPalletsWithSystem>(1);
		OFFENCES.with(|o| o.borrow_mut().clear());
		COMPLETIONS.with(|c| c.borrow_mut().clear());
		REAPED.with(|r| r.borrow_mut().clear());
		SIGNED_NONCES.with(|n| n.borrow_mut().clear());
		DIAMOND.with(|d| d.borrow_mut().clear());
		MinProofTimeout::set(2);
		RetentionPeriod::set(30);
		MaxDeadlineWeight::set(frame_support::weights::Weight::from_parts(20_000_000_000, u64::MAX));
	});
	ext
}

pub fn run_to_block(n: u64) {
	System::run_to_block::<AllPalletsWithSystem>(n);
}
