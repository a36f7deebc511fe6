//! The web app names the built-in accuracy circuits by their verifying-key ids
//! (`ui/src/circuits.json`: id → dataset, title, holdout size), so that the explorer shows a
//! job's proven accuracy as `cloudana job result` does. The ids are computed here, from the
//! committed keys; regenerate the file with `CLOUDANA_BLESS=1 cargo test -p cloudana-circuits
//! --test integration ui_circuits::`.

use cloudana_circuits::{keys, mlp::Spec};

#[test]
fn the_web_apps_circuit_table_is_current() {
	let mut table = serde_json::Map::new();
	for spec in Spec::ALL {
		let id = keys::accuracy_circuit_id(spec);
		let hex: String = id.iter().map(|b| format!("{b:02x}")).collect();
		table.insert(
			format!("0x{hex}"),
			serde_json::json!({"dataset": spec.name(), "title": spec.title(), "holdout": spec.shape().holdout}),
		);
	}
	let text = serde_json::to_string_pretty(&serde_json::Value::Object(table)).unwrap() + "\n";
	let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").into());
	let path = std::path::Path::new(&manifest).join("../ui/src/circuits.json");
	if std::env::var_os("CLOUDANA_BLESS").is_some() {
		std::fs::write(&path, &text).unwrap();
		return;
	}
	let committed = std::fs::read_to_string(&path).unwrap_or_default();
	assert!(committed == text, "ui/src/circuits.json is stale: rerun with CLOUDANA_BLESS=1");
}
