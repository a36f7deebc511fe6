//! Wormhole's public devnet guardian keys (wormhole-foundation/wormhole
//! `scripts/devnet-consts.json`, `devnetGuardians`, index order): public test keys that sign
//! for Wormhole's own devnet (Tilt) and its tooling. Cloudana's development guardian set is
//! the first [`DEV_GUARDIANS`] of them, so that Wormhole's devnet tools can sign for it too.
//! Never use them for value.

/// Guardians in Cloudana's development set (quorum ⌊2·5/3⌋ + 1 = 4).
pub const DEV_GUARDIANS: usize = 5;

/// The 19 devnet guardians' secp256k1 secret keys.
pub const GUARDIAN_KEYS: [[u8; 32]; 19] = [
	h32("cfb12303a19cde580bb4dd771639b0d26bc68353645571a8cff516ab2ee113a0"),
	h32("c3b2e45c422a1602333a64078aeb42637370b0f48fe385f9cfa6ad54a8e0c47e"),
	h32("9f790d3f08bc4b5cd910d4278f3deb406e57bb5e924906ccd52052bb078ccd47"),
	h32("b20cc49d6f2c82a5e6519015fc18aa3e562867f85f872c58f1277cfbd2a0c8e4"),
	h32("eded5a2fdcb5bbbfa5b07f2a91393813420e7ac30a72fc935b6df36f8294b855"),
	h32("00d39587c3556f289677a837c7f3c0817cb7541ce6e38a243a4bdc761d534c5e"),
	h32("da534d61a8da77b232f3a2cee55c0125e2b3e33a5cd8247f3fe9e72379445c3b"),
	h32("cdbabfc2118eb00bc62c88845f3bbd03cb67a9e18a055101588ca9b36387006c"),
	h32("c83d36423820e7350428dc4abe645cb2904459b7d7128adefe16472fdac397ba"),
	h32("1cbf4e1388b81c9020500fefc83a7a81f707091bb899074db1bfce4537428112"),
	h32("17646a6ba14a541957fc7112cc973c0b3f04fce59484a92c09bb45a0b57eb740"),
	h32("eb94ff04accbfc8195d44b45e7c7da4c6993b2fbbfc4ef166a7675a905df9891"),
	h32("053a6527124b309d914a47f5257a995e9b0ad17f14659f90ed42af5e6e262b6a"),
	h32("3fbf1e46f6da69e62aed5670f279e818889aa7d8f1beb7fd730770fd4f8ea3d7"),
	h32("53b05697596ba04067e40be8100c9194cbae59c90e7870997de57337497172e9"),
	h32("4e95cb2ff3f7d5e963631ad85c28b1b79cb370f21c67cbdd4c2ffb0bf664aa06"),
	h32("01b8c448ce2c1d43cfc5938d3a57086f88e3dc43bb8b08028ecb7a7924f4676f"),
	h32("1db31a6ba3bcd54d2e8a64f8a2415064265d291593450c6eb7e9a6a986bd9400"),
	h32("70d8f1c9534a0ab61a020366b831a494057a289441c07be67e4288c44bc6cd5d"),
];

/// Their addresses (Ethereum style), index order; guardian 0 is
/// `0xbeFA429d57cD18b7F8A4d91A2da9AB4AF05d0FBe`, the devnet's single guardian.
pub const GUARDIAN_ADDRESSES: [[u8; 20]; 19] = [
	h20("befa429d57cd18b7f8a4d91a2da9ab4af05d0fbe"),
	h20("88d7d8b32a9105d228100e72dffe2fae0705d31c"),
	h20("58076f561cc62a47087b567c86f986426dfcd000"),
	h20("bd6e9833490f8fa87c733a183cd076a6cbd29074"),
	h20("b853fcf0a5c78c1b56d15fce7a154e6ebe9ed7a2"),
	h20("af3503dbd2e37518ab04d7ce78b630f98b15b78a"),
	h20("785632dea5609064803b1c8ea8bb2c77a6004bd1"),
	h20("09a281a698c0f5ba31f158585b41f4f33659e54d"),
	h20("3178443ab76a60e21690dbfb17f7f59f09ae3ea1"),
	h20("647ec26ae49b14060660504f4da1c2059e1c5ab6"),
	h20("810ac3d8e1258bd2f004a94ca0cd4c68fc1c0611"),
	h20("80610e96d645b12f47ae5cf4546b18538739e90f"),
	h20("2edb0d8530e31a218e72b9480202acbaeb06178d"),
	h20("a78858e5e5c4705cdd4b668ffe3be5bae4867c9d"),
	h20("5efe3a05efc62d60e1d19faeb56a80223cdd3472"),
	h20("d791b7d32c05abb1cc00b6381fa0c4928f0c56fc"),
	h20("14bc029b8809069093d712a3fd4dfab31963597e"),
	h20("246ab29fc6ebedf2d392a51ab2dc5c59d0902a03"),
	h20("132a84dfd920b35a3d0ba5f7a0635df298f9033e"),
];

const fn nibble(c: u8) -> u8 {
	match c {
		b'0'..=b'9' => c - b'0',
		b'a'..=b'f' => c - b'a' + 10,
		b'A'..=b'F' => c - b'A' + 10,
		_ => panic!("not hex"),
	}
}

const fn h32(s: &str) -> [u8; 32] {
	let b = s.as_bytes();
	let mut out = [0u8; 32];
	let mut i = 0;
	while i < 32 {
		out[i] = (nibble(b[2 * i]) << 4) | nibble(b[2 * i + 1]);
		i += 1;
	}
	out
}

const fn h20(s: &str) -> [u8; 20] {
	let b = s.as_bytes();
	let mut out = [0u8; 20];
	let mut i = 0;
	while i < 20 {
		out[i] = (nibble(b[2 * i]) << 4) | nibble(b[2 * i + 1]);
		i += 1;
	}
	out
}

#[cfg(all(test, feature = "k256"))]
mod tests {
	#[test]
	fn the_addresses_are_the_keys_addresses() {
		for (key, address) in super::GUARDIAN_KEYS.iter().zip(super::GUARDIAN_ADDRESSES) {
			assert_eq!(crate::K256.address_of(key), Some(address));
		}
	}
}
