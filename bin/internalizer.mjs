#!/usr/bin/env node
// The CLI on the project's own Node 22 (installing first if needed), without Node's ExperimentalWarning for
// node:sqlite: `npx internalizer <command>` in the project, or `./bin/internalizer.mjs <command>`.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const result = spawnSync(
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
process.exit(result.status ?? 1);
