//! # cloudana-spoke
//!
//! The Solana spoke of Cloudana's Wormhole bridge (Wormhole's Native Token Transfers, hub and
//! spoke): CLD locked on Cloudana is minted here as an SPL token of 8 decimals; burned here, it
//! is unlocked on Cloudana. Written with `pinocchio`, built for SBF from upstream Rust
//! (`bpfel-unknown-none`, linked by `sbpf-linker`; `scripts/build-spoke.sh`).
//!
//! VAAs are verified with `cloudana-wormhole` over Solana's syscalls (`sol_keccak256`,
//! `sol_secp256k1_recover`), by the same rules as on Cloudana: quorum ⌊2n/3⌋ + 1, guardian
//! indices strictly ascending and below the set's size, each signature recovering to its
//! guardian's address. Replay is keyed on the body digest: each redeemed VAA creates the
//! account at the program address `["replay", digest]`, which cannot be created twice.
//!
//! ## Addresses
//!
//! - **Config**: the program address `["config"]`, [`CONFIG_LEN`] bytes, created and filled
//!   once by [`Instruction::Initialize`], which only the program's upgrade authority (named in
//!   its ProgramData account) may sign. Every instruction checks the config by derivation.
//! - **Mint**: the one the config pins (checked at `Initialize`: 8 decimals, its mint
//!   authority the spoke's).
//! - **Mint authority**: the program address `["mint_authority"]`; the mint must name it.
//! - **Emitter and NTT manager**: the program id itself (32 bytes), as Cloudana registers the
//!   peer.
//! - **Outbox**: the program address `["outbox", sequence (u64 LE)]`, one account per message,
//!   holding the exact VAA body guardians sign.
//! - **Replay**: the program address `["replay", body digest]`, owned by the program once
//!   redeemed.
//!
//! Program addresses are public, so anyone can send one lamports before the program creates
//! it; the spoke then takes the account over (transfer the rest of the rent, allocate, assign)
//! rather than refuse, so no one can block a replay, outbox or config account.
//!
//! ## Instructions (first byte, then the fields; integers little-endian, as Solana does)
//!
//! | tag | instruction | data | accounts |
//! |---|---|---|---|
//! | 0 | [`Instruction::Initialize`] | `u16 hub chain ‖ [32] hub emitter ‖ u32 guardian set index ‖ u8 n ‖ n × [20] guardian ‖ u64 mint limit` | config `["config"]` (w), upgrade authority (s, w, pays), mint, ProgramData, system program |
//! | 1 | [`Instruction::Redeem`] | the VAA's bytes | config (w), replay (w), mint (w), recipient token account (w), mint authority, payer (s, w), system program, token program |
//! | 2 | [`Instruction::BurnAndSend`] | `u64 amount (10⁻⁸ CLD) ‖ [32] recipient on Cloudana` | config (w), outbox (w), mint (w), owner's token account (w), owner (s, w), system program, token program |
//! | 3 | [`Instruction::UpgradeGuardianSet`] | the VAA's bytes | config (w), replay (w), payer (s, w), system program |
//! | 4 | [`Instruction::SetMintLimit`] | `u64 mint limit (10⁻⁸ CLD per 24 h)` | config (w), admin (s) |
//!
//! ## Guardian sets and the mint limit
//!
//! The config holds the current guardian set and the one it replaced. A guardian-set upgrade
//! VAA (Wormhole's Core governance action 2, from the governance emitter on chain 1, signed by
//! the current set, to the current index plus 1, for Solana or every chain) makes its set
//! current; the replaced set still signs for [`GUARDIAN_SET_GRACE`] (24 hours), as Wormhole's
//! core bridge allows, then `GuardianSetExpired`.
//!
//! Redemptions draw on a mint capacity that refills linearly to the mint limit over 24 hours
//! (NTT's `RateLimiter.sol`, as the hub's inbound limit); a transfer over what is left is
//! refused (`MintLimitExceeded`) and can be redeemed later. Burns give capacity back. A forged
//! VAA mints at most a day's limit before anyone reacts.
//!
//! Errors are [`SpokeError`] codes (`ProgramError::Custom`).

