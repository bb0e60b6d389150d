/**
 * npm run demo
 *
 * Deploys the system to an in-process Hardhat chain with Hardhat Ignition, creates a strip of WETH/USDC
 * series, seeds both AMM vaults with LP liquidity and a vol surface, and prints every series with the
 * vaults' bid and ask for one option.
 */
import Table from "cli-table3";
import { network } from "hardhat";
import { decodeSeriesId } from "../solver/chain/seriesId.js";
import { fromWad } from "../solver/math/wad.js";
import { createSeries, deploySystem, ETH, seedVaults, setVol, USDC } from "./lib/system.js";

const connection = await network.create();
const s = await deploySystem(connection);
console.log(`deployed: ledger ${await s.ledger.getAddress()}`);
console.log(
  `          call vault ${await s.callVault.getAddress()} (WETH), put vault ${await s.putVault.getAddress()} (USDC)`,
);

await seedVaults(s, 100n * ETH, 300_000n * USDC);
console.log("seeded:   100 WETH in the call vault, 300,000 USDC in the put vault; ETH/USD = 3,000");

const strikes = [2600n, 2800n, 3000n, 3200n, 3400n];
const tenors = [7, 30];
const series: bigint[] = [];
for (const days of tenors) {
  for (const strike of strikes) {
    for (const isCall of [true, false]) series.push(await createSeries(s, strike, days, isCall));
  }
  await setVol(s, decodeSeriesId(series.at(-1)!).expiry);
}

const table = new Table({
  head: ["series", "expiry (UTC)", "AMM bid", "AMM ask", "model", "vol", "delta", "vault"],
  colAligns: ["left", "left", "right", "right", "right", "right", "right", "left"],
  style: { head: [], border: [], compact: true },
});
for (const id of series) {
  const { strike, expiry, isCall } = decodeSeriesId(id);
  const vault = isCall ? s.callVault : s.putVault;
  const [bid, ask] = await Promise.all([vault.quote(id, ETH, false), vault.quote(id, ETH, true)]);
  // Call premiums are in WETH, put premiums in USDC; both are shown in USD for one option.
  const usd = (x: bigint) => (isCall ? fromWad(x) * fromWad(ask.spot) : Number(x) / 1e6);
  table.push([
    `ETH-${strike / USDC}-${isCall ? "C" : "P"}`,
    new Date(expiry * 1000).toISOString().slice(0, 16).replace("T", " "),
    `$${usd(bid.premium).toFixed(2)}`,
    `$${usd(ask.premium).toFixed(2)}`,
    `$${usd(ask.modelValue).toFixed(2)}`,
    `${(fromWad(ask.vol) * 100).toFixed(1)}%`,
    fromWad(ask.delta).toFixed(3),
    ask.refusal === "0x00000000" ? "quoting" : `refuses (${vault.interface.getError(ask.refusal)?.name})`,
  ]);
}
console.log(table.toString());
