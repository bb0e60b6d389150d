import type { Address } from "viem";
import type { BlockClock } from "./blocks.js";
import type { FilledAt, ReportChain } from "./chain.js";
import { type Mark, markFill } from "./markout.js";

/** One fill as the chain has it: the event, its block's time, the oracle's answer then, and its markout mark. */
export type FillFacts = FilledAt & { timestamp: number; spot: bigint; mark: Mark };

/** Reads in flight at once per report: enough to hide latency, few enough not to flood a shared node. */
const PARALLEL = 8;

/**
 * Facts of fills whose horizon has passed, kept between reports: a mined fill, its block's oracle answer and a
 * past block's vault quote cannot change (a pending mark is never kept). Bounded: the oldest go first.
 */
export class FactsCache {
  readonly #rows = new Map<string, FillFacts>();

  constructor(readonly capacity = 100_000) {}

  get size(): number {
    return this.#rows.size;
  }

  get(key: string): FillFacts | undefined {
    return this.#rows.get(key);
  }

  set(key: string, facts: FillFacts): void {
    if (facts.mark.status === "pending") return;
    if (this.#rows.size >= this.capacity) this.#rows.delete(this.#rows.keys().next().value!);
    this.#rows.set(key, facts);
  }
}

/** The solver's fills mined in the block range, each with its time, spot and mark `horizon` seconds later. */
export async function collectFills(
  src: { chain: ReportChain; solver: Address; cache?: FactsCache },
  clock: BlockClock,
  range: { fromBlock: bigint; toBlock: bigint },
  horizon: number,
  latest: bigint,
): Promise<FillFacts[]> {
  const events = await src.chain.filled(src.solver, range.fromBlock, range.toBlock);
  return inBatches(events, PARALLEL, async (e) => {
    const key = `${e.txHash}:${e.logIndex}:${horizon}`;
    const cached = src.cache?.get(key);
    if (cached) return cached;
    const facts = await factsOf(src.chain, clock, e, horizon, latest);
    src.cache?.set(key, facts);
    return facts;
  });
}

async function factsOf(
  chain: ReportChain,
  clock: BlockClock,
  e: FilledAt,
  horizon: number,
  latest: bigint,
): Promise<FillFacts> {
  const [timestamp, spot] = await Promise.all([clock.time(e.block), chain.spotAt(e.block)]);
  const mark = await markFill(chain, clock, { seriesId: e.seriesId, block: e.block, timestamp }, horizon, latest);
  return { ...e, timestamp, spot, mark };
}

/** `fn` over `items`, `size` at a time, results in order. */
async function inBatches<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}
