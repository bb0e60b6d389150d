#!/usr/bin/env node
// The CLI on the project's own Node 22 (installing first if needed), without Node's ExperimentalWarning for
// node:sqlite: `npx internalizer <command>` in the project, or `./bin/internalizer.mjs <command>`.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const child = spawn(
  process.execPath,
  [
    join(root, "scripts", "bootstrap.mjs"),
    "node",
    "--disable-warning=ExperimentalWarning",
    "--import",
    "tsx",
    join(root, "solver", "cli.ts"),
    ...process.argv.slice(2),
  ],
  { stdio: "inherit", cwd: process.cwd() },
);
// A stopped wrapper stops the CLI (and a solver started with `start`) with it.
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 143 : 1)));
