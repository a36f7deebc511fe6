//! The client's metadata (`client/metadata/cloudana.scale`, from which `cloudana`'s subxt code
//! is generated) must be this runtime's. Regenerate with
//! `CLOUDANA_BLESS=1 cargo test -p cloudana-runtime --test metadata`.

#[test]
fn client_metadata_is_this_runtime() {
	let metadata = cloudana_runtime::Runtime::metadata_at_version(16).expect("the runtime serves V16 metadata");
	let bytes: Vec<u8> = (*metadata).clone();
	assert_eq!(&bytes[..4], b"meta");
	let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../client/metadata/cloudana.scale");
	if std::env::var_os("CLOUDANA_BLESS").is_some() {
		std::fs::write(&path, &bytes).unwrap();
		return;
	}
	let committed = std::fs::read(&path).expect("client/metadata/cloudana.scale exists");
	assert!(
		committed == bytes,
		"client/metadata/cloudana.scale is stale: rerun with CLOUDANA_BLESS=1 and rebuild the client"
	);
}
