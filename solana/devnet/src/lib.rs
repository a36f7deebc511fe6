//! # cloudana-solana-devnet
//!
//! A Solana devnet in one process for Cloudana's bridge: `litesvm` (Solana's runtime as a
//! library) with the SBF build of the spoke program (`cloudana-spoke`) and the SPL Token
//! program litesvm bundles. [`Devnet`] deploys the spoke (upgradeable, its payer the upgrade
//! authority), makes its 8-decimal mint (authority: the program address `["mint_authority"]`)
//! and its config (`["config"]`), and drives it with real signed
//! transactions: redeem a VAA, burn and send, read balances, supply and the outbox.

use cloudana_spoke_interface::{
	Instruction as SpokeInstruction, SpokeError, CONFIG_SEED, DECIMALS, MINT_AUTHORITY_SEED, OUTBOX_SEED, REPLAY_SEED,
	UPGRADEABLE_LOADER,
};
use litesvm::LiteSVM;
use solana_address::Address;
use solana_instruction::{AccountMeta, Instruction};
use solana_keypair::Keypair;
use solana_message::Message;
use solana_signer::Signer;
use solana_transaction::Transaction;
use solana_transaction_error::TransactionError;
use std::path::Path;

/// The SPL Token program.
pub const TOKEN_PROGRAM: Address = Address::from_str_const("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
/// The System program.
pub const SYSTEM_PROGRAM: Address = Address::new_from_array([0u8; 32]);
/// The Compute Budget program.
pub const COMPUTE_BUDGET_PROGRAM: Address = Address::from_str_const("ComputeBudget111111111111111111111111111111");
/// The mint limit `Devnet::new` initializes the spoke with: 1 000 000 CLD (10⁻⁸ CLD units) per
/// 24 hours.
pub const DEVNET_MINT_LIMIT: u64 = 1_000_000 * 100_000_000;
/// SPL Token account sizes.
const MINT_LEN: usize = 82;
const TOKEN_ACCOUNT_LEN: usize = 165;

/// Why a transaction failed: the spoke's own error, or another one (in words).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
	Spoke(SpokeError),
	Other(String),
}

impl std::fmt::Display for Failure {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Failure::Spoke(e) => write!(f, "spoke error {e:?}"),
			Failure::Other(e) => f.write_str(e),
		}
	}
}

/// The spoke deployed in litesvm with its mint and config.
pub struct Devnet {
	pub svm: LiteSVM,
	pub program: Address,
	pub config: Address,
	pub mint: Address,
	/// Pays for transactions; the program's upgrade authority and the spoke's admin.
	pub payer: Keypair,
}

impl Devnet {
	/// Deploys the spoke from `program_so` at `program` and initializes it for a hub (Cloudana's
	/// chain id and bridge address) and a guardian set.
	pub fn new(
		program_so: &Path,
		program: Address,
		hub_chain: u16,
		hub_emitter: [u8; 32],
		guardian_set_index: u32,
		guardians: Vec<[u8; 20]>,
	) -> Result<Devnet, Failure> {
		let mut devnet = Devnet::deploy(program_so, program)?;
		let initialize = devnet.initialize_instruction(hub_chain, hub_emitter, guardian_set_index, guardians);
		devnet.send(&[initialize], &[])?;
		Ok(devnet)
	}

	/// Deploys the spoke from `program_so` at `program` (upgradeable, the payer its upgrade
	/// authority) and makes its mint; the config is left for `Initialize`.
	pub fn deploy(program_so: &Path, program: Address) -> Result<Devnet, Failure> {
		let mut svm = LiteSVM::new();
		svm.add_program_from_file(program, program_so)
			.map_err(|e| Failure::Other(format!("cannot load {}: {e:?}", program_so.display())))?;
		let payer = Keypair::new();
		svm.airdrop(&payer.pubkey(), 1_000_000_000_000).map_err(|e| Failure::Other(format!("{e:?}")))?;
		let config = Address::find_program_address(&[CONFIG_SEED], &program).0;
		let mut devnet = Devnet { svm, program, config, mint: Address::default(), payer };
		let authority = devnet.payer.pubkey();
		devnet.set_upgrade_authority(Some(&authority));
		devnet.mint = devnet.new_mint()?;
		Ok(devnet)
	}

