//! # cloudana-spoke-interface
//!
//! The wire types of Cloudana's Solana spoke, shared by the program (`cloudana-spoke`) and its
//! clients (`cloudana-solana-devnet`, the relayer): instruction data, the config account's
//! layout, error codes, seeds and constants. No dependencies, `no_std`.

#![no_std]

extern crate alloc;

use alloc::vec::Vec;

/// Wormhole's chain id for Solana.
pub const SOLANA: u16 = 1;
/// The bridged CLD mint's decimals.
pub const DECIMALS: u8 = 8;
/// The most guardians the config holds.
pub const MAX_GUARDIANS: usize = 19;
/// The config account's size, bytes: the current and the previous guardian set.
pub const CONFIG_LEN: usize = 180 + 40 * MAX_GUARDIANS;
/// How long a replaced guardian set still signs, seconds: 24 hours, as Wormhole's core
/// bridge allows (`guardianSetExpiry`).
pub const GUARDIAN_SET_GRACE: i64 = 86_400;
/// The mint limit's refill period, seconds: the limit refills linearly over 24 hours, as NTT's
/// `RateLimiter.sol` and the hub's limits do.
pub const MINT_LIMIT_PERIOD: i64 = 86_400;
/// Seeds of the program addresses.
pub const CONFIG_SEED: &[u8] = b"config";
pub const MINT_AUTHORITY_SEED: &[u8] = b"mint_authority";
pub const REPLAY_SEED: &[u8] = b"replay";
pub const OUTBOX_SEED: &[u8] = b"outbox";
/// Solana's upgradeable BPF loader, `BPFLoaderUpgradeab1e11111111111111111111111` (base58
/// decoded). A program's ProgramData account is its program address `[program id]`, and names
/// the upgrade authority (bincode: `u32 LE 3 ‖ u64 LE slot ‖ u8 1 ‖ [32] authority`, or `u8 0`
/// when the program is immutable).
pub const UPGRADEABLE_LOADER: [u8; 32] = [
	2, 168, 246, 145, 78, 136, 161, 176, 226, 16, 21, 62, 247, 99, 174, 43, 0, 194, 185, 61, 22, 193, 36, 210, 192, 83,
	122, 16, 4, 128, 0, 0,
];
/// The consistency level of the spoke's messages: 32, finalized (Wormhole's Solana value).
pub const CONSISTENCY_FINALIZED: u8 = 32;

/// What went wrong, as `ProgramError::Custom(code)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum SpokeError {
	/// Unknown instruction or malformed instruction data.
	InvalidInstruction = 0,
	/// The config was initialized already.
	AlreadyInitialized = 1,
	/// The config is not initialized, not the program's, or not the expected size.
	InvalidConfig = 2,
	/// An account is not the one the config or the derivation names.
	WrongAccount = 3,
	/// The mint is not an 8-decimal SPL mint whose authority is the program's mint authority.
	InvalidMint = 4,
	/// Not a VAA (truncated).
	MalformedVaa = 5,
	/// Not a VAA of version 1.
	UnsupportedVaaVersion = 6,
	/// The VAA names another guardian set than the config's.
	UnknownGuardianSet = 7,
	/// Fewer signatures than the quorum.
	NoQuorum = 8,
	/// Guardian indices are not strictly ascending.
	GuardianIndicesNotAscending = 9,
	/// A guardian index is not below the set's size.
	GuardianIndexOutOfRange = 10,
	/// A recovery id other than 0 or 1.
	InvalidRecoveryId = 11,
	/// A signature does not recover to its guardian.
	InvalidSignature = 12,
	/// The VAA was redeemed already (its replay account exists).
	AlreadyRedeemed = 13,
	/// The emitter is not Cloudana's bridge.
	WrongEmitter = 14,
	/// The payload is not an NTT transfer in a Wormhole transceiver message.
	MalformedPayload = 15,
	/// The message's source manager is not Cloudana's.
	WrongSourceManager = 16,
	/// The message is for another NTT manager.
	WrongRecipientManager = 17,
	/// The transfer is for another chain.
	WrongTargetChain = 18,
	/// The transfer's decimals are not 8.
	UnsupportedDecimals = 19,
	/// The token account is not the recipient's account of this mint.
	WrongRecipient = 20,
	/// Zero tokens.
	ZeroAmount = 21,
	/// The recipient on Cloudana is all zeros.
	InvalidRecipient = 22,
	/// Too many guardians, none, or a zero address.
	InvalidGuardianSet = 23,
	/// `Initialize` not signed by the program's upgrade authority (or the program is immutable,
	/// or the ProgramData account is not the program's).
	NotUpgradeAuthority = 24,
	/// The transfer is more than the mint capacity left (it refills over 24 hours): try later.
	MintLimitExceeded = 25,
	/// The VAA is not from Wormhole's governance emitter (chain 1, address `0x…04`).
	NotGovernanceEmitter = 26,
	/// The payload is not a Core guardian-set upgrade (module `Core`, action 2) for Solana or
	/// every chain.
	NotGuardianSetUpgrade = 27,
	/// The upgrade's index is not the current index plus 1, or its VAA is not signed by the
	/// current set.
	GuardianSetIndexNotNext = 28,
	/// Not signed by the config's admin.
	NotAdmin = 29,
	/// The VAA is signed by a replaced guardian set whose 24 hours of grace are over.
	GuardianSetExpired = 30,
}

