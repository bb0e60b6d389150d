import { spawnSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..", "..");

/**
 * Compiles the contracts and writes the solver's ABIs (`npm run build:contracts`), which the simulation's
 * in-process chains need; the web app is not built. Its output goes to stderr, so the last line of stdout
 * stays the run's JSON. Exits with the build's status when it fails.
 */
export function buildContracts(): void {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const out = spawnSync(npm, ["run", "--silent", "build:contracts"], { cwd: ROOT, stdio: ["ignore", 2, 2] });
  if (out.status !== 0) {
    console.error(`the contracts' build failed (exit ${out.status ?? out.signal})`);
    process.exit(out.status ?? 1);
  }
}
