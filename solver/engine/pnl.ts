import { decodeSeriesId } from "../domain/seriesId.js";
import { Inventory } from "../inventory/inventory.js";
import type { PairUnits } from "../pricing/optionPricer.js";
import type { VolSurface } from "../pricing/volSurface.js";
import type { Store } from "../store/db.js";
import type { HedgeRecord } from "../store/hedges.js";
import type { StoredKeeperAction } from "../store/keeperActions.js";
import type { FillRecord } from "../types.js";

/** PnL since the solver's first start, in USD, and how it splits. */
export interface PnlSnapshot {
  /**
   * Equity (cash, locked collateral, the book at model value, expired positions at their payoff) minus what
   * the starting holdings are worth at the same state, minus gas: what trading earned over holding.
   */
  totalUsd: number;
  /** Premiums against model value at fill time, from the solver's side: the spread it earned. */
  spreadUsd: number;
  /** Protocol fees paid on internal fills. */
  feesUsd: number;
  /** Gas paid for settlement and keeper transactions. */
  gasUsd: number;
  /** How the hedges' spot moved since each was made: the swaps' WETH valued now against the reference then. */
  hedgePnlUsd: number;
  /** What the hedges cost against the reference at their time (price impact, the pool's fee) and their gas. */
  hedgeCostUsd: number;
  /** The rest: how the option book's value moved after the fills (the market, time decay). */
  inventoryUsd: number;
  /** Highest total so far, and how far below it the total is now. */
  peakUsd: number;
  drawdownUsd: number;
}

/** The market state a book is valued at. */
export interface Valuation {
  spot: number;
  /** Chain time. */
  now: number;
  surface: VolSurface;
  rate: number;
  units: PairUnits;
  /** Settlement prices of settled series. */
  settled: ReadonlyMap<bigint, bigint>;
}

/** What the solver held at its first start: cash and every position. */
export interface StartHoldings {
  cash: { weth: bigint; usdc: bigint };
  positions: Array<{ seriesId: bigint; longs: bigint; shorts: bigint }>;
  /** The block they were read at: PnL is measured from there (absent in records older than this field). */
  block?: number;
}

/** Spread, fees and gas summed over the fill log and the keeper's actions; hedges' figures beside them. */
export interface FlowTotals {
  spreadUsd: number;
  feesUsd: number;
  gasUsd: number;
  hedge?: HedgeTotals;
}

/** The hedges' part of PnL at one spot (see `hedgeTotals`). */
export interface HedgeTotals {
  pnlUsd: number;
  /** Impact and fee against the reference, plus gas. */
  costUsd: number;
  /** The gas part of `costUsd` (native ETH, outside the book's equity). */
  gasUsd: number;
}

/**
 * The hedges' PnL and cost at `spot`: a swap that moved w WETH and u USDC at reference price m is worth
 * w spot + u now, which splits into w (spot - m), the hedge's PnL, and w m + u, minus its cost.
 */
export function hedgeTotals(hedges: readonly HedgeRecord[], spot: number): HedgeTotals {
  const t: HedgeTotals = { pnlUsd: 0, costUsd: 0, gasUsd: 0 };
  for (const h of hedges) {
    if (h.status !== "done") continue;
    const weth = Number(h.wethDelta) / 1e18;
    const gas = (Number(h.gasCost) / 1e18) * h.mid;
    t.pnlUsd += weth * (spot - h.mid);
    t.costUsd += -(weth * h.mid + Number(h.usdcDelta) / 1e6) + gas;
    t.gasUsd += gas;
  }
  return t;
}

/** Cash, locked collateral and the book at `v`, in USD. Gas (native ETH) is a cost counted apart. */
export function equityUsd(book: Inventory, v: Valuation): number {
  const locked = book.locked();
  const w = 10 ** v.units.underlyingDecimals;
  const u = 10 ** v.units.quoteDecimals;
  const value = book.greeks(v.spot, v.now, v.surface, v.rate, v.settled).valueUsd;
  return (Number(book.cash.weth + locked.weth) / w) * v.spot + Number(book.cash.usdc + locked.usdc) / u + value;
}

/** The starting holdings as a book, to value them at any later state. */
export function startBook(start: StartHoldings, units: PairUnits): Inventory {
  const book = new Inventory(units, start.cash);
  for (const p of start.positions) book.setPosition(p.seriesId, p.longs, p.shorts);
  return book;
}

