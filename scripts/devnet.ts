/**
 * npm run demo [-- --keep] [--node-port 8545] [--api-port 8787]
 *
 * The whole system on one machine: a Hardhat node on 127.0.0.1, the contracts deployed with Ignition
 * (deployments/localhost.json), seeded tokens, oracle, vol surfaces, vault liquidity and solver inventory,
 * then the solver and its API as a separate process. Wallets then trade through the SDK with signed RFQs:
 * an internal fill, a split, an AMM-routed fill, a sell-to-close and a series taken through expiry,
 * settlement and exercise. Ends with a summary table. --keep leaves the devnet and the solver running.
 */
import { rmSync } from "node:fs";
import { parseArgs } from "node:util";
import Table from "cli-table3";
import { type Address, createWalletClient, formatUnits, http, parseUnits } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { erc20Abi, optionLedgerAbi } from "../solver/chain/abis.js";
import { decodeSeriesId, encodeSeriesId, type SeriesTerms } from "../solver/chain/seriesId.js";
import { settlementRound } from "../solver/chain/settlementRound.js";
import { DeploymentSchema } from "../solver/config/schema.js";
import { seriesName } from "../solver/engine/reports.js";
import { InternalizerClient, type OrderStatus, type Quote, viemWallet } from "../solver/sdk/index.js";
import type { TradeSide } from "../solver/types.js";
import { devKey } from "./lib/accounts.js";
import {
  chainNow,
  devnetClients,
  latestPrice,
  mineAt,
  mined,
  pushPrice,
  refreshMarket,
  setVols,
} from "./lib/keeper.js";
import { freePort, rpc } from "./lib/processes.js";
import { startStack } from "./lib/stack.js";

const { values } = parseArgs({
  options: {
    keep: { type: "boolean", default: false },
    "node-port": { type: "string", default: "8545" },
    "api-port": { type: "string", default: "8787" },
  },
});
const say = (line: string) => process.stdout.write(`${line}\n`);
const step = (line: string) => say(`\n▸ ${line}`);

/** The wanted port if it is free, else any free one (so a second devnet does not fail on a busy port). */
async function port(wanted: number): Promise<number> {
  try {
    await rpc(`http://127.0.0.1:${wanted}`, "eth_chainId");
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code === "ECONNREFUSED") return wanted;
  }
  const other = await freePort();
  say(`port ${wanted} is in use; using ${other}`);
  return other;
}

// The demo's per-series limit is low so that one order shows a split and the next one an AMM route.
const DEMO_LIMITS = { maxSeriesPosition: 15 };

// Each demo is a new chain: start the solver on a new database (its state belongs to one chain).
rmSync("data/devnet", { recursive: true, force: true });
const stack = await startStack({
  dir: "data/devnet",
  deploymentFile: "deployments/localhost.json",
  nodePort: await port(Number(values["node-port"])),
  apiPort: await port(Number(values["api-port"])),
  config: { limits: DEMO_LIMITS, quoteTtlSeconds: 30 },
  onStep: (s) => step(s),
});
let stopped = false;
const shutdown = async () => {
  if (stopped) return;
  stopped = true;
  await stack.stop();
};
process.once("SIGINT", () => void shutdown().then(() => process.exit(130)));

