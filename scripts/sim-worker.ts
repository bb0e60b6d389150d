/**
 * A simulation worker: reads one job per line on stdin ({ id, seed, params, variant }) and answers each on
 * stdout as `@@sim {"id":…,"result":…}` (or `"error"`). `npm run sim` runs one per core.
 */
import { createInterface } from "node:readline";
import { runSim, type SimOptions } from "./lib/sim/runSim.js";

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const job = JSON.parse(line) as SimOptions & { id: number };
  try {
    const result = await runSim(job);
    process.stdout.write(`@@sim ${JSON.stringify({ id: job.id, result })}\n`);
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stdout.write(`@@sim ${JSON.stringify({ id: job.id, error: message })}\n`);
  }
}
