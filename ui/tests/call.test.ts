import { describe, expect, it } from "vitest";
import { describeCall, readParameterSetting } from "../src/call";
import { CLD } from "../src/format";
import { formatParameter, parameterInput, parseParameter } from "../src/params";

const setting = (name: string, value: bigint | number | undefined) => ({ type: "Economics", value: { type: name, value: [value] } });

describe("proposals in words", () => {
  it("parameter changes in the parameter's unit", () => {
    expect(readParameterSetting(setting("DisputeBond", 40n * CLD))).toEqual(["Economics", "DisputeBond", 40n * CLD]);
    const call = (name: string, value: bigint | number | undefined) => ({
      pallet: "Economics",
      name: "set_parameter",
      input: { key_value: setting(name, value) },
    });
    expect(describeCall(call("DisputeBond", 40n * CLD), 6000)).toBe("Set Economics parameter DisputeBond to 40 CLD");
    expect(describeCall(call("FeeRate", 120_000_000), 6000)).toBe("Set Economics parameter FeeRate to 12.00%");
    expect(describeCall(call("SlashDeferDuration", 28_800), 6000)).toBe("Set Economics parameter SlashDeferDuration to 28,800 blocks (≈ 2 d)");
    expect(describeCall(call("FeeRate", undefined), 6000)).toBe("Reset Economics parameter FeeRate to its default");
  });
  it("spends, slash cancellations, rulings and others", () => {
    expect(describeCall({ pallet: "InsurancePool", name: "spend", input: { amount: 5n * CLD, beneficiary: "5Grw" } }, 6000)).toBe(
      "Pay 5 CLD from the insurance pool to 5Grw",
    );
    expect(describeCall({ pallet: "Slashing", name: "cancel_deferred_slash", input: { slash: 3n } }, 6000)).toBe("Cancel pending slash #3");
    expect(describeCall({ pallet: "Disputes", name: "rule", input: { dispute: 0n, upheld: true } }, 6000)).toBe("Rule on dispute #0: uphold the claim");
    expect(describeCall({ pallet: "System", name: "remark_with_event", input: { remark: new Uint8Array([1]) } }, 6000)).toBe(
      'System.remark_with_event({ "remark": "0x01" })',
    );
  });
});

describe("parameter inputs", () => {
  it("round-trips each unit", () => {
    expect(parseParameter("DisputeBond", parameterInput("DisputeBond", 50n * CLD))).toBe(50n * CLD);
    expect(parseParameter("FeeRate", parameterInput("FeeRate", 100_000_000))).toBe(100_000_000);
    expect(parseParameter("UnbondingPeriod", "201600")).toBe(201_600);
    expect(formatParameter("GoldFrom", 600, 6000)).toBe("600 points");
  });
  it("refuses what does not fit", () => {
    expect(() => parseParameter("SilverFrom", "70000")).toThrow(/above the largest value, 65535/);
    expect(() => parseParameter("UnbondingPeriod", "1.5")).toThrow(/not a whole number/);
    expect(() => parseParameter("FeeRate", "120")).toThrow(/between 0% and 100%/);
    expect(() => parseParameter("NoSuch", "1")).toThrow(/no parameter NoSuch/);
  });
});
