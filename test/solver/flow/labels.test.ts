import { expect } from "chai";
import { labelWorld, markoutBps, modelValue, tenorYearsAt } from "../../../scripts/lib/sim/labels.js";
import { scenarioParams } from "../../../scripts/lib/sim/scenarios.js";
import { buildWorld, LOOKAHEAD_STEPS, type World } from "../../../scripts/lib/sim/world.js";
import { segmentOf } from "../../../solver/flow/segments.js";
import { expectClose } from "../../support/approx.js";

describe("flow training rows", () => {
  const world = buildWorld(scenarioParams("oracle-lag", { requests: 120 }), 12);
  const rows = labelWorld(world, "oracle-lag");

  it("sees each request as the solver would: reference spot, oracle gap and age, tenor left", () => {
    expect(rows).to.have.length(120);
    rows.forEach((row, i) => {
      const s = world.steps[i]!;
      expect(row.informed).to.equal(s.request.informed);
      expect(row.inputs.spot).to.equal(s.truePrice);
      expectClose(row.inputs.oracleGapBps, (s.truePrice / s.oracle.price - 1) * 10_000, 1e-9, "value");
      expect(row.inputs.oracleAgeSeconds).to.equal(s.time - s.oracle.updatedAt);
      expect(row.inputs.tenorYears).to.equal(tenorYearsAt(s.request, s.time));
      expect(row.inputs.userBuys).to.equal(s.request.side === "buy");
      expect(row.segment).to.equal(segmentOf(row.inputs));
    });
    // No history for the first hour's return; then the hour's return.
    expect(rows[5]!.inputs.recentReturnBps).to.equal(0);
    const p = world.steps.map((s) => s.truePrice);
    expectClose(rows[30]!.inputs.recentReturnBps, (p[30]! / p[30 - LOOKAHEAD_STEPS]! - 1) * 10_000, 1e-9, "value");
  });

  it("feeds a segment's markouts only once they are due (an hour later)", () => {
    const first = rows.findIndex((r, i) => rows.slice(0, i).some((q) => q.segment === r.segment));
    const firstDue = rows.findIndex((r, i) =>
      rows.slice(0, Math.max(0, i - LOOKAHEAD_STEPS + 1)).some((q) => q.segment === r.segment),
    );
    expect(rows.slice(0, firstDue).every((r) => r.inputs.segmentMarkoutBps === 0)).to.equal(true);
    expect(first).to.be.lessThan(firstDue);
    expect(rows[firstDue]!.inputs.segmentMarkoutBps).to.not.equal(0);
  });

  it("marks the solver's side: selling a call that gains loses, buying it back gains", () => {
    const steps = Array.from({ length: 1 + LOOKAHEAD_STEPS }, (_, i) => ({
      time: i * 300,
      truePrice: 3000 + i * 10,
      oracle: { price: 3000, updatedAt: 0, updated: i === 0 },
    }));
    const request = { informed: true, trader: "t", strike: 3000, tenorDays: 7 as const, isCall: true, amount: 2 };
    const up: World = {
      params: scenarioParams("calm", { requests: 1 }),
      seed: 0,
      steps: [{ ...steps[0]!, request: { ...request, side: "buy" } }],
      tail: steps.slice(1),
    };
    const v0 = modelValue(request, 3000, 0);
    const v1 = modelValue(request, 3120, 3600);
    expectClose(markoutBps(up, 0), ((v0 - v1) / 3000) * 10_000, 1e-9, "value");
    expect(markoutBps(up, 0)).to.be.lessThan(-100);
    const sold: World = { ...up, steps: [{ ...up.steps[0]!, request: { ...request, side: "sellToClose" } }] };
    expectClose(markoutBps(sold, 0), -markoutBps(up, 0), 1e-9, "value");
  });
});
