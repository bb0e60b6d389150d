import { expect } from "chai";
import { runSim } from "../../scripts/lib/sim/runSim.js";

describe("flow simulation (short run)", function () {
  this.timeout(120_000);

  it("replays the same seeded flow through the router and a baseline, with no best-ex violation or limit breach", async () => {
    const router = await runSim({ seed: 7, requests: 30, informed: 0.2, strategy: "router" });
    const amm = await runSim({ seed: 7, requests: 30, informed: 0.2, strategy: "alwaysAmm" });
    for (const r of [router, amm]) {
      expect(r.fills + r.declines).to.equal(30);
      expect(r.bestExViolations).to.equal(0);
      expect(r.limitBreaches).to.equal(0);
    }
    expect(amm.internalizedShare).to.equal(0);
    expect(amm.avgPriceImprovementBps).to.equal(0);
    expect(router.internalizedShare).to.be.greaterThan(0);
    expect(router.avgPriceImprovementBps).to.be.greaterThan(0);
    // Users never pay more than the AMM's price for the same orders.
    expect(router.userCost).to.be.lessThanOrEqual(router.userCostAtAmm);
  });
});
