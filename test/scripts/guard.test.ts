import { spawn } from "node:child_process";
import { expect } from "chai";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe("scripts/lib/guard.mjs (what keeps a devnet node from outliving its script)", () => {
  it("ends its command when the process that started it is killed", async function () {
    this.timeout(30_000);
    // A parent starts the guard around a long sleep, prints the sleep's pid, and is then SIGKILLed.
    const parent = spawn(process.execPath, [
      "-e",
      `const c = require("node:child_process").spawn(process.execPath, ["scripts/lib/guard.mjs", "sleep", "600"], { stdio: "ignore" });
       setTimeout(() => console.log(c.pid), 500); setInterval(() => {}, 1000);`,
    ]);
    const guardPid = await new Promise<number>((resolve) =>
      parent.stdout.once("data", (d: Buffer) => resolve(Number(String(d).trim()))),
    );
    expect(alive(guardPid)).to.equal(true);
    parent.kill("SIGKILL");
    expect(await until(() => !alive(guardPid), 10_000), "the guard exits with its parent").to.equal(true);
  });
});
