//! The track origins of Cloudana's OpenGov (as Polkadot's `governance/origins.rs`): a referendum
//! on a track, once approved, dispatches its call with that track's origin, and each origin is
//! accepted by the calls it governs (see the track table in [`super::tracks`]).

pub use pallet_custom_origins::*;

#[frame_support::pallet]
pub mod pallet_custom_origins {
	use crate::{Balance, CLD};
	use frame_support::pallet_prelude::*;

	#[pallet::config]
	pub trait Config: frame_system::Config {}

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// An origin a referendum dispatches with, one per track but `root` (which dispatches as
	/// Root).
	#[derive(
		PartialEq,
		Eq,
		Clone,
		MaxEncodedLen,
		Encode,
		Decode,
		DecodeWithMemTracking,
		TypeInfo,
		Debug,
	)]
	#[pallet::origin]
	pub enum Origin {
		/// May cancel a referendum (its deposits are refunded).
		ReferendumCanceller,
		/// May kill a referendum (its deposits are slashed).
		ReferendumKiller,
		/// May change the economics parameters (`Economics::set_parameter` of the `economics`
		/// group; the set is checked), and no other group.
		EconomicParams,
		/// May cancel a deferred slash inside its window (`Slashing::cancel_deferred_slash`).
		SlashCancel,
		/// May pay from the insurance pool (`InsurancePool::spend`), up to
		/// [`INSURANCE_SPEND_LIMIT`] a spend.
		InsuranceSpend,
		/// May pay from the treasury (`Treasury::spend`), up to [`TREASURER_SPEND_LIMIT`] a spend.
		Treasurer,
		/// May register Wormhole peers and replace the guardian set
		/// (`WormholeBridge::register_peer`, `WormholeBridge::set_guardian_set`), and set the
		/// `bridge` parameters (`Economics::set_parameter`: `ChainId`).
		BridgeAdmin,
		/// Decides disputes (`Disputes::rule`, first round).
		Dispute,
		/// Decides appeals of disputes (`Disputes::rule`, appeal round).
		DisputeAppeal,
		/// The bridge's emergency brake: pauses either direction and cancels queued inbound
		/// transfers (`WormholeBridge::set_paused` to pause, `WormholeBridge::cancel_inbound`);
		/// it cannot unpause.
		BridgeGuardian,
	}

	/// The largest spend one `treasurer` referendum may approve: 100 000 CLD (base units).
	pub const TREASURER_SPEND_LIMIT: Balance = 100_000 * CLD;
	/// The largest spend one `insurance_spend` referendum may approve: 50 000 CLD (base units).
	pub const INSURANCE_SPEND_LIMIT: Balance = 50_000 * CLD;

	/// `EnsureOrigin` for each track origin, succeeding with the given value: `()` for most,
	/// the spend limit for the spending tracks.
	macro_rules! ensure_track {
		($($name:ident: $success:ty = $value:expr),* $(,)?) => {$(
			#[doc = concat!("Accepts the `", stringify!($name), "` track's origin.")]
			pub struct $name;
			impl<O: OriginTrait + From<Origin>> EnsureOrigin<O> for $name
			where
				for<'a> &'a O::PalletsOrigin: TryInto<&'a Origin>,
			{
				type Success = $success;
				fn try_origin(o: O) -> Result<Self::Success, O> {
					match o.caller().try_into() {
						Ok(Origin::$name) => return Ok($value),
						_ => (),
					}
					Err(o)
				}
				#[cfg(feature = "runtime-benchmarks")]
				fn try_successful_origin() -> Result<O, ()> {
					Ok(O::from(Origin::$name))
				}
			}
		)*};
	}
	ensure_track!(
		ReferendumCanceller: () = (),
		ReferendumKiller: () = (),
		EconomicParams: () = (),
		SlashCancel: () = (),
		BridgeAdmin: () = (),
		Dispute: () = (),
		DisputeAppeal: () = (),
		BridgeGuardian: () = (),
		Treasurer: Balance = TREASURER_SPEND_LIMIT,
		InsuranceSpend: Balance = INSURANCE_SPEND_LIMIT,
	);
}
