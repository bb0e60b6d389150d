/**
 * npm run bench:gas [-- --check | --write]
 *
 * Measures the gas of each on-chain operation on an in-process Hardhat chain and prints one JSON object
 * on its last line. `--write` stores it as the committed snapshot (gas-snapshot.json); `--check` fails
 * when any operation costs more than 1% over the snapshot.
 *
 * Operations (transaction gasUsed unless noted):
 * - bsPrice: one Black-Scholes price with greeks (library execution only), 30-day ATM point.
 * - mint: write 1 call, collateral pulled, longs to a holder new to the series.
 * - exercise: exercise 1 in-the-money call after settlement.
 * - vaultBuy: buy 1 call from the call vault, which writes it (buyer new to the series).
 * - vaultSell: sell 1 call back to the call vault, which closes its short.
 * - internalFillFirst: settlement fill of a signed buy for 1 call, entirely from the solver's held longs,
 *   by a wallet on its first fill ever (new holder of the series, fresh nonce word).
 * - internalFillRepeat: the same wallet's next internal fill of the same series (existing balances).
 * - ammFill: a signed buy of 1 call routed entirely to the call vault.
 * - splitFill: a signed buy of 2 calls, 1 internal and 1 through the vault.
 * - batch10PerFill: fillBatch of 10 internal buys by 10 wallets (each a repeat fill), gas / 10.
 */
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { ContractTransactionResponse } from "ethers";
import { network } from "hardhat";
import { decodeSeriesId } from "../solver/domain/seriesId.js";
import { fillParams, fundTrader, makeIntent, signIntent } from "./lib/orders.js";
import { createSeries, deploySystem, ETH, fund, seedVaults, setVol, usd8 } from "./lib/system.js";

const SNAPSHOT = new URL("../gas-snapshot.json", import.meta.url);
const TOLERANCE = 0.01;

const { values: args } = parseArgs({ options: { check: { type: "boolean" }, write: { type: "boolean" } } });

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  const receipt = await (await tx).wait();
  if (!receipt) throw new Error("no receipt");
  return Number(receipt.gasUsed);
}

const connection = await network.create();
const s = await deploySystem(connection);
const { time } = connection.networkHelpers;
await seedVaults(s);
const call = await createSeries(s, 3000n, 30, true);
const { expiry } = decodeSeriesId(call);
await setVol(s, expiry);
const max = 2n ** 256n - 1n;

const harness = await s.ethers.deployContract("BlackScholesHarness");
const [, bsGas] = await harness.greeks(3000n * ETH, 3000n * ETH, (30n * ETH) / 365n, (8n * ETH) / 10n, ETH / 20n);

await fund(s.weth, s.alice, 10n * ETH, s.ledger);
const mint = await gasOf(s.ledger.connect(s.alice).mint(call, ETH, s.alice.address, s.bob.address));

await fund(s.weth, s.carol, 10n * ETH, s.callVault);
await s.ledger.connect(s.carol).setApprovalForAll(s.callVault, true);
const vaultBuy = await gasOf(s.callVault.connect(s.carol).buy(call, ETH, max, max, s.carol.address));
const vaultSell = await gasOf(s.callVault.connect(s.carol).sell(call, ETH, 0, max, s.carol.address));

// Settlement fills, on a second series so that the vault trades above do not interact.
const settled = await createSeries(s, 3100n, 30, true);
await fundTrader(s, s.solver, 200n * ETH, 0n);
await s.ledger.connect(s.solver).mint(settled, 100n * ETH, s.solver.address, s.solver.address);
const wallets = (await s.ethers.getSigners()).slice(8, 19);
for (const w of wallets) await fundTrader(s, w, 10n * ETH, 0n);
const buyer = wallets[0]!;
const internal = fillParams({ internalAmount: ETH, internalPremium: 10n ** 15n });
async function order(who = buyer, params = internal, amount = ETH) {
  const intent = await makeIntent(s, who, { seriesId: settled, amount });
  return { intent, signature: await signIntent(s, who, intent), params };
}
async function fillGas(o: Awaited<ReturnType<typeof order>>) {
  return gasOf(s.settlement.connect(s.solver).fill(o.intent, o.signature, o.params));
}
const internalFillFirst = await fillGas(await order());
const internalFillRepeat = await fillGas(await order());
const ammFill = await fillGas(await order(buyer, fillParams({ ammPremium: ETH })));
const splitFill = await fillGas(await order(buyer, { ...internal, ammPremium: ETH }, 2n * ETH));
const warm = [];
for (const w of wallets.slice(1)) warm.push(await order(w));
await s.settlement.connect(s.solver).fillBatch(warm);
const batch = [];
for (const w of wallets.slice(1)) batch.push(await order(w));
const batch10PerFill = Math.round((await gasOf(s.settlement.connect(s.solver).fillBatch(batch))) / batch.length);
const settlementGas = { internalFillFirst, internalFillRepeat, ammFill, splitFill, batch10PerFill };

await time.setNextBlockTimestamp(expiry - 10);
await s.oracle.pushAnswer(usd8(3600));
const [round] = await s.oracle.latestRoundData();
await time.increaseTo(expiry + 1);
await s.ledger.settle(call, round);
const exercise = await gasOf(s.ledger.exercise(call, s.bob.address, ETH));

const result: Record<string, number> = {
  bsPrice: Number(bsGas),
  mint,
  exercise,
  vaultBuy,
  vaultSell,
  ...settlementGas,
};

if (args.write) await writeFile(SNAPSHOT, `${JSON.stringify(result, null, 2)}\n`);
if (args.check) {
  const snapshot = JSON.parse(await readFile(SNAPSHOT, "utf8")) as Record<string, number>;
  const regressions = Object.entries(snapshot).filter(([op, gas]) => {
    const now = result[op];
    return now === undefined || now > gas * (1 + TOLERANCE);
  });
  for (const [op, gas] of regressions) console.error(`gas regression: ${op} ${result[op] ?? "missing"} > ${gas} +1%`);
  if (regressions.length > 0) {
    console.log(JSON.stringify(result));
    process.exit(1);
  }
}
console.log(JSON.stringify(result));
