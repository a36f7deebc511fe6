// The connection to a Cloudana node: a polkadot-api client with the typed API generated from
// the committed runtime metadata (client/metadata/cloudana.scale), and what every page needs
// to know about the chain.

import { createClient, CompatibilityLevel, type PolkadotClient, type TypedApi } from "polkadot-api";
import { getWsProvider } from "polkadot-api/ws";
import { cloudana } from "@polkadot-api/descriptors";
import { createContext } from "preact";
import { useContext, useEffect, useRef, useState } from "preact/hooks";
import type { TrackInfo } from "./governance";

export type Api = TypedApi<typeof cloudana>;
export type StaticApis = Awaited<ReturnType<Api["getStaticApis"]>>;

export const DEFAULT_NODE = "ws://127.0.0.1:9944";
const NODE_KEY = "cloudana.node";

/** The node URL to start with: the one remembered, else the default. */
export function initialNode(): string {
  return localStorage.getItem(NODE_KEY) ?? DEFAULT_NODE;
}

/**
 * A node a link proposes (`?node=` in the page's address) when it is not the current one. It is
 * never used nor remembered until the user accepts it: a link could otherwise point the app at a
 * node that shows false balances, jobs and referenda, and keep it there.
 */
export function proposedNode(current: string): string | undefined {
  const fromQuery = new URLSearchParams(location.search).get("node");
  return fromQuery && fromQuery !== current ? fromQuery : undefined;
}

/** Removes `?node=` from the page's address (keeping the page, after `#`). */
export function forgetProposedNode() {
  const url = new URL(location.href);
  url.searchParams.delete("node");
  history.replaceState(null, "", url.toString());
}

export function rememberNode(url: string) {
  localStorage.setItem(NODE_KEY, url);
}

export interface Chain {
  url: string;
  client: PolkadotClient;
  api: Api;
  statics: StaticApis;
  name: string;
  /** `system_chainType`: "Development" and "Local" chains get the dev accounts. */
  chainType: string;
  dev: boolean;
  ss58: number;
  /**
   * Milliseconds per block: Aura's slot duration, then the median interval of the blocks seen
   * (a development node may seal faster than its slots).
   */
  blockMs: number;
  tracks: Map<number, TrackInfo>;
  voteLockingPeriod: number;
  undecidingTimeout: number;
  submissionDeposit: bigint;
  /** Runtime items this app uses that the node's runtime does not serve as the app expects. */
  incompatible: string[];
}

