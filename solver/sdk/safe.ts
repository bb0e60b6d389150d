import {
  type Address,
  encodeFunctionData,
  type Hex,
  hashTypedData,
  isAddressEqual,
  type PublicClient,
  toEventSelector,
  zeroAddress,
} from "viem";
import type { SignRequest, TxRequest, WalletAdapter } from "./wallets.js";

/** Safe 1.4.1's EIP-712 domain: chain id and the Safe itself, no name or version. */
function safeDomain(chainId: bigint, safe: Address) {
  return { chainId, verifyingContract: safe } as const;
}

const SAFE_MESSAGE_TYPES = { SafeMessage: [{ name: "message", type: "bytes" }] } as const;

const SAFE_TX_TYPES = {
  SafeTx: [
    { name: "to", type: "address" },
    { name: "value", type: "uint256" },
    { name: "data", type: "bytes" },
    { name: "operation", type: "uint8" },
    { name: "safeTxGas", type: "uint256" },
    { name: "baseGas", type: "uint256" },
    { name: "gasPrice", type: "uint256" },
    { name: "gasToken", type: "address" },
    { name: "refundReceiver", type: "address" },
    { name: "nonce", type: "uint256" },
  ],
} as const;

const SAFE_ABI = [
  { type: "function", name: "nonce", stateMutability: "view", inputs: [], outputs: [{ type: "uint256" }] },
  { type: "function", name: "getThreshold", stateMutability: "view", inputs: [], outputs: [{ type: "uint256" }] },
  { type: "function", name: "getOwners", stateMutability: "view", inputs: [], outputs: [{ type: "address[]" }] },
  {
    type: "function",
    name: "execTransaction",
    stateMutability: "payable",
    inputs: [
      { name: "to", type: "address" },
      { name: "value", type: "uint256" },
      { name: "data", type: "bytes" },
      { name: "operation", type: "uint8" },
      { name: "safeTxGas", type: "uint256" },
      { name: "baseGas", type: "uint256" },
      { name: "gasPrice", type: "uint256" },
      { name: "gasToken", type: "address" },
      { name: "refundReceiver", type: "address" },
      { name: "signatures", type: "bytes" },
    ],
    outputs: [{ type: "bool" }],
  },
] as const;

export interface SafeWalletOptions {
  /** The Safe (1.3 or 1.4.1, with the CompatibilityFallbackHandler as its fallback handler). */
  safe: Address;
  /** Owners that sign: at least the Safe's threshold of them, each an EOA adapter. */
  owners: WalletAdapter[];
  chainId: number | bigint;
  /** Reads the Safe's nonce for transactions (approvals, cancels). */
  publicClient?: PublicClient;
  /** The account that sends `execTransaction` (any funded EOA; by default the first owner). */
  executor?: WalletAdapter;
}

/**
 * A Safe as a trading wallet. The settlement and the API ask the Safe's `isValidSignature(digest, sig)`;
 * its CompatibilityFallbackHandler accepts only owner signatures over `SafeMessage(bytes message)` in the
 * Safe's own EIP-712 domain, with `message` the 32-byte digest. So each owner signs that wrapping, and the
 * signatures are concatenated in ascending owner order, as the Safe's `checkSignatures` requires. Works for
 * a 1-of-1 and for a threshold of several owners. Transactions go through `execTransaction`, signed by the
 * same owners.
 */
export function safeWallet(opts: SafeWalletOptions): WalletAdapter {
  const domain = safeDomain(BigInt(opts.chainId), opts.safe);
  const executor = opts.executor ?? opts.owners[0];
  if (opts.owners.length === 0) throw new TypeError("a Safe needs at least one owner to sign");
  const adapter: WalletAdapter = {
    getAddress: async () => opts.safe,
    async signTypedData(request: SignRequest) {
      const digest = hashTypedData(request as never);
      return ownersSign(opts.owners, (owner) =>
        owner.signTypedData({
          domain,
          types: SAFE_MESSAGE_TYPES,
          primaryType: "SafeMessage",
          message: { message: digest },
        }),
      );
    },
  };
  if (!executor?.sendTransaction || !opts.publicClient) return adapter;
  const client = opts.publicClient;
  return {
    ...adapter,
    async sendTransaction(tx: TxRequest) {
      const nonce = await client.readContract({ address: opts.safe, abi: SAFE_ABI, functionName: "nonce" });
      const safeTx = safeTransaction(tx, nonce);
      const signatures = await ownersSign(opts.owners, (owner) =>
        owner.signTypedData({ domain, types: SAFE_TX_TYPES, primaryType: "SafeTx", message: safeTx }),
      );
      return executor.sendTransaction!({ to: opts.safe, data: execTransactionData(safeTx, signatures) });
    },
    async waitForTransaction(hash: Hex) {
      const receipt = await client.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
      // A Safe reports a failed inner call with ExecutionFailure, not a revert.
      const failure = toEventSelector("ExecutionFailure(bytes32,uint256)");
      if (receipt.logs.some((l) => l.topics[0] === failure && isAddressEqual(l.address, opts.safe))) {
        throw new Error(`the Safe's call in ${hash} failed`);
      }
    },
  };
}

/** `execTransaction` calldata for a SafeTx and its owners' signatures. */
function execTransactionData(t: ReturnType<typeof safeTransaction>, signatures: Hex): Hex {
  const args = [t.to, t.value, t.data, t.operation, t.safeTxGas, t.baseGas, t.gasPrice, t.gasToken, t.refundReceiver];
  return encodeFunctionData({ abi: SAFE_ABI, functionName: "execTransaction", args: [...args, signatures] as never });
}

/** A plain call from the Safe (no refund, no delegatecall): the SafeTx message. */
function safeTransaction(tx: TxRequest, nonce: bigint) {
  return {
    to: tx.to,
    value: 0n,
    data: tx.data,
    operation: 0,
    safeTxGas: 0n,
    baseGas: 0n,
    gasPrice: 0n,
    gasToken: zeroAddress,
    refundReceiver: zeroAddress,
    nonce,
  };
}

/** Each owner's signature of `sign`, ordered by owner address, concatenated. */
async function ownersSign(
  owners: readonly WalletAdapter[],
  sign: (owner: WalletAdapter) => Promise<Hex>,
): Promise<Hex> {
  const signed = await Promise.all(
    owners.map(async (owner) => ({ address: await owner.getAddress(), signature: await sign(owner) })),
  );
  signed.sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));
  for (let i = 1; i < signed.length; i++) {
    if (isAddressEqual(signed[i]!.address, signed[i - 1]!.address)) throw new TypeError("an owner is listed twice");
  }
  return `0x${signed.map((s) => s.signature.slice(2)).join("")}` as Hex;
}
