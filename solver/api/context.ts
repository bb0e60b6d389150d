import type { PublicClient } from "viem";
import { resolveSeries, SeriesLookupError } from "../domain/series.js";
import type { Engine } from "../engine/engine.js";
import { ErrorCode } from "../errors.js";
import type { Logger } from "../log.js";
import type { AccessVerifier } from "./access.js";
import type { RateLimiter, ReplayGuard, RequestVerifier } from "./guards.js";
import type { Metrics } from "./metrics.js";

/** What every route module is given: the engine and the API's guards, built once per server. */
export interface ApiContext {
  engine: Engine;
  /** Reads of on-chain state the engine does not keep (wallets' balances, vault figures, past blocks). */
  reader: PublicClient;
  metrics: Metrics;
  log: Logger;
  requests: RequestVerifier;
  access: AccessVerifier;
  replays: ReplayGuard;
  limiter: RateLimiter;
  ipLimiter: RateLimiter;
}

/**
 * A series id or instrument name, resolved against the ledger's series; a name not found is looked up once
 * more on a fresh block (the series may have been created a moment ago).
 */
export async function resolveSeriesText(engine: Engine, text: string): Promise<bigint> {
  const decimals = engine.units.quoteDecimals;
  try {
    return resolveSeries(text, await engine.market.listSeries(), decimals);
  } catch (error) {
    if (!(error instanceof SeriesLookupError) || error.code !== ErrorCode.SeriesUnknown) throw error;
    return resolveSeries(text, await engine.market.listSeries({ fresh: true }), decimals);
  }
}
