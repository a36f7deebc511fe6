//! The records the bridge stores.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use cloudana_wormhole::{Address, ChainId};
use frame_support::{traits::Get, BoundedVec};
use scale_info::TypeInfo;
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::AtLeast32BitUnsigned,
	Rounding, Saturating,
};

/// The largest outbound payload (a Wormhole transceiver message carrying one NTT transfer is
/// 217 bytes; room for a transceiver payload).
pub const MAX_PAYLOAD: u32 = 512;

/// A rate limit as NTT's `RateLimiter.sol` keeps it: a capacity of at most `limit` base units
/// that transfers use up and that refills linearly, the whole `limit` over the refill duration
/// (24 hours); transfers the other way give capacity back.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct RateLimit<Balance> {
	/// The most that may cross in one refill duration, base units.
	pub limit: Balance,
	/// What was left at `updated_at`, base units.
	pub capacity: Balance,
	/// Unix seconds of the last change.
	pub updated_at: u64,
}

impl<Balance: AtLeast32BitUnsigned + Copy> RateLimit<Balance> {
	/// A full limit of `limit` at `now`.
	pub fn new(limit: Balance, now: u64) -> Self {
		RateLimit { limit, capacity: limit, updated_at: now }
	}

	/// The capacity at `now` (Unix seconds), refilled `limit · elapsed / duration` since the last
	/// change and capped at `limit`.
	pub fn current(&self, now: u64, duration: u64) -> Balance {
		let elapsed = now.saturating_sub(self.updated_at);
		let refill = if elapsed >= duration || duration == 0 {
			self.limit
		} else {
			let limit: u128 = self.limit.unique_saturated_into();
			let refill = multiply_by_rational_with_rounding(limit, elapsed as u128, duration as u128, Rounding::Down)
				.unwrap_or(limit);
			Balance::unique_saturated_from(refill)
		};
		self.capacity.saturating_add(refill).min(self.limit)
	}

	/// Uses `amount` of the capacity, if there is that much at `now`.
	pub fn consume(&mut self, amount: Balance, now: u64, duration: u64) -> bool {
		let capacity = self.current(now, duration);
		if amount > capacity {
			return false;
		}
		self.capacity = capacity - amount;
		self.updated_at = now;
		true
	}

	/// Gives `amount` back (a transfer the other way), up to the limit.
	pub fn backfill(&mut self, amount: Balance, now: u64, duration: u64) {
		self.capacity = self.current(now, duration).saturating_add(amount).min(self.limit);
		self.updated_at = now;
	}

	/// A new limit; the capacity keeps what it had used (NTT's `_setLimit`).
	pub fn set_limit(&mut self, limit: Balance, now: u64, duration: u64) {
		let current = self.current(now, duration);
		let used = self.limit.saturating_sub(current);
		self.limit = limit;
		self.capacity = limit.saturating_sub(used);
		self.updated_at = now;
	}
}

/// A peer as governance registers it: the NTT deployment on another chain.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct PeerConfig<Balance> {
	/// The Wormhole emitter its messages come from (on Solana: the program's emitter account).
	pub emitter: [u8; 32],
	/// Its NTT manager's address (the transceiver message's source manager).
	pub manager: [u8; 32],
	/// The decimals of the token there (an SPL mint: 8 or 9 usually).
	pub decimals: u8,
	/// The most CLD that may leave for it per refill duration, base units.
	pub outbound_limit: Balance,
	/// The most CLD that may come back from it per refill duration, base units.
	pub inbound_limit: Balance,
}

/// A registered peer and what crossed to it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct Peer<Balance> {
	pub emitter: [u8; 32],
	pub manager: [u8; 32],
	pub decimals: u8,
	pub outbound: RateLimit<Balance>,
	pub inbound: RateLimit<Balance>,
	/// CLD locked for this peer and not yet returned, base units: what was published to it
	/// (queued transfers once they are sent) less what came back. A peer can never unlock more than this, so a
	/// compromised spoke loses at most what was bridged to it.
	pub outstanding: Balance,
}

/// A guardian set's keys and, once replaced, when it stops signing.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
#[scale_info(skip_type_params(MaxGuardians))]
#[codec(mel_bound())]
pub struct GuardianSetInfo<MaxGuardians: Get<u32>> {
	/// The guardians' addresses, in index order.
	pub keys: BoundedVec<Address, MaxGuardians>,
	/// Unix seconds after which it signs nothing; `u64::MAX` while current.
	pub expiration_time: u64,
}

/// A message published for the guardians: the body they sign is `timestamp ‖ nonce ‖
/// emitter_chain ‖ emitter ‖ sequence ‖ consistency_level ‖ payload`, the emitter being the
/// pallet's address (the `emitter_address` constant) and the sequence the [`crate::Outbox`] key.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct OutboundMessage<BlockNumber> {
	/// Unix seconds of the block that published it.
	pub timestamp: u32,
	pub nonce: u32,
	/// This chain's Wormhole chain id when it was published.
	pub emitter_chain: u16,
	/// The finality guardians wait for: 1, finalized by GRANDPA (Cloudana has no other).
	pub consistency_level: u8,
	/// The Wormhole transceiver message (NTT), as signed.
	pub payload: BoundedVec<u8, frame_support::traits::ConstU32<MAX_PAYLOAD>>,
	/// The block it was published in (pruned `OutboxRetention` blocks later).
	pub block: BlockNumber,
}

/// A transfer to another chain over the outbound limit, waiting for its delay.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct QueuedOutbound<AccountId, Balance> {
	pub sender: AccountId,
	/// Locked already, base units.
	pub amount: Balance,
	pub recipient_chain: ChainId,
	pub recipient: [u8; 32],
	/// Unix seconds; it may be sent from `queued_at + RateLimitDuration`.
	pub queued_at: u64,
	/// The sender's storage deposit, held until it is sent or cancelled.
	pub deposit: Balance,
}

/// A redeemed transfer over the inbound limit, waiting for its delay.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct QueuedInbound<AccountId, Balance> {
	pub recipient: AccountId,
	/// Base units.
	pub amount: Balance,
	/// The peer it came from.
	pub source_chain: ChainId,
	/// Unix seconds; it may be released from `queued_at + RateLimitDuration`.
	pub queued_at: u64,
}

/// Which directions are paused ([`crate::Pallet::set_paused`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct Pause {
	/// No transfer leaves (`transfer`, completing a queued outbound transfer).
	pub outbound: bool,
	/// No transfer comes in (`receive_message`, completing a queued inbound transfer).
	pub inbound: bool,
}

/// A transfer waiting in one of the queues.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub enum Queued {
	/// An outbound transfer, by its queue id.
	Outbound(u64),
	/// An inbound transfer, by its VAA's digest.
	Inbound([u8; 32]),
}

impl<Balance: Saturating + Copy> Peer<Balance> {
	pub(crate) fn add_outstanding(&mut self, amount: Balance) {
		self.outstanding = self.outstanding.saturating_add(amount);
	}
}
