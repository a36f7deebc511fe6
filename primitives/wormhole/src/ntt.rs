//! Native Token Transfers payloads (wormhole-foundation/native-token-transfers,
//! `evm/src/libraries/TransceiverStructs.sol` and `TrimmedAmount.sol`), all integers
//! big-endian, every message exactly its length (no trailing bytes):
//!
//! - Wormhole transceiver message (the VAA's payload): `0x9945FF10 ‖ [32] source NTT manager ‖
//!   [32] recipient NTT manager ‖ u16 len ‖ NTT manager message ‖ u16 len ‖ transceiver
//!   payload`;
//! - NTT manager message: `[32] id ‖ [32] sender ‖ u16 len ‖ payload`;
//! - native token transfer: `0x994E5454 ‖ u8 decimals ‖ u64 amount ‖ [32] source token ‖
//!   [32] to ‖ u16 to_chain [‖ u16 len ‖ additional payload]` (the additional payload's length
//!   is written only when it is not empty; an explicit zero length is accepted on decoding).
//!
//! Amounts travel trimmed to `min(8, decimals of the source, decimals of the target)`
//! ([`TrimmedAmount`]): CLD (12 decimals) crosses in multiples of 10⁴ base units. NTT itself
//! truncates what does not fit; Cloudana refuses it ([`AmountError::Dust`]) so that nothing is
//! lost.

use crate::{bytes::Reader, ChainId};
use alloc::vec::Vec;

/// The Wormhole transceiver message prefix.
pub const TRANSCEIVER_PREFIX: [u8; 4] = [0x99, 0x45, 0xFF, 0x10];
/// The native token transfer prefix (`0x99 'N' 'T' 'T'`).
pub const NTT_PREFIX: [u8; 4] = [0x99, 0x4E, 0x54, 0x54];
/// Decimals no trimmed amount exceeds.
pub const TRIMMED_DECIMALS: u8 = 8;

/// Why bytes are not the NTT message expected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayloadError {
	/// The prefix is not the message's.
	WrongPrefix([u8; 4]),
	/// Shorter than its fields.
	Truncated,
	/// Bytes after the message.
	TrailingBytes,
	/// A part longer than a `u16` length can say.
	TooLong,
}

/// Why an amount cannot cross.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountError {
	/// The amount has digits below the trimmed precision: `remainder` base units would be lost.
	Dust { remainder: u128 },
	/// The trimmed amount does not fit a `u64`.
	TooLarge,
	/// Decimals above 38 (no `u128` scale).
	BadDecimals,
}

fn short<T>(_: T) -> PayloadError {
	PayloadError::Truncated
}

fn put_len(out: &mut Vec<u8>, part: &[u8]) -> Result<(), PayloadError> {
	let len = u16::try_from(part.len()).map_err(|_| PayloadError::TooLong)?;
	out.extend_from_slice(&len.to_be_bytes());
	out.extend_from_slice(part);
	Ok(())
}

fn take_len<'a>(r: &mut Reader<'a>) -> Result<&'a [u8], PayloadError> {
	let len = r.u16().map_err(short)? as usize;
	r.take(len).map_err(short)
}

fn prefix(r: &mut Reader<'_>, expected: [u8; 4]) -> Result<(), PayloadError> {
	let got = r.array::<4>().map_err(short)?;
	if got == expected {
		Ok(())
	} else {
		Err(PayloadError::WrongPrefix(got))
	}
}

fn end(r: &Reader<'_>) -> Result<(), PayloadError> {
	if r.remaining() == 0 {
		Ok(())
	} else {
		Err(PayloadError::TrailingBytes)
	}
}

/// An amount as NTT carries it: `amount` in units of `10^-decimals`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrimmedAmount {
	pub amount: u64,
	pub decimals: u8,
}

fn pow10(exponent: u8) -> Result<u128, AmountError> {
	10u128.checked_pow(exponent as u32).ok_or(AmountError::BadDecimals)
}

