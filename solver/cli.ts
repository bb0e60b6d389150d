#!/usr/bin/env node
/**
 * internalizer: the operator's command line. `internalizer --help` lists the commands; each has --help.
 * Exit codes: 0 done, 2 a typed refusal (its code is printed), 1 anything else.
 */
import { Command } from "@commander-js/extra-typings";
import { addGlobalOptions } from "./cli/context.js";
import { registerOnchain } from "./cli/onchain.js";
import { registerOps } from "./cli/ops.js";
import { registerRfq } from "./cli/rfq.js";
import { registerStart } from "./cli/start.js";
import { InternalizerError } from "./errors.js";

const program = new Command()
  .name("internalizer")
  .description(
    "Operate the internalizer options RFQ solver: run it (start), watch it (status, inventory, risk, quotes,\n" +
      "fills, pnl, bestex), steer it (pause, resume), provide AMM liquidity (vault), manage series (series)\n" +
      "and trade against it as a wallet would (rfq). Reads go through the solver's API with the admin token;\n" +
      "chain commands sign with --key.",
  )
  .showHelpAfterError();
addGlobalOptions(program);
registerStart(program);
registerOps(program);
registerOnchain(program);
registerRfq(program);

program.parseAsync().catch((error: unknown) => {
  const json = process.argv.includes("--json");
  if (error instanceof InternalizerError) {
    if (json) process.stdout.write(`${JSON.stringify({ error: { code: error.code, message: error.message } })}\n`);
    process.stderr.write(`error ${error.code}: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
