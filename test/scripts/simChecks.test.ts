import { expect } from "chai";
import { checksFor } from "../../scripts/lib/sim/checks.js";
import type { SimResult, Variant } from "../../scripts/lib/sim/runSim.js";

/** A run with every figure plain, and `pnl` split into the spread's part and the book's. */
function run(spreadPnl: number, bookPnl: number, hedgeCost = 0): SimResult {
  return {
    fills: 10,
    declines: 0,
    skipped: 0,
    passed: 0,
    declinesByCode: {},
    routeReasons: {},
    internalizedShare: 0.5,
    informedInternalizedShare: 0.1,
    noiseInternalizedShare: 0.7,
    avgPriceImprovementBps: 50,
    bestExViolations: 0,
    solverPnl: spreadPnl + bookPnl,
    pnlStdev: 10,
    markoutPnl: 0,
    markoutAdjustedPnl: spreadPnl,
    spreadPnl,
    bookPnl,
    hedges: hedgeCost > 0 ? 1 : 0,
    hedgeCost,
    hedgePnl: 0,
    userCost: 90,
    userCostAtAmm: 100,
    ammLpMarkoutInformed: -1,
    ammLpMarkoutNoise: 0,
    flowAuc: 0.8,
    limitBreaches: 0,
  };
}

/** Four seeds of the router and the unhedged router, each given as (spread, book) per seed. */
function hedgeCase(hedged: Array<[number, number]>, unhedged: Array<[number, number]>, cost = 10) {
  const runs: Partial<Record<Variant, SimResult[]>> = {
    router: hedged.map(([s, b]) => run(s, b, cost)),
    routerNoHedge: unhedged.map(([s, b]) => run(s, b)),
  };
  const checks = checksFor("calm", (v) => runs[v] ?? []);
  const find = (start: string) => checks.find((c) => c.check.startsWith(start))!;
  return {
    total: find("hedging: PnL's standard deviation"),
    book: find("hedging: the book's PnL"),
    mean: find("hedging: mean PnL"),
  };
}

describe("the scenario suite's hedging checks", () => {
  it("hold when hedging takes the book's swings away and the flow's spread varies little", () => {
    const c = hedgeCase(
      [
        [1000, 10],
        [1010, -10],
        [990, 20],
        [1000, -20],
      ],
      [
        [1000, 1000],
        [1010, -1000],
        [990, 2000],
        [1000, -2000],
      ],
    );
    expect(c.total.holds, c.total.figures).to.equal(true);
    expect(c.book.holds, c.book.figures).to.equal(true);
    expect(c.book.figures).to.equal("18 vs 1826 USD (1%)");
  });

  it("fail on the PnL's spread when the flow's own spread varies more than 35% of the unhedged PnL, and say so", () => {
    const c = hedgeCase(
      [
        [0, 10],
        [1000, -10],
        [2000, 20],
        [3000, -20],
      ],
      [
        [0, 1000],
        [1000, -1000],
        [2000, 2000],
        [3000, -2000],
      ],
    );
    expect(c.total.holds).to.equal(false);
    expect(c.total.figures).to.match(
      /^1283 vs 1732 USD \(74%\); the spread the flow paid alone varies by 1291 \(75%\)/,
    );
    // The book's part is still hedged away: that check holds on its own.
    expect(c.book.holds).to.equal(true);
  });

  it("fail when hedging lowers the mean PnL by more than its cost, with the seed-by-seed difference", () => {
    const c = hedgeCase(
      [
        [100, -60],
        [100, -60],
        [100, -40],
        [100, -40],
      ],
      [
        [100, 0],
        [100, 0],
        [100, 0],
        [100, 0],
      ],
      20,
    );
    expect(c.mean.holds).to.equal(false);
    expect(c.mean.figures).to.equal(
      "50 vs 100 USD, hedge cost 20; hedged − unhedged, seed by seed: -50 [-68.3713, -31.6287]",
    );
  });

  it("hold on the mean when the hedged PnL is lower by at most the hedge cost", () => {
    const c = hedgeCase(
      [
        [100, -20],
        [100, -20],
      ],
      [
        [100, 0],
        [100, 0],
      ],
      20,
    );
    expect(c.mean.holds, c.mean.figures).to.equal(true);
  });
});
