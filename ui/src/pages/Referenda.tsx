// Referenda: the list by track, and one referendum with its proposal, tally, curves,
// deposits and the vote form.

import { useState } from "preact/hooks";
import { useChainQuery, useSession, type Api, type Chain } from "../chain";
import { CallView, decodeCall, describeCall, proposalBytes, type Bounded, type DecodedCall } from "../call";
import { Address, Cld, Field, FormError, Loaded, Select, useParsed } from "../components/common";
import { Curves } from "../components/Curves";
import { formatBlocks, formatPerbill, parseCld } from "../format";
import {
  approval,
  confirmStart,
  CONVICTIONS,
  elapsed,
  isPassing,
  ongoingPhase,
  readVote,
  support,
  threshold,
  voteByte,
  type OngoingStatus,
  type Phase,
  type Tally,
  type TrackInfo,
} from "../governance";
import { TxButton, useAccount } from "../tx";

type Info = NonNullable<Awaited<ReturnType<Api["query"]["Referenda"]["ReferendumInfoFor"]["getValue"]>>>;
type Ongoing = Extract<Info, { type: "Ongoing" }>["value"];

export interface Referendum {
  index: number;
  info: Info;
  track?: number;
  trackInfo?: TrackInfo;
  phase: Phase;
  /** The block at which the phase ends (or ended), and what happens then. */
  endsAt: number;
  ending: string;
  call?: DecodedCall;
  callError?: string;
}

const FINISHED: Record<string, Phase> = {
  Approved: "approved",
  Rejected: "rejected",
  TimedOut: "timed out",
  Cancelled: "cancelled",
  Killed: "killed",
};

/** Reads referendum `index` (or all of them) with its phase and decoded proposal. */
async function readReferendum(api: Api, chain: Chain, index: number, info: Info): Promise<Referendum> {
  if (info.type !== "Ongoing") {
    const at = info.type === "Killed" ? info.value : info.value[0];
    return { index, info, phase: FINISHED[info.type], endsAt: at, ending: `${FINISHED[info.type]} at block ${at}` };
  }
  const status = info.value;
  const trackInfo = chain.tracks.get(status.track);
  const phase = trackInfo
    ? ongoingPhase(status as OngoingStatus, trackInfo, chain.undecidingTimeout)
    : { phase: "deciding" as Phase, endsAt: 0, ending: "unknown track" };
  const bytes = await proposalBytes(api, status.proposal as Bounded);
  const decoded = typeof bytes === "string" ? bytes : decodeCall(chain.statics, bytes);
  return {
    index,
    info,
    track: status.track,
    trackInfo,
    ...phase,
    call: typeof decoded === "string" ? undefined : decoded,
    callError: typeof decoded === "string" ? decoded : undefined,
  };
}

export function trackName(chain: Chain, id: number | undefined): string {
  return id === undefined ? "—" : (chain.tracks.get(id)?.name ?? `track ${id}`);
}

