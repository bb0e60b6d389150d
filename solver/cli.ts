#!/usr/bin/env node
/**
 * internalizer: the operator's and the trader's command line. `internalizer --help` lists the commands;
 * each has --help. Exit codes: 0 done, 2 a typed refusal (its code is printed), 1 anything else.
 */
import { Command } from "@commander-js/extra-typings";
import { addGlobalOptions, detailsText } from "./cli/context.js";
import { registerHedge } from "./cli/hedge.js";
import { chainFailure, registerOnchain } from "./cli/onchain.js";
import { registerOps } from "./cli/ops.js";
import { registerReport } from "./cli/report.js";
import { registerRfq } from "./cli/rfq.js";
import { registerStart } from "./cli/start.js";
import { InternalizerError } from "./errors.js";

const program = new Command()
  .name("internalizer")
  .description(
    "Operate the internalizer options RFQ solver: run it (start), watch it (status, inventory, risk, quotes, " +
      "fills, pnl, bestex, order), steer it (pause, resume, vol, limits), hedge its delta on the spot pool (hedge), " +
      "provide AMM liquidity (vault), manage " +
      "series (series), trade as a wallet would (rfq, orders, cancel), and report on execution quality (report). " +
      "Operator reads go through the solver's API with the admin token; chain commands sign with --key. Times are " +
      "chain time.",
  )
  .showHelpAfterError();
addGlobalOptions(program);
registerStart(program);
registerOps(program);
registerHedge(program);
registerOnchain(program);
registerRfq(program);
registerReport(program);

program.parseAsync().catch((caught: unknown) => {
  const json = process.argv.includes("--json");
  // Anything from the chain client that was not mapped yet is still a typed refusal (usually: unreachable).
  const error =
    caught instanceof InternalizerError || isViemError(caught) ? chainFailure("the command", caught) : caught;
  if (error instanceof InternalizerError) {
    const body = { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) };
    if (json) process.stdout.write(`${JSON.stringify({ error: body })}\n`);
    process.stderr.write(`error ${error.code}: ${error.message}\n`);
    if (error.details && !json) process.stderr.write(detailsText(error.details));
    process.exit(2);
  }
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

function isViemError(e: unknown): boolean {
  return e instanceof Error && typeof (e as { shortMessage?: unknown }).shortMessage === "string";
}
