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
 */
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { ContractTransactionResponse } from "ethers";
import { network } from "hardhat";
import { decodeSeriesId } from "../solver/chain/seriesId.js";
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

await time.setNextBlockTimestamp(expiry - 10);
await s.oracle.pushAnswer(usd8(3600));
const [round] = await s.oracle.latestRoundData();
await time.increaseTo(expiry + 1);
await s.ledger.settle(call, round);
const exercise = await gasOf(s.ledger.exercise(call, s.bob.address, ETH));

const result: Record<string, number> = { bsPrice: Number(bsGas), mint, exercise, vaultBuy, vaultSell };

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