export function ReferendaList() {
  const { chain } = useSession();
  const query = useChainQuery(async (api, chain) => {
    const entries = await api.query.Referenda.ReferendumInfoFor.getEntries();
    const rows = await Promise.all(entries.map((e) => readReferendum(api, chain, e.keyArgs[0], e.value)));
    return rows.sort((a, b) => b.index - a.index);
  });
  const [track, setTrack] = useState("all");
  return (
    <section aria-labelledby="referenda-heading">
      <h1 id="referenda-heading">Referenda</h1>
      <Select
        label="Track"
        value={track}
        onChange={setTrack}
        options={[{ value: "all", label: "all tracks" }, ...[...chain.tracks].map(([id, t]) => ({ value: String(id), label: `${id} · ${t.name}` }))]}
      />
      <Loaded query={query} what="referenda">
        {(rows) => {
          const shown = rows.filter((r) => track === "all" || String(r.track) === track);
          if (shown.length === 0) return <p>No referenda{track === "all" ? "" : " on this track"} yet. <a href="#/propose">Propose one.</a></p>;
          return (
            <table aria-label="referenda">
              <thead>
                <tr>
                  <th>#</th>
                  <th>Track</th>
                  <th>Proposal</th>
                  <th>Phase</th>
                  <th>Until block</th>
                  <th>Ayes / nays</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => {
                  const tally = r.info.type === "Ongoing" ? r.info.value.tally : undefined;
                  return (
                    <tr key={r.index} aria-label={`referendum ${r.index}`}>
                      <td>
                        <a href={`#/referenda/${r.index}`}>#{r.index}</a>
                      </td>
                      <td>{trackName(chain, r.track)}</td>
                      <td>{r.call ? describeCall(r.call, chain.blockMs) : (r.callError ?? "—")}</td>
                      <td>
                        <span class={`phase ${r.phase.replace(" ", "-")}`}>{r.phase}</span>
                      </td>
                      <td title={r.ending}>#{r.endsAt}</td>
                      <td>
                        {tally ? (
                          <>
                            <Cld value={tally.ayes} digits={0} /> / <Cld value={tally.nays} digits={0} />
                          </>
                        ) : (
                          "—"
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          );
        }}
      </Loaded>
    </section>
  );
}

export function ReferendumPage(props: { index: number }) {
  const { chain, best } = useSession();
  const account = useAccount();
  const query = useChainQuery(
    async (api, chain) => {
      const info = await api.query.Referenda.ReferendumInfoFor.getValue(props.index);
      if (!info) return undefined;
      const [referendum, issuance] = await Promise.all([readReferendum(api, chain, props.index, info), api.query.Balances.TotalIssuance.getValue()]);
      return { referendum, issuance };
    },
    [props.index],
  );
  return (
    <section aria-labelledby="referendum-heading">
      <h1 id="referendum-heading">Referendum #{props.index}</h1>
      <Loaded query={query} what={`referendum ${props.index}`}>
        {(data) => {
          if (!data) return <p role="alert">There is no referendum #{props.index} on this chain.</p>;
          const r = data.referendum;
          return (
            <>
              <dl class="facts">
                <dt>Track</dt>
                <dd aria-label="track">{trackName(chain, r.track)}</dd>
                <dt>Phase</dt>
                <dd aria-label="phase">
                  <span class={`phase ${r.phase.replace(" ", "-")}`}>{r.phase}</span>
                </dd>
                <dt>{r.info.type === "Ongoing" ? "Phase ends" : "Ended"}</dt>
                <dd>
                  block #{r.endsAt} ({r.ending}
                  {r.info.type === "Ongoing" && r.endsAt > best ? `, in ${formatBlocks(r.endsAt - best, chain.blockMs)}` : ""})
                </dd>
              </dl>
              <h2>Proposal</h2>
              {r.call ? <CallView call={r.call} blockMs={chain.blockMs} /> : <p>{r.callError ?? "The proposal is no longer stored (the referendum has ended)."}</p>}
              {r.info.type === "Ongoing" && r.trackInfo && (
                <OngoingView index={r.index} status={r.info.value} track={r.trackInfo} issuance={data.issuance} />
              )}
              <Deposits referendum={r} />
              {account && <YourVote index={r.index} />}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

function OngoingView(props: { index: number; status: Ongoing; track: TrackInfo; issuance: bigint }) {
  const { chain, best } = useSession();
  const { status, track, issuance } = props;
  const tally = status.tally as Tally;
  const since = status.deciding?.since;
  const x = since === undefined ? 0 : elapsed(best, since, track.decision_period);
  const needApproval = threshold(track.min_approval, x);
  const needSupport = threshold(track.min_support, x);
  const nowApproval = approval(tally);
  const nowSupport = support(tally, issuance);
  const passing = since !== undefined && isPassing(track, tally, issuance, since, best);
  // Decision starts at the deciding block, or else (deposit placed) once the prepare period ends.
  const decisionStart = since ?? (status.decision_deposit ? Math.max(best, status.submitted + track.prepare_period) : undefined);
  const confirmAt =
    status.deciding?.confirming !== undefined
      ? status.deciding.confirming - track.confirm_period
      : decisionStart === undefined
        ? undefined
        : confirmStart(track, tally, issuance, decisionStart, best);
  return (
    <>
      <h2>Tally</h2>
      <table aria-label="tally" class="tally">
        <tbody>
          <tr>
            <th>Ayes</th>
            <td aria-label="ayes">
              <Cld value={tally.ayes} />
            </td>
          </tr>
          <tr>
            <th>Nays</th>
            <td aria-label="nays">
              <Cld value={tally.nays} />
            </td>
          </tr>
          <tr>
            <th>Support</th>
            <td aria-label="support">
              <Cld value={tally.support} /> of <Cld value={issuance} digits={0} /> issued
            </td>
          </tr>
          <tr>
            <th>Approval</th>
            <td aria-label="approval">
              {formatPerbill(nowApproval)} (needs {formatPerbill(needApproval)} now)
              {nowApproval >= needApproval ? " ✓" : " ✗"}
            </td>
          </tr>
          <tr>
            <th>Support %</th>
            <td aria-label="support percent">
              {formatPerbill(nowSupport, 3)} (needs {formatPerbill(needSupport, 3)} now)
              {nowSupport >= needSupport ? " ✓" : " ✗"}
            </td>
          </tr>
          <tr>
            <th>Status</th>
            <td aria-label="passing">
              {since === undefined
                ? status.decision_deposit
                  ? "preparing: the decision begins when the prepare period ends"
                  : "waiting for a decision deposit"
                : passing
                  ? "passing"
                  : "failing"}
            </td>
          </tr>
          <tr>
            <th>Confirmation</th>
            <td aria-label="confirmation estimate">
              {status.deciding?.confirming !== undefined
                ? `confirming since block #${status.deciding.confirming - track.confirm_period}; approved at #${status.deciding.confirming} if it stays passing`
                : confirmAt !== undefined
                  ? `with this tally, confirmation would start at block #${confirmAt} and end at #${confirmAt + track.confirm_period}`
                  : "with this tally, it would not pass before the decision period ends"}
            </td>
          </tr>
        </tbody>
      </table>
      <Curves
        track={track}
        at={since === undefined ? undefined : best - since}
        approval={nowApproval}
        support={nowSupport}
        confirmAt={confirmAt !== undefined && decisionStart !== undefined ? confirmAt - decisionStart : undefined}
      />
      <p class="muted">
        Decision period {formatBlocks(track.decision_period, chain.blockMs)}; confirm period {formatBlocks(track.confirm_period, chain.blockMs)};
        prepare period {formatBlocks(track.prepare_period, chain.blockMs)}; enactment at least {formatBlocks(track.min_enactment_period, chain.blockMs)} after approval.
      </p>
      <VoteForm index={props.index} />
    </>
  );
}

function Deposits(props: { referendum: Referendum }) {
  const { chain } = useSession();
  const { info, index, trackInfo } = props.referendum;
  const api = chain.api;
  let submission: { who: string; amount: bigint } | undefined;
  let decision: { who: string; amount: bigint } | undefined;
  if (info.type === "Ongoing") {
    submission = info.value.submission_deposit;
    decision = info.value.decision_deposit;
  } else if (info.type !== "Killed") {
    [, submission, decision] = info.value;
  }
  const ongoing = info.type === "Ongoing";
  return (
    <>
      <h2>Deposits</h2>
      <table aria-label="deposits">
        <tbody>
          <tr>
            <th>Submission deposit</th>
            <td>
              {submission ? (
                <>
                  <Cld value={submission.amount} /> by <Address value={submission.who} />
                </>
              ) : ongoing ? (
                "—"
              ) : (
                "refunded or slashed"
              )}
            </td>
            <td>
              {!ongoing && submission && (
                <TxButton label="Refund submission deposit" build={() => api.tx.Referenda.refund_submission_deposit({ index })} />
              )}
            </td>
          </tr>
          <tr>
            <th>Decision deposit</th>
            <td>
              {decision ? (
                <>
                  <Cld value={decision.amount} /> by <Address value={decision.who} />
                </>
              ) : ongoing ? (
                <>not placed{trackInfo ? <> (the track asks <Cld value={trackInfo.decision_deposit} />)</> : ""}</>
              ) : (
                "refunded, slashed or never placed"
              )}
            </td>
            <td>
              {ongoing && !decision && <TxButton label="Place decision deposit" build={() => api.tx.Referenda.place_decision_deposit({ index })} />}
              {!ongoing && decision && <TxButton label="Refund decision deposit" build={() => api.tx.Referenda.refund_decision_deposit({ index })} />}
            </td>
          </tr>
        </tbody>
      </table>
    </>
  );
}

function convictionOptions(chain: Chain) {
  return CONVICTIONS.map((c, i) => ({
    value: String(i),
    label:
      c.periods === 0
        ? `${c.multiplier}× — no lock`
        : `${c.multiplier}× — locked ${c.periods} × ${chain.voteLockingPeriod} = ${formatBlocks(c.periods * chain.voteLockingPeriod, chain.blockMs)}`,
  }));
}

export function VoteForm(props: { index: number }) {
  const { chain } = useSession();
  const [kind, setKind] = useState("aye");
  const [amount, setAmount] = useState("");
  const [conviction, setConviction] = useState("1");
  const [aye, setAye] = useState("");
  const [nay, setNay] = useState("");
  const [abstain, setAbstain] = useState("");
  const parsed = useParsed(() => {
    if (kind === "aye" || kind === "nay") {
      const balance = parseCld(amount);
      if (balance === 0n) throw new Error("vote with more than 0 CLD");
      return { type: "Standard" as const, value: { vote: voteByte(kind === "aye", Number(conviction)), balance } };
    }
    if (kind === "split") return { type: "Split" as const, value: { aye: parseCld(aye || "0"), nay: parseCld(nay || "0") } };
    return { type: "SplitAbstain" as const, value: { aye: parseCld(aye || "0"), nay: parseCld(nay || "0"), abstain: parseCld(abstain || "0") } };
  });
  const touched = amount !== "" || aye !== "" || nay !== "" || abstain !== "";
  return (
    <form class="card" aria-label="vote" onSubmit={(e) => e.preventDefault()}>
      <h2>Vote</h2>
      <Select
        label="Vote"
        value={kind}
        onChange={setKind}
        options={[
          { value: "aye", label: "aye" },
          { value: "nay", label: "nay" },
          { value: "split", label: "split (aye and nay, no conviction)" },
          { value: "abstain", label: "abstain (counts toward support only)" },
        ]}
      />
      {(kind === "aye" || kind === "nay") && (
        <>
          <Field label="Amount (CLD)" value={amount} onInput={setAmount} placeholder="e.g. 1000" />
          <Select
            label="Conviction"
            value={conviction}
            onChange={setConviction}
            options={convictionOptions(chain)}
            hint={
              <>
                The vote counts {CONVICTIONS[Number(conviction)].multiplier}× its amount; if the referendum goes your way, the amount stays locked{" "}
                {CONVICTIONS[Number(conviction)].periods === 0
                  ? "only while the vote stands"
                  : `for ${formatBlocks(CONVICTIONS[Number(conviction)].periods * chain.voteLockingPeriod, chain.blockMs)} after it ends`}{" "}
                (VoteLockingPeriod = {chain.voteLockingPeriod} blocks).
              </>
            }
          />
        </>
      )}
      {(kind === "split" || kind === "abstain") && (
        <>
          <Field label="Aye amount (CLD)" value={aye} onInput={setAye} />
          <Field label="Nay amount (CLD)" value={nay} onInput={setNay} />
          {kind === "abstain" && <Field label="Abstain amount (CLD)" value={abstain} onInput={setAbstain} />}
        </>
      )}
      {touched && <FormError error={parsed.error} />}
      <TxButton
        label="Vote"
        disabled={!parsed.value}
        build={() => chain.api.tx.ConvictionVoting.vote({ poll_index: props.index, vote: parsed.value! })}
      />
    </form>
  );
}

function YourVote(props: { index: number }) {
  const { chain } = useSession();
  const account = useAccount()!;
  // Finished referenda no longer name their track: look for the vote on every track.
  const query = useChainQuery(async (api) => {
    const entries = await api.query.ConvictionVoting.VotingFor.getEntries(account.address);
    for (const { keyArgs, value } of entries) {
      if (value.type !== "Casting") continue;
      const vote = value.value.votes.find(([index]) => index === props.index)?.[1];
      if (vote) return { track: keyArgs[1], vote };
    }
    return undefined;
  }, [account.address, props.index]);
  return (
    <Loaded query={query} what="your vote">
      {(found) => {
        if (!found) return <p aria-label="your vote">{account.name} has no vote on this referendum.</p>;
        const { vote, track } = found;
        let text: string;
        if (vote.type === "Standard") {
          const { aye, conviction } = readVote(vote.value.vote);
          text = `${aye ? "aye" : "nay"} with ${CONVICTIONS[conviction].multiplier}× conviction`;
        } else text = vote.type === "Split" ? "split" : "split with abstention";
        return (
          <div class="card">
            <h2>Your vote</h2>
            <p aria-label="your vote">
              {account.name} voted {text}: {vote.type === "Standard" ? <Cld value={vote.value.balance} /> : null}
              {vote.type !== "Standard" && (
                <>
                  aye <Cld value={vote.value.aye} />, nay <Cld value={vote.value.nay} />
                  {vote.type === "SplitAbstain" && (
                    <>
                      , abstain <Cld value={vote.value.abstain} />
                    </>
                  )}
                </>
              )}
            </p>
            <p class="muted">
              Removing a vote on a referendum that has ended keeps its conviction lock until the lock expires; then unlock it on the{" "}
              <a href="#/account">account page</a>.
            </p>
            <TxButton label="Remove vote" build={() => chain.api.tx.ConvictionVoting.remove_vote({ class: track, index: props.index })} />
          </div>
        );
      }}
    </Loaded>
  );
}
