// Times snarkjs's Groth16 prover (the same library `snarkjs groth16 prove` runs) on a .zkey and a
// .wtns held in memory, in one Node.js process, so that neither process start-up nor file reads
// are counted. Prints the median of RUNS proofs in milliseconds.
//
// Usage: node snarkjs-prove.cjs CIRCUIT.zkey WITNESS.wtns RUNS
const fs = require("fs");
const path = require("path");
const snarkjs = require(path.join(process.env.CIRCOM_DIR, "node_modules", "snarkjs"));

async function main() {
	const [zkeyPath, wtnsPath, runsText] = process.argv.slice(2);
	const zkey = { type: "mem", data: new Uint8Array(fs.readFileSync(zkeyPath)) };
	const wtns = { type: "mem", data: new Uint8Array(fs.readFileSync(wtnsPath)) };
	const runs = Math.max(1, parseInt(runsText || "3", 10));
	const times = [];
	for (let i = 0; i < runs; i++) {
		const started = process.hrtime.bigint();
		await snarkjs.groth16.prove(zkey, wtns);
		times.push(Number(process.hrtime.bigint() - started) / 1e6);
	}
	times.sort((a, b) => a - b);
	console.log(times[Math.floor(times.length / 2)].toFixed(1));
	process.exit(0);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