// no_std on Solana; with std elsewhere, so that `cargo check` and clippy work on the host.
#![cfg_attr(any(target_os = "solana", target_arch = "bpf"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
pub use cloudana_spoke_interface::*;
use cloudana_wormhole::{
	governance::{GuardianSetUpgrade, GOVERNANCE_CHAIN, GOVERNANCE_EMITTER},
	ntt::{TransceiverMessage, Transfer, TrimmedAmount},
	verify, Body, Crypto, GuardianSet, Vaa, VaaError, VerifyError,
};
use pinocchio::{
	cpi::{invoke_signed, Seed, Signer},
	error::ProgramError,
	instruction::{InstructionAccount, InstructionView},
	sysvars::{clock::Clock, rent::Rent, Sysvar},
	AccountView, Address, ProgramResult,
};

#[cfg(any(target_os = "solana", target_arch = "bpf"))]
mod entry {
	pinocchio::program_entrypoint!(super::process_instruction);
	pinocchio::default_allocator!();
	pinocchio::nostd_panic_handler!();
}

/// The SPL Token program, `TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA` (base58 decoded).
pub const TOKEN_PROGRAM: Address = Address::new_from_array([
	6, 221, 246, 225, 215, 101, 161, 147, 217, 203, 225, 70, 206, 235, 121, 172, 28, 180, 133, 237, 95, 91, 55, 145, 58,
	140, 245, 133, 126, 255, 0, 169,
]);

/// A spoke error as Solana's `ProgramError::Custom(code)`.
fn e(error: SpokeError) -> ProgramError {
	ProgramError::Custom(error as u32)
}

type Result<T = ()> = core::result::Result<T, ProgramError>;

/// `cloudana_wormhole::Crypto` over Solana's syscalls.
pub struct Syscalls;

impl Crypto for Syscalls {
	#[cfg(any(target_os = "solana", target_arch = "bpf"))]
	fn keccak256(&self, data: &[u8]) -> [u8; 32] {
		let mut out = [0u8; 32];
		let vals: [&[u8]; 1] = [data];
		// SAFETY: `vals` is an array of one slice (pointer, length), as the syscall reads it;
		// `out` has room for the 32-byte hash.
		unsafe { pinocchio::syscalls::sol_keccak256(vals.as_ptr() as *const u8, 1, out.as_mut_ptr()) };
		out
	}

	#[cfg(any(target_os = "solana", target_arch = "bpf"))]
	fn secp256k1_recover(&self, signature: &[u8; 65], digest: &[u8; 32]) -> Option<[u8; 64]> {
		let mut out = [0u8; 64];
		// SAFETY: the pointers are to 32, 64 (the first 64 of 65) and 64 bytes, as the syscall
		// reads and writes them.
		let status = unsafe {
			pinocchio::syscalls::sol_secp256k1_recover(
				digest.as_ptr(),
				signature[64] as u64,
				signature.as_ptr(),
				out.as_mut_ptr(),
			)
		};
		(status == 0).then_some(out)
	}

	#[cfg(not(any(target_os = "solana", target_arch = "bpf")))]
	fn keccak256(&self, _: &[u8]) -> [u8; 32] {
		unimplemented!("the spoke's crypto runs on Solana only")
	}

	#[cfg(not(any(target_os = "solana", target_arch = "bpf")))]
	fn secp256k1_recover(&self, _: &[u8; 65], _: &[u8; 32]) -> Option<[u8; 64]> {
		unimplemented!("the spoke's crypto runs on Solana only")
	}
}

/// The program address of `seeds` and its bump.
#[cfg(any(target_os = "solana", target_arch = "bpf"))]
fn program_address(seeds: &[&[u8]], program_id: &Address) -> (Address, u8) {
	Address::find_program_address(seeds, program_id)
}

#[cfg(not(any(target_os = "solana", target_arch = "bpf")))]
fn program_address(_: &[&[u8]], _: &Address) -> (Address, u8) {
	unimplemented!("program addresses are derived on Solana only")
}

