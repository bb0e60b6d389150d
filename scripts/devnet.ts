/**
 * npm run demo [-- --keep] [--node-port 8545] [--api-port 8787]
 *
 * The whole system on one machine: a Hardhat node on 127.0.0.1, the contracts deployed with Ignition
 * (deployments/localhost.json), seeded tokens, oracle, vol surfaces, vault liquidity and solver inventory,
 * then the solver and its API as a separate process. Wallets then trade through the SDK with signed RFQs:
 * an internal buy, a split, an AMM-routed buy, a sell-to-close, a sell-to-open, and a series taken through
 * expiry, where the solver's keeper settles it, exercises the client's options for it and redeems its own
 * shorts. Ends with a summary table. --keep leaves the devnet (mining a block a second) and the solver running.
 *
 * The scripted trades run on a scripted clock (each step at a fixed chain time after the start), so the
 * same demo gives the same prices and the same PnL every run.
 */
import { rmSync } from "node:fs";
import { parseArgs } from "node:util";
import Table from "cli-table3";
import { type Address, createWalletClient, formatUnits, http, parseUnits } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { erc20Abi, optionLedgerAbi } from "../solver/chain/abis.js";
import type { Clients } from "../solver/chain/clients.js";
import { DeploymentSchema } from "../solver/config/schema.js";
import { formatAmount, roundDecimal } from "../solver/domain/amount.js";
import { instrumentName } from "../solver/domain/instrument.js";
import { decodeSeriesId, encodeSeriesId, type SeriesTerms } from "../solver/domain/seriesId.js";
import type { TradeSide } from "../solver/domain/side.js";
import { InternalizerClient, type Order, type Quote, viemWallet } from "../solver/sdk/index.js";
import { DEVNET_ACCOUNTS } from "./lib/accounts.js";
import { DEVNET_TENORS } from "./lib/devnet.js";
import { chainNow, devnetClients, latestPrice, mined, pushPrice, refreshMarket, setVols } from "./lib/keeper.js";
import { DEVNET_MARKET, DevnetMarket } from "./lib/market.js";
import { PriceFeed } from "./lib/priceFeed.js";
import { freePort, rpc, setIntervalMining, waitFor } from "./lib/processes.js";
import { type Stack, startStack } from "./lib/stack.js";

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
// Hedging with a 10k USD band: the split buy leaves the solver about 20k USD long, which the hedge takes off.
const DEMO_HEDGE = { enabled: true, bandUsd: 10_000 };

let feed: PriceFeed | undefined;
let market: DevnetMarket | undefined;

let stack: Stack | undefined;
let stopping: Promise<void> | undefined;
const shutdown = () => {
  market?.stop();
  stopping ??= Promise.all([stack?.stop(), feed?.stop()]).then(() => {});
  return stopping;
};
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void shutdown().then(() => process.exit(130)));
}

