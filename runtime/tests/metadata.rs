//! The client's metadata (`client/metadata/cloudana.scale`, from which `cloudana`'s subxt code
//! is generated) must be this runtime's. Regenerate with
//! `CLOUDANA_BLESS=1 cargo test -p cloudana-runtime --test integration metadata::`.

#[test]
fn client_metadata_is_this_runtime() {
	// Constants backed by runtime parameters read storage: build the metadata in an (empty)
	// state, as the node does in its own.
	let metadata = sp_io::TestExternalities::default()
		.execute_with(|| cloudana_runtime::Runtime::metadata_at_version(16))
		.expect("the runtime serves V16 metadata");
	let bytes: Vec<u8> = (*metadata).clone();
	assert_eq!(&bytes[..4], b"meta");
	// The manifest dir at run time (cargo sets it): a shared target dir may hold binaries built
	// from another checkout.
	let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into());
	let path = std::path::Path::new(&manifest).join("../client/metadata/cloudana.scale");
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
