import type { ReportChain } from "./chain.js";

/**
 * Block timestamps for one report: each block read once, and the blocks at given chain times found by binary
 * search (timestamps never decrease from block to block).
 */
export class BlockClock {
  readonly #times = new Map<bigint, Promise<number>>();

  constructor(private readonly chain: Pick<ReportChain, "blockTime">) {}

  time(block: bigint): Promise<number> {
    let t = this.#times.get(block);
    if (!t) {
      t = this.chain.blockTime(block);
      this.#times.set(block, t);
    }
    return t;
  }

  /** The first block in [lo, hi] whose timestamp is at or after `t`; null when none is. */
  async firstAtOrAfter(t: number, lo: bigint, hi: bigint): Promise<bigint | null> {
    if (lo > hi || (await this.time(hi)) < t) return null;
    while (lo < hi) {
      const mid = (lo + hi) / 2n;
      if ((await this.time(mid)) >= t) hi = mid;
      else lo = mid + 1n;
    }
    return lo;
  }

  /** The last block in [lo, hi] whose timestamp is at or before `t`; null when none is. */
  async lastAtOrBefore(t: number, lo: bigint, hi: bigint): Promise<bigint | null> {
    if (lo > hi || (await this.time(lo)) > t) return null;
    while (lo < hi) {
      const mid = (lo + hi + 1n) / 2n;
      if ((await this.time(mid)) <= t) lo = mid;
      else hi = mid - 1n;
    }
    return lo;
  }
}