try {
  // Each demo is a new chain: start the solver on a new database (its state belongs to one chain).
  rmSync("data/devnet", { recursive: true, force: true });
  // The devnet's "true" price, which the oracle and the pool follow: the solver's reference.
  feed = await PriceFeed.start(3000);
  stack = await startStack({
    dir: "data/devnet",
    deploymentFile: "deployments/localhost.json",
    nodePort: await port(Number(values["node-port"])),
    apiPort: await port(Number(values["api-port"])),
    config: {
      limits: DEMO_LIMITS,
      quoteTtlSeconds: 30,
      reference: { source: "feed", feedUrl: feed.url },
      hedge: DEMO_HEDGE,
    },
    onStep: (s) => step(s),
  });
  await demo(stack, feed);
  if (values.keep) {
    await keepRunning(stack, feed);
    await new Promise(() => {});
  }
} catch (error) {
  process.stderr.write(
    `\nthe demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  if (stack?.solver)
    process.stderr.write(`\nsolver output (last lines):\n${stack.solver.output.join("").slice(-3000)}\n`);
  process.exitCode = 1;
} finally {
  if (!values.keep || process.exitCode) await shutdown();
}

async function demo(stack: Stack, feed: PriceFeed): Promise<void> {
  const deployment = DeploymentSchema.parse(stack.deployment);
  const rpcUrl = stack.node.url;
  say(
    `  node ${rpcUrl} (chain ${deployment.chainId}), API ${stack.api}, web app ${stack.api}/, deployment deployments/localhost.json`,
  );
  const admin = devnetClients(deployment, rpcUrl, 0);
  const keeper = devnetClients(deployment, rpcUrl, 1);
  const trader = async (index: number) => {
    const account = privateKeyToAccount(DEVNET_ACCOUNTS[index]!.key);
    const wallet = viemWallet(createWalletClient({ account, transport: http(rpcUrl) }));
    return { address: account.address, client: await InternalizerClient.connect(stack.api, wallet) };
  };
  const [alice, bob, carol, dave] = [await trader(4), await trader(5), await trader(6), await trader(7)];

  // The scripted clock: no idle blocks; each step mines at a fixed time after the devnet's anchor (its
  // series expire whole days after it), so every run prices at the same distances to expiry.
  await setIntervalMining(rpcUrl, 0);
  const anchor = decodeSeriesId(stack.series[0]!).expiry - DEVNET_TENORS[0]! * 86_400;
  const t0 = anchor + 3600;
  if ((await chainNow(admin)) >= t0) throw new Error("the devnet's seeding took more than an hour of chain time");
  let clock = t0;
  const at = async (seconds: number) => {
    clock = t0 + seconds;
    await rpc(rpcUrl, "evm_setNextBlockTimestamp", [clock]);
    await rpc(rpcUrl, "evm_mine");
    // Quotes are priced at the newest block the solver has seen: wait until it has seen this one.
    await waitFor(
      async () => {
        const health = (await (await fetch(`${stack.api}/v1/health`)).json()) as { chainTime?: number };
        return (health.chainTime ?? 0) >= clock ? true : undefined;
      },
      10_000,
      50,
    );
  };

  const terms = stack.series.map((id) => ({ id, t: decodeSeriesId(id) }));
  const pick = (strike: number, isCall: boolean) =>
    terms.find(
      (s) => s.t.strike === BigInt(strike) * 10n ** 6n && s.t.isCall === isCall && s.t.expiry === terms[0]!.t.expiry,
    )!.id;
  const atmCall = pick(3000, true);
  const otmCall = pick(3400, true);
  // The split is a month's 2800 put: a size-30 weekly at the money is what the flow model has seen informed
  // traders buy (P(informed) 0.93), and it would send it to the AMM whole.
  const monthPut = terms.find(
    (s) => s.t.strike === 2800n * 10n ** 6n && !s.t.isCall && s.t.expiry === terms.at(-1)!.t.expiry,
  )!.id;

  const results: Array<{ label: string; quote: Quote; fill: Order }> = [];
  const trade = async (
    label: string,
    who: Awaited<ReturnType<typeof trader>>,
    series: bigint,
    side: TradeSide,
    options: string,
  ) => {
    const quote = await who.client.requestQuote({ series, side, amount: parseUnits(options, 18) });
    const fill = await who.client.execute(quote, { timeoutMs: 60_000 });
    results.push({ label, quote, fill });
    say(
      `  ${label}: ${side} ${options} ${quote.instrument} → ${quote.route} (${quote.reason}), premium ${show(quote.premium)} ` +
        `vs AMM ${show(quote.ammReferencePremium)} (${quote.improvementBps.toFixed(0)} bps better); ${fill.status} in ${fill.txHash?.slice(0, 10)}…`,
    );
  };

  // The scripted part hedges when the script says (below), so that every run prices the same.
  await adminCall(stack, "POST", "/v1/admin/hedge/pause");
  step("trading with wallet-signed RFQs through the SDK");
  await rpc(rpcUrl, "evm_setNextBlockTimestamp", [t0 - 10]);
  await pushPrice(admin, deployment, 3000n * 10n ** 8n);
  await at(0);
  await trade("internal buy", alice, atmCall, "buy", "2");
  await at(60);
  await trade("split buy", bob, monthPut, "buy", "30");
  await at(120);
  await trade("AMM buy", carol, monthPut, "buy", "3");
  await at(180);
  await trade("sell-to-close", alice, atmCall, "sellToClose", "1");
  await at(240);
  await trade("sell-to-open (writes with collateral)", dave, otmCall, "sellToOpen", "1");

  step("hedging the book's delta on the Uniswap v3 pool (SwapRouter, amountOutMinimum from QuoterV2)");
  await at(270);
  const hedged = (await adminCall(stack, "POST", "/v1/admin/hedge/run", { force: false })) as { outcome: HedgeView };
  say(`  ${hedgeLine(hedged.outcome)}`);
  say(
    "  (the price then rises 150 before the expiry below: the hedge gives up what the delta it took off would have made)",
  );

  step("a series through expiry: the solver's keeper settles it, exercises for the client, redeems its shorts");
  await at(300);
  const expiry = clock + 2 * 3600;
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
  await at(360);
  await trade("buy before expiry", carol, expiringId, "buy", "4");
  // The last oracle round before expiry is 150 USD above the start; the chain then moves past expiry.
  const settlePrice = (await latestPrice(admin, deployment)) + 150n * 10n ** 8n;
  await rpc(rpcUrl, "evm_setNextBlockTimestamp", [expiry - 60]);
  feed.price = Number(settlePrice) / 1e8;
  await pushPrice(admin, deployment, settlePrice);
  const before = await balanceOf(admin, deployment.contracts.weth, carol.address);
  await at(expiry + 60 - t0);
  const done = await waitFor(
    async () => {
      const [info, carolLongs, solverShorts] = await Promise.all([
        admin.publicClient.readContract({
          address: deployment.contracts.ledger,
          abi: optionLedgerAbi,
          functionName: "series",
          args: [expiringId],
        }),
        admin.publicClient.readContract({
          address: deployment.contracts.ledger,
          abi: optionLedgerAbi,
          functionName: "balanceOf",
          args: [carol.address, expiringId],
        }),
        admin.publicClient.readContract({
          address: deployment.contracts.ledger,
          abi: optionLedgerAbi,
          functionName: "shortBalanceOf",
          args: [privateKeyToAccount(DEVNET_ACCOUNTS[2]!.key).address, expiringId],
        }),
      ]);
      return info.state.settled && carolLongs === 0n && solverShorts === 0n ? info.state.settlementPrice : undefined;
    },
    60_000,
    250,
  );
  const payout = (await balanceOf(admin, deployment.contracts.weth, carol.address)) - before;
  say(
    `  ${instrumentName(expiring)} settled at $${formatUnits(done, 6)} on the last round before expiry; the keeper ` +
      `exercised carol's 4 for her: ${roundDecimal(formatUnits(payout, 18), 6)} WETH = 4 × (S − K) / S, and redeemed the solver's shorts`,
  );

  step("summary");
  await at(expiry + 600 - t0);
  const block = await admin.publicClient.getBlockNumber();
  say(await summary(stack, admin, block, expiringId));
}

/**
 * After the scripted part: a fresh oracle round and vols at the new time, interval mining, hedging on, and
 * the market moving (the feed's random walk, the oracle on its deviation threshold or heartbeat, the
 * arbitrageur on the pool); and how to go on.
 */
async function keepRunning(stack: Stack, feed: PriceFeed): Promise<void> {
  const deployment = DeploymentSchema.parse(stack.deployment);
  await refreshMarket(deployment, stack.node.url, stack.series, BigInt(Math.round(feed.price * 1e8)));
  await setIntervalMining(stack.node.url, 1_000);
  await adminCall(stack, "POST", "/v1/admin/resume");
  await adminCall(stack, "POST", "/v1/admin/hedge/resume");
  market = new DevnetMarket(feed, deployment, stack.node.url);
  market.start();
  say(`\nthe devnet keeps running (a block a second): node ${stack.node.url}, API ${stack.api}`);
  say(
    `  the market moves: reference feed ${feed.url} (a random walk every ${DEVNET_MARKET.stepMs / 1000} s), the oracle ` +
      `on ${DEVNET_MARKET.deviationBps} bps or ${DEVNET_MARKET.heartbeatSeconds} s, the pool by the arbitrageur; the solver hedges beyond its band`,
  );
  say(`  web app ${stack.api}/ (trade, vaults, operator dashboard, execution quality; wallets: README, "Web app")`);
  say(`  admin token ${stack.adminToken} (also in data/devnet/admin.token, where the CLI finds it)`);
  say(`  funded trader keys: README, "Devnet accounts". Try, in another shell:`);
  say(`    npx internalizer --api ${stack.api} --rpc ${stack.node.url} status`);
  say(
    `    npx internalizer --api ${stack.api} --rpc ${stack.node.url} --key ${DEVNET_ACCOUNTS[4]!.key} rfq --series ${instrumentName(decodeSeriesId(stack.series[4]!))} --side buy --amount 1 --execute`,
  );
  say("  Ctrl-C stops it.");
}

/** An operator call to the solver's API with the devnet's admin token; a refusal throws with its body. */
async function adminCall(stack: Stack, method: "GET" | "POST", path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${stack.api}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${stack.adminToken}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as unknown;
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${JSON.stringify(json)}`);
  return json;
}

