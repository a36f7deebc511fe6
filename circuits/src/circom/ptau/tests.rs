//! Vectors from snarkjs 0.7.6 / ffjavascript 0.3.1 (run with node), and byte-for-byte files.

use super::*;
use sha2::{Digest, Sha256};
use std::str::FromStr;

fn fq(s: &str) -> Fq {
	Fq::from_str(s).unwrap()
}

fn g2(xc0: &str, xc1: &str, yc0: &str, yc1: &str) -> G2Affine {
	G2Affine::new(Fq2::new(fq(xc0), fq(xc1)), Fq2::new(fq(yc0), fq(yc1)))
}

#[test]
fn ffjavascript_chacha_is_chacha20_with_the_seed_words_little_endian() {
	let seed: Vec<u8> = (1u32..=8).flat_map(|w| w.to_le_bytes()).collect();
	let mut rng = ChaCha20Rng::from_seed(seed.try_into().unwrap());
	let words: Vec<u32> = (0..20).map(|_| rng.next_u32()).collect();
	assert_eq!(
		words,
		[
			2291208717, 2715286880, 1416238553, 4170631896, 311912724, 2096473245, 2663528302, 2947898305, 1171138527, 4066554118,
			1598815824, 1331018903, 4275377581, 2401186972, 3977139214, 1817675323, 4002199677, 2558236986, 2290969732, 3530802522
		]
	);
}

#[test]
fn hash_to_g2_matches_snarkjs() {
	let counting: [u8; 64] = core::array::from_fn(|i| i as u8);
	assert_eq!(
		hash_to_g2(&counting),
		g2(
			"4331880802040179507408134841181032487087173600464364024802210002059667950604",
			"4271516305872202364858900391755946161657037246250020514439168976697447665804",
			"14194165528950986229237743759035044030322996258565805903348263410557850081640",
			"3572495062036222432809855904167672718120072387698078762897023322348755581936",
		)
	);
	assert_eq!(
		hash_to_g2(&[0u8; 64]),
		g2(
			"35855136299218177983175817670651091219931845799047128344222155838244161316",
			"646069087635397797919938636744693715354528566603017493395115058465377362471",
			"1901684158256603321858309450823703490945049772038664416862771328906397094895",
			"3422840315865726820925947100339987389766207607061923384417058547416974546320",
		)
	);
}

#[test]
fn proof_of_knowledge_points_match_snarkjs() {
	let (g, g2x) = (G1Affine::generator(), (G1Affine::generator() * Fr::from(2u64)).into_affine());
	let expected = [
		[
			"12175379447357926999457252633367064402324145526279928605444093947627998097166",
			"7199075488502343055450901405563229438270487993226675691098154209980261230749",
			"5648171677671999216147572650348953762276126650170441537597023090053830325241",
			"17667497212835603458686623630693247499722763144526237561062826404437454488246",
		],
		[
			"10009371876757885234411932024213961965163885345187505415238036736736051563709",
			"14394957656881788444304257377885827745717741757575552224756915467471626083300",
			"2527902099316837468616600332905468284157169079659690165784975874055402003761",
			"17866701326711309689392846493497779593162235374993137755115846338483882397761",
		],
		[
			"6720077689300863279327497312637479002455033361082996063839265625635407661481",
			"10585670940846726801545443739398988688829217776532762171868114672018961225554",
			"3424908913656982070035061616590165030801761782601648027325338332158903190496",
			"14031121985786279730865629976414278876360177767771609351159794476497081111161",
		],
	];
	for (personalization, [a, b, c, d]) in expected.iter().enumerate() {
		assert_eq!(g2_sp(personalization as u8, &[0u8; 64], &g, &g2x), g2(a, b, c, d), "personalization {personalization}");
	}
}

#[test]
fn first_challenges_match_snarkjs() {
	for (power, expected) in [
		(1, "e809c07e01ec4d01624089c1f4009ec9ba62964e9056113d2fa6f3bfdf29ff2cc4ebcda749cd53327598cb0caac7dbe3b50cda3f75c64f87845ce6345fd964e4"),
		(2, "cbe18de1dbb2c768cc2516accddf9c75fd5e082e6e57a6a1e3d10371ec9584c23d094a5ff2db25f5aa7ca42ba1391d1b28ab3218984c9766ae496c8781457b52"),
		(3, "45f580c564b26059f533418e8c0cbdbcdd73543f221bfa741c1a5eeb71b0c2cd4ab44f2f0600f3d7ba93203f9b04e2de3f325a88d0cdfcd902b08b85e071a471"),
	] {
		assert_eq!(hex::encode(first_challenge(power)), expected, "power {power}");
	}
}

