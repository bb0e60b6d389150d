import { privateKeyToAccount } from "viem/accounts";
import { type Clients, createClients } from "../../solver/chain/clients.js";
import type { Deployment } from "../../solver/config/schema.js";
import { ArbKeeper, type ArbKeeperParams, type ArbRun } from "../../solver/keeper/arbKeeper.js";
import { TxSender } from "../../solver/settlement/txSender.js";
import { UniswapVenue } from "../../solver/venue/uniswap.js";
import { devKey } from "./accounts.js";
import { ARB_KEEPER, ARB_KEEPER_FUNDS } from "./devnet.js";

/** The devnet's arbitrageur (account 10) on a running node: its own key, its own nonces. */
export function devnetArb(d: Deployment, rpcUrl: string): ArbKeeper | null {
  if (!d.uniswap) return null;
  const clients = createClients({ chainId: d.chainId, key: devKey(ARB_KEEPER), rpcUrl, pollingInterval: 50 });
  return arbKeeperOn(clients, d, ARB_KEEPER_FUNDS);
}

/** An arbitrageur trading `d`'s pool from `clients`' account (never the devnet solver's), up to `maxAmountIn`. */
export function arbKeeperOn(clients: Clients, d: Deployment, maxAmountIn: ArbKeeperParams["maxAmountIn"]): ArbKeeper {
  return new ArbKeeper({
    venue: new UniswapVenue(clients.publicClient, d.uniswap!, d.contracts),
    sender: new TxSender(clients),
    recipient: clients.account.address,
    solver: privateKeyToAccount(devKey(2)).address,
    params: { maxAmountIn },
  });
}

/**
 * Pulls the devnet's pool toward `price` (USD per ETH), as arbitrageurs do after the market moves. Best
 * effort: a move beyond the seeded range cannot be followed in one swap, and the failure is reported, not
 * thrown (the oracle's round stands either way).
 */
export async function arbTo(d: Deployment, rpcUrl: string, price: number): Promise<ArbRun | null> {
  const arb = devnetArb(d, rpcUrl);
  if (!arb) return null;
  try {
    return await arb.run(price);
  } catch (error) {
    process.stderr.write(`the arbitrageur could not follow the pool to ${price}: ${String(error)}\n`);
    return null;
  }
}
