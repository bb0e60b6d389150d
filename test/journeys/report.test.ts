import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { createWalletClient, type Hex, http, parseEventLogs, parseUnits } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { devnetClients, mined } from "../../scripts/lib/keeper.js";
import type { Stack } from "../../scripts/lib/stack.js";
import { aggregatorAbi, erc20Abi, optionSettlementAbi } from "../../solver/chain/abis.js";
import { chainFor } from "../../solver/chain/clients.js";
import { decodeSeriesId } from "../../solver/domain/seriesId.js";
import { ErrorCode } from "../../solver/errors.js";
import { CSV_HEADER } from "../../solver/report/csv.js";
import { InternalizerClient, viemWallet } from "../../solver/sdk/index.js";
import { cli, cliJson, deploymentOf, devnet, eventually, freshMarket, reader } from "./devnet.js";

type Row = Record<string, unknown> & { bucket: string; route: string };
type Report = { window: Record<string, unknown>; rows: Row[] };

const HORIZON = 5;

/** Public journeys: anyone checks the solver's execution quality, from its API and again from the chain. */
describe("journeys: execution-quality report", function () {
  this.timeout(300_000);
  let stack: Stack;
  before(async () => {
    stack = await devnet();
  });
  const chainTime = async () =>
    ((await (await fetch(`${stack.api}/v1/health`)).json()) as { chainTime: number }).chainTime;
  /** The at-the-money call of the devnet's `n`th expiry. */
  const atmCall = (n: number) => {
    const expiries = [...new Set(stack.series.map((s) => decodeSeriesId(s).expiry))].sort((a, b) => a - b);
    return stack.series.find((s) => {
      const t = decodeSeriesId(s);
      return t.isCall && t.strike === 3000n * 10n ** 6n && t.expiry === expiries[n];
    })!;
  };

  /**
   * A new wallet with gas, WETH and USDC from the faucets and no approvals (the SDK sends them): no earlier
   * journey's markouts can have marked it as informed, which would send all its orders to the vault.
   */
  async function newTrader(): Promise<InternalizerClient> {
    const d = deploymentOf(stack);
    const account = privateKeyToAccount(generatePrivateKey());
    const admin = devnetClients(d, stack.node.url, 0);
    await mined(admin, await admin.walletClient.sendTransaction({ to: account.address, value: parseUnits("1", 18) }));
    for (const [token, amount] of [
      [d.contracts.weth, parseUnits("20", 18)],
      [d.contracts.usdc, parseUnits("100000", 6)],
    ] as const) {
      const hash = await admin.walletClient.writeContract({
        address: token,
        abi: erc20Abi,
        functionName: "faucet",
        args: [account.address, amount],
      });
      await mined(admin, hash);
    }
    const wallet = createWalletClient({ account, chain: chainFor(d.chainId), transport: http(stack.node.url) });
    return InternalizerClient.connect(stack.api, viemWallet(wallet));
  }

  /** Makes internal and AMM-routed trades (the AMM one by pricing the solver far above the vault). */
  async function trade() {
    const client = await newTrader();
    const routes: string[] = [];
    const txs: Hex[] = [];
    const run = async (series: bigint, side: "buy" | "sellToClose", amount: string) => {
      const quote = await client.requestQuote({ series, side, amount: parseUnits(amount, 18), approve: "needed" });
      const order = await client.execute(quote, { timeoutMs: 60_000 });
      expect(order.status).to.equal("filled");
      routes.push(quote.route);
      txs.push(order.txHash!);
    };
    await run(atmCall(0), "buy", "2");
    await run(atmCall(0), "buy", "0.5");
    await run(atmCall(0), "sellToClose", "1");
    const { instrument } = await client.seriesInfo(atmCall(1));
    type Slice = { atmVol: number; skew: number; curvature: number };
    const vol = await cliJson<{ default: Slice; byExpiry: Record<string, Slice> }>(stack, ["vol", "show"]);
    const saved = vol.byExpiry[String(decodeSeriesId(atmCall(1)).expiry)] ?? vol.default;
    await cliJson(stack, ["vol", "set", "--expiry", instrument, "--atm", "3"]);
    try {
      await run(atmCall(1), "buy", "6");
    } finally {
      await cliJson(stack, [
        "vol",
        "set",
        "--expiry",
        instrument,
        "--atm",
        String(saved.atmVol),
        "--skew",
        String(saved.skew),
        "--curvature",
        String(saved.curvature),
      ]);
    }
    // A firm quote no order is sent for: on the tape, not an order.
    await client.requestQuote({ series: atmCall(0), side: "buy", amount: parseUnits("1", 18), approve: "needed" });
    return { routes, txs };
  }

  /** The Filled events of the trades, each with its block's time and the oracle's answer at that block. */
  async function filledOf(txs: Hex[]) {
    const client = reader(stack);
    const oracle = deploymentOf(stack).contracts.oracle;
    return Promise.all(
      txs.map(async (hash) => {
        const receipt = await client.getTransactionReceipt({ hash });
        const [event] = parseEventLogs({ abi: optionSettlementAbi, eventName: "Filled", logs: receipt.logs });
        const block = await client.getBlock({ blockNumber: receipt.blockNumber });
        const round = await client.readContract({
          address: oracle,
          abi: aggregatorAbi,
          functionName: "latestRoundData",
          blockNumber: receipt.blockNumber,
        });
        return { ...event!.args, timestamp: Number(block.timestamp), spot: round[1] };
      }),
    );
  }

  it("Public 1: the API's report of a window's trades is what the CLI rebuilds from the chain, and the CSV says the same", async () => {
    await freshMarket(stack);
    const from = (await chainTime()) + 1;
    await eventually(async () => ((await chainTime()) >= from ? true : undefined));
    const { routes, txs } = await trade();
    expect(routes).to.include.members(["internal", "amm"]);
    const fills = await filledOf(txs);
    const to = Math.max(...fills.map((f) => f.timestamp));
    await eventually(async () => ((await chainTime()) > to + HORIZON ? true : undefined));

    const query = `from=${from}&to=${to}&horizon=${HORIZON}`;
    const api = (await (await fetch(`${stack.api}/v1/report/execution?${query}`)).json()) as Report;
    const dbPath = join(mkdtempSync(join(tmpdir(), "report-")), "never.db");
    const args = ["report", "execution", "--from", String(from), "--to", String(to), "--horizon", String(HORIZON)];
    const rebuilt = await cliJson<Report>(stack, [...args, "--from-chain"], { DB_PATH: dbPath });
    expect(rebuilt).to.deep.equal(api);
    expect(existsSync(dbPath)).to.equal(false);
    expect(await cliJson<Report>(stack, args)).to.deep.equal(api);

    // The totals are the fills made, with the improvement their Filled events show.
    const row = (bucket: string, route: string) => api.rows.find((r) => r.bucket === bucket && r.route === route)!;
    const internal = fills.filter((f) => f.internalAmount > 0n);
    const improvement = internal.map((f) =>
      f.side === 0 ? f.ammReferencePremium - f.internalPremium : f.internalPremium - f.ammReferencePremium,
    );
    const usd26 = internal.reduce(
      (s, f, i) => s + improvement[i]! * (decodeSeriesId(f.seriesId).isCall ? f.spot : 10n ** 20n),
      0n,
    );
    expect(row("all", "all")).to.deep.include({
      orders: fills.length,
      filledOrders: fills.length,
      fillRate: 1,
      fills: fills.length,
      internalFills: internal.length,
      improvedFills: improvement.filter((x) => x > 0n).length,
      timedFills: fills.length,
      markedFills: fills.length,
      pendingMarkouts: 0,
    });
    // Exact in 1e-26 USD (a wei times an 8-decimal answer), rounded half up to the micro-dollar as the report does.
    const micro = (usd26 * 1_000_000n + 5n * 10n ** 25n) / 10n ** 26n;
    expect(row("all", "all").totalImprovementUsd).to.equal(Number(micro) / 1e6);
    expect(micro > 0n).to.equal(true);
    expect(row("all", "amm").fills).to.equal(fills.filter((f) => f.internalAmount === 0n).length);
    expect(row("all", "internal").fills).to.equal(fills.filter((f) => f.ammAmount === 0n).length);
    expect(row("5-25", "amm").fills).to.equal(1);
    expect(row("<1", "all").fills).to.equal(1);
    expect((row("all", "all").options as { formatted: string }).formatted).to.equal("9.5");

    const csv = await fetch(`${stack.api}/v1/report/execution?${query}&format=csv`);
    expect(csv.headers.get("content-type")).to.match(/^text\/csv/);
    expect(csv.headers.get("content-disposition")).to.equal(
      `attachment; filename="execution-report-${from}-${to}.csv"`,
    );
    const lines = (await csv.text()).split("\r\n");
    expect(lines[0]).to.equal(CSV_HEADER);
    const cols = CSV_HEADER.split(",");
    const total = Object.fromEntries(lines[20]!.split(",").map((v, i) => [cols[i], v]));
    expect(total).to.include({
      from: String(from),
      to: String(to),
      bucket: "all",
      route: "all",
      fills: String(fills.length),
      orders: String(fills.length),
    });
    expect(Number(total.total_improvement_usd)).to.equal(row("all", "all").totalImprovementUsd);
    expect(Number(total.avg_markout_bps)).to.equal(row("all", "all").avgMarkoutBps);
  });

  it("Public 2: the CLI refuses bad input and a deployment the solver does not serve, with typed codes", async () => {
    const refused = async (args: string[]) => {
      const r = await cli(stack, ["report", "execution", "--from-chain", ...args, "--json"]);
      expect(r.code, r.err).to.equal(2);
      return (JSON.parse(r.out) as { error: { code: string } }).error.code;
    };
    expect(await refused(["--from", "yesterday"])).to.equal(ErrorCode.InvalidRequest);
    expect(await refused(["--from", "2000", "--to", "1000"])).to.equal(ErrorCode.InvalidRequest);
    expect(await refused(["--horizon", "5m"])).to.equal(ErrorCode.InvalidRequest);
    const other = join(mkdtempSync(join(tmpdir(), "report-")), "deployment.json");
    const d = deploymentOf(stack);
    writeFileSync(other, JSON.stringify({ ...d, contracts: { ...d.contracts, settlement: d.contracts.ledger } }));
    expect(await refused(["--deployment", other])).to.equal(ErrorCode.DeploymentInvalid);
  });
});
