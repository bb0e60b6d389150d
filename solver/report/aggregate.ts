import type { Hex } from "viem";
import { type AmountJson, amountJson, OPTION_DECIMALS } from "../domain/amount.js";
import type { Route } from "../domain/route.js";
import { type BucketName, bucketOf, ROUTES, SIZE_BUCKETS } from "./buckets.js";
import type { FillFacts } from "./collect.js";
import { type FillFigures, fillFigures, MARK_SCALE } from "./fillFigures.js";
import { median, p95 } from "./quantiles.js";
import type { TapeEntry } from "./tape.js";
import { type PairScale, ratio, usdUnit } from "./usd.js";

/** Decimals of the final figures: USD to the micro-dollar, bps to the hundredth, shares to 1e-6. */
const USD_DIGITS = 6;
const BPS_DIGITS = 2;
const SHARE_DIGITS = 6;

/** One line of the report: the fills and orders of one size bucket and one route ("all": every one). */
export interface ReportRow {
  bucket: BucketName | "all";
  route: Route | "all";
  orders: number;
  filledOrders: number;
  fillRate: number | null;
  fills: number;
  options: AmountJson;
  notionalUsd: number;
  internalShare: number | null;
  internalFills: number;
  improvedFills: number;
  improvedShare: number | null;
  avgImprovementBps: number | null;
  avgImprovementUsd: number | null;
  totalImprovementUsd: number;
  timedFills: number;
  medianQuoteToFillSeconds: number | null;
  p95QuoteToFillSeconds: number | null;
  markedFills: number;
  pendingMarkouts: number;
  avgMarkoutBps: number | null;
  avgMarkoutUsd: number | null;
  totalMarkoutUsd: number;
}

/** Every bucket × route, then each bucket's "all" routes, then "all" buckets: a fixed 20 rows, in this order. */
export function cells(): Array<{ bucket: BucketName | "all"; route: Route | "all" }> {
  const buckets = [...SIZE_BUCKETS.map((b) => b.name), "all" as const];
  return buckets.flatMap((bucket) => [...ROUTES, "all" as const].map((route) => ({ bucket, route })));
}

/**
 * The report's rows from the window's fills and the tape. `tape` may start before the window (so that a fill
 * whose quote was priced just before it still has its quote-to-fill time); orders count only when their
 * quote was priced in [from, to].
 */
export function aggregate(
  facts: readonly FillFacts[],
  tape: readonly TapeEntry[],
  window: { from: number; to: number },
  scale: PairScale,
): ReportRow[] {
  const byOrder = new Map(tape.filter((e) => e.orderHash !== null).map((e) => [e.orderHash!, e]));
  const figures = facts.map((f) => fillFigures(f, byOrder.get(f.orderHash.toLowerCase() as Hex), scale));
  const orders = tape.filter((e) => e.orderHash !== null && e.createdAt >= window.from && e.createdAt <= window.to);
  const filled = new Set(figures.map((f) => f.orderHash.toLowerCase()));
  const unit = usdUnit(scale);
  return cells().map(({ bucket, route }) => {
    const inCell = (b: BucketName, r: Route) => (bucket === "all" || b === bucket) && (route === "all" || r === route);
    const figs = figures.filter((f) => inCell(f.bucket, f.route));
    return {
      bucket,
      route,
      ...orderFigures(
        orders.filter((e) => inCell(bucketOf(e.amount), e.route)),
        filled,
      ),
      ...sizeFigures(figs, unit),
      ...improvementFigures(figs, unit),
      ...timeFigures(figs),
      ...markoutFigures(figs, unit),
    };
  });
}

/** Signed orders accepted, and how many of them filled in the window. */
export function orderFigures(orders: readonly TapeEntry[], filled: ReadonlySet<string>) {
  const filledOrders = orders.filter((e) => filled.has(e.orderHash!)).length;
  return {
    orders: orders.length,
    filledOrders,
    fillRate: orders.length > 0 ? ratio(BigInt(filledOrders), BigInt(orders.length), SHARE_DIGITS) : null,
  };
}

/** Fills, options, notional at each fill's spot, and the internal part's share of that notional. */
export function sizeFigures(figs: readonly FillFigures[], unit: bigint) {
  const sum = (f: (x: FillFigures) => bigint) => figs.reduce((s, x) => s + f(x), 0n);
  const notional = sum((x) => x.notionalUsd);
  return {
    fills: figs.length,
    options: amountJson(
      sum((x) => x.amount),
      { symbol: "options", decimals: OPTION_DECIMALS },
    ),
    notionalUsd: ratio(notional, unit, USD_DIGITS),
    internalShare:
      notional > 0n
        ? ratio(
            sum((x) => x.internalNotionalUsd),
            notional,
            SHARE_DIGITS,
          )
        : null,
  };
}

/** The internal parts against the AMM's price for them, weighted by that price in USD. */
export function improvementFigures(figs: readonly FillFigures[], unit: bigint) {
  const internal = figs.flatMap((x) => (x.improvement ? [x.improvement] : []));
  const total = internal.reduce((s, x) => s + x.usd, 0n);
  const reference = internal.reduce((s, x) => s + x.referenceUsd, 0n);
  const improved = internal.filter((x) => x.usd > 0n).length;
  return {
    internalFills: internal.length,
    improvedFills: improved,
    improvedShare: figs.length > 0 ? ratio(BigInt(improved), BigInt(figs.length), SHARE_DIGITS) : null,
    avgImprovementBps: reference > 0n ? ratio(total * 10_000n, reference, BPS_DIGITS) : null,
    avgImprovementUsd: internal.length > 0 ? ratio(total, unit * BigInt(internal.length), USD_DIGITS) : null,
    totalImprovementUsd: ratio(total, unit, USD_DIGITS),
  };
}

/** Quote-to-fill times of the fills found on the tape. */
export function timeFigures(figs: readonly FillFigures[]) {
  const times = figs.flatMap((x) => (x.quoteToFill === null ? [] : [x.quoteToFill]));
  return { timedFills: times.length, medianQuoteToFillSeconds: median(times), p95QuoteToFillSeconds: p95(times) };
}

/** The liquidity side's markouts, weighted by premium in USD; fills whose horizon is still ahead are counted apart. */
export function markoutFigures(figs: readonly FillFigures[], unit: bigint) {
  const marked = figs.filter((x): x is FillFigures & { markout: bigint } => typeof x.markout === "bigint");
  const total = marked.reduce((s, x) => s + x.markout, 0n);
  const premium = marked.reduce((s, x) => s + x.premiumUsd, 0n);
  return {
    markedFills: marked.length,
    pendingMarkouts: figs.filter((x) => x.markout === "pending").length,
    avgMarkoutBps: premium > 0n ? ratio(total * 10_000n, premium * MARK_SCALE, BPS_DIGITS) : null,
    avgMarkoutUsd: marked.length > 0 ? ratio(total, unit * MARK_SCALE * BigInt(marked.length), USD_DIGITS) : null,
    totalMarkoutUsd: ratio(total, unit * MARK_SCALE, USD_DIGITS),
  };
}
