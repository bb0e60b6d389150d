import type { Address, Hex, TransactionReceipt } from "viem";
import type { Deployment } from "../config/schema.js";
import type { PairAssets } from "../domain/assets.js";
import { ChainError, ErrorCode } from "../errors.js";
import type { Cash } from "../inventory/inventory.js";
import { erc20Abi, optionLedgerAbi, optionSettlementAbi } from "./abis.js";
import type { Clients } from "./clients.js";
import { SignatureChecker } from "./signatures.js";

/** A Filled event of the settlement. */
export interface FilledEvent {
  orderHash: Hex;
  user: Hex;
  solver: Hex;
  seriesId: bigint;
  side: number;
  internalAmount: bigint;
  ammAmount: bigint;
  premium: bigint;
  internalPremium: bigint;
  ammReferencePremium: bigint;
  logIndex: number;
}

/** A settlement `Filled` event of the solver's, with the transaction it is in (as recovery reads it). */
export type FilledLog = FilledEvent & { transactionHash: Hex };

/** The solver's own positions and cash at a block. */
export interface Holdings {
  positions: Array<{ seriesId: bigint; longs: bigint; shorts: bigint }>;
  cash: Cash;
}

/**
 * What the engine reads of the chain about orders, fills and its own account (the market's state is
 * `Market`'s). `SolverChain` reads it with viem; engine unit tests fake the parts they touch.
 */
export interface ChainReads {
  latestBlock(): Promise<bigint>;
  /** A block's timestamp and hash. */
  block(n: bigint): Promise<{ timestamp: number; hash: Hex }>;
  nonceUsed(user: Address, nonce: bigint, block?: bigint): Promise<boolean>;
  /** ECDSA for an EOA, EIP-1271 for a contract wallet, as the settlement checks it. */
  signatureValid(signer: Address, digest: Hex, signature: Hex): Promise<boolean>;
  holdings(solver: Address, seriesIds: readonly bigint[], block?: bigint): Promise<Holdings>;
  filledLogs(solver: Address, toBlock: bigint): Promise<FilledLog[]>;
  receipt(hash: Hex): Promise<TransactionReceipt | null>;
  /** True when the node knows the transaction (pending or mined). */
  knowsTransaction(hash: Hex): Promise<boolean>;
  /** The pair's assets (symbols and decimals) and the settlement's fee. */
  pair(): Promise<{ assets: PairAssets; fee: { bps: number; recipient: Address } }>;
}

/** `ChainReads` on a node through viem. */
export class SolverChain implements ChainReads {
  readonly #signatures: SignatureChecker;

  constructor(
    readonly clients: Clients,
    readonly deployment: Deployment,
  ) {
    this.#signatures = new SignatureChecker(clients.publicClient);
  }

  get #client() {
    return this.clients.publicClient;
  }

  latestBlock(): Promise<bigint> {
    return this.#client.getBlockNumber();
  }

  async block(n: bigint): Promise<{ timestamp: number; hash: Hex }> {
    const b = await this.#client.getBlock({ blockNumber: n });
    return { timestamp: Number(b.timestamp), hash: b.hash };
  }

  nonceUsed(user: Address, nonce: bigint, blockNumber?: bigint): Promise<boolean> {
    return this.#client.readContract({
      address: this.deployment.contracts.settlement,
      abi: optionSettlementAbi,
      functionName: "isNonceUsed",
      args: [user, nonce],
      blockNumber,
    });
  }

  signatureValid(signer: Address, digest: Hex, signature: Hex): Promise<boolean> {
    return this.#signatures.isValid(signer, digest, signature);
  }

  async holdings(solver: Address, seriesIds: readonly bigint[], blockNumber?: bigint): Promise<Holdings> {
    const c = this.deployment.contracts;
    const read = (functionName: "balanceOf" | "shortBalanceOf", id: bigint) =>
      this.#client.readContract({
        address: c.ledger,
        abi: optionLedgerAbi,
        functionName,
        args: [solver, id],
        blockNumber,
      });
    const positions = await Promise.all(
      seriesIds.map(async (seriesId) => {
        const [longs, shorts] = await Promise.all([read("balanceOf", seriesId), read("shortBalanceOf", seriesId)]);
        return { seriesId, longs, shorts };
      }),
    );
    const balance = (address: Address) =>
      this.#client.readContract({ address, abi: erc20Abi, functionName: "balanceOf", args: [solver], blockNumber });
    const [weth, usdc] = await Promise.all([balance(c.weth), balance(c.usdc)]);
    return { positions: positions.filter((p) => p.longs !== 0n || p.shorts !== 0n), cash: { weth, usdc } };
  }

  async filledLogs(solver: Address, toBlock: bigint): Promise<FilledLog[]> {
    const logs = await this.#client.getContractEvents({
      address: this.deployment.contracts.settlement,
      abi: optionSettlementAbi,
      eventName: "Filled",
      args: { solver },
      fromBlock: BigInt(this.deployment.block),
      toBlock,
    });
    return logs.map((l) => ({
      ...(l.args as Omit<FilledEvent, "side" | "logIndex">),
      side: Number(l.args.side),
      logIndex: l.logIndex,
      transactionHash: l.transactionHash,
    }));
  }

  receipt(hash: Hex): Promise<TransactionReceipt | null> {
    return this.#client.getTransactionReceipt({ hash }).catch(() => null);
  }

  async knowsTransaction(hash: Hex): Promise<boolean> {
    return (await this.#client.getTransaction({ hash }).catch(() => null)) !== null;
  }

  async pair(): Promise<{ assets: PairAssets; fee: { bps: number; recipient: Address } }> {
    const c = this.deployment.contracts;
    try {
      const p = await this.#client.readContract({
        address: c.ledger,
        abi: optionLedgerAbi,
        functionName: "pair",
        args: [this.deployment.pairId],
      });
      const symbol = (address: Address) =>
        this.#client.readContract({ address, abi: erc20Abi, functionName: "symbol" });
      const [underlying, quote, cfg] = await Promise.all([
        symbol(c.weth),
        symbol(c.usdc),
        this.#client.readContract({ address: c.settlement, abi: optionSettlementAbi, functionName: "config" }),
      ]);
      return {
        assets: {
          underlying: { address: c.weth, symbol: underlying, decimals: p.underlyingDecimals },
          quote: { address: c.usdc, symbol: quote, decimals: p.quoteDecimals },
        },
        fee: { bps: cfg.feeBps, recipient: cfg.feeRecipient },
      };
    } catch (cause) {
      throw new ChainError(ErrorCode.ChainUnavailable, "could not read the pair and the settlement's fee", { cause });
    }
  }
}
