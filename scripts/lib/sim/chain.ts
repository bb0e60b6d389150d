import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { Wallet } from "ethers";
import { network } from "hardhat";
import { type Hex, keccak256, toHex } from "viem";
import { type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import type { Deployment } from "../../../solver/config/schema.js";
import { decodeSeriesId } from "../../../solver/domain/seriesId.js";
import type { ArbKeeper } from "../../../solver/keeper/arbKeeper.js";
import { devKey } from "../accounts.js";
import { arbKeeperOn } from "../arb.js";
import { deploymentOf, inProcessClients } from "../engineHarness.js";
import { fundTrader } from "../orders.js";
import { createSeries, deploySystem, ETH, type System, seedVaults, USDC, usd8, WAD } from "../system.js";
import { approveRouter, deployUniswap, fundSwapper, uniswapDeployment } from "../uniswap.js";
import type { World } from "./world.js";

export const GENESIS = "2026-11-23T00:00:00Z";
const STRIKES = [2600n, 2800n, 3000n, 3200n, 3400n];
const TENORS = [7, 30] as const;
/** Accounts: 7 the arbitrageur, 8-10 the fixed informed traders, 11-19 the noise traders. */
const ARB_ACCOUNT = 7;
const INFORMED_ACCOUNTS = [8, 9, 10];
const NOISE_ACCOUNTS = [11, 12, 13, 14, 15, 16, 17, 18, 19];

/** A trader's wallet: the ethers signer that set it up and the viem account that signs its intents. */
export interface Trader {
  signer: HardhatEthersSigner;
  account: PrivateKeyAccount;
}

/** The simulated chain: the system, the pool and its arbitrageur, the series strip and the traders. */
export interface SimChain {
  s: System;
  deployment: Deployment;
  arb: ArbKeeper;
  /** Series ids by "strike/tenor/C|P". */
  series: Map<string, bigint>;
  expiries: number[];
  traders: Map<string, Trader>;
  clock: SimClock;
}

/** Block times the run sets itself, so that the same seed gives the same chain every time. */
export interface SimClock {
  now(): number;
  /** The next block lands one second after the last. */
  nextTx(): Promise<void>;
  /** Moves time `dt` seconds on (an empty block). */
  advance(dt: number): Promise<void>;
}

/** The key of the series of a request. */
export function seriesKey(strike: number, tenorDays: number, isCall: boolean): string {
  return `${strike}/${tenorDays}/${isCall ? "C" : "P"}`;
}

/**
 * Deploys the system and Uniswap v3 on a fresh in-process chain at a fixed genesis, seeds the vaults and
 * the pool, creates the series strip, funds the solver, the arbitrageur and every trader the world names
 * (sybils get fresh deterministic keys), and starts the measured run a day after genesis.
 */
export async function simChain(world: World): Promise<SimChain> {
  const connection = await network.create({ override: { initialDate: GENESIS } });
  const s = await deploySystem(connection);
  await seedVaults(s, 1000n * ETH, 3_000_000n * USDC);
  const start = Math.round(world.steps[0]!.oracle.price);
  await s.oracle.pushAnswer(usd8(start));
  const u = await deployUniswap(s, { price: start });
  const series = await createStrip(s);
  await fundTrader(s, s.solver, 300n * ETH, 1_000_000n * USDC);
  await approveRouter(s, u, s.solver);
  const signers = (await s.ethers.getSigners()) as HardhatEthersSigner[];
  const arbSigner = signers[ARB_ACCOUNT]!;
  // Deep pockets: an arbitrageur on a trending path keeps selling one side of the pool.
  await fundSwapper(s, u, arbSigner, 50_000n * ETH, 150_000_000n * USDC);
  const traders = await fundTraders(s, world, signers);
  const deployment = { ...(await deploymentOf(s)), uniswap: uniswapDeployment(u) };
  const arb = arbKeeper(s, deployment, ARB_ACCOUNT);
  const clock = simClock(connection, Math.floor(Date.parse(GENESIS) / 1000) + 86_400);
  await connection.networkHelpers.time.increaseTo(clock.now());
  // The vaults' smiles were set at set-up, a day ago: set again at the start (their max age is a day).
  await setVols(s, [...series.values()], clock.nextTx);
  const expiries = [...new Set([...series.values()].map((id) => decodeSeriesId(id).expiry))];
  return { s, deployment, arb, series, expiries, traders, clock };
}

async function createStrip(s: System): Promise<Map<string, bigint>> {
  const series = new Map<string, bigint>();
  for (const days of TENORS) {
    for (const strike of STRIKES) {
      for (const isCall of [true, false]) {
        series.set(seriesKey(Number(strike), days, isCall), await createSeries(s, strike, days, isCall));
      }
    }
  }
  await setVols(s, [...series.values()]);
  return series;
}

/** The vaults' smile for every expiry of `ids` (80% ATM): set at the start and refreshed daily (vol max age). */
export async function setVols(s: System, ids: bigint[], before?: () => Promise<void>): Promise<void> {
  for (const expiry of new Set(ids.map((id) => decodeSeriesId(id).expiry))) {
    for (const vault of [s.callVault, s.putVault]) {
      await before?.();
      await vault.connect(s.keeper).setVolSlice(expiry, (WAD * 8n) / 10n, -(WAD / 10n), WAD / 5n);
    }
  }
}

/** The fixed traders and, for a sybil world, one fresh funded wallet per informed trade. */
async function fundTraders(s: System, world: World, signers: HardhatEthersSigner[]): Promise<Map<string, Trader>> {
  const traders = new Map<string, Trader>();
  const fixed = (id: string, index: number) => {
    traders.set(id, { signer: signers[index]!, account: privateKeyToAccount(devKey(index)) });
  };
  // The world numbers its fixed traders from 1: informed-1..3 and noise-1..9.
  for (const [i, index] of INFORMED_ACCOUNTS.entries()) fixed(`informed-${i + 1}`, index);
  for (const [i, index] of NOISE_ACCOUNTS.entries()) fixed(`noise-${i + 1}`, index);
  for (const t of traders.values()) await fundTrader(s, t.signer, 500n * ETH, 2_000_000n * USDC);
  const named = [...new Set(world.steps.map((st) => st.request.trader))];
  const sybils = named.filter((id) => id.startsWith("sybil-"));
  const unknown = named.filter((id) => !traders.has(id) && !id.startsWith("sybil-"));
  if (unknown.length > 0) throw new Error(`the world names traders the chain has no wallet for: ${unknown.join(", ")}`);
  for (const id of sybils) {
    const key = keccak256(toHex(`internalizer sim ${id}`)) as Hex;
    const wallet = new Wallet(key, s.ethers.provider);
    await s.connection.networkHelpers.setBalance(wallet.address, 10n * ETH);
    const signer = wallet as unknown as HardhatEthersSigner;
    await fundTrader(s, signer, 100n * ETH, 400_000n * USDC);
    traders.set(id, { signer, account: privateKeyToAccount(key) });
  }
  return traders;
}

/** The arbitrageur: its own key and sender on the in-process chain. */
function arbKeeper(s: System, deployment: Deployment, index: number): ArbKeeper {
  const clients = inProcessClients(s.connection.provider, index, deployment.chainId);
  return arbKeeperOn(clients, deployment, { weth: 1_500n * ETH, usdc: 4_500_000n * USDC });
}

function simClock(connection: System["connection"], start: number): SimClock {
  let clock = start;
  const { time } = connection.networkHelpers;
  return {
    now: () => clock,
    // After a block the run did not time itself (a second transaction in one step), the next one follows it.
    nextTx: async () => {
      clock = Math.max(clock, await time.latest()) + 1;
      await time.setNextBlockTimestamp(clock);
    },
    advance: async (dt) => {
      clock += dt;
      await time.increaseTo(clock);
    },
  };
}
