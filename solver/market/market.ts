import type { Address } from "viem";
import type { SeriesTerms } from "../domain/seriesId.js";
import type { Spot, VaultQuote } from "./marketData.js";

/** An account's balances and approvals as of the latest block (cached per block). */
export interface AccountReads {
  erc20Balance(token: Address, owner: Address): Promise<bigint>;
  allowance(token: Address, owner: Address, spender: Address): Promise<bigint>;
  /** Long options of a series held by `owner` on the ledger. */
  optionBalance(owner: Address, seriesId: bigint): Promise<bigint>;
  operatorApproved(owner: Address, operator: Address): Promise<boolean>;
  writeApproved(owner: Address, operator: Address): Promise<boolean>;
}

/**
 * What the engine asks of the chain's market state: time, the oracle, series, the vault's quote and the
 * accounts of requesters. `MarketData` answers from the chain; engine unit tests answer from a fake.
 */
export interface Market {
  blockNumber(): Promise<bigint>;
  chainTime(): Promise<number>;
  /** The earliest timestamp the next block can have; `fresh` reads the latest block first. */
  nextBlockTime(opts?: { fresh?: boolean }): Promise<number>;
  /** Reads the latest block now; true when it moved. */
  refresh(): Promise<boolean>;
  spot(): Promise<Spot>;
  spotAt(block: bigint): Promise<Spot>;
  lastSpot(): Spot | undefined;
  lastChainTime(): number | undefined;
  listSeries(opts?: { fresh?: boolean }): Promise<Map<bigint, SeriesTerms>>;
  vaultQuote(seriesId: bigint, amount: bigint, isBuy: boolean): Promise<VaultQuote>;
  settlementPrices(seriesIds: readonly bigint[], block?: bigint): Promise<Map<bigint, bigint>>;
  readonly accounts: AccountReads;
}
