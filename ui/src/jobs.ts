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
  // Perbill::from_rational(elapsed, ramp) (rounding down), times the spread.
  const progress = (BigInt(elapsed) * 1_000_000_000n) / BigInt(terms.ramp_blocks);
  return terms.min_price + ((terms.max_price - terms.min_price) * progress) / 1_000_000_000n;
}

