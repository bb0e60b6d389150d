import { expect } from "chai";
import { auc, brier, expectedCalibrationError, reliability } from "../../../solver/flow/metrics.js";
import { expectClose } from "../../support/approx.js";

describe("forecast metrics", () => {
  it("ranks: perfect 1, reversed 0, all tied 0.5, and counts a tie across classes as one half", () => {
    const labels = [false, false, true, true];
    expect(auc([0.1, 0.2, 0.8, 0.9], labels)).to.equal(1);
    expect(auc([0.9, 0.8, 0.2, 0.1], labels)).to.equal(0);
    expect(auc([0.5, 0.5, 0.5, 0.5], labels)).to.equal(0.5);
    // Pairs (neg, pos): (0.1,0.5) win, (0.1,0.9) win, (0.5,0.5) half, (0.5,0.9) win → 3.5 / 4.
    expect(auc([0.1, 0.5, 0.5, 0.9], labels)).to.equal(0.875);
    expect(auc([0.3, 0.1, 0.2], [true, false, true])).to.equal(1);
    expect(auc([0.3, 0.1], [true, true])).to.be.NaN;
    expect(() => auc([0.1], [true, false])).to.throw(RangeError);
  });

  it("scores calibration: Brier and the reliability bins with their expected error", () => {
    expect(brier([1, 0], [true, false])).to.equal(0);
    expect(brier([0.5, 0.5], [true, false])).to.equal(0.25);
    const probs = [0.05, 0.05, 0.95, 0.95, 0.35];
    const labels = [false, false, true, false, true];
    const bins = reliability(probs, labels, 10);
    expect(bins).to.have.length(10);
    expect(bins[0]).to.include({ n: 2, predicted: 0.05, observed: 0 });
    expect(bins[9]).to.include({ n: 2, predicted: 0.95, observed: 0.5 });
    expect(bins[3]).to.include({ n: 1, observed: 1 });
    expect(bins[5]!.n).to.equal(0);
    // ECE = 2/5·0.05 + 2/5·0.45 + 1/5·0.65
    expectClose(expectedCalibrationError(bins), 0.4 * 0.05 + 0.4 * 0.45 + 0.2 * 0.65, 1e-12, "value");
    expect(reliability([1], [true], 10)[9]!.n).to.equal(1);
  });
});
