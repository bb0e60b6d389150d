#!/usr/bin/env node
/**
 * internalizer: the operator's command line. `internalizer --help` lists the commands; each has --help.
 */
import { Command } from "@commander-js/extra-typings";
import { registerStart } from "./cli/start.js";
import { InternalizerError } from "./errors.js";

const program = new Command()
  .name("internalizer")
  .description("Operate the internalizer options RFQ solver: run it, watch it, steer it, and trade against it.")
  .showHelpAfterError();

registerStart(program);

program.parseAsync().catch((error: unknown) => {
  if (error instanceof InternalizerError) {
    process.stderr.write(`error ${error.code}: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
