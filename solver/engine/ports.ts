import type { Hex, TransactionReceipt } from "viem";
import type { SeriesTerms } from "../domain/seriesId.js";
import type { Ready } from "../settlement/submitter.js";
import type { CapitalFlow } from "./capital.js";
import type { OrderQueue } from "./orders.js";

/** What the engine asks of the settlement submitter (`Submitter`; a fake in engine unit tests). */
export interface OrderSubmitter extends OrderQueue {
  /** Orders waiting to be sent. */
  readonly pending: number;
  /** Sends what is queued and ready. */
  /** Sends what is queued; with `minAgeMs`, only once the oldest queued order has waited that long. */
  flush(opts?: { minAgeMs?: number }): Promise<void>;
  /** Books the outcome of a mined settlement transaction for its orders. */
  report(ready: Ready[], receipt: TransactionReceipt): Promise<void>;
  /** Follows a sent transaction to its receipt. */
  follow(ready: Ready[], hash: Hex): Promise<void>;
}

/** What the engine asks of the expiry keeper. */
export interface Keeper {
  run(series: ReadonlyMap<bigint, SeriesTerms>, now: number): Promise<void>;
}

/** What the engine asks of the capital-flow scanner (`CapitalFlowScanner`). */
export interface CapitalFlows {
  /** Starts after `block` without recording what came before. */
  skipTo(block: bigint): void;
  /** Records flows up to `toBlock`; returns the new ones. */
  scan(toBlock: bigint): Promise<CapitalFlow[]>;
}

/** What the engine asks of the hedger (`Hedger`): one check, and start-up reconciliation of sent swaps. */
export interface Hedging {
  run(opts?: { force?: boolean }): Promise<unknown>;
  reconcile(opts?: { adjustCash?: boolean }): Promise<number>;
}
