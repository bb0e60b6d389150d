import type { ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { devKey } from "./accounts.js";
import { freePort, kill, runTool, spawnTs, startNode, waitFor } from "./processes.js";

/** The devnet as processes: a Hardhat node, a deployment on it, and the solver with its API. */
export interface Stack {
  node: ChildProcess & { output: string[]; url: string };
  deploymentFile: string;
  deployment: { chainId: number; contracts: Record<string, `0x${string}`> };
  /** Series created by the seeding, oldest first. */
  series: bigint[];
  /** The API's base URL. */
  api: string;
  adminToken: string;
  /** Environment the solver process runs with (for the CLI, too). */
  env: Record<string, string>;
  solver: (ChildProcess & { output: string[] }) | null;
  startSolver(): Promise<void>;
  stopSolver(): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Directory for the deployment record (unless `deploymentFile`), the solver's database and config. */
  dir: string;
  deploymentFile?: string;
  nodePort?: number;
  apiPort?: number;
  adminToken?: string;
  /** Solver config (JSON) written to `<dir>/solver.json`; the environment overrides it. */
  config?: Record<string, unknown>;
  logLevel?: string;
  onStep?: (step: string) => void;
}

/**
 * Starts a Hardhat node on loopback, deploys and seeds the system on it with Ignition (as
 * `scripts/devnet-deploy.ts`), and starts the solver process (`solver/cli.ts start`) against it.
 */
export async function startStack(opts: StackOptions): Promise<Stack> {
  const step = opts.onStep ?? (() => {});
  mkdirSync(opts.dir, { recursive: true });
  step("starting the Hardhat node");
  const node = await startNode(opts.nodePort ?? (await freePort()));
  try {
    const deploymentFile = opts.deploymentFile ?? join(opts.dir, "deployment.json");
    step("deploying with Ignition and seeding");
    const out = await runTool("tsx", ["scripts/devnet-deploy.ts", "--out", deploymentFile], {
      DEVNET_RPC_URL: node.url,
    });
    const seeded = JSON.parse(out.trim().split("\n").at(-1)!) as { series: string[] };
    const deployment = JSON.parse(readFileSync(deploymentFile, "utf8")) as Stack["deployment"];
    const apiPort = opts.apiPort ?? (await freePort());
    const configFile = join(opts.dir, "solver.json");
    writeFileSync(configFile, `${JSON.stringify(opts.config ?? {}, null, 2)}\n`);
    const adminToken = opts.adminToken ?? `devnet-${Math.random().toString(36).slice(2)}-admin-token`;
    const env = {
      INTERNALIZER_CONFIG: configFile,
      SOLVER_PRIVATE_KEY: devKey(2),
      RPC_URL: node.url,
      DEPLOYMENT_FILE: deploymentFile,
      DB_PATH: join(opts.dir, "solver.db"),
      API_PORT: String(apiPort),
      ADMIN_TOKEN: adminToken,
      LOG_LEVEL: opts.logLevel ?? "warn",
    };
    const api = `http://127.0.0.1:${apiPort}`;
    const stack: Stack = {
      node,
      deploymentFile,
      deployment,
      series: seeded.series.map(BigInt),
      api,
      adminToken,
      env,
      solver: null,
      async startSolver() {
        step("starting the solver and its API");
        // SOLVER_NODE_OPTIONS adds V8 flags for the solver process alone (bench:rfq sizes its young generation).
        const nodeOptions = `--disable-warning=ExperimentalWarning ${process.env.SOLVER_NODE_OPTIONS ?? ""}`.trim();
        const child = spawnTs("solver/cli.ts", ["start"], { ...env, NODE_OPTIONS: nodeOptions });
        stack.solver = child;
        const exited = new Promise<never>((_, reject) =>
          child.once("exit", (code) =>
            reject(new Error(`the solver exited (${code}) before serving:\n${child.output.join("")}`)),
          ),
        );
        await Promise.race([
          waitFor(async () => ((await fetch(`${api}/v1/health`)).ok ? true : undefined), 60_000),
          exited,
        ]);
      },
      async stopSolver() {
        if (stack.solver) await kill(stack.solver, "SIGTERM");
        stack.solver = null;
      },
      async stop() {
        await stack.stopSolver();
        await kill(node);
      },
    };
    await stack.startSolver();
    return stack;
  } catch (error) {
    await kill(node);
    throw error;
  }
}
