// Disputes (pallet-disputes; docs/governance.md, "Disputes"): the open ones with their work, parties,
// bonds, evidence and phase; opening one; evidence; voting through its referendum; appeal and
// conclusion.

import { blake2b256 } from "@polkadot-labs/hdkd-helpers";
import { useState } from "preact/hooks";
import { useChainQuery, useSession, type Api } from "../chain";
import { readParameterSetting } from "../call";
import { Address, Cld, Field, FormError, Loaded, Select, Tabs, useParsed } from "../components/common";
import { formatCld, fromHex, toHex } from "../format";
import { findEvent, TxButton, useAccount, type Included } from "../tx";
import { workText } from "../jobs";
import { VoteForm } from "./Referenda";

type Dispute = NonNullable<Awaited<ReturnType<Api["query"]["Disputes"]["Disputes"]["getValue"]>>>;

function workLink(work: Dispute["work"]) {
  return work.type === "Job" ? <a href={`#/jobs/${work.value}`}>job #{String(work.value)}</a> : <a href={`#/grids/${work.value[0]}`}>{workText(work)}</a>;
}

function subjectText(d: Dispute): string {
  return d.subject.type === "Slash" ? `appeal of slash #${d.subject.value}` : `challenge of ${workText(d.work)}`;
}

function phaseText(d: Dispute, best: number): string {
  if (d.phase.type === "Voting") {
    const round = d.phase.value.round.type === "First" ? "first round" : "appeal";
    return `voting (${round}) in referendum #${d.phase.value.referendum}`;
  }
  const { upheld, appeal_until } = d.phase.value;
  return `ruled: ${upheld ? "upheld" : "rejected"}; ${best <= appeal_until ? `appealable until block #${appeal_until}` : "ready to be concluded"}`;
}

const REASONS: Record<string, string> = {
  Unprovable: "unprovable: nobody could prove this work",
  RequesterFault: "requester's fault",
  ResultNotIncluded: "result not included: the proof was submitted but not taken",
  TrainingMismatch: "training mismatch: the model was not trained as declared",
  WrongResult: "wrong result",
};

