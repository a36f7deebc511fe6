//! # Wormhole bridge
//!
//! ## Overview
//!
//! The hub of CLD's bridge to other chains (Solana first) as Wormhole's Native Token Transfers
//! (NTT) build one, hub and spoke: CLD sent away is **locked** here and minted by the spoke;
//! burned on the spoke, it is **unlocked** here. Messages travel as Wormhole VAAs (Verified
//! Action Approvals) signed by a guardian set. Formats and checks are in `cloudana-wormhole`
//! (`primitives/wormhole`), which cites Wormhole's sources.
//!
//! ## Terms
//!
//! - **Chain id**: Wormhole's `u16` chain id. Wormhole has assigned none to a Substrate chain
//!   with a pallet-level bridge, so Cloudana's is a runtime parameter ([`Config::ChainId`]);
//!   the dev chain uses an unassigned value.
//! - **Emitter**: who publishes a message, with a per-emitter **sequence**. This pallet's
//!   emitter, its NTT manager address and the sender of its messages are its account
//!   ([`Pallet::emitter_address`], the 32 bytes of the account derived from `PalletId`).
//! - **Peer**: the NTT deployment on another chain, registered by governance: its emitter, its
//!   manager, its token's decimals and two **rate limits** (outbound and inbound, base units per
//!   24 hours, refilling linearly, NTT's `RateLimiter.sol`). A transfer over a limit is
//!   **queued** and may complete once `RateLimitDuration` has passed.
//! - **Outstanding**: per peer, CLD published to it (queued transfers only once they are
//!   sent) and not yet returned. A peer can never unlock more than its outstanding, so a
//!   compromised spoke or guardian set loses at most what was bridged to that peer. Invariant
//!   (`try_state`): locked CLD = Σ outstanding + Σ queued transfers, both ways.
//! - **Trimmed amount**: NTT carries amounts with `min(8, decimals on both sides)` decimals;
//!   CLD has 12, so it crosses in multiples of 10⁴ base units. Dust is refused, never lost.
//! - **Replay**: each VAA's body digest (`keccak256(keccak256(body))`) is consumed once,
//!   forever ([`Consumed`], never pruned: pruning it would reopen replays). Never signatures:
//!   ECDSA signatures are malleable.
//!
//! Amounts are base units (12 decimals); times are Unix seconds (as VAAs and NTT count them),
//! except the outbox retention, in blocks.
//!
//! ## Calls
//!
//! - [`Pallet::transfer`]: lock CLD and publish a transfer to a peer (or queue it).
//! - [`Pallet::receive_message`]: redeem a VAA from a peer (permissionless).
//! - [`Pallet::complete_queued`] / [`Pallet::cancel_queued`]: the rate-limit queues.
//! - [`Pallet::register_peer`], [`Pallet::set_guardian_set`]: governance.
//! - [`Pallet::set_paused`], [`Pallet::cancel_inbound`]: the emergency brake: `PauseOrigin`
//!   (the runtime: Root, `bridge_admin`, or the fast `bridge_guardian` track) pauses either
//!   direction and cancels a queued inbound transfer (its CLD stays locked, owed to the peer
//!   again); only `AdminOrigin` unpauses.
//! - [`Pallet::submit_guardian_set_upgrade`]: a Wormhole guardian-set upgrade VAA
//!   (permissionless, signed by the current set).
//!
//! ## For guardians
//!
//! Each published message is kept in [`Outbox`] under its sequence for `OutboxRetention`
//! blocks with its timestamp, nonce, consistency level and payload, and announced by
//! [`Event::TransferSent`]. A guardian signs the body `timestamp ‖ nonce ‖ chain id ‖ emitter
//! ‖ sequence ‖ consistency level ‖ payload` once the block is finalized.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(feature = "runtime-benchmarks")]
pub use benchmarking::BenchmarkHelper;
pub mod funds;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use types::*;
pub use weights::WeightInfo;

use alloc::vec::Vec;
use cloudana_wormhole::{
	governance::{GuardianSetUpgrade, GOVERNANCE_CHAIN, GOVERNANCE_EMITTER},
	ntt::{AmountError, TransceiverMessage, Transfer, TrimmedAmount},
	Address, ChainId, GuardianSet, SpIo, Vaa, VaaError, VerifyError,
};
use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::traits::fungible::Inspect;

/// A transfer on its way out, as the pallet publishes it.
struct Outbound<T: Config> {
	sender: T::AccountId,
	/// Base units.
	amount: BalanceOf<T>,
	/// As it crosses to the peer.
	trimmed: TrimmedAmount,
	recipient_chain: ChainId,
	recipient: [u8; 32],
}