/**
 * Spread, fees and gas from the fill log (each fill's internal premium against the model value recorded at
 * its quote, at the quote's spot) and from keeper transactions: a pure function of the records.
 */
export function flowTotals(fills: readonly FillRecord[], keeper: readonly StoredKeeperAction[], units: PairUnits) {
  const totals: FlowTotals = { spreadUsd: 0, feesUsd: 0, gasUsd: 0 };
  for (const f of fills) {
    const { isCall } = decodeSeriesId(f.seriesId);
    const decimals = isCall ? units.underlyingDecimals : units.quoteDecimals;
    const toUsd = (asset: number) => (isCall ? asset * f.spot : asset);
    const options = Number(f.internalAmount) / 1e18;
    const premiumUsd = toUsd(Number(f.internalPremium) / 10 ** decimals);
    const modelUsd = toUsd(f.modelValue * options);
    if (f.internalAmount > 0n) totals.spreadUsd += f.side === 0 ? premiumUsd - modelUsd : modelUsd - premiumUsd;
    totals.feesUsd += toUsd(Number(f.fee) / 10 ** decimals);
    totals.gasUsd += (Number(f.gasUsed) / 1e18) * f.spot;
  }
  for (const a of keeper) totals.gasUsd += (Number(a.gasCost) / 1e18) * a.spot;
  return totals;
}

/** PnL of `equity` against `baseline` (both valued at the same state) and the flows up to that state. */
export function pnlOf(equity: number, baseline: number, flows: FlowTotals, peak: number): PnlSnapshot {
  const hedge = flows.hedge ?? { pnlUsd: 0, costUsd: 0, gasUsd: 0 };
  const totalUsd = equity - baseline - flows.gasUsd - hedge.gasUsd;
  const peakUsd = Math.max(peak, totalUsd);
  return {
    totalUsd,
    spreadUsd: flows.spreadUsd,
    feesUsd: flows.feesUsd,
    gasUsd: flows.gasUsd,
    hedgePnlUsd: hedge.pnlUsd,
    hedgeCostUsd: hedge.costUsd,
    inventoryUsd: totalUsd - flows.spreadUsd + flows.feesUsd + flows.gasUsd + hedge.costUsd - hedge.pnlUsd,
    peakUsd,
    drawdownUsd: peakUsd - totalUsd,
  };
}

const START = "pnl_start";
const PEAK = "pnl_peak";

/** The persisted part of PnL: the starting holdings (first start only) and the peak, for the drawdown. */
export class PnlTracker {
  #start: StartHoldings | null = null;
  #peak = 0;

  constructor(readonly store: Store) {
    const saved = store.meta(START);
    if (saved) this.#start = decodeStart(saved);
    this.#peak = Number(store.meta(PEAK) ?? 0);
  }

  /** Records the starting holdings on the first start only; true when this was the first start. */
  start(holdings: StartHoldings): boolean {
    if (this.#start) return false;
    this.#start = holdings;
    this.store.setMeta(START, encodeStart(holdings));
    return true;
  }

  get startHoldings(): StartHoldings {
    return this.#start ?? { cash: { weth: 0n, usdc: 0n }, positions: [] };
  }

  /** The PnL at a state; a new high moves the peak (persisted) when `track` is set. */
  snapshot(equity: number, baseline: number, flows: FlowTotals, track = true): PnlSnapshot {
    const s = pnlOf(equity, baseline, flows, this.#peak);
    if (track && s.peakUsd > this.#peak) {
      this.#peak = s.peakUsd;
      this.store.setMeta(PEAK, String(this.#peak));
    }
    return s;
  }
}

function encodeStart(h: StartHoldings): string {
  return JSON.stringify(h, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}

function decodeStart(text: string): StartHoldings {
  const raw = JSON.parse(text) as {
    block?: number;
    cash: { weth: string; usdc: string };
    positions: Array<{ seriesId: string; longs: string; shorts: string }>;
  };
  return {
    ...(raw.block === undefined ? {} : { block: raw.block }),
    cash: { weth: BigInt(raw.cash.weth), usdc: BigInt(raw.cash.usdc) },
    positions: raw.positions.map((p) => ({
      seriesId: BigInt(p.seriesId),
      longs: BigInt(p.longs),
      shorts: BigInt(p.shorts),
    })),
  };
}
