import { readFileSync } from "node:fs";
import { expect } from "chai";
import { network } from "hardhat";
import { fromWad, toWad } from "../../../solver/math/wad.js";
import { blackScholes } from "../../../solver/pricing/blackScholes.js";
import { expectClose } from "../../support/approx.js";

interface Vector {
  spot: number;
  strike: number;
  years: number;
  vol: number;
  rate: number;
  expected: { call: number; put: number; callDelta: number; vega: number };
}

/** Independent mpmath reference (scripts/reference/black_scholes_vectors.py). */
const vectors: Vector[] = JSON.parse(
  readFileSync(new URL("../../vectors/black-scholes.json", import.meta.url), "utf8"),
);

const { viem } = await network.create();

describe("BlackScholes (Solidity) against the independent reference", () => {
  it("prices within 1e-9 x spot and delta within 1e-9 over the whole domain, under 15,000 gas", async () => {
    const harness = await viem.deployContract("BlackScholesHarness");
    let worstPrice = 0;
    let worstDelta = 0;
    let maxGas = 0n;
    for (const v of vectors) {
      const [g, gas] = await harness.read.greeks([
        toWad(v.spot),
        toWad(v.strike),
        toWad(v.years),
        toWad(v.vol),
        toWad(v.rate),
      ]);
      worstPrice = Math.max(
        worstPrice,
        Math.abs(fromWad(g.call) - v.expected.call) / v.spot,
        Math.abs(fromWad(g.put) - v.expected.put) / v.spot,
      );
      worstDelta = Math.max(worstDelta, Math.abs(fromWad(g.callDelta) - v.expected.callDelta));
      expect(Math.abs(fromWad(g.vega) - v.expected.vega) / v.spot).to.be.lessThan(1e-9);
      if (gas > maxGas) maxGas = gas;
    }
    expect(vectors.length).to.equal(500);
    expect(worstPrice).to.be.lessThan(1e-9);
    expect(worstDelta).to.be.lessThan(1e-9);
    expect(maxGas).to.be.lessThanOrEqual(15_000n);
  });
});

describe("blackScholes (TypeScript twin) against the same reference", () => {
  it("prices within 1e-9 x spot and delta within 1e-9", () => {
    for (const v of vectors) {
      const g = blackScholes(v);
      expect(Math.abs(g.call - v.expected.call) / v.spot).to.be.lessThan(1e-9);
      expect(Math.abs(g.put - v.expected.put) / v.spot).to.be.lessThan(1e-9);
      expect(Math.abs(g.callDelta - v.expected.callDelta)).to.be.lessThan(1e-9);
      expect(Math.abs(g.vega - v.expected.vega) / v.spot).to.be.lessThan(1e-9);
    }
  });

  it("has gamma and theta consistent with finite differences", () => {
    const base = { spot: 3000, strike: 3100, years: 0.25, vol: 0.7, rate: 0.04 };
    const g = blackScholes(base);
    const h = 0.01;
    const up = blackScholes({ ...base, spot: base.spot + h });
    const down = blackScholes({ ...base, spot: base.spot - h });
    expectClose((up.callDelta - down.callDelta) / (2 * h), g.gamma, 1e-8, "gamma");
    const dt = 1e-6;
    const later = blackScholes({ ...base, years: base.years - dt });
    expectClose((later.call - g.call) / dt, g.callTheta, 1e-3, "call theta");
    expectClose((later.put - g.put) / dt, g.putTheta, 1e-3, "put theta");
  });

  it("throws a RangeError on invalid input", () => {
    expect(() => blackScholes({ spot: 0, strike: 1, years: 1, vol: 1, rate: 0 })).to.throw(RangeError);
    expect(() => blackScholes({ spot: 1, strike: Number.NaN, years: 1, vol: 1, rate: 0 })).to.throw(RangeError);
    expect(() => blackScholes({ spot: 1, strike: 1, years: -1, vol: 1, rate: 0 })).to.throw(RangeError);
  });
});
