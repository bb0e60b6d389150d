import type { Config } from "../config/schema.js";
import { ErrorCode, QuoteDeclined } from "../errors.js";
import { recentMarket } from "../flow/features.js";
import type { Spot } from "./marketData.js";

export type ReferenceParams = Config["reference"];

/** A price read from a reference source, USD per ETH, with the time it was observed (seconds). */
export interface ReferenceReading {
  price: number;
  timestamp: number;
}

/**
 * The sources the reference can come from, built outside (the pool's mid from the Uniswap venue, an HTTP
 * feed, or in the simulation the true price path). The oracle needs no source: it is the spot read anyway.
 */
export interface ReferenceSources {
  pool?: () => Promise<number>;
  feed?: () => Promise<ReferenceReading>;
}

/** The reference beside the oracle and the pool, and how far each strays from it. */
export interface PriceCheck {
  reference: number;
  oracle: number;
  pool: number | null;
  /** (oracle - reference) / reference and (pool - reference) / reference, bps. */
  oracleGapBps: number;
  poolGapBps: number | null;
  /** Added half-spread for the disagreement, bps of notional. */
  widenBps: number;
}

/** Reference samples kept for the last hour's move and realized vol (one per chain second at most): two hours. */
const HISTORY_SECONDS = 2 * 3600;

/**
 * The solver's spot: the oracle, the pool's price or an external feed (`reference.source`). The oracle lags
 * the market by its deviation threshold and heartbeat, and informed flow trades on that lag, so the solver
 * measures both the oracle and the pool against the reference: it widens when either strays beyond
 * `widenAboveBps` and declines beyond `declineAboveBps`. It also keeps the reference's recent path, for the
 * flow model's features (the move over the last hour, realized vol).
 */
export class ReferencePrice {
  readonly #history: Array<{ time: number; price: number }> = [];

  constructor(
    readonly params: ReferenceParams,
    readonly sources: ReferenceSources = {},
  ) {}

  get source(): ReferenceParams["source"] {
    return this.params.source;
  }

  /** The reference at chain time `now` beside the oracle's round; records it in the history. */
  async check(oracle: Spot, now: number): Promise<PriceCheck> {
    const [reference, pool] = await Promise.all([this.#read(oracle), this.#pool()]);
    this.#record(now, reference);
    const gap = (x: number) => ((x - reference) / reference) * 10_000;
    const oracleGapBps = gap(oracle.price);
    const poolGapBps = pool === null ? null : gap(pool);
    const worst = Math.max(Math.abs(oracleGapBps), Math.abs(poolGapBps ?? 0));
    const widenBps = Math.max(0, worst - this.params.widenAboveBps) * this.params.widenPerBps;
    return { reference, oracle: oracle.price, pool, oracleGapBps, poolGapBps, widenBps };
  }

  /** Throws PRICE_DIVERGENCE when the oracle or the pool strays beyond `declineAboveBps`. */
  assertAgrees(c: PriceCheck): void {
    const worst = Math.max(Math.abs(c.oracleGapBps), Math.abs(c.poolGapBps ?? 0));
    if (worst <= this.params.declineAboveBps) return;
    const which = Math.abs(c.oracleGapBps) >= Math.abs(c.poolGapBps ?? 0) ? "oracle" : "pool";
    throw new QuoteDeclined(
      ErrorCode.PriceDivergence,
      `the ${which} is ${worst.toFixed(0)} bps from the reference price (bound ${this.params.declineAboveBps} bps)`,
      { details: { ...c } },
    );
  }

  /**
   * The reference's last hour up to `now`: its return (bps) and realized vol, computed exactly as the flow
   * model's training computed them (`recentMarket`), from the samples the solver took.
   */
  recentMarket(now: number, seconds = 3600): { recentReturnBps: number; realizedVol: number } {
    // Samples are in `recentMarket`'s own shape, so the quote path passes them without a copy.
    const h = this.#history;
    return recentMarket((h.at(-1)?.time ?? 0) <= now ? h : h.filter((s) => s.time <= now), seconds);
  }

  async #read(oracle: Spot): Promise<number> {
    const { source } = this.params;
    if (source === "oracle") return oracle.price;
    const read = source === "pool" ? this.sources.pool : async () => (await this.#feed()).price;
    if (!read) throw unavailable(`the ${source} source is not configured`);
    const price = await read().catch((cause: unknown) => {
      throw unavailable(`the ${source} price could not be read`, cause);
    });
    if (!(price > 0) || !Number.isFinite(price)) throw unavailable(`the ${source} answered ${price}`);
    return price;
  }

  async #feed(): Promise<ReferenceReading> {
    if (!this.sources.feed) throw unavailable("the feed source is not configured");
    return this.sources.feed();
  }

  async #pool(): Promise<number | null> {
    if (!this.sources.pool) return null;
    return this.sources.pool().catch(() => null);
  }

  #record(at: number, price: number): void {
    const last = this.#history.at(-1);
    if (last && last.time >= at) {
      if (last.time === at) last.price = price;
      return;
    }
    this.#history.push({ time: at, price });
    while (this.#history.length > 0 && this.#history[0]!.time < at - HISTORY_SECONDS) this.#history.shift();
  }
}

function unavailable(message: string, cause?: unknown): QuoteDeclined {
  return new QuoteDeclined(ErrorCode.ReferenceUnavailable, message, cause === undefined ? {} : { cause });
}
