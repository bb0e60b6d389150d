import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { createWalletClient, http, parseUnits } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { devKey } from "../../scripts/lib/accounts.js";
import { chainNow, devnetClients, latestPrice, mineAt, pushPrice, refreshMarket } from "../../scripts/lib/keeper.js";
import { freePort, signal } from "../../scripts/lib/processes.js";
import { type Stack, startStack } from "../../scripts/lib/stack.js";
import { erc20Abi } from "../../solver/chain/abis.js";
import { DeploymentSchema } from "../../solver/config/schema.js";
import { ErrorCode } from "../../solver/errors.js";
import { InternalizerClient, SdkError, viemWallet } from "../../solver/sdk/index.js";

/** Runs the CLI as an operator would; resolves with its exit code, stdout and stderr. */
function cli(stack: Stack, args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; out: string; err: string }>((resolve) => {
    const child = spawn(
      "node",
      [
        "--import",
        "tsx",
        "solver/cli.ts",
        "--api",
        stack.api,
        "--rpc",
        stack.node.url,
        "--deployment",
        stack.deploymentFile,
        ...args,
      ],
      {
        env: {
          ...process.env,
          NODE_OPTIONS: "--disable-warning=ExperimentalWarning",
          ADMIN_TOKEN: stack.adminToken,
          ...env,
        },
      },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (err += d));
    child.on("exit", (code) => resolve({ code: code ?? 1, out, err }));
  });
}
const json = async (stack: Stack, args: string[], env: Record<string, string> = {}) => {
  const r = await cli(stack, [...args, "--json"], env);
  expect(r.code, r.err).to.equal(0);
  return JSON.parse(r.out) as Record<string, unknown>;
};

