import { type Hex, parseEventLogs, type TransactionReceipt } from "viem";
import { optionSettlementAbi } from "../chain/abis.js";
import type { Clients } from "../chain/clients.js";
import type { FillParams } from "../chain/intent.js";
import { decodeRevert } from "../chain/revert.js";
import type { Config, Deployment } from "../config/schema.js";
import { ErrorCode, InternalizerError, SettlementError } from "../errors.js";
import type { Logger } from "../log.js";
import type { MarketData } from "../market/marketData.js";
import type { FirmQuote, OrderRecord } from "../types.js";
import { NonceManager } from "./nonceManager.js";

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

/** What the engine does when an order lands or fails. */
export interface SubmitterHooks {
  /** The quote behind an order (for validity and re-pricing). */
  quoteOf(order: OrderRecord): FirmQuote | undefined;
  onSubmitted(order: OrderRecord, txHash: Hex, params: FillParams): void;
  onFilled(order: OrderRecord, event: FilledEvent, receipt: TransactionReceipt): Promise<void>;
  onFailed(order: OrderRecord, code: ErrorCode, reason: string): void;
  /** Chain time, for validity checks. */
  now(): Promise<number>;
}

const BATCH_ORDER_GAS = 1_500_000n;

/**
 * Sends accepted orders to the settlement: re-checks each against its quote (never an expired one),
 * re-prices the internal part if the AMM moved in the user's favour, batches what is ready, simulates with
 * eth_call on the latest block, sends with locally managed nonces, waits for the receipt and reports every
 * Filled or FillSkipped. Custom errors are decoded into typed reasons; transient failures are retried a
 * bounded number of times.
 */
export class Submitter {
  readonly #queue: OrderRecord[] = [];
  readonly #nonces: NonceManager;
  #flushing: Promise<void> | null = null;

  constructor(
    readonly clients: Clients,
    readonly deployment: Deployment,
    readonly market: MarketData,
    readonly params: Config["submitter"],
    readonly hooks: SubmitterHooks,
    readonly log: Logger,
  ) {
    this.#nonces = new NonceManager(clients.publicClient, clients.account.address);
  }