/** Connects to `url` and reads the chain's constants; rejects with a readable error. */
export async function connect(url: string, signal: AbortSignal): Promise<Chain> {
  if (!/^wss?:\/\//.test(url)) throw new Error(`"${url}" is not a WebSocket URL (ws://… or wss://…)`);
  const client = createClient(getWsProvider(url, { timeout: 5_000 }));
  const abort = () => client.destroy();
  signal.addEventListener("abort", abort);
  try {
    const api = client.getTypedApi(cloudana);
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer from ${url} in 15 s: is a Cloudana node running there?`)), 15_000),
    );
    const [spec, chainType, statics] = await Promise.race([
      Promise.all([client.getChainSpecData(), client._request<string | { [k: string]: unknown }>("system_chainType", []), api.getStaticApis()]),
      timeout,
    ]);
    const type = typeof chainType === "string" ? chainType : Object.keys(chainType)[0];
    const c = statics.constants;
    // Track names are zero-padded to 25 bytes on chain.
    const tracks = new Map<number, TrackInfo>(
      c.Referenda.Tracks.map(([id, info]) => [id, { ...(info as TrackInfo), name: info.name.replace(/\0+$/, "") }]),
    );
    const incompatible = compatibility(statics);
    return {
      url,
      client,
      api,
      statics,
      name: spec.name,
      chainType: type,
      dev: type === "Development" || type === "Local",
      ss58: Number((spec.properties as { ss58Format?: number })?.ss58Format ?? 42),
      blockMs: Number(c.Aura.SlotDuration),
      tracks,
      voteLockingPeriod: c.ConvictionVoting.VoteLockingPeriod,
      undecidingTimeout: c.Referenda.UndecidingTimeout,
      submissionDeposit: c.Referenda.SubmissionDeposit,
      incompatible,
    };
  } catch (error) {
    client.destroy();
    throw error;
  } finally {
    signal.removeEventListener("abort", abort);
  }
}

/** The storage items and calls the app relies on that the node's runtime changed. */
function compatibility(statics: StaticApis): string[] {
  const q = statics.compat.query;
  const t = statics.compat.tx;
  const checks: Array<[string, { isCompatible: (level?: CompatibilityLevel) => boolean }]> = [
    ["Referenda.ReferendumInfoFor", q.Referenda.ReferendumInfoFor],
    ["ConvictionVoting.VotingFor", q.ConvictionVoting.VotingFor],
    ["Jobs.Jobs", q.Jobs.Jobs],
    ["Jobs.GridJobs", q.Jobs.GridJobs],
    ["ProverStaking.Provers", q.ProverStaking.Provers],
    ["Disputes.Disputes", q.Disputes.Disputes],
    ["Slashing.PendingSlashes", q.Slashing.PendingSlashes],
    ["Referenda.submit", t.Referenda.submit],
    ["ConvictionVoting.vote", t.ConvictionVoting.vote],
    ["Economics.set_parameter", t.Economics.set_parameter],
    ["Disputes.add_evidence", t.Disputes.add_evidence],
  ];
  return checks.filter(([, entry]) => !entry.isCompatible(CompatibilityLevel.BackwardsCompatible)).map(([name]) => name);
}

export interface Session {
  chain: Chain;
  /** The best block's number, updated as blocks arrive. */
  best: number;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("no chain connection");
  return session;
}

export interface Query<T> {
  data?: T;
  error?: string;
  loading: boolean;
}

/**
 * Runs `read` against the chain now and again at every new best block (and when `deps`
 * change); keeps the last value while a new one loads.
 */
export function useChainQuery<T>(read: (api: Api, chain: Chain) => Promise<T>, deps: unknown[] = []): Query<T> {
  const { chain, best } = useSession();
  const [state, setState] = useState<Query<T>>({ loading: true });
  const generation = useRef(0);
  const key = JSON.stringify(deps, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  useEffect(() => {
    const mine = ++generation.current;
    read(chain.api, chain).then(
      (data) => mine === generation.current && setState({ data, loading: false }),
      (error) => mine === generation.current && setState((s) => ({ data: s.data, error: message(error), loading: false })),
    );
  }, [chain, best, key]);
  useEffect(() => setState({ loading: true }), [key]);
  return state;
}

/** A readable message from anything thrown. */
export function message(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  } catch {
    return String(error);
  }
}

/** The account of a pallet (`PalletId` → `modl` ‖ id, zero-padded to 32 bytes), as SS58. */
export function palletAccount(palletIdHex: string, ss58: number, encode: (bytes: Uint8Array, prefix: number) => string): string {
  const bytes = new Uint8Array(32);
  bytes.set(new TextEncoder().encode("modl"));
  const id = palletIdHex.replace(/^0x/, "");
  for (let i = 0; i < id.length / 2; i++) bytes[4 + i] = parseInt(id.slice(2 * i, 2 * i + 2), 16);
  return encode(bytes, ss58);
}

/** Learns the block time from the best blocks' arrival times (median of the last intervals). */
export function blockTimer(chain: Chain): (number: number) => void {
  const seen: Array<[number, number]> = [];
  return (number) => {
    const last = seen[seen.length - 1];
    if (last && number <= last[0]) return;
    seen.push([number, Date.now()]);
    if (seen.length > 21) seen.shift();
    if (seen.length < 6) return;
    const intervals = seen.slice(1).map(([n, t], i) => (t - seen[i][1]) / (n - seen[i][0]));
    intervals.sort((a, b) => a - b);
    chain.blockMs = Math.max(1, Math.round(intervals[Math.floor(intervals.length / 2)]));
  };
}
