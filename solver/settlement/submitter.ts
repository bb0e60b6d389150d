import { type Hex, parseEventLogs, type TransactionReceipt } from "viem";
import { optionSettlementAbi } from "../chain/abis.js";
import type { Clients } from "../chain/clients.js";
import type { FillParams } from "../chain/intent.js";
import { decodeRevert } from "../chain/revert.js";
import { codeOfRevert, describeRevert } from "../chain/revertText.js";
import type { FilledEvent } from "../chain/solverChain.js";
import type { Config, Deployment } from "../config/schema.js";
import { ErrorCode, InternalizerError, SettlementError } from "../errors.js";
import type { Logger } from "../log.js";
import type { MarketData } from "../market/marketData.js";
import type { FirmQuote, OrderRecord } from "../types.js";
import type { TxSender } from "./txSender.js";

/** What the engine does when an order lands or fails. */
export interface SubmitterHooks {
  /** The quote behind an order (for validity and re-pricing). */
  quoteOf(order: OrderRecord): FirmQuote | undefined;
  /** The order as stored now (it may have been cancelled while queued). */
  current(order: OrderRecord): OrderRecord | undefined;
  onSubmitted(order: OrderRecord, txHash: Hex, params: FillParams): void;
  onFilled(order: OrderRecord, event: FilledEvent, receipt: TransactionReceipt): Promise<void>;
  onFailed(order: OrderRecord, code: ErrorCode, reason: string): void;
  /** A settlement transaction was mined reverted, or an order of a batch was skipped. */
  onReverted?(txHash: Hex, count: number): void;
  /** The earliest timestamp the next block can have (chain time), for deadline checks. */
  nextBlockTime(): Promise<number>;
}

/** Gas each order of a batch may use on chain (`OptionSettlement.BATCH_ORDER_GAS`). */
const BATCH_ORDER_GAS = 1_500_000n;

/** An order with the fill parameters it is sent with. */
export type Ready = { order: OrderRecord; params: FillParams };

/**
 * Sends accepted orders to the settlement. Nothing is sent that the chain would refuse for time or nonce:
 * each order is checked against the next block's earliest timestamp (plus an inclusion margin) and its
 * nonce, and fails with its code instead, spending no gas. The internal part is re-priced if the AMM moved
 * in the user's favour; what is ready is batched, simulated with eth_call on the latest block, sent with the
 * solver's nonces, and followed to its receipt. Custom errors are decoded into typed, readable reasons;
 * transient send failures are retried a bounded number of times.
 */
export class Submitter {
  readonly #queue: OrderRecord[] = [];
  /** When each queued order arrived (wall clock, ms): the batch window counts from the oldest. */
  readonly #queuedAt = new Map<Hex, number>();
  #flushing: Promise<void> | null = null;

  constructor(
    readonly clients: Clients,
    readonly deployment: Deployment,
    readonly market: MarketData,
    readonly sender: TxSender,
    readonly params: Config["submitter"],
    readonly hooks: SubmitterHooks,
    readonly log: Logger,
  ) {}

  enqueue(order: OrderRecord): void {
    if (this.#queue.some((o) => o.orderHash === order.orderHash)) return;
    this.#queue.push(order);
    if (!this.#queuedAt.has(order.orderHash)) this.#queuedAt.set(order.orderHash, Date.now());
  }

  /** Takes a queued order back before it is sent; false when it is not queued (sent, or never here). */
  withdraw(orderHash: Hex): boolean {
    const i = this.#queue.findIndex((o) => o.orderHash === orderHash);
    if (i < 0) return false;
    this.#queue.splice(i, 1);
    this.#queuedAt.delete(orderHash);
    return true;
  }

  get pending(): number {
    return this.#queue.length;
  }

  /**
   * Sends everything queued, batch by batch; with `minAgeMs` (the solver's tick passes the batch window),
   * nothing until the oldest queued order has waited that long, so orders arriving together share a batch.
   * Concurrent calls share one run.
   */
  flush(opts: { minAgeMs?: number } = {}): Promise<void> {
    if (opts.minAgeMs && !this.#oldestWaited(opts.minAgeMs)) return this.#flushing ?? Promise.resolve();
    this.#flushing ??= this.#run().finally(() => {
      this.#flushing = null;
    });
    return this.#flushing;
  }

  #oldestWaited(ms: number): boolean {
    const now = Date.now();
    return this.#queue.some((o) => now - (this.#queuedAt.get(o.orderHash) ?? 0) >= ms);
  }

