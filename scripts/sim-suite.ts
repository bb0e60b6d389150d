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
import { buildContracts } from "./lib/sim/build.js";
import type { VariantSummary } from "./lib/sim/report.js";
import type { SimOptions, SimResult, Variant } from "./lib/sim/runSim.js";
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
// The flags are checked before the build; the simulation loads after it.
buildContracts();
const { checksFor } = await import("./lib/sim/checks.js");
const { runJobs } = await import("./lib/sim/pool.js");
const { summarize, table } = await import("./lib/sim/report.js");
const { VARIANTS } = await import("./lib/sim/runSim.js");
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

const checks = CASES.flatMap((c) => checksFor(c.name, (v) => runsOf(c.name, v), summaries[c.name]));
for (const c of CASES) {
  console.error(`\n${c.name} (${seeds.length} seeds x ${requests} requests)`);
  console.error(table(summaries[c.name]!));
}
console.error("\nchecks:");
for (const c of checks) console.error(`  ${c.holds ? "holds " : "FAILS "} ${c.case}: ${c.check} — ${c.figures}`);
console.error(`\nsuite: ${jobs.length} runs in ${seconds} s`);
console.log(JSON.stringify({ seeds: { from, to, n: seeds.length }, requests, seconds, scenarios: summaries, checks }));
