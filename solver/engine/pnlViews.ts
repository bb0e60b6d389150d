import type { ChainReads } from "../chain/solverChain.js";
import { decodeSeriesId } from "../domain/seriesId.js";
import { ChainError, ErrorCode } from "../errors.js";
import type { Inventory } from "../inventory/inventory.js";
import { fillsUpTo } from "../store/fills.js";
import { listHedges } from "../store/hedges.js";
import { keeperActionsUpTo } from "../store/keeperActions.js";
import { capitalUpTo } from "./capital.js";
import type { EngineContext } from "./context.js";
import {
  equityUsd,
  flowTotals,
  hedgeTotals,
  type PnlSnapshot,
  type PnlTracker,
  startBook,
  type Valuation,
} from "./pnl.js";
import { readBook } from "./recovery.js";
import { latestSnapshot, type MarketSnapshot } from "./snapshot.js";

/** The live book's valuation, with the snapshot it was taken at (for greeks and values at the same state). */
export type LiveValuation = Valuation & { snapshot: MarketSnapshot };

/** PnL at a block: the running peak and drawdown are the tracker's, not the block's, so they are null. */
export type PnlAtBlock = Omit<PnlSnapshot, "peakUsd" | "drawdownUsd"> & {
  peakUsd: null;
  drawdownUsd: null;
  block: number;
  chainTime: number;
  spot: number;
};

/**
 * The solver's PnL: of the live book at the latest block (what the kill switch and metrics watch), and as
 * a pure function of the chain at any block plus the fill log up to it.
 */
export class PnlViews {
  constructor(
    readonly ctx: EngineContext,
    readonly chain: ChainReads,
    readonly tracker: PnlTracker,
  ) {}

  /** The market state the live book is valued at: the latest block's snapshot, and settled prices. */
  async valuationNow(): Promise<LiveValuation> {
    const { market, book } = this.ctx;
    const snapshot = await latestSnapshot(this.ctx);
    const { now } = snapshot;
    const expired = [
      ...book.inventory.positions().filter((p) => p.terms.expiry <= now),
      ...this.tracker.startHoldings.positions.filter((p) => decodeSeriesId(p.seriesId).expiry <= now),
    ].map((p) => p.seriesId);
    const settled = await market.settlementPrices([...new Set(expired)]);
    return { ...this.#valuation(snapshot.spot.price, now, settled), snapshot };
  }

  /** PnL of the live book at the latest block, at `v` when the caller already has it. */
  async now(v?: LiveValuation): Promise<PnlSnapshot & { block: number; chainTime: number; spot: number }> {
    v ??= await this.valuationNow();
    const block = Number(await this.ctx.market.blockNumber());
    const flows = {
      ...flowTotals(fillsUpTo(this.ctx.store), keeperActionsUpTo(this.ctx.store), this.ctx.units),
      hedge: hedgeTotals(listHedges(this.ctx.store, { status: "done" }), v.spot),
    };
    const baseline = equityUsd(this.#baseline(), v);
    const snapshot = this.tracker.snapshot(equityUsd(this.ctx.book.inventory, v), baseline, flows);
    return { ...snapshot, block, chainTime: v.now, spot: v.spot };
  }

  /**
   * PnL as the chain had it at `block`: the solver's balances, the oracle, the block's time and settled
   * prices read at that block, and the fill log up to it. The same block gives the same figures every time.
   */
  async at(block: bigint): Promise<PnlAtBlock> {
    const [b, round, book] = await Promise.all([
      this.chain.block(block),
      this.ctx.market.spotAt(block),
      readBook(this.ctx, this.chain, block),
    ]).catch((cause: unknown) => {
      if (cause instanceof ChainError) throw cause;
      throw new ChainError(ErrorCode.ChainUnavailable, "could not read the chain at that block", { cause });
    });
    const now = b.timestamp;
    const ids = [...book.positions(), ...startBook(this.tracker.startHoldings, this.ctx.units).positions()]
      .filter((p) => p.terms.expiry <= now)
      .map((p) => p.seriesId);
    const v = this.#valuation(round.price, now, await this.ctx.market.settlementPrices([...new Set(ids)], block));
    const upTo = Number(block);
    const flows = {
      ...flowTotals(fillsUpTo(this.ctx.store, upTo), keeperActionsUpTo(this.ctx.store, upTo), this.ctx.units),
      hedge: hedgeTotals(listHedges(this.ctx.store, { status: "done", upToBlock: upTo }), v.spot),
    };
    const baseline = equityUsd(this.#baseline(upTo), v);
    const snapshot = this.tracker.snapshot(equityUsd(book, v), baseline, flows, false);
    return { ...snapshot, peakUsd: null, drawdownUsd: null, block: upTo, chainTime: now, spot: v.spot };
  }

  #valuation(spot: number, now: number, settled: ReadonlyMap<bigint, bigint>): Valuation {
    const { ctx } = this;
    return { spot, now, settled, surface: ctx.book.surface, rate: ctx.config.pricing.rate, units: ctx.units };
  }

  /**
   * WETH held at the first start (cash and the collateral locked under its shorts) plus the WETH capital
   * moved in or out since: capital, not exposure.
   */
  baselineWeth(): bigint {
    const start = this.#baseline();
    return start.cash.weth + start.locked().weth;
  }

  /** The starting holdings plus the capital moved in or out up to `block`: what holding would be worth. */
  #baseline(block?: number): Inventory {
    const start = this.tracker.startHoldings;
    const moved = capitalUpTo(this.ctx.store, block);
    const cash = { weth: start.cash.weth + moved.weth, usdc: start.cash.usdc + moved.usdc };
    return startBook({ ...start, cash }, this.ctx.units);
  }
}
