import type { ReportRow } from "./aggregate.js";

/** The window's columns, repeated on every line so that a line read alone says what it covers. */
const WINDOW_COLUMNS = ["from", "to", "horizon_s"];

/** Each row's columns and the JSON field each one writes; docs/REPORT.md defines them. */
const ROW_COLUMNS = [
  ["bucket", "bucket"],
  ["route", "route"],
  ["orders", "orders"],
  ["filled_orders", "filledOrders"],
  ["fill_rate", "fillRate"],
  ["fills", "fills"],
  ["options", "options"],
  ["notional_usd", "notionalUsd"],
  ["internal_share", "internalShare"],
  ["internal_fills", "internalFills"],
  ["improved_fills", "improvedFills"],
  ["improved_share", "improvedShare"],
  ["avg_improvement_bps", "avgImprovementBps"],
  ["avg_improvement_usd", "avgImprovementUsd"],
  ["total_improvement_usd", "totalImprovementUsd"],
  ["timed_fills", "timedFills"],
  ["median_quote_to_fill_s", "medianQuoteToFillSeconds"],
  ["p95_quote_to_fill_s", "p95QuoteToFillSeconds"],
  ["marked_fills", "markedFills"],
  ["pending_markouts", "pendingMarkouts"],
  ["avg_markout_bps", "avgMarkoutBps"],
  ["avg_markout_usd", "avgMarkoutUsd"],
  ["total_markout_usd", "totalMarkoutUsd"],
] as const satisfies ReadonlyArray<readonly [string, keyof ReportRow]>;

/** The header line: fixed, documented in docs/REPORT.md. */
export const CSV_HEADER = [...WINDOW_COLUMNS, ...ROW_COLUMNS.map(([name]) => name)].join(",");

/** A cell: numbers as JSON writes them, options as their exact decimal, an absent figure (null) empty. */
function cell(value: ReportRow[keyof ReportRow]): string {
  if (value === null) return "";
  if (typeof value === "object") return value.formatted;
  return String(value);
}

/**
 * The report as RFC 4180 CSV (CRLF line ends): the header, then one line per row of the JSON report, in its
 * order. No cell needs quoting: names, numbers and bucket labels hold no comma, quote or line break.
 */
export function reportCsv(report: {
  window: { from: number; to: number; horizonSeconds: number };
  rows: readonly ReportRow[];
}): string {
  const { from, to, horizonSeconds } = report.window;
  const window = [from, to, horizonSeconds].map(String);
  const lines = report.rows.map((row) => [...window, ...ROW_COLUMNS.map(([, key]) => cell(row[key]))].join(","));
  return `${[CSV_HEADER, ...lines].join("\r\n")}\r\n`;
}
