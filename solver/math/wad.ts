export const WAD = 10n ** 18n;

/**
 * Converts a finite non-negative decimal number to an 18-decimal fixed-point bigint, exactly for the
 * number's shortest decimal representation (so `0.1` becomes 1e17, not 100000000000000005). Digits past
 * the 18th decimal are truncated.
 */
export function toWad(value: number): bigint {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`not a finite non-negative number: ${value}`);
  return decimalToFixed(String(value), 18);
}

/** Parses a decimal string (plain or exponent notation) into fixed point with `decimals` places. */
export function decimalToFixed(text: string, decimals: number): bigint {
  const match = /^(\d+)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text.trim());
  if (!match) throw new RangeError(`not a decimal: ${text}`);
  const [, whole = "0", fraction = "", exponent = "0"] = match;
  const shift = Number(exponent) + decimals - fraction.length;
  const digits = BigInt(whole + fraction);
  return shift >= 0 ? digits * 10n ** BigInt(shift) : digits / 10n ** BigInt(-shift);
}

/** Converts WAD to a float for reporting. Not for amounts that settle. */
export function fromWad(value: bigint): number {
  const whole = value / WAD;
  const fraction = value % WAD;
  return Number(whole) + Number(fraction) / 1e18;
}
