import type { Store } from "../store/db.js";

/** PnL since the solver's first start, in USD, and how it splits. */
export interface PnlSnapshot {
  /**
   * Equity now (cash, locked collateral, book at model value) minus what the starting holdings would be
   * worth now, minus gas: what trading earned over simply holding the starting WETH and USDC.
   */
  totalUsd: number;
  /** Premiums against model value at fill time, from the solver's side: the spread it earned. */
  spreadUsd: number;
  /** Protocol fees paid on internal fills. */
  feesUsd: number;
  /** Gas paid for settlement transactions. */
  gasUsd: number;
  /** The rest: how the book's value moved after the fills (the market, time decay, hedging gaps). */
  inventoryUsd: number;
  /** Highest total so far, and how far below it the total is now. */
  peakUsd: number;
  drawdownUsd: number;
}

/** The holdings at the first start: WETH and USDC (cash plus locked) in tokens, and the book's value in USD. */
export interface Holdings {
  weth: number;
  usdc: number;
  bookUsd: number;
}

interface Components {
  holdings: Holdings;
  spread: number;
  fees: number;
  gas: number;
  peak: number;
}

const KEY = "pnl";

/** Tracks PnL and its split; persisted, so a restart continues from the same baseline and peak. */
export class PnlTracker {
  #c: Components | null = null;

  constructor(readonly store: Store) {
    const saved = store.meta(KEY);
    if (saved) this.#c = JSON.parse(saved) as Components;
  }

  /** Records the starting holdings on the first start only. */
  start(holdings: Holdings): void {
    this.#c ??= { holdings, spread: 0, fees: 0, gas: 0, peak: 0 };
    this.#save();
  }

  recordFill(f: { userBuys: boolean; premiumUsd: number; modelUsd: number; feeUsd: number; gasUsd: number }): void {
    const c = this.#components();
    c.spread += f.userBuys ? f.premiumUsd - f.modelUsd : f.modelUsd - f.premiumUsd;
    c.fees += f.feeUsd;
    c.gas += f.gasUsd;
    this.#save();
  }

  snapshot(equityUsd: number, spot: number): PnlSnapshot {
    const c = this.#components();
    const h = c.holdings;
    const totalUsd = equityUsd - (h.weth * spot + h.usdc + h.bookUsd) - c.gas;
    if (totalUsd > c.peak) {
      c.peak = totalUsd;
      this.#save();
    }
    return {
      totalUsd,
      spreadUsd: c.spread,
      feesUsd: c.fees,
      gasUsd: c.gas,
      inventoryUsd: totalUsd - c.spread + c.fees + c.gas,
      peakUsd: c.peak,
      drawdownUsd: c.peak - totalUsd,
    };
  }

  drawdown(equityUsd: number, spot: number): number {
    return this.snapshot(equityUsd, spot).drawdownUsd;
  }

  #components(): Components {
    this.#c ??= { holdings: { weth: 0, usdc: 0, bookUsd: 0 }, spread: 0, fees: 0, gas: 0, peak: 0 };
    return this.#c;
  }

  #save(): void {
    if (this.#c) this.store.setMeta(KEY, JSON.stringify(this.#c));
  }
}
