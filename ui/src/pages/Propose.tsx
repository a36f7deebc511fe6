// Propose a referendum: a parameter change (economic_params), a slash cancellation
// (slash_cancel), an insurance spend (insurance_spend) or any call in hex on a chosen track.
// A call of at most 128 bytes goes inline in the referendum; a longer one is noted as a
// preimage first (`Preimage.note_preimage`, its deposit held until unnoted).

import { blake2b256 } from "@polkadot-labs/hdkd-helpers";
import { parseAddress } from "../accounts";
import { useState } from "preact/hooks";
import { message, useChainQuery, useSession, type Chain } from "../chain";
import { decodeCall, describeCall, readParameterSetting } from "../call";
import { Cld, Field, FormError, Loaded, Select, Tabs, useParsed } from "../components/common";
import { formatCld, fromHex, parseCld, toHex } from "../format";
import { formatParameter, parameterInput, parseParameter, UNIT_LABEL, PARAMETER_UNITS } from "../params";
import { findEvent, submit, useAccount } from "../tx";

/** The origin each track's referenda dispatch with (runtime/src/governance/tracks.rs). */
const TRACK_ORIGINS: Record<number, { type: string; value: unknown }> = {
  0: { type: "system", value: { type: "Root", value: undefined } },
  1: { type: "Origins", value: { type: "ReferendumCanceller", value: undefined } },
  2: { type: "Origins", value: { type: "ReferendumKiller", value: undefined } },
  10: { type: "Origins", value: { type: "EconomicParams", value: undefined } },
  11: { type: "Origins", value: { type: "SlashCancel", value: undefined } },
  12: { type: "Origins", value: { type: "InsuranceSpend", value: undefined } },
  13: { type: "Origins", value: { type: "Treasurer", value: undefined } },
  14: { type: "Origins", value: { type: "BridgeAdmin", value: undefined } },
  15: { type: "Origins", value: { type: "BridgeGuardian", value: undefined } },
  20: { type: "Origins", value: { type: "Dispute", value: undefined } },
  21: { type: "Origins", value: { type: "DisputeAppeal", value: undefined } },
};

/** The longest call `pallet-referenda` keeps inline (`Bounded::Inline`). */
const MAX_INLINE = 128;

/** The track whose origin may set each parameter group (runtime/src/configs/economics.rs, `ParameterAdmin`). */
const PARAMETER_TRACKS: Record<string, number> = { Economics: 10, Bridge: 14, Governance: 0 };

/** Submits `call` as a referendum on `track`; returns its index. */
async function propose(chain: Chain, account: NonNullable<ReturnType<typeof useAccount>>, call: Uint8Array, track: number, onStatus: (s: string) => void) {
  const api = chain.api;
  let proposal: { type: "Inline"; value: Uint8Array } | { type: "Lookup"; value: { hash: string; len: number } };
  if (call.length <= MAX_INLINE) proposal = { type: "Inline", value: call };
  else {
    const hash = toHex(blake2b256(call));
    const noted = await api.query.Preimage.RequestStatusFor.getValue(hash);
    if (!noted) {
      onStatus("noting the preimage…");
      await submit(api.tx.Preimage.note_preimage({ bytes: call }), account, (s) => onStatus(`preimage: ${s}`));
    }
    proposal = { type: "Lookup", value: { hash, len: call.length } };
  }
  const included = await submit(
    api.tx.Referenda.submit({
      proposal_origin: TRACK_ORIGINS[track] as any,
      proposal,
      enactment_moment: { type: "After", value: 0 },
    }),
    account,
    (s) => onStatus(`referendum: ${s}`),
  );
  return findEvent<{ index: number }>(included, "Referenda", "Submitted")?.index;
}

