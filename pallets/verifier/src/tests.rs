//! pallet-verifier: every call, every error, balance conservation, and real snarkjs proofs.

use crate::{mock::*, Error, Event, HoldReason, PreparedKeys, Revoked, VerifyError, VerifyingKeyOf, VerifyingKeys, VkId};
use cloudana_groth16::{snarkjs, statement, Groth16Error, Proof, PublicInput};
use cloudana_groth16_simulator::Trapdoor;
use frame_support::{assert_noop, assert_ok, traits::fungible::{Inspect, InspectHold}};

const SNARKJS_VK: &str = include_str!("../../../primitives/groth16/test-vectors/verification_key.json");
const SNARKJS_PROOF: &str = include_str!("../../../primitives/groth16/test-vectors/proof.json");
const SNARKJS_PUBLIC: &str = include_str!("../../../primitives/groth16/test-vectors/public.json");

fn bounded(vk: cloudana_groth16::VerifyingKey<Vec<[u8; 64]>>) -> Box<VerifyingKeyOf<Test>> {
	Box::new(vk.try_map_ic(TryInto::try_into).expect("within MaxPublicInputs"))
}

fn snarkjs_key() -> Box<VerifyingKeyOf<Test>> {
	bounded(snarkjs::verifying_key_from_json(SNARKJS_VK).unwrap())
}

fn id_of(vk: &VerifyingKeyOf<Test>) -> VkId {
	statement::vk_id(vk).into()
}

/// Free plus held balance of the test accounts, and total issuance.
fn totals() -> (u64, u64) {
	let sum = [ALICE, BOB, POOR].iter().map(|a| Balances::total_balance(a)).sum();
	(sum, Balances::total_issuance())
}

fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::VerifyingKeyDeposit.into(), &who)
}

#[test]
fn register_holds_deposit_and_emits_event() {
	new_test_ext().execute_with(|| {
		let before = totals();
		let vk = snarkjs_key();
		let id = id_of(&vk);
		assert_ok!(Verifier::register_vk(RuntimeOrigin::signed(ALICE), vk));
		let len = cloudana_groth16::verifier::prepared_key_len(2);
		let deposit = 1_000 + 2 * len as u64;
		System::assert_last_event(Event::VkRegistered { id, owner: ALICE, public_inputs: 2, deposit }.into());
		assert_eq!(held(ALICE), deposit);
		assert_eq!(Balances::balance(&ALICE), RICH - deposit);
		assert_eq!(PreparedKeys::<Test>::get(id).unwrap().len(), len);
		let info = Verifier::key_info(&id).unwrap();
		assert_eq!((info.owner, info.public_inputs, info.consumers), (ALICE, 2, 0));
		assert_eq!(totals(), before);
		Verifier::do_try_state().unwrap();
	});
}

#[test]
fn registering_twice_fails() {
	new_test_ext().execute_with(|| {
		assert_ok!(Verifier::register_vk(RuntimeOrigin::signed(ALICE), snarkjs_key()));
		assert_noop!(Verifier::register_vk(RuntimeOrigin::signed(BOB), snarkjs_key()), Error::<Test>::AlreadyRegistered);
	});
}

#[test]
fn unsigned_origin_is_refused() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Verifier::register_vk(RuntimeOrigin::none(), snarkjs_key()),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn key_without_ic_points_is_refused() {
	new_test_ext().execute_with(|| {
		let mut vk = snarkjs_key();
		vk.ic = Default::default();
		assert_noop!(Verifier::register_vk(RuntimeOrigin::signed(ALICE), vk), Error::<Test>::TooManyPublicInputs);
	});
}

