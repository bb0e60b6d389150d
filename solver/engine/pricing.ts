import type { Config } from "../config/schema.js";
import type { BookGreeks } from "../inventory/inventory.js";
import type { OptionValuation } from "../pricing/optionPricer.js";
import { reservationShift } from "../router/skew.js";

/** The solver's own price for one option, in the premium asset (WETH for calls, USDC for puts). */
export interface SolverPrice {
  /** Model value from the solver's surface. */
  model: number;
  /** Model value moved by the inventory skew: the price the solver is indifferent at. */
  reservation: number;
  /** What the solver charges (user buys) or pays (user sells): reservation -/+ half-spread. */
  quote: number;
  halfSpread: number;
}

/**
 * Prices one option for a request: model value from the solver's surface, shifted by the inventory skew,
 * plus (user buys) or minus (user sells) a half-spread of `halfSpreadBps` of value with a floor in bps of
 * spot, widened (in bps of notional) for a counterparty whose markouts look informed.
 */
export function solverPrice(opts: {
  valuation: OptionValuation;
  book: BookGreeks;
  spot: number;
  atmVol: number;
  isCall: boolean;
  userBuys: boolean;
  toxicWidenBps: number;
  pricing: Config["pricing"];
  skew: Config["skew"];
}): SolverPrice {
  const { valuation: v, spot } = opts;
  const shiftUsd = reservationShift(v, opts.book, spot, opts.atmVol, opts.skew);
  const halfUsd =
    Math.max((v.valueUsd * opts.pricing.halfSpreadBps) / 10_000, (spot * opts.pricing.minHalfSpreadSpotBps) / 10_000) +
    (spot * opts.toxicWidenBps) / 10_000;
  const reservationUsd = Math.max(0, v.valueUsd + shiftUsd);
  const quoteUsd = opts.userBuys ? reservationUsd + halfUsd : Math.max(0, reservationUsd - halfUsd);
  const toAsset = (usd: number) => (opts.isCall ? usd / spot : usd);
  return {
    model: toAsset(v.valueUsd),
    reservation: toAsset(reservationUsd),
    quote: toAsset(quoteUsd),
    halfSpread: toAsset(halfUsd),
  };
}