try {
  const deployment = DeploymentSchema.parse(stack.deployment);
  const rpcUrl = stack.node.url;
  say(`  node ${rpcUrl} (chain ${deployment.chainId}), API ${stack.api}, deployment deployments/localhost.json`);
  const admin = devnetClients(deployment, rpcUrl, 0);
  const keeper = devnetClients(deployment, rpcUrl, 1);
  const trader = async (index: number) => {
    const account = privateKeyToAccount(devKey(index));
    const wallet = viemWallet(createWalletClient({ account, transport: http(rpcUrl) }));
    return { address: account.address, client: await InternalizerClient.connect(stack.api, wallet) };
  };
  const [alice, bob, carol] = [await trader(4), await trader(5), await trader(6)];

  const terms = stack.series.map((id) => ({ id, t: decodeSeriesId(id) }));
  const pick = (strike: number, isCall: boolean) =>
    terms.find((s) => s.t.strike === BigInt(strike) * 10n ** 6n && s.t.isCall === isCall)!.id;
  const atmCall = pick(3000, true);
  const atmPut = pick(3000, false);

  const results: Array<{ label: string; quote: Quote; fill: OrderStatus }> = [];
  const trade = async (
    label: string,
    who: Awaited<ReturnType<typeof trader>>,
    seriesId: bigint,
    side: TradeSide,
    options: string,
  ) => {
    const quote = await who.client.requestQuote({ seriesId, side, amount: parseUnits(options, 18) });
    const fill = await who.client.execute(quote, { timeoutMs: 60_000 });
    results.push({ label, quote, fill });
    const unit = decodeSeriesId(seriesId).isCall ? "WETH" : "USDC";
    const decimals = unit === "WETH" ? 18 : 6;
    say(
      `  ${label}: ${side} ${options} ${seriesName(decodeSeriesId(seriesId))} → ${quote.route} (${quote.reason}), ` +
        `premium ${formatUnits(quote.premium, decimals)} ${unit} vs AMM ${formatUnits(quote.ammReferencePremium, decimals)} ${unit}; ${fill.status} in ${fill.txHash?.slice(0, 10)}…`,
    );
  };

  step("trading with wallet-signed RFQs through the SDK");
  await trade("internal buy", alice, atmCall, "buy", "2");
  await trade("split buy", bob, atmPut, "buy", "30");
  await trade("AMM buy", carol, atmPut, "buy", "3");
  await trade("sell-to-close", alice, atmCall, "sellToClose", "1");

  step("a series through expiry: create, trade, settle on the oracle round before expiry, exercise");
  const start = await chainNow(admin);
  const expiry = start + 2 * 3600;
  const expiring: SeriesTerms = { pairId: deployment.pairId, strike: 2900n * 10n ** 6n, expiry, isCall: true };
  const expiringId = encodeSeriesId(expiring);
  await mined(
    admin,
    await admin.walletClient.writeContract({
      address: deployment.contracts.ledger,
      abi: optionLedgerAbi,
      functionName: "createSeries",
      args: [deployment.contracts.weth, deployment.contracts.usdc, expiring.strike, expiry, true],
    }),
  );
  await setVols(keeper, deployment, [expiry]);
  await trade("buy before expiry", carol, expiringId, "buy", "4");
  const price = await latestPrice(admin, deployment);
  const settlePrice = price + 150n * 10n ** 8n;
  await mineAt(rpcUrl, expiry - 60);
  await pushPrice(admin, deployment, settlePrice);
  await mineAt(rpcUrl, expiry + 60);
  const round = await settlementRound(admin.publicClient, deployment.contracts.oracle, expiry);
  await mined(
    admin,
    await admin.walletClient.writeContract({
      address: deployment.contracts.ledger,
      abi: optionLedgerAbi,
      functionName: "settle",
      args: [expiringId, round.roundId],
    }),
  );
  const carolChain = devnetClients(deployment, rpcUrl, 6);
  const balance = () =>
    carolChain.publicClient.readContract({
      address: deployment.contracts.weth,
      abi: erc20Abi,
      functionName: "balanceOf",
      args: [carol.address as Address],
    });
  const before = await balance();
  const exercise = await carolChain.walletClient.writeContract({
    address: deployment.contracts.ledger,
    abi: optionLedgerAbi,
    functionName: "exercise",
    args: [expiringId, carol.address as Address, parseUnits("4", 18)],
  });
  await mined(carolChain, exercise);
  const payout = (await balance()) - before;
  say(
    `  settled ${seriesName(expiring)} at $${formatUnits(round.answer, 8)} (round ${round.roundId}); ` +
      `exercising 4 paid ${formatUnits(payout, 18)} WETH = 4 × (S − K) / S`,
  );
  // Keep the devnet usable afterwards: a fresh oracle round and vols at the new time, then resume quoting
  // (the time jump made the old round stale, and the solver stopped quoting with ORACLE_STALE as it should).
  await refreshMarket(deployment, rpcUrl, stack.series, price);
  await fetch(`${stack.api}/v1/admin/resume`, {
    method: "POST",
    headers: { authorization: `Bearer ${stack.adminToken}` },
  });

  step("summary");
  say(await summary(stack.api, stack.adminToken, admin.publicClient));

  if (values.keep) {
    say(`\nthe devnet keeps running: node ${rpcUrl}, API ${stack.api}, admin token ${stack.adminToken}`);
    say(`  try: npx tsx solver/cli.ts --api ${stack.api} --token ${stack.adminToken} status`);
    say("  Ctrl-C stops it.");
    await new Promise(() => {});
  }
} finally {
  if (!values.keep) await shutdown();
}

/** The summary table: flow by route, internalization share, price improvement, PnL and gas per path. */
async function summary(api: string, token: string, client: ReturnType<typeof devnetClients>["publicClient"]) {
  const get = async (path: string) =>
    (await (await fetch(`${api}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as never;
  const { fills } = (await get("/v1/admin/fills?limit=1000")) as {
    fills: Array<{
      txHash: `0x${string}`;
      internalAmount: string;
      ammAmount: string;
      spot: number;
      seriesId: string;
      premium: string;
    }>;
  };
  const bestex = (await get("/v1/admin/bestex")) as {
    totalImprovementUsd: number;
    violations: number;
    rows: Array<{ improvementBps: number }>;
  };
  const pnl = (await get("/v1/admin/pnl")) as { totalUsd: number; spreadUsd: number; gasUsd: number };
  const gas = new Map<string, number[]>();
  let internalNotional = 0;
  let totalNotional = 0;
  for (const f of fills) {
    const internal = Number(f.internalAmount) / 1e18;
    const amm = Number(f.ammAmount) / 1e18;
    internalNotional += internal * f.spot;
    totalNotional += (internal + amm) * f.spot;
    const path = internal > 0 && amm > 0 ? "split" : internal > 0 ? "internal" : "amm";
    const receipt = await client.getTransactionReceipt({ hash: f.txHash });
    gas.set(path, [...(gas.get(path) ?? []), Number(receipt.gasUsed)]);
  }
  const avg = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
  const avgBps = bestex.rows.length ? bestex.rows.reduce((a, r) => a + r.improvementBps, 0) / bestex.rows.length : 0;
  const t = new Table({ head: ["measure", "value"], style: { head: [], border: [] } });
  t.push(
    ["fills", String(fills.length)],
    ["internalization share (of notional)", `${((internalNotional / (totalNotional || 1)) * 100).toFixed(1)}%`],
    [
      "price improvement vs AMM (internal parts)",
      `$${bestex.totalImprovementUsd.toFixed(2)}, avg ${avgBps.toFixed(0)} bps`,
    ],
    ["best-execution violations", String(bestex.violations)],
    [
      "solver PnL (total / spread / gas)",
      `$${pnl.totalUsd.toFixed(2)} / $${pnl.spreadUsd.toFixed(2)} / $${pnl.gasUsd.toFixed(2)}`,
    ],
    ...[...gas].map(([path, xs]) => [
      `gas per ${path} fill (settlement tx)`,
      `${avg(xs).toLocaleString("en-US")} (${xs.length} fills)`,
    ]),
  );
  return t.toString();
}