#[test]
fn each_invalid_key_gets_its_own_error() {
	new_test_ext().execute_with(|| {
		let p_bytes = hex::decode("30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47").unwrap();
		let cases: Vec<(Box<dyn Fn(&mut VerifyingKeyOf<Test>)>, Error<Test>)> = vec![
			(Box::new(|vk| vk.alpha_g1[..32].copy_from_slice(&p_bytes)), Error::NonCanonicalFieldElement),
			(Box::new(|vk| vk.ic[1][63] ^= 1), Error::PointNotOnCurve),
			(Box::new(|vk| vk.beta_g2 = twist_point_outside_subgroup()), Error::PointNotInSubgroup),
			(Box::new(|vk| vk.ic[2] = [0; 64]), Error::IdentityInVerifyingKey),
			(Box::new(|vk| vk.delta_g2 = vk.gamma_g2), Error::GammaEqualsDelta),
		];
		for (tamper, error) in cases {
			let mut vk = snarkjs_key();
			tamper(&mut vk);
			assert_noop!(Verifier::register_vk(RuntimeOrigin::signed(ALICE), vk), error);
		}
	});
}

/// A point on the BN254 twist outside G2's prime-order subgroup, EIP-197 encoded.
fn twist_point_outside_subgroup() -> [u8; 128] {
	use ark_ec::{short_weierstrass::Affine, AffineRepr};
	use ark_std::{rand::SeedableRng, UniformRand};
	let mut rng = ark_std::rand::rngs::StdRng::seed_from_u64(7);
	loop {
		let x = ark_bn254::Fq2::rand(&mut rng);
		if let Some(p) = Affine::<ark_bn254::g2::Config>::get_point_from_x_unchecked(x, false) {
			if !p.is_in_correct_subgroup_assuming_on_curve() && !p.is_zero() {
				return cloudana_groth16::encoding::encode_g2(&p);
			}
		}
	}
}

#[test]
fn owner_who_cannot_afford_the_deposit_is_refused() {
	new_test_ext().execute_with(|| {
		assert_noop!(Verifier::register_vk(RuntimeOrigin::signed(POOR), snarkjs_key()), Error::<Test>::InsufficientBalance);
	});
}

/// `revoke_vk`: only Root; an unknown (or already revoked) key is `VkNotFound` and changes
/// nothing; a revoked key is gone, its deposit back with its owner, and recorded in `Revoked`.
#[test]
fn revoke_vk_is_roots_and_refuses_an_unknown_key() {
	new_test_ext().execute_with(|| {
		let before = totals();
		let vk = snarkjs_key();
		let id = id_of(&vk);
		assert_noop!(Verifier::revoke_vk(RuntimeOrigin::root(), id), Error::<Test>::VkNotFound);
		assert_ok!(Verifier::register_vk(RuntimeOrigin::signed(ALICE), vk));
		assert_noop!(Verifier::revoke_vk(RuntimeOrigin::signed(ALICE), id), sp_runtime::DispatchError::BadOrigin);
		assert_ok!(Verifier::revoke_vk(RuntimeOrigin::root(), id));
		System::assert_last_event(Event::VkRevoked { id, owner: ALICE, consumers: 0 }.into());
		assert_eq!((held(ALICE), Balances::balance(&ALICE)), (0, RICH));
		assert!(!VerifyingKeys::<Test>::contains_key(id) && !PreparedKeys::<Test>::contains_key(id));
		assert!(Revoked::<Test>::contains_key(id));
		assert_noop!(Verifier::revoke_vk(RuntimeOrigin::root(), id), Error::<Test>::VkNotFound);
		assert_eq!(totals(), before);
	});
}

#[test]
fn unregister_releases_the_deposit() {
	new_test_ext().execute_with(|| {
		let before = totals();
		let vk = snarkjs_key();
		let id = id_of(&vk);
		assert_ok!(Verifier::register_vk(RuntimeOrigin::signed(ALICE), vk));
		let deposit = Verifier::key_info(&id).unwrap().deposit;
		assert_ok!(Verifier::unregister_vk(RuntimeOrigin::signed(ALICE), id));
		System::assert_last_event(Event::VkUnregistered { id, owner: ALICE, deposit }.into());
		assert_eq!(held(ALICE), 0);
		assert_eq!(Balances::balance(&ALICE), RICH);
		assert!(!VerifyingKeys::<Test>::contains_key(id));
		assert!(!PreparedKeys::<Test>::contains_key(id));
		assert_eq!(totals(), before);
	});
}

