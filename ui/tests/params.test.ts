// The app's table of parameter units against the committed runtime metadata: every runtime
// parameter has a unit, no unit names a parameter the runtime lacks, and each unit fits the
// value's type (Perbill ↔ percent, u128 ↔ CLD, u16 ↔ points, u32 ↔ blocks, count or divisor).

import { readFileSync } from "node:fs";
import { decAnyMetadata, unifyMetadata } from "@polkadot-api/substrate-bindings";
import { getLookupFn } from "@polkadot-api/metadata-builders";
import { describe, expect, it } from "vitest";
import { PARAMETER_UNITS } from "../src/params";

const metadata = unifyMetadata(decAnyMetadata(readFileSync(new URL("../../client/metadata/cloudana.scale", import.meta.url))));
const lookup = getLookupFn(metadata);

/** [name, Rust path of the value type, primitive] of every runtime parameter. */
function parameters(): Array<[string, string, string]> {
  const pallet = metadata.pallets.find((p) => p.name === "Economics")!;
  const calls = lookup(pallet.calls!.type) as any;
  const groups = calls.value.set_parameter.value.key_value.value;
  const out: Array<[string, string, string]> = [];
  for (const group of Object.values<any>(groups)) {
    for (const [name, entry] of Object.entries<any>(group.value.value)) {
      const option = entry.value; // [Option<T>; 1]
      const inner = metadata.lookup[option.id].params[0].type;
      out.push([name, metadata.lookup[inner].path.join("::"), option.value.value]);
    }
  }
  return out;
}

describe("parameter units", () => {
  const all = parameters();
  it("the runtime has parameters", () => expect(all.length).toBeGreaterThan(40));
  it.each(all)("%s has a unit that fits its type %s (%s)", (name, path, primitive) => {
    const unit = PARAMETER_UNITS[name];
    expect(unit, `${name} has no unit in src/params.ts`).toBeDefined();
    if (path.endsWith("Perbill")) expect(unit).toBe("percent");
    else if (primitive === "u128") expect(unit).toBe("cld");
    else if (primitive === "u16") expect(["points", "chain"]).toContain(unit);
    else expect(["blocks", "count", "divisor"]).toContain(unit);
  });
  it("names no parameter the runtime lacks", () => {
    const names = new Set(all.map(([n]) => n));
    expect(Object.keys(PARAMETER_UNITS).filter((n) => !names.has(n))).toEqual([]);
  });
});