  enqueue(order: OrderRecord): void {
    if (!this.#queue.some((o) => o.orderHash === order.orderHash)) this.#queue.push(order);
  }

  get pending(): number {
    return this.#queue.length;
  }

  /** Sends everything queued, batch by batch. Concurrent calls share one run. */
  flush(): Promise<void> {
    this.#flushing ??= this.#run().finally(() => {
      this.#flushing = null;
    });
    return this.#flushing;
  }

  async #run(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.params.maxBatch);
      let prepared: { ready: Array<{ order: OrderRecord; params: FillParams }>; deferred: OrderRecord[] };
      try {
        prepared = await this.#prepare(batch);
      } catch (error) {
        // The chain is unreachable: nothing was decided, so the whole batch waits for the next flush.
        this.#queue.unshift(...batch);
        if (isChainDown(error)) return;
        throw error;
      }
      if (prepared.ready.length > 0) await this.#send(prepared.ready, 0);
      if (prepared.deferred.length > 0) {
        // An outage is not a reason to fail an order: it stays queued until its quote expires.
        this.#queue.unshift(...prepared.deferred);
        return;
      }
    }
  }

  /** Drops orders that may no longer be filled and re-prices the rest. */
  async #prepare(
    batch: OrderRecord[],
  ): Promise<{ ready: Array<{ order: OrderRecord; params: FillParams }>; deferred: OrderRecord[] }> {
    const now = await this.hooks.now();
    const ready: Array<{ order: OrderRecord; params: FillParams }> = [];
    const deferred: OrderRecord[] = [];
    for (const order of batch) {
      const quote = this.hooks.quoteOf(order);
      if (!quote || quote.validUntil < now || order.intent.deadline < BigInt(now)) {
        this.hooks.onFailed(order, ErrorCode.QuoteExpired, "quote expired before submission");
        continue;
      }
      try {
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
    if (isBuy && p.internalPremium > reference) {
      if ((p.internalPremium - reference) * 1_000_000n > p.internalPremium * limitBps) {
        throw new SettlementError(ErrorCode.SettlementFailed, "the AMM moved below the quoted internal price", {
          details: { quoted: p.internalPremium.toString(), reference: reference.toString() },
        });
      }
      return { ...p, internalPremium: reference };
    }
    if (!isBuy && p.internalPremium < reference) {
      if ((reference - p.internalPremium) * 1_000_000n > p.internalPremium * limitBps) {
        throw new SettlementError(ErrorCode.SettlementFailed, "the AMM moved above the quoted internal price", {
          details: { quoted: p.internalPremium.toString(), reference: reference.toString() },
        });
      }
      return { ...p, internalPremium: reference };
    }
    return p;
  }

  async #send(ready: Array<{ order: OrderRecord; params: FillParams }>, attempt: number): Promise<void> {
    const settlement = this.deployment.contracts.settlement;
    const { publicClient, walletClient, account } = this.clients;
    const call =
      ready.length === 1
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
    try {
      // Simulate on the latest block first: a single order that would revert fails here, with its reason.
      await publicClient.simulateContract({ address: settlement, abi: optionSettlementAbi, account, ...call } as never);
    } catch (error) {
      const revert = decodeRevert(error);
      if (revert && ready.length === 1) {
        this.hooks.onFailed(ready[0]!.order, ErrorCode.SettlementReverted, revert.name);
        return;
      }
      if (!revert) return this.#retry(ready, attempt, error);
      // A batch reverting as a whole: send its orders one by one.
      for (const r of ready) await this.#send([r], attempt);
      return;
    }
    let hash: Hex;
    try {
      const nonce = await this.#nonces.next();
      const gas = BATCH_ORDER_GAS * BigInt(ready.length) + 200_000n;
      hash = await walletClient.writeContract({
        address: settlement,
        abi: optionSettlementAbi,
        ...call,
        nonce,
        gas,
      } as never);
    } catch (error) {
      this.#nonces.reset();
      return this.#retry(ready, attempt, error);
    }
    for (const r of ready) this.hooks.onSubmitted(r.order, hash, r.params);
    await this.follow(ready, hash);
  }

  /** Waits for a sent settlement transaction and reports its orders. */
  async follow(ready: Array<{ order: OrderRecord; params: FillParams }>, hash: Hex): Promise<void> {
    let receipt: TransactionReceipt;
    try {
      receipt = await this.clients.publicClient.waitForTransactionReceipt({ hash, timeout: 120_000 });
    } catch (error) {
      // Still pending or unknown: recovery at the next start resolves it from the chain.
      this.log.error({ err: error, tx: hash }, "no receipt for a settlement transaction");
      return;
    }
    this.market.invalidate();
    await this.report(ready, receipt);
  }

  /** Reports each order of a mined settlement transaction as filled (its Filled event) or failed. */
  async report(ready: Array<{ order: OrderRecord; params: FillParams }>, receipt: TransactionReceipt): Promise<void> {
    if (receipt.status !== "success") {
      for (const r of ready) this.hooks.onFailed(r.order, ErrorCode.SettlementReverted, "transaction reverted");
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
      const reason =
        skipped && skipped.eventName === "FillSkipped"
          ? (decodeRevert(skipped.args.reason)?.name ?? "unknown")
          : "not filled";
      this.hooks.onFailed(r.order, ErrorCode.SettlementReverted, reason);
    }
  }

  async #retry(
    ready: Array<{ order: OrderRecord; params: FillParams }>,
    attempt: number,
    error: unknown,
  ): Promise<void> {
    if (attempt >= this.params.maxRetries) {
      for (const r of ready)
        this.hooks.onFailed(
          r.order,
          ErrorCode.SettlementFailed,
          `gave up after ${attempt + 1} attempts: ${String(error).slice(0, 200)}`,
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
