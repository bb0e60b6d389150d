import { OPTION_DECIMALS } from "../domain/amount.js";

/** The decimals of the pair's amounts and of its oracle's answers. */
export interface PairScale {
  underlyingDecimals: number;
  quoteDecimals: number;
  oracleDecimals: number;
}

/**
 * The report keeps USD sums exact, as integers of 10^-d USD, until its final figures. d is the least that puts
 * every conversion on an integer: a WETH premium times an oracle answer (18 + 8 on the devnet), an option count
 * times an answer (18 + 8), a USDC premium (6). USDC counts as one dollar.
 */
export function usdDecimals(s: PairScale): number {
  return Math.max(s.underlyingDecimals + s.oracleDecimals, OPTION_DECIMALS + s.oracleDecimals, s.quoteDecimals);
}

/** 10^d: what one USD is in the report's exact units. */
export function usdUnit(s: PairScale): bigint {
  return 10n ** BigInt(usdDecimals(s));
}

/** A premium in exact USD units: calls are paid in the underlying (at `spot`, the oracle's answer), puts in USD. */
export function premiumUsd(raw: bigint, isCall: boolean, spot: bigint, s: PairScale): bigint {
  const d = usdDecimals(s);
  if (isCall) return raw * spot * 10n ** BigInt(d - s.underlyingDecimals - s.oracleDecimals);
  return raw * 10n ** BigInt(d - s.quoteDecimals);
}

/** The notional of `amount` options (base units) at `spot`, in exact USD units. */
export function optionsUsd(amount: bigint, spot: bigint, s: PairScale): bigint {
  return amount * spot * 10n ** BigInt(usdDecimals(s) - OPTION_DECIMALS - s.oracleDecimals);
}

/**
 * `num / den` rounded half away from zero to `digits` decimals, as a number: where an exact figure becomes a
 * float, once, at the end. The decimal text is parsed, so equal fractions give equal numbers everywhere.
 */
export function ratio(num: bigint, den: bigint, digits: number): number {
  if (den === 0n) throw new RangeError("ratio with a zero denominator");
  const negative = num < 0n !== den < 0n;
  const n = (num < 0n ? -num : num) * 10n ** BigInt(digits);
  const d = den < 0n ? -den : den;
  const q = (2n * n + d) / (2n * d);
  if (digits === 0) return Number(negative ? -q : q);
  const text = q.toString().padStart(digits + 1, "0");
  const value = Number(`${text.slice(0, -digits)}.${text.slice(-digits)}`);
  return negative && q !== 0n ? -value : value;
}
