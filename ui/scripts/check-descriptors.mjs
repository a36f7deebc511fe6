// Fails when the typed descriptors in .papi/descriptors were generated from other metadata
// than the committed client/metadata/cloudana.scale (which runtime/tests/metadata.rs keeps
// equal to the runtime's): run `npm run generate` after the metadata changes.
// papi records the BLAKE2b-128 of the metadata it generated from in generated.json.

import { readFileSync, existsSync } from "node:fs";
import { Blake2128 } from "@polkadot-api/substrate-bindings";

const root = new URL("..", import.meta.url);
const metadata = readFileSync(new URL("../client/metadata/cloudana.scale", root));
const generated = new URL(".papi/descriptors/generated.json", root);
if (!existsSync(generated)) {
  console.error("error: no descriptors generated yet: run `npm run generate` in ui/");
  process.exit(1);
}
const recorded = JSON.parse(readFileSync(generated, "utf8")).chains?.cloudana;
const actual = "0x" + Buffer.from(Blake2128(metadata)).toString("hex");
if (recorded !== actual) {
  console.error(`error: ui/.papi/descriptors are stale: generated from metadata ${recorded}, the committed metadata is ${actual}; run \`npm run generate\` in ui/`);
  process.exit(1);
}
console.log(`descriptors are current (metadata ${actual})`);