/// The program's entry point.
pub fn process_instruction(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
	let instruction = Instruction::parse(data).map_err(e)?;
	let mut ctx = Ctx { program_id, accounts };
	match &instruction {
		Instruction::Initialize { .. } => initialize(&mut ctx, &instruction),
		Instruction::Redeem { vaa } => redeem(&mut ctx, vaa),
		Instruction::BurnAndSend { amount, recipient } => burn_and_send(&mut ctx, *amount, recipient),
		Instruction::UpgradeGuardianSet { vaa } => upgrade_guardian_set(&mut ctx, vaa),
		Instruction::SetMintLimit { mint_limit } => set_mint_limit(&mut ctx, *mint_limit),
	}
}

/// An instruction's program id and accounts. Handlers take it whole: upstream LLVM passes a
/// function's arguments past the fifth register on the stack in a way SBPF v0's separate
/// 4 KiB call frames do not support, so no function here takes more than five registers
/// (a slice counts two, a returned aggregate one).
struct Ctx<'a> {
	program_id: &'a Address,
	accounts: &'a mut [AccountView],
}

/// The config, read from `config` after checking it is the account at the program address
/// `["config"]` (an account merely owned by the program could be anyone's, filled by anyone's
/// `Initialize` before this check existed).
fn config_of(program_id: &Address, config: &AccountView) -> Result<Config> {
	if config.address() != &program_address(&[CONFIG_SEED], program_id).0 || !config.owned_by(program_id) {
		return Err(e(SpokeError::InvalidConfig));
	}
	Config::read(&config.try_borrow()?).map_err(e)
}

/// Whether `admin` is the upgrade authority its ProgramData account names: `programdata` must be
/// the upgradeable loader's account at `[program id]`, holding `u32 LE 3 ‖ u64 slot ‖ u8 1 ‖
/// [32] authority`.
#[inline(never)]
fn is_upgrade_authority(program_id: &Address, programdata: &AccountView, admin: &Address) -> Result<bool> {
	let loader = Address::new_from_array(UPGRADEABLE_LOADER);
	if programdata.address() != &program_address(&[program_id.as_ref()], &loader).0 || !programdata.owned_by(&loader) {
		return Ok(false);
	}
	let data = programdata.try_borrow()?;
	Ok(data.len() >= 45 && data[0..4] == [3, 0, 0, 0] && data[12] == 1 && data[13..45] == admin.to_bytes())
}

/// Checks `Initialize`'s mint: an 8-decimal SPL mint whose mint authority is the program's.
#[inline(never)]
fn check_mint(program_id: &Address, mint: &AccountView) -> Result<u8> {
	let (mint_authority, bump) = program_address(&[MINT_AUTHORITY_SEED], program_id);
	if !mint.owned_by(&TOKEN_PROGRAM) {
		return Err(e(SpokeError::InvalidMint));
	}
	let data = mint.try_borrow()?;
	// SPL mint: COption<authority> (u32 tag, 32) ‖ supply u64 ‖ decimals u8 ‖ initialized.
	if data.len() != 82 || data[0..4] != [1, 0, 0, 0] || data[4..36] != mint_authority.to_bytes() || data[44] != DECIMALS {
		return Err(e(SpokeError::InvalidMint));
	}
	Ok(bump)
}

