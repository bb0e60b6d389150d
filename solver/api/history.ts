import type { Engine } from "../engine/engine.js";
import type { PnlAtBlock } from "../engine/pnlViews.js";
import { fillsUpTo } from "../store/fills.js";
import type { FillRecord } from "../types.js";
import type { Metrics } from "./metrics.js";
import { sampleBlocks } from "./vaults.js";
import { improvementOf } from "./views.js";

/** PnL at a past block is a pure function of the chain and the fill log up to it: computed once per block. */
const pnlCache = new Map<number, PnlAtBlock>();

/**
 * The operator dashboard's time series: PnL and its split at `points` blocks from the deployment to now, and
 * per time bucket the fills, the share of notional internalized and the average improvement over the AMM.
 */
export async function operatorHistory(engine: Engine, points: number) {
  // PnL is measured from the solver's first start (before it, there was nothing to measure against).
  const first = BigInt(Math.max(engine.deployment.block + 1, engine.pnlStartBlock ?? 0));
  const latest = await engine.market.blockNumber();
  const blocks = sampleBlocks(first, latest, points);
  const pnl = [];
  // One block at a time: each reads the chain at that block, and the API keeps serving quotes meanwhile.
  for (const b of blocks) pnl.push(await pnlAt(engine, b, latest));
  return {
    pnl,
    flow: flowBuckets(
      fillsUpTo(engine.store),
      pnl.map((p) => p.chainTime),
    ),
  };
}

async function pnlAt(engine: Engine, block: bigint, latest: bigint): Promise<PnlAtBlock> {
  const cached = pnlCache.get(Number(block));
  if (cached) return cached;
  const p = await engine.pnlAt(block);
  if (block < latest) pnlCache.set(Number(block), p);
  return p;
}

/** Fills grouped by the interval (previous time, time] of each sampled time. */
export function flowBuckets(fills: readonly FillRecord[], times: readonly number[]) {
  return times.map((to, i) => {
    const from = i === 0 ? Number.NEGATIVE_INFINITY : times[i - 1]!;
    const inBucket = fills.filter((f) => f.timestamp > from && f.timestamp <= to);
    return { chainTime: to, ...flowStats(inBucket) };
  });
}

/** Fills, the internalized share of the options traded, and the internal parts' mean improvement in bps. */
export function flowStats(fills: readonly FillRecord[]) {
  let options = 0n;
  let internal = 0n;
  let bpsSum = 0;
  let improvedFills = 0;
  for (const f of fills) {
    options += f.internalAmount + f.ammAmount;
    internal += f.internalAmount;
    if (f.internalAmount === 0n) continue;
    bpsSum += improvementOf(f.side, f.internalPremium, f.ammReference).bps;
    improvedFills++;
  }
  return {
    fills: fills.length,
    internalizedShare: options === 0n ? null : Number((internal * 10_000n) / options) / 10_000,
    avgImprovementBps: improvedFills === 0 ? null : bpsSum / improvedFills,
  };
}

/** Declines and refusals counted since the solver started, by code (the Prometheus counter's values). */
export async function declinesByCode(metrics: Metrics): Promise<Array<{ code: string; count: number }>> {
  const { values } = await metrics.declines.get();
  return values
    .map((v) => ({ code: String(v.labels.code), count: v.value }))
    .filter((d) => d.count > 0)
    .sort((a, b) => b.count - a.count);
}
