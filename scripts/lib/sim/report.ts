import Table from "cli-table3";
import type { SimResult, Variant } from "./runSim.js";
import { cell, type Interval, interval } from "./stats.js";

/** The figures summarized across seeds (every numeric field of a run). */
export const FIGURES = [
  "internalizedShare",
  "informedInternalizedShare",
  "noiseInternalizedShare",
  "avgPriceImprovementBps",
  "bestExViolations",
  "limitBreaches",
  "solverPnl",
  "pnlStdev",
  "markoutPnl",
  "markoutAdjustedPnl",
  "spreadPnl",
  "bookPnl",
  "hedges",
  "hedgeCost",
  "hedgePnl",
  "userCost",
  "userCostAtAmm",
  "ammLpMarkoutInformed",
  "ammLpMarkoutNoise",
  "flowAuc",
  "fills",
  "declines",
] as const satisfies ReadonlyArray<keyof SimResult>;
export type Figure = (typeof FIGURES)[number];

/** Each figure's mean and 95% interval across seeds, plus the spread of the solver's PnL across seeds. */
export type VariantSummary = Record<Figure, Interval> & { pnlStdevAcrossSeeds: number };

export function summarize(runs: readonly SimResult[]): VariantSummary {
  const out = {} as Record<Figure, Interval>;
  for (const f of FIGURES) {
    const xs = runs.map((r) => r[f]).filter((x): x is number => typeof x === "number");
    out[f] = interval(xs);
  }
  return { ...out, pnlStdevAcrossSeeds: out.solverPnl.stdev };
}

const COLUMNS: Array<[string, Figure, number]> = [
  ["internal share", "internalizedShare", 3],
  ["informed int. share", "informedInternalizedShare", 3],
  ["noise int. share", "noiseInternalizedShare", 3],
  ["improvement bps", "avgPriceImprovementBps", 1],
  ["PnL $", "solverPnl", 0],
  ["markout-adj. PnL $", "markoutAdjustedPnl", 0],
  ["markouts $", "markoutPnl", 0],
  ["hedge cost $", "hedgeCost", 0],
  ["LP markout (informed) $", "ammLpMarkoutInformed", 0],
  ["best-ex / limits", "bestExViolations", 0],
];

/** A table of the variants (rows) by the main figures (mean ± 95% half-width). */
export function table(summaries: Partial<Record<Variant, VariantSummary>>): string {
  // No colours: the table goes to files and CI logs as often as to a terminal.
  const t = new Table({
    head: ["", ...COLUMNS.map(([h]) => h), "PnL sd across seeds $", "spread / book PnL sd $"],
    style: { head: [], border: [] },
  });
  for (const [variant, s] of Object.entries(summaries) as Array<[Variant, VariantSummary]>) {
    t.push([
      variant,
      ...COLUMNS.map(([, f, d]) =>
        f === "bestExViolations" ? `${s.bestExViolations.mean} / ${s.limitBreaches.mean}` : cell(s[f], d),
      ),
      ...(s.solverPnl.n > 1
        ? [s.pnlStdevAcrossSeeds.toFixed(0), `${s.spreadPnl.stdev.toFixed(0)} / ${s.bookPnl.stdev.toFixed(0)}`]
        : ["–", "–"]),
    ]);
  }
  return t.toString();
}
