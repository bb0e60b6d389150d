import type { TransactionReceipt } from "viem";
import { StopReason } from "../../risk/killSwitch.js";
import type { TxSender } from "../../settlement/txSender.js";
import {
  type HedgeRecord,
  hedgeByTx,
  insertHedge,
  listHedges,
  markHedgeDone,
  markHedgeFailed,
  markHedgeSent,
} from "../../store/hedges.js";
import { revertReason } from "../../venue/uniswap.js";
import type { EngineContext } from "../context.js";
import type { MarketSnapshot } from "../snapshot.js";
import {
  amountInFor,
  costBand,
  type Exposure,
  exposureOf,
  type HedgeCost,
  type HedgeSize,
  hedgeCost,
  hedgeSize,
  minOutFor,
  spendable,
  withinRoom,
} from "./plan.js";
import type { HedgeVenue } from "./venue.js";

/** What one hedge check did. */
export type HedgeOutcome =
  | { action: "disabled" | "paused" | "busy" }
  | { action: "inside band" | "no collateral room"; exposure: Exposure; bandUsd: number }
  | { action: "not worth it"; exposure: Exposure; bandUsd: number; cost: HedgeCost }
  | { action: "hedged"; exposure: Exposure; bandUsd: number; cost: HedgeCost; hedge: HedgeRecord }
  | { action: "failed"; exposure: Exposure; error: string; attempts: number };

/** What the hedger works with, built outside it. */
export interface HedgerDeps {
  ctx: EngineContext;
  venue: HedgeVenue;
  sender: TxSender;
  /** The market state to measure and price at (the reference spot). */
  snapshot: () => Promise<MarketSnapshot>;
  /** WETH held at the first start plus capital moved in since: the WETH that is capital, not exposure. */
  baselineWeth: () => bigint;
}

const PAUSED = "hedge_paused";

/**
 * Keeps the book's net delta inside a no-trade band by swapping on the spot venue: measure the exposure,
 * size the swap (hedge ratio, cap), price it with QuoterV2 (impact, fee and gas widen the band), send it
 * through SwapRouter with `amountOutMinimum` from the quote less the slippage bound, and book it. A refused
 * or failed swap is tried again on a fresh quote up to `maxAttempts`; beyond that the kill switch stops
 * quoting with the reason, since the book can no longer be kept inside its limits.
 */
export class Hedger {
  #running: Promise<HedgeOutcome> | null = null;
  #last: HedgeOutcome | null = null;

  constructor(readonly deps: HedgerDeps) {}

  get paused(): boolean {
    return this.deps.ctx.store.meta(PAUSED) === "true";
  }

  /** Stops (or restarts) hedging, across restarts; a forced run still hedges. */
  setPaused(paused: boolean): void {
    this.deps.ctx.store.setMeta(PAUSED, String(paused));
    this.deps.ctx.log.warn({ paused }, paused ? "hedging paused" : "hedging resumed");
  }

  /** The last check's outcome. */
  get last(): HedgeOutcome | null {
    return this.#last;
  }

  /** The exposure now, and the band at the current cost of a swap of that size. */
  async exposure(): Promise<Exposure> {
    return this.exposureAt(await this.deps.snapshot());
  }

