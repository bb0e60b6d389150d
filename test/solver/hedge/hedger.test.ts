import { expect } from "chai";
import { network } from "hardhat";
import { deploymentOf, engineFor } from "../../../scripts/lib/engineHarness.js";
import { fundTrader } from "../../../scripts/lib/orders.js";
import { deploySystem, ETH, type System, USDC } from "../../../scripts/lib/system.js";
import { approveRouter, deployUniswap, type UniswapSystem } from "../../../scripts/lib/uniswap.js";
import type { Deployment } from "../../../solver/config/schema.js";
import type { Engine } from "../../../solver/engine/engine.js";
import { Hedger, type HedgerDeps } from "../../../solver/engine/hedge/hedger.js";
import type { HedgeVenue } from "../../../solver/engine/hedge/venue.js";
import { hedgeTotals } from "../../../solver/engine/pnl.js";
import { latestSnapshot } from "../../../solver/engine/snapshot.js";
import type { MarketData } from "../../../solver/market/marketData.js";
import { StopReason } from "../../../solver/risk/killSwitch.js";
import { TxSender } from "../../../solver/settlement/txSender.js";
import { listHedges } from "../../../solver/store/hedges.js";
import { UniswapVenue } from "../../../solver/venue/uniswap.js";
import { expectClose } from "../../support/approx.js";

const connection = await network.create();

let s: System;
let u: UniswapSystem;
let deployment: Deployment;

/**
 * A fresh engine (its own store) on the shared chain, hedging on, with a hedger whose baseline WETH is
 * `excessEth` below what the solver holds: that much WETH is exposure (10 ETH, about 30k USD, by default).
 */
async function setup(opts: { excessEth?: bigint; venue?: (v: UniswapVenue) => HedgeVenue; hedge?: object } = {}) {
  const engine = await engineFor(s, {
    deployment,
    config: { hedge: { enabled: true, bandUsd: 5_000, ...opts.hedge } },
  });
  const baselineWeth = wethHeld(engine) - (opts.excessEth ?? 10n) * ETH;
  const real = new UniswapVenue(
    (engine.market as MarketData).clients.publicClient,
    deployment.uniswap!,
    deployment.contracts,
  );
  const deps: HedgerDeps = {
    ctx: engine.ctx,
    venue: opts.venue ? opts.venue(real) : real,
    sender: new TxSender((engine.market as MarketData).clients),
    snapshot: () => latestSnapshot(engine.ctx),
    baselineWeth: () => baselineWeth,
  };
  return { engine, hedger: new Hedger(deps) };
}

/** The solver's WETH, cash and locked, as the engine's book has it. */
function wethHeld(engine: Engine): bigint {
  return engine.inventory.cash.weth + engine.inventory.locked().weth;
}