	/// A new 8-decimal SPL mint whose mint authority is the spoke's `["mint_authority"]`
	/// (anyone can make one).
	pub fn new_mint(&mut self) -> Result<Address, Failure> {
		let (authority, _) = Address::find_program_address(&[MINT_AUTHORITY_SEED], &self.program);
		let mint = Keypair::new();
		// SPL InitializeMint2: 20 ‖ decimals ‖ mint authority ‖ no freeze authority.
		let mut initialize_mint = vec![20u8, DECIMALS];
		initialize_mint.extend_from_slice(authority.as_ref());
		initialize_mint.push(0);
		let create_mint = self.create_account_instruction(&mint.pubkey(), MINT_LEN, &TOKEN_PROGRAM);
		let init = Instruction {
			program_id: TOKEN_PROGRAM,
			accounts: vec![AccountMeta::new(mint.pubkey(), false)],
			data: initialize_mint,
		};
		self.send(&[create_mint, init], &[&mint])?;
		Ok(mint.pubkey())
	}

	/// The program's ProgramData account (the upgradeable loader's address `[program id]`).
	pub fn programdata_address(&self) -> Address {
		Address::find_program_address(&[self.program.as_ref()], &Address::new_from_array(UPGRADEABLE_LOADER)).0
	}

	/// Sets the upgrade authority in the program's ProgramData (`None`: immutable), as `solana
	/// program deploy` and `set-upgrade-authority` leave it. litesvm deploys programs immutable.
	pub fn set_upgrade_authority(&mut self, authority: Option<&Address>) {
		let address = self.programdata_address();
		let mut account = self.svm.get_account(&address).expect("an upgradeable program's ProgramData");
		// u32 LE 3 ‖ u64 LE slot ‖ Option<[32]>: the option's tag at 12, the key at 13..45.
		match authority {
			Some(key) => {
				account.data[12] = 1;
				account.data[13..45].copy_from_slice(key.as_ref());
			},
			None => account.data[12..45].fill(0),
		}
		self.svm.set_account(address, account).expect("ProgramData is not executable");
	}
	/// The spoke's `Initialize` for this devnet's config and mint, signed by its payer.
	pub fn initialize_instruction(
		&self,
		hub_chain: u16,
		hub_emitter: [u8; 32],
		guardian_set_index: u32,
		guardians: Vec<[u8; 20]>,
	) -> Instruction {
		Instruction {
			program_id: self.program,
			accounts: vec![
				AccountMeta::new(self.config, false),
				AccountMeta::new(self.payer.pubkey(), true),
				AccountMeta::new_readonly(self.mint, false),
				AccountMeta::new_readonly(self.programdata_address(), false),
				AccountMeta::new_readonly(SYSTEM_PROGRAM, false),
			],
			data: SpokeInstruction::Initialize { hub_chain, hub_emitter, guardian_set_index, guardians, mint_limit: DEVNET_MINT_LIMIT }
				.encode(),
		}
	}

	/// System `CreateAccount` of `space` bytes at `address` for `owner`, rent-exempt, paid by
	/// the payer (`address` must sign).
	pub fn create_account_instruction(&self, address: &Address, space: usize, owner: &Address) -> Instruction {
		let lamports = self.svm.minimum_balance_for_rent_exemption(space);
		// System program CreateAccount: u32 LE 0 ‖ lamports u64 LE ‖ space u64 LE ‖ owner.
		let mut data = vec![0u8; 4];
		data.extend_from_slice(&lamports.to_le_bytes());
		data.extend_from_slice(&(space as u64).to_le_bytes());
		data.extend_from_slice(owner.as_ref());
		Instruction {
			program_id: SYSTEM_PROGRAM,
			accounts: vec![AccountMeta::new(self.payer.pubkey(), true), AccountMeta::new(*address, true)],
			data,
		}
	}

	/// Sends `instructions` paid by the devnet's payer and signed by `signers` too.
	pub fn send(&mut self, instructions: &[Instruction], signers: &[&Keypair]) -> Result<(), Failure> {
		let mut all: Vec<&Keypair> = vec![&self.payer];
		all.extend_from_slice(signers);
		let message = Message::new(instructions, Some(&self.payer.pubkey()));
		let transaction = Transaction::new(&all, message, self.svm.latest_blockhash());
		let result = self.svm.send_transaction(transaction);
		self.svm.expire_blockhash();
		match result {
			Ok(_) => Ok(()),
			Err(failed) => {
				// The first "failed" line is the innermost program that failed: a custom error
				// is the spoke's only if the spoke raised it (the token program has its own).
				let failing = failed.meta.logs.iter().find(|l| l.contains(" failed: ")).cloned().unwrap_or_default();
				let ours = failing.starts_with(&format!("Program {} failed", self.program));
				Err(match failed.err {
					TransactionError::InstructionError(_, solana_instruction::error::InstructionError::Custom(code)) if ours =>
						SpokeError::from_code(code).map(Failure::Spoke).unwrap_or_else(|| Failure::Other(failing)),
					other => Failure::Other(format!("{other:?}: {failing}")),
				})
			},
		}
	}

