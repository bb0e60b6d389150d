import { z } from "zod";
import type { ReferenceReading } from "./reference.js";

/** A feed's answer: the price (USD per ETH) and when it was observed (unix seconds). */
const FeedAnswer = z.object({ price: z.number().positive().finite(), timestamp: z.number().int().positive() });

/**
 * An external price feed over HTTP (`GET url` → `{ "price": 3012.5, "timestamp": 1764000000 }`), read at
 * most once per `cacheMs`. An answer older than `maxAgeSeconds` by the wall clock, a malformed body or a
 * slow server is an error: the solver never prices from a feed it cannot vouch for.
 */
export function httpFeed(opts: { url: string; maxAgeSeconds: number; cacheMs?: number; timeoutMs?: number }) {
  let cached: { at: number; reading: ReferenceReading } | null = null;
  return async (): Promise<ReferenceReading> => {
    const nowMs = Date.now();
    if (cached && nowMs - cached.at < (opts.cacheMs ?? 250)) return cached.reading;
    const response = await fetch(opts.url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 1_000) });
    if (!response.ok) throw new Error(`the feed answered HTTP ${response.status}`);
    const parsed = FeedAnswer.safeParse(await response.json());
    if (!parsed.success) throw new Error(`the feed's answer is malformed: ${z.prettifyError(parsed.error)}`);
    const age = nowMs / 1000 - parsed.data.timestamp;
    if (age > opts.maxAgeSeconds) throw new Error(`the feed's price is ${age.toFixed(0)} s old`);
    cached = { at: nowMs, reading: parsed.data };
    return parsed.data;
  };
}
