import { WAD } from "../math/wad.js";
import { expWad, lnWad, sqrtWad, WadMathError } from "./wadMath.js";

/** `BlackScholes.Greeks`: prices and greeks of one point, all WAD. */
export interface WadGreeks {
  call: bigint;
  put: bigint;
  callDelta: bigint;
  vega: bigint;
}

const INV_SQRT_2PI = 398942280401432678n;
const RATIONAL_CUTOFF = 7071067811865470000n;
const TAIL_CUTOFF = 9104368188850000000n;
const MAX_INPUT = 10n ** 45n;

/**
 * `contracts/libraries/BlackScholes.sol`, operation by operation in bigint: the vault's price to the wei.
 * Throws WadMathError where the library reverts (`InvalidPricingInput`).
 */
export function greeksWad(spot: bigint, strike: bigint, tYears: bigint, vol: bigint, rate: bigint): WadGreeks {
  if (spot === 0n || strike === 0n || spot > MAX_INPUT || strike > MAX_INPUT)
    throw new WadMathError("InvalidPricingInput");
  if (tYears > 100n * WAD || vol > 100n * WAD || rate > 10n * WAD) throw new WadMathError("InvalidPricingInput");
  const discountedStrike = (strike * expWad(-(rate * tYears) / WAD)) / WAD;
  const sqrtT = sqrtWad(tYears);
  const stdDev = (vol * sqrtT) / WAD;
  if (stdDev === 0n) {
    const gap = spot - discountedStrike;
    if (gap > 0n) return { call: gap, put: 0n, callDelta: WAD, vega: 0n };
    return { call: 0n, put: -gap, callDelta: gap === 0n ? WAD / 2n : 0n, vega: 0n };
  }
  const logMoneyness = lnWad((spot * WAD) / discountedStrike);
  const d1 = ((logMoneyness + (stdDev * stdDev) / (2n * WAD)) * WAD) / stdDev;
  const [nd1, pdf1] = cdfWad(d1);
  const [nd2] = cdfWad(d1 - stdDev);
  const call = (spot * nd1 - discountedStrike * nd2) / WAD;
  const put = (discountedStrike * (WAD - nd2) - spot * (WAD - nd1)) / WAD;
  return {
    call: call > 0n ? call : 0n,
    put: put > 0n ? put : 0n,
    callDelta: nd1,
    vega: (((spot * pdf1) / WAD) * sqrtT) / WAD,
  };
}

/** `BlackScholes.cdf`: N(x) and phi(x), WAD (Hart 1968 / West 2005). */
export function cdfWad(x: bigint): [n: bigint, pdf: bigint] {
  const ax = x < 0n ? -x : x;
  let tail = 0n;
  let pdf = 0n;
  if (ax < TAIL_CUTOFF) {
    const gauss = expWad(-(ax * ax) / (2n * WAD));
    pdf = (gauss * INV_SQRT_2PI) / WAD;
    if (ax < RATIONAL_CUTOFF) {
      let num = 35262496599891100n;
      for (const c of NUM) num = (num * ax) / WAD + c;
      let den = 88388347648318400n;
      for (const c of DEN) den = (den * ax) / WAD + c;
      tail = (gauss * num) / den;
    } else {
      let frac = ax + 650000000000000000n;
      for (const c of [4n, 3n, 2n, 1n]) frac = ax + (c * WAD * WAD) / frac;
      tail = (pdf * WAD) / frac;
    }
  }
  return [x > 0n ? WAD - tail : tail, pdf];
}

const NUM = [
  700383064443688000n,
  6373962203531650000n,
  33912866078383000000n,
  112079291497871000000n,
  221213596169931000000n,
  220206867912376000000n,
];
const DEN = [
  1755667163182640000n,
  16064177579207000000n,
  86780732202946100000n,
  296564248779674000000n,
  637333633378831000000n,
  793826512519948000000n,
  440413735824752000000n,
];