#[inline(never)]
fn initialize(ctx: &mut Ctx, instruction: &Instruction) -> Result {
	let Instruction::Initialize { hub_chain, hub_emitter, guardian_set_index, guardians, mint_limit } = instruction else {
		return Err(e(SpokeError::InvalidInstruction));
	};
	let program_id = ctx.program_id;
	let [config, admin, mint, programdata, system, ..] = &mut *ctx.accounts else {
		return Err(ProgramError::NotEnoughAccountKeys);
	};
	if !admin.is_signer() {
		return Err(ProgramError::MissingRequiredSignature);
	}
	if !is_upgrade_authority(program_id, programdata, admin.address())? {
		return Err(e(SpokeError::NotUpgradeAuthority));
	}
	let (config_address, config_bump) = program_address(&[CONFIG_SEED], program_id);
	if config.address() != &config_address || system.address() != &Address::new_from_array([0u8; 32]) {
		return Err(e(SpokeError::WrongAccount));
	}
	if config.owned_by(program_id) {
		return Err(e(SpokeError::AlreadyInitialized));
	}
	let bump = check_mint(program_id, mint)?;
	if guardians.is_empty() || guardians.len() > MAX_GUARDIANS || guardians.iter().any(|g| *g == [0u8; 20]) {
		return Err(e(SpokeError::InvalidGuardianSet));
	}
	let config_bump = [config_bump];
	let seeds = [Seed::from(CONFIG_SEED), Seed::from(&config_bump)];
	create_account(&NewAccount { program_id, payer: admin, target: config, system, space: CONFIG_LEN as u64, seeds: &seeds })?;
	Config {
		mint_authority_bump: bump,
		admin: admin.address().to_bytes(),
		mint: mint.address().to_bytes(),
		hub_chain: *hub_chain,
		hub_emitter: *hub_emitter,
		next_sequence: 0,
		guardian_set_index: *guardian_set_index,
		guardians: guardians.clone(),
		previous_set_index: 0,
		previous_guardians: Vec::new(),
		previous_expires_at: 0,
		mint_limit: *mint_limit,
		mint_capacity: *mint_limit,
		capacity_updated_at: Clock::get()?.unix_timestamp,
	}
	.write(&mut config.try_borrow_mut()?);
	Ok(())
}

/// A program-owned account to create at a program address: `space` bytes, paid by `payer`,
/// signed with the address's `seeds`.
struct NewAccount<'a> {
	program_id: &'a Address,
	payer: &'a AccountView,
	target: &'a AccountView,
	system: &'a AccountView,
	space: u64,
	seeds: &'a [Seed<'a>],
}

/// Makes `new.target` a rent-exempt account of `new.space` bytes owned by the program, signed
/// with the address's seeds. A program address is public, so anyone can send it lamports first;
/// such an account (the System program's, no data) is taken over with `Transfer` (the rest of
/// the rent), `Allocate` and `Assign`, as SPL's associated-token program does, rather than
/// refused: otherwise one lamport would block a replay, outbox or config account for ever.
#[inline(never)]
fn create_account(new: &NewAccount) -> Result {
	let lamports = Rent::get()?.try_minimum_balance(new.space as usize)?;
	let held = new.target.lamports();
	if held == 0 {
		// CreateAccount: u32 LE 0 ‖ lamports u64 LE ‖ space u64 LE ‖ owner.
		let mut data = [0u8; 52];
		data[4..12].copy_from_slice(&lamports.to_le_bytes());
		data[12..20].copy_from_slice(&new.space.to_le_bytes());
		data[20..52].copy_from_slice(new.program_id.as_ref());
		return system_call(new, &data, true);
	}
	if !new.target.owned_by(new.system.address()) || !new.target.is_data_empty() {
		return Err(e(SpokeError::WrongAccount));
	}
	if held < lamports {
		// Transfer: u32 LE 2 ‖ lamports u64 LE.
		let mut data = [0u8; 12];
		data[0] = 2;
		data[4..12].copy_from_slice(&(lamports - held).to_le_bytes());
		system_call(new, &data, true)?;
	}
	// Allocate: u32 LE 8 ‖ space u64 LE.
	let mut data = [0u8; 12];
	data[0] = 8;
	data[4..12].copy_from_slice(&new.space.to_le_bytes());
	system_call(new, &data, false)?;
	// Assign: u32 LE 1 ‖ owner.
	let mut data = [0u8; 36];
	data[0] = 1;
	data[4..36].copy_from_slice(new.program_id.as_ref());
	system_call(new, &data, false)
}