describe("hedger", function () {
  this.timeout(120_000);

  before(async () => {
    s = await deploySystem(connection);
    u = await deployUniswap(s);
    await fundTrader(s, s.solver, 300n * ETH, 1_000_000n * USDC);
    await approveRouter(s, u, s.solver);
    deployment = { ...(await deploymentOf(s)), uniswap: u.addresses };
  });

  it("does nothing inside the band", async () => {
    // One ETH of exposure (about 3k USD) is inside a 5k USD band.
    const { engine, hedger } = await setup({ excessEth: 1n });
    const outcome = await hedger.run();
    expect(outcome.action).to.equal("inside band");
    if (outcome.action !== "inside band") return;
    expectClose(outcome.exposure.netDeltaEth, 1, 1e-9, "delta");
    expect(listHedges(engine.store)).to.have.length(0);
  });

  it("sells the long delta on the pool with amountOutMinimum from QuoterV2, books it, and splits its cost out of PnL", async () => {
    const { engine, hedger } = await setup();
    const held = wethHeld(engine);
    const before = await hedger.exposure();
    expectClose(before.netDeltaEth, 10, 1e-9, "delta before");
    const outcome = await hedger.run();
    expect(outcome.action).to.equal("hedged");
    if (outcome.action !== "hedged") return;
    const h = outcome.hedge;
    expect(h.status).to.equal("done");
    expect(h.sell).to.equal("weth");
    expect(h.wethDelta).to.equal(-10n * ETH);
    expect(h.usdcDelta > h.minOut - 1n).to.equal(true);
    // The inventory's cash moved by exactly what the pool's Swap event says, and the chain agrees.
    expect(wethHeld(engine)).to.equal(held - 10n * ETH);
    expect(await s.weth.balanceOf(s.solver.address)).to.equal(engine.inventory.cash.weth);
    const after = await hedger.exposure();
    expect(Math.abs(after.netDeltaEth)).to.be.lessThan(1e-9);
    // The cost is the pool's fee and impact against the reference, plus gas: 5 bps of 30k USD is 15 USD.
    const totals = hedgeTotals(listHedges(engine.store), after.spot);
    expect(totals.costUsd).to.be.greaterThan(15).and.lessThan(40);
    const pnl = await engine.pnlNow();
    expect(pnl.hedgeCostUsd).to.equal(totals.costUsd);
    expect(pnl.hedgePnlUsd).to.equal(totals.pnlUsd);
  });

  it("tries again on a fresh quote when the swap is refused for slippage, and books the second try", async () => {
    let calls = 0;
    const { engine, hedger } = await setup({
      // The first quote overstates the output: its minimum is more than the pool gives ("Too little received").
      venue: (real) => ({
        midPrice: () => real.midPrice(),
        swapCall: (o) => real.swapCall(o),
        swapResult: (r, who) => real.swapResult(r, who),
        quoteExactIn: async (o) => {
          const q = await real.quoteExactIn(o);
          calls++;
          return calls === 2 ? { amountOut: q.amountOut * 2n } : q;
        },
      }),
    });
    const outcome = await hedger.run();
    expect(outcome.action).to.equal("hedged");
    const records = listHedges(engine.store);
    expect(records.map((r) => [r.attempt, r.status])).to.deep.equal([
      [1, "failed"],
      [2, "done"],
    ]);
    expect(records[0]!.error).to.equal("Too little received");
    expect(engine.killSwitch.paused).to.equal(false);
  });

  it("trips the kill switch with the reason when every attempt fails", async () => {
    const { engine, hedger } = await setup({
      hedge: { maxAttempts: 2 },
      venue: (real) => ({
        midPrice: () => real.midPrice(),
        swapCall: (o) => real.swapCall(o),
        swapResult: (r, who) => real.swapResult(r, who),
        quoteExactIn: async (o) => ({ amountOut: (await real.quoteExactIn(o)).amountOut + 10n ** 12n }),
      }),
    });
    const outcome = await hedger.run();
    expect(outcome).to.deep.include({ action: "failed", error: "Too little received", attempts: 2 });
    expect(engine.killSwitch.state).to.deep.include({
      paused: true,
      reason: StopReason.HedgeFailed,
      detail: "hedge failed 2 times: Too little received",
    });
    expect(listHedges(engine.store).map((r) => r.status)).to.deep.equal(["failed", "failed"]);
  });

  it("trips the kill switch when the chain is down for every attempt, and moves no cash", async () => {
    const { engine, hedger } = await setup({ hedge: { maxAttempts: 3 } });
    const down = Object.create(hedger.deps.sender) as TxSender;
    down.send = async () => {
      throw new Error("fetch failed: connect ECONNREFUSED 127.0.0.1:8545");
    };
    const cash = { ...engine.inventory.cash };
    const outcome = await new Hedger({ ...hedger.deps, sender: down }).run();
    expect(outcome).to.deep.include({ action: "failed", attempts: 3 });
    expect(engine.killSwitch.state).to.deep.include({ paused: true, reason: StopReason.HedgeFailed });
    expect(engine.killSwitch.state.detail).to.match(/hedge failed 3 times: fetch failed: connect ECONNREFUSED/);
    expect(engine.inventory.cash).to.deep.equal(cash);
    expect(listHedges(engine.store).map((r) => r.status)).to.deep.equal(["failed", "failed", "failed"]);
  });

  it("stays paused (across a restart) unless forced", async () => {
    const { engine, hedger } = await setup();
    hedger.setPaused(true);
    expect((await hedger.run()).action).to.equal("paused");
    expect(new Hedger({ ...hedger.deps }).paused).to.equal(true);
    expect(listHedges(engine.store)).to.have.length(0);
    expect((await hedger.run({ force: true })).action).to.equal("hedged");
  });

  it("books at start-up a swap that was sent but whose receipt never came", async () => {
    const { engine, hedger } = await setup();
    await hedger.run();
    const [done] = listHedges(engine.store);
    // The record as a crash right after sending would have left it.
    engine.store.db
      .prepare("UPDATE hedges SET status = 'sent', weth_delta = '0', usdc_delta = '0' WHERE id = ?")
      .run(done!.id);
    const cash = { ...engine.inventory.cash };
    expect(await hedger.reconcile({ adjustCash: false })).to.equal(1);
    const [again] = listHedges(engine.store);
    expect(again).to.deep.include({ status: "done", wethDelta: done!.wethDelta, usdcDelta: done!.usdcDelta });
    // Its balances were already in the cash read from the chain: start-up does not count them twice.
    expect(engine.inventory.cash).to.deep.equal(cash);
  });
});