export function DisputesList() {
  const { best } = useSession();
  const query = useChainQuery(async (api) => (await api.query.Disputes.Disputes.getEntries()).map((e) => ({ id: e.keyArgs[0], d: e.value })));
  return (
    <section aria-labelledby="disputes-heading">
      <h1 id="disputes-heading">Disputes</h1>
      <Loaded query={query} what="disputes">
        {(rows) =>
          rows.length === 0 ? (
            <p>No dispute is open.</p>
          ) : (
            <table aria-label="disputes">
              <thead>
                <tr>
                  <th>#</th>
                  <th>Subject</th>
                  <th>Work</th>
                  <th>Reason</th>
                  <th>Disputer / respondent</th>
                  <th>Bonds</th>
                  <th>Evidence</th>
                  <th>Phase</th>
                </tr>
              </thead>
              <tbody>
                {rows
                  .sort((a, b) => Number(b.id - a.id))
                  .map(({ id, d }) => (
                    <tr key={String(id)} aria-label={`dispute ${id}`}>
                      <td>
                        <a href={`#/disputes/${id}`}>#{String(id)}</a>
                      </td>
                      <td>{subjectText(d)}</td>
                      <td>{workLink(d.work)}</td>
                      <td>{d.reason.type}</td>
                      <td>
                        <Address value={d.disputer} /> / <Address value={d.respondent} />
                      </td>
                      <td>
                        <Cld value={d.disputer_bond} /> / <Cld value={d.respondent_bond} />
                      </td>
                      <td>{d.evidence.length}</td>
                      <td>{phaseText(d, best)}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
      <OpenDispute />
    </section>
  );
}

export function DisputePage(props: { id: bigint }) {
  const { chain, best } = useSession();
  const account = useAccount();
  const query = useChainQuery((api) => api.query.Disputes.Disputes.getValue(props.id), [props.id]);
  return (
    <section aria-labelledby="dispute-heading">
      <h1 id="dispute-heading">Dispute #{String(props.id)}</h1>
      <Loaded query={query} what={`dispute ${props.id}`}>
        {(d) => {
          if (!d) return <p role="alert">There is no open dispute #{String(props.id)} (it may have been concluded and pruned).</p>;
          const referendum = d.phase.type === "Voting" ? d.phase.value.referendum : undefined;
          const party = account && (account.address === d.disputer ? "Disputer" : account.address === d.respondent ? "Respondent" : undefined);
          return (
            <>
              <dl class="facts">
                <dt>Subject</dt>
                <dd>{subjectText(d)}</dd>
                <dt>Work</dt>
                <dd>{workLink(d.work)}</dd>
                <dt>Reason</dt>
                <dd>{REASONS[d.reason.type] ?? d.reason.type}</dd>
                <dt>Disputer</dt>
                <dd>
                  <Address value={d.disputer} full /> (bond <Cld value={d.disputer_bond} />)
                </dd>
                <dt>Respondent</dt>
                <dd>
                  <Address value={d.respondent} full /> (bond <Cld value={d.respondent_bond} />
                  {d.respondent_bond === 0n ? ", placed with its first evidence" : ""})
                </dd>
                <dt>Prover</dt>
                <dd>
                  <Address value={d.prover} full />
                </dd>
                <dt>Opened</dt>
                <dd>block #{d.opened_at}</dd>
                <dt>Phase</dt>
                <dd aria-label="dispute phase">
                  {phaseText(d, best)}
                  {referendum !== undefined && (
                    <>
                      {" "}
                      · <a href={`#/referenda/${referendum}`}>open referendum #{referendum}</a>
                    </>
                  )}
                </dd>
                {d.appeal && (
                  <>
                    <dt>Appeal</dt>
                    <dd>
                      by the {d.appeal.by.type.toLowerCase()}, bond <Cld value={d.appeal.bond} />
                    </dd>
                  </>
                )}
              </dl>
              <h2>Evidence</h2>
              {d.evidence.length === 0 ? (
                <p>No evidence yet.</p>
              ) : (
                <ol aria-label="evidence">
                  {d.evidence.map((e, i) => (
                    <li key={i}>
                      <strong>{e.by.type.toLowerCase()}</strong>: {new TextDecoder().decode(e.note) || "(no note)"} · <code>{e.hash}</code>
                    </li>
                  ))}
                </ol>
              )}
              {party ? <EvidenceForm id={props.id} /> : <p class="muted">Only the disputer and the respondent post evidence.</p>}
              {referendum !== undefined && <VoteForm index={referendum} />}
              {d.phase.type === "Ruled" && (
                <div class="card">
                  <h2>Appeal or conclude</h2>
                  {best <= d.phase.value.appeal_until && !d.appeal && party && (
                    <TxButton label="Appeal the ruling" build={() => chain.api.tx.Disputes.appeal({ dispute: props.id })} />
                  )}
                  <TxButton label="Conclude" build={() => chain.api.tx.Disputes.conclude({ dispute: props.id })} />
                  <p class="muted">Anyone may conclude once the appeal window has passed; the ruling is then carried out and the bonds paid.</p>
                </div>
              )}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

function EvidenceForm(props: { id: bigint }) {
  const { chain } = useSession();
  const [note, setNote] = useState("");
  const [hash, setHash] = useState("");
  const [fileName, setFileName] = useState("");
  const parsed = useParsed(() => {
    const bytes = fromHex(hash);
    if (bytes.length !== 32) throw new Error("the evidence hash is 32 bytes (64 hex digits)");
    const noteBytes = new TextEncoder().encode(note);
    if (noteBytes.length > 256) throw new Error(`the note is ${noteBytes.length} bytes; at most 256`);
    return { hash: toHex(bytes), note: noteBytes };
  });
  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setFileName(file.name);
    setHash(toHex(blake2b256(new Uint8Array(await file.arrayBuffer()))));
  };
  return (
    <form class="card" aria-label="add evidence" onSubmit={(e) => e.preventDefault()}>
      <h2>Add evidence</h2>
      <p class="muted">
        The chain stores a hash of the evidence (BLAKE2b-256, as <code>cloudana dispute evidence --file</code>) and a note of at most 256 bytes; keep the
        file itself where voters can read it.
      </p>
      <label class="field">
        <span>Evidence file</span>
        <input aria-label="Evidence file" type="file" onChange={(e) => onFile((e.target as HTMLInputElement).files?.[0])} />
        {fileName && <small>{fileName} hashed</small>}
      </label>
      <Field label="Evidence hash (hex)" value={hash} onInput={setHash} placeholder="0x… (64 hex digits), or choose a file" />
      <Field label="Note" value={note} onInput={setNote} placeholder="what the evidence shows" />
      {(hash || note) && <FormError error={parsed.error} />}
      <TxButton
        label="Add evidence"
        disabled={!parsed.value}
        build={() => chain.api.tx.Disputes.add_evidence({ dispute: props.id, hash: parsed.value!.hash, note: parsed.value!.note })}
      />
    </form>
  );
}

/** After opening a dispute: its id from the `DisputeOpened` event, and its page opened. */
function openedDispute(included: Included): string {
  const id = findEvent<{ dispute: bigint }>(included, "Disputes", "DisputeOpened")?.dispute;
  if (id === undefined) return "";
  location.hash = `#/disputes/${id}`;
  return `dispute #${id} opened`;
}

function OpenDispute() {
  const { chain } = useSession();
  const account = useAccount();
  const bonds = useChainQuery(async (api) => {
    const all = (await api.apis.ParametersApi.current()).map(readParameterSetting);
    const find = (name: string) => all.find(([, n]) => n === name)?.[2] as bigint | undefined;
    return { dispute: find("DisputeBond"), appeal: find("AppealBond") };
  });
  const slashes = useChainQuery(
    async (api) => (await api.query.Slashing.PendingSlashes.getEntries()).filter((e) => e.value.offender === account?.address),
    [account?.address],
  );
  const [slash, setSlash] = useState("");
  const [appealReason, setAppealReason] = useState("Unprovable");
  const [kind, setKind] = useState("job");
  const [job, setJob] = useState("");
  const [grid, setGrid] = useState("");
  const [slot, setSlot] = useState("");
  const [challengeReason, setChallengeReason] = useState("WrongResult");
  const work = useParsed(() => {
    const whole = (text: string, what: string) => {
      if (!/^\d+$/.test(text.trim())) throw new Error(`${what}: "${text}" is not a whole number`);
      return text.trim();
    };
    return kind === "job"
      ? { type: "Job" as const, value: BigInt(whole(job, "job")) }
      : { type: "Slot" as const, value: [BigInt(whole(grid, "grid")), Number(whole(slot, "slot"))] as [bigint, number] };
  });
  return (
    <div class="card">
      <h2>Open a dispute</h2>
      <p class="muted">
        Opening one places your bond ({bonds.data?.dispute !== undefined ? formatCld(bonds.data.dispute) : "DisputeBond"}) and submits its referendum on
        the <code>dispute</code> track, with its decision deposit.
      </p>
      <Tabs label="kind of dispute" tabs={["Appeal a slash", "Challenge work"]}>
        {(tab) =>
          tab === "Appeal a slash" ? (
            <form aria-label="appeal a slash" onSubmit={(e) => e.preventDefault()}>
              <Loaded query={slashes} what="your pending slashes">
                {(entries) =>
                  entries.length === 0 ? (
                    <p>{account ? `${account.name} has no pending slash to appeal.` : "Choose an account to see its pending slashes."}</p>
                  ) : (
                    <>
                      <Select
                        label="Your pending slash"
                        value={slash || String(entries[0].keyArgs[0])}
                        onChange={setSlash}
                        options={entries.map(({ keyArgs: [id], value }) => ({
                          value: String(id),
                          label: `#${id}: ${value.kind.type} on ${workText(value.work)}, ${formatCld(value.amount)}`,
                        }))}
                      />
                      <Select
                        label="Grounds of the appeal"
                        value={appealReason}
                        onChange={setAppealReason}
                        options={["Unprovable", "RequesterFault", "ResultNotIncluded"].map((r) => ({ value: r, label: REASONS[r] }))}
                      />
                      <TxButton
                        label="Appeal the slash"
                        build={() =>
                          chain.api.tx.Disputes.appeal_slash({
                            slash: BigInt(slash || entries[0].keyArgs[0]),
                            reason: { type: appealReason as "Unprovable", value: undefined },
                          })
                        }
                        onDone={openedDispute}
                      />
                    </>
                  )
                }
              </Loaded>
            </form>
          ) : (
            <form aria-label="challenge work" onSubmit={(e) => e.preventDefault()}>
              <p class="muted">The requester of a job or grid slot may challenge it within the challenge window after it was proven.</p>
              <Select
                label="Work"
                value={kind}
                onChange={setKind}
                options={[
                  { value: "job", label: "a job" },
                  { value: "slot", label: "a grid slot" },
                ]}
              />
              {kind === "job" ? (
                <Field label="Job id" value={job} onInput={setJob} />
              ) : (
                <>
                  <Field label="Grid id" value={grid} onInput={setGrid} />
                  <Field label="Slot" value={slot} onInput={setSlot} />
                </>
              )}
              <Select
                label="Grounds of the challenge"
                value={challengeReason}
                onChange={setChallengeReason}
                options={["WrongResult", "TrainingMismatch"].map((r) => ({ value: r, label: REASONS[r] }))}
              />
              {(job || grid || slot) && <FormError error={work.error} />}
              <TxButton
                label="Challenge"
                disabled={!work.value}
                build={() =>
                  chain.api.tx.Disputes.challenge({ work: work.value!, reason: { type: challengeReason as "WrongResult", value: undefined } })
                }
                onDone={openedDispute}
              />
            </form>
          )
        }
      </Tabs>
    </div>
  );
}
