import type { Command } from "@commander-js/extra-typings";
import { ErrorCode } from "../errors.js";
import { CliError } from "./context.js";

/** `start`: the solver and its API, until SIGINT/SIGTERM. */
export function registerStart(program: Command): void {
  program
    .command("start")
    .description(
      "start the solver and its RFQ API (config from --config or $INTERNALIZER_CONFIG, then env, then flags)",
    )
    .option("-c, --config <file>", "config file (JSON)", process.env.INTERNALIZER_CONFIG)
    .option("--port <port>", "API port (env API_PORT)")
    .action(async (opts, cmd) => {
      // The solver keeps its state in node:sqlite (Node 22); the other commands run anywhere.
      if (Number(process.versions.node.split(".")[0]) < 22) {
        throw new CliError(
          ErrorCode.ConfigInvalid,
          `the solver needs Node 22 (this is ${process.version}); run it as \`npx internalizer start\` in the project`,
        );
      }
      // --rpc is a global option: given on the command line, it overrides the config file and RPC_URL.
      const rpcFromFlag =
        cmd.parent?.getOptionValueSource("rpc") === "cli" ? (cmd.parent.opts() as { rpc?: string }).rpc : undefined;
      if (opts.port !== undefined && !/^\d{1,5}$/.test(opts.port))
        throw new CliError(ErrorCode.ConfigInvalid, "--port is a port number");
      const { loadConfig } = await import("../config/load.js");
      const { startSolver } = await import("../main.js");
      const config = loadConfig(opts.config, process.env, {
        ...(opts.port ? { api: { port: Number(opts.port) } } : {}),
        ...(rpcFromFlag ? { rpcUrl: rpcFromFlag } : {}),
      });
      const solver = await startSolver(config);
      process.stdout.write(`solver ${solver.engine.solver} listening on ${solver.url} (chain ${config.rpcUrl})\n`);
      const stop = async () => {
        await solver.stop();
        process.exit(0);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      watchParent(stop);
    });
}

/**
 * When a parent process started us with INTERNALIZER_EXIT_WITH_PARENT=1 (the devnet, the tests), exit once
 * it is gone, so that a killed demo never leaves a solver running.
 */
function watchParent(stop: () => Promise<void>): void {
  if (process.env.INTERNALIZER_EXIT_WITH_PARENT !== "1") return;
  const parent = process.ppid;
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      void stop();
    }
  }, 1_000).unref();
}
