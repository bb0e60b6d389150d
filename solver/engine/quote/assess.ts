import { decodeSeriesId } from "../../domain/seriesId.js";
import { toOptions } from "../../inventory/inventory.js";
import { type FlowAssessment, FlowGuard } from "../../router/flowGuard.js";
import type { RoutingStrategy } from "../../router/strategies.js";
import type { FillRecord } from "../../types.js";
import type { EngineContext } from "../context.js";
import type { QuoteCase } from "./resolve.js";

const YEAR_SECONDS = 365 * 86_400;

/**
 * Step 1, assess: what the request's features say about adverse selection, whoever sent it (size,
 * moneyness, tenor, its side against the reference's last hour, the oracle's gap to the reference and the
 * round's age, realized vol, its segment's markouts), emitted as a "flow" event. Throws FLOW_TOXIC above
 * the decline threshold; null when the strategy does not use the flow step.
 */
export function assess(ctx: EngineContext, strategy: RoutingStrategy, q: QuoteCase): FlowAssessment | null {
  if (!strategy.usesFlowModel || !ctx.config.flow.enabled) return null;
  const { now, spot } = q.snap;
  const { check } = q;
  const assessment = ctx.book.flow.assess({
    amount: toOptions(q.request.amount),
    strike: Number(q.terms.strike) / 10 ** ctx.units.quoteDecimals,
    spot: spot.price,
    tenorYears: Math.max(q.terms.expiry - now, 0) / YEAR_SECONDS,
    isCall: q.terms.isCall,
    userBuys: q.userBuys,
    ...ctx.reference.recentMarket(now),
    oracleGapBps: ((check.reference - check.oracle) / check.oracle) * 10_000,
    oracleAgeSeconds: Math.max(now - spot.updatedAt, 0),
  });
  ctx.events.emit("flow", assessment);
  if (assessment.declined) throw FlowGuard.declineFor(assessment);
  return assessment;
}

/** The segment a fill fell in, as it was when filled (its size, strike, spot and tenor then). */
export function fillSegment(ctx: Pick<EngineContext, "units">, fill: FillRecord) {
  const terms = decodeSeriesId(fill.seriesId);
  return {
    amount: toOptions(fill.internalAmount),
    strike: Number(terms.strike) / 10 ** ctx.units.quoteDecimals,
    spot: fill.spot,
    tenorYears: Math.max(terms.expiry - fill.timestamp, 0) / YEAR_SECONDS,
    isCall: terms.isCall,
  };
}