impl SpokeError {
	/// Every error, in code order.
	pub const ALL: [SpokeError; 31] = {
		use SpokeError::*;
		[
			InvalidInstruction, AlreadyInitialized, InvalidConfig, WrongAccount, InvalidMint, MalformedVaa,
			UnsupportedVaaVersion, UnknownGuardianSet, NoQuorum, GuardianIndicesNotAscending, GuardianIndexOutOfRange,
			InvalidRecoveryId, InvalidSignature, AlreadyRedeemed, WrongEmitter, MalformedPayload, WrongSourceManager,
			WrongRecipientManager, WrongTargetChain, UnsupportedDecimals, WrongRecipient, ZeroAmount, InvalidRecipient,
			InvalidGuardianSet, NotUpgradeAuthority, MintLimitExceeded, NotGovernanceEmitter, NotGuardianSetUpgrade,
			GuardianSetIndexNotNext, NotAdmin, GuardianSetExpired,
		]
	};

	/// The error of a `ProgramError::Custom` code, if it is one of the spoke's.
	pub fn from_code(code: u32) -> Option<SpokeError> {
		Self::ALL.get(code as usize).copied().filter(|e| *e as u32 == code)
	}
}


/// The spoke's instructions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Instruction {
	/// Creates and fills the config at the program address `["config"]`, once: Cloudana's chain
	/// id and emitter (the bridge's 32-byte address, also its NTT manager), the guardian set,
	/// the mint, and the mint limit (10⁻⁸ CLD per 24 hours; the capacity starts full). Only the
	/// program's upgrade authority may sign it; it becomes the admin.
	Initialize { hub_chain: u16, hub_emitter: [u8; 32], guardian_set_index: u32, guardians: Vec<[u8; 20]>, mint_limit: u64 },
	/// Verifies a VAA from Cloudana and mints its amount to the recipient's token account.
	Redeem { vaa: Vec<u8> },
	/// Burns `amount` (10⁻⁸ CLD) from the owner's token account and publishes a transfer to
	/// `recipient` (a Cloudana account's 32 bytes) in a new outbox account.
	BurnAndSend { amount: u64, recipient: [u8; 32] },
	/// Applies a Wormhole guardian-set upgrade VAA (the Core bridge's governance action 2, from
	/// chain 1's governance emitter, signed by the current set): the new set is current at
	/// once, the old one signs for [`GUARDIAN_SET_GRACE`] more.
	UpgradeGuardianSet { vaa: Vec<u8> },
	/// Sets the mint limit (10⁻⁸ CLD per 24 hours); the capacity left is capped by it. Signed
	/// by the config's admin.
	SetMintLimit { mint_limit: u64 },
}