#[test]
fn unregister_errors() {
	new_test_ext().execute_with(|| {
		let vk = snarkjs_key();
		let id = id_of(&vk);
		assert_noop!(Verifier::unregister_vk(RuntimeOrigin::signed(ALICE), id), Error::<Test>::VkNotFound);
		assert_ok!(Verifier::register_vk(RuntimeOrigin::signed(ALICE), vk));
		assert_noop!(Verifier::unregister_vk(RuntimeOrigin::signed(BOB), id), Error::<Test>::NotOwner);
		Verifier::acquire(&id).unwrap();
		assert_noop!(Verifier::unregister_vk(RuntimeOrigin::signed(ALICE), id), Error::<Test>::VkInUse);
		Verifier::release(&id);
		assert_ok!(Verifier::unregister_vk(RuntimeOrigin::signed(ALICE), id));
	});
}

#[test]
fn acquire_unknown_key_fails() {
	new_test_ext().execute_with(|| {
		assert!(matches!(Verifier::acquire(&VkId::repeat_byte(1)), Err(Error::<Test>::VkNotFound)));
	});
}

#[test]
fn snarkjs_proof_verifies_through_the_pallet() {
	new_test_ext().execute_with(|| {
		let vk = snarkjs_key();
		let id = id_of(&vk);
		assert_ok!(Verifier::register_vk(RuntimeOrigin::signed(ALICE), vk));
		let proof = snarkjs::proof_from_json(SNARKJS_PROOF).unwrap();
		let inputs = snarkjs::public_inputs_from_json(SNARKJS_PUBLIC).unwrap();
		assert_eq!(Verifier::verify(&id, &inputs, &proof), Ok(()));

		let mut changed = inputs.clone();
		changed[0][31] ^= 1;
		assert_eq!(Verifier::verify(&id, &changed, &proof), Err(VerifyError::Rejected(Groth16Error::ProofInvalid)));
		assert_eq!(
			Verifier::verify(&id, &inputs[..1], &proof),
			Err(VerifyError::Rejected(Groth16Error::PublicInputCountMismatch { expected: 2, got: 1 }))
		);
		assert_eq!(Verifier::verify(&VkId::repeat_byte(9), &inputs, &proof), Err(VerifyError::UnknownKey));
	});
}

#[test]
fn keys_with_many_inputs_register_and_verify() {
	new_test_ext().execute_with(|| {
		let n = cloudana_groth16::MAX_PUBLIC_INPUTS;
		let trapdoor = Trapdoor::new(b"many", n);
		let vk = bounded(trapdoor.verifying_key());
		let id = id_of(&vk);
		assert_ok!(Verifier::register_vk(RuntimeOrigin::signed(BOB), vk));
		let inputs: Vec<PublicInput> = (0..n).map(|i| { let mut x = [0u8; 32]; x[31] = i as u8; x }).collect();
		let proof: Proof = trapdoor.prove(&inputs).unwrap();
		assert_eq!(Verifier::verify(&id, &inputs, &proof), Ok(()));
		Verifier::do_try_state().unwrap();
	});
}

mod batch {
	use super::*;
	use crate::Verdict;
	use sp_runtime::traits::Zero;
	use cloudana_groth16::encoding::encode_fr;

	/// A registered simulated key of `n` inputs and `k` valid statements under it.
	fn statements(n: u32, k: u32) -> (VkId, Vec<(Vec<PublicInput>, Proof)>) {
		let trapdoor = Trapdoor::new(b"batch", n);
		let vk = bounded(trapdoor.verifying_key());
		let id = id_of(&vk);
		assert_ok!(Verifier::register_vk(RuntimeOrigin::signed(ALICE), vk));
		let statements = (0..k)
			.map(|i| {
				let inputs: Vec<PublicInput> = (0..n).map(|j| encode_fr(&ark_bn254::Fr::from((i * 100 + j + 1) as u64))).collect();
				let proof = trapdoor.prove(&inputs).unwrap();
				(inputs, proof)
			})
			.collect();
		(id, statements)
	}