  /**
   * One check: hedge when outside the band. `manual` (the operator asked) runs while paused; `force` also
   * swaps whatever the band and the cost. One check at a time.
   */
  run(opts: { force?: boolean; manual?: boolean } = {}): Promise<HedgeOutcome> {
    if (this.#running) return Promise.resolve({ action: "busy" });
    this.#running = this.#run(opts.force === true, opts.manual === true || opts.force === true).finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #run(force: boolean, manual: boolean): Promise<HedgeOutcome> {
    const { ctx } = this.deps;
    if (!ctx.config.hedge.enabled && !manual) return this.#done({ action: "disabled" });
    if (this.paused && !manual) return this.#done({ action: "paused" });
    await this.reconcile();
    const snap = await this.deps.snapshot();
    const exposure = this.exposureAt(snap);
    const p = ctx.config.hedge;
    const wanted = hedgeSize(exposure, force ? { ...p, bandUsd: 0, hedgeRatio: p.hedgeRatio || 1 } : p);
    if (!wanted) return this.#done({ action: "inside band", exposure, bandUsd: p.bandUsd });
    const size = withinRoom(wanted, this.#room(wanted), snap.spot.price);
    if (!size) return this.#done({ action: "no collateral room", exposure, bandUsd: p.bandUsd });
    const quoted = await this.deps.venue.quoteExactIn({
      sell: size.sell,
      amountIn: amountInFor(size, snap.spot.price),
    });
    const cost = this.#cost(size, quoted.amountOut, snap);
    const bandUsd = costBand(cost, ctx.book.surface.slice(snap.now).atmVol, p);
    if (!force && Math.abs(exposure.netDeltaUsd) <= bandUsd) {
      return this.#done({ action: "not worth it", exposure, bandUsd, cost });
    }
    return this.#done(await this.#execute(size, exposure, snap, bandUsd, cost));
  }

  #done(outcome: HedgeOutcome): HedgeOutcome {
    this.#last = outcome;
    if (outcome.action === "hedged" || outcome.action === "failed") {
      this.deps.ctx.log.info({ hedge: outcome.action, ...summary(outcome) }, "hedge check");
      const gasCost = outcome.action === "hedged" ? outcome.hedge.gasCost : 0n;
      this.deps.ctx.events.emit("hedge", { action: outcome.action, gasCost });
    }
    return outcome;
  }

  /** What the swap may spend of the asset it sells without lifting collateral utilisation over the limit. */
  #room(size: HedgeSize): bigint {
    const { inventory, limits } = this.deps.ctx.book;
    const locked = inventory.locked();
    const max = limits.current.maxCollateralUtilisation;
    return size.sell === "weth"
      ? spendable(inventory.cash.weth, locked.weth, max)
      : spendable(inventory.cash.usdc, locked.usdc, max);
  }

  /** The exposure at a market state the caller already has. */
  exposureAt(snap: MarketSnapshot): Exposure {
    const { inventory } = this.deps.ctx.book;
    const options = snap.greeks(inventory).deltaUsd;
    const weth = inventory.cash.weth + inventory.locked().weth;
    return exposureOf(options, weth, this.deps.baselineWeth(), snap.spot.price);
  }