/// One System program instruction on `new.target` (signed with its seeds): with the payer as
/// the first account (`CreateAccount`, `Transfer`) or the target alone (`Allocate`, `Assign`).
#[inline(never)]
fn system_call(new: &NewAccount, data: &[u8], from_payer: bool) -> Result {
	let signer = [Signer::from(new.seeds)];
	if from_payer {
		let metas = [
			InstructionAccount::writable_signer(new.payer.address()),
			InstructionAccount::writable_signer(new.target.address()),
		];
		let instruction = InstructionView { program_id: new.system.address(), data, accounts: &metas };
		invoke_signed(&instruction, &[new.payer, new.target], &signer)
	} else {
		let metas = [InstructionAccount::writable_signer(new.target.address())];
		let instruction = InstructionView { program_id: new.system.address(), data, accounts: &metas };
		invoke_signed(&instruction, &[new.target], &signer)
	}
}

fn vaa_error(e: VaaError) -> SpokeError {
	match e {
		VaaError::UnsupportedVersion(_) => SpokeError::UnsupportedVaaVersion,
		_ => SpokeError::MalformedVaa,
	}
}

fn verify_error(e: VerifyError) -> SpokeError {
	match e {
		VerifyError::WrongGuardianSet { .. } => SpokeError::UnknownGuardianSet,
		VerifyError::EmptyGuardianSet | VerifyError::TooManyGuardians => SpokeError::InvalidGuardianSet,
		VerifyError::GuardianSetExpired { .. } => SpokeError::GuardianSetExpired,
		VerifyError::NoQuorum { .. } => SpokeError::NoQuorum,
		VerifyError::IndicesNotAscending { .. } => SpokeError::GuardianIndicesNotAscending,
		VerifyError::GuardianIndexOutOfRange { .. } => SpokeError::GuardianIndexOutOfRange,
		VerifyError::BadRecoveryId { .. } => SpokeError::InvalidRecoveryId,
		VerifyError::SignatureInvalid { .. } => SpokeError::InvalidSignature,
	}
}

/// Verifies `vaa` against the config's current guardian set, or its previous one within its
/// grace; returns the body digest.
#[inline(never)]
fn verified(config: &Config, vaa: &Vaa, now: i64) -> Result<[u8; 32]> {
	let set = if vaa.guardian_set_index == config.guardian_set_index {
		GuardianSet { index: config.guardian_set_index, keys: &config.guardians, expiration_time: u64::MAX }
	} else if !config.previous_guardians.is_empty() && vaa.guardian_set_index == config.previous_set_index {
		let expiration_time = config.previous_expires_at.max(0) as u64;
		GuardianSet { index: config.previous_set_index, keys: &config.previous_guardians, expiration_time }
	} else {
		return Err(e(SpokeError::UnknownGuardianSet));
	};
	verify(&Syscalls, vaa, &set, config.guardian_set_index, now.max(0) as u64).map_err(|x| e(verify_error(x)))
}

/// What a verified VAA from the hub asks: its body digest, the recipient owner and the amount
/// (10⁻⁸ CLD). Its own frame: SBF gives each call 4 KiB of stack.
#[inline(never)]
fn checked_transfer(program_id: &Address, config: &Config, bytes: &[u8]) -> Result<([u8; 32], [u8; 32], u64)> {
	let vaa = Vaa::parse(bytes).map_err(|x| e(vaa_error(x)))?;
	let digest = verified(config, &vaa, Clock::get()?.unix_timestamp)?;
	let body = &vaa.body;
	if body.emitter_chain != config.hub_chain || body.emitter_address != config.hub_emitter {
		return Err(e(SpokeError::WrongEmitter));
	}
	let message = TransceiverMessage::parse(&body.payload).map_err(|_| e(SpokeError::MalformedPayload))?;
	if message.source_manager != config.hub_emitter {
		return Err(e(SpokeError::WrongSourceManager));
	}
	if message.recipient_manager != program_id.to_bytes() {
		return Err(e(SpokeError::WrongRecipientManager));
	}
	let (_, transfer) = message.transfer().map_err(|_| e(SpokeError::MalformedPayload))?;
	if transfer.to_chain != SOLANA {
		return Err(e(SpokeError::WrongTargetChain));
	}
	if transfer.amount.decimals != DECIMALS {
		return Err(e(SpokeError::UnsupportedDecimals));
	}
	if transfer.amount.amount == 0 {
		return Err(e(SpokeError::ZeroAmount));
	}
	Ok((digest, transfer.to, transfer.amount.amount))
}