  async #run(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.params.maxBatch);
      let prepared: { ready: Ready[]; deferred: OrderRecord[] };
      try {
        prepared = await this.#prepare(batch);
      } catch (error) {
        // The chain is unreachable: nothing was decided, so the whole batch waits for the next flush.
        this.#queue.unshift(...batch);
        if (isChainDown(error)) return;
        throw error;
      }
      // Deferred orders keep their arrival time; sent or dropped ones are forgotten.
      for (const o of batch) if (!prepared.deferred.includes(o)) this.#queuedAt.delete(o.orderHash);
      if (prepared.ready.length > 0) await this.#send(prepared.ready, 0);
      if (prepared.deferred.length > 0) {
        // An outage is not a reason to fail an order: it stays queued until its quote expires.
        this.#queue.unshift(...prepared.deferred);
        return;
      }
    }
  }

  /** Drops orders that may no longer be filled (expired, nonce spent, cancelled) and re-prices the rest. */
  async #prepare(batch: OrderRecord[]): Promise<{ ready: Ready[]; deferred: OrderRecord[] }> {
    const next = await this.hooks.nextBlockTime();
    const latest = next + this.params.inclusionMarginSeconds;
    const ready: Ready[] = [];
    const deferred: OrderRecord[] = [];
    for (const order of batch) {
      if (this.hooks.current(order)?.status !== "accepted") continue;
      const quote = this.hooks.quoteOf(order);
      if (!quote || quote.validUntil < latest || order.intent.deadline < BigInt(latest)) {
        this.hooks.onFailed(order, ErrorCode.QuoteExpired, "the quote expired before the fill could be mined");
        continue;
      }
      try {
        if (await this.#nonceUsed(order)) {
          this.hooks.onFailed(order, ErrorCode.NonceUsed, "the order's nonce was used or cancelled on chain");
          continue;
        }
        ready.push({ order, params: await this.#reprice(order) });
      } catch (error) {
        if (isChainDown(error)) {
          deferred.push(order);
          continue;
        }
        const e = error instanceof SettlementError ? error : null;
        this.hooks.onFailed(order, e?.code ?? ErrorCode.SettlementFailed, e?.message ?? String(error));
      }
    }
    return { ready, deferred };
  }

  async #nonceUsed(order: OrderRecord): Promise<boolean> {
    try {
      return await this.clients.publicClient.readContract({
        address: this.deployment.contracts.settlement,
        abi: optionSettlementAbi,
        functionName: "isNonceUsed",
        args: [order.intent.user, order.intent.nonce],
      });
    } catch (cause) {
      throw new InternalizerError(ErrorCode.ChainUnavailable, "could not read the order's nonce", { cause });
    }
  }

  /**
   * The on-chain check compares the internal premium with the vault's price at fill time. If the vault moved
   * in the user's favour since the quote, the solver meets it (the user pays less, or receives more) up to
   * `maxRequoteBps` of the premium; beyond that it lets the order fail rather than fill at a loss it never
   * quoted.
   */
  async #reprice(order: OrderRecord): Promise<FillParams> {
    const p = order.params;
    if (p.internalAmount === 0n) return p;
    const isBuy = order.intent.side === 0;
    const reference = await this.market.referencePremium(order.intent.seriesId, p.internalAmount, isBuy);
    const limitBps = BigInt(Math.round(this.params.maxRequoteBps * 100));
    const moved = isBuy ? p.internalPremium > reference : p.internalPremium < reference;
    if (!moved) return p;
    const gap = isBuy ? p.internalPremium - reference : reference - p.internalPremium;
    if (gap * 1_000_000n > p.internalPremium * limitBps) {
      throw new SettlementError(
        ErrorCode.SettlementFailed,
        `the AMM moved ${isBuy ? "below" : "above"} the quoted internal price by more than the solver meets`,
        { details: { quoted: p.internalPremium.toString(), reference: reference.toString() } },
      );
    }
    return { ...p, internalPremium: reference };
  }

  #call(ready: Ready[]) {
    return ready.length === 1
      ? {
          functionName: "fill" as const,
          args: [ready[0]!.order.intent, ready[0]!.order.signature, ready[0]!.params] as const,
        }
      : {
          functionName: "fillBatch" as const,
          args: [
            ready.map((r) => ({ intent: r.order.intent, signature: r.order.signature, params: r.params })),
          ] as const,
        };
  }

  async #send(ready: Ready[], attempt: number): Promise<void> {
    const settlement = this.deployment.contracts.settlement;
    const { publicClient, account } = this.clients;
    const call = this.#call(ready);
    let gas: bigint;
    try {
      // Simulate on the latest block first: a single order that would revert fails here, with its reason.
      await publicClient.simulateContract({ address: settlement, abi: optionSettlementAbi, account, ...call } as never);
      gas =
        ready.length === 1
          ? ((await publicClient.estimateContractGas({
              address: settlement,
              abi: optionSettlementAbi,
              account,
              ...call,
            } as never)) *
              5n) /
            4n
          : BATCH_ORDER_GAS * BigInt(ready.length) + 200_000n;
    } catch (error) {
      const revert = decodeRevert(error);
      if (revert && ready.length === 1) {
        this.hooks.onFailed(ready[0]!.order, codeOfRevert(revert.name), describeRevert(revert));
        return;
      }
      if (!revert) return this.#retry(ready, attempt, error);
      // A batch reverting as a whole: send its orders one by one.
      for (const r of ready) await this.#send([r], attempt);
      return;
    }
    let hash: Hex;
    try {
      hash = await this.sender.send({ address: settlement, abi: optionSettlementAbi, ...call, gas } as never);
    } catch (error) {
      return this.#retry(ready, attempt, error);
    }
    for (const r of ready) this.hooks.onSubmitted(r.order, hash, r.params);
    await this.follow(ready, hash);
  }

  /** Waits for a sent settlement transaction and reports its orders. */
  async follow(ready: Ready[], hash: Hex): Promise<void> {
    let receipt: TransactionReceipt;
    try {
      receipt = await this.sender.receipt(hash);
    } catch (error) {
      // Still pending or unknown: recovery at the next start resolves it from the chain.
      this.log.error({ err: error, tx: hash }, "no receipt for a settlement transaction");
      return;
    }
    this.market.invalidate();
    await this.report(ready, receipt);
  }

  /** Reports each order of a mined settlement transaction as filled (its Filled event) or failed. */
  async report(ready: Ready[], receipt: TransactionReceipt): Promise<void> {
    if (receipt.status !== "success") {
      this.hooks.onReverted?.(receipt.transactionHash, ready.length);
      for (const r of ready) this.hooks.onFailed(r.order, ErrorCode.SettlementReverted, "the transaction reverted");
      return;
    }
    const events = parseEventLogs({ abi: optionSettlementAbi, logs: receipt.logs });
    for (const r of ready) {
      const filled = events.find((e) => e.eventName === "Filled" && e.args.orderHash === r.order.orderHash);
      if (filled && filled.eventName === "Filled") {
        await this.hooks.onFilled(
          r.order,
          { ...filled.args, side: Number(filled.args.side), logIndex: filled.logIndex },
          receipt,
        );
        continue;
      }
      const skipped = events.find((e) => e.eventName === "FillSkipped" && e.args.orderHash === r.order.orderHash);
      const revert = skipped && skipped.eventName === "FillSkipped" ? decodeRevert(skipped.args.reason) : null;
      this.hooks.onReverted?.(receipt.transactionHash, 1);
      this.hooks.onFailed(
        r.order,
        revert ? codeOfRevert(revert.name) : ErrorCode.SettlementReverted,
        revert ? describeRevert(revert) : "the batch did not fill this order",
      );
    }
  }

  async #retry(ready: Ready[], attempt: number, error: unknown): Promise<void> {
    if (attempt >= this.params.maxRetries) {
      for (const r of ready)
        this.hooks.onFailed(
          r.order,
          ErrorCode.SettlementFailed,
          `gave up after ${attempt + 1} attempts: ${String(error).split("\n")[0]!.slice(0, 200)}`,
        );
      return;
    }
    this.log.warn({ err: error, attempt }, "settlement send failed; retrying");
    await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    await this.#send(ready, attempt + 1);
  }
}

/** A failure to reach the chain, as opposed to an answer from it. */
function isChainDown(error: unknown): boolean {
  return error instanceof InternalizerError && error.code === ErrorCode.ChainUnavailable;
}
