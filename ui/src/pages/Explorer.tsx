// The explorer: jobs (state, price over time, prover, result, proven accuracy), grid jobs
// with their leaderboard, provers (stake, tier, reputation and its components, slashes), and
// the treasury's and insurance pool's balances.

import { ss58Encode } from "@polkadot-labs/hdkd-helpers";
import { palletAccount, useChainQuery, useSession, type Api } from "../chain";
import { Address, Cld, Loaded } from "../components/common";
import { LineChart } from "../components/Curves";
import { formatBlocks, formatCld, short } from "../format";
import circuits from "../circuits.json";
import { priceAt, proverState, scalar, workText } from "../jobs";

type Job = NonNullable<Awaited<ReturnType<Api["query"]["Jobs"]["Jobs"]["getValue"]>>>;
type Grid = NonNullable<Awaited<ReturnType<Api["query"]["Jobs"]["GridJobs"]["getValue"]>>>;

const CIRCUITS = circuits as Record<string, { dataset: string; title: string; holdout: number }>;

function circuitName(id: string): string {
  const known = CIRCUITS[id];
  return known ? `${known.title} accuracy` : short(id);
}

function jobPrice(job: Job): bigint | undefined {
  const s = job.status;
  if (s.type === "Completed" || s.type === "Locked") return s.value.price;
  return undefined;
}

function jobProver(job: Job): string | undefined {
  const s = job.status;
  return s.type === "Completed" || s.type === "Locked" || s.type === "Void" ? s.value.prover : undefined;
}

