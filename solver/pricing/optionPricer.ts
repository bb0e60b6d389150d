import type { SeriesTerms } from "../domain/seriesId.js";
import { blackScholes } from "./blackScholes.js";
import type { VolSurface } from "./volSurface.js";

const YEAR_SECONDS = 365 * 86_400;

/** Decimals of the devnet pair: WETH (18) underlying, USDC (6) quote. */
export interface PairUnits {
  underlyingDecimals: number;
  quoteDecimals: number;
}

/** Model value and greeks of one option of a series, from the solver's surface. */
export interface OptionValuation {
  /** Value per option in the premium asset (WETH for calls, USDC for puts), as a decimal. */
  value: number;
  /** Value per option in USD. */
  valueUsd: number;
  /** Delta per option, in underlying units (negative for puts). */
  delta: number;
  /** Gamma per option, per unit of spot. */
  gamma: number;
  /** Vega per option, USD per 1.00 of vol. */
  vega: number;
  /** Theta per option, USD per year. */
  theta: number;
  vol: number;
  years: number;
}

/** Years from `now` to `expiry` (365-day year), as the vault counts them. */
export function yearsUntil(expiry: number, now: number): number {
  return Math.max(0, expiry - now) / YEAR_SECONDS;
}

/** Strike of a series as a decimal quote price. */
export function strikeOf(terms: SeriesTerms, units: PairUnits): number {
  return Number(terms.strike) / 10 ** units.quoteDecimals;
}

/** Values one option of `terms` at `spot` (USD) and time `now` (unix seconds). */
export function valueOption(
  terms: SeriesTerms,
  spot: number,
  now: number,
  surface: VolSurface,
  rate: number,
  units: PairUnits,
): OptionValuation {
  const strike = strikeOf(terms, units);
  const years = yearsUntil(terms.expiry, now);
  const vol = surface.vol(terms.expiry, strike, spot, years, rate);
  const g = blackScholes({ spot, strike, years, vol, rate });
  const valueUsd = terms.isCall ? g.call : g.put;
  return {
    value: terms.isCall ? valueUsd / spot : valueUsd,
    valueUsd,
    delta: terms.isCall ? g.callDelta : g.callDelta - 1,
    gamma: g.gamma,
    vega: g.vega,
    theta: terms.isCall ? g.callTheta : g.putTheta,
    vol,
    years,
  };
}

const memo = new WeakMap<VolSurface, { key: string; bySeries: Map<bigint, OptionValuation> }>();

/**
 * A valuer at one market state (spot, now, rate, surface version), remembering each series' valuation: the
 * book's greeks value every position several times per quote at the same state. A new state starts afresh.
 */
export function valuerAt(
  spot: number,
  now: number,
  surface: VolSurface,
  rate: number,
  units: PairUnits,
): (seriesId: bigint, terms: SeriesTerms) => OptionValuation {
  const key = `${spot}|${now}|${rate}|${surface.version}|${units.underlyingDecimals}|${units.quoteDecimals}`;
  let entry = memo.get(surface);
  if (!entry || entry.key !== key) {
    entry = { key, bySeries: new Map() };
    memo.set(surface, entry);
  }
  const bySeries = entry.bySeries;
  return (seriesId, terms) => {
    let v = bySeries.get(seriesId);
    if (!v) {
      v = valueOption(terms, spot, now, surface, rate, units);
      bySeries.set(seriesId, v);
    }
    return v;
  };
}
