import { expect } from "chai";
import { SegmentMarkouts, segmentOf } from "../../../solver/flow/segments.js";
import { expectClose } from "../../support/approx.js";

const at = (over: Partial<Parameters<typeof segmentOf>[0]>) =>
  segmentOf({ amount: 3, strike: 3000, spot: 3000, tenorYears: 7 / 365, isCall: true, ...over });

describe("flow segments", () => {
  it("buckets size at 5 and 20 options, upper bounds included", () => {
    expect(at({ amount: 5 })).to.equal("small/atm/week");
    expect(at({ amount: 5.01 })).to.equal("medium/atm/week");
    expect(at({ amount: 20 })).to.equal("medium/atm/week");
    expect(at({ amount: 21 })).to.equal("large/atm/week");
  });

  it("buckets moneyness out of the money positive at −3.5%, 3.5% and 12%", () => {
    const strike = (m: number) => 3000 * Math.exp(m);
    expect(at({ strike: strike(0.0349) })).to.equal("small/atm/week");
    expect(at({ strike: strike(0.036) })).to.equal("small/otm/week");
    expect(at({ strike: strike(0.1199) })).to.equal("small/otm/week");
    expect(at({ strike: strike(0.121) })).to.equal("small/wing/week");
    expect(at({ strike: strike(-0.0351) })).to.equal("small/itm/week");
    expect(at({ strike: strike(-0.0349) })).to.equal("small/atm/week");
    // A put below spot is out of the money.
    expect(at({ strike: 2600, isCall: false })).to.equal("small/wing/week");
    expect(at({ strike: 2600, isCall: true })).to.equal("small/itm/week");
  });

  it("buckets tenor at 10 and 45 days, upper bounds included", () => {
    expect(at({ tenorYears: 10 / 365 })).to.equal("small/atm/week");
    expect(at({ tenorYears: 10.01 / 365 })).to.equal("small/atm/month");
    expect(at({ tenorYears: 45 / 365 })).to.equal("small/atm/month");
    expect(at({ tenorYears: 46 / 365 })).to.equal("small/atm/long");
  });
});

describe("segment markouts (EWMA)", () => {
  it("starts a segment at its first markout and moves alpha of the way to each next one", () => {
    const m = new SegmentMarkouts(0.1);
    expect(m.mean("small/atm/week")).to.equal(0);
    m.record("small/atm/week", -50);
    expect(m.mean("small/atm/week")).to.equal(-50);
    m.record("small/atm/week", 50);
    expectClose(m.mean("small/atm/week"), -40, 1e-12, "value");
    m.record("large/otm/month", 7);
    expect(m.snapshot()).to.deep.equal([
      { segment: "large/otm/month", meanBps: 7, fills: 1 },
      { segment: "small/atm/week", meanBps: m.mean("small/atm/week"), fills: 2 },
    ]);
  });

  it("refuses an alpha outside (0, 1] and a non-finite markout", () => {
    expect(() => new SegmentMarkouts(0)).to.throw(RangeError);
    expect(() => new SegmentMarkouts(1.5)).to.throw(RangeError);
    expect(() => new SegmentMarkouts(1).record("x", Number.NaN)).to.throw(RangeError);
  });
});