describe("operator CLI and node outages, against the devnet as processes", function () {
  this.timeout(300_000);
  let stack: Stack;
  // A funded devnet wallet acting as an LP (the seeding LP, account 3, deposited everything it had).
  const lp = { PRIVATE_KEY: devKey(8) };
  const trader = { PRIVATE_KEY: devKey(4) };

  before(async () => {
    // The keeper is off: these tests settle series by hand, as an operator would.
    stack = await startStack({
      dir: mkdtempSync(join(tmpdir(), "internalizer-cli-")),
      config: { keeper: { enabled: false } },
    });
  });
  after(async () => stack?.stop());

  it("explains every command in --help", async () => {
    const r = await cli(stack, ["--help"]);
    expect(r.code).to.equal(0);
    for (const command of [
      "start",
      "status",
      "inventory",
      "risk",
      "quotes",
      "fills",
      "pnl",
      "pause",
      "resume",
      "vault",
      "series",
      "rfq",
      "bestex",
    ]) {
      expect(r.out).to.match(new RegExp(`\\n\\s+${command}\\b`));
    }
  });

  it("sends a signed RFQ as a trader and executes it; quotes, fills, bestex, inventory, risk and pnl show it", async () => {
    const fill = await json(
      stack,
      ["rfq", "--series", stack.series[4]!.toString(), "--side", "buy", "--amount", "0.5", "--execute"],
      trader,
    );
    expect((fill.fill as { status: string }).status).to.equal("filled");
    const { quotes } = (await json(stack, ["quotes", "--limit", "5"])) as { quotes: Array<{ status: string }> };
    expect(quotes[0]!.status).to.equal("filled");
    const { fills } = (await json(stack, ["fills"])) as { fills: Array<{ internalAmount: string }> };
    expect(fills).to.have.length(1);
    const bestex = (await json(stack, ["bestex"])) as { violations: number; fills: number };
    expect(bestex).to.include({ violations: 0 });
    const inventory = (await json(stack, ["inventory"])) as { positions: unknown[] };
    expect(inventory.positions.length).to.be.greaterThan(0);
    const risk = (await json(stack, ["risk"])) as { usage: Record<string, unknown> };
    expect(risk.usage).to.have.keys("seriesPosition", "netDeltaUsd", "netVegaUsd", "collateralWeth", "collateralUsdc");
    expect(await json(stack, ["pnl"])).to.have.property("totalUsd");
    const table = await cli(stack, ["fills"]);
    expect(table.out).to.include("markout bps");
  });

  it("pauses and resumes the solver: a paused solver declines with SOLVER_PAUSED", async () => {
    expect((await json(stack, ["pause"])).reason).to.equal("MANUAL");
    const r = await cli(
      stack,
      ["rfq", "--series", stack.series[4]!.toString(), "--side", "buy", "--amount", "0.1", "--json"],
      trader,
    );
    expect(r.code).to.equal(2);
    expect(JSON.parse(r.out).error.code).to.equal(ErrorCode.SolverPaused);
    expect((await json(stack, ["resume"])).paused).to.equal(false);
    expect((await json(stack, ["status"])).killSwitch).to.deep.include({ paused: false });
  });

  it("deposits into and withdraws from a vault as an LP", async () => {
    const dep = (await json(stack, ["vault", "deposit", "put", "1000"], lp)) as {
      amount: string;
      sharesMinted: string;
    };
    expect(dep.amount).to.equal("1000000000");
    expect(BigInt(dep.sharesMinted)).to.be.greaterThan(0n);
    // Fresh deposits are locked for the vault's hold time (against deposit-trade-withdraw games).
    const locked = await cli(stack, ["vault", "withdraw", "put", "500.5", "--json"], lp);
    expect(locked.code).to.equal(2);
    const { error } = JSON.parse(locked.out) as {
      error: { code: string; message: string; details: { lockedUntil: number } };
    };
    expect(error.code).to.equal(ErrorCode.SharesLocked);
    expect(error.message).to.match(/locked until \d{4}-\d\d-\d\dT[\d:]+Z \(chain time\)/);
    const until = error.details.lockedUntil;
    expect(until).to.be.greaterThan(0);
    const deployment = DeploymentSchema.parse(stack.deployment);
    await mineAt(stack.node.url, until + 1);
    await refreshMarket(deployment, stack.node.url, stack.series);
    await json(stack, ["resume"]);
    const wd = (await json(stack, ["vault", "withdraw", "put", "500.5"], lp)) as {
      amount: string;
      sharesBurned: string;
    };
    expect(wd.amount).to.equal("500500000");
  });

  it("refuses bad arguments with typed errors and exit code 2", async () => {
    for (const [args, env, code] of [
      [["vault", "deposit", "strangle", "1"], lp, ErrorCode.InvalidRequest],
      [["vault", "deposit", "call", "-1"], lp, ErrorCode.SizeInvalid],
      [["vault", "deposit", "call", "1.0000000000000000001"], lp, ErrorCode.SizeInvalid],
      [["vault", "deposit", "call", "1"], {}, ErrorCode.ConfigInvalid],
      [["rfq", "--series", "abc", "--side", "buy", "--amount", "1"], trader, ErrorCode.SeriesUnknown],
      [["rfq", "--series", "1", "--side", "long", "--amount", "1"], trader, ErrorCode.InvalidRequest],
      [["rfq", "--series", "1", "--side", "buy", "--amount", "0"], trader, ErrorCode.SizeInvalid],
      [["series", "create", "--strike", "3000", "--expiry", "not-a-date"], lp, ErrorCode.InvalidRequest],
      [["status"], { ADMIN_TOKEN: "wrong-token-wrong-token" }, ErrorCode.TokenInvalid],
      [["--api", "http://127.0.0.1:1", "status"], {}, ErrorCode.ApiUnavailable],
    ] as Array<[string[], Record<string, string>, string]>) {
      const r = await cli(stack, [...args, "--json"], env);
      expect(r.code, `${args.join(" ")}: ${r.err}`).to.equal(2);
      expect(JSON.parse(r.out).error.code, args.join(" ")).to.equal(code);
    }
    const tooMuch = await cli(stack, ["vault", "withdraw", "call", "100000", "--json"], lp);
    expect(tooMuch.code).to.equal(2);
    expect(JSON.parse(tooMuch.out).error.code).to.equal(ErrorCode.InsufficientBalance);
  });

  it("creates, lists and settles a series at expiry on the last oracle round before it", async () => {
    const deployment = DeploymentSchema.parse(stack.deployment);
    const admin = devnetClients(deployment, stack.node.url, 0);
    const expiry = (await chainNow(admin)) + 3600;
    const created = (await json(stack, ["series", "create", "--strike", "2950", "--expiry", String(expiry)], lp)) as {
      seriesId: string;
    };
    const { series } = (await json(stack, ["series", "list"], lp)) as {
      series: Array<{ seriesId: string; settled: boolean }>;
    };
    expect(series.find((s) => s.seriesId === created.seriesId)).to.include({ settled: false });
    const price = await latestPrice(admin, deployment);
    await mineAt(stack.node.url, expiry - 30);
    await pushPrice(admin, deployment, 3100n * 10n ** 8n);
    await mineAt(stack.node.url, expiry + 30);
    await pushPrice(admin, deployment, 9999n * 10n ** 8n); // after expiry: must not be used
    const settled = (await json(stack, ["series", "settle", created.seriesId], lp)) as { settlementPrice: string };
    expect(settled.settlementPrice).to.equal((3100n * 10n ** 6n).toString());
    const again = await cli(stack, ["series", "settle", created.seriesId, "--json"], lp);
    expect(JSON.parse(again.out).error.code).to.equal(ErrorCode.ContractReverted);
    // Back to a fresh, sane market for the next test.
    await refreshMarket(deployment, stack.node.url, stack.series, price);
    await json(stack, ["resume"]);
  });

  it("stops quoting with CHAIN_UNREACHABLE while the node is frozen, resumes by itself, and loses no order", async () => {
    const wallet = viemWallet(
      createWalletClient({ account: privateKeyToAccount(devKey(5)), transport: http(stack.node.url) }),
    );
    const client = await InternalizerClient.connect(stack.api, wallet);
    const quote = await client.requestQuote({ series: stack.series[4]!, side: "buy", amount: parseUnits("0.2", 18) });
    const orderHash = await client.submitOrder(await client.signOrder(quote));
    signal(stack.node, "SIGSTOP");
    try {
      // Quotes may answer from a block up to four polling intervals old (1 s here) with everything they need
      // cached; past that window they must ask the frozen node.
      await new Promise((r) => setTimeout(r, 1_500));
      const started = Date.now();
      const declined = await client
        .requestQuote({ series: stack.series[4]!, side: "buy", amount: parseUnits("0.1", 18) })
        .catch((e: unknown) => e);
      expect(declined).to.be.instanceOf(SdkError);
      expect([ErrorCode.BudgetExceeded, ErrorCode.ChainUnavailable, ErrorCode.SolverPaused]).to.include(
        (declined as SdkError).code,
      );
      expect(Date.now() - started, "answered, not timed out").to.be.lessThan(7_000);
      const deadline = Date.now() + 30_000;
      let reason = "";
      while (Date.now() < deadline && reason !== "CHAIN_UNREACHABLE") {
        const health = (await (await fetch(`${stack.api}/v1/health`)).json()) as { killSwitch?: { reason?: string } };
        reason = health.killSwitch?.reason ?? "";
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(reason).to.equal("CHAIN_UNREACHABLE");
    } finally {
      signal(stack.node, "SIGCONT");
    }
    const deadline = Date.now() + 30_000;
    let status = "";
    while (Date.now() < deadline && status !== "ok") {
      status = ((await (await fetch(`${stack.api}/v1/health`)).json()) as { status: string }).status;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).to.equal("ok");
    const fill = await client.waitForFill(orderHash, { timeoutMs: 60_000 });
    expect(fill.status).to.equal("filled");
    const again = await client.requestQuote({ series: stack.series[4]!, side: "buy", amount: parseUnits("0.1", 18) });
    expect(again.quoteId).to.match(/^0x[0-9a-f]{64}$/);
  });
});

/** Runs the CLI with only the arguments given (no global options added), from `cwd`. */
function bare(args: string[], env: Record<string, string> = {}, cwd = process.cwd()) {
  return new Promise<{ code: number; out: string; err: string }>((resolve) => {
    // tsx by absolute URL: the CLI may run from any directory.
    const tsx = import.meta.resolve("tsx");
    const child = spawn(process.execPath, ["--import", tsx, `${process.cwd()}/solver/cli.ts`, ...args], {
      cwd,
      env: { ...process.env, NODE_OPTIONS: "--disable-warning=ExperimentalWarning", ...env },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (err += d));
    child.on("exit", (code) => resolve({ code: code ?? 1, out, err }));
  });
}

describe("the CLI as a user meets it: tokens, flags, outages and readable refusals", function () {
  this.timeout(300_000);
  let stack: Stack;
  let dir: string;
  const trader = { PRIVATE_KEY: devKey(4) };
  const keeper = { PRIVATE_KEY: devKey(1) };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "internalizer-cli-user-"));
    stack = await startStack({ dir });
  });
  after(async () => stack?.stop());
  const code = (r: { out: string }) => (JSON.parse(r.out) as { error: { code: string } }).error.code;

  it("says ADMIN_TOKEN_MISSING when no token is given anywhere, without calling the API", async () => {
    const r = await bare(
      ["--api", stack.api, "status", "--json"],
      { ADMIN_TOKEN: "" },
      mkdtempSync(join(tmpdir(), "no-token-")),
    );
    expect([r.code, code(r)]).to.deep.equal([2, ErrorCode.TokenMissing]);
  });

  it("finds the token the solver wrote beside its database, from the solver's directory", async () => {
    expect(readFileSync(join(dir, "admin.token"), "utf8").trim()).to.equal(stack.adminToken);
    mkdirSync(join(dir, "data"), { recursive: true });
    copyFileSync(join(dir, "admin.token"), join(dir, "data", "admin.token"));
    const r = await bare(["--api", stack.api, "status", "--json"], { ADMIN_TOKEN: "" }, dir);
    expect(r.code, r.err).to.equal(0);
    expect(JSON.parse(r.out)).to.have.property("chainTime");
  });

  it("runs on the project's Node without an ExperimentalWarning, and on Node 20 for everything but start", async () => {
    const viaBin = await new Promise<{ code: number; err: string; out: string }>((resolve) => {
      const child = spawn(process.execPath, ["bin/internalizer.mjs", "--api", stack.api, "status", "--json"], {
        env: { ...process.env, NODE_OPTIONS: "", ADMIN_TOKEN: stack.adminToken },
      });
      let out = "";
      let err = "";
      child.stdout.on("data", (d: Buffer) => (out += d));
      child.stderr.on("data", (d: Buffer) => (err += d));
      child.on("exit", (code) => resolve({ code: code ?? 1, err, out }));
    });
    expect(viaBin.code, viaBin.err).to.equal(0);
    expect(viaBin.err).to.not.include("ExperimentalWarning");
    expect(JSON.parse(viaBin.out)).to.have.property("chainTime");
    // The machine's own Node (20 here): the CLI's reads work; only `start` needs Node 22, and says so.
    const system = process.env.SYSTEM_NODE ?? "/usr/bin/node";
    const onSystem = (args: string[]) =>
      new Promise<{ code: number; err: string; out: string }>((resolve) => {
        const child = spawn(system, ["--import", import.meta.resolve("tsx"), "solver/cli.ts", ...args], {
          env: { ...process.env, NODE_OPTIONS: "", ADMIN_TOKEN: stack.adminToken },
        });
        let out = "";
        let err = "";
        child.stdout.on("data", (d: Buffer) => (out += d));
        child.stderr.on("data", (d: Buffer) => (err += d));
        child.on("exit", (code) => resolve({ code: code ?? 1, err, out }));
      });
    const list = await onSystem([
      "--rpc",
      stack.node.url,
      "--deployment",
      stack.deploymentFile,
      "series",
      "list",
      "--json",
    ]);
    expect(list.code, list.err).to.equal(0);
    expect(list.err).to.not.include("node:sqlite");
    expect((JSON.parse(list.out) as { series: unknown[] }).series.length).to.equal(30);
  });

  it("lets `start --rpc` override RPC_URL", async () => {
    const port = await freePort();
    const r = await bare(["--rpc", "http://127.0.0.1:1", "start"], {
      ...stack.env,
      API_PORT: String(port),
      DB_PATH: join(mkdtempSync(join(tmpdir(), "rpc-flag-")), "solver.db"),
    });
    expect(r.code).to.equal(2);
    expect(r.err).to.match(/CHAIN_UNAVAILABLE/);
  });

  it("answers an unreachable RPC with CHAIN_UNAVAILABLE and exit code 2", async () => {
    const r = await bare([
      "--rpc",
      "http://127.0.0.1:1",
      "--deployment",
      stack.deploymentFile,
      "series",
      "list",
      "--json",
    ]);
    expect([r.code, code(r)]).to.deep.equal([2, ErrorCode.ChainUnavailable]);
  });

  it("says SERIES_UNKNOWN for a series the ledger does not have", async () => {
    const r = await cli(stack, ["series", "settle", "12345", "--json"], trader);
    expect([r.code, code(r)]).to.deep.equal([2, ErrorCode.SeriesUnknown]);
  });

  it("shows the API's details with a refusal", async () => {
    const r = await cli(stack, ["quotes", "--status", "bogus"]);
    expect(r.code).to.equal(2);
    expect(r.err).to.match(/INVALID_REQUEST/);
    expect(r.err).to.match(/"path": ?"status"/);
  });

  it("checks the balance before a deposit and approves nothing when it is short", async () => {
    const lp = { PRIVATE_KEY: devKey(7) };
    const deployment = DeploymentSchema.parse(stack.deployment);
    const client = devnetClients(deployment, stack.node.url, 7);
    const allowance = () =>
      client.publicClient.readContract({
        address: deployment.contracts.weth,
        abi: erc20Abi,
        functionName: "allowance",
        args: [client.account.address, deployment.contracts.callVault],
      });
    const before = await allowance();
    const r = await cli(stack, ["vault", "deposit", "call", "1000000", "--json"], lp);
    expect([r.code, code(r)]).to.deep.equal([2, ErrorCode.InsufficientBalance]);
    expect(JSON.parse(r.out).error.message).to.match(/you hold 100 WETH/);
    expect(await allowance()).to.equal(before);
  });

  it("trades a series created from the CLI, from the CLI: series create, vault vol, vol set, limits, rfq by name", async () => {
    const deployment = DeploymentSchema.parse(stack.deployment);
    const now = await chainNow(devnetClients(deployment, stack.node.url, 0));
    const date = new Date((now + 10 * 86_400) * 1000).toISOString().slice(0, 10);
    const created = (await json(stack, ["series", "create", "--strike", "3050", "--expiry", date], trader)) as {
      instrument: string;
    };
    expect(created.instrument).to.match(/^ETH-\d{1,2}[A-Z]{3}\d{2}-3050-C$/);
    const notYet = await cli(
      stack,
      ["rfq", "--series", created.instrument, "--side", "buy", "--amount", "1", "--json"],
      trader,
    );
    expect([notYet.code, code(notYet)]).to.deep.equal([2, ErrorCode.NoLiquidity]);
    await json(
      stack,
      ["vault", "vol", "both", "--expiry", created.instrument, "--atm", "0.8", "--skew", "-0.1", "--curvature", "0.2"],
      keeper,
    );
    await json(stack, [
      "vol",
      "set",
      "--expiry",
      created.instrument,
      "--atm",
      "0.75",
      "--skew",
      "-0.1",
      "--curvature",
      "0.2",
    ]);
    const vols = (await json(stack, ["vol", "show"])) as { byExpiry: Record<string, { atmVol: number }> };
    expect(Object.values(vols.byExpiry).map((v) => v.atmVol)).to.include(0.75);
    const limits = (await json(stack, ["limits", "set", "--max-order-size", "40"])) as { maxOrderSize: number };
    expect(limits.maxOrderSize).to.equal(40);
    expect(((await json(stack, ["limits", "show"])) as { maxOrderSize: number }).maxOrderSize).to.equal(40);
    // A group named alone runs its `show`: `limits` is `limits show`, `vol` is `vol show`.
    expect(((await json(stack, ["limits"])) as { maxOrderSize: number }).maxOrderSize).to.equal(40);
    expect(await json(stack, ["vol"])).to.deep.equal(vols);
    const traded = (await json(
      stack,
      ["rfq", "--series", created.instrument, "--side", "buy", "--amount", "1", "--execute"],
      trader,
    )) as { quote: { instrument: string; premium: { symbol: string } }; fill: { status: string } };
    expect(traded.quote.instrument).to.equal(created.instrument);
    expect(traded.quote.premium.symbol).to.equal("WETH");
    expect(traded.fill.status).to.equal("filled");
    const table = await cli(stack, ["rfq", "--series", created.instrument, "--side", "buy", "--amount", "0.5"], trader);
    expect(table.out).to.match(/premium\s*│\s*0\.\d+ WETH/);
    expect(table.out).to.match(/valid until\s*│\s*\d{4}-\d\d-\d\dT[\d:]+Z \(chain time\)/);
  });

  it("reads as people read: prices, series without ids, the kill switch in words, a bare date for vols", async () => {
    const prices = await cli(stack, ["prices"]);
    expect(prices.code, prices.err).to.equal(0);
    expect(prices.out).to.match(/ETH-\d{1,2}[A-Z]{3}\d{2}-\d+-C\s*│\s*0\.\d+ WETH\s*│\s*0\.\d+ WETH/);
    expect(prices.out).to.match(/spot \$[\d.]+ at /);
    const list = await cli(stack, ["series", "list"]);
    expect(list.out).to.not.match(/\d{40,}/);
    await json(stack, ["pause"]);
    const status = await cli(stack, ["status"]);
    expect(status.out).to.match(/killSwitch\s*│\s*PAUSED since \d{4}-.*\(chain time\): MANUAL/);
    await json(stack, ["resume"]);
    // The series created above expires 10 days out at 08:00 UTC: its date names it.
    const { series } = (await json(stack, ["series", "list"])) as {
      series: Array<{ instrument: string; expiry: number }>;
    };
    const created = series.find((x) => x.instrument.endsWith("-3050-C"))!;
    const day = new Date(created.expiry * 1000).toISOString().slice(0, 10);
    const set = (await json(stack, ["vol", "set", "--expiry", day, "--atm", "0.7"])) as { expiry: number };
    expect(set.expiry).to.equal(created.expiry);
    const human = await cli(stack, ["vol", "set", "--expiry", day, "--atm", "0.75"]);
    expect(human.out).to.match(/solver vol for expiry .* \(chain time\): atm 75\.0%, skew 0\.0000, curvature 0\.0000/);
    const none = await cli(stack, ["vault", "vol", "call", "--expiry", "2031-01-01", "--atm", "0.7", "--json"], keeper);
    expect([none.code, code(none)]).to.deep.equal([2, ErrorCode.SeriesUnknown]);
  });

  it("tells a trader without approvals to run with --approve, then approves, submits and prints the order hash", async () => {
    const fresh = { PRIVATE_KEY: devKey(9) };
    const series = stack.series[4]!.toString();
    const refused = await cli(stack, ["rfq", "--series", series, "--side", "buy", "--amount", "0.1", "--json"], fresh);
    expect([refused.code, code(refused)]).to.deep.equal([2, ErrorCode.AllowanceMissing]);
    expect(JSON.parse(refused.out).error.message).to.match(/run again with --approve/);
    const r = await cli(
      stack,
      ["rfq", "--series", series, "--side", "buy", "--amount", "0.1", "--approve", "--submit", "--json"],
      { ...fresh, INTERNALIZER_PROGRESS: "1" },
    );
    expect(r.code, r.err).to.equal(0);
    expect(r.err).to.match(/approval sent: 0x[0-9a-f]{64}/);
    const out = JSON.parse(r.out) as { orderHash: string; fill: unknown };
    expect(out.orderHash).to.match(/^0x[0-9a-f]{64}$/);
    expect(out.fill).to.equal(null);
    const both = await cli(
      stack,
      ["rfq", "--series", series, "--side", "buy", "--amount", "0.1", "--submit", "--execute", "--json"],
      fresh,
    );
    expect([both.code, code(both)]).to.deep.equal([2, ErrorCode.InvalidRequest]);
  });

  it("shows a vault's own figures without a key, and refuses a bad receiver before approving anything", async () => {
    const noKey = await cli(stack, ["vault", "status", "call"], { PRIVATE_KEY: "" });
    expect(noKey.code, noKey.err).to.equal(0);
    expect(noKey.out).to.match(/NAV \(total assets\)\s*│\s*[\d.]+ WETH/);
    expect(noKey.out).to.match(/your shares\s*│\s*pass --key/);
    const vaultWide = JSON.parse((await cli(stack, ["vault", "status", "call", "--json"], { PRIVATE_KEY: "" })).out);
    expect(vaultWide).to.have.property("totalAssets");
    expect(vaultWide).to.not.have.property("shares");
    const badSum = await cli(
      stack,
      ["vault", "deposit", "put", "10", "--receiver", "0xa0ee7A142d267C1f36714E4a8F75612F20a79720", "--json"],
      { PRIVATE_KEY: devKey(8) },
    );
    expect([badSum.code, code(badSum)]).to.deep.equal([2, ErrorCode.InvalidRequest]);
    expect(JSON.parse(badSum.out).error.message).to.match(/--receiver must be an address/);
    const badOwner = await cli(stack, ["vault", "status", "call", "--owner", "0x1234", "--json"]);
    expect([badOwner.code, code(badOwner)]).to.deep.equal([2, ErrorCode.InvalidRequest]);
    expect(JSON.parse(badOwner.out).error.message).to.equal(
      "--owner must be an address (0x + 40 hex, EIP-55 checksum if mixed-case)",
    );
  });

  it("shows an order's audit trail, and the trader's own orders", async () => {
    const r = (await json(stack, ["orders"], trader)) as { orders: Array<{ orderHash: string; status: string }> };
    const filled = r.orders.find((o) => o.status === "filled")!;
    const trail = (await json(stack, ["order", filled.orderHash])) as { order: { trail: Array<{ status: string }> } };
    expect(trail.order.trail.map((e) => e.status)).to.deep.equal(["accepted", "submitted", "filled"]);
    const human = await cli(stack, ["order", filled.orderHash]);
    expect(human.out).to.match(/quote 0x.* at \d{4}-.*\(chain time\): buy 1 ETH-/);
  });
});
