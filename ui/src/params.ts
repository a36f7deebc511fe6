// The runtime parameters (docs/economics.md; runtime/src/configs/economics.rs): what each
// value means, so that the app reads and writes them in the units people use. The value types
// come from the metadata (a Balance is a bigint, a Perbill or a block count a number); the
// unit of a number is named here. `params.test.ts` checks this table against the committed
// metadata: every parameter has a unit, and the unit fits its type.

import { CLD, formatBlocks, formatCld, formatPerbill, parseCld, parsePercent, parseWhole } from "./format";

export type Unit = "cld" | "percent" | "blocks" | "points" | "count" | "divisor" | "chain";

export const PARAMETER_UNITS: Record<string, Unit> = {
  FeeRate: "percent",
  DiamondFeeRate: "percent",
  CancellationFee: "percent",
  ExpiryFee: "percent",
  MinimumStake: "cld",
  StakeTier1Price: "cld",
  StakeTier2Price: "cld",
  StakeTier3Price: "cld",
  Stake0: "cld",
  Stake1: "cld",
  Stake2: "cld",
  Stake3: "cld",
  StakeLockPeriod: "blocks",
  UnbondingPeriod: "blocks",
  MaxLockTimeout: "blocks",
  MaxProofTimeout: "blocks",
  SilverFrom: "points",
  GoldFrom: "points",
  DiamondFrom: "points",
  BronzePriceLimit: "cld",
  SilverPriceLimit: "cld",
  GoldPriceLimit: "cld",
  SuccessBonus: "points",
  FiveStarBonus: "points",
  TimeoutPenalty: "points",
  InvalidProofPenalty: "points",
  FailurePenalty: "points",
  DisputeLostPenalty: "points",
  TimeoutSlash: "percent",
  InvalidProofSlash: "percent",
  RepeatedFailuresSlash: "percent",
  FraudSlash: "percent",
  FailureWindow: "blocks",
  RepeatedFailuresSuspension: "blocks",
  OffenceSuspension: "blocks",
  SlashDeferDuration: "blocks",
  InsuranceShare: "percent",
  MinProofTimeout: "blocks",
  RetentionPeriod: "blocks",
  JobDepositBase: "cld",
  JobDepositPerByte: "cld",
  CreditMinPrice: "cld",
  MaxCreditsPerPair: "count",
  SlashingSpan: "blocks",
  DisputeBond: "cld",
  AppealBond: "cld",
  FraudVictimShare: "percent",
  TimeDivisor: "divisor",
  ChainId: "chain",
  MinTransfer: "cld",
};

/** What a unit is called next to an input. */
export const UNIT_LABEL: Record<Unit, string> = {
  cld: "CLD",
  percent: "%",
  blocks: "blocks",
  points: "points",
  count: "",
  divisor: "× faster",
  chain: "(Wormhole chain id)",
};

/** The largest value of each integer unit (u32 blocks and counts, u16 points and chain ids). */
const MAX: Record<Unit, number> = { cld: 0, percent: 0, blocks: 4_294_967_295, points: 65_535, count: 4_294_967_295, divisor: 4_294_967_295, chain: 65_535 };

/** A parameter's value for reading. */
export function formatParameter(name: string, value: bigint | number, blockMs: number): string {
  const unit = PARAMETER_UNITS[name];
  if (typeof value === "bigint") return formatCld(value, 6);
  switch (unit) {
    case "percent":
      return formatPerbill(value, 2);
    case "blocks":
      return formatBlocks(value, blockMs);
    case "points":
      return `${value} points`;
    case "divisor":
      return `÷ ${value}`;
    case "chain":
      return `Wormhole chain ${value}`;
    default:
      return String(value);
  }
}

/** A parameter's value for an input field (CLD, percent or a whole number). */
export function parameterInput(name: string, value: bigint | number): string {
  if (typeof value === "bigint") return formatCld(value, 12).replace(/ CLD$/, "").replace(/,/g, "");
  return PARAMETER_UNITS[name] === "percent" ? String(value / 10_000_000) : String(value);
}

/** Parses what the user typed for parameter `name` into its on-chain value; throws a readable error. */
export function parseParameter(name: string, text: string): bigint | number {
  const unit = PARAMETER_UNITS[name];
  if (!unit) throw new Error(`no parameter ${name}`);
  switch (unit) {
    case "cld":
      return parseCld(text);
    case "percent":
      return parsePercent(text);
    default:
      return parseWhole(text, MAX[unit]);
  }
}

export { CLD };
