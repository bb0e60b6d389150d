import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { freePort } from "../../scripts/lib/processes.js";
import type { Stack } from "../../scripts/lib/stack.js";
import { devnet, key } from "./devnet.js";

function run(command: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; out: string; err: string }>((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, ...env } });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (err += d));
    child.on("exit", (code) => resolve({ code: code ?? 1, out, err }));
  });
}

/** Developer and integrator journeys (../shared/USER_JOURNEYS.md). */
describe("journeys: developer and integrator", function () {
  this.timeout(600_000);
  let stack: Stack;
  before(async () => {
    stack = await devnet();
  });

  it("Integrator 1: runs the README's demo command and sees the whole demo, ending with nothing locked", async () => {
    const r = await run("npm", [
      "run",
      "demo",
      "--",
      "--node-port",
      String(await freePort()),
      "--api-port",
      String(await freePort()),
    ]);
    expect(r.code, r.err.slice(-3000)).to.equal(0);
    for (const step of [
      "internal buy",
      "split buy",
      "AMM buy",
      "sell-to-close",
      "sell-to-open",
      "beyond the band: sold",
      "settled at $3150",
      "summary",
    ]) {
      expect(r.out, step).to.include(step);
    }
    expect(r.out).to.match(/best-execution violations\s*│\s*0/);
    expect(r.out).to.match(/solver collateral locked in the expired series\s*│\s*0 WETH/);
    expect(r.out).to.match(/solver PnL at block \d+ before gas\s*│\s*\$-?[\d.]+/);
    // Costs are positive figures, and the split adds up as the summary says it does.
    const usd = (label: string) => Number(new RegExp(`${label}\\s*│\\s*\\$(-?[\\d.]+)`).exec(r.out)?.[1]);
    const [spread, inventory, hedgePnl, hedgeCost, fees, gas, total] = [
      usd("spread earned"),
      usd("inventory \\(mark-to-market\\)"),
      usd("hedge PnL \\(the swaps' WETH since\\)"),
      usd("hedge cost \\(pool fee, impact, gas\\)"),
      usd("protocol fee to the settlement \\(cost\\)"),
      usd("gas paid \\(cost\\)"),
      usd("total = spread − fees − gas \\+ inventory \\+ hedge PnL − hedge cost"),
    ];
    expect(fees).to.be.at.least(0);
    expect(gas).to.be.greaterThan(0);
    // The demo hedges once on the Uniswap pool: its cost is in the split.
    expect(r.out).to.match(/hedges on the Uniswap pool\s*│\s*1 swap 0x/);
    expect(hedgeCost).to.be.greaterThan(0);
    // Cents: each figure is rounded to 2 decimals. (chai's closeTo is bigint-only under hardhat's matchers.)
    expect(
      Math.abs(spread - fees - gas + inventory + hedgePnl - hedgeCost - total),
      "the split adds up",
    ).to.be.lessThan(0.05);
  });

  it("Integrator 2: finds in docs/ARCHITECTURE.md the file of every step of an RFQ, and each file exists", async () => {
    const doc = readFileSync("docs/ARCHITECTURE.md", "utf8");
    const paths = [...doc.matchAll(/`((?:solver|contracts|scripts|ignition|test)\/[\w./{},-]+\.(?:ts|sol|mjs))`/g)].map(
      (m) => m[1]!,
    );
    expect(paths.length).to.be.greaterThan(20);
    const expanded = paths.flatMap((p) => {
      const m = /^(.*)\{([^}]+)\}(.*)$/.exec(p);
      return m ? m[2]!.split(",").map((x) => `${m[1]}${x}${m[3]}`) : [p];
    });
    expect(expanded.filter((p) => !existsSync(p))).to.deep.equal([]);
  });

  it("Integrator 2b: follows the README's curl-and-node walkthrough as written, and the order fills", async () => {
    const readme = readFileSync("README.md", "utf8");
    const section = readme.slice(readme.indexOf("## Walkthrough: curl and node"));
    const script = /```sh\n([\s\S]*?)```/.exec(section)![1]!.replace(/^API=.*$/m, `API=${stack.api}`);
    const r = await run("bash", ["-e", "-c", script]);
    expect(r.code, r.err).to.equal(0);
    const lines = r.out.trim().split("\n");
    const order = JSON.parse(lines.at(-1)!) as { status: string; txHash: string; trail: Array<{ status: string }> };
    expect(order.status).to.equal("filled");
    expect(order.trail.map((e) => e.status)).to.deep.equal(["accepted", "submitted", "filled"]);
    expect(r.out).to.match(/"status":"quoted"/);
  });

  it("Integrator 3: imports the SDK into a TypeScript script and trades on the devnet in under 20 lines", async () => {
    // An app of the integrator's own: an ES module project with viem and this SDK available.
    const dir = mkdtempSync(join(tmpdir(), "integrator-"));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
    symlinkSync(join(process.cwd(), "node_modules"), join(dir, "node_modules"));
    const script = join(dir, "trade.ts");
    const sdk = join(process.cwd(), "solver", "sdk", "index.js");
    const lines = [
      `import { createWalletClient, http, parseUnits } from "viem";`,
      `import { privateKeyToAccount } from "viem/accounts";`,
      `import { InternalizerClient, viemWallet } from "${sdk}";`,
      ``,
      `const account = privateKeyToAccount(process.env.PRIVATE_KEY as \`0x\${string}\`);`,
      `const wallet = createWalletClient({ account, transport: http(process.env.RPC_URL) });`,
      `const client = await InternalizerClient.connect(process.env.API_URL!, viemWallet(wallet));`,
      `const [series] = await client.series();`,
      `const quote = await client.requestQuote({ series: series!.instrument, side: "buy", amount: parseUnits("1", 18) });`,
      `console.log(quote.instrument, quote.route, quote.premium.formatted, quote.premium.symbol);`,
      `const order = await client.execute(quote);`,
      `console.log(order.status, order.txHash);`,
    ];
    expect(lines.length).to.be.lessThan(20);
    writeFileSync(script, `${lines.join("\n")}\n`);
    const r = await run(process.execPath, ["--import", import.meta.resolve("tsx"), script], {
      PRIVATE_KEY: key(7),
      RPC_URL: stack.node.url,
      API_URL: stack.api,
    });
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.match(/^ETH-\S+ (internal|amm|split) [\d.]+ (WETH|USDC)\nfilled 0x[0-9a-f]{64}\n$/);
  });
});
