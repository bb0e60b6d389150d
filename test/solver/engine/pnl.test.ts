import { expect } from "chai";
import { PnlTracker } from "../../../solver/engine/pnl.js";
import { Store } from "../../../solver/store/db.js";

describe("PnlTracker", () => {
  it("measures PnL against holding the starting WETH and USDC, and splits it", () => {
    const store = new Store(":memory:");
    const pnl = new PnlTracker(store);
    pnl.start({ weth: 10, usdc: 30_000, bookUsd: 0 });
    // Sold an option for $120 worth $100 by model, paid a $1 fee and $2 of gas.
    pnl.recordFill({ userBuys: true, premiumUsd: 120, modelUsd: 100, feeUsd: 1, gasUsd: 2 });
    // Spot moved from 3000 to 3100: holding alone would be worth 61,000; equity is 61,050.
    const s = pnl.snapshot(61_050, 3100);
    expect(s.totalUsd).to.equal(48);
    expect(s.spreadUsd).to.equal(20);
    expect(s.feesUsd).to.equal(1);
    expect(s.gasUsd).to.equal(2);
    expect(s.inventoryUsd).to.equal(31);
    expect(s.peakUsd).to.equal(48);
    expect(pnl.snapshot(60_950, 3100).drawdownUsd).to.equal(100);
  });

  it("keeps its baseline across restarts", () => {
    const store = new Store(":memory:");
    new PnlTracker(store).start({ weth: 1, usdc: 0, bookUsd: 0 });
    const again = new PnlTracker(store);
    again.start({ weth: 999, usdc: 999, bookUsd: 999 });
    expect(again.snapshot(3000, 3000).totalUsd).to.equal(0);
  });
});
