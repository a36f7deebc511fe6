// The selected account: free, held and frozen balance, its holds and locks, its conviction
// votes and locks per track; unlock, delegate and undelegate.

import { useState } from "preact/hooks";
import { useChainQuery, useSession } from "../chain";
import { Address, Cld, Field, FormError, Loaded, Select, useParsed } from "../components/common";
import { formatBlocks, parseCld } from "../format";
import { CONVICTIONS } from "../governance";
import { TxButton, useAccount } from "../tx";
import { parseAddress } from "../accounts";
import { trackName } from "./Referenda";

/** A lock id (8 bytes) as text where it is ASCII, e.g. "pyconvot" (conviction voting). */
function lockId(hex: string): string {
  const bytes = hex.replace(/^0x/, "").match(/../g) ?? [];
  const text = bytes.map((b) => String.fromCharCode(parseInt(b, 16))).join("");
  return /^[\x20-\x7e]+$/.test(text) ? text : hex;
}

export function AccountPage() {
  const account = useAccount();
  if (!account)
    return (
      <section>
        <h1>Account</h1>
        <p>Choose an account (top right): a wallet extension's, or on a development chain one of the dev accounts.</p>
      </section>
    );
  return <AccountView address={account.address} name={account.name} />;
}

function AccountView(props: { address: string; name: string }) {
  const { chain, best } = useSession();
  const query = useChainQuery(
    async (api) => {
      const [system, holds, freezes, locks, classLocks, voting] = await Promise.all([
        api.query.System.Account.getValue(props.address),
        api.query.Balances.Holds.getValue(props.address),
        api.query.Balances.Freezes.getValue(props.address),
        api.query.Balances.Locks.getValue(props.address),
        api.query.ConvictionVoting.ClassLocksFor.getValue(props.address),
        api.query.ConvictionVoting.VotingFor.getEntries(props.address),
      ]);
      return { system, holds, freezes, locks, classLocks, voting };
    },
    [props.address],
  );
  return (
    <section aria-labelledby="account-heading">
      <h1 id="account-heading">Account {props.name}</h1>
      <p>
        <Address value={props.address} full />
      </p>
      <Loaded query={query} what="the account">
        {({ system, holds, freezes, locks, classLocks, voting }) => (
          <>
            <table aria-label="balances">
              <tbody>
                <tr>
                  <th>Free</th>
                  <td aria-label="free balance">
                    <Cld value={system.data.free} />
                  </td>
                </tr>
                <tr>
                  <th>Held</th>
                  <td aria-label="held balance">
                    <Cld value={system.data.reserved} />
                  </td>
                </tr>
                <tr>
                  <th>Frozen</th>
                  <td aria-label="frozen balance">
                    <Cld value={system.data.frozen} /> (the largest lock or freeze: it may be held or pay fees, not leave)
                  </td>
                </tr>
              </tbody>
            </table>
            <h2>Holds</h2>
            {holds.length === 0 ? (
              <p>None.</p>
            ) : (
              <ul aria-label="holds">
                {holds.map((h, i) => (
                  <li key={i}>
                    {h.id.type}
                    {h.id.value && typeof h.id.value === "object" && "type" in h.id.value ? `.${(h.id.value as { type: string }).type}` : ""}:{" "}
                    <Cld value={h.amount} />
                  </li>
                ))}
              </ul>
            )}
            <h2>Locks and freezes</h2>
            {locks.length + freezes.length === 0 ? (
              <p aria-label="locks">None.</p>
            ) : (
              <ul aria-label="locks">
                {locks.map((l, i) => (
                  <li key={`l${i}`}>
                    lock {lockId(l.id)}
                    {lockId(l.id) === "pyconvot" ? " (conviction voting)" : ""}: <Cld value={l.amount} />
                  </li>
                ))}
                {freezes.map((f, i) => (
                  <li key={`f${i}`}>
                    freeze: <Cld value={f.amount} />
                  </li>
                ))}
              </ul>
            )}
            <h2>Conviction voting</h2>
            {classLocks.length === 0 && voting.length === 0 ? (
              <p aria-label="conviction locks">No votes, delegations or vote locks.</p>
            ) : (
              <table aria-label="conviction locks">
                <thead>
                  <tr>
                    <th>Track</th>
                    <th>Locked</th>
                    <th>Votes and delegation</th>
                    <th>Prior lock</th>
                    <th></th>
                  </tr>
                </thead>
                <tbody>
                  {[...new Set([...classLocks.map(([t]) => t), ...voting.map((v) => v.keyArgs[1])])].map((track) => {
                    const lock = classLocks.find(([t]) => t === track)?.[1] ?? 0n;
                    const v = voting.find((e) => e.keyArgs[1] === track)?.value;
                    const prior = v ? (v.type === "Casting" ? v.value.prior : v.value.prior) : undefined;
                    return (
                      <tr key={track} aria-label={`track ${trackName(chain, track)}`}>
                        <td>{trackName(chain, track)}</td>
                        <td>
                          <Cld value={lock} />
                        </td>
                        <td>
                          {!v
                            ? "—"
                            : v.type === "Casting"
                              ? `${v.value.votes.length} vote(s): ${v.value.votes.map(([i]) => `#${i}`).join(", ") || "none"}`
                              : `delegating to ${v.value.target.slice(0, 8)}…, ${CONVICTIONS.find((c) => c.name === v.value.conviction.type)?.multiplier}×`}
                        </td>
                        <td>
                          {prior && prior[1] > 0n ? (
                            <>
                              <Cld value={prior[1]} /> until block #{prior[0]}
                              {prior[0] > best ? ` (in ${formatBlocks(prior[0] - best, chain.blockMs)})` : " (expired)"}
                            </>
                          ) : (
                            "—"
                          )}
                        </td>
                        <td>
                          <TxButton
                            label={`Unlock ${trackName(chain, track)}`}
                            build={() => chain.api.tx.ConvictionVoting.unlock({ class: track, target: { type: "Id", value: props.address } })}
                          />
                          {v?.type === "Delegating" && (
                            <TxButton label={`Undelegate ${trackName(chain, track)}`} build={() => chain.api.tx.ConvictionVoting.undelegate({ class: track })} />
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
            <p class="muted">
              Unlock removes the vote locks that have expired on a track; a vote still standing, or a lock whose conviction period has not passed, keeps its
              amount locked.
            </p>
            <DelegateForm />
          </>
        )}
      </Loaded>
    </section>
  );
}

function DelegateForm() {
  const { chain } = useSession();
  const [track, setTrack] = useState(String([...chain.tracks.keys()][0] ?? 0));
  const [to, setTo] = useState("");
  const [amount, setAmount] = useState("");
  const [conviction, setConviction] = useState("1");
  const parsed = useParsed(() => {
    const address = parseAddress(to);
    const balance = parseCld(amount);
    return { to: address, balance };
  });
  return (
    <form class="card" aria-label="delegate" onSubmit={(e) => e.preventDefault()}>
      <h2>Delegate votes on a track</h2>
      <Select label="Delegation track" value={track} onChange={setTrack} options={[...chain.tracks].map(([id, t]) => ({ value: String(id), label: `${id} · ${t.name}` }))} />
      <Field label="Delegate to (SS58 address)" value={to} onInput={setTo} />
      <Field label="Delegated amount (CLD)" value={amount} onInput={setAmount} />
      <Select
        label="Delegation conviction"
        value={conviction}
        onChange={setConviction}
        options={CONVICTIONS.map((c, i) => ({ value: String(i), label: `${c.multiplier}×${c.periods ? `, locked ${c.periods} period${c.periods > 1 ? "s" : ""} after undelegating` : ""}` }))}
      />
      {(to || amount) && <FormError error={parsed.error} />}
      <TxButton
        label="Delegate"
        disabled={!parsed.value}
        build={() =>
          chain.api.tx.ConvictionVoting.delegate({
            class: Number(track),
            to: { type: "Id", value: parsed.value!.to },
            conviction: { type: CONVICTIONS[Number(conviction)].name, value: undefined },
            balance: parsed.value!.balance,
          })
        }
      />
    </form>
  );
}