interface HedgeView {
  action: string;
  exposure?: { netDeltaUsd: number; netDeltaEth: number };
  hedge?: {
    sell: string;
    wethDelta: string;
    usdcDelta: string;
    txHash: string;
    minOut: string;
    mid: number;
    costUsd: number;
    gasUsd: number;
  };
  cost?: { totalUsd: number; impactUsd: number; gasUsd: number };
  error?: string;
}

function hedgeLine(o: HedgeView): string {
  const delta = o.exposure ? `net delta $${o.exposure.netDeltaUsd.toFixed(0)}` : "";
  if (o.action !== "hedged" || !o.hedge || !o.cost) return `${delta}: ${o.action}${o.error ? ` (${o.error})` : ""}`;
  const weth = Number(o.hedge.wethDelta) / 1e18;
  const usdc = Number(o.hedge.usdcDelta) / 1e6;
  // As booked (the summary's hedge cost): the swap against the reference at the time, and its gas.
  const { costUsd: booked, gasUsd: gas } = o.hedge;
  return (
    `${delta} beyond the band: ${weth < 0 ? "sold" : "bought"} ${Math.abs(weth).toFixed(4)} WETH for ` +
    `${Math.abs(usdc).toFixed(2)} USDC (at least ${(Number(o.hedge.minOut) / (weth < 0 ? 1e6 : 1e18)).toFixed(4)} by QuoterV2 ` +
    `less the slippage bound), cost $${booked.toFixed(2)} against the reference $${o.hedge.mid.toFixed(2)} (pool fee and ` +
    `impact $${(booked - gas).toFixed(2)}, gas $${gas.toFixed(2)}); tx ${o.hedge.txHash.slice(0, 10)}…`
  );
}

