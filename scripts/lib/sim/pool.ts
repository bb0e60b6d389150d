import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { delimiter, join } from "node:path";
import { createInterface } from "node:readline";
import type { SimOptions, SimResult } from "./runSim.js";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const BIN = join(ROOT, "node_modules", ".bin");

/**
 * Runs simulation jobs on `jobs` worker processes (default: one per core), each a fresh Node with its own
 * in-process chains, and returns the results in the order of `list`. Any failed job fails the whole run.
 */
export async function runJobs(
  list: readonly SimOptions[],
  opts: { jobs?: number | undefined; onDone?: (job: SimOptions, done: number) => void } = {},
): Promise<SimResult[]> {
  const results: SimResult[] = new Array(list.length);
  let next = 0;
  let done = 0;
  const workers = Math.max(1, Math.min(opts.jobs ?? availableParallelism(), list.length));
  await Promise.all(
    Array.from({ length: workers }, async () => {
      const worker = startWorker();
      try {
        while (next < list.length) {
          const id = next++;
          results[id] = await worker.run({ ...list[id]!, id });
          opts.onDone?.(list[id]!, ++done);
        }
      } finally {
        worker.stop();
      }
    }),
  );
  return results;
}

function startWorker() {
  const child = spawn(join(BIN, "tsx"), [join(ROOT, "scripts", "sim-worker.ts")], {
    cwd: ROOT,
    env: {
      ...process.env,
      PATH: `${BIN}${delimiter}${process.env.PATH ?? ""}`,
      NODE_OPTIONS: "--disable-warning=ExperimentalWarning",
    },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const waiting = new Map<number, { resolve: (r: SimResult) => void; reject: (e: Error) => void }>();
  createInterface({ input: child.stdout }).on("line", (line) => {
    if (!line.startsWith("@@sim ")) return;
    const answer = JSON.parse(line.slice(6)) as { id: number; result?: SimResult; error?: string };
    const w = waiting.get(answer.id);
    waiting.delete(answer.id);
    if (answer.result) w?.resolve(answer.result);
    else w?.reject(new Error(`simulation job ${answer.id} failed: ${answer.error}`));
  });
  child.on("exit", (code) => {
    for (const w of waiting.values()) w.reject(new Error(`a simulation worker exited (${code})`));
  });
  return {
    run: (job: SimOptions & { id: number }) =>
      new Promise<SimResult>((resolve, reject) => {
        waiting.set(job.id, { resolve, reject });
        child.stdin.write(`${JSON.stringify(job)}\n`);
      }),
    stop: () => child.stdin.end(),
  };
}
