import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { FastifyInstance } from "fastify";
import type { PublicClient, Transport } from "viem";
import { Metrics } from "./api/metrics.js";
import { buildServer } from "./api/server.js";
import { createClients } from "./chain/clients.js";
import { loadDeployment } from "./config/load.js";
import type { Config } from "./config/schema.js";
import { buildEngine } from "./engine/build.js";
import type { Engine } from "./engine/engine.js";
import { createLogger, type Logger } from "./log.js";
import { Store } from "./store/db.js";

export interface RunningSolver {
  engine: Engine;
  server: FastifyInstance;
  /** The API's base URL. */
  url: string;
  stop(): Promise<void>;
}

const TICK_MS = 250;

/**
 * Starts the solver: validates the deployment, rebuilds the book from the chain, reconciles unfinished
 * orders, serves the API and runs the engine's tick (expiries, markouts, kill-switch checks, submission).
 */
export async function startSolver(
  config: Config,
  opts: { transport?: Transport; log?: Logger } = {},
): Promise<RunningSolver> {
  const log = opts.log ?? createLogger(config.logLevel);
  const deployment = loadDeployment(config.deploymentFile);
  const clients = createClients({
    chainId: deployment.chainId,
    key: config.solverKey,
    rpcUrl: config.rpcUrl,
    ...(opts.transport ? { transport: opts.transport } : {}),
  });
  const store = new Store(config.dbPath);
  // The config is never changed in place: the token (given, or generated once) goes into a copy.
  const token = adminToken(config.dbPath, config.api.adminToken, log);
  const engine = await buildEngine({
    config: { ...config, api: { ...config.api, adminToken: token } },
    deployment,
    clients,
    store,
    log,
  });
  await engine.init();
  const metrics = new Metrics(engine);
  const server = await buildServer({ engine, reader: clients.publicClient as PublicClient, metrics, log });
  const url = await server.listen({ host: config.api.host, port: config.api.port });

  const timer = tickEvery(engine, log);
  log.info({ url, solver: engine.solver, chainId: deployment.chainId }, "solver started");

  return {
    engine,
    server,
    url,
    async stop() {
      clearInterval(timer);
      await server.close();
      await engine.submitter.flush();
      store.close();
      log.info("solver stopped");
    },
  };
}

/**
 * The operator token: the configured one, else the one kept beside the database, else a new one. It is
 * written beside the database (mode 0600) either way, where the CLI finds it when run from the project.
 */
function adminToken(dbPath: string, configured: string | undefined, log: Logger): string {
  const file = join(dbPath === ":memory:" ? "data" : dirname(dbPath), "admin.token");
  let token = configured;
  if (!token) {
    try {
      token = readFileSync(file, "utf8").trim();
    } catch {
      token = randomBytes(24).toString("hex");
      log.info({ file }, "generated the admin token");
    }
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

/** Runs the engine's periodic work every TICK_MS, one tick at a time; a failed tick is logged, not fatal. */
function tickEvery(engine: Engine, log: Logger): NodeJS.Timeout {
  let ticking = false;
  return setInterval(async () => {
    if (ticking) return;
    ticking = true;
    try {
      await engine.tick();
    } catch (error) {
      log.error({ err: error }, "tick failed");
    } finally {
      ticking = false;
    }
  }, TICK_MS);
}
