//! The records pallet-verifier stores, and its key and error types.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use cloudana_groth16::G1Bytes;
use core::marker::PhantomData;
use frame_support::{traits::fungible::Inspect, BoundedVec};
use scale_info::TypeInfo;
use sp_core::{Get, H256};

/// A verifying key's id: `blake2_256` of its flat EIP-197 bytes.
pub type VkId = H256;

/// Balance type of the pallet's currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// `MaxPublicInputs + 1`: the most `IC` points a key may have.
pub struct MaxIcPoints<T>(PhantomData<T>);
impl<T: Config> Get<u32> for MaxIcPoints<T> {
	fn get() -> u32 {
		T::MaxPublicInputs::get().saturating_add(1)
	}
}

/// The length of the prepared form of a key with `MaxPublicInputs` inputs.
pub struct MaxPreparedKeyLen<T>(PhantomData<T>);
impl<T: Config> Get<u32> for MaxPreparedKeyLen<T> {
	fn get() -> u32 {
		cloudana_groth16::verifier::prepared_key_len(T::MaxPublicInputs::get()) as u32
	}
}

/// A verifying key as a call argument: EIP-197 points, `IC` bounded by `MaxPublicInputs + 1`.
pub type VerifyingKeyOf<T> = cloudana_groth16::VerifyingKey<BoundedVec<G1Bytes, MaxIcPoints<T>>>;

/// What the pallet records of a registered key.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen)]
pub struct VkInfo<AccountId, Balance> {
	/// Who registered the key; their deposit is held.
	pub owner: AccountId,
	/// The deposit held, base units.
	pub deposit: Balance,
	/// Public inputs the key verifies.
	pub public_inputs: u32,
	/// Live jobs using the key.
	pub consumers: u32,
}

/// [`VkInfo`] of a runtime.
pub type VkInfoOf<T> = VkInfo<<T as frame_system::Config>::AccountId, BalanceOf<T>>;