/// The consistency level of Cloudana's messages: 1, finalized (GRANDPA).
pub const CONSISTENCY_FINALIZED: u8 = 1;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible::MutateHold, UnixTime},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::{Saturating, UniqueSaturatedInto, Zero};

	/// Balance type of the pallet's currency.
	pub type BalanceOf<T> = <<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

	/// A VAA as a call carries it.
	pub type VaaBytes<T> = BoundedVec<u8, <T as Config>::MaxVaaLen>;

	/// The current storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why the bridge holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The storage deposit of a queued outbound transfer.
		QueuedTransfer,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// CLD.
		type Currency: frame_support::traits::fungible::Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The runtime's hold reasons.
		type RuntimeHoldReason: From<HoldReason>;

		/// Wall-clock time (the block's timestamp), for rate limits and guardian-set expiry.
		type UnixTime: UnixTime;

		/// Registers peers, replaces the guardian set and unpauses (a governance track).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Pauses either direction and cancels queued inbound transfers: a fast origin (the
		/// runtime: Root, `bridge_admin` or the `bridge_guardian` track).
		type PauseOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The smallest transfer sent, base units (a runtime parameter: dust would cost the
		/// relayers more in fees than it carries).
		type MinTransfer: Get<BalanceOf<Self>>;

		/// Derives the bridge's account (locked CLD; also its emitter and manager address).
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Cloudana's Wormhole chain id (a runtime parameter: none is assigned).
		type ChainId: Get<ChainId>;

		/// CLD's decimals (12).
		#[pallet::constant]
		type Decimals: Get<u8>;

		/// The token's address in NTT messages (`source_token`).
		#[pallet::constant]
		type TokenAddress: Get<[u8; 32]>;

		/// The most guardians a set may have (Wormhole has 19).
		#[pallet::constant]
		type MaxGuardians: Get<u32>;

		/// The longest VAA accepted, bytes.
		#[pallet::constant]
		type MaxVaaLen: Get<u32>;

		/// The rate limits' refill duration and the queues' delay, seconds (NTT: 24 hours).
		#[pallet::constant]
		type RateLimitDuration: Get<u64>;

		/// How long a replaced guardian set still signs, seconds (Wormhole: 24 hours).
		#[pallet::constant]
		type GuardianSetGrace: Get<u64>;

		/// Blocks a published message stays in [`Outbox`] for guardians to read.
		#[pallet::constant]
		type OutboxRetention: Get<BlockNumberFor<Self>>;

		/// The most outbox entries pruned in one block.
		#[pallet::constant]
		type MaxPrunePerBlock: Get<u32>;

		/// The storage deposit of a queued outbound transfer, base units.
		#[pallet::constant]
		type QueueDeposit: Get<BalanceOf<Self>>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;

		/// Sets the time for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper;
	}

	/// Guardian sets by index: the current one (expiring never) and those it replaced (expiring
	/// `GuardianSetGrace` after they were replaced). Written only by governance.
	#[pallet::storage]
	pub type GuardianSets<T: Config> = StorageMap<_, Twox64Concat, u32, GuardianSetInfo<T::MaxGuardians>>;

	/// The index of the current guardian set.
	#[pallet::storage]
	pub type CurrentGuardianSet<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Registered peers by chain id. Written only by governance.
	#[pallet::storage]
	pub type Peers<T: Config> = StorageMap<_, Twox64Concat, ChainId, Peer<BalanceOf<T>>>;

	/// The sequence of the next published message.
	#[pallet::storage]
	pub type NextSequence<T: Config> = StorageValue<_, u64, ValueQuery>;

	/// Published messages by sequence, kept `OutboxRetention` blocks for the guardians.
	#[pallet::storage]
	pub type Outbox<T: Config> = StorageMap<_, Twox64Concat, u64, OutboundMessage<BlockNumberFor<T>>>;

	/// The oldest sequence still in [`Outbox`] (or the next one, when it is empty).
	#[pallet::storage]
	pub type OutboxStart<T: Config> = StorageValue<_, u64, ValueQuery>;

	/// Digests of the VAAs redeemed or applied: each once, forever.
	#[pallet::storage]
	pub type Consumed<T: Config> = StorageMap<_, Identity, [u8; 32], ()>;

	/// The id of the next queued outbound transfer.
	#[pallet::storage]
	pub type NextQueueId<T: Config> = StorageValue<_, u64, ValueQuery>;

	/// Outbound transfers over the limit, by queue id (each holds its sender's deposit).
	#[pallet::storage]
	pub type OutboundQueue<T: Config> =
		StorageMap<_, Twox64Concat, u64, QueuedOutbound<T::AccountId, BalanceOf<T>>>;

	/// Which directions are paused.
	#[pallet::storage]
	pub type Paused<T: Config> = StorageValue<_, Pause, ValueQuery>;

	/// Redeemed inbound transfers over the limit, by VAA digest (each from a guardian-signed
	/// message, so as many as transfers actually burned on the peer).
	#[pallet::storage]
	pub type InboundQueue<T: Config> =
		StorageMap<_, Identity, [u8; 32], QueuedInbound<T::AccountId, BalanceOf<T>>>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The first guardian set's index (0 on a new network; Wormhole mainnet's current
		/// index to follow it).
		pub guardian_set_index: u32,
		/// The first guardian set's addresses, in index order.
		pub guardians: Vec<Address>,
		/// Peers known from the start: `(chain, emitter, manager, decimals, outbound limit,
		/// inbound limit)`, as [`PeerConfig`].
		pub peers: Vec<(ChainId, [u8; 32], [u8; 32], u8, BalanceOf<T>, BalanceOf<T>)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			funds::endow::<T>();
			if !self.guardians.is_empty() {
				let keys = BoundedVec::try_from(self.guardians.clone()).expect("at most MaxGuardians genesis guardians");
				assert!(Pallet::<T>::valid_keys(&keys), "genesis guardians: no zero or repeated address");
				GuardianSets::<T>::insert(self.guardian_set_index, GuardianSetInfo { keys, expiration_time: u64::MAX });
				CurrentGuardianSet::<T>::put(self.guardian_set_index);
			}
			for &(chain, emitter, manager, decimals, outbound_limit, inbound_limit) in &self.peers {
				let config = PeerConfig { emitter, manager, decimals, outbound_limit, inbound_limit };
				Pallet::<T>::check_peer(chain, &config).expect("genesis peers are valid");
				Peers::<T>::insert(chain, Pallet::<T>::new_peer(&config, None, 0));
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// CLD was locked and a message published for the guardians.
		TransferSent {
			sequence: u64,
			sender: T::AccountId,
			amount: BalanceOf<T>,
			recipient_chain: ChainId,
			recipient: [u8; 32],
		},
		/// An outbound transfer over the limit was locked and queued.
		OutboundQueued {
			id: u64,
			sender: T::AccountId,
			amount: BalanceOf<T>,
			recipient_chain: ChainId,
			recipient: [u8; 32],
			/// Unix seconds from which it may be completed.
			release_at: u64,
		},
		/// A queued outbound transfer was cancelled and its CLD returned.
		OutboundCancelled { id: u64, sender: T::AccountId, amount: BalanceOf<T> },
		/// A VAA from a peer was redeemed and CLD unlocked.
		TransferRedeemed {
			digest: [u8; 32],
			source_chain: ChainId,
			/// The peer emitter's sequence.
			sequence: u64,
			recipient: T::AccountId,
			amount: BalanceOf<T>,
		},
		/// A VAA from a peer was redeemed over the inbound limit; its CLD waits in the queue.
		InboundQueued {
			digest: [u8; 32],
			source_chain: ChainId,
			sequence: u64,
			recipient: T::AccountId,
			amount: BalanceOf<T>,
			release_at: u64,
		},
		/// A queued inbound transfer was released to its recipient.
		InboundReleased { digest: [u8; 32], recipient: T::AccountId, amount: BalanceOf<T> },
		/// A peer was registered or updated.
		PeerRegistered { chain: ChainId, config: PeerConfig<BalanceOf<T>> },
		/// A new guardian set is current; the previous one signs until `previous_expires_at`.
		GuardianSetChanged { index: u32, guardians: u32, previous_expires_at: u64 },
		/// The paused directions changed.
		PauseSet { outbound: bool, inbound: bool },
		/// A queued inbound transfer was cancelled: its CLD stays locked, owed to the peer again.
		InboundCancelled { digest: [u8; 32], source_chain: ChainId, recipient: T::AccountId, amount: BalanceOf<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The amount is zero.
		ZeroAmount,
		/// The amount has digits below the precision that crosses (10⁴ base units for a peer
		/// with 8 or more decimals): send a multiple of it.
		Dust,
		/// The amount does not fit the message's `u64` (trimmed).
		AmountTooLarge,
		/// The recipient is all zeros (or not an account here).
		InvalidRecipient,
		/// No peer is registered for that chain.
		UnknownPeer,
		/// A peer cannot be this chain or chain 0; its emitter and manager cannot be zero.
		InvalidPeer,
		/// The peer's token has more than 18 decimals, or the message's decimals are not the
		/// trimmed decimals of this peer.
		UnsupportedDecimals,
		/// Not a VAA: truncated.
		MalformedVaa,
		/// Not a VAA of version 1.
		UnsupportedVaaVersion,
		/// More signatures than `MaxGuardians`.
		TooManySignatures,
		/// The VAA names a guardian set this chain does not know.
		UnknownGuardianSet,
		/// The VAA's guardian set was replaced and its grace period has ended.
		GuardianSetExpired,
		/// Fewer signatures than the quorum ⌊2n/3⌋ + 1.
		NoQuorum,
		/// Guardian indices are not strictly ascending.
		GuardianIndicesNotAscending,
		/// A guardian index is not below the set's size.
		GuardianIndexOutOfRange,
		/// A signature's recovery id is not 0 or 1.
		InvalidRecoveryId,
		/// A signature does not recover to its guardian's key.
		InvalidSignature,
		/// This VAA was redeemed already (relayers: the transfer is done).
		AlreadyConsumed,
		/// The VAA's emitter is not the registered peer's.
		WrongEmitter,
		/// The payload is not a Wormhole transceiver message carrying an NTT transfer.
		MalformedPayload,
		/// The message's source manager is not the registered peer's manager.
		WrongSourceManager,
		/// The message is for another NTT manager.
		WrongRecipientManager,
		/// The message is for another chain.
		WrongTargetChain,
		/// The peer would unlock more CLD than was sent to it.
		ExceedsOutstanding,
		/// No such queued transfer.
		NotQueued,
		/// The queued transfer's delay has not passed.
		StillQueued,
		/// Only the sender may cancel its queued transfer.
		NotSender,
		/// A guardian set must be non-empty, within `MaxGuardians`, without zero or repeated
		/// addresses.
		InvalidGuardianSet,
		/// A new guardian set's index must be the current one plus 1.
		GuardianSetIndexNotNext,
		/// Governance VAAs must be signed by the current guardian set.
		NotCurrentGuardianSet,
		/// Not from Wormhole's governance emitter (chain 1, address 0x…04).
		NotGovernanceEmitter,
		/// The governance payload is not a Core guardian-set upgrade.
		NotGuardianSetUpgrade,
		/// Outbound transfers are paused.
		OutboundPaused,
		/// Inbound transfers are paused.
		InboundPaused,
		/// The amount is below `MinTransfer` (a runtime parameter; 1 CLD by default).
		BelowMinimumTransfer,
	}

	#[pallet::extra_constants]
	impl<T: Config> Pallet<T> {
		/// The bridge's Wormhole address, 32 bytes: its emitter, its NTT manager and the sender
		/// of its messages (its account's bytes).
		pub fn emitter_address() -> [u8; 32] {
			Self::account_bytes(&Self::account_id())
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Prunes outbox entries older than `OutboxRetention` blocks, at most
		/// `MaxPrunePerBlock`, oldest first.
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let pruned = Self::prune_outbox(now);
			T::WeightInfo::on_initialize(pruned)
		}

		fn integrity_test() {
			assert_eq!(T::AccountId::max_encoded_len(), 32, "recipients are 32 bytes: the account id must be too");
			assert!(T::MaxGuardians::get() >= 1 && T::MaxGuardians::get() <= 255, "guardian indices are one byte");
			assert!(T::Decimals::get() <= 18, "CLD has 12 decimals");
			assert!(T::RateLimitDuration::get() > 0, "a rate limit refills over a positive duration");
			assert!(T::MaxPrunePerBlock::get() > 0, "the outbox must drain");
			// Header, signatures, body: a transfer's payload or a guardian-set upgrade's.
			let guardians = T::MaxGuardians::get();
			let longest = 6 + 66 * guardians + 51 + MAX_PAYLOAD.max(40 + 20 * guardians);
			assert!(T::MaxVaaLen::get() >= longest, "MaxVaaLen fits a VAA of MaxGuardians signatures");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Sends CLD to another chain: locks it and publishes a message for the guardians.
		///
		/// - Origin: signed, the sender.
		/// - `amount`: base units; a multiple of `10^(12 − min(8, peer decimals))` (10⁴ for an
		///   SPL mint of 8 or more decimals).
		/// - `recipient_chain`: a registered peer's Wormhole chain id (1: Solana).
		/// - `recipient`: the recipient there, 32 bytes (on Solana, the owner's public key).
		///
		/// Locks `amount` in the bridge's account (the sender keeps its existential deposit).
		/// Within the peer's outbound limit: adds it to the peer's outstanding, publishes the
		/// message (next sequence) into [`Outbox`] and emits [`Event::TransferSent`]. Over
		/// it: holds `QueueDeposit` on the sender, queues the transfer and emits
		/// [`Event::OutboundQueued`]; [`Pallet::complete_queued`] publishes it after
		/// `RateLimitDuration`, [`Pallet::cancel_queued`] returns it.
		///
		/// Errors: [`Error::ZeroAmount`], [`Error::OutboundPaused`],
		/// [`Error::BelowMinimumTransfer`], [`Error::InvalidRecipient`], [`Error::UnknownPeer`],
		/// [`Error::Dust`], [`Error::AmountTooLarge`], and the currency's errors when the sender
		/// cannot pay.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::transfer().max(T::WeightInfo::transfer_queued()).saturating_add(Pallet::<T>::pause_read()))]
		pub fn transfer(
			origin: OriginFor<T>,
			#[pallet::compact] amount: BalanceOf<T>,
			recipient_chain: ChainId,
			recipient: [u8; 32],
		) -> DispatchResult {
			let sender = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			ensure!(!Paused::<T>::get().outbound, Error::<T>::OutboundPaused);
			ensure!(amount >= T::MinTransfer::get(), Error::<T>::BelowMinimumTransfer);
			ensure!(recipient != [0u8; 32], Error::<T>::InvalidRecipient);
			let mut peer = Peers::<T>::get(recipient_chain).ok_or(Error::<T>::UnknownPeer)?;
			let trimmed = Self::trim(amount, &peer)?;
			funds::lock::<T>(&sender, amount)?;
			let now = Self::now();
			let duration = T::RateLimitDuration::get();
			if peer.outbound.consume(amount, now, duration) {
				peer.inbound.backfill(amount, now, duration);
				Self::publish(Outbound { sender, amount, trimmed, recipient_chain, recipient }, peer)?;
			} else {
				let deposit = T::QueueDeposit::get();
				funds::hold_deposit::<T>(&sender, deposit)?;
				let id = NextQueueId::<T>::mutate(|next| {
					let id = *next;
					*next = next.saturating_add(1);
					id
				});
				OutboundQueue::<T>::insert(
					id,
					QueuedOutbound { sender: sender.clone(), amount, recipient_chain, recipient, queued_at: now, deposit },
				);
				Self::deposit_event(Event::OutboundQueued {
					id,
					sender,
					amount,
					recipient_chain,
					recipient,
					release_at: now.saturating_add(duration),
				});
			}
			Ok(())
		}

		/// Redeems a VAA from a peer: verifies it and unlocks CLD to the recipient.
		///
		/// - Origin: signed, anyone (a relayer); it pays the fee.
		/// - `vaa`: the VAA's bytes (Wormhole VAA v1), at most `MaxVaaLen`.
		///
		/// Checks, in order: the VAA parses and has at most `MaxGuardians` signatures; its
		/// guardian set is known and current or within its grace; quorum, ascending indices
		/// below the set's size, each signature recovering to its guardian; the digest was
		/// not consumed; the emitter is a registered peer's; the payload is a transceiver
		/// message from the peer's manager to this pallet carrying an NTT transfer to this
		/// chain with the peer's trimmed decimals; the amount is not zero and within the peer's
		/// outstanding. Then consumes the digest and, within the peer's inbound limit, unlocks
		/// the amount (untrimmed to 12 decimals) to the recipient ([`Event::TransferRedeemed`]);
		/// over it, queues it ([`Event::InboundQueued`]). Either gives the peer's outbound
		/// limit the amount back.
		///
		/// Errors: [`Error::InboundPaused`], [`Error::MalformedVaa`], [`Error::UnsupportedVaaVersion`],
		/// [`Error::TooManySignatures`], [`Error::UnknownGuardianSet`],
		/// [`Error::GuardianSetExpired`], [`Error::NoQuorum`],
		/// [`Error::GuardianIndicesNotAscending`], [`Error::GuardianIndexOutOfRange`],
		/// [`Error::InvalidRecoveryId`], [`Error::InvalidSignature`], [`Error::AlreadyConsumed`]
		/// (the transfer is done: relayers treat it as success), [`Error::UnknownPeer`],
		/// [`Error::WrongEmitter`], [`Error::MalformedPayload`], [`Error::WrongSourceManager`],
		/// [`Error::WrongRecipientManager`], [`Error::WrongTargetChain`],
		/// [`Error::UnsupportedDecimals`], [`Error::AmountTooLarge`], [`Error::ZeroAmount`],
		/// [`Error::InvalidRecipient`], [`Error::ExceedsOutstanding`]; the currency's
		/// `BelowMinimum` when the amount would leave a new recipient below the existential
		/// deposit (the VAA stays redeemable).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::receive_message(Pallet::<T>::signature_count(vaa)).saturating_add(Pallet::<T>::pause_read()))]
		pub fn receive_message(origin: OriginFor<T>, vaa: VaaBytes<T>) -> DispatchResult {
			ensure_signed(origin)?;
			ensure!(!Paused::<T>::get().inbound, Error::<T>::InboundPaused);
			let (vaa, digest, _) = Self::verified(&vaa)?;
			let body = vaa.body;
			let mut peer = Peers::<T>::get(body.emitter_chain).ok_or(Error::<T>::UnknownPeer)?;
			ensure!(body.emitter_address == peer.emitter, Error::<T>::WrongEmitter);
			let message = TransceiverMessage::parse(&body.payload).map_err(|_| Error::<T>::MalformedPayload)?;
			ensure!(message.source_manager == peer.manager, Error::<T>::WrongSourceManager);
			ensure!(message.recipient_manager == Self::emitter_address(), Error::<T>::WrongRecipientManager);
			let (_, transfer) = message.transfer().map_err(|_| Error::<T>::MalformedPayload)?;
			ensure!(transfer.to_chain == T::ChainId::get(), Error::<T>::WrongTargetChain);
			ensure!(transfer.amount.decimals == Self::trimmed_decimals(&peer), Error::<T>::UnsupportedDecimals);
			let amount = transfer.amount.untrim(T::Decimals::get()).map_err(|_| Error::<T>::AmountTooLarge)?;
			let amount: BalanceOf<T> = amount.try_into().map_err(|_| Error::<T>::AmountTooLarge)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			let recipient = T::AccountId::decode(&mut &transfer.to[..]).map_err(|_| Error::<T>::InvalidRecipient)?;
			ensure!(peer.outstanding >= amount, Error::<T>::ExceedsOutstanding);

			Consumed::<T>::insert(digest, ());
			peer.outstanding -= amount;
			let now = Self::now();
			let duration = T::RateLimitDuration::get();
			let within = peer.inbound.consume(amount, now, duration);
			peer.outbound.backfill(amount, now, duration);
			Peers::<T>::insert(body.emitter_chain, peer);
			let (source_chain, sequence) = (body.emitter_chain, body.sequence);
			if within {
				funds::unlock::<T>(&recipient, amount)?;
				Self::deposit_event(Event::TransferRedeemed { digest, source_chain, sequence, recipient, amount });
			} else {
				InboundQueue::<T>::insert(
					digest,
					QueuedInbound { recipient: recipient.clone(), amount, source_chain, queued_at: now },
				);
				Self::deposit_event(Event::InboundQueued {
					digest,
					source_chain,
					sequence,
					recipient,
					amount,
					release_at: now.saturating_add(duration),
				});
			}
			Ok(())
		}

		/// Completes a queued transfer once `RateLimitDuration` has passed since it was queued.
		///
		/// - Origin: signed, anyone.
		/// - `queued`: [`Queued::Outbound`] with its queue id, or [`Queued::Inbound`] with its
		///   VAA's digest.
		///
		/// Outbound: adds it to the peer's outstanding, publishes the message
		/// ([`Event::TransferSent`]) and releases the sender's deposit. Inbound: unlocks the CLD to the recipient ([`Event::InboundReleased`]).
		/// Neither uses rate-limit capacity: the delay was the limit.
		///
		/// Errors: [`Error::NotQueued`], [`Error::StillQueued`], [`Error::OutboundPaused`] /
		/// [`Error::InboundPaused`] (its direction is paused); for an outbound transfer whose
		/// peer changed its decimals since, [`Error::Dust`] (cancel it instead).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::complete_outbound().max(T::WeightInfo::complete_inbound()).saturating_add(Pallet::<T>::pause_read()))]
		pub fn complete_queued(origin: OriginFor<T>, queued: Queued) -> DispatchResult {
			ensure_signed(origin)?;
			let now = Self::now();
			let duration = T::RateLimitDuration::get();
			match queued {
				Queued::Outbound(id) => {
					ensure!(!Paused::<T>::get().outbound, Error::<T>::OutboundPaused);
					let q = OutboundQueue::<T>::get(id).ok_or(Error::<T>::NotQueued)?;
					ensure!(now >= q.queued_at.saturating_add(duration), Error::<T>::StillQueued);
					let peer = Peers::<T>::get(q.recipient_chain).ok_or(Error::<T>::UnknownPeer)?;
					let trimmed = Self::trim(q.amount, &peer)?;
					OutboundQueue::<T>::remove(id);
					funds::release_deposit::<T>(&q.sender, q.deposit);
					let QueuedOutbound { sender, amount, recipient_chain, recipient, .. } = q;
					Self::publish(Outbound { sender, amount, trimmed, recipient_chain, recipient }, peer)?;
				},
				Queued::Inbound(digest) => {
					ensure!(!Paused::<T>::get().inbound, Error::<T>::InboundPaused);
					let q = InboundQueue::<T>::get(digest).ok_or(Error::<T>::NotQueued)?;
					ensure!(now >= q.queued_at.saturating_add(duration), Error::<T>::StillQueued);
					InboundQueue::<T>::remove(digest);
					funds::unlock::<T>(&q.recipient, q.amount)?;
					Self::deposit_event(Event::InboundReleased { digest, recipient: q.recipient, amount: q.amount });
				},
			}
			Ok(())
		}

		/// Cancels a queued outbound transfer: its CLD and deposit go back to the sender.
		///
		/// - Origin: signed, the transfer's sender.
		/// - `id`: the queue id from [`Event::OutboundQueued`].
		///
		/// Unlocks the amount to the sender and releases the deposit; emits [`Event::OutboundCancelled`].
		///
		/// Errors: [`Error::NotQueued`], [`Error::NotSender`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::cancel_queued())]
		pub fn cancel_queued(origin: OriginFor<T>, id: u64) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let q = OutboundQueue::<T>::get(id).ok_or(Error::<T>::NotQueued)?;
			ensure!(q.sender == who, Error::<T>::NotSender);
			OutboundQueue::<T>::remove(id);
			funds::release_deposit::<T>(&who, q.deposit);
			funds::unlock::<T>(&who, q.amount)?;
			Self::deposit_event(Event::OutboundCancelled { id, sender: who, amount: q.amount });
			Ok(())
		}

		/// Registers a peer, or updates one (its outstanding and used capacity stay).
		///
		/// - Origin: `AdminOrigin` (the `bridge_admin` track).
		/// - `chain`: its Wormhole chain id (not 0, not this chain's).
		/// - `config`: emitter, manager (32 bytes each, not zero), token decimals (≤ 18),
		///   outbound and inbound limits (base units per `RateLimitDuration`).
		///
		/// Emits [`Event::PeerRegistered`]. Errors: [`Error::InvalidPeer`],
		/// [`Error::UnsupportedDecimals`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::register_peer())]
		pub fn register_peer(origin: OriginFor<T>, chain: ChainId, config: PeerConfig<BalanceOf<T>>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::check_peer(chain, &config)?;
			let existing = Peers::<T>::get(chain);
			Peers::<T>::insert(chain, Self::new_peer(&config, existing, Self::now()));
			Self::deposit_event(Event::PeerRegistered { chain, config });
			Ok(())
		}

		/// Replaces the guardian set.
		///
		/// - Origin: `AdminOrigin` (the `bridge_admin` track).
		/// - `index`: the current index plus 1.
		/// - `keys`: the guardians' addresses (20 bytes each), in index order.
		///
		/// The new set is current at once; the previous one still signs for
		/// `GuardianSetGrace` seconds. Emits [`Event::GuardianSetChanged`].
		///
		/// Errors: [`Error::GuardianSetIndexNotNext`], [`Error::InvalidGuardianSet`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_guardian_set(keys.len() as u32))]
		pub fn set_guardian_set(
			origin: OriginFor<T>,
			index: u32,
			keys: BoundedVec<Address, T::MaxGuardians>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::rotate(index, keys)
		}

		/// Applies a Wormhole guardian-set upgrade VAA (the Core bridge's governance action 2).
		///
		/// - Origin: signed, anyone.
		/// - `vaa`: a VAA from Wormhole's governance emitter (chain 1, address `0x…04`) signed by
		///   the current guardian set, whose payload upgrades to the current index plus 1 for
		///   chain 0 (all) or this chain.
		///
		/// As [`Pallet::set_guardian_set`], and consumes the VAA's digest.
		///
		/// Errors: the VAA errors of [`Pallet::receive_message`], [`Error::NotCurrentGuardianSet`],
		/// [`Error::NotGovernanceEmitter`], [`Error::NotGuardianSetUpgrade`],
		/// [`Error::WrongTargetChain`], [`Error::GuardianSetIndexNotNext`],
		/// [`Error::InvalidGuardianSet`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::submit_guardian_set_upgrade(Pallet::<T>::signature_count(vaa)))]
		pub fn submit_guardian_set_upgrade(origin: OriginFor<T>, vaa: VaaBytes<T>) -> DispatchResult {
			ensure_signed(origin)?;
			let (vaa, digest, set) = Self::verified(&vaa)?;
			ensure!(set == CurrentGuardianSet::<T>::get(), Error::<T>::NotCurrentGuardianSet);
			ensure!(
				vaa.body.emitter_chain == GOVERNANCE_CHAIN && vaa.body.emitter_address == GOVERNANCE_EMITTER,
				Error::<T>::NotGovernanceEmitter
			);
			let upgrade = GuardianSetUpgrade::parse(&vaa.body.payload).map_err(|_| Error::<T>::NotGuardianSetUpgrade)?;
			ensure!(upgrade.chain == 0 || upgrade.chain == T::ChainId::get(), Error::<T>::WrongTargetChain);
			let keys = BoundedVec::try_from(upgrade.keys).map_err(|_| Error::<T>::InvalidGuardianSet)?;
			Consumed::<T>::insert(digest, ());
			Self::rotate(upgrade.new_index, keys)
		}

		/// Pauses or unpauses each direction.
		///
		/// - Origin: `PauseOrigin` to pause (Root, `bridge_admin`, `bridge_guardian`);
		///   `AdminOrigin` to unpause a paused direction (`bridge_admin`, Root), so a fast track
		///   can stop the bridge but not hold it open.
		/// - `outbound`, `inbound`: whether each direction is paused from now on.
		///
		/// Paused outbound: `transfer` and completing queued outbound transfers fail
		/// (`OutboundPaused`); senders may still cancel their queued transfers. Paused inbound:
		/// `receive_message` and completing queued inbound transfers fail (`InboundPaused`); the
		/// VAAs stay redeemable later.
		///
		/// Emits [`Event::PauseSet`]. Errors: `BadOrigin`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::set_paused())]
		pub fn set_paused(origin: OriginFor<T>, outbound: bool, inbound: bool) -> DispatchResult {
			let now = Paused::<T>::get();
			if (now.outbound && !outbound) || (now.inbound && !inbound) {
				T::AdminOrigin::ensure_origin(origin)?;
			} else {
				T::PauseOrigin::ensure_origin(origin)?;
			}
			Paused::<T>::put(Pause { outbound, inbound });
			Self::deposit_event(Event::PauseSet { outbound, inbound });
			Ok(())
		}

		/// Cancels a queued inbound transfer (for one from a forged or mistaken VAA, inside its
		/// 24-hour delay).
		///
		/// - Origin: `PauseOrigin` (Root, `bridge_admin`, `bridge_guardian`).
		/// - `digest`: the queued transfer's VAA digest ([`Event::InboundQueued`]).
		///
		/// Removes it from the queue; its CLD stays locked and is owed to the peer again (the
		/// peer's outstanding grows back by the amount). The VAA stays consumed.
		///
		/// Emits [`Event::InboundCancelled`]. Errors: `BadOrigin`, [`Error::NotQueued`].
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::cancel_inbound())]
		pub fn cancel_inbound(origin: OriginFor<T>, digest: [u8; 32]) -> DispatchResult {
			T::PauseOrigin::ensure_origin(origin)?;
			let q = InboundQueue::<T>::take(digest).ok_or(Error::<T>::NotQueued)?;
			Peers::<T>::mutate(q.source_chain, |peer| {
				if let Some(peer) = peer {
					peer.outstanding = peer.outstanding.saturating_add(q.amount);
				}
			});
			Self::deposit_event(Event::InboundCancelled {
				digest,
				source_chain: q.source_chain,
				recipient: q.recipient,
				amount: q.amount,
			});
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The weight of reading [`Paused`], which the benchmarked calls it guards add.
		pub fn pause_read() -> Weight {
			T::DbWeight::get().reads(1)
		}

		/// The bridge's account, the one that holds locked CLD.
		pub fn account_id() -> T::AccountId {
			funds::account::<T>()
		}

		/// An account's 32 bytes (the account id is 32 bytes: `integrity_test`).
		pub fn account_bytes(who: &T::AccountId) -> [u8; 32] {
			let mut out = [0u8; 32];
			who.using_encoded(|bytes| {
				let n = bytes.len().min(32);
				out[..n].copy_from_slice(&bytes[..n]);
			});
			out
		}

		/// The number of signatures a VAA claims (its sixth byte), at most `MaxGuardians`: the
		/// weight's parameter.
		pub fn signature_count(vaa: &[u8]) -> u32 {
			vaa.get(5).map_or(0, |&k| k as u32).min(T::MaxGuardians::get())
		}

		/// Now, Unix seconds.
		pub fn now() -> u64 {
			T::UnixTime::now().as_secs()
		}

		/// Parses `bytes` as a VAA and verifies it against the guardian set it names; refuses
		/// a consumed digest. Returns the VAA, its digest and its guardian set's index.
		pub fn verified(bytes: &[u8]) -> Result<(Vaa, [u8; 32], u32), Error<T>> {
			let vaa = Vaa::parse(bytes).map_err(|e| match e {
				VaaError::UnsupportedVersion(_) => Error::<T>::UnsupportedVaaVersion,
				_ => Error::<T>::MalformedVaa,
			})?;
			ensure!(vaa.signatures.len() as u32 <= T::MaxGuardians::get(), Error::<T>::TooManySignatures);
			let info = GuardianSets::<T>::get(vaa.guardian_set_index).ok_or(Error::<T>::UnknownGuardianSet)?;
			let set = GuardianSet {
				index: vaa.guardian_set_index,
				keys: &info.keys,
				expiration_time: info.expiration_time,
			};
			let digest = cloudana_wormhole::verify(&SpIo, &vaa, &set, CurrentGuardianSet::<T>::get(), Self::now())
				.map_err(|e| match e {
					VerifyError::WrongGuardianSet { .. } => Error::<T>::UnknownGuardianSet,
					VerifyError::EmptyGuardianSet | VerifyError::TooManyGuardians => Error::<T>::InvalidGuardianSet,
					VerifyError::GuardianSetExpired { .. } => Error::<T>::GuardianSetExpired,
					VerifyError::NoQuorum { .. } => Error::<T>::NoQuorum,
					VerifyError::IndicesNotAscending { .. } => Error::<T>::GuardianIndicesNotAscending,
					VerifyError::GuardianIndexOutOfRange { .. } => Error::<T>::GuardianIndexOutOfRange,
					VerifyError::BadRecoveryId { .. } => Error::<T>::InvalidRecoveryId,
					VerifyError::SignatureInvalid { .. } => Error::<T>::InvalidSignature,
				})?;
			ensure!(!Consumed::<T>::contains_key(digest), Error::<T>::AlreadyConsumed);
			let index = vaa.guardian_set_index;
			Ok((vaa, digest, index))
		}

		/// The decimals amounts to and from `peer` travel with: `min(8, 12, peer's)`.
		fn trimmed_decimals(peer: &Peer<BalanceOf<T>>) -> u8 {
			cloudana_wormhole::ntt::TRIMMED_DECIMALS.min(T::Decimals::get()).min(peer.decimals)
		}

		/// `amount` as it crosses to `peer`.
		fn trim(amount: BalanceOf<T>, peer: &Peer<BalanceOf<T>>) -> Result<TrimmedAmount, Error<T>> {
			let amount: u128 = amount.unique_saturated_into();
			TrimmedAmount::trim(amount, T::Decimals::get(), peer.decimals).map_err(|e| match e {
				AmountError::Dust { .. } => Error::<T>::Dust,
				AmountError::TooLarge => Error::<T>::AmountTooLarge,
				AmountError::BadDecimals => Error::<T>::UnsupportedDecimals,
			})
		}

		/// Publishes a transfer for the guardians (the next sequence, into [`Outbox`]) and adds
		/// it to the peer's outstanding.
		fn publish(transfer: Outbound<T>, mut peer: Peer<BalanceOf<T>>) -> DispatchResult {
			let Outbound { sender, amount, trimmed, recipient_chain, recipient } = transfer;
			let sequence = NextSequence::<T>::mutate(|next| {
				let sequence = *next;
				*next = next.saturating_add(1);
				sequence
			});
			let payload = Self::transfer_payload(sequence, &sender, trimmed, recipient_chain, recipient, &peer)
				.ok_or(Error::<T>::AmountTooLarge)?;
			peer.add_outstanding(amount);
			Peers::<T>::insert(recipient_chain, peer);
			let message = OutboundMessage {
				timestamp: Self::now().unique_saturated_into(),
				nonce: 0,
				emitter_chain: T::ChainId::get(),
				consistency_level: CONSISTENCY_FINALIZED,
				payload: BoundedVec::try_from(payload).map_err(|_| Error::<T>::AmountTooLarge)?,
				block: frame_system::Pallet::<T>::block_number(),
			};
			Outbox::<T>::insert(sequence, message);
			Self::deposit_event(Event::TransferSent { sequence, sender, amount, recipient_chain, recipient });
			Ok(())
		}

		/// The Wormhole transceiver message of a transfer (NTT, `cloudana_wormhole::ntt::Transfer`):
		/// the manager message's id is the sequence.
		pub fn transfer_payload(
			sequence: u64,
			sender: &T::AccountId,
			amount: TrimmedAmount,
			recipient_chain: ChainId,
			recipient: [u8; 32],
			peer: &Peer<BalanceOf<T>>,
		) -> Option<Vec<u8>> {
			Transfer {
				source_manager: Self::emitter_address(),
				recipient_manager: peer.manager,
				sequence,
				sender: Self::account_bytes(sender),
				amount,
				source_token: T::TokenAddress::get(),
				to: recipient,
				to_chain: recipient_chain,
			}
			.encode()
			.ok()
		}

		/// Makes `keys` guardian set `index`, the current one; the previous one expires after
		/// `GuardianSetGrace`.
		fn rotate(index: u32, keys: BoundedVec<Address, T::MaxGuardians>) -> DispatchResult {
			let current = CurrentGuardianSet::<T>::get();
			let first = GuardianSets::<T>::get(current).is_none();
			ensure!(first || Some(index) == current.checked_add(1), Error::<T>::GuardianSetIndexNotNext);
			ensure!(Self::valid_keys(&keys), Error::<T>::InvalidGuardianSet);
			let previous_expires_at = Self::now().saturating_add(T::GuardianSetGrace::get());
			if !first {
				GuardianSets::<T>::mutate(current, |set| {
					if let Some(set) = set {
						set.expiration_time = previous_expires_at;
					}
				});
			}
			let guardians = keys.len() as u32;
			GuardianSets::<T>::insert(index, GuardianSetInfo { keys, expiration_time: u64::MAX });
			CurrentGuardianSet::<T>::put(index);
			Self::deposit_event(Event::GuardianSetChanged { index, guardians, previous_expires_at });
			Ok(())
		}

		/// Non-empty, no zero address, no address twice.
		pub(crate) fn valid_keys(keys: &[Address]) -> bool {
			!keys.is_empty() &&
				keys.iter().all(|k| *k != [0u8; 20]) &&
				keys.iter().enumerate().all(|(i, k)| !keys[..i].contains(k))
		}

		fn check_peer(chain: ChainId, config: &PeerConfig<BalanceOf<T>>) -> DispatchResult {
			ensure!(chain != 0 && chain != T::ChainId::get(), Error::<T>::InvalidPeer);
			ensure!(config.emitter != [0u8; 32] && config.manager != [0u8; 32], Error::<T>::InvalidPeer);
			ensure!(config.decimals <= 18, Error::<T>::UnsupportedDecimals);
			Ok(())
		}

		pub(crate) fn new_peer(
			config: &PeerConfig<BalanceOf<T>>,
			existing: Option<Peer<BalanceOf<T>>>,
			now: u64,
		) -> Peer<BalanceOf<T>> {
			let duration = T::RateLimitDuration::get();
			match existing {
				Some(mut peer) => {
					peer.emitter = config.emitter;
					peer.manager = config.manager;
					peer.decimals = config.decimals;
					peer.outbound.set_limit(config.outbound_limit, now, duration);
					peer.inbound.set_limit(config.inbound_limit, now, duration);
					peer
				},
				None => Peer {
					emitter: config.emitter,
					manager: config.manager,
					decimals: config.decimals,
					outbound: RateLimit::new(config.outbound_limit, now),
					inbound: RateLimit::new(config.inbound_limit, now),
					outstanding: Zero::zero(),
				},
			}
		}

		/// Prunes what `OutboxRetention` allows, at most `MaxPrunePerBlock`; returns how many.
		fn prune_outbox(now: BlockNumberFor<T>) -> u32 {
			let retention = T::OutboxRetention::get();
			let (mut start, end) = (OutboxStart::<T>::get(), NextSequence::<T>::get());
			let mut pruned = 0;
			while start < end && pruned < T::MaxPrunePerBlock::get() {
				match Outbox::<T>::get(start) {
					Some(message) if message.block.saturating_add(retention) > now => break,
					_ => {},
				}
				Outbox::<T>::remove(start);
				start += 1;
				pruned += 1;
			}
			if pruned > 0 {
				OutboxStart::<T>::put(start);
			}
			pruned
		}

		/// The invariants: locked CLD = Σ outstanding + Σ queued, both ways (CLD sent to the
		/// account by hand only adds to it); the current guardian set exists and never
		/// expires; the outbox holds only sequences in `[OutboxStart, NextSequence)`.
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let mut owed: BalanceOf<T> = Zero::zero();
			for (_, peer) in Peers::<T>::iter() {
				owed = owed.saturating_add(peer.outstanding);
			}
			for (_, q) in InboundQueue::<T>::iter() {
				owed = owed.saturating_add(q.amount);
			}
			for (_, q) in OutboundQueue::<T>::iter() {
				owed = owed.saturating_add(q.amount);
			}
			ensure!(funds::locked::<T>() >= owed, "the bridge's account holds less than it owes");
			if GuardianSets::<T>::iter().next().is_some() {
				let current = GuardianSets::<T>::get(CurrentGuardianSet::<T>::get());
				ensure!(current.map(|s| s.expiration_time) == Some(u64::MAX), "the current guardian set expires");
			}
			let (start, end) = (OutboxStart::<T>::get(), NextSequence::<T>::get());
			ensure!(start <= end, "the outbox starts after its end");
			for (sequence, _) in Outbox::<T>::iter() {
				ensure!(sequence >= start && sequence < end, "an outbox entry outside its range");
			}
			Ok(())
		}
	}
}