impl Instruction {
	/// Parses instruction data.
	pub fn parse(data: &[u8]) -> Result<Instruction, SpokeError> {
		let bad = SpokeError::InvalidInstruction;
		let (&tag, rest) = data.split_first().ok_or(bad)?;
		match tag {
			0 => {
				if rest.len() < 39 {
					return Err(bad);
				}
				let hub_chain = u16::from_le_bytes([rest[0], rest[1]]);
				let hub_emitter: [u8; 32] = rest[2..34].try_into().map_err(|_| bad)?;
				let guardian_set_index = u32::from_le_bytes(rest[34..38].try_into().map_err(|_| bad)?);
				let n = rest[38] as usize;
				let keys = &rest[39..];
				if keys.len() != 20 * n + 8 {
					return Err(bad);
				}
				let (keys, limit) = keys.split_at(20 * n);
				let guardians = keys.chunks(20).map(|k| k.try_into().expect("20-byte chunks")).collect();
				let mint_limit = u64::from_le_bytes(limit.try_into().map_err(|_| bad)?);
				Ok(Instruction::Initialize { hub_chain, hub_emitter, guardian_set_index, guardians, mint_limit })
			},
			1 => Ok(Instruction::Redeem { vaa: rest.to_vec() }),
			3 => Ok(Instruction::UpgradeGuardianSet { vaa: rest.to_vec() }),
			4 => Ok(Instruction::SetMintLimit {
				mint_limit: u64::from_le_bytes(rest.try_into().map_err(|_| bad)?),
			}),
			2 => {
				if rest.len() != 40 {
					return Err(bad);
				}
				let amount = u64::from_le_bytes(rest[..8].try_into().map_err(|_| bad)?);
				let recipient = rest[8..].try_into().map_err(|_| bad)?;
				Ok(Instruction::BurnAndSend { amount, recipient })
			},
			_ => Err(bad),
		}
	}

	/// Instruction data.
	pub fn encode(&self) -> Vec<u8> {
		let mut out = Vec::new();
		match self {
			Instruction::Initialize { hub_chain, hub_emitter, guardian_set_index, guardians, mint_limit } => {
				out.push(0);
				out.extend_from_slice(&hub_chain.to_le_bytes());
				out.extend_from_slice(hub_emitter);
				out.extend_from_slice(&guardian_set_index.to_le_bytes());
				out.push(guardians.len() as u8);
				for g in guardians {
					out.extend_from_slice(g);
				}
				out.extend_from_slice(&mint_limit.to_le_bytes());
			},
			Instruction::UpgradeGuardianSet { vaa } => {
				out.push(3);
				out.extend_from_slice(vaa);
			},
			Instruction::SetMintLimit { mint_limit } => {
				out.push(4);
				out.extend_from_slice(&mint_limit.to_le_bytes());
			},
			Instruction::Redeem { vaa } => {
				out.push(1);
				out.extend_from_slice(vaa);
			},
			Instruction::BurnAndSend { amount, recipient } => {
				out.push(2);
				out.extend_from_slice(&amount.to_le_bytes());
				out.extend_from_slice(recipient);
			},
		}
		out
	}
}

/// The config account, [`CONFIG_LEN`] bytes:
///
/// | offset | bytes | field |
/// |---|---|---|
/// | 0 | 1 | initialized (1) |
/// | 1 | 1 | mint authority bump |
/// | 2 | 32 | admin |
/// | 34 | 32 | mint |
/// | 66 | 2 | hub chain (u16 LE) |
/// | 68 | 32 | hub emitter (= hub NTT manager) |
/// | 100 | 8 | next outbox sequence (u64 LE) |
/// | 108 | 4 | guardian set index (u32 LE) |
/// | 112 | 1 | guardians n |
/// | 113 | 4 | previous guardian set index (u32 LE) |
/// | 117 | 1 | previous guardians n (0: none) |
/// | 118 | 8 | previous set's expiry (i64 LE, Unix seconds) |
/// | 126 | 8 | mint limit (u64 LE, 10⁻⁸ CLD per 24 h) |
/// | 134 | 8 | mint capacity left (u64 LE) |
/// | 142 | 8 | capacity updated at (i64 LE, Unix seconds) |
/// | 150 | 30 | reserved |
/// | 180 | 20·19 | guardians |
/// | 560 | 20·19 | previous guardians |
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
	pub mint_authority_bump: u8,
	pub admin: [u8; 32],
	pub mint: [u8; 32],
	pub hub_chain: u16,
	pub hub_emitter: [u8; 32],
	pub next_sequence: u64,
	pub guardian_set_index: u32,
	pub guardians: Vec<[u8; 20]>,
	/// The replaced set (empty: none) and when it stops signing.
	pub previous_set_index: u32,
	pub previous_guardians: Vec<[u8; 20]>,
	pub previous_expires_at: i64,
	/// The mint limit per [`MINT_LIMIT_PERIOD`], the capacity left and when it was computed.
	pub mint_limit: u64,
	pub mint_capacity: u64,
	pub capacity_updated_at: i64,
}

