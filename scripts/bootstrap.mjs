#!/usr/bin/env node
// Runs a command under the project's Node 22, installing dependencies first when they are missing or stale.
//
// Hardhat 3 needs Node >= 22 and its EDR chain ships as platform packages that npm only installs when npm
// itself runs on Node 22. This file therefore runs on any Node (it uses no dependencies): it installs with
// `npx -p node@22 -- npm install` when needed, then runs the command with node_modules/.bin first on PATH, so
// `node` there is the node@22 devDependency.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "node_modules", ".bin");
const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ""}` };

function mtime(path) {
  return existsSync(path) ? statSync(path).mtimeMs : -1;
}

function nodeMajor() {
  const node = join(bin, process.platform === "win32" ? "node.cmd" : "node");
  if (!existsSync(node)) return 0;
  const out = spawnSync(node, ["--version"], { encoding: "utf8" });
  return Number(/^v(\d+)/.exec(out.stdout ?? "")?.[1] ?? 0);
}

function needsInstall() {
  const installed = join(root, "node_modules", ".package-lock.json");
  if (!existsSync(installed)) return "node_modules is missing";
  if (mtime(join(root, "package-lock.json")) > mtime(installed)) return "package-lock.json changed";
  if (mtime(join(root, "package.json")) > mtime(installed)) return "package.json changed";
  if (nodeMajor() < 22) return "the project's Node 22 is missing";
  return undefined;
}

/** Runs a command to completion; its stdout goes to our stderr, so a command's own output (--json) stays clean. */
function run(command, args) {
  const stdio = ["inherit", process.stderr, "inherit"];
  const result = spawnSync(command, args, { cwd: root, env, stdio, shell: process.platform === "win32" });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

/** Runs the command as a child that ends with this process: SIGTERM, SIGINT and SIGHUP are passed on. */
function runForwarding(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: "inherit", shell: process.platform === "win32" });
    for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(signal, () => child.kill(signal));
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 + 15 : 1)));
  });
}

const reason = needsInstall();
if (reason) {
  console.error(`[bootstrap] ${reason}: installing dependencies with Node 22 (npx -p node@22 -- npm install)`);
  const status = run("npx", ["-y", "-p", "node@22", "--", "npm", "install", "--no-audit", "--no-fund"]);
  if (status !== 0) process.exit(status);
}

const [command, ...args] = process.argv.slice(2);
if (!command) process.exit(0);
process.exit(await runForwarding(command, args));
