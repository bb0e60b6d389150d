import { normalCdf, normalPdf } from "./normal.js";

/** One pricing point. Prices are in quote units per underlying unit; years, vol and rate are decimals. */
export interface PricingInput {
  spot: number;
  strike: number;
  years: number;
  vol: number;
  rate: number;
}

/**
 * Prices and greeks of a European call and put. `vega` is per 1.0 of vol and `theta` per year,
 * matching the Solidity library's units; the put delta is `callDelta - 1`.
 */
export interface Greeks {
  call: number;
  put: number;
  callDelta: number;
  gamma: number;
  vega: number;
  callTheta: number;
  putTheta: number;
}

/** The float64 twin of `contracts/libraries/BlackScholes.sol`, for the solver's own pricing. */
export function blackScholes({ spot, strike, years, vol, rate }: PricingInput): Greeks {
  if (!(spot > 0) || !(strike > 0) || !(years >= 0) || !(vol >= 0) || !(rate >= 0)) {
    throw new RangeError(`invalid pricing input: ${JSON.stringify({ spot, strike, years, vol, rate })}`);
  }
  const discount = Math.exp(-rate * years);
  const discountedStrike = strike * discount;
  const sqrtT = Math.sqrt(years);
  const stdDev = vol * sqrtT;
  if (stdDev === 0) {
    const gap = spot - discountedStrike;
    return {
      call: Math.max(gap, 0),
      put: Math.max(-gap, 0),
      callDelta: gap > 0 ? 1 : gap === 0 ? 0.5 : 0,
      gamma: 0,
      vega: 0,
      callTheta: gap > 0 ? -rate * discountedStrike : 0,
      putTheta: gap < 0 ? rate * discountedStrike : 0,
    };
  }
  const d1 = (Math.log(spot / discountedStrike) + (stdDev * stdDev) / 2) / stdDev;
  const d2 = d1 - stdDev;
  const nd1 = normalCdf(d1);
  const nd2 = normalCdf(d2);
  const pdf1 = normalPdf(d1);
  const decay = -(spot * pdf1 * vol) / (2 * sqrtT);
  return {
    call: Math.max(spot * nd1 - discountedStrike * nd2, 0),
    put: Math.max(discountedStrike * (1 - nd2) - spot * (1 - nd1), 0),
    callDelta: nd1,
    gamma: pdf1 / (spot * stdDev),
    vega: spot * pdf1 * sqrtT,
    callTheta: decay - rate * discountedStrike * nd2,
    putTheta: decay + rate * discountedStrike * (1 - nd2),
  };
}
