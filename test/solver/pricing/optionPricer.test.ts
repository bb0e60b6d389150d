import { expect } from "chai";
import { decodeSeriesId, encodeSeriesId } from "../../../solver/domain/seriesId.js";
import { valueOption, valuerAt } from "../../../solver/pricing/optionPricer.js";

import { VolSurface } from "../../../solver/pricing/volSurface.js";

const units = { underlyingDecimals: 18, quoteDecimals: 6 };
const now = 1_800_000_000;
const id = encodeSeriesId({ pairId: 1, strike: 3000n * 10n ** 6n, expiry: now + 30 * 86_400, isCall: true });
const terms = decodeSeriesId(id);
const valueAt = (t: typeof terms, spot: number, at: number, surface: VolSurface, rate: number, u: typeof units) =>
  valuerAt(spot, at, surface, rate, u)(id, t);

describe("valuerAt", () => {
  it("equals valueOption and is reused at the same market state", () => {
    const surface = new VolSurface({ atmVol: 0.8, skew: -0.1, curvature: 0.2 });
    const a = valueAt(terms, 3000, now, surface, 0.05, units);
    expect(a).to.deep.equal(valueOption(terms, 3000, now, surface, 0.05, units));
    expect(valueAt(terms, 3000, now, surface, 0.05, units)).to.equal(a);
  });

  it("revalues when spot, time, rate or the surface change", () => {
    const surface = new VolSurface({ atmVol: 0.8, skew: 0, curvature: 0 });
    const base = valueAt(terms, 3000, now, surface, 0.05, units);
    for (const [spot, t, rate] of [
      [3001, now, 0.05],
      [3000, now + 1, 0.05],
      [3000, now, 0.04],
    ] as const) {
      const v = valueAt(terms, spot, t, surface, rate, units);
      expect(v).to.deep.equal(valueOption(terms, spot, t, surface, rate, units));
      expect(v.value).to.not.equal(base.value);
    }
    const before = valueAt(terms, 3000, now, surface, 0.05, units);
    surface.set(terms.expiry, { atmVol: 1.2, skew: 0, curvature: 0 });
    const after = valueAt(terms, 3000, now, surface, 0.05, units);
    expect(Math.abs(after.vol - 1.2)).to.be.lessThan(1e-12);
    expect(after.value).to.be.greaterThan(before.value);
  });
});