	/// A token account of the bridged mint for `owner`, made and initialized (SPL
	/// `InitializeAccount3`).
	pub fn token_account(&mut self, owner: &Address) -> Result<Address, Failure> {
		let mint = self.mint;
		self.token_account_of(&mint, owner)
	}

	/// A token account of `mint` for `owner`.
	pub fn token_account_of(&mut self, mint: &Address, owner: &Address) -> Result<Address, Failure> {
		let account = Keypair::new();
		let create = self.create_account_instruction(&account.pubkey(), TOKEN_ACCOUNT_LEN, &TOKEN_PROGRAM);
		let mut data = vec![18u8];
		data.extend_from_slice(owner.as_ref());
		let init = Instruction {
			program_id: TOKEN_PROGRAM,
			accounts: vec![AccountMeta::new(account.pubkey(), false), AccountMeta::new_readonly(*mint, false)],
			data,
		};
		self.send(&[create, init], &[&account])?;
		Ok(account.pubkey())
	}

	/// The replay account of a VAA body digest.
	pub fn replay_address(&self, digest: &[u8; 32]) -> Address {
		Address::find_program_address(&[REPLAY_SEED, digest], &self.program).0
	}

	/// The outbox account of `sequence`.
	pub fn outbox_address(&self, sequence: u64) -> Address {
		Address::find_program_address(&[OUTBOX_SEED, &sequence.to_le_bytes()], &self.program).0
	}

	/// The spoke's `Redeem` of `vaa` (its body digest `digest`) into `recipient` (a token
	/// account), with the accounts the spoke expects.
	pub fn redeem_instruction(&self, vaa: &[u8], digest: &[u8; 32], recipient: Address) -> Instruction {
		let (authority, _) = Address::find_program_address(&[MINT_AUTHORITY_SEED], &self.program);
		Instruction {
			program_id: self.program,
			accounts: vec![
				AccountMeta::new(self.config, false),
				AccountMeta::new(self.replay_address(digest), false),
				AccountMeta::new(self.mint, false),
				AccountMeta::new(recipient, false),
				AccountMeta::new_readonly(authority, false),
				AccountMeta::new(self.payer.pubkey(), true),
				AccountMeta::new_readonly(SYSTEM_PROGRAM, false),
				AccountMeta::new_readonly(TOKEN_PROGRAM, false),
			],
			data: SpokeInstruction::Redeem { vaa: vaa.to_vec() }.encode(),
		}
	}

	/// Raises the transaction's compute limit to Solana's maximum (each signature recovery
	/// costs 25 000 units).
	pub fn compute_limit() -> Instruction {
		// ComputeBudget SetComputeUnitLimit: tag 2 ‖ u32 LE units.
		let mut data = vec![2u8];
		data.extend_from_slice(&1_400_000u32.to_le_bytes());
		Instruction { program_id: COMPUTE_BUDGET_PROGRAM, accounts: vec![], data }
	}

	/// Redeems `vaa` into `recipient` (a token account of the mint).
	pub fn redeem(&mut self, vaa: &[u8], recipient: Address) -> Result<(), Failure> {
		let digest = cloudana_wormhole::Vaa::parse(vaa)
			.map(|v| v.body.digest(&cloudana_wormhole::K256))
			.unwrap_or([0u8; 32]);
		let instruction = self.redeem_instruction(vaa, &digest, recipient);
		self.send(&[Self::compute_limit(), instruction], &[])
	}

	/// Burns `amount` (10⁻⁸ CLD) from `source`, a token account of `owner`, and sends it to
	/// `recipient` on Cloudana; returns the message's sequence.
	pub fn burn_and_send(&mut self, owner: &Keypair, source: Address, amount: u64, recipient: [u8; 32]) -> Result<u64, Failure> {
		let sequence = self.next_sequence();
		let instruction = self.burn_and_send_instruction(&owner.pubkey(), source, amount, recipient);
		self.send(&[instruction], &[owner])?;
		Ok(sequence)
	}