impl TrimmedAmount {
	/// `amount` (with `from_decimals`) trimmed for a token of `to_decimals` on the other side:
	/// to `min(8, from_decimals, to_decimals)` decimals. Refuses dust and overflow.
	pub fn trim(amount: u128, from_decimals: u8, to_decimals: u8) -> Result<Self, AmountError> {
		let decimals = TRIMMED_DECIMALS.min(from_decimals).min(to_decimals);
		let scale = pow10(from_decimals - decimals)?;
		let remainder = amount % scale;
		if remainder != 0 {
			return Err(AmountError::Dust { remainder });
		}
		let amount = u64::try_from(amount / scale).map_err(|_| AmountError::TooLarge)?;
		Ok(TrimmedAmount { amount, decimals })
	}

	/// The amount in base units of a token with `to_decimals` (scaled up or down as NTT's
	/// `untrim`; scaling down truncates, as there).
	pub fn untrim(self, to_decimals: u8) -> Result<u128, AmountError> {
		let amount = self.amount as u128;
		if to_decimals >= self.decimals {
			amount.checked_mul(pow10(to_decimals - self.decimals)?).ok_or(AmountError::TooLarge)
		} else {
			Ok(amount / pow10(self.decimals - to_decimals)?)
		}
	}
}

/// A native token transfer: the NTT manager message's payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NativeTokenTransfer {
	pub amount: TrimmedAmount,
	/// The token on the source chain (for CLD: Cloudana's NTT manager names it).
	pub source_token: [u8; 32],
	/// The recipient on `to_chain` (an owner's public key on Solana, an account id here).
	pub to: [u8; 32],
	pub to_chain: ChainId,
	pub additional_payload: Vec<u8>,
}

impl NativeTokenTransfer {
	pub fn parse(bytes: &[u8]) -> Result<Self, PayloadError> {
		let mut r = Reader::new(bytes);
		prefix(&mut r, NTT_PREFIX)?;
		let decimals = r.u8().map_err(short)?;
		let amount = r.u64().map_err(short)?;
		let source_token = r.array().map_err(short)?;
		let to = r.array().map_err(short)?;
		let to_chain = r.u16().map_err(short)?;
		let additional_payload = if r.remaining() >= 2 { take_len(&mut r)?.to_vec() } else { Vec::new() };
		end(&r)?;
		Ok(NativeTokenTransfer { amount: TrimmedAmount { amount, decimals }, source_token, to, to_chain, additional_payload })
	}

	pub fn encode(&self) -> Result<Vec<u8>, PayloadError> {
		let mut out = Vec::with_capacity(79 + self.additional_payload.len());
		out.extend_from_slice(&NTT_PREFIX);
		out.push(self.amount.decimals);
		out.extend_from_slice(&self.amount.amount.to_be_bytes());
		out.extend_from_slice(&self.source_token);
		out.extend_from_slice(&self.to);
		out.extend_from_slice(&self.to_chain.to_be_bytes());
		if !self.additional_payload.is_empty() {
			put_len(&mut out, &self.additional_payload)?;
		}
		Ok(out)
	}
}

/// An NTT manager message: an id unique per sending manager, the sender, and the payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NttManagerMessage {
	/// Unique per message of the sending manager (Cloudana: the outbound sequence, big-endian,
	/// left-padded).
	pub id: [u8; 32],
	/// The account that sent the tokens.
	pub sender: [u8; 32],
	pub payload: Vec<u8>,
}

impl NttManagerMessage {
	pub fn parse(bytes: &[u8]) -> Result<Self, PayloadError> {
		let mut r = Reader::new(bytes);
		let id = r.array().map_err(short)?;
		let sender = r.array().map_err(short)?;
		let payload = take_len(&mut r)?.to_vec();
		end(&r)?;
		Ok(NttManagerMessage { id, sender, payload })
	}

