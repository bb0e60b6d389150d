import { decodeSeriesId } from "../domain/seriesId.js";
import { ErrorCode, InternalizerError } from "../errors.js";
import { toOptions } from "../inventory/inventory.js";
import { markoutBps } from "../router/toxicity.js";
import { dueMarkouts, setMarkout } from "../store/fills.js";
import { expireQuotes } from "../store/quotes.js";
import type { EngineContext } from "./context.js";
import { declineForChain } from "./declines.js";
import type { PnlViews } from "./pnlViews.js";
import type { CapitalFlows, Hedging, Keeper, OrderSubmitter } from "./ports.js";
import { fillSegment } from "./quote/assess.js";
import { latestSnapshot, type MarketSnapshot, snapshotAt } from "./snapshot.js";

/** How often the keeper and the capital scan look for work, milliseconds of wall time. */
const KEEPER_INTERVAL_MS = 2_000;

/**
 * The engine's periodic work: expire quotes and their reservations, take due markouts into the toxicity
 * model, check the kill switch's conditions, send accepted orders, follow the operator's capital, and
 * settle expired series.
 */
export class Housekeeping {
  #keeperAt = 0;
  #capitalAt = 0;
  #hedgedAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly ctx: EngineContext,
    readonly parts: {
      submitter: OrderSubmitter;
      keeper: Keeper;
      capital: CapitalFlows;
      pnl: PnlViews;
      hedger?: Hedging | undefined;
    },
  ) {}

  async tick(): Promise<void> {
    const snap = await this.#snapshot();
    if (!snap) return;
    const { ctx } = this;
    // The store drops expired reservation rows in bulk; the in-memory book expires its own.
    ctx.book.reservations.expire(snap.now);
    ctx.book.commitments.expire(snap.now);
    expireQuotes(ctx.store, snap.now);
    ctx.killSwitch.checkOracle(snap.spot.updatedAt, snap.now);
    takeMarkouts(ctx, snap);
    ctx.killSwitch.checkDrawdown((await this.parts.pnl.now()).drawdownUsd, snap.now);
    await this.parts.submitter.flush({ minAgeMs: ctx.config.submitter.batchWindowMs });
    await this.#hedge(snap.now);
    if (Date.now() - this.#capitalAt >= KEEPER_INTERVAL_MS) {
      this.#capitalAt = Date.now();
      await this.#followCapital();
    }
    if (ctx.config.keeper.enabled && Date.now() - this.#keeperAt >= KEEPER_INTERVAL_MS) {
      this.#keeperAt = Date.now();
      await this.parts.keeper.run(await ctx.market.listSeries(), snap.now);
    }
  }

  /**
   * A hedge check every `hedge.intervalSeconds` of chain time, after the fills are booked. The hedger
   * handles its own failures (retries, then the kill switch); anything else it throws is logged, not fatal.
   */
  async #hedge(now: number): Promise<void> {
    const { hedger } = this.parts;
    if (!hedger || now - this.#hedgedAt < this.ctx.config.hedge.intervalSeconds) return;
    this.#hedgedAt = now;
    await hedger.run().catch((error: unknown) => this.ctx.log.warn({ err: error }, "hedge check failed"));
  }

  /** The latest market state; none while the chain is unreachable (nothing to do until it answers). */
  async #snapshot(): Promise<MarketSnapshot | null> {
    const { killSwitch } = this.ctx;
    try {
      const snap = await latestSnapshot(this.ctx);
      killSwitch.chainUp();
      return snap;
    } catch (error) {
      // An unreachable chain trips the kill switch (it lifts itself once the chain answers).
      const declined = declineForChain(error, killSwitch, Math.floor(Date.now() / 1000));
      if (declined instanceof InternalizerError && declined.code === ErrorCode.ChainUnavailable) return null;
      throw declined;
    }
  }

  /** The operator's deposits and withdrawals since the last scan move the book's cash, not its PnL. */
  async #followCapital(): Promise<void> {
    const { inventory } = this.ctx.book;
    for (const flow of await this.parts.capital.scan(await this.ctx.market.blockNumber())) {
      const cash = inventory.cash;
      inventory.cash = { ...cash, [flow.asset]: cash[flow.asset] + flow.amount };
      this.ctx.log.info({ asset: flow.asset, amount: flow.amount.toString(), tx: flow.txHash }, "capital moved");
    }
  }
}

/** Marks each fill whose horizon has passed against the model at `snap`, and feeds the toxicity model. */
export function takeMarkouts(ctx: EngineContext, snap: MarketSnapshot): void {
  for (const fill of dueMarkouts(ctx.store, snap.now)) {
    if (fill.internalAmount === 0n) {
      setMarkout(ctx.store, fill.orderHash, 0, 0);
      continue;
    }
    const terms = decodeSeriesId(fill.seriesId);
    // An expired series is marked at its value at expiry (time stops there).
    const mark = snapshotAt(ctx, Math.min(snap.now, terms.expiry), snap.spot).value(terms);
    const decimals = snap.premiumAsset(terms).decimals;
    const options = toOptions(fill.internalAmount);
    const fillPerOption = Number(fill.internalPremium) / 10 ** decimals / options;
    const bps = markoutBps(fill.side !== 0, snap.usd(fillPerOption, terms), mark.valueUsd, fill.spot);
    setMarkout(ctx.store, fill.orderHash, bps, (bps / 10_000) * fill.spot * options);
    ctx.book.toxicity.record(fill.user, bps);
    ctx.book.flow.record(fillSegment(ctx, fill), bps);
  }
}
