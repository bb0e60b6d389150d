import { expect } from "chai";
import {
  FEATURE_NAMES,
  type FlowInputs,
  flowFeatures,
  GAP_EDGE_BPS,
  recentMarket,
  signedMoneyness,
  userDirection,
} from "../../../solver/flow/features.js";
import { expectClose } from "../../support/approx.js";
import { NEUTRAL_REQUEST } from "../../support/flow.js";

const neutral: FlowInputs = NEUTRAL_REQUEST;
const feature = (x: FlowInputs, name: string) => flowFeatures(x)[FEATURE_NAMES.indexOf(name)]!;

describe("flow features", () => {
  it("has one value per name", () => {
    expect(flowFeatures(neutral)).to.have.length(FEATURE_NAMES.length);
    expect(new Set(FEATURE_NAMES).size).to.equal(FEATURE_NAMES.length);
  });

  it("takes the user's delta direction: +1 buying a call or selling a put, −1 buying a put or selling a call", () => {
    expect(userDirection({ isCall: true, userBuys: true })).to.equal(1);
    expect(userDirection({ isCall: false, userBuys: false })).to.equal(1);
    expect(userDirection({ isCall: false, userBuys: true })).to.equal(-1);
    expect(userDirection({ isCall: true, userBuys: false })).to.equal(-1);
  });

  it("signs the gap by the user's direction: buying a call while the reference is above the oracle is positive", () => {
    const above = { ...neutral, oracleGapBps: 40 };
    expect(feature(above, "directionXGap")).to.equal(0.4);
    expect(feature({ ...above, isCall: false }, "directionXGap")).to.equal(-0.4);
    expect(feature({ ...above, isCall: false, userBuys: false }, "directionXGap")).to.equal(0.4);
    expect(feature({ ...above, oracleGapBps: -40 }, "directionXGap")).to.equal(-0.4);
  });

  it("flags a trade with a gap of the edge or more, and only then fills its products with the shape", () => {
    expect(feature({ ...neutral, oracleGapBps: GAP_EDGE_BPS }, "gapWith")).to.equal(1);
    expect(feature({ ...neutral, oracleGapBps: GAP_EDGE_BPS - 0.1 }, "gapWith")).to.equal(0);
    expect(feature({ ...neutral, oracleGapBps: -50 }, "gapWith")).to.equal(0);
    expect(feature({ ...neutral, oracleGapBps: -50, isCall: false }, "gapWith")).to.equal(1);
    for (const name of FEATURE_NAMES.filter((n) => n.startsWith("gapWithX"))) {
      expect(feature({ ...neutral, oracleGapBps: -50 }, name), name).to.equal(0);
    }
    expectClose(
      feature({ ...neutral, oracleGapBps: 50, amount: 20 }, "gapWithXLogSize"),
      Math.log(20) - 1,
      1e-12,
      "value",
    );
  });

  it("signs the recent move by the user's direction: buying a put after a fall is with the move", () => {
    expect(feature({ ...neutral, isCall: false, recentReturnBps: -80 }, "directionXReturn")).to.equal(0.8);
    expect(feature({ ...neutral, recentReturnBps: -80 }, "directionXReturn")).to.equal(-0.8);
  });

  it("measures moneyness out of the money positive for calls and puts", () => {
    expectClose(signedMoneyness({ strike: 3300, spot: 3000, isCall: true }), Math.log(1.1), 1e-12, "value");
    expectClose(signedMoneyness({ strike: 2700, spot: 3000, isCall: false }), Math.log(3000 / 2700), 1e-12, "value");
    expect(signedMoneyness({ strike: 2700, spot: 3000, isCall: true })).to.be.lessThan(0);
    expectClose(
      feature({ ...neutral, strike: 2700, isCall: true }, "absMoneyness"),
      Math.log(3000 / 2700),
      1e-12,
      "value",
    );
  });

  it("keeps an expiring series finite and refuses nonsense inputs", () => {
    expect(flowFeatures({ ...neutral, tenorYears: 0 }).every(Number.isFinite)).to.equal(true);
    expect(() => flowFeatures({ ...neutral, amount: 0 })).to.throw(RangeError);
    expect(() => flowFeatures({ ...neutral, spot: Number.NaN })).to.throw(RangeError);
    expect(() => flowFeatures({ ...neutral, oracleGapBps: Number.POSITIVE_INFINITY })).to.throw(RangeError);
  });

  it("reads the last hour's return and realized vol from reference samples", () => {
    // Alternating ±1% every 5 minutes: realized vol = 1% × sqrt(steps per year).
    const samples = Array.from({ length: 13 }, (_, i) => ({ time: i * 300, price: i % 2 === 0 ? 3000 : 3030 }));
    const m = recentMarket(samples);
    expect(m.recentReturnBps).to.equal(0);
    expectClose(m.realizedVol, Math.log(1.01) * Math.sqrt(365 * 288), 1e-9, "value");
    const up = recentMarket([...samples.slice(0, 12), { time: 3600, price: 3060 }]);
    expectClose(up.recentReturnBps, 200, 1e-9, "value");
    // Older samples fall out of the window; too little history is unknown (0).
    expect(
      recentMarket([{ time: 0, price: 1 }, ...samples.map((s) => ({ ...s, time: s.time + 600 }))]).recentReturnBps,
    ).to.equal(0);
    expect(recentMarket(samples.slice(0, 5))).to.deep.equal({ recentReturnBps: 0, realizedVol: 0 });
    expect(recentMarket([])).to.deep.equal({ recentReturnBps: 0, realizedVol: 0 });
  });
});
