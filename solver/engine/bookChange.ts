import { encodeSeriesId, type SeriesTerms } from "../domain/seriesId.js";
import type { TradeSide } from "../domain/side.js";
import type { BookChange } from "../inventory/inventory.js";

/**
 * What an internal fill does to the solver's book, from its side: on a user buy it delivers held longs and
 * writes the rest, and receives the premium; on a user sell it receives the longs and pays the premium.
 */
export function bookChange(
  terms: SeriesTerms,
  side: TradeSide,
  internal: bigint,
  mint: bigint,
  premium: bigint,
): BookChange {
  const seriesId = encodeSeriesId(terms);
  const cash = side === "buy" ? premium : -premium;
  return {
    seriesId,
    longs: side === "buy" ? -(internal - mint) : internal,
    shorts: side === "buy" ? mint : 0n,
    wethIn: terms.isCall ? cash : 0n,
    usdcIn: terms.isCall ? 0n : cash,
  };
}