	fn invalid() -> Verdict {
		Verdict::Invalid(VerifyError::Rejected(Groth16Error::ProofInvalid))
	}

	#[test]
	fn a_valid_batch_is_all_valid_in_one_call() {
		new_test_ext().execute_with(|| {
			let (id, statements) = statements(4, 16);
			let (verdicts, extra) = Verifier::verify_batch(&id, &statements);
			assert_eq!(verdicts, vec![Verdict::Valid; 16]);
			assert_eq!(extra, frame_support::weights::Weight::zero(), "no bisection for a batch that holds");
		});
	}

	#[test]
	fn bisection_never_misjudges_and_always_finds_a_single_invalid_proof() {
		new_test_ext().execute_with(|| {
			let (id, good) = statements(2, 6);
			// Every subset of 6 positions made invalid (an input changed after proving).
			for mask in 0u32..64 {
				let mut batch = good.clone();
				for (i, statement) in batch.iter_mut().enumerate() {
					if mask & (1 << i) != 0 {
						statement.0[1] = encode_fr(&ark_bn254::Fr::from(999_999u64));
					}
				}
				let (verdicts, extra) = Verifier::verify_batch(&id, &batch);
				for (i, verdict) in verdicts.iter().enumerate() {
					let bad = mask & (1 << i) != 0;
					match verdict {
						Verdict::Valid => assert!(!bad, "mask {mask:06b}: invalid statement {i} judged valid"),
						Verdict::Invalid(_) => {
							assert!(bad, "mask {mask:06b}: valid statement {i} judged invalid");
							assert_eq!(*verdict, invalid());
						},
						Verdict::Unresolved => assert!(mask.count_ones() > 1, "mask {mask:06b}: statement {i} left unresolved"),
					}
				}
				let most = Verifier::bisection_weight(6, 2);
				assert!(extra.all_lte(most), "mask {mask:06b}: bisection spent {extra:?}");
				assert_eq!(mask == 0, extra.is_zero());
			}
		});
	}

	#[test]
	fn malformed_and_miscounted_statements_get_their_own_errors() {
		new_test_ext().execute_with(|| {
			let (id, mut batch) = statements(3, 5);
			batch[1].1.a = [0u8; 64];
			batch[3].0.pop();
			batch[4].0[0] = [0xff; 32];
			let (verdicts, extra) = Verifier::verify_batch(&id, &batch);
			assert_eq!(
				verdicts,
				vec![
					Verdict::Valid,
					Verdict::Invalid(VerifyError::Rejected(Groth16Error::IdentityInProof(cloudana_groth16::Element::ProofA))),
					Verdict::Valid,
					Verdict::Invalid(VerifyError::Rejected(Groth16Error::PublicInputCountMismatch { expected: 3, got: 2 })),
					Verdict::Invalid(VerifyError::Rejected(Groth16Error::PublicInputNotInField(
						cloudana_groth16::Element::PublicInput(0)
					))),
				]
			);
			assert!(extra.is_zero(), "refusing malformed statements needs no bisection");
			// An unknown key: every statement, and not the prover's fault.
			let (verdicts, _) = Verifier::verify_batch(&VkId::repeat_byte(7), &batch);
			assert!(verdicts.iter().all(|v| *v == Verdict::Invalid(VerifyError::UnknownKey)));
			assert!(!VerifyError::UnknownKey.blames_prover());
			// The trait's single verification agrees with the batch on each statement.
			assert_eq!(<Verifier as crate::Verifier>::verify(&id, &batch[0].0, &batch[0].1), Ok(()));
		});
	}
}
