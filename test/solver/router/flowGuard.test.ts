import { expect } from "chai";
import { ConfigSchema } from "../../../solver/config/schema.js";
import { FlowModel } from "../../../solver/flow/model.js";
import { FlowGuard } from "../../../solver/router/flowGuard.js";
import { expectClose } from "../../support/approx.js";
import { NEUTRAL_REQUEST } from "../../support/flow.js";

const params = ConfigSchema.parse({ solverKey: `0x${"11".repeat(32)}` }).flow;
const request = NEUTRAL_REQUEST;

describe("flow guard", () => {
  it("prices a segment's measured markout losses into every request of the segment, and only losses", () => {
    const guard = new FlowGuard({ ...params, segmentAlpha: 0.5, segmentWidenPerBps: 1 }, null);
    const fresh = guard.assess(request);
    expect(fresh).to.deep.include({ segmentMarkoutBps: 0, score: null, widenBps: 0, ammOnly: false, declined: false });
    guard.record(request, -30);
    guard.record(request, -10);
    const after = guard.assess({ ...request, isCall: false });
    // EWMA with alpha 0.5: -30, then 0.5 x -10 + 0.5 x -30 = -20; the put falls in the same segment.
    expect(after.segment).to.equal(fresh.segment);
    expect(after.widenBps).to.equal(20);
    guard.record(request, 100);
    expect(guard.assess(request).widenBps).to.equal(0);
    // Another size bucket is another segment.
    expect(guard.assess({ ...request, amount: 40 }).segmentMarkoutBps).to.equal(0);
  });

  it("widens by the model's expected loss, routes to the AMM and declines above the thresholds", () => {
    const model = FlowModel.load("models/flow-model.json");
    const guard = new FlowGuard({ ...params, ammAbove: 0.5, declineAbove: 0.9 }, model);
    // The lagging oracle below the reference, a buyer of calls: what the oracle-lag trader does.
    const lagged = guard.assess({ ...request, oracleGapBps: 80, oracleAgeSeconds: 3000 });
    const quiet = guard.assess({ ...request, strike: 3400, tenorYears: 30 / 365, userBuys: false });
    expect(lagged.score!.informed).to.be.greaterThan(quiet.score!.informed);
    expectClose(lagged.widenBps, -lagged.score!.expectedMarkoutBps * params.widenPerBps, 1e-9, "widen");
    expect(quiet.ammOnly).to.equal(false);
    expect(lagged.ammOnly).to.equal(lagged.score!.informed > 0.5);
    expect(lagged.declined).to.equal(lagged.score!.informed > 0.9);
    const error = FlowGuard.declineFor(lagged);
    expect([error.code, error.message]).to.deep.equal(["FLOW_TOXIC", "the request's features score as informed flow"]);
  });
});
