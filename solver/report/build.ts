import type { Address } from "viem";
import type { PairScales } from "../market/vaultReader.js";
import { aggregate } from "./aggregate.js";
import { BlockClock } from "./blocks.js";
import { bucketDefinitions } from "./buckets.js";
import type { ReportChain } from "./chain.js";
import { collectFills, type FactsCache } from "./collect.js";
import type { TapeEntry } from "./tape.js";
import { type ReportWindow, TAPE_LOOKBACK_SECONDS } from "./window.js";

/** Where a report's data comes from: the chain, and the solver's quote tape (its store, or its public API). */
export interface ReportSources {
  chain: ReportChain;
  scales: PairScales;
  chainId: number;
  settlement: Address;
  solver: Address;
  /** Every tape entry whose quote was priced in [from, to]. */
  tape(from: number, to: number): Promise<TapeEntry[]>;
  cache?: FactsCache;
}

/**
 * The execution-quality report for a window: the solver's fills mined in it (by block time), joined to its
 * quote tape, aggregated per size bucket and route. The solver's endpoint and the CLI both call this.
 */
export async function executionReport(src: ReportSources, w: ReportWindow) {
  const clock = new BlockClock(src.chain);
  const latest = await src.chain.latestBlock();
  const range = await blockRange(clock, w, src.chain.firstBlock, latest);
  const [facts, tape] = await Promise.all([
    range ? collectFills(src, clock, range, w.horizon, latest) : Promise.resolve([]),
    src.tape(Math.max(0, w.from - TAPE_LOOKBACK_SECONDS), w.to),
  ]);
  return {
    report: "execution-quality" as const,
    chainId: src.chainId,
    settlement: src.settlement,
    solver: src.solver,
    window: {
      from: w.from,
      to: w.to,
      horizonSeconds: w.horizon,
      fromBlock: range ? Number(range.fromBlock) : null,
      toBlock: range ? Number(range.toBlock) : null,
    },
    buckets: bucketDefinitions(),
    rows: aggregate(facts, tape, w, src.scales),
  };
}
export type ExecutionReport = Awaited<ReturnType<typeof executionReport>>;

/** The blocks mined in the window: from the first at or after `from` to the last at or before `to`. */
async function blockRange(clock: BlockClock, w: ReportWindow, first: bigint, latest: bigint) {
  const [fromBlock, toBlock] = await Promise.all([
    clock.firstAtOrAfter(w.from, first, latest),
    clock.lastAtOrBefore(w.to, first, latest),
  ]);
  return fromBlock !== null && toBlock !== null && fromBlock <= toBlock ? { fromBlock, toBlock } : null;
}