#[test]
fn roots_of_unity_and_cofactor_are_snarkjs_s() {
	// ffjavascript: ω₂₈ = 5^((r−1)/2²⁸); ω₃ as it prints it.
	let omega_28 = Fr::from_str("19103219067921713944291392827692070036145651957329286315305642004821462161904").unwrap();
	assert_eq!(Radix2EvaluationDomain::<Fr>::new(1 << 28).unwrap().group_gen, omega_28);
	let omega_3 = Fr::from_str("19540430494807482326159819597004422086093766032135589407132600596362845576832").unwrap();
	assert_eq!(Radix2EvaluationDomain::<Fr>::new(8).unwrap().group_gen, omega_3);
	let mut h = Fq::MODULUS;
	h.add_with_carry(&Fq::MODULUS);
	h.sub_with_borrow(&Fr::MODULUS);
	assert_eq!(h, G2_COFACTOR);
}

fn reference_secrets() -> Secrets {
	Secrets {
		tau: Fr::from(123456789u64),
		alpha: Fr::from(987654321u64),
		beta: Fr::from(555555555u64),
		s: [Fr::from(31337u64), Fr::from(31338u64), Fr::from(31339u64)],
	}
}

/// Files an independent generator wrote from snarkjs's source; `snarkjs powersoftau verify`
/// accepts both, and the power-3 one is byte-equal to what `snarkjs powersoftau prepare phase2`
/// makes from its unprepared sections.
#[test]
fn files_are_byte_for_byte_those_snarkjs_accepts() {
	for (power, name, sha256) in [
		(3, "dev contribution", "c2cba681683c9b9afdffe7444152a8638f09533bb134ecee276dafacb927a74f"),
		(2, "", "ca18ba0085b359fe46a073ae84c147ababa8e333569d4193de3b36b6b2772ddd"),
	] {
		let mut file = Vec::new();
		let transcript = write(power, &reference_secrets(), name, &mut file).unwrap();
		assert_eq!(hex::encode(Sha256::digest(&file)), sha256, "power {power}");
		if power == 3 {
			assert_eq!(&hex::encode(transcript.next_challenge)[..16], "0aa8441c4d879843");
			assert_eq!(&hex::encode(transcript.response_hash)[..16], "14786d50c4a81e6d");
		}
	}
}

#[test]
fn section_sizes_follow_the_power() {
	for power in [1u32, 4] {
		let mut file = Vec::new();
		write(power, &Secrets::development(), DEV_NAME, &mut file).unwrap();
		let sections = binfile::sections(&file, b"ptau").unwrap();
		let n = 1usize << power;
		let sizes: Vec<(u32, usize)> = sections.iter().map(|(id, body)| (*id, body.len())).collect();
		let record = 4 + 1504 + 2 + DEV_NAME.len();
		assert_eq!(
			sizes,
			[
				(1, 44),
				(2, 64 * (2 * n - 1)),
				(3, 128 * n),
				(4, 64 * n),
				(5, 64 * n),
				(6, 128),
				(7, record),
				(12, 64 * (4 * n - 1)),
				(13, 128 * (2 * n - 1)),
				(14, 64 * (2 * n - 1)),
				(15, 64 * (2 * n - 1)),
			]
		);
	}
}

#[test]
fn bad_requests_are_refused() {
	let mut sink = Vec::new();
	assert!(matches!(write(0, &Secrets::development(), "", &mut sink), Err(PtauError::Power(0))));
	assert!(matches!(write(MAX_POWER + 1, &Secrets::development(), "", &mut sink), Err(PtauError::Power(_))));
	let zero = Secrets { tau: Fr::zero(), ..reference_secrets() };
	assert!(matches!(write(2, &zero, "", &mut sink), Err(PtauError::ZeroSecret)));
	assert!(matches!(write(2, &reference_secrets(), &"x".repeat(65), &mut sink), Err(PtauError::Name)));
	assert!(matches!(write(2, &reference_secrets(), "τ", &mut sink), Err(PtauError::Name)));
	assert!(sink.is_empty(), "nothing is written for a refused request");
}