export function JobsPage() {
  const query = useChainQuery(async (api) => {
    const entries = await api.query.Jobs.Jobs.getEntries();
    return entries.map((e) => ({ id: e.keyArgs[0], job: e.value })).sort((a, b) => Number(b.id - a.id));
  });
  return (
    <section aria-labelledby="jobs-heading">
      <h1 id="jobs-heading">Jobs</h1>
      <Loaded query={query} what="jobs">
        {(rows) =>
          rows.length === 0 ? (
            <p>No jobs on chain (finished jobs are pruned after the retention period).</p>
          ) : (
            <table aria-label="jobs">
              <thead>
                <tr>
                  <th>#</th>
                  <th>Circuit</th>
                  <th>State</th>
                  <th>Price</th>
                  <th>Requester</th>
                  <th>Prover</th>
                  <th>Submitted</th>
                </tr>
              </thead>
              <tbody>
                {rows.map(({ id, job }) => {
                  const price = jobPrice(job);
                  const prover = jobProver(job);
                  return (
                    <tr key={String(id)} aria-label={`job ${id}`}>
                      <td>
                        <a href={`#/jobs/${id}`}>#{String(id)}</a>
                      </td>
                      <td>{circuitName(job.circuit)}</td>
                      <td>{job.status.type.toLowerCase()}</td>
                      <td>{price === undefined ? `up to ${formatCld(job.terms.max_price)}` : <Cld value={price} />}</td>
                      <td>
                        <Address value={job.requester} />
                      </td>
                      <td>{prover ? <Address value={prover} /> : "—"}</td>
                      <td>#{job.submitted_at}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </section>
  );
}

export function JobPage(props: { id: bigint }) {
  const { chain, best } = useSession();
  const query = useChainQuery(async (api) => {
    const job = await api.query.Jobs.Jobs.getValue(props.id);
    const lockPrice = job?.status.type === "Open" ? await api.apis.JobsApi.lock_price(props.id) : undefined;
    return job && { job, lockPrice };
  }, [props.id]);
  return (
    <section aria-labelledby="job-heading">
      <h1 id="job-heading">Job #{String(props.id)}</h1>
      <Loaded query={query} what={`job ${props.id}`}>
        {(data) => {
          if (!data) return <p role="alert">There is no job #{String(props.id)} (finished jobs are pruned after the retention period).</p>;
          const { job, lockPrice } = data;
          const t = job.terms;
          const known = CIRCUITS[job.circuit];
          const end = Math.max(t.ramp_blocks, 1);
          const xs = Array.from({ length: 21 }, (_, i) => Math.round((end * i) / 20));
          const s = job.status;
          const correct = s.type === "Completed" && s.value.outputs.length > 0 ? scalar(s.value.outputs[0]) : undefined;
          return (
            <>
              <dl class="facts">
                <dt>State</dt>
                <dd aria-label="job state">{s.type.toLowerCase()}</dd>
                <dt>Circuit</dt>
                <dd>
                  {known ? `${known.title} accuracy (holdout of ${known.holdout} samples) · ` : ""}
                  <code>{job.circuit}</code>
                </dd>
                <dt>Requester</dt>
                <dd>
                  <Address value={job.requester} full />
                </dd>
                <dt>Terms</dt>
                <dd>
                  price <Cld value={t.min_price} /> rising to <Cld value={t.max_price} /> over {formatBlocks(t.ramp_blocks, chain.blockMs)}; lock within{" "}
                  {formatBlocks(t.lock_timeout, chain.blockMs)}, prove within {formatBlocks(t.proof_timeout, chain.blockMs)}; collateral <Cld value={t.collateral} />
                </dd>
                <dt>Submitted</dt>
                <dd>
                  block #{job.submitted_at}; storage deposit <Cld value={job.deposit} />
                </dd>
                {s.type === "Open" && (
                  <>
                    <dt>Lock price now</dt>
                    <dd>{lockPrice === undefined ? "—" : <Cld value={lockPrice} />} (until block #{job.lock_expires_at})</dd>
                  </>
                )}
                {s.type === "Locked" && (
                  <>
                    <dt>Locked</dt>
                    <dd>
                      by <Address value={s.value.prover} /> at block #{s.value.locked_at} for <Cld value={s.value.price} />; proof due by block #
                      {s.value.expires_at}
                      {s.value.expires_at > best ? ` (in ${formatBlocks(s.value.expires_at - best, chain.blockMs)})` : ""}
                    </dd>
                  </>
                )}
                {s.type === "Completed" && (
                  <>
                    <dt>Completed</dt>
                    <dd>
                      at block #{s.value.at} by <Address value={s.value.prover} />: price <Cld value={s.value.price} /> (prover paid{" "}
                      <Cld value={s.value.price - s.value.fee} />, fee <Cld value={s.value.fee} />)
                    </dd>
                    <dt>Result</dt>
                    <dd aria-label="job result">
                      {s.value.outputs.map((o, i) => (
                        <div key={i}>
                          output {i}: {scalar(o)?.toString() ?? o}
                        </div>
                      ))}
                      {known && correct !== undefined && (
                        <strong aria-label="proven accuracy">
                          proven accuracy: {String(correct)}/{known.holdout} = {((Number(correct) / known.holdout) * 100).toFixed(2)}%
                        </strong>
                      )}
                    </dd>
                  </>
                )}
                {(s.type === "Cancelled" || s.type === "Expired") && (
                  <>
                    <dt>{s.type}</dt>
                    <dd>
                      at block #{s.value.at}, refunded <Cld value={s.value.refund} />
                    </dd>
                  </>
                )}
                {s.type === "Void" && (
                  <>
                    <dt>Void</dt>
                    <dd>
                      at block #{s.value.at}: {s.value.reason.type} (prover <Address value={s.value.prover} />)
                    </dd>
                  </>
                )}
              </dl>
              <LineChart
                title="lock price over time (Dutch auction, rising)"
                label={`price of job ${props.id} over time`}
                x={xs.map((x) => job.submitted_at + x)}
                y={xs.map((x) => Number(priceAt(t, x)) / 1e12)}
                xLabel="block"
                yLabel="CLD"
              />
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

/** The leaderboard: proven slots, best metric first, then earliest, then lowest slot. */
export function leaderboard(grid: Grid) {
  if (grid.status.type === "Closed")
    return grid.status.value.payouts.map((p) => ({ slot: p.slot, prover: p.prover, metric: p.metric, paid: p.paid as bigint | undefined }));
  return grid.slots
    .flatMap((s, slot) => (s.state.type === "Proven" ? [{ slot, prover: s.state.value.prover, metric: s.state.value.metric, at: s.state.value.at }] : []))
    .sort((a, b) => (a.metric === b.metric ? a.at - b.at || a.slot - b.slot : a.metric > b.metric ? -1 : 1))
    .map(({ slot, prover, metric }) => ({ slot, prover, metric, paid: undefined as bigint | undefined }));
}

export function GridsPage() {
  const query = useChainQuery(async (api) =>
    (await api.query.Jobs.GridJobs.getEntries()).map((e) => ({ id: e.keyArgs[0], grid: e.value })).sort((a, b) => Number(b.id - a.id)),
  );
  return (
    <section aria-labelledby="grids-heading">
      <h1 id="grids-heading">Grid jobs</h1>
      <Loaded query={query} what="grid jobs">
        {(rows) =>
          rows.length === 0 ? (
            <p>No grid jobs on chain.</p>
          ) : (
            <table aria-label="grid jobs">
              <thead>
                <tr>
                  <th>#</th>
                  <th>Circuit</th>
                  <th>Slots</th>
                  <th>Bounty</th>
                  <th>State</th>
                  <th>Best</th>
                </tr>
              </thead>
              <tbody>
                {rows.map(({ id, grid }) => {
                  const best = leaderboard(grid)[0];
                  return (
                    <tr key={String(id)} aria-label={`grid ${id}`}>
                      <td>
                        <a href={`#/grids/${id}`}>#{String(id)}</a>
                      </td>
                      <td>{circuitName(grid.circuit)}</td>
                      <td>{grid.slots.length}</td>
                      <td>
                        <Cld value={grid.terms.bounty} />
                      </td>
                      <td>{grid.status.type === "Open" ? `open until block #${grid.closes_at}` : "closed"}</td>
                      <td>{best ? `slot ${best.slot}: ${best.metric}` : "—"}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </section>
  );
}

export function GridPage(props: { id: bigint }) {
  const query = useChainQuery((api) => api.query.Jobs.GridJobs.getValue(props.id), [props.id]);
  return (
    <section aria-labelledby="grid-heading">
      <h1 id="grid-heading">Grid job #{String(props.id)}</h1>
      <Loaded query={query} what={`grid ${props.id}`}>
        {(grid) => {
          if (!grid) return <p role="alert">There is no grid job #{String(props.id)}.</p>;
          const known = CIRCUITS[grid.circuit];
          const board = leaderboard(grid);
          return (
            <>
              <dl class="facts">
                <dt>Circuit</dt>
                <dd>{circuitName(grid.circuit)}</dd>
                <dt>Requester</dt>
                <dd>
                  <Address value={grid.requester} full />
                </dd>
                <dt>Bounty</dt>
                <dd>
                  <Cld value={grid.terms.bounty} />, collateral <Cld value={grid.terms.collateral} />
                </dd>
                <dt>State</dt>
                <dd>
                  {grid.status.type === "Open" ? `open until block #${grid.closes_at}` : `closed at block #${grid.status.value.at}, refunded `}
                  {grid.status.type === "Closed" && <Cld value={grid.status.value.refund} />}
                </dd>
              </dl>
              <h2>Leaderboard</h2>
              {board.length === 0 ? (
                <p>No slot proven yet.</p>
              ) : (
                <table aria-label="leaderboard">
                  <thead>
                    <tr>
                      <th>Rank</th>
                      <th>Slot</th>
                      <th>Hyperparameters</th>
                      <th>Prover</th>
                      <th>{known ? "Correct on the holdout" : "Metric"}</th>
                      <th>Paid</th>
                    </tr>
                  </thead>
                  <tbody>
                    {board.map((row, rank) => (
                      <tr key={row.slot}>
                        <td>{rank + 1}</td>
                        <td>{row.slot}</td>
                        <td>
                          <code>{new TextDecoder().decode(grid.slots[row.slot]?.params ?? new Uint8Array())}</code>
                        </td>
                        <td>
                          <Address value={row.prover} />
                        </td>
                        <td>
                          {String(row.metric)}
                          {known ? `/${known.holdout} (${((Number(row.metric) / known.holdout) * 100).toFixed(2)}%)` : ""}
                        </td>
                        <td>{row.paid === undefined ? "—" : <Cld value={row.paid} />}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              <h2>Slots</h2>
              <ol start={0} aria-label="slots">
                {grid.slots.map((s, i) => (
                  <li key={i}>
                    <code>{new TextDecoder().decode(s.params)}</code>: {s.state.type.toLowerCase()}
                    {s.state.type !== "Open" && (
                      <>
                        {" "}
                        by <Address value={s.state.value.prover} />
                      </>
                    )}
                  </li>
                ))}
              </ol>
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

export function ProversPage() {
  const query = useChainQuery(async (api) => {
    const entries = await api.query.ProverStaking.Provers.getEntries();
    return Promise.all(
      entries.map(async (e) => ({ who: e.keyArgs[0], prover: e.value, reputation: await api.apis.ReputationApi.reputation(e.keyArgs[0]) })),
    );
  });
  return (
    <section aria-labelledby="provers-heading">
      <h1 id="provers-heading">Provers</h1>
      <Loaded query={query} what="provers">
        {(rows) =>
          rows.length === 0 ? (
            <p>No provers registered.</p>
          ) : (
            <table aria-label="provers">
              <thead>
                <tr>
                  <th>Prover</th>
                  <th>Stake</th>
                  <th>Tier</th>
                  <th>Score</th>
                  <th>Completed</th>
                  <th>State</th>
                </tr>
              </thead>
              <tbody>
                {rows.map(({ who, prover, reputation }) => (
                  <tr key={who} aria-label={`prover ${who}`}>
                    <td>
                      <Address value={who} />
                    </td>
                    <td>
                      <Cld value={prover.stake} />
                    </td>
                    <td>{reputation?.tier.type ?? "—"}</td>
                    <td>{reputation?.score ?? "—"}</td>
                    <td>{reputation?.record.completed ?? 0}</td>
                    <td>{proverState(prover)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </section>
  );
}

export function ProverPage(props: { address: string }) {
  const query = useChainQuery(async (api) => {
    const [prover, reputation, slashes, disputed] = await Promise.all([
      api.query.ProverStaking.Provers.getValue(props.address),
      api.apis.ReputationApi.reputation(props.address),
      api.query.Slashing.PendingSlashes.getEntries(),
      api.query.ProverStaking.DisputedStake.getValue(props.address),
    ]);
    // This prover's slashes only, each asked whether a dispute froze it.
    const own = slashes.filter((s) => s.value.offender === props.address);
    const frozen = await Promise.all(own.map((s) => api.query.Slashing.FrozenSlashes.getValue(s.keyArgs[0])));
    return {
      prover,
      reputation,
      disputed,
      slashes: own.map((s, i) => ({ id: s.keyArgs[0], slash: s.value, frozen: frozen[i] !== undefined })),
    };
  }, [props.address]);
  return (
    <section aria-labelledby="prover-heading">
      <h1 id="prover-heading">Prover {short(props.address)}</h1>
      <p>
        <code>{props.address}</code>
      </p>
      <Loaded query={query} what="the prover">
        {({ prover, reputation, slashes, disputed }) => (
          <>
            {!prover ? (
              <p>This account is not a registered prover.</p>
            ) : (
              <dl class="facts">
                <dt>Stake</dt>
                <dd aria-label="stake">
                  <Cld value={prover.stake} /> (of which <Cld value={prover.reserved} /> backs locked work)
                </dd>
                <dt>Unbonding</dt>
                <dd>
                  {prover.unbonding.length === 0
                    ? "—"
                    : prover.unbonding.map((u, i) => (
                        <div key={i}>
                          <Cld value={u.amount} /> at block #{u.unlocks_at}
                        </div>
                      ))}
                </dd>
                <dt>Circuits</dt>
                <dd>{prover.circuits.map(circuitName).join(", ") || "—"}</dd>
                <dt>State</dt>
                <dd>
                  {proverState(prover)}
                  {disputed ? `; ${formatCld(disputed)} at stake in open disputes, kept until their verdicts` : ""}
                </dd>
              </dl>
            )}
            <h2>Reputation</h2>
            {!reputation ? (
              <p>No reputation record.</p>
            ) : (
              <table aria-label="reputation">
                <tbody>
                  <tr>
                    <th>Score</th>
                    <td aria-label="score">
                      {reputation.score} / 1000 ({reputation.tier.type}); formula value {reputation.formula}
                    </td>
                  </tr>
                  {Object.entries(reputation.record).filter(([k]) => k !== "score").map(([k, v]) => (
                    <tr key={k}>
                      <th>{k.replace(/_/g, " ")}</th>
                      <td>{String(v)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <h2>Pending slashes</h2>
            {slashes.length === 0 ? (
              <p aria-label="slashes">None.</p>
            ) : (
              <table aria-label="slashes">
                <thead>
                  <tr>
                    <th>#</th>
                    <th>Offence</th>
                    <th>Work</th>
                    <th>Amount</th>
                    <th>Applies at</th>
                  </tr>
                </thead>
                <tbody>
                  {slashes.map(({ id, slash, frozen }) => (
                    <tr key={String(id)}>
                      <td>{String(id)}</td>
                      <td>{slash.kind.type}</td>
                      <td>{workText(slash.work)}</td>
                      <td>
                        <Cld value={slash.amount} />
                      </td>
                      <td>{frozen ? "frozen by a dispute" : `block #${slash.apply_at}`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </Loaded>
    </section>
  );
}

export function FundsPage() {
  const { chain } = useSession();
  const query = useChainQuery(async (api, chain) => {
    const c = chain.statics.constants;
    const treasury = palletAccount(c.Treasury.PalletId, chain.ss58, ss58Encode);
    const insurance = palletAccount(c.InsurancePool.PalletId, chain.ss58, ss58Encode);
    const [t, i, toInsurance, burned, issuance] = await Promise.all([
      api.query.System.Account.getValue(treasury),
      api.query.System.Account.getValue(insurance),
      api.query.Slashing.TotalToInsurance.getValue(),
      api.query.Slashing.TotalBurned.getValue(),
      api.query.Balances.TotalIssuance.getValue(),
    ]);
    return { treasury, insurance, t, i, toInsurance, burned, issuance };
  });
  return (
    <section aria-labelledby="funds-heading">
      <h1 id="funds-heading">Treasury and insurance pool</h1>
      <Loaded query={query} what="the funds">
        {(d) => (
          <table aria-label="funds">
            <tbody>
              <tr>
                <th>Treasury</th>
                <td aria-label="treasury balance">
                  <Cld value={d.t.data.free} />
                </td>
                <td>
                  <code>{d.treasury}</code>
                </td>
              </tr>
              <tr>
                <th>Insurance pool</th>
                <td aria-label="insurance pool balance">
                  <Cld value={d.i.data.free} />
                </td>
                <td>
                  <code>{d.insurance}</code>
                </td>
              </tr>
              <tr>
                <th>Slashed to the insurance pool, all time</th>
                <td>
                  <Cld value={d.toInsurance} />
                </td>
                <td></td>
              </tr>
              <tr>
                <th>Slashed and burned, all time</th>
                <td>
                  <Cld value={d.burned} />
                </td>
                <td></td>
              </tr>
              <tr>
                <th>Total issuance</th>
                <td>
                  <Cld value={d.issuance} digits={0} />
                </td>
                <td></td>
              </tr>
            </tbody>
          </table>
        )}
      </Loaded>
      <p class="muted">
        Treasury spends are proposed on the <code>treasurer</code> track, insurance spends on <code>insurance_spend</code> (<a href="#/propose">propose</a>);
        chain: {chain.name}.
      </p>
    </section>
  );
}
