import { nameOf } from "../../domain/series.js";
import type { SeriesTerms } from "../../domain/seriesId.js";
import { ErrorCode, QuoteDeclined } from "../../errors.js";
import { fromOptions } from "../../inventory/inventory.js";
import type { PriceCheck } from "../../market/reference.js";
import type { OptionValuation } from "../../pricing/optionPricer.js";
import type { QuoteRequest } from "../../types.js";
import type { EngineContext } from "../context.js";
import { onChain } from "../declines.js";
import { atReference, type MarketSnapshot, snapshotAt } from "../snapshot.js";

/** One request with everything resolved for it: its series, the market snapshot and the option's value. */
export interface QuoteCase {
  readonly request: QuoteRequest;
  readonly terms: SeriesTerms;
  readonly snap: MarketSnapshot;
  readonly userBuys: boolean;
  readonly valuation: OptionValuation;
  /** The reference price beside the oracle and the pool (the snapshot's spot is the reference). */
  readonly check: PriceCheck;
}

/** Refuses what no market state could quote: a stopped solver, a size that is not positive or too large. */
export function admit(ctx: EngineContext, request: QuoteRequest): void {
  ctx.killSwitch.assertQuoting();
  if (request.amount <= 0n) throw new QuoteDeclined(ErrorCode.SizeInvalid, "amount must be positive");
  const { maxOrderSize } = ctx.book.limits.current;
  if (request.amount > fromOptions(maxOrderSize)) {
    throw new QuoteDeclined(ErrorCode.SizeTooLarge, `amount above the maximum order of ${maxOrderSize} options`);
  }
}

/**
 * Resolves a request once: chain time, the live series, the oracle's round (the kill switch checks its
 * age), the reference price (the oracle and the pool must agree with it within the bound), and the snapshot
 * at the reference price that every later step prices on.
 */
export async function resolve(ctx: EngineContext, request: QuoteRequest): Promise<QuoteCase> {
  const now = await onChain(ctx.killSwitch, () => ctx.market.chainTime());
  const terms = await liveSeries(ctx, request.seriesId, now);
  const spot = await onChain(ctx.killSwitch, () => ctx.market.spot());
  gate(ctx, spot.updatedAt, now);
  const check = await ctx.reference.check(spot, now);
  ctx.reference.assertAgrees(check);
  const snap = snapshotAt(ctx, now, atReference(spot, check.reference));
  return { request, terms, snap, userBuys: request.side === "buy", valuation: snap.value(terms), check };
}

/** The kill switch on the latest read: the chain answered; the oracle is fresh; quoting is not paused. */
function gate(ctx: EngineContext, oracleUpdatedAt: number, now: number): void {
  const { killSwitch } = ctx;
  killSwitch.chainUp();
  killSwitch.checkOracle(oracleUpdatedAt, now);
  if (!killSwitch.paused) return;
  const state = killSwitch.state;
  const code = state.reason === "ORACLE_STALE" ? ErrorCode.OracleStale : ErrorCode.SolverPaused;
  throw new QuoteDeclined(code, `solver paused: ${state.reason}`, { details: { ...state } });
}

/** The series of a request, if it exists on this pair and has not expired. */
async function liveSeries(ctx: EngineContext, seriesId: bigint, now: number): Promise<SeriesTerms> {
  const { market, killSwitch } = ctx;
  // A series created since the block the market answers from is found by the flow's retry on a fresh block.
  const terms = (await onChain(killSwitch, () => market.listSeries())).get(seriesId);
  if (!terms || terms.pairId !== ctx.deployment.pairId)
    throw new QuoteDeclined(ErrorCode.SeriesUnknown, "unknown series");
  if (terms.expiry <= now) throw new QuoteDeclined(ErrorCode.SeriesExpired, `${nameOf(seriesId)} has expired`);
  return terms;
}
