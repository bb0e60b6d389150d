import { formatUnits } from "viem";

/** An asset as people read it. */
export interface AssetUnits {
  symbol: string;
  decimals: number;
}

/**
 * An amount that settles, as the API, the stream and `--json` carry it: the exact base-unit integer as a
 * decimal string, and the same value in the asset's units for people. Never a float.
 */
export interface AmountJson {
  raw: string;
  decimals: number;
  symbol: string;
  /** `raw` / 10^decimals, exact, without trailing zeros. */
  formatted: string;
}

export function amountJson(raw: bigint, asset: AssetUnits): AmountJson {
  return {
    raw: raw.toString(),
    decimals: asset.decimals,
    symbol: asset.symbol,
    formatted: formatUnits(raw, asset.decimals),
  };
}

/** "1.5 WETH": for tables and messages. */
export function formatAmount(raw: bigint, asset: AssetUnits, maxFractionDigits = 6): string {
  return `${roundDecimal(formatUnits(raw, asset.decimals), maxFractionDigits)} ${asset.symbol}`;
}

/** Shortens a decimal string to at most `digits` fraction digits (rounding half up), for display only. */
export function roundDecimal(text: string, digits: number): string {
  const negative = text.startsWith("-");
  const [whole, fraction = ""] = (negative ? text.slice(1) : text).split(".");
  if (fraction.length <= digits) return text;
  const scaled = BigInt(whole! + fraction.slice(0, digits)) + (Number(fraction[digits]) >= 5 ? 1n : 0n);
  const s = scaled.toString().padStart(digits + 1, "0");
  const w = s.slice(0, s.length - digits);
  const f = s.slice(s.length - digits).replace(/0+$/, "");
  return `${negative ? "-" : ""}${w}${f ? `.${f}` : ""}`;
}

/** Options have 18 decimals, like the underlying; their symbol is the instrument name. */
export const OPTION_DECIMALS = 18;
