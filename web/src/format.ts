import type { Amount } from "../../solver/sdk/index.js";

/** An AmountJson as "1.2345 WETH": at most `digits` fraction digits, trailing zeros dropped. */
export function amount(a: { formatted: string; symbol: string } | null | undefined, digits = 4): string {
  if (!a) return "–";
  return `${trim(a.formatted, digits)} ${a.symbol}`;
}

/** Just the number of an AmountJson. */
export function num(a: { formatted: string } | null | undefined, digits = 4): string {
  return a ? trim(a.formatted, digits) : "–";
}

/** At most `digits` fraction digits, trailing zeros dropped, thousands grouped (1,501,156.74). */
function trim(text: string, digits: number): string {
  const [whole = text, frac = ""] = text.split(".");
  const cut = frac.slice(0, digits).replace(/0+$/, "");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return cut ? `${grouped}.${cut}` : grouped;
}

export const usd = (x: number | null | undefined) =>
  x === null || x === undefined || Number.isNaN(x)
    ? "–"
    : `${x < 0 ? "−" : ""}$${Math.abs(x).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

export const pct = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined ? "–" : `${(x * 100).toFixed(digits)}%`;

export const bps = (x: number | null | undefined) => (x === null || x === undefined ? "–" : `${x.toFixed(1)} bps`);

/** Chain time as a UTC date and time. */
export function time(seconds: number | null | undefined): string {
  if (!seconds) return "–";
  return `${new Date(seconds * 1000).toISOString().replace("T", " ").slice(0, 16)} UTC`;
}

/** An expiry as traders write it: 7DEC26 08:00 UTC. */
export function expiryLabel(seconds: number): string {
  const d = new Date(seconds * 1000);
  const months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
  const hh = String(d.getUTCHours()).padStart(2, "0");
  const mm = String(d.getUTCMinutes()).padStart(2, "0");
  return `${d.getUTCDate()}${months[d.getUTCMonth()]}${String(d.getUTCFullYear()).slice(2)} ${hh}:${mm} UTC`;
}

export const short = (h: string | null | undefined) => (h ? `${h.slice(0, 6)}…${h.slice(-4)}` : "–");

/** An amount in the options' 18 decimals from what a person typed ("2.5"); null when it is not a number. */
export function parseOptions(text: string): bigint | null {
  return parseUnitsText(text, 18);
}

export function parseUnitsText(text: string, decimals: number): bigint | null {
  const m = /^\s*(\d+)(?:\.(\d*))?\s*$/.exec(text);
  if (!m) return null;
  const frac = (m[2] ?? "").slice(0, decimals).padEnd(decimals, "0");
  if ((m[2] ?? "").length > decimals) return null;
  return BigInt(m[1]!) * 10n ** BigInt(decimals) + BigInt(frac || "0");
}

export type { Amount };

/** A number of options ("1 option", "2.5 options"): the instrument is named beside it, not in the unit. */
export function options(a: { formatted: string } | null | undefined, digits = 4): string {
  if (!a) return "–";
  const n = trim(a.formatted, digits);
  return `${n} ${n === "1" ? "option" : "options"}`;
}

/** Base units as an AmountJson-like value, for display. */
export function rawAmount(raw: bigint, asset: { decimals: number; symbol: string }) {
  const unit = 10n ** BigInt(asset.decimals);
  const sign = raw < 0n ? "-" : "";
  const abs = raw < 0n ? -raw : raw;
  const frac = (abs % unit).toString().padStart(asset.decimals, "0").replace(/0+$/, "");
  return { formatted: `${sign}${abs / unit}${frac ? `.${frac}` : ""}`, symbol: asset.symbol };
}
