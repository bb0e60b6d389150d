import type { Hex } from "viem";
import { aggregatorAbi, optionVaultAbi } from "../../solver/chain/abis.js";
import { type Clients, createClients } from "../../solver/chain/clients.js";
import type { Deployment } from "../../solver/config/schema.js";
import { expiriesOf } from "../../solver/domain/seriesId.js";
import { devKey } from "./accounts.js";
import { arbTo } from "./arb.js";
import { rpc } from "./processes.js";

/** Devnet roles by account index (see scripts/lib/devnet.ts): 0 admin (oracle owner), 1 keeper. */
export function devnetClients(deployment: Deployment, rpcUrl: string, index: number): Clients {
  return createClients({ chainId: deployment.chainId, key: devKey(index), rpcUrl, pollingInterval: 50 });
}

/** Waits for a transaction's receipt; throws if it reverted. */
export async function mined(c: Clients, hash: Hex): Promise<void> {
  const receipt = await c.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
}

/**
 * Pushes an oracle round (8-decimal USD answer) at the next block's time, as the feed's owner; then, on a
 * deployment with a pool, the arbitrageur trades the pool to the new price (as the market would).
 */
export async function pushPrice(admin: Clients, d: Deployment, answer: bigint): Promise<void> {
  const { request } = await admin.publicClient.simulateContract({
    address: d.contracts.oracle,
    abi: aggregatorAbi,
    functionName: "pushAnswer",
    args: [answer],
    account: admin.account,
  });
  await mined(admin, await admin.walletClient.writeContract(request));
  const rpcUrl = admin.publicClient.chain?.rpcUrls.default.http[0];
  if (d.uniswap && rpcUrl) await arbTo(d, rpcUrl, Number(answer) / 1e8);
}

/** The latest oracle answer (8 decimals). */
export async function latestPrice(c: Clients, d: Deployment): Promise<bigint> {
  const [, answer] = await c.publicClient.readContract({
    address: d.contracts.oracle,
    abi: aggregatorAbi,
    functionName: "latestRoundData",
  });
  return answer;
}

/** Sets the devnet smile (80% ATM, -0.1 skew, 0.2 curvature) for an expiry on both vaults, as the keeper. */
export async function setVols(keeper: Clients, d: Deployment, expiries: number[]): Promise<void> {
  const WAD = 10n ** 18n;
  for (const expiry of expiries) {
    for (const vault of [d.contracts.callVault, d.contracts.putVault]) {
      const { request } = await keeper.publicClient.simulateContract({
        address: vault,
        abi: optionVaultAbi,
        functionName: "setVolSlice",
        args: [expiry, (WAD * 8n) / 10n, -(WAD / 10n), WAD / 5n],
        account: keeper.account,
      });
      await mined(keeper, await keeper.walletClient.writeContract(request));
    }
  }
}

/** Mines a block at `timestamp` (devnet time travel). */
export async function mineAt(rpcUrl: string, timestamp: number): Promise<void> {
  await rpc(rpcUrl, "evm_setNextBlockTimestamp", [timestamp]);
  await rpc(rpcUrl, "evm_mine");
}

/** The latest block's timestamp. */
export async function chainNow(c: Clients): Promise<number> {
  return Number((await c.publicClient.getBlock()).timestamp);
}

/**
 * What a keeper does after the devnet's clock jumps: a new oracle round (at `price`, 8 decimals, or the
 * latest answer) and fresh vol slices for every live expiry of `series`, so that quoting can resume.
 */
export async function refreshMarket(
  d: Deployment,
  rpcUrl: string,
  series: readonly bigint[],
  price?: bigint,
): Promise<void> {
  const admin = devnetClients(d, rpcUrl, 0);
  const now = await chainNow(admin);
  await pushPrice(admin, d, price ?? (await latestPrice(admin, d)));
  await setVols(
    devnetClients(d, rpcUrl, 1),
    d,
    expiriesOf(series).filter((expiry) => expiry > now),
  );
}
