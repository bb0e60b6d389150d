import type { Engine } from "../engine/engine.js";
import type { HedgeOutcome, Hedger } from "../engine/hedge/hedger.js";
import { hedgeTotals } from "../engine/pnl.js";
import { ErrorCode, RequestRejected } from "../errors.js";
import { type HedgeRecord, listHedges } from "../store/hedges.js";

/** The hedger, or HEDGE_UNAVAILABLE when the deployment has no spot venue. */
export function hedgerOf(engine: Engine): Hedger {
  if (!engine.hedger) {
    throw new RequestRejected(ErrorCode.HedgeUnavailable, "no spot venue in the deployment: hedging is unavailable");
  }
  return engine.hedger;
}

/**
 * A hedge as the API shows it: amounts as decimal strings in base units, times in chain seconds, and once
 * booked its cost and gas in USD as the PnL split counts them (`hedgeTotals`).
 */
export function hedgeView(h: HedgeRecord) {
  const booked = h.status === "done" ? hedgeTotals([h], h.mid) : null;
  return {
    ...h,
    costUsd: booked?.costUsd ?? null,
    gasUsd: booked?.gasUsd ?? null,
    amountIn: h.amountIn.toString(),
    minOut: h.minOut.toString(),
    wethDelta: h.wethDelta.toString(),
    usdcDelta: h.usdcDelta.toString(),
    gasCost: h.gasCost.toString(),
  };
}

/** A check's outcome with its amounts as strings. */
export function outcomeView(o: HedgeOutcome | null) {
  if (!o) return null;
  return "hedge" in o ? { ...o, hedge: hedgeView(o.hedge) } : o;
}

/** The hedger's state: config, pause, the exposure now, the last check, totals and the latest hedges. */
export async function hedgeReport(engine: Engine, recent = 20) {
  const hedger = hedgerOf(engine);
  const v = await engine.valuationNow();
  const [exposure, pnl] = [hedger.exposureAt(v.snapshot), await engine.pnlNow(v)];
  const all = listHedges(engine.store);
  const count = (status: HedgeRecord["status"]) => all.filter((h) => h.status === status).length;
  return {
    enabled: engine.config.hedge.enabled,
    paused: hedger.paused,
    params: engine.config.hedge,
    venue: engine.deployment.uniswap ?? null,
    exposure,
    last: outcomeView(hedger.last),
    totals: { done: count("done"), failed: count("failed"), pending: count("sent") },
    hedgePnlUsd: pnl.hedgePnlUsd,
    hedgeCostUsd: pnl.hedgeCostUsd,
    hedges: all.slice(-recent).reverse().map(hedgeView),
  };
}
