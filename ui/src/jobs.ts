// Reading jobs as pallet-jobs and the client do (pallets/jobs/src/lib.rs `price_at`;
// client/src/lib.rs `scalar_to_u128`).

export interface Terms {
  min_price: bigint;
  max_price: bigint;
  ramp_blocks: number;
}

/** A 32-byte scalar (big-endian hex) as an integer, if it fits in 128 bits (counts do). */
export function scalar(hex: string): bigint | undefined {
  const clean = hex.replace(/^0x/, "");
  if (/[^0]/.test(clean.slice(0, 32))) return undefined;
  return BigInt("0x" + (clean.slice(32) || "0"));
}

/** The price of a job `elapsed` blocks after submission: min → max linearly over the ramp (pallet-jobs `price_at`). */
export function priceAt(terms: Terms, elapsed: number): bigint {
  if (elapsed >= terms.ramp_blocks || terms.ramp_blocks === 0) return terms.max_price;
  // Perbill::from_rational(elapsed, ramp) (rounding down), times the spread as `Perbill * N`
  // does it: to the nearest, ties down.
  const progress = (BigInt(elapsed) * 1_000_000_000n) / BigInt(terms.ramp_blocks);
  const product = (terms.max_price - terms.min_price) * progress;
  const rounded = product / 1_000_000_000n + (product % 1_000_000_000n > 500_000_000n ? 1n : 0n);
  return terms.min_price + rounded;
}

/** A job or grid slot (`WorkId`) in words: "job #3", "grid #1 slot 2". */
export function workText(work: { type: "Job"; value: bigint } | { type: "Slot"; value: [bigint, number] }): string {
  return work.type === "Job" ? `job #${work.value}` : `grid #${work.value[0]} slot ${work.value[1]}`;
}

/** A prover's state in words. */
export function proverState(prover: { banned: boolean; suspended_until?: number | undefined; chilled: boolean }): string {
  if (prover.banned) return "banned";
  if (prover.suspended_until !== undefined) return `suspended until block #${prover.suspended_until}`;
  return prover.chilled ? "chilled" : "active";
}