	/// The spoke's `BurnAndSend` with the accounts it expects for the next sequence.
	pub fn burn_and_send_instruction(&self, owner: &Address, source: Address, amount: u64, recipient: [u8; 32]) -> Instruction {
		Instruction {
			program_id: self.program,
			accounts: vec![
				AccountMeta::new(self.config, false),
				AccountMeta::new(self.outbox_address(self.next_sequence()), false),
				AccountMeta::new(self.mint, false),
				AccountMeta::new(source, false),
				AccountMeta::new(*owner, true),
				AccountMeta::new_readonly(SYSTEM_PROGRAM, false),
				AccountMeta::new_readonly(TOKEN_PROGRAM, false),
			],
			data: SpokeInstruction::BurnAndSend { amount, recipient }.encode(),
		}
	}

	/// The spoke's `UpgradeGuardianSet` of `vaa` (a guardian-set upgrade VAA), paid by the payer.
	pub fn upgrade_guardian_set(&mut self, vaa: &[u8]) -> Result<(), Failure> {
		let digest = cloudana_wormhole::Vaa::parse(vaa)
			.map(|v| v.body.digest(&cloudana_wormhole::K256))
			.unwrap_or([0u8; 32]);
		let instruction = Instruction {
			program_id: self.program,
			accounts: vec![
				AccountMeta::new(self.config, false),
				AccountMeta::new(self.replay_address(&digest), false),
				AccountMeta::new(self.payer.pubkey(), true),
				AccountMeta::new_readonly(SYSTEM_PROGRAM, false),
			],
			data: SpokeInstruction::UpgradeGuardianSet { vaa: vaa.to_vec() }.encode(),
		};
		self.send(&[Self::compute_limit(), instruction], &[])
	}

	/// The spoke's `SetMintLimit`, signed by `admin`, or by the payer (the real admin) if `None`.
	pub fn set_mint_limit(&mut self, admin: Option<&Keypair>, mint_limit: u64) -> Result<(), Failure> {
		let signer = admin.map_or(self.payer.pubkey(), |k| k.pubkey());
		let instruction = Instruction {
			program_id: self.program,
			accounts: vec![AccountMeta::new(self.config, false), AccountMeta::new_readonly(signer, true)],
			data: SpokeInstruction::SetMintLimit { mint_limit }.encode(),
		};
		let signers: Vec<&Keypair> = admin.into_iter().collect();
		self.send(&[instruction], &signers)
	}

	/// Moves the cluster's clock `seconds` ahead (Unix time and slot).
	pub fn warp(&mut self, seconds: i64) {
		let mut clock: solana_clock::Clock = self.svm.get_sysvar();
		clock.unix_timestamp += seconds;
		clock.slot += (seconds as u64).saturating_mul(5) / 2;
		self.svm.set_sysvar(&clock);
	}

	/// The config as the spoke stores it.
	pub fn config(&self) -> cloudana_spoke_interface::Config {
		let account = self.svm.get_account(&self.config).expect("the config exists");
		cloudana_spoke_interface::Config::read(&account.data).expect("an initialized config")
	}

	/// The next outbox sequence.
	pub fn next_sequence(&self) -> u64 {
		self.config().next_sequence
	}

	/// The VAA body published at `sequence` (what guardians sign), if any.
	pub fn outbox(&self, sequence: u64) -> Option<Vec<u8>> {
		self.svm.get_account(&self.outbox_address(sequence)).filter(|a| !a.data.is_empty()).map(|a| a.data)
	}

	/// A token account's balance, 10⁻⁸ CLD.
	pub fn balance(&self, token_account: &Address) -> u64 {
		self.svm
			.get_account(token_account)
			.map(|a| u64::from_le_bytes(a.data[64..72].try_into().expect("a token account")))
			.unwrap_or(0)
	}

	/// The mint's supply, 10⁻⁸ CLD.
	pub fn supply(&self) -> u64 {
		let mint = self.svm.get_account(&self.mint).expect("the mint exists");
		u64::from_le_bytes(mint.data[36..44].try_into().expect("a mint"))
	}

	/// Gives `who` SOL for fees and rent.
	pub fn fund(&mut self, who: &Address) {
		self.svm.airdrop(who, 10_000_000_000).expect("an airdrop");
	}
}