function show(a: { formatted: string; symbol: string }): string {
  return `${roundDecimal(a.formatted, 6)} ${a.symbol}`;
}

function balanceOf(c: Clients, token: Address, who: Address): Promise<bigint> {
  return c.publicClient.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [who] });
}

function hedgeSummary(hedges: Array<{ status: string; txHash: string | null }>): string {
  const done = hedges.filter((h) => h.status === "done");
  return `${done.length} swap${done.length === 1 ? "" : "s"}${done.map((h) => ` ${h.txHash?.slice(0, 10)}…`).join(",")}`;
}

/** The summary table: flow by route, internalization share, price improvement, PnL and gas per path. */
async function summary(stack: Stack, admin: Clients, block: bigint, expiredId: bigint): Promise<string> {
  const get = async (path: string) =>
    (await (
      await fetch(`${stack.api}${path}`, { headers: { authorization: `Bearer ${stack.adminToken}` } })
    ).json()) as never;
  const { fills } = (await get("/v1/admin/fills?limit=1000")) as {
    fills: Array<{ txHash: `0x${string}`; internalAmount: { raw: string }; ammAmount: { raw: string }; spot: number }>;
  };
  const bestex = (await get("/v1/admin/bestex")) as {
    totalImprovementUsd: number;
    violations: number;
    rows: Array<{ improvementBps: number }>;
  };
  const pnl = (await get(`/v1/admin/pnl?block=${block}`)) as Record<string, number>;
  const { hedges } = (await get("/v1/admin/hedge")) as { hedges: Array<{ status: string; txHash: string | null }> };
  const inventory = (await get("/v1/admin/inventory")) as {
    positions: Array<{ seriesId: string; shorts: { raw: string } }>;
  };
  const expiredShorts = inventory.positions.find((p) => p.seriesId === expiredId.toString())?.shorts.raw ?? "0";
  const gas = new Map<string, number[]>();
  let internalNotional = 0;
  let totalNotional = 0;
  for (const f of fills) {
    const internal = Number(f.internalAmount.raw) / 1e18;
    const amm = Number(f.ammAmount.raw) / 1e18;
    internalNotional += internal * f.spot;
    totalNotional += (internal + amm) * f.spot;
    const path = internal > 0 && amm > 0 ? "split" : internal > 0 ? "internal" : "amm";
    const receipt = await admin.publicClient.getTransactionReceipt({ hash: f.txHash });
    gas.set(path, [...(gas.get(path) ?? []), Number(receipt.gasUsed)]);
  }
  const usd = (x: number | undefined) => `$${(x ?? 0).toFixed(2)}`;
  const avg = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
  const avgBps = bestex.rows.length ? bestex.rows.reduce((a, r) => a + r.improvementBps, 0) / bestex.rows.length : 0;
  const t = new Table({ head: ["measure", "value"], style: { head: [], border: [] } });
  t.push(
    ["fills", String(fills.length)],
    ["internalization share (of notional)", `${((internalNotional / (totalNotional || 1)) * 100).toFixed(1)}%`],
    ["price improvement vs AMM (internal parts)", `${usd(bestex.totalImprovementUsd)}, avg ${avgBps.toFixed(0)} bps`],
    ["best-execution violations", String(bestex.violations)],
    [`solver PnL at block ${block} before gas`, usd((pnl.totalUsd ?? 0) + (pnl.gasUsd ?? 0))],
    ["  spread earned", usd(pnl.spreadUsd)],
    ["  inventory (mark-to-market)", usd(pnl.inventoryUsd)],
    ["  hedge PnL (the swaps' WETH since)", usd(pnl.hedgePnlUsd)],
    ["  hedge cost (pool fee, impact, gas)", usd(pnl.hedgeCostUsd)],
    ["  protocol fee to the settlement (cost)", usd(pnl.feesUsd)],
    ["  gas paid (cost)", usd(pnl.gasUsd)],
    ["  total = spread − fees − gas + inventory + hedge PnL − hedge cost", usd(pnl.totalUsd)],
    ["hedges on the Uniswap pool", hedgeSummary(hedges)],
    [
      "solver collateral locked in the expired series",
      formatAmount(BigInt(expiredShorts), { symbol: "WETH", decimals: 18 }),
    ],
    ...[...gas].map(([path, xs]) => [
      `gas per ${path} fill (settlement tx)`,
      `${avg(xs).toLocaleString("en-US")} (${xs.length} fill${xs.length === 1 ? "" : "s"})`,
    ]),
  );
  return t.toString();
}