#[inline(never)]
fn redeem(ctx: &mut Ctx, bytes: &[u8]) -> Result {
	let (program_id, accounts) = (ctx.program_id, &mut *ctx.accounts);
	if accounts.len() < 8 {
		return Err(ProgramError::NotEnoughAccountKeys);
	}
	let mut config = config_of(program_id, &accounts[0])?;
	let (digest, to, amount) = checked_transfer(program_id, &config, bytes)?;
	let now = Clock::get()?.unix_timestamp;
	// The mint limit, as the hub's inbound limit: a forged VAA (a compromised guardian set)
	// mints at most a day's limit before anyone reacts.
	config.consume_mint(amount, now).map_err(e)?;

	let (replay, replay_bump) = program_address(&[REPLAY_SEED, &digest], program_id);
	let (mint_authority, _) = (program_address(&[MINT_AUTHORITY_SEED], program_id).0, ());
	let [config_account, replay_account, mint, recipient, authority, payer, system, token, ..] = accounts else {
		return Err(ProgramError::NotEnoughAccountKeys);
	};
	if !config_account.is_writable() ||
		replay_account.address() != &replay ||
		mint.address().to_bytes() != config.mint ||
		authority.address() != &mint_authority ||
		system.address() != &Address::new_from_array([0u8; 32]) ||
		token.address() != &TOKEN_PROGRAM
	{
		return Err(e(SpokeError::WrongAccount));
	}
	// Redeemed means the program took the replay account; lamports someone sent it alone do not.
	if replay_account.owned_by(program_id) {
		return Err(e(SpokeError::AlreadyRedeemed));
	}
	{
		// SPL token account: mint ‖ owner ‖ amount ….
		if !recipient.owned_by(&TOKEN_PROGRAM) {
			return Err(e(SpokeError::WrongRecipient));
		}
		let data = recipient.try_borrow()?;
		if data.len() < 64 || data[0..32] != config.mint || data[32..64] != to {
			return Err(e(SpokeError::WrongRecipient));
		}
	}
	let bump = [replay_bump];
	let seeds = [Seed::from(REPLAY_SEED), Seed::from(&digest), Seed::from(&bump)];
	create_account(&NewAccount { program_id, payer, target: replay_account, system, space: 0, seeds: &seeds })?;
	config.write(&mut config_account.try_borrow_mut()?);
	let authority_bump = [config.mint_authority_bump];
	let authority_seeds = [Seed::from(MINT_AUTHORITY_SEED), Seed::from(&authority_bump)];
	mint_to(&MintTo { mint, recipient, authority, amount, seeds: &authority_seeds })
}

/// What `mint_to` mints where, with the mint authority's seeds.
struct MintTo<'a> {
	mint: &'a AccountView,
	recipient: &'a AccountView,
	authority: &'a AccountView,
	amount: u64,
	seeds: &'a [Seed<'a>],
}

/// SPL Token `MintTo` (instruction 7: `7 ‖ amount u64 LE`; accounts mint, account,
/// authority), signed by the mint authority's seeds. By hand, with exactly its three accounts:
/// SBF gives each call 4 KiB of stack.
#[inline(never)]
fn mint_to(m: &MintTo) -> Result {
	let mut data = [7u8; 9];
	data[1..].copy_from_slice(&m.amount.to_le_bytes());
	let metas = [
		InstructionAccount::writable(m.mint.address()),
		InstructionAccount::writable(m.recipient.address()),
		InstructionAccount::readonly_signer(m.authority.address()),
	];
	let instruction = InstructionView { program_id: &TOKEN_PROGRAM, data: &data, accounts: &metas };
	invoke_signed(&instruction, &[m.mint, m.recipient, m.authority], &[Signer::from(m.seeds)])
}

