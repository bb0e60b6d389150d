import type { TypedDataDomain as EthersDomain, Signer } from "ethers";
import {
  type Account,
  type Address,
  encodeFunctionData,
  type Hex,
  parseAbi,
  publicActions,
  type TypedData,
  type TypedDataDefinition,
  type WalletClient,
} from "viem";

/** EIP-712 typed data the SDK asks a wallet to sign. */
export type SignRequest = {
  domain: { name?: string; version?: string; chainId: bigint; verifyingContract: Address };
  types: TypedData;
  primaryType: string;
  message: Record<string, unknown>;
};

/** A transaction from the trading account: an approval, a nonce invalidation. */
export interface TxRequest {
  to: Address;
  data: Hex;
}

/**
 * What the SDK needs from a wallet: the trading address and an EIP-712 signer, and, to approve tokens or
 * cancel on chain, a way to send transactions from the trading account and wait for them. Every method is
 * async, so an adapter is ready as soon as it is made: there is no `await` to forget.
 */
export interface WalletAdapter {
  /** The account that trades: an EOA, or a smart-contract wallet (EIP-1271) whose owners sign. */
  getAddress(): Promise<Address>;
  signTypedData(request: SignRequest): Promise<Hex>;
  /** Sends a transaction from the trading account; returns its hash. */
  sendTransaction?(tx: TxRequest): Promise<Hex>;
  /** Waits until a sent transaction is mined; throws if it reverted. */
  waitForTransaction?(hash: Hex): Promise<void>;
}

/** A viem WalletClient (with an account) as a wallet. */
export function viemWallet(client: WalletClient, account?: Account | Address): WalletAdapter {
  const acct = account ?? client.account;
  if (!acct) throw new TypeError("the viem WalletClient has no account: pass one");
  const address = typeof acct === "string" ? acct : acct.address;
  const reader = client.extend(publicActions);
  return {
    getAddress: async () => address,
    signTypedData: (r) =>
      client.signTypedData({ account: acct, ...(r as unknown as TypedDataDefinition) }) as Promise<Hex>,
    sendTransaction: (tx) =>
      client.sendTransaction({ account: acct, chain: client.chain ?? null, to: tx.to, data: tx.data } as never),
    async waitForTransaction(hash) {
      const receipt = await reader.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
    },
  };
}

/** An ethers v6 Signer as a wallet. */
export function ethersWallet(signer: Signer): WalletAdapter {
  let address: Promise<Address> | undefined;
  return {
    getAddress: () => {
      address ??= signer.getAddress() as Promise<Address>;
      return address;
    },
    async signTypedData(r) {
      // ethers infers the primary type from `types` and wants mutable arrays without EIP712Domain.
      const types = Object.fromEntries(
        Object.entries(r.types)
          .filter(([name]) => name !== "EIP712Domain")
          .map(([name, fields]) => [
            name,
            (fields as readonly { name: string; type: string }[]).map((f) => ({ ...f })),
          ]),
      );
      const domain: EthersDomain = { ...r.domain, chainId: r.domain.chainId };
      return (await signer.signTypedData(domain, types, r.message)) as Hex;
    },
    async sendTransaction(tx) {
      return (await signer.sendTransaction({ to: tx.to, data: tx.data })).hash as Hex;
    },
    async waitForTransaction(hash) {
      const receipt = await signer.provider?.waitForTransaction(hash);
      if (receipt?.status !== 1) throw new Error(`transaction ${hash} reverted`);
    },
  };
}

const EXECUTE_ABI = parseAbi(["function execute(address to, bytes data) returns (bytes)"]);

/**
 * A smart-contract wallet at `walletAddress` whose EIP-1271 `isValidSignature(digest, signature)` accepts its
 * owner's plain ECDSA signature of the digest (as many simple wallets and this repository's
 * MockERC1271Wallet do). Transactions go through the wallet's `execute(to, data)`, sent by the owner.
 * For a Safe use `safeWallet`; for another wallet, write an adapter the same way: sign what its
 * `isValidSignature` verifies.
 */
export function contractWallet(walletAddress: Address, owner: WalletAdapter): WalletAdapter {
  return {
    getAddress: async () => walletAddress,
    signTypedData: (r) => owner.signTypedData(r),
    ...(owner.sendTransaction
      ? {
          sendTransaction: (tx: TxRequest) =>
            owner.sendTransaction!({
              to: walletAddress,
              data: encodeFunctionData({ abi: EXECUTE_ABI, functionName: "execute", args: [tx.to, tx.data] }),
            }),
        }
      : {}),
    ...(owner.waitForTransaction ? { waitForTransaction: (hash: Hex) => owner.waitForTransaction!(hash) } : {}),
  };
}
