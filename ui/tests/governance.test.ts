import { describe, expect, it } from "vitest";
import { CLD, formatCld, parseCld, parsePercent } from "../src/format";
import { approval, confirmStart, elapsed, fromRational, isPassing, ongoingPhase, readVote, support, threshold, voteByte, type TrackInfo } from "../src/governance";
import { priceAt, scalar } from "../src/jobs";

const pct = (x: number) => x * 10_000_000;
const linear = (ceil: number, floor: number) => ({ type: "LinearDecreasing" as const, value: { length: pct(100), floor: pct(floor), ceil: pct(ceil) } });
const track: TrackInfo = {
  name: "economic_params",
  max_deciding: 10,
  decision_deposit: 1000n * CLD,
  prepare_period: 1,
  decision_period: 70,
  confirm_period: 10,
  min_enactment_period: 10,
  min_approval: linear(100, 50),
  min_support: linear(20, 2),
};

describe("curves (pallet-referenda Curve::threshold)", () => {
  it("falls linearly from ceil to floor", () => {
    expect(threshold(track.min_approval, 0)).toBe(pct(100));
    expect(threshold(track.min_approval, pct(50))).toBe(pct(75));
    expect(threshold(track.min_approval, pct(100))).toBe(pct(50));
    expect(threshold(track.min_support, pct(100))).toBe(pct(2));
  });
  it("stepped and reciprocal curves", () => {
    const stepped = { type: "SteppedDecreasing" as const, value: { begin: pct(80), end: pct(30), step: pct(10), period: pct(20) } };
    expect(threshold(stepped, 0)).toBe(pct(80));
    expect(threshold(stepped, pct(45))).toBe(pct(60));
    expect(threshold(stepped, pct(100))).toBe(pct(30));
    // factor / (x + x_offset) + y_offset, in FixedI64 (10⁹): 0.1 / (0 + 0.2) + 0 = 50%.
    const reciprocal = { type: "Reciprocal" as const, value: { factor: 100_000_000n, x_offset: 200_000_000n, y_offset: 0n } };
    expect(threshold(reciprocal, 0)).toBe(pct(50));
  });
  it("elapsed is a share of the decision period, capped at 100%", () => {
    expect(elapsed(35, 0, 70)).toBe(pct(50));
    expect(elapsed(700, 0, 70)).toBe(pct(100));
    expect(fromRational(1n, 3n)).toBe(333_333_333);
  });
});

describe("tally", () => {
  const issuance = 1000n * CLD;
  it("approval and support", () => {
    const tally = { ayes: 300n * CLD, nays: 100n * CLD, support: 110n * CLD };
    expect(approval(tally)).toBe(pct(75));
    expect(support(tally, issuance)).toBe(pct(11));
  });
  it("confirmation starts when the falling support curve meets the support", () => {
    // All ayes (approval 100%), 11% support: 20% − 18%·x ≤ 11% from x = 50%, block 35 of 70.
    const tally = { ayes: 110n * CLD, nays: 0n, support: 110n * CLD };
    expect(isPassing(track, tally, issuance, 100, 134)).toBe(false);
    expect(isPassing(track, tally, issuance, 100, 135)).toBe(true);
    expect(confirmStart(track, tally, issuance, 100, 101)).toBe(135);
    expect(confirmStart(track, tally, issuance, 100, 150)).toBe(150);
    // 1% support never reaches the 2% floor.
    expect(confirmStart(track, { ayes: 10n * CLD, nays: 0n, support: 10n * CLD }, issuance, 100, 100)).toBeUndefined();
  });
  it("phases and the blocks they end", () => {
    const base = { track: 10, submitted: 10, in_queue: false, tally: { ayes: 0n, nays: 0n, support: 0n } };
    expect(ongoingPhase(base, track, 140)).toMatchObject({ phase: "preparing", endsAt: 150 });
    const deposit = { who: "x", amount: 1n };
    expect(ongoingPhase({ ...base, decision_deposit: deposit }, track, 140)).toMatchObject({ phase: "preparing", endsAt: 11 });
    expect(ongoingPhase({ ...base, decision_deposit: deposit, deciding: { since: 11 } }, track, 140)).toMatchObject({ phase: "deciding", endsAt: 81 });
    expect(ongoingPhase({ ...base, decision_deposit: deposit, deciding: { since: 11, confirming: 40 } }, track, 140)).toMatchObject({
      phase: "confirming",
      endsAt: 40,
    });
  });
  it("vote bytes", () => {
    expect(voteByte(true, 1)).toBe(0x81);
    expect(readVote(0x06)).toEqual({ aye: false, conviction: 6 });
  });
});

describe("units", () => {
  it("parses and formats CLD (12 decimals)", () => {
    expect(parseCld("1.5")).toBe(1_500_000_000_000n);
    expect(parseCld("1,000")).toBe(1000n * CLD);
    expect(() => parseCld("1.0000000000001")).toThrow(/at most 12 decimals/);
    expect(() => parseCld("-3")).toThrow(/not an amount/);
    expect(formatCld(1_234_500_000_000_000n)).toBe("1,234.5 CLD");
  });
  it("parses percentages into Perbill", () => {
    expect(parsePercent("12.5%")).toBe(125_000_000);
    expect(() => parsePercent("101")).toThrow(/between 0% and 100%/);
  });
  it("reads job outputs and prices", () => {
    expect(scalar("0x" + "00".repeat(31) + "1c")).toBe(28n);
    expect(scalar("0x01" + "00".repeat(31))).toBeUndefined();
    const terms = { min_price: 5n * CLD, max_price: 20n * CLD, ramp_blocks: 10, lock_timeout: 1, proof_timeout: 1, collateral: 0n };
    expect(priceAt(terms, 0)).toBe(5n * CLD);
    expect(priceAt(terms, 5)).toBe(12_500_000_000_000n);
    expect(priceAt(terms, 99)).toBe(20n * CLD);
    // Perbill(666_666_666) × 1 rounds to the nearest, as Substrate's `Perbill * N` does.
    expect(priceAt({ min_price: 0n, max_price: 1n, ramp_blocks: 3 }, 2)).toBe(1n);
    expect(priceAt({ min_price: 0n, max_price: 1n, ramp_blocks: 3 }, 1)).toBe(0n);
  });
});