/// SPL Token `Burn` (instruction 8: `8 ‖ amount u64 LE`; accounts source, mint, owner), the
/// owner signing the transaction.
#[inline(never)]
fn burn(source: &AccountView, mint: &AccountView, owner: &AccountView, amount: u64) -> Result {
	let mut data = [8u8; 9];
	data[1..].copy_from_slice(&amount.to_le_bytes());
	let metas = [
		InstructionAccount::writable(source.address()),
		InstructionAccount::writable(mint.address()),
		InstructionAccount::readonly_signer(owner.address()),
	];
	let instruction = InstructionView { program_id: &TOKEN_PROGRAM, data: &data, accounts: &metas };
	invoke_signed(&instruction, &[source, mint, owner], &[])
}

#[inline(never)]
fn burn_and_send(ctx: &mut Ctx, amount: u64, recipient: &[u8; 32]) -> Result {
	let (program_id, accounts) = (ctx.program_id, &mut *ctx.accounts);
	if amount == 0 {
		return Err(e(SpokeError::ZeroAmount));
	}
	if *recipient == [0u8; 32] {
		return Err(e(SpokeError::InvalidRecipient));
	}
	if accounts.len() < 7 {
		return Err(ProgramError::NotEnoughAccountKeys);
	}
	let mut config = config_of(program_id, &accounts[0])?;
	let sequence = config.next_sequence;
	let (outbox, outbox_bump) = program_address(&[OUTBOX_SEED, &sequence.to_le_bytes()], program_id);
	let [config_account, outbox_account, mint, source, owner, system, token, ..] = accounts else {
		return Err(ProgramError::NotEnoughAccountKeys);
	};
	if outbox_account.address() != &outbox ||
		mint.address().to_bytes() != config.mint ||
		system.address() != &Address::new_from_array([0u8; 32]) ||
		token.address() != &TOKEN_PROGRAM
	{
		return Err(e(SpokeError::WrongAccount));
	}
	if !owner.is_signer() {
		return Err(ProgramError::MissingRequiredSignature);
	}
	burn(source, mint, owner, amount)?;

	let message = Outbound { sequence, sender: owner.address().to_bytes(), amount, recipient: *recipient };
	let body = outbound_body(program_id, &config, &message)?;

	let sequence_bytes = sequence.to_le_bytes();
	let bump = [outbox_bump];
	let seeds = [Seed::from(OUTBOX_SEED), Seed::from(&sequence_bytes), Seed::from(&bump)];
	create_account(&NewAccount { program_id, payer: owner, target: outbox_account, system, space: body.len() as u64, seeds: &seeds })?;
	outbox_account.try_borrow_mut()?.copy_from_slice(&body);
	config.next_sequence += 1;
	config.backfill_mint(amount, Clock::get()?.unix_timestamp);
	config.write(&mut config_account.try_borrow_mut()?);
	Ok(())
}

/// A transfer to the hub, as `burn_and_send` publishes it.
struct Outbound {
	sequence: u64,
	sender: [u8; 32],
	amount: u64,
	recipient: [u8; 32],
}

#[inline(never)]
fn outbound_body(program_id: &Address, config: &Config, message: &Outbound) -> Result<Vec<u8>> {
	let Outbound { sequence, sender, amount, recipient } = *message;
	let payload = Transfer {
		source_manager: program_id.to_bytes(),
		recipient_manager: config.hub_emitter,
		sequence,
		sender,
		amount: TrimmedAmount { amount, decimals: DECIMALS },
		source_token: config.mint,
		to: recipient,
		to_chain: config.hub_chain,
	}
	.encode()
	.map_err(|_| e(SpokeError::MalformedPayload))?;
	let body = Body {
		timestamp: Clock::get()?.unix_timestamp.max(0) as u32,
		nonce: 0,
		emitter_chain: SOLANA,
		emitter_address: program_id.to_bytes(),
		sequence,
		consistency_level: CONSISTENCY_FINALIZED,
		payload,
	}
	.encode();
	Ok(body)
}

