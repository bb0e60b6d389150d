import type { Config } from "../config/schema.js";
import type { BookGreeks } from "../inventory/inventory.js";
import type { OptionValuation } from "../pricing/optionPricer.js";

export type SkewParams = Config["skew"];

/**
 * Inventory skew of the reservation price, in USD per option (Avellaneda-Stoikov, on delta and vega).
 *
 * The solver's risk over a horizon h is 1/2 gamma Var(PnL), with Var = (D S sigma)^2 h + (V nu_v)^2 h for a
 * book of D underlying units of delta and V USD per 1.0 of vol. Buying one more option with delta d and vega
 * v changes that risk by gamma (S^2 sigma^2 h D d + nu_v^2 h V v), so the price the solver is indifferent at
 * moves by minus that. A book long delta or long vega therefore bids lower and offers cheaper, to shed it;
 * short books do the opposite. Both sides of the quote move together around this reservation price.
 */
export function reservationShift(
  option: OptionValuation,
  book: BookGreeks,
  spot: number,
  atmVol: number,
  params: SkewParams,
): number {
  const h = params.horizonDays / 365;
  const netDelta = book.deltaUsd / spot;
  const netVega = book.vegaUsd * 100;
  const deltaRisk = spot * spot * atmVol * atmVol * h * netDelta * option.delta;
  const vegaRisk = params.volOfVol * params.volOfVol * h * netVega * option.vega;
  return -params.riskAversion * (deltaRisk + vegaRisk);
}
