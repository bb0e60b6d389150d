import type { SeriesTerms } from "./seriesId.js";

/**
 * What the ledger pays at settlement price `price` (quote base units per whole underlying) for `amount`
 * options, in the premium asset's base units: `OptionMath.payoffs`, rounded down on both sides as the
 * ledger rounds. A call pays (S-K)/S underlying per option and leaves K/S to the writer; a put pays K-S and
 * leaves S.
 */
export function payoffs(
  terms: Pick<SeriesTerms, "isCall" | "strike">,
  price: bigint,
  amount: bigint,
  underlyingUnit = 10n ** 18n,
): { long: bigint; short: bigint } {
  const k = terms.strike;
  if (terms.isCall) {
    if (price <= k) return { long: 0n, short: amount };
    return { long: (amount * (price - k)) / price, short: (amount * k) / price };
  }
  if (price >= k) return { long: 0n, short: (k * amount) / underlyingUnit };
  return { long: ((k - price) * amount) / underlyingUnit, short: (price * amount) / underlyingUnit };
}
