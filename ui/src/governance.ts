// OpenGov arithmetic as pallet-referenda and pallet-conviction-voting do it (polkadot-sdk:
// substrate/frame/referenda/src/types.rs `Curve::threshold`, `is_passing`;
// substrate/frame/conviction-voting/src/{types.rs,conviction.rs}), for display: phases, the
// thresholds a referendum must meet now, its curves and when it would start confirming.
// All shares are Perbill (parts per billion); all times are block numbers.

import { PERBILL } from "./format";

export type Curve =
  | { type: "LinearDecreasing"; value: { length: number; floor: number; ceil: number } }
  | { type: "SteppedDecreasing"; value: { begin: number; end: number; step: number; period: number } }
  | { type: "Reciprocal"; value: { factor: bigint; x_offset: bigint; y_offset: bigint } };

export interface TrackInfo {
  name: string;
  max_deciding: number;
  decision_deposit: bigint;
  prepare_period: number;
  decision_period: number;
  confirm_period: number;
  min_enactment_period: number;
  min_approval: Curve;
  min_support: Curve;
}

export interface Tally {
  ayes: bigint;
  nays: bigint;
  support: bigint;
}

const clamp = (x: number) => Math.max(0, Math.min(PERBILL, x));

/** `Perbill::from_rational(p, q)`, rounding down; 100% when q is zero, as upstream. */
export function fromRational(p: bigint, q: bigint): number {
  if (q === 0n) return PERBILL;
  if (p >= q) return PERBILL;
  return Number((p * BigInt(PERBILL)) / q);
}

/** The curve's threshold at `x` (Perbill of the decision period elapsed): `Curve::threshold`. */
export function threshold(curve: Curve, x: number): number {
  switch (curve.type) {
    case "LinearDecreasing": {
      const { length, floor, ceil } = curve.value;
      // x.min(length).saturating_div(length, Down) * (ceil - floor), subtracted from ceil.
      const progress = length === 0 ? PERBILL : Math.floor((Math.min(x, length) * PERBILL) / length);
      return ceil - Math.floor((progress * (ceil - floor)) / PERBILL);
    }
    case "SteppedDecreasing": {
      const { begin, end, step, period } = curve.value;
      const steps = period === 0 ? 0 : Math.floor(x / period);
      return Math.max(end, begin - Math.min(begin, steps * step));
    }
    case "Reciprocal": {
      // factor / (x + x_offset) + y_offset in FixedI64 (accuracy 10⁹).
      const { factor, x_offset, y_offset } = curve.value;
      const denominator = BigInt(x) + x_offset;
      if (denominator <= 0n) return PERBILL;
      const y = (factor * BigInt(PERBILL)) / denominator + y_offset;
      return clamp(Number(y));
    }
  }
}

/** The share of the decision period elapsed at block `now` (Perbill, as `is_passing` takes it). */
export function elapsed(now: number, since: number, period: number): number {
  if (period <= 0) return PERBILL;
  return fromRational(BigInt(Math.max(0, Math.min(now - since, period))), BigInt(period));
}

/** Approval: conviction-weighted ayes among ayes and nays. */
export function approval(tally: Tally): number {
  return fromRational(tally.ayes, tally.ayes + tally.nays);
}

/** Support: ayes without conviction (and abstentions) as a share of the total issuance. */
export function support(tally: Tally, issuance: bigint): number {
  return fromRational(tally.support, issuance);
}

/** Whether a tally passes the track's curves at block `now` of a decision begun at `since`. */
export function isPassing(track: TrackInfo, tally: Tally, issuance: bigint, since: number, now: number): boolean {
  const x = elapsed(now, since, track.decision_period);
  return support(tally, issuance) >= threshold(track.min_support, x) && approval(tally) >= threshold(track.min_approval, x);
}

/**
 * The first block at or after `from` at which the tally, as it stands, passes both curves of a
 * decision begun at `since`; `undefined` when it never does before the decision period ends.
 */
export function confirmStart(
  track: TrackInfo,
  tally: Tally,
  issuance: bigint,
  since: number,
  from: number,
): number | undefined {
  const end = since + track.decision_period;
  // Curves only fall, so a binary search over the (monotone) passing predicate is exact.
  let lo = Math.max(from, since);
  if (lo > end) return undefined;
  if (isPassing(track, tally, issuance, since, lo)) return lo;
  if (!isPassing(track, tally, issuance, since, end)) return undefined;
  let hi = end;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (isPassing(track, tally, issuance, since, mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Points of a curve over the decision period: (block offset, Perbill). */
export function curvePoints(curve: Curve, period: number, points = 100): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i <= points; i++) {
    const block = Math.round((period * i) / points);
    out.push([block, threshold(curve, elapsed(block, 0, period))]);
  }
  return out;
}

/** Conviction: index 0 (0.1×, no lock) to 6 (6×, locked 32 periods). */
export const CONVICTIONS = [
  { name: "None", multiplier: 0.1, periods: 0 },
  { name: "Locked1x", multiplier: 1, periods: 1 },
  { name: "Locked2x", multiplier: 2, periods: 2 },
  { name: "Locked3x", multiplier: 3, periods: 4 },
  { name: "Locked4x", multiplier: 4, periods: 8 },
  { name: "Locked5x", multiplier: 5, periods: 16 },
  { name: "Locked6x", multiplier: 6, periods: 32 },
] as const;

export type ConvictionName = (typeof CONVICTIONS)[number]["name"];

/** The `Vote` byte of a standard vote: the aye bit (0x80) with the conviction's index. */
export function voteByte(aye: boolean, conviction: number): number {
  return (aye ? 0x80 : 0) | conviction;
}

/** A standard vote's byte read back. */
export function readVote(byte: number): { aye: boolean; conviction: number } {
  return { aye: (byte & 0x80) !== 0, conviction: byte & 0x7f };
}

/** Conviction-weighted votes: `balance × multiplier` (0.1× is `balance / 10`). */
export function weighted(balance: bigint, conviction: number): bigint {
  return conviction === 0 ? balance / 10n : balance * BigInt(conviction);
}

export type Phase =
  | "preparing"
  | "queued"
  | "deciding"
  | "confirming"
  | "approved"
  | "rejected"
  | "timed out"
  | "cancelled"
  | "killed";

export interface OngoingStatus {
  track: number;
  submitted: number;
  decision_deposit?: { who: string; amount: bigint } | undefined;
  deciding?: { since: number; confirming?: number | undefined } | undefined;
  in_queue: boolean;
  tally: Tally;
}

/** The phase of an ongoing referendum and the block at which that phase ends (if it is known). */
export function ongoingPhase(
  status: OngoingStatus,
  track: TrackInfo,
  undecidingTimeout: number,
): { phase: Phase; endsAt: number; ending: string } {
  if (!status.deciding) {
    if (!status.decision_deposit)
      return { phase: "preparing", endsAt: status.submitted + undecidingTimeout, ending: "times out without a decision deposit" };
    if (status.in_queue) return { phase: "queued", endsAt: status.submitted + undecidingTimeout, ending: "times out if still queued" };
    return { phase: "preparing", endsAt: status.submitted + track.prepare_period, ending: "decision begins" };
  }
  if (status.deciding.confirming !== undefined)
    return { phase: "confirming", endsAt: status.deciding.confirming, ending: "approved if still passing" };
  return { phase: "deciding", endsAt: status.deciding.since + track.decision_period, ending: "rejected unless confirming" };
}
