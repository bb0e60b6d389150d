import type { Address, Hex, PublicClient } from "viem";
import { aggregatorAbi, optionSettlementAbi, optionVaultAbi } from "../chain/abis.js";
import { decodeRevert } from "../chain/revert.js";
import type { FilledEvent } from "../chain/solverChain.js";
import type { Deployment } from "../config/schema.js";
import { decodeSeriesId } from "../domain/seriesId.js";
import { ChainError, ErrorCode } from "../errors.js";
import { type PairScales, readPairScales } from "../market/vaultReader.js";

/** A settlement `Filled` event (the one definition, in solverChain.ts) and where it is on chain. */
export type FilledAt = Omit<FilledEvent, "user" | "solver"> & { txHash: Hex; block: bigint };

/** The chain as the report reads it: past blocks, fills, the oracle and the vaults' quotes at a block. */
export interface ReportChain {
  /** The deployment's block: no fill is older. */
  readonly firstBlock: bigint;
  latestBlock(): Promise<bigint>;
  blockTime(block: bigint): Promise<number>;
  /** The solver's fills mined in [fromBlock, toBlock], in chain order. */
  filled(solver: Address, fromBlock: bigint, toBlock: bigint): Promise<FilledAt[]>;
  /** The pair's oracle answer (`latestRoundData`) as of the end of `block`. */
  spotAt(block: bigint): Promise<bigint>;
  /** The vault's `quote` premium for `amount` at the end of `block`; null when it refuses or reverts (no price). */
  vaultPremium(seriesId: bigint, amount: bigint, isBuy: boolean, block: bigint): Promise<bigint | null>;
}

/** Blocks per eth_getLogs, so that a long window does not hit a node's range limit. */
const LOG_CHUNK = 5_000n;

/** Runs a read; a failure is the chain being unavailable (the report never publishes a guess). */
async function reading<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (cause) {
    throw new ChainError(ErrorCode.ChainUnavailable, `could not ${what}`, { cause });
  }
}

/** The pair's scales (its oracle among them) and the chain reads of the report, over one viem client. */
export async function viemReportChain(
  client: PublicClient,
  deployment: Deployment,
): Promise<{ chain: ReportChain; scales: PairScales }> {
  const c = deployment.contracts;
  const scales = await reading("read the pair", () => readPairScales(client, c.ledger, deployment.pairId));
  const chain: ReportChain = {
    firstBlock: BigInt(deployment.block),
    latestBlock: () => reading("read the latest block", () => client.getBlockNumber({ cacheTime: 0 })),
    blockTime: (blockNumber) =>
      reading("read a block", async () => Number((await client.getBlock({ blockNumber })).timestamp)),
    filled: (solver, fromBlock, toBlock) => filledEvents(client, c.settlement, solver, fromBlock, toBlock),
    spotAt: (blockNumber) =>
      reading("read the oracle", async () => {
        const round = await client.readContract({
          address: scales.oracle,
          abi: aggregatorAbi,
          functionName: "latestRoundData",
          blockNumber,
        });
        return round[1];
      }),
    vaultPremium: (seriesId, amount, isBuy, blockNumber) =>
      vaultPremium(client, decodeSeriesId(seriesId).isCall ? c.callVault : c.putVault, {
        seriesId,
        amount,
        isBuy,
        blockNumber,
      }),
  };
  return { chain, scales };
}

async function filledEvents(
  client: PublicClient,
  settlement: Address,
  solver: Address,
  fromBlock: bigint,
  toBlock: bigint,
): Promise<FilledAt[]> {
  const out: FilledAt[] = [];
  for (let start = fromBlock; start <= toBlock; start += LOG_CHUNK) {
    const end = start + LOG_CHUNK - 1n < toBlock ? start + LOG_CHUNK - 1n : toBlock;
    const logs = await reading("read the settlement's Filled events", () =>
      client.getContractEvents({
        address: settlement,
        abi: optionSettlementAbi,
        eventName: "Filled",
        args: { solver },
        fromBlock: start,
        toBlock: end,
      }),
    );
    for (const { args: a, transactionHash, blockNumber, logIndex } of logs) {
      // The fields the report uses, by name: the user's address is not one of them.
      out.push({
        orderHash: a.orderHash!,
        txHash: transactionHash,
        block: blockNumber,
        logIndex,
        seriesId: a.seriesId!,
        side: Number(a.side),
        internalAmount: a.internalAmount!,
        ammAmount: a.ammAmount!,
        premium: a.premium!,
        internalPremium: a.internalPremium!,
        ammReferencePremium: a.ammReferencePremium!,
      });
    }
  }
  return out;
}

/** The vault's `quote` view at a block: its premium, or null when it refuses the trade or has no price. */
async function vaultPremium(
  client: PublicClient,
  vault: Address,
  q: { seriesId: bigint; amount: bigint; isBuy: boolean; blockNumber: bigint },
): Promise<bigint | null> {
  try {
    const r = await client.readContract({
      address: vault,
      abi: optionVaultAbi,
      functionName: "quote",
      args: [q.seriesId, q.amount, q.isBuy],
      blockNumber: q.blockNumber,
    });
    return /^0x0{8}$/.test(r.refusal) ? r.premium : null;
  } catch (cause) {
    // A revert is the vault's answer (stale oracle or vol, an expired series); anything else is not.
    if (decodeRevert(cause)) return null;
    throw new ChainError(ErrorCode.ChainUnavailable, "could not read the vault's quote", { cause });
  }
}
