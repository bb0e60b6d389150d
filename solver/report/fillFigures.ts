import type { Hex } from "viem";
import { OPTION_DECIMALS } from "../domain/amount.js";
import type { Route } from "../domain/route.js";
import { decodeSeriesId } from "../domain/seriesId.js";
import { Side } from "../domain/side.js";
import { type BucketName, bucketOf, routeOfFill } from "./buckets.js";
import type { FillFacts } from "./collect.js";
import type { Mark } from "./markout.js";
import type { TapeEntry } from "./tape.js";
import { optionsUsd, type PairScale, premiumUsd } from "./usd.js";

/** Markouts are kept exact with this extra factor: the mark is the mean of two premiums for one option. */
export const MARK_SCALE = 2n * 10n ** BigInt(OPTION_DECIMALS);

/** One fill's contribution to the report, exact: USD amounts in the units of `usdUnit`. */
export interface FillFigures {
  orderHash: Hex;
  bucket: BucketName;
  route: Route;
  /** Options filled (base units). */
  amount: bigint;
  notionalUsd: bigint;
  internalNotionalUsd: bigint;
  premiumUsd: bigint;
  /** The internal part against the AMM's price for it (the Filled event's reference); null without one. */
  improvement: { usd: bigint; referenceUsd: bigint } | null;
  /** Seconds of chain time from the quote's pricing to the fill's block; null without a tape entry. */
  quoteToFill: number | null;
  /** The liquidity side's markout in USD units × MARK_SCALE; null when the vault had no price at the mark. */
  markout: bigint | "pending" | null;
}

/** How much better than the AMM's price the user did, in the premium asset: a buyer pays less, a seller gets more. */
export function improvementOf(side: number, premium: bigint, reference: bigint): bigint {
  return side === Side.Buy ? reference - premium : premium - reference;
}

/**
 * The liquidity side's result `horizon` seconds on, in premium base units × MARK_SCALE: having sold the options
 * (the user bought) it earned the premium less the options' mid then; having bought them, the reverse.
 */
export function markoutOf(side: number, premium: bigint, amount: bigint, mark: Mark): bigint | "pending" | null {
  if (mark.status === "pending") return "pending";
  if (mark.status === "unavailable") return null;
  const value = (mark.ask + mark.bid) * amount;
  return side === Side.Buy ? premium * MARK_SCALE - value : value - premium * MARK_SCALE;
}

/** A fill's figures; `quote` is its entry on the tape, when the tape has it. */
export function fillFigures(f: FillFacts, quote: TapeEntry | undefined, s: PairScale): FillFigures {
  const isCall = decodeSeriesId(f.seriesId).isCall;
  const usd = (raw: bigint) => premiumUsd(raw, isCall, f.spot, s);
  const amount = f.internalAmount + f.ammAmount;
  const markout = markoutOf(f.side, f.premium, amount, f.mark);
  return {
    orderHash: f.orderHash,
    bucket: bucketOf(amount),
    route: routeOfFill(f.internalAmount, f.ammAmount),
    amount,
    notionalUsd: optionsUsd(amount, f.spot, s),
    internalNotionalUsd: optionsUsd(f.internalAmount, f.spot, s),
    premiumUsd: usd(f.premium),
    improvement:
      f.internalAmount > 0n
        ? {
            usd: usd(improvementOf(f.side, f.internalPremium, f.ammReferencePremium)),
            referenceUsd: usd(f.ammReferencePremium),
          }
        : null,
    quoteToFill: quote ? f.timestamp - quote.createdAt : null,
    markout: typeof markout === "bigint" ? usd(markout) : markout,
  };
}
