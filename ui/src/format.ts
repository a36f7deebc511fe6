// Units as the chain has them: balances in base units (12 decimals: 1 CLD = 10¹² base units),
// shares as Perbill (parts per billion), periods in blocks.

export const DECIMALS = 12;
export const CLD = 10n ** BigInt(DECIMALS);
export const PERBILL = 1_000_000_000;

/** A balance in base units as CLD, with up to `digits` decimals and thousands separators. */
export function formatCld(base: bigint, digits = 4): string {
  const negative = base < 0n;
  const abs = negative ? -base : base;
  const whole = abs / CLD;
  const fraction = (abs % CLD).toString().padStart(DECIMALS, "0").slice(0, digits).replace(/0+$/, "");
  const text = whole.toLocaleString("en-US") + (fraction ? "." + fraction : "");
  return `${negative ? "−" : ""}${text} CLD`;
}

/** Parses CLD as a user types it ("12", "0.5", "1,000") into base units; throws a readable error. */
export function parseCld(text: string): bigint {
  const clean = text.trim().replace(/,/g, "").replace(/\s*CLD$/i, "");
  const match = /^(\d+)(?:\.(\d*))?$/.exec(clean);
  if (!match) throw new Error(`"${text}" is not an amount of CLD (e.g. 12 or 0.5)`);
  const fraction = match[2] ?? "";
  if (fraction.length > DECIMALS) throw new Error(`"${text}": CLD has at most ${DECIMALS} decimals`);
  return BigInt(match[1]) * CLD + BigInt(fraction.padEnd(DECIMALS, "0") || "0");
}

/** A Perbill (parts per billion) as a percentage. */
export function formatPerbill(parts: number, digits = 2): string {
  return `${((parts / PERBILL) * 100).toFixed(digits)}%`;
}

/** Parses a percentage ("12", "12.5%") into a Perbill; throws a readable error. */
export function parsePercent(text: string): number {
  const value = Number(text.trim().replace(/%$/, ""));
  if (!Number.isFinite(value) || text.trim() === "") throw new Error(`"${text}" is not a percentage`);
  if (value < 0 || value > 100) throw new Error(`${value}% is not between 0% and 100%`);
  return Math.round(value * 10_000_000);
}

/** Parses a whole number within [0, max]; throws a readable error. */
export function parseWhole(text: string, max: number): number {
  if (!/^\d+$/.test(text.trim())) throw new Error(`"${text}" is not a whole number`);
  const value = Number(text.trim());
  if (value > max) throw new Error(`${value} is above the largest value, ${max}`);
  return value;
}

/** A number of blocks as an approximate duration, given the block time in milliseconds. */
export function formatBlocks(blocks: number, blockMs: number): string {
  const seconds = Math.round((blocks * blockMs) / 1000);
  const units: Array<[number, string]> = [
    [86_400, "d"],
    [3_600, "h"],
    [60, "min"],
    [1, "s"],
  ];
  const parts: string[] = [];
  let rest = seconds;
  for (const [size, name] of units) {
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)} ${name}`);
      rest %= size;
    }
  }
  return `${blocks.toLocaleString("en-US")} block${blocks === 1 ? "" : "s"} (≈ ${parts.join(" ") || "0 s"})`;
}

/** An address shortened for tables: the first and last 6 characters. */
export function short(address: string): string {
  return address.length > 16 ? `${address.slice(0, 6)}…${address.slice(-6)}` : address;
}

/** Plain data (bigints, byte arrays, enums) as readable JSON. */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v) => {
      if (typeof v === "bigint") return v.toString();
      if (v instanceof Uint8Array) return "0x" + Array.from(v, (b) => b.toString(16).padStart(2, "0")).join("");
      return v;
    },
    2,
  );
}

/** Bytes as 0x-hex. */
export function toHex(bytes: Uint8Array): string {
  return "0x" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** 0x-hex as bytes; throws a readable error. */
export function fromHex(text: string): Uint8Array {
  const clean = text.trim().replace(/^0x/i, "");
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) throw new Error("not hex: expected 0x followed by pairs of hex digits");
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}
