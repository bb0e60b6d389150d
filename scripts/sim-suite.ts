/**
 * npm run sim:suite [-- --seeds 1..10] [--requests 400] [--jobs N]
 *
 * The scenario suite: every named scenario (calm, trend, jumps, oracle-lag, sybil, stress) with all five
 * policies, plus `sybil --informed-mimic` and `oracle-lag --sybil --informed-mimic` with the router, over the
 * same seeds. Prints a table per scenario and the acceptance checks, each with the figures it rests
 * on, and as the last line one JSON object: per scenario, each figure's mean and 95% interval per policy,
 * and the checks. Exits 0 whether or not a check holds (the checks are findings, not a build gate).
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { Seeds } from "./lib/sim/args.js";
import { runJobs } from "./lib/sim/pool.js";
import { summarize, table, type VariantSummary } from "./lib/sim/report.js";
import { type SimOptions, type SimResult, VARIANTS, type Variant } from "./lib/sim/runSim.js";
import { SCENARIO_NAMES, type ScenarioParams, scenarioParams } from "./lib/sim/scenarios.js";

const Args = z.object({
  seeds: Seeds.default({ from: 1, to: 10 }),
  requests: z.coerce.number().int().min(10).max(100_000).default(400),
  jobs: z.coerce.number().int().min(1).max(16).optional(),
});
const { values } = parseArgs({
  options: { seeds: { type: "string" }, requests: { type: "string" }, jobs: { type: "string" } },
});
const parsed = Args.safeParse(values);
if (!parsed.success) {
  console.error(`invalid arguments:\n${z.prettifyError(parsed.error)}`);
  process.exit(2);
}
const { from, to } = parsed.data.seeds;
const seeds = Array.from({ length: to - from + 1 }, (_, k) => from + k);
const requests = parsed.data.requests;

/** The suite's cases: a name, its world, and the policies it runs. */
const ALL = Object.keys(VARIANTS) as Variant[];
const CASES: Array<{ name: string; params: ScenarioParams; variants: Variant[] }> = [
  ...SCENARIO_NAMES.map((name) => ({ name, params: scenarioParams(name, { requests }), variants: ALL })),
  { name: "sybil+mimic", params: scenarioParams("sybil", { requests, informedMimic: true }), variants: ["router"] },
  {
    name: "oracle-lag+sybil+mimic",
    params: scenarioParams("oracle-lag", { requests, sybil: true, informedMimic: true }),
    variants: ["router"],
  },
];

const jobs: Array<SimOptions & { case: string }> = CASES.flatMap((c) =>
  seeds.flatMap((seed) => c.variants.map((variant) => ({ case: c.name, seed, params: c.params, variant }))),
);
const started = Date.now();
const results = await runJobs(jobs, {
  jobs: parsed.data.jobs,
  onDone: (job, done) =>
    console.error(
      `suite: ${done}/${jobs.length} (${(job as (typeof jobs)[number]).case}, seed ${job.seed}, ${job.variant})`,
    ),
});
const seconds = Math.round((Date.now() - started) / 1000);

const runsOf = (name: string, v: Variant): SimResult[] =>
  results.filter((_, k) => jobs[k]!.case === name && jobs[k]!.variant === v);
const summaries = Object.fromEntries(
  CASES.map((c) => [c.name, Object.fromEntries(c.variants.map((v) => [v, summarize(runsOf(c.name, v))]))]),
) as Record<string, Partial<Record<Variant, VariantSummary>>>;

const checks = CASES.flatMap((c) => checksFor(c.name));
for (const c of CASES) {
  console.error(`\n${c.name} (${seeds.length} seeds x ${requests} requests)`);
  console.error(table(summaries[c.name]!));
}
console.error("\nchecks:");
for (const c of checks) console.error(`  ${c.holds ? "holds " : "FAILS "} ${c.case}: ${c.check} — ${c.figures}`);
console.error(`\nsuite: ${jobs.length} runs in ${seconds} s`);
console.log(JSON.stringify({ seeds: { from, to, n: seeds.length }, requests, seconds, scenarios: summaries, checks }));

/** The acceptance checks that apply to one case, each with the figures it rests on. */
function checksFor(name: string): Array<{ case: string; check: string; holds: boolean; figures: string }> {
  const s = summaries[name]!;
  const router = s.router!;
  const out: Array<{ case: string; check: string; holds: boolean; figures: string }> = [];
  const add = (check: string, holds: boolean, figures: string) => out.push({ case: name, check, holds, figures });
  const each = (v: Variant) => runsOf(name, v);
  add(
    "router: 0 best-execution violations and 0 limit breaches on every seed",
    each("router").every((r) => r.bestExViolations === 0 && r.limitBreaches === 0),
    `violations ${sum(each("router"), "bestExViolations")}, breaches ${sum(each("router"), "limitBreaches")}`,
  );
  add(
    "router: users pay less than the AMM's price for the same orders, every seed",
    each("router").every((r) => r.userCost < r.userCostAtAmm),
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
  if (s.routerNoHedge) hedgeChecks(name, s, add);
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
  name: string,
  s: Partial<Record<Variant, VariantSummary>>,
  add: (c: string, h: boolean, f: string) => void,
) {
  const hedged = s.router!;
  const bare = s.routerNoHedge!;
  add(
    "hedging: PnL's standard deviation across seeds at most 35% of the unhedged router's",
    hedged.pnlStdevAcrossSeeds <= 0.35 * bare.pnlStdevAcrossSeeds,
    `${hedged.pnlStdevAcrossSeeds.toFixed(0)} vs ${bare.pnlStdevAcrossSeeds.toFixed(0)} USD (${((hedged.pnlStdevAcrossSeeds / bare.pnlStdevAcrossSeeds) * 100).toFixed(0)}%); hourly PnL sd ${hedged.pnlStdev.mean} vs ${bare.pnlStdev.mean}`,
  );
  add(
    "hedging: mean PnL (net of hedge costs) not lower by more than the hedge costs",
    hedged.solverPnl.mean >= bare.solverPnl.mean - hedged.hedgeCost.mean,
    `${hedged.solverPnl.mean} vs ${bare.solverPnl.mean} USD, hedge cost ${hedged.hedgeCost.mean}`,
  );
  void name;
}

function interval(i: { mean: number; lo: number; hi: number }): string {
  return `${i.mean} [${i.lo}, ${i.hi}]`;
}

function sum(runs: SimResult[], key: "bestExViolations" | "limitBreaches"): number {
  return runs.reduce((a, r) => a + r[key], 0);
}