/// What a verified guardian-set upgrade VAA asks: its body digest and the upgrade. Signed by
/// the current set only (a replaced set cannot rotate), from Wormhole's governance emitter,
/// for Solana or every chain, to the current index plus 1, with 1 to [`MAX_GUARDIANS`]
/// non-zero keys. Its own frame.
#[inline(never)]
fn checked_upgrade(config: &Config, bytes: &[u8], now: i64) -> Result<([u8; 32], GuardianSetUpgrade)> {
	let vaa = Vaa::parse(bytes).map_err(|x| e(vaa_error(x)))?;
	if vaa.guardian_set_index != config.guardian_set_index {
		return Err(e(SpokeError::GuardianSetIndexNotNext));
	}
	let digest = verified(config, &vaa, now)?;
	if vaa.body.emitter_chain != GOVERNANCE_CHAIN || vaa.body.emitter_address != GOVERNANCE_EMITTER {
		return Err(e(SpokeError::NotGovernanceEmitter));
	}
	let upgrade = GuardianSetUpgrade::parse(&vaa.body.payload).map_err(|_| e(SpokeError::NotGuardianSetUpgrade))?;
	if upgrade.chain != 0 && upgrade.chain != SOLANA {
		return Err(e(SpokeError::WrongTargetChain));
	}
	if upgrade.new_index != config.guardian_set_index.wrapping_add(1) || upgrade.new_index == 0 {
		return Err(e(SpokeError::GuardianSetIndexNotNext));
	}
	if upgrade.keys.len() > MAX_GUARDIANS || upgrade.keys.iter().any(|k| *k == [0u8; 20]) {
		return Err(e(SpokeError::InvalidGuardianSet));
	}
	Ok((digest, upgrade))
}

/// `UpgradeGuardianSet`: accounts config (w), replay `["replay", digest]` (w), payer (s, w),
/// system program. The upgrade VAA is consumed like a transfer's (its replay account).
#[inline(never)]
fn upgrade_guardian_set(ctx: &mut Ctx, bytes: &[u8]) -> Result {
	let program_id = ctx.program_id;
	let [config_account, replay_account, payer, system, ..] = &mut *ctx.accounts else {
		return Err(ProgramError::NotEnoughAccountKeys);
	};
	let mut config = config_of(program_id, config_account)?;
	let now = Clock::get()?.unix_timestamp;
	let (digest, upgrade) = checked_upgrade(&config, bytes, now)?;
	let (replay, replay_bump) = program_address(&[REPLAY_SEED, &digest], program_id);
	if !config_account.is_writable() ||
		replay_account.address() != &replay ||
		system.address() != &Address::new_from_array([0u8; 32])
	{
		return Err(e(SpokeError::WrongAccount));
	}
	if replay_account.owned_by(program_id) {
		return Err(e(SpokeError::AlreadyRedeemed));
	}
	let bump = [replay_bump];
	let seeds = [Seed::from(REPLAY_SEED), Seed::from(&digest), Seed::from(&bump)];
	create_account(&NewAccount { program_id, payer, target: replay_account, system, space: 0, seeds: &seeds })?;
	config.previous_set_index = config.guardian_set_index;
	config.previous_guardians = core::mem::replace(&mut config.guardians, upgrade.keys);
	config.previous_expires_at = now.saturating_add(GUARDIAN_SET_GRACE);
	config.guardian_set_index = upgrade.new_index;
	config.write(&mut config_account.try_borrow_mut()?);
	Ok(())
}

/// `SetMintLimit`: accounts config (w), admin (s).
#[inline(never)]
fn set_mint_limit(ctx: &mut Ctx, mint_limit: u64) -> Result {
	let program_id = ctx.program_id;
	let [config_account, admin, ..] = &mut *ctx.accounts else {
		return Err(ProgramError::NotEnoughAccountKeys);
	};
	let mut config = config_of(program_id, config_account)?;
	if !admin.is_signer() || admin.address().to_bytes() != config.admin {
		return Err(e(SpokeError::NotAdmin));
	}
	let now = Clock::get()?.unix_timestamp;
	config.mint_capacity = config.capacity_at(now).min(mint_limit);
	config.capacity_updated_at = now;
	config.mint_limit = mint_limit;
	config.write(&mut config_account.try_borrow_mut()?);
	Ok(())
}