	pub fn encode(&self) -> Result<Vec<u8>, PayloadError> {
		let mut out = Vec::with_capacity(66 + self.payload.len());
		out.extend_from_slice(&self.id);
		out.extend_from_slice(&self.sender);
		put_len(&mut out, &self.payload)?;
		Ok(out)
	}
}

/// The Wormhole transceiver's message: what a VAA of an NTT transfer carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransceiverMessage {
	/// The NTT manager that sent it (the peer to check against on receipt).
	pub source_manager: [u8; 32],
	/// The NTT manager it is for.
	pub recipient_manager: [u8; 32],
	/// An encoded [`NttManagerMessage`].
	pub manager_payload: Vec<u8>,
	pub transceiver_payload: Vec<u8>,
}

impl TransceiverMessage {
	pub fn parse(bytes: &[u8]) -> Result<Self, PayloadError> {
		let mut r = Reader::new(bytes);
		prefix(&mut r, TRANSCEIVER_PREFIX)?;
		let source_manager = r.array().map_err(short)?;
		let recipient_manager = r.array().map_err(short)?;
		let manager_payload = take_len(&mut r)?.to_vec();
		let transceiver_payload = take_len(&mut r)?.to_vec();
		end(&r)?;
		Ok(TransceiverMessage { source_manager, recipient_manager, manager_payload, transceiver_payload })
	}

	pub fn encode(&self) -> Result<Vec<u8>, PayloadError> {
		let mut out = Vec::with_capacity(72 + self.manager_payload.len() + self.transceiver_payload.len());
		out.extend_from_slice(&TRANSCEIVER_PREFIX);
		out.extend_from_slice(&self.source_manager);
		out.extend_from_slice(&self.recipient_manager);
		put_len(&mut out, &self.manager_payload)?;
		put_len(&mut out, &self.transceiver_payload)?;
		Ok(out)
	}

	/// The manager message and its token transfer, parsed.
	pub fn transfer(&self) -> Result<(NttManagerMessage, NativeTokenTransfer), PayloadError> {
		let manager = NttManagerMessage::parse(&self.manager_payload)?;
		let transfer = NativeTokenTransfer::parse(&manager.payload)?;
		Ok((manager, transfer))
	}
}

/// One token transfer as an NTT manager sends it: the Wormhole transceiver message of an NTT
/// manager message (its id the sender's `sequence`, big-endian, left-padded to 32 bytes) that
/// carries a native token transfer. What Cloudana's pallet and Solana spoke publish, and what
/// each redeems from the other.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transfer {
	/// The sending NTT manager.
	pub source_manager: [u8; 32],
	/// The NTT manager it is for.
	pub recipient_manager: [u8; 32],
	/// The sender's message counter (the manager message's id).
	pub sequence: u64,
	/// The account that sent the tokens.
	pub sender: [u8; 32],
	pub amount: TrimmedAmount,
	/// The token on the source chain.
	pub source_token: [u8; 32],
	/// The recipient on `to_chain`.
	pub to: [u8; 32],
	pub to_chain: ChainId,
}

impl Transfer {
	/// The transceiver message's bytes (a VAA's payload).
	pub fn encode(&self) -> Result<Vec<u8>, PayloadError> {
		let ntt = NativeTokenTransfer {
			amount: self.amount,
			source_token: self.source_token,
			to: self.to,
			to_chain: self.to_chain,
			additional_payload: Vec::new(),
		};
		let mut id = [0u8; 32];
		id[24..].copy_from_slice(&self.sequence.to_be_bytes());
		let manager = NttManagerMessage { id, sender: self.sender, payload: ntt.encode()? };
		TransceiverMessage {
			source_manager: self.source_manager,
			recipient_manager: self.recipient_manager,
			manager_payload: manager.encode()?,
			transceiver_payload: Vec::new(),
		}
		.encode()
	}
}
