// A referendum's proposal: its call bytes (inline, or the noted preimage), decoded with the
// runtime's metadata, and said in words for the calls governance makes most.

import type { Api, StaticApis } from "./chain";
import { formatCld, toJson } from "./format";
import { formatParameter } from "./params";

export interface DecodedCall {
  pallet: string;
  name: string;
  input: any;
}

export type Bounded =
  | { type: "Inline"; value: Uint8Array }
  | { type: "Lookup"; value: { hash: string; len: number } }
  | { type: "Legacy"; value: { hash: string } };

/** The call bytes of a proposal, or why they are not available. */
export async function proposalBytes(api: Api, proposal: Bounded): Promise<Uint8Array | string> {
  if (proposal.type === "Inline") return proposal.value;
  if (proposal.type === "Legacy") return `a legacy preimage ${proposal.value.hash}`;
  const bytes = await api.query.Preimage.PreimageFor.getValue([proposal.value.hash, proposal.value.len]);
  return bytes ?? `preimage ${proposal.value.hash} (${proposal.value.len} bytes) is not noted`;
}

/** Decodes call bytes; a string explains a failure. */
export function decodeCall(statics: StaticApis, bytes: Uint8Array): DecodedCall | string {
  try {
    // polkadot-api 2.2 declares `decodeCallData` but serves `txFromCallData`, whose
    // `decodedCall` is `{ type: pallet, value: { type: call, value: arguments } }`.
    const apis = statics as unknown as {
      decodeCallData?: (b: Uint8Array) => DecodedCall;
      txFromCallData: (b: Uint8Array) => { decodedCall: { type: string; value: { type: string; value: unknown } } };
    };
    if (typeof apis.decodeCallData === "function") return apis.decodeCallData(bytes);
    const { type: pallet, value } = apis.txFromCallData(bytes).decodedCall;
    return { pallet, name: value.type, input: value.value };
  } catch (error) {
    return `the call does not decode with this runtime's metadata (${error instanceof Error ? error.message : error})`;
  }
}

/** A parameter setting `{ Group: { Name: [value] } }` as [group, name, value]. */
export function readParameterSetting(keyValue: any): [string, string, bigint | number | undefined] {
  const group = keyValue?.type as string;
  const name = keyValue?.value?.type as string;
  const value = keyValue?.value?.value?.[0] as bigint | number | undefined;
  return [group, name, value];
}

/** One line saying what a call does. */
export function describeCall(call: DecodedCall, blockMs: number): string {
  const { pallet, name, input } = call;
  const key = `${pallet}.${name}`;
  switch (key) {
    case "Economics.set_parameter": {
      const [group, parameter, value] = readParameterSetting(input.key_value);
      return value === undefined
        ? `Reset ${group} parameter ${parameter} to its default`
        : `Set ${group} parameter ${parameter} to ${formatParameter(parameter, value, blockMs)}`;
    }
    case "Treasury.spend":
    case "InsurancePool.spend":
      return `Pay ${formatCld(input.amount)} from the ${pallet === "Treasury" ? "treasury" : "insurance pool"} to ${input.beneficiary}`;
    case "Treasury.spend_local":
    case "InsurancePool.spend_local":
      return `Pay ${formatCld(input.amount)} from the ${pallet === "Treasury" ? "treasury" : "insurance pool"} to ${
        input.beneficiary?.value ?? toJson(input.beneficiary)
      }`;
    case "Slashing.cancel_deferred_slash":
      return `Cancel pending slash #${input.slash}`;
    case "Disputes.rule":
      return `Rule on dispute #${input.dispute}: ${input.upheld ? "uphold the claim" : "reject the claim"}`;
    case "Referenda.cancel":
      return `Cancel referendum #${input.index} (deposits refunded)`;
    case "Referenda.kill":
      return `Kill referendum #${input.index} (deposits slashed)`;
    case "System.remark":
      return `Remark (${input.remark?.length ?? 0} bytes)`;
    case "System.set_code":
    case "System.authorize_upgrade":
      return `Runtime upgrade: ${name}`;
    default: {
      const args = toJson(input).replace(/\s+/g, " ");
      return `${key}(${args.length > 120 ? args.slice(0, 120) + "…" : args})`;
    }
  }
}

/** The call as a readable tree: pallet, call and its arguments. */
export function CallView(props: { call: DecodedCall; blockMs: number }) {
  return (
    <div class="call">
      <p>
        <strong aria-label="proposal summary">{describeCall(props.call, props.blockMs)}</strong>
      </p>
      <details>
        <summary>
          {props.call.pallet}.{props.call.name} arguments
        </summary>
        <pre>{toJson(props.call.input)}</pre>
      </details>
    </div>
  );
}
