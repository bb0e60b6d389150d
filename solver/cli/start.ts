import type { Command } from "@commander-js/extra-typings";
import { loadConfig } from "../config/load.js";
import { startSolver } from "../main.js";

/** `start`: the solver and its API, until SIGINT/SIGTERM. */
export function registerStart(program: Command): void {
  program
    .command("start")
    .description("start the solver and its RFQ API (config from --config or $INTERNALIZER_CONFIG, overridden by env)")
    .option("-c, --config <file>", "config file (JSON)", process.env.INTERNALIZER_CONFIG)
    .option("--port <port>", "API port (env API_PORT)")
    .option("--rpc <url>", "JSON-RPC URL (env RPC_URL)")
    .action(async (opts) => {
      const config = loadConfig(opts.config, process.env, {
        ...(opts.port ? { api: { port: Number(opts.port) } } : {}),
        ...(opts.rpc ? { rpcUrl: opts.rpc } : {}),
      });
      const solver = await startSolver(config);
      process.stdout.write(`solver ${solver.engine.solver} listening on ${solver.url}\n`);
      const stop = async () => {
        await solver.stop();
        process.exit(0);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
}
