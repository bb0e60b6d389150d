import type { SeriesTerms } from "./seriesId.js";

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] as const;
/** The underlying's trading symbol in instrument names (the ledger's underlying is WETH). */
export const UNDERLYING_SYMBOL = "ETH";

/** A decimal string of `value / 10^decimals` without trailing zeros (3000, 3100.5). */
function decimal(value: bigint, decimals: number): string {
  const unit = 10n ** BigInt(decimals);
  const whole = value / unit;
  const fraction = (value % unit).toString().padStart(decimals, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole.toString();
}

/**
 * The instrument name of a series, Deribit style: underlying, expiry day/month/year (UTC), strike, C or P,
 * e.g. ETH-7DEC26-3000-C. The name carries the expiry's day, not its time of day.
 */
export function instrumentName(terms: Pick<SeriesTerms, "strike" | "expiry" | "isCall">, quoteDecimals = 6): string {
  const d = new Date(terms.expiry * 1000);
  const day = `${d.getUTCDate()}${MONTHS[d.getUTCMonth()]}${String(d.getUTCFullYear() % 100).padStart(2, "0")}`;
  return `${UNDERLYING_SYMBOL}-${day}-${decimal(terms.strike, quoteDecimals)}-${terms.isCall ? "C" : "P"}`;
}

/** What an instrument name says: the expiry's UTC date, the strike in quote base units, and the type. */
export interface InstrumentKey {
  /** The expiry's UTC date as YYYY-MM-DD. */
  date: string;
  strike: bigint;
  isCall: boolean;
}

const NAME = /^([A-Z]+)-(\d{1,2})([A-Z]{3})(\d{2})-(\d{1,12}(?:\.\d{1,18})?)-([CP])$/;

/** Parses an instrument name (case-insensitive); returns null when the text is not one. */
export function parseInstrument(text: string, quoteDecimals = 6): InstrumentKey | null {
  const m = NAME.exec(text.trim().toUpperCase());
  if (!m) return null;
  const [, underlying, day, mon, yy, strikeText, type] = m as unknown as string[];
  if (underlying !== UNDERLYING_SYMBOL) return null;
  const month = MONTHS.indexOf(mon as (typeof MONTHS)[number]);
  if (month < 0) return null;
  const year = 2000 + Number(yy);
  const date = new Date(Date.UTC(year, month, Number(day)));
  if (date.getUTCDate() !== Number(day)) return null;
  const [whole, fraction = ""] = strikeText!.split(".");
  if (fraction.length > quoteDecimals) return null;
  const strike = BigInt(whole! + fraction.padEnd(quoteDecimals, "0"));
  if (strike === 0n) return null;
  return { date: date.toISOString().slice(0, 10), strike, isCall: type === "C" };
}

/** True when `terms` is the instrument `key` names. */
export function matchesInstrument(terms: Pick<SeriesTerms, "strike" | "expiry" | "isCall">, key: InstrumentKey) {
  return (
    terms.strike === key.strike &&
    terms.isCall === key.isCall &&
    new Date(terms.expiry * 1000).toISOString().slice(0, 10) === key.date
  );
}
