//! `cloudana-prover dev-ptau` as a user runs it: the file appears whole or not at all, and bad
//! requests are refused with the reason (snarkjs's own check of the file is stage 11 of
//! scripts/test.sh; the format's tests are cloudana-circuits' `circom::ptau`).

use std::process::Command;

fn dev_ptau(args: &[&str]) -> std::process::Output {
	Command::new(env!("CARGO_BIN_EXE_cloudana-prover")).arg("dev-ptau").args(args).output().expect("cloudana-prover runs")
}

#[test]
fn writes_the_file_whole_and_names_it_not_a_ceremony() {
	let dir = tempfile::tempdir().unwrap();
	let out = dir.path().join("dev4.ptau");
	let run = dev_ptau(&["--power", "4", "--out", out.to_str().unwrap()]);
	assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
	let stdout = String::from_utf8_lossy(&run.stdout);
	assert!(stdout.contains("NOT A CEREMONY") && stdout.contains("contribution hash"), "{stdout}");
	let bytes = std::fs::read(&out).unwrap();
	assert_eq!(&bytes[..4], b"ptau");
	// Sections 1–7 and 12–15 (cloudana_circuits::circom::ptau's layout), nothing left beside it.
	let sections = cloudana_circuits::circom::binfile::sections(&bytes, b"ptau").unwrap();
	assert_eq!(sections.keys().copied().collect::<Vec<_>>(), vec![1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15]);
	let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
	assert_eq!(names, vec![std::ffi::OsString::from("dev4.ptau")]);
}

#[test]
fn bad_requests_are_refused_and_leave_nothing() {
	let dir = tempfile::tempdir().unwrap();
	for (power, expected) in [("0", "outside 1..=24"), ("25", "outside 1..=24"), ("x", "invalid value")] {
		let out = dir.path().join("p.ptau");
		let run = dev_ptau(&["--power", power, "--out", out.to_str().unwrap()]);
		assert!(!run.status.success(), "--power {power} was accepted");
		let stderr = String::from_utf8_lossy(&run.stderr);
		assert!(stderr.contains(expected), "--power {power}: {stderr}");
		assert!(!out.exists());
	}
	let missing = dir.path().join("no/such/dir/p.ptau");
	let run = dev_ptau(&["--power", "2", "--out", missing.to_str().unwrap()]);
	assert!(!run.status.success());
	assert!(String::from_utf8_lossy(&run.stderr).contains("cannot create"), "{}", String::from_utf8_lossy(&run.stderr));
	assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing written for refused requests");
}
