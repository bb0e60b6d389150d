import { summarize, type VariantSummary } from "./report.js";
import { type SimResult, VARIANTS, type Variant } from "./runSim.js";
import { interval as meanInterval } from "./stats.js";

/** One of the acceptance checks on one case of the suite, with the figures it rests on. */
export interface Check {
  case: string;
  check: string;
  holds: boolean;
  figures: string;
}

/** The summary of each policy a case ran (policies it did not run are left out). */
function summaries(runsOf: (v: Variant) => SimResult[]): Partial<Record<Variant, VariantSummary>> {
  const out: Partial<Record<Variant, VariantSummary>> = {};
  for (const v of Object.keys(VARIANTS) as Variant[]) {
    const runs = runsOf(v);
    if (runs.length > 0) out[v] = summarize(runs);
  }
  return out;
}

/** The acceptance checks that apply to one case, each with the figures it rests on. */
export function checksFor(
  name: string,
  runsOf: (v: Variant) => SimResult[],
  // The suite has summarized the case already; other callers let it be computed here.
  s: Partial<Record<Variant, VariantSummary>> = summaries(runsOf),
): Check[] {
  const router = s.router!;
  const out: Check[] = [];
  const add = (check: string, holds: boolean, figures: string) => out.push({ case: name, check, holds, figures });
  add(
    "router: 0 best-execution violations and 0 limit breaches on every seed",
    runsOf("router").every((r) => r.bestExViolations === 0 && r.limitBreaches === 0),
    `violations ${sum(runsOf("router"), "bestExViolations")}, breaches ${sum(runsOf("router"), "limitBreaches")}`,
  );
  add(
    "router: users pay less than the AMM's price for the same orders, every seed",
    runsOf("router").every((r) => r.userCost < r.userCostAtAmm),
    `mean ${router.userCost.mean} vs ${router.userCostAtAmm.mean} USD`,
  );
  if (name === "sybil") sybilChecks(s, add);
  if (name === "sybil+mimic")
    add("markout-adjusted PnL stays positive", router.markoutAdjustedPnl.lo > 0, interval(router.markoutAdjustedPnl));
  if (name === "oracle-lag") {
    add(
      "the solver's markout on internal fills is non-negative",
      router.markoutPnl.mean >= 0,
      interval(router.markoutPnl),
    );
    const lp = s.alwaysAmm!.ammLpMarkoutInformed;
    add("the AMM's LPs lose to the informed flow (always-AMM)", lp.mean < 0, interval(lp));
  }
  if (name === "oracle-lag+sybil+mimic")
    add("flow model AUC out of sample >= 0.75", router.flowAuc.mean >= 0.75, interval(router.flowAuc));
  if (s.routerNoHedge) hedgeChecks(runsOf, s, add);
  return out;
}

function sybilChecks(s: Partial<Record<Variant, VariantSummary>>, add: (c: string, h: boolean, f: string) => void) {
  const r = s.router!;
  const ai = s.alwaysInternal!.markoutAdjustedPnl;
  add(
    "markout-adjusted PnL positive and at least 2x always-internalize's",
    r.markoutAdjustedPnl.mean > 0 && r.markoutAdjustedPnl.mean >= 2 * ai.mean,
    `${interval(r.markoutAdjustedPnl)} vs ${interval(ai)}`,
  );
  add(
    "at most 25% of informed notional internalized",
    r.informedInternalizedShare.mean <= 0.25,
    interval(r.informedInternalizedShare),
  );
  add(
    "at least 60% of noise notional internalized",
    r.noiseInternalizedShare.mean >= 0.6,
    interval(r.noiseInternalizedShare),
  );
}

function hedgeChecks(
  runsOf: (v: Variant) => SimResult[],
  s: Partial<Record<Variant, VariantSummary>>,
  add: (c: string, h: boolean, f: string) => void,
) {
  const hedged = s.router!;
  const bare = s.routerNoHedge!;
  const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(0)}%`;
  const sd = (a: number, b: number) => `${a.toFixed(0)} vs ${b.toFixed(0)} USD (${pct(a, b)})`;
  add(
    "hedging: PnL's standard deviation across seeds at most 35% of the unhedged router's",
    hedged.pnlStdevAcrossSeeds <= 0.35 * bare.pnlStdevAcrossSeeds,
    `${sd(hedged.pnlStdevAcrossSeeds, bare.pnlStdevAcrossSeeds)}; the spread the flow paid alone varies by ` +
      `${hedged.spreadPnl.stdev.toFixed(0)} (${pct(hedged.spreadPnl.stdev, bare.pnlStdevAcrossSeeds)}), ` +
      `which no hedge touches; hourly PnL sd ${hedged.pnlStdev.mean} vs ${bare.pnlStdev.mean}`,
  );
  add(
    "hedging: the book's PnL (PnL less the spread earned at fill) varies across seeds at most 35% as much as unhedged",
    hedged.bookPnl.stdev <= 0.35 * bare.bookPnl.stdev,
    sd(hedged.bookPnl.stdev, bare.bookPnl.stdev),
  );
  const gap = meanInterval(pairedDifference(runsOf("router"), runsOf("routerNoHedge"), "solverPnl"));
  add(
    "hedging: mean PnL (net of hedge costs) not lower by more than the hedge costs",
    hedged.solverPnl.mean >= bare.solverPnl.mean - hedged.hedgeCost.mean,
    `${hedged.solverPnl.mean} vs ${bare.solverPnl.mean} USD, hedge cost ${hedged.hedgeCost.mean}; ` +
      `hedged − unhedged, seed by seed: ${gap.mean} [${gap.lo}, ${gap.hi}]`,
  );
}

/** `a`'s figure less `b`'s, run by run (the same seeds in the same order: paired, so the world cancels). */
function pairedDifference(a: readonly SimResult[], b: readonly SimResult[], figure: "solverPnl"): number[] {
  return a.map((r, k) => r[figure] - b[k]![figure]);
}

function interval(i: { mean: number; lo: number; hi: number }): string {
  return `${i.mean} [${i.lo}, ${i.hi}]`;
}

function sum(runs: SimResult[], key: "bestExViolations" | "limitBreaches"): number {
  return runs.reduce((a, r) => a + r[key], 0);
}
