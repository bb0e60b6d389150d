import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { createWalletClient, http, parseUnits } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { freePort, kill, spawnTs, waitFor } from "../../scripts/lib/processes.js";
import type { Stack } from "../../scripts/lib/stack.js";
import { erc20Abi } from "../../solver/chain/abis.js";
import { chainFor } from "../../solver/chain/clients.js";
import { ErrorCode } from "../../solver/errors.js";
import type { SdkError } from "../../solver/sdk/index.js";
import { cli, cliJson, deploymentOf, devnet, eventually, freshMarket, key, now, trader, travelTo } from "./devnet.js";

/** Operator journeys (../shared/USER_JOURNEYS.md), each against the devnet as processes. */
describe("journeys: operator", function () {
  this.timeout(300_000);
  let stack: Stack;
  before(async () => {
    stack = await devnet();
  });
  const series = () => stack.series[4]!;

  it("Operator 1: points a solver at an RPC endpoint with a config file and a key, and it serves", async () => {
    const dir = mkdtempSync(join(tmpdir(), "operator-"));
    const config = join(dir, "solver.json");
    const port = await freePort();
    writeFileSync(
      config,
      JSON.stringify({
        rpcUrl: stack.node.url,
        deploymentFile: stack.deploymentFile,
        dbPath: join(dir, "solver.db"),
        api: { port },
        logLevel: "warn",
      }),
    );
    // The same deployment, another key: a second solver instance, as an operator would run one.
    const child = spawnTs("bin/internalizer.mjs", ["start", "--config", config], { SOLVER_PRIVATE_KEY: key(2) });
    try {
      const health = await waitFor(async () => {
        const res = await fetch(`http://127.0.0.1:${port}/v1/health`);
        return res.ok ? ((await res.json()) as { status: string; chainId: number }) : undefined;
      }, 90_000);
      expect(health).to.include({ status: "ok", chainId: stack.deployment.chainId });
    } finally {
      await kill(child, "SIGTERM");
    }
  });

  it("Operator 1b: a solver started by a script that dies does not outlive it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "orphan-"));
    const port = await freePort();
    // A script starts a solver the way the devnet does (INTERNALIZER_EXIT_WITH_PARENT), then is SIGKILLed.
    const script = join(dir, "parent.mjs");
    writeFileSync(
      script,
      `import { spawn } from "node:child_process";
       const child = spawn(process.execPath, ["--import", ${JSON.stringify(import.meta.resolve("tsx"))}, ${JSON.stringify(join(process.cwd(), "solver", "cli.ts"))}, "start"], {
         cwd: ${JSON.stringify(process.cwd())},
         stdio: "ignore",
         env: { ...process.env, INTERNALIZER_EXIT_WITH_PARENT: "1", NODE_OPTIONS: "--disable-warning=ExperimentalWarning" },
       });
       console.log(child.pid);
       setInterval(() => {}, 1000);`,
    );
    const env = { ...stack.env, API_PORT: String(port), DB_PATH: join(dir, "solver.db") };
    const runner = spawn(process.execPath, [script], { env: { ...process.env, ...env } });
    const pid = await new Promise<number>((resolve) =>
      runner.stdout.once("data", (d: Buffer) => resolve(Number(String(d).trim()))),
    );
    await waitFor(async () => ((await fetch(`http://127.0.0.1:${port}/v1/health`)).ok ? true : undefined), 90_000);
    runner.kill("SIGKILL");
    const gone = await eventually(async () => {
      try {
        process.kill(pid, 0);
        return undefined;
      } catch {
        return true;
      }
    }, 15_000);
    expect(gone).to.equal(true);
  });

  it("Operator 2: funds the solver's inventory, sets its limits and vols, and quotes on them", async () => {
    const d = deploymentOf(stack);
    const before = await cliJson<{ cash: { weth: { raw: string } } }>(stack, ["inventory"]);
    // The operator's treasury sends 10 WETH to the solver's account.
    const treasury = createWalletClient({
      account: privateKeyToAccount(key(0)),
      chain: chainFor(d.chainId),
      transport: http(stack.node.url),
    });
    await treasury.writeContract({
      address: d.contracts.weth,
      abi: erc20Abi,
      functionName: "faucet",
      args: [privateKeyToAccount(key(2)).address, parseUnits("10", 18)],
    });
    await eventually(async () => {
      const inv = await cliJson<{ cash: { weth: { raw: string } } }>(stack, ["inventory"]);
      return BigInt(inv.cash.weth.raw) - BigInt(before.cash.weth.raw) === parseUnits("10", 18) ? true : undefined;
    });
    const limits = await cliJson<{ maxOrderSize: number }>(stack, ["limits", "set", "--max-order-size", "25"]);
    expect(limits.maxOrderSize).to.equal(25);
    const client = await trader(stack, 4);
    const big = await client
      .requestQuote({ series: series(), side: "buy", amount: parseUnits("26", 18) })
      .catch((e: unknown) => e);
    expect((big as SdkError).code).to.equal(ErrorCode.SizeTooLarge);
    await cliJson(stack, ["limits", "set", "--max-order-size", "50"]);
    const { instrument } = await client.seriesInfo(series());
    const lowVol = await cliJson<{ slice: { atmVol: number } }>(stack, [
      "vol",
      "set",
      "--expiry",
      instrument,
      "--atm",
      "0.5",
    ]);
    expect(lowVol.slice.atmVol).to.equal(0.5);
    const cheap = await client.series();
    await cliJson(stack, ["vol", "set", "--expiry", instrument, "--atm", "1.2"]);
    const dear = await client.series();
    const ask = (list: typeof cheap) => list.find((s) => s.seriesId === series())!.ask.raw;
    expect(ask(dear) > ask(cheap)).to.equal(true);
    await cliJson(stack, [
      "vol",
      "set",
      "--expiry",
      instrument,
      "--atm",
      "0.8",
      "--skew",
      "-0.1",
      "--curvature",
      "0.2",
    ]);
    // The 10 WETH is capital, not profit.
    const pnl = await cliJson<{ totalUsd: number }>(stack, ["pnl"]);
    expect(Math.abs(pnl.totalUsd)).to.be.lessThan(5_000);
  });

  it("Operator 3: watches status, inventory and greeks, reservations, fills, the PnL split, toxicity and declines", async () => {
    const client = await trader(stack, 6);
    await client.execute(await client.requestQuote({ series: series(), side: "buy", amount: parseUnits("1", 18) }));
    const status = await cliJson<{ chainTime: number; killSwitch: { paused: boolean } }>(stack, ["status"]);
    expect(status.killSwitch.paused).to.equal(false);
    const inventory = await cliJson<{ greeks: { deltaUsd: number }; positions: unknown[] }>(stack, ["inventory"]);
    expect(inventory.positions.length).to.be.greaterThan(0);
    const risk = await cliJson<{ reservations: unknown[]; toxicity: unknown[]; usage: Record<string, unknown> }>(
      stack,
      ["risk"],
    );
    expect(Object.keys(risk.usage)).to.include("netDeltaUsd");
    const fills = await cliJson<{ fills: unknown[] }>(stack, ["fills"]);
    expect(fills.fills.length).to.be.greaterThan(0);
    const pnl = await cliJson<Record<string, number>>(stack, ["pnl"]);
    expect(pnl).to.include.keys("totalUsd", "spreadUsd", "inventoryUsd", "feesUsd", "gasUsd");
    const human = await cli(stack, ["risk"]);
    expect(human.out).to.match(/netDeltaUsd/);
    const metrics = await (await fetch(`${stack.api}/metrics`)).text();
    for (const name of [
      "internalizer_pnl_usd",
      "internalizer_inventory_greeks_usd",
      "internalizer_declines_total",
      "internalizer_fills_total",
      "internalizer_open_reservations",
    ]) {
      expect(metrics, name).to.include(name);
    }
  });

  it("Operator 4: sees the kill switch fire on a stale oracle with its reason, and resumes by hand", async () => {
    await travelTo(stack, (await now(stack)) + 3700);
    const status = await eventually(async () => {
      const s = await cliJson<{ killSwitch: { paused: boolean; reason: string } }>(stack, ["status"]);
      return s.killSwitch.paused ? s : undefined;
    });
    expect(status.killSwitch.reason).to.equal("ORACLE_STALE");
    const client = await trader(stack, 4);
    const refused = await client
      .requestQuote({ series: series(), side: "buy", amount: parseUnits("1", 18) })
      .catch((e: unknown) => e);
    expect([ErrorCode.OracleStale, ErrorCode.SolverPaused]).to.include((refused as SdkError).code);
    await freshMarket(stack);
    const resumed = await cliJson<{ killSwitch: { paused: boolean } }>(stack, ["status"]);
    expect(resumed.killSwitch.paused).to.equal(false);
    expect(
      (await client.requestQuote({ series: series(), side: "buy", amount: parseUnits("1", 18) })).quoteId,
    ).to.match(/^0x/);
  });

  it("Operator 6: exports a best-execution report: every fill against its AMM reference, and the total improvement", async () => {
    const report = await cliJson<{
      fills: number;
      violations: number;
      totalImprovementUsd: number;
      rows: Array<{ improvement: { raw: string } }>;
    }>(stack, ["bestex"]);
    expect(report.fills).to.be.greaterThan(0);
    expect(report.violations).to.equal(0);
    expect(report.totalImprovementUsd).to.be.greaterThan(0);
    expect(report.rows.every((r) => BigInt(r.improvement.raw) >= 0n)).to.equal(true);
  });

  it("Operator 8 and 7: sees the book's delta hedged on the pool, the hedge's cost and PnL in the split, and a restart keeps each hedge once", async () => {
    // A month's 3200 call sold by the solver: short delta for the hedger.
    const client = await trader(stack, 8);
    const month3200Call = stack.series[26]!;
    await client.execute(
      await client.requestQuote({ series: month3200Call, side: "buy", amount: parseUnits("10", 18) }),
    );
    type Status = {
      exposure: { netDeltaUsd: number };
      hedges: Array<{ id: number; status: string; txHash: string; sell: string }>;
      hedgeCostUsd: number;
      hedgePnlUsd: number;
    };
    const before = await cliJson<Status>(stack, ["hedge", "status"]);
    expect(before.exposure.netDeltaUsd).to.be.lessThan(-3_000);
    // Inside the configured band (20k USD) a check swaps nothing; forced, it buys WETH back to flat.
    const checked = await cliJson<{ outcome: { action: string } }>(stack, ["hedge", "run"]);
    expect(checked.outcome.action).to.equal("inside band");
    const forced = await cliJson<{ outcome: { action: string; hedge: { txHash: string; status: string } } }>(stack, [
      "hedge",
      "run",
      "--force",
    ]);
    expect(forced.outcome.action).to.equal("hedged");
    expect(forced.outcome.hedge.status).to.equal("done");
    const after = await cliJson<Status>(stack, ["hedge", "status"]);
    expect(Math.abs(after.exposure.netDeltaUsd)).to.be.lessThan(100);
    const ours = after.hedges.find((h) => h.txHash === forced.outcome.hedge.txHash)!;
    expect(ours).to.include({ status: "done", sell: "usdc" });
    expect(after.hedgeCostUsd).to.be.greaterThan(0);
    const pnl = await cliJson<Record<string, number>>(stack, ["pnl"]);
    expect(pnl.hedgeCostUsd).to.equal(after.hedgeCostUsd);
    expect(pnl).to.include.keys("hedgePnlUsd");
    const human = await cli(stack, ["hedge", "status"]);
    expect(human.out).to.match(/hedge cost\s*│\s*\$/);
    const metrics = await (await fetch(`${stack.api}/metrics`)).text();
    expect(metrics).to.match(/internalizer_hedges_total\{result="hedged"\} [1-9]/);
    // A restart reads the hedges back from the database: each once, and the same cost.
    await kill(stack.solver!, "SIGKILL");
    stack.solver = null;
    await stack.startSolver();
    // `hedge` alone is `hedge status`.
    const restarted = await cliJson<Status>(stack, ["hedge"]);
    expect(restarted.hedges.map((h) => [h.id, h.txHash, h.status])).to.deep.equal(
      after.hedges.map((h) => [h.id, h.txHash, h.status]),
    );
    expect(restarted.hedgeCostUsd).to.equal(after.hedgeCostUsd);
  });

  it("Operator 7: restarts the solver mid-flow without losing or doubling an order", async () => {
    const clients = await Promise.all([4, 5, 6, 7].map((i) => trader(stack, i)));
    const hashes = await Promise.all(
      clients.map(async (c) =>
        c.submitOrder(
          await c.signOrder(await c.requestQuote({ series: series(), side: "buy", amount: parseUnits("0.5", 18) })),
        ),
      ),
    );
    await kill(stack.solver!, "SIGKILL");
    stack.solver = null;
    await stack.startSolver();
    const final = await Promise.all(
      hashes.map((h, i) => clients[i]!.waitForFill(h, { timeoutMs: 90_000 }).catch((e: unknown) => e)),
    );
    for (const o of final)
      expect((o as { status?: string }).status ?? (o as SdkError).code).to.be.oneOf(["filled", ErrorCode.QuoteExpired]);
    const fills = await cliJson<{ fills: Array<{ orderHash: string }> }>(stack, ["fills", "--limit", "1000"]);
    const ours = fills.fills.filter((f) => hashes.includes(f.orderHash as `0x${string}`));
    expect(new Set(ours.map((f) => f.orderHash)).size).to.equal(ours.length);
    expect(ours.length).to.equal(final.filter((o) => (o as { status?: string }).status === "filled").length);
  });
});
