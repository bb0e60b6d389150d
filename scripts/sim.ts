/**
 * npm run sim [-- --seed 1 --requests 400 --informed 0.2]
 *
 * Replays a seeded flow of noise and informed traders (who know the next oracle move) through the real
 * router, the real contracts and an in-process chain, three times: with the solver's router and with the
 * always-AMM and always-internalize baselines. Prints one JSON object on its last line.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { runSim } from "./lib/sim/runSim.js";

const Args = z.object({
  seed: z.coerce.number().int().min(0).default(1),
  requests: z.coerce.number().int().min(1).max(100_000).default(400),
  informed: z.coerce.number().min(0).max(1).default(0.2),
});

const { values } = parseArgs({
  options: { seed: { type: "string" }, requests: { type: "string" }, informed: { type: "string" } },
});
const parsed = Args.safeParse(values);
if (!parsed.success) {
  console.error(`invalid arguments:\n${z.prettifyError(parsed.error)}`);
  process.exit(2);
}
const args = parsed.data;

const started = Date.now();
const router = await runSim({ ...args, strategy: "router" });
const alwaysAmm = await runSim({ ...args, strategy: "alwaysAmm" });
const alwaysInternalize = await runSim({ ...args, strategy: "alwaysInternal" });
console.error(`sim: ${args.requests} requests x 3 strategies in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(
  JSON.stringify({
    seed: args.seed,
    requests: args.requests,
    informedShare: args.informed,
    ...router,
    baselines: { alwaysAmm, alwaysInternalize },
  }),
);
