#!/usr/bin/env node
// Runs a command as a child and ends it when this process's parent goes away (however the parent died),
// so that a devnet node never outlives the script that started it. SIGTERM and SIGINT are passed on.
//
//   node scripts/lib/guard.mjs <command> [args...]
import { spawn } from "node:child_process";

const [command, ...args] = process.argv.slice(2);
const parent = process.ppid;
const child = spawn(command, args, { stdio: "inherit" });
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    child.kill("SIGKILL");
    process.exit(1);
  }
}, 1_000).unref();
