import {
  type Chain,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  type LocalAccount,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";

/** viem clients for one chain and the solver's key. */
export interface Clients {
  chain: Chain;
  publicClient: PublicClient<Transport, Chain>;
  walletClient: WalletClient<Transport, Chain, LocalAccount>;
  account: LocalAccount;
}

/** A minimal chain definition for a chain id (the devnet is Hardhat's 31337). */
export function chainFor(chainId: number, rpcUrl = "http://127.0.0.1:8545"): Chain {
  return defineChain({
    id: chainId,
    name: chainId === 31337 ? "Hardhat devnet" : `chain ${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}

/**
 * Clients over `transport` (HTTP to a node, or `custom(provider)` for an in-process chain). The solver signs
 * locally with its key; `pollingInterval` bounds how stale cached block data may be.
 */
export function createClients(opts: {
  chainId: number;
  key: Hex;
  transport?: Transport;
  rpcUrl?: string;
  pollingInterval?: number;
}): Clients {
  const chain = chainFor(opts.chainId, opts.rpcUrl);
  const transport = opts.transport ?? http(opts.rpcUrl, { timeout: 5_000, retryCount: 0 });
  const account = privateKeyToAccount(opts.key);
  const pollingInterval = opts.pollingInterval ?? 250;
  return {
    chain,
    account,
    publicClient: createPublicClient({ chain, transport, pollingInterval, batch: { multicall: false } }),
    walletClient: createWalletClient({ chain, transport, account, pollingInterval }),
  };
}