function ProposeButton(props: { call?: Uint8Array; track: number; disabled?: boolean }) {
  const { chain } = useSession();
  const account = useAccount();
  const [status, setStatus] = useState<{ text: string; kind: string; index?: number }>();
  const run = async () => {
    if (!account) return setStatus({ text: "choose an account first (top right)", kind: "error" });
    try {
      const index = await propose(chain, account, props.call!, props.track, (text) => setStatus({ text, kind: "busy" }));
      setStatus({ text: `referendum #${index} submitted: place its decision deposit to start the decision`, kind: "ok", index });
    } catch (error) {
      setStatus({ text: message(error), kind: "error" });
    }
  };
  return (
    <div class="tx">
      <p class="muted">
        Submitting holds the submission deposit of <Cld value={chain.submissionDeposit} /> until the referendum ends; the track's decision deposit
        is placed on the referendum's page.
      </p>
      <button type="button" onClick={run} disabled={props.disabled || !props.call || status?.kind === "busy"}>
        Submit proposal
      </button>
      {status && (
        <span role="status" aria-label="Submit proposal: result" class={`status ${status.kind}`}>
          {status.text} {status.index !== undefined && <a href={`#/referenda/${status.index}`}>Open referendum #{status.index}</a>}
        </span>
      )}
    </div>
  );
}

function ParameterForm() {
  const { chain } = useSession();
  const query = useChainQuery((api) => api.apis.ParametersApi.current());
  const [name, setName] = useState("");
  const [value, setValue] = useState("");
  return (
    <Loaded query={query} what="the parameters' current values">
      {(all) => {
        const params = all.map((p) => readParameterSetting(p));
        const chosen = params.find(([, n]) => n === name) ?? params[0];
        const [group, parameter, current] = chosen;
        const unit = PARAMETER_UNITS[parameter];
        return (
          <ParameterFields
            key={parameter}
            chain={chain}
            params={params}
            group={group}
            parameter={parameter}
            current={current}
            unit={unit ? UNIT_LABEL[unit] : ""}
            onName={(n) => {
              setName(n);
              setValue("");
            }}
            value={value}
            onValue={setValue}
          />
        );
      }}
    </Loaded>
  );
}

function ParameterFields(props: {
  chain: Chain;
  params: Array<[string, string, bigint | number | undefined]>;
  group: string;
  parameter: string;
  current: bigint | number | undefined;
  unit: string;
  value: string;
  onName: (name: string) => void;
  onValue: (value: string) => void;
}) {
  const { chain, params, group, parameter, current } = props;
  const parsed = useParsed(() => {
    const value = parseParameter(parameter, props.value);
    return chain.statics.tx.Economics.set_parameter.getEncodedData({
      key_value: { type: group, value: { type: parameter, value: [value] } } as any,
    });
  });
  return (
    <form aria-label="parameter change" onSubmit={(e) => e.preventDefault()}>
      <p>
        Changes go through <code>Economics.set_parameter</code> on the track of the parameter's group (economics: <code>economic_params</code>; the
        bridge's: <code>bridge_admin</code>; time scaling: <code>root</code>, and never on a production chain), and the chain refuses a change that
        breaks an invariant of the set (docs/economics.md).
      </p>
      <Select
        label="Parameter"
        value={parameter}
        onChange={props.onName}
        options={params.map(([g, n, v]) => ({
          value: n,
          label: `${g} · ${n} — now ${v === undefined ? "?" : formatParameter(n, v, chain.blockMs)}`,
        }))}
      />
      <p aria-label="current value">
        Current value of {parameter}: <strong>{current === undefined ? "?" : formatParameter(parameter, current, chain.blockMs)}</strong>
      </p>
      <Field
        label={`New value${props.unit ? ` (${props.unit})` : ""}`}
        value={props.value}
        onInput={props.onValue}
        placeholder={current === undefined ? "" : parameterInput(parameter, current)}
      />
      {props.value && <FormError error={parsed.error} />}
      {parsed.value && <Preview chain={chain} call={parsed.value} />}
      <ProposeButton call={parsed.value} track={PARAMETER_TRACKS[group] ?? 10} />
    </form>
  );
}

function Preview(props: { chain: Chain; call: Uint8Array }) {
  const decoded = decodeCall(props.chain.statics, props.call);
  return (
    <p class="muted" aria-label="call preview">
      {typeof decoded === "string" ? decoded : describeCall(decoded, props.chain.blockMs)} · {props.call.length} bytes · {toHex(props.call).slice(0, 66)}
      {props.call.length > 32 ? "…" : ""}
    </p>
  );
}

function SlashCancelForm() {
  const { chain } = useSession();
  const query = useChainQuery((api) => api.query.Slashing.PendingSlashes.getEntries());
  const [slash, setSlash] = useState("");
  return (
    <Loaded query={query} what="pending slashes">
      {(entries) => {
        if (entries.length === 0) return <p>No slash is pending: there is nothing to cancel.</p>;
        const chosen = slash || String(entries[0].keyArgs[0]);
        const call = chain.statics.tx.Slashing.cancel_deferred_slash.getEncodedData({ slash: BigInt(chosen) });
        return (
          <form aria-label="slash cancellation" onSubmit={(e) => e.preventDefault()}>
            <Select
              label="Pending slash"
              value={chosen}
              onChange={setSlash}
              options={entries.map(({ keyArgs: [id], value }) => ({
                value: String(id),
                label: `#${id}: ${value.kind.type} of ${value.offender}, ${formatCld(value.amount)}, due at block #${value.apply_at}`,
              }))}
            />
            <Preview chain={chain} call={call} />
            <ProposeButton call={call} track={11} />
          </form>
        );
      }}
    </Loaded>
  );
}

function InsuranceSpendForm() {
  const { chain } = useSession();
  const [amount, setAmount] = useState("");
  const [to, setTo] = useState("");
  const parsed = useParsed(() => {
    const value = parseCld(amount);
    return chain.statics.tx.InsurancePool.spend.getEncodedData({ amount: value, beneficiary: parseAddress(to), valid_from: undefined });
  });
  return (
    <form aria-label="insurance spend" onSubmit={(e) => e.preventDefault()}>
      <p>An approved spend is paid out by anyone's <code>InsurancePool.payout</code> (at most 50 000 CLD per spend).</p>
      <Field label="Amount (CLD)" value={amount} onInput={setAmount} />
      <Field label="Beneficiary (SS58 address)" value={to} onInput={setTo} />
      {(amount || to) && <FormError error={parsed.error} />}
      {parsed.value && <Preview chain={chain} call={parsed.value} />}
      <ProposeButton call={parsed.value} track={12} />
    </form>
  );
}

function RawCallForm() {
  const { chain } = useSession();
  const [hex, setHex] = useState("");
  const [track, setTrack] = useState("0");
  const parsed = useParsed(() => {
    const bytes = fromHex(hex);
    if (bytes.length < 2) throw new Error("a call is at least 2 bytes (pallet and call index)");
    const decoded = decodeCall(chain.statics, bytes);
    if (typeof decoded === "string") throw new Error(decoded);
    return bytes;
  });
  return (
    <form aria-label="raw call" onSubmit={(e) => e.preventDefault()}>
      <p>The call's encoded bytes, as polkadot.js Apps shows them ("encoded call data"); it is decoded here before you submit.</p>
      <Field label="Call (hex)" value={hex} onInput={setHex} placeholder="0x…" />
      <Select
        label="Track of the raw call"
        value={track}
        onChange={setTrack}
        options={[...chain.tracks].filter(([id]) => TRACK_ORIGINS[id]).map(([id, t]) => ({ value: String(id), label: `${id} · ${t.name}` }))}
      />
      {hex && <FormError error={parsed.error} />}
      {parsed.value && <Preview chain={chain} call={parsed.value} />}
      <ProposeButton call={parsed.value} track={Number(track)} />
    </form>
  );
}

export function ProposePage() {
  return (
    <section aria-labelledby="propose-heading">
      <h1 id="propose-heading">Propose a referendum</h1>
      <Tabs label="kind of proposal" tabs={["Parameter change", "Slash cancellation", "Insurance spend", "Raw call"]}>
        {(tab) =>
          tab === "Parameter change" ? (
            <ParameterForm />
          ) : tab === "Slash cancellation" ? (
            <SlashCancelForm />
          ) : tab === "Insurance spend" ? (
            <InsuranceSpendForm />
          ) : (
            <RawCallForm />
          )
        }
      </Tabs>
    </section>
  );
}