  #cost(size: HedgeSize, amountOut: bigint, snap: MarketSnapshot): HedgeCost {
    const { hedge, router } = this.deps.ctx.config;
    const gasUsd = hedge.gasUnits * router.gasPriceGwei * 1e-9 * snap.spot.price;
    return hedgeCost(
      { sell: size.sell, amountIn: amountInFor(size, snap.spot.price), amountOut },
      snap.spot.price,
      gasUsd,
    );
  }

  /** Tries the swap up to `maxAttempts` times, each on a fresh quote; trips the kill switch when all fail. */
  async #execute(size: HedgeSize, exposure: Exposure, snap: MarketSnapshot, bandUsd: number, cost: HedgeCost) {
    const { ctx } = this.deps;
    let error = "";
    for (let attempt = 1; attempt <= ctx.config.hedge.maxAttempts; attempt++) {
      const result = await this.#attempt(size, exposure, snap, attempt);
      if (typeof result !== "string") return { action: "hedged", exposure, bandUsd, cost, hedge: result } as const;
      error = result;
      if (error === PENDING) break;
    }
    const attempts = ctx.config.hedge.maxAttempts;
    if (error !== PENDING) {
      ctx.killSwitch.trip(StopReason.HedgeFailed, `hedge failed ${attempts} times: ${error}`, snap.now);
    }
    return { action: "failed", exposure, error, attempts } as const;
  }

  /** One swap: quote, record, send, book. Returns the booked hedge or why it failed. */
  async #attempt(size: HedgeSize, exposure: Exposure, snap: MarketSnapshot, attempt: number) {
    const { ctx, venue, sender } = this.deps;
    const p = ctx.config.hedge;
    const mid = snap.spot.price;
    const amountIn = amountInFor(size, mid);
    let id: number | null = null;
    try {
      const quoted = await venue.quoteExactIn({ sell: size.sell, amountIn });
      const minOut = minOutFor(quoted.amountOut, p.maxSlippageBps);
      const at = snap.now;
      id = insertHedge(ctx.store, {
        at,
        sell: size.sell,
        amountIn,
        minOut,
        mid,
        deltaBeforeUsd: exposure.netDeltaUsd,
        attempt,
      });
      const deadline = BigInt(at + p.deadlineSeconds);
      const call = venue.swapCall({
        sell: size.sell,
        amountIn,
        amountOutMinimum: minOut,
        recipient: ctx.solver,
        deadline,
      });
      const hash = await sender.send(call);
      markHedgeSent(ctx.store, id, hash);
      const receipt = await sender.receipt(hash).catch(() => null);
      if (!receipt) return PENDING;
      return this.#book(id, receipt) ?? "the swap reverted";
    } catch (error) {
      const reason = revertReason(error);
      if (id !== null) markHedgeFailed(ctx.store, id, reason);
      ctx.log.warn({ attempt, reason }, "hedge attempt failed");
      return reason;
    }
  }

  /**
   * Books a mined swap: its record, and (`adjustCash`) the inventory's cash by the pool's `Swap` event;
   * null, recorded as failed, when it moved nothing.
   */
  #book(id: number, receipt: TransactionReceipt, adjustCash = true): HedgeRecord | null {
    const { ctx, venue } = this.deps;
    const result = receipt.status === "success" ? venue.swapResult(receipt, ctx.solver) : null;
    if (!result) {
      markHedgeFailed(ctx.store, id, "the swap reverted");
      return null;
    }
    if (adjustCash) {
      const { inventory } = ctx.book;
      const cash = inventory.cash;
      inventory.cash = { weth: cash.weth + result.wethDelta, usdc: cash.usdc + result.usdcDelta };
    }
    const gasCost = receipt.gasUsed * receipt.effectiveGasPrice;
    markHedgeDone(ctx.store, id, { block: Number(receipt.blockNumber), ...result, gasCost });
    return hedgeByTx(ctx.store, receipt.transactionHash) ?? null;
  }

  /**
   * Start-up and before each check: a swap sent but not seen mined (a crash, a lost receipt) is looked up.
   * Mined, it is booked as recorded; the inventory's cash was read from the chain at start-up, so only the
   * record moves then (`adjustCash` false). Not found, it stays pending until the chain knows.
   */
  async reconcile(opts: { adjustCash?: boolean } = {}): Promise<number> {
    const { ctx, sender } = this.deps;
    let booked = 0;
    for (const h of listHedges(ctx.store, { status: "sent" })) {
      const receipt = await sender.clients.publicClient.getTransactionReceipt({ hash: h.txHash! }).catch(() => null);
      if (!receipt) continue;
      this.#book(h.id, receipt, opts.adjustCash !== false);
      booked++;
    }
    return booked;
  }
}

/** A swap sent whose receipt did not come: not a failure of the swap (it may still be mined). */
const PENDING = "the swap was sent; its receipt has not come yet";

function summary(o: HedgeOutcome): Record<string, unknown> {
  if (!("exposure" in o)) return {};
  const base = { netDeltaUsd: Math.round(o.exposure.netDeltaUsd) };
  if (o.action === "hedged") return { ...base, tx: o.hedge.txHash, costUsd: o.cost.totalUsd };
  if (o.action === "failed") return { ...base, error: o.error, attempts: o.attempts };
  return base;
}
