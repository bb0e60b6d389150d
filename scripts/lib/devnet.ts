import { mkdirSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Deployment } from "../../solver/config/schema.js";
import { expiriesOf } from "../../solver/domain/seriesId.js";
import { deploymentOf } from "./engineHarness.js";
import { fundTrader } from "./orders.js";
import {
  type Connection,
  createSeries,
  deploySystem,
  ETH,
  now,
  type System,
  seedVaults,
  setVol,
  USDC,
} from "./system.js";
import { approveRouter, deployUniswap, fundSwapper, type UniswapSystem, uniswapDeployment } from "./uniswap.js";

/** The devnet's series strip: three weekly-ish expiries, five strikes around 3,000, calls and puts. */
export const DEVNET_TENORS = [7, 14, 30];
export const DEVNET_STRIKES = [2600n, 2800n, 3000n, 3200n, 3400n];
/** Devnet accounts: 0 admin, 1 keeper, 2 solver, 3 LP, 4-8 traders with every approval, 9 a trader without. */
export const TRADER_ACCOUNTS = [4, 5, 6, 7, 8];
export const UNAPPROVED_TRADER = 9;
/** Devnet account 10 trades the Uniswap pool back toward the oracle (the arbitrage keeper). */
export const ARB_KEEPER = 10;
/** The arbitrage keeper's float: deep enough to follow the pool through the devnet's largest moves (~10%). */
export const ARB_KEEPER_FUNDS = { weth: 20_000n * ETH, usdc: 60_000_000n * USDC };
/** What the LP (account 3) holds after seeding the vaults, to deposit more by hand. */
export const LP_SPARE = { weth: 100n * ETH, usdc: 300_000n * USDC };

export interface DevnetSeed {
  system: System;
  deployment: Deployment;
  series: bigint[];
  uniswap: UniswapSystem;
}

/**
 * Deploys the system with Hardhat Ignition on `connection`, then seeds it: the oracle (by the module), a
 * strip of series with vol surfaces on both vaults, LP liquidity, the solver's inventory (cash, approvals
 * and some longs of each series), funded, approved trader wallets, and the spot venue: Uniswap v3 with a
 * WETH/USDC pool seeded at the oracle's price, the SwapRouter approved for the solver, and the arbitrage
 * keeper (account 10) funded and approved.
 */
export async function deployDevnet(
  connection: Connection,
  opts: { deploymentId?: string; network?: string } = {},
): Promise<DevnetSeed> {
  const firstBlock = await connection.ethers.provider.getBlockNumber();
  const s = await deploySystem(connection, opts.deploymentId ? { deploymentId: opts.deploymentId } : {});
  await seedVaults(s, 500n * ETH, 1_500_000n * USDC);
  // The LP keeps some of each asset after seeding, to deposit more by hand (the CLI approves what is missing).
  await s.weth.faucet(s.lp.address, LP_SPARE.weth);
  await s.usdc.faucet(s.lp.address, LP_SPARE.usdc);
  // Every expiry is a whole number of days after one anchor (the seeding's start), so that a script on the
  // devnet (the demo) can run at fixed distances from them and price the same every time.
  const anchor = await now(s);
  const series: bigint[] = [];
  for (const days of DEVNET_TENORS) {
    for (const strike of DEVNET_STRIKES)
      for (const isCall of [true, false]) series.push(await createSeries(s, strike, days, isCall, anchor));
  }
  for (const expiry of expiriesOf(series)) await setVol(s, expiry);
  await fundTrader(s, s.solver, 400n * ETH, 1_200_000n * USDC);
  // The solver starts with 10 longs of each series (written with its own collateral) to deliver from.
  for (const id of series) await s.ledger.connect(s.solver).mint(id, 10n * ETH, s.solver.address, s.solver.address);
  const signers = await s.ethers.getSigners();
  for (const i of TRADER_ACCOUNTS) await fundTrader(s, signers[i]!, 100n * ETH, 500_000n * USDC);
  await s.weth.faucet(signers[UNAPPROVED_TRADER]!.address, 100n * ETH);
  await s.usdc.faucet(signers[UNAPPROVED_TRADER]!.address, 500_000n * USDC);
  const uniswap = await deployUniswap(s, opts.deploymentId ? { deploymentId: opts.deploymentId } : {});
  await fundSwapper(s, uniswap, signers[ARB_KEEPER]!, ARB_KEEPER_FUNDS.weth, ARB_KEEPER_FUNDS.usdc);
  await approveRouter(s, uniswap, s.solver);
  const deployment = {
    ...(await deploymentOf(s)),
    uniswap: uniswapDeployment(uniswap),
    network: opts.network ?? "hardhat",
    block: firstBlock,
  };
  return { system: s, deployment, series, uniswap };
}

/** Writes a deployment record (deployments/<network>.json). */
export async function writeDeployment(path: string, deployment: Deployment): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(deployment, null, 2)}\n`);
}
