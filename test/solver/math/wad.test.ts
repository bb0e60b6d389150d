import { expect } from "chai";
import { decimalToFixed, fromWad, toWad } from "../../../solver/math/wad.js";

describe("wad", () => {
  it("converts a number's shortest decimal form exactly", () => {
    expect(toWad(0.1)).to.equal(100_000_000_000_000_000n);
    expect(toWad(3000)).to.equal(3000n * 10n ** 18n);
    expect(toWad(1e-7)).to.equal(100_000_000_000n);
    expect(toWad(1.5e21)).to.equal(1_500_000_000_000_000_000_000n * 10n ** 18n);
    expect(toWad(0.000114155251142)).to.equal(114_155_251_142_000n);
  });

  it("truncates digits past the 18th decimal", () => {
    expect(toWad(1e-19)).to.equal(0n);
    expect(decimalToFixed("1.23456789", 6)).to.equal(1_234_567n);
  });

  it("rejects negative, non-finite and malformed input with a RangeError", () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => toWad(bad)).to.throw(RangeError);
    expect(() => decimalToFixed("1.2.3", 18)).to.throw(RangeError);
    expect(() => decimalToFixed("0x10", 18)).to.throw(RangeError);
  });

  it("converts back to a float for reporting", () => {
    expect(fromWad(1_500_000_000_000_000_000n)).to.equal(1.5);
    expect(fromWad(-500_000_000_000_000_000n)).to.equal(-0.5);
  });
});