impl Config {
	/// The mint capacity at `now` (Unix seconds): what was left, refilled linearly by
	/// `mint_limit` per [`MINT_LIMIT_PERIOD`], never above the limit. In u64 (no 128-bit
	/// division on SBF): past a whole period the capacity is full anyway.
	pub fn capacity_at(&self, now: i64) -> u64 {
		let elapsed = now.saturating_sub(self.capacity_updated_at).clamp(0, MINT_LIMIT_PERIOD) as u64;
		let period = MINT_LIMIT_PERIOD as u64;
		let refill = (self.mint_limit / period) * elapsed + (self.mint_limit % period) * elapsed / period;
		self.mint_capacity.saturating_add(refill).min(self.mint_limit)
	}

	/// Takes `amount` from the capacity at `now`: [`SpokeError::MintLimitExceeded`] if it is
	/// more than is left (nothing changes then).
	pub fn consume_mint(&mut self, amount: u64, now: i64) -> Result<(), SpokeError> {
		let capacity = self.capacity_at(now);
		if amount > capacity {
			return Err(SpokeError::MintLimitExceeded);
		}
		self.mint_capacity = capacity - amount;
		self.capacity_updated_at = now;
		Ok(())
	}

	/// Gives `amount` of capacity back (CLD burned here, back to the hub), up to the limit.
	pub fn backfill_mint(&mut self, amount: u64, now: i64) {
		self.mint_capacity = self.capacity_at(now).saturating_add(amount).min(self.mint_limit);
		self.capacity_updated_at = now;
	}

	pub fn read(data: &[u8]) -> Result<Config, SpokeError> {
		if data.len() != CONFIG_LEN || data[0] != 1 {
			return Err(SpokeError::InvalidConfig);
		}
		let n = (data[112] as usize).min(MAX_GUARDIANS);
		let previous = (data[117] as usize).min(MAX_GUARDIANS);
		let array32 = |at: usize| -> [u8; 32] { data[at..at + 32].try_into().expect("in bounds") };
		let u64_at = |at: usize| u64::from_le_bytes(data[at..at + 8].try_into().expect("in bounds"));
		let keys = |at: usize, n: usize| (0..n).map(|i| data[at + 20 * i..at + 20 + 20 * i].try_into().expect("in bounds")).collect();
		Ok(Config {
			mint_authority_bump: data[1],
			admin: array32(2),
			mint: array32(34),
			hub_chain: u16::from_le_bytes([data[66], data[67]]),
			hub_emitter: array32(68),
			next_sequence: u64::from_le_bytes(data[100..108].try_into().expect("in bounds")),
			guardian_set_index: u32::from_le_bytes(data[108..112].try_into().expect("in bounds")),
			guardians: keys(180, n),
			previous_set_index: u32::from_le_bytes(data[113..117].try_into().expect("in bounds")),
			previous_guardians: keys(180 + 20 * MAX_GUARDIANS, previous),
			previous_expires_at: u64_at(118) as i64,
			mint_limit: u64_at(126),
			mint_capacity: u64_at(134),
			capacity_updated_at: u64_at(142) as i64,
		})
	}

	pub fn write(&self, data: &mut [u8]) {
		data[0] = 1;
		data[1] = self.mint_authority_bump;
		data[2..34].copy_from_slice(&self.admin);
		data[34..66].copy_from_slice(&self.mint);
		data[66..68].copy_from_slice(&self.hub_chain.to_le_bytes());
		data[68..100].copy_from_slice(&self.hub_emitter);
		data[100..108].copy_from_slice(&self.next_sequence.to_le_bytes());
		data[108..112].copy_from_slice(&self.guardian_set_index.to_le_bytes());
		data[112] = self.guardians.len() as u8;
		data[113..117].copy_from_slice(&self.previous_set_index.to_le_bytes());
		data[117] = self.previous_guardians.len() as u8;
		data[118..126].copy_from_slice(&self.previous_expires_at.to_le_bytes());
		data[126..134].copy_from_slice(&self.mint_limit.to_le_bytes());
		data[134..142].copy_from_slice(&self.mint_capacity.to_le_bytes());
		data[142..150].copy_from_slice(&self.capacity_updated_at.to_le_bytes());
		let previous = 180 + 20 * MAX_GUARDIANS;
		data[180..previous + 20 * MAX_GUARDIANS].fill(0);
		for (i, g) in self.guardians.iter().enumerate() {
			data[180 + 20 * i..200 + 20 * i].copy_from_slice(g);
		}
		for (i, g) in self.previous_guardians.iter().enumerate() {
			data[previous + 20 * i..previous + 20 + 20 * i].copy_from_slice(g);
		}
	}
}

