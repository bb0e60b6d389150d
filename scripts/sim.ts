/**
 * npm run sim [-- --scenario NAME] [--seeds A..B | --seed N] [--requests 400] [--informed 0.2] [--sybil]
 *   [--informed-type foresight|oracle-lag] [--informed-mimic] [--oracle-deviation-bps 50]
 *   [--oracle-heartbeat 3600] [--jumps-per-day 0] [--jump-bps 0] [--drift 0] [--vol 0.8]
 *   [--sizes small|mixed|heavy] [--jobs N]
 *
 * Replays seeded worlds (a true price path, a Chainlink-style oracle that lags it, noise and informed
 * traders) through the real solver, the real contracts, Uniswap v3 and an in-process chain, once per
 * policy: the router, the router without hedging, the router without the flow model, always-AMM and
 * always-internalize. Prints a table and, as the last line, one JSON object: with one seed and no scenario
 * the single-run shape (the router's figures, `baselines`), otherwise each figure's mean and 95% interval
 * across seeds per policy.
 */
import { parseSimArgs, type SimArgs } from "./lib/sim/args.js";
import { buildContracts } from "./lib/sim/build.js";
import type { VariantSummary } from "./lib/sim/report.js";
import type { SimOptions, SimResult, Variant } from "./lib/sim/runSim.js";

let args: SimArgs;
try {
  args = parseSimArgs(process.argv.slice(2));
} catch (error) {
  console.error(`invalid arguments:\n${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
// The flags are checked before the build, so a typo costs no compile; the simulation loads after it.
buildContracts();
const { runJobs } = await import("./lib/sim/pool.js");
const { summarize, table } = await import("./lib/sim/report.js");
const { VARIANTS } = await import("./lib/sim/runSim.js");

const variants = Object.keys(VARIANTS) as Variant[];
const jobs: SimOptions[] = args.seeds.flatMap((seed) =>
  variants.map((variant) => ({ seed, params: args.params, variant })),
);
const started = Date.now();
const results = await runJobs(jobs, {
  jobs: args.jobs,
  onDone: (job, done) => console.error(`sim: ${done}/${jobs.length} (seed ${job.seed}, ${job.variant})`),
});
const seconds = Math.round((Date.now() - started) / 100) / 10;
const byVariant = (v: Variant) => results.filter((_, k) => jobs[k]!.variant === v);
console.error(`sim: ${jobs.length} runs of ${args.params.requests} requests in ${seconds} s`);

const summaries = Object.fromEntries(variants.map((v) => [v, summarize(byVariant(v))])) as Record<
  Variant,
  VariantSummary
>;
console.error(table(summaries));
if (args.legacy) {
  const one = (v: Variant) => byVariant(v)[0]!;
  console.log(
    JSON.stringify({
      seed: args.seeds[0],
      requests: args.params.requests,
      informedShare: args.params.informedShare,
      ...one("router"),
      baselines: { alwaysAmm: one("alwaysAmm"), alwaysInternalize: one("alwaysInternal") },
      variants: { routerNoHedge: one("routerNoHedge"), routerNoFlow: one("routerNoFlow") },
      seconds,
    }),
  );
} else {
  console.log(
    JSON.stringify({
      scenario: args.scenario ?? null,
      seeds: { from: args.seeds[0], to: args.seeds.at(-1), n: args.seeds.length },
      params: args.params,
      ...summaries.router,
      baselines: { alwaysAmm: summaries.alwaysAmm, alwaysInternalize: summaries.alwaysInternal },
      variants: summaries,
      runs: Object.fromEntries(variants.map((v) => [v, byVariant(v).map(brief)])),
      seconds,
    }),
  );
}

/** Per-seed figures kept in the output for checks across seeds. */
function brief(r: SimResult) {
  return { solverPnl: r.solverPnl, markoutAdjustedPnl: r.markoutAdjustedPnl, hedgeCost: r.hedgeCost };
}
