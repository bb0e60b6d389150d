import { type Hex, parseEventLogs, type TransactionReceipt } from "viem";
import { optionSettlementAbi } from "../chain/abis.js";
import type { FillParams } from "../chain/intent.js";
import type { ChainReads, FilledEvent } from "../chain/solverChain.js";
import { decodeSeriesId } from "../domain/seriesId.js";
import { sideName } from "../domain/side.js";
import type { ErrorCode } from "../errors.js";
import type { KeeperAction, SolverPayout } from "../keeper/expiryKeeper.js";
import type { SubmitterHooks } from "../settlement/submitter.js";
import { insertFill } from "../store/fills.js";
import { insertKeeperAction } from "../store/keeperActions.js";
import { getOrder, updateOrder } from "../store/orders.js";
import { deleteReservation, setQuoteStatus } from "../store/quotes.js";
import type { FillRecord, OrderRecord } from "../types.js";
import { bookChange } from "./bookChange.js";
import type { EngineContext } from "./context.js";
import { quoteById } from "./records.js";

/**
 * Books what happens to orders after they are accepted: submitted, filled (the fill recorded once, the
 * book moved, the reservation released in one synchronous step), failed or cancelled; and the keeper's
 * actions and payouts. The submitter and the keeper report here.
 */
export class FillBook {
  constructor(
    readonly ctx: EngineContext,
    readonly chain: Pick<ChainReads, "block">,
  ) {}

  /** The hooks the submitter reports through. */
  submitterHooks(): SubmitterHooks {
    const { ctx } = this;
    return {
      quoteOf: (o) => quoteById(ctx, o.quoteId),
      nextBlockTime: () => ctx.market.nextBlockTime({ fresh: true }),
      current: (o) => getOrder(ctx.store, o.orderHash),
      onSubmitted: (o, tx, params) => this.submitted(o, tx, params),
      onFilled: (o, e, r) => this.filled(o, e, r),
      onFailed: (o, code, reason) => this.failed(o, code, reason),
      onReverted: (txHash, count) => ctx.events.emit("reverted", { txHash, count }),
    };
  }

  submitted(order: OrderRecord, txHash: Hex, params: FillParams): void {
    updateOrder(this.ctx.store, order.orderHash, { status: "submitted", txHash, params, at: this.#timeNow() });
    this.#emitOrder(order.orderHash);
  }

  /** Records a fill; `booked` when the book was read after it (at start-up), so only the records change. */
  async filled(
    order: OrderRecord,
    e: FilledEvent,
    receipt: TransactionReceipt,
    opts: { booked?: boolean } = {},
  ): Promise<void> {
    const { ctx } = this;
    const { timestamp } = await this.chain.block(receipt.blockNumber);
    const fill = this.#fillRecord(order, e, receipt, timestamp);
    const fresh = ctx.store.transaction(() => {
      const inserted = insertFill(ctx.store, fill);
      updateOrder(ctx.store, order.orderHash, { status: "filled", txHash: receipt.transactionHash, at: timestamp });
      setQuoteStatus(ctx.store, order.quoteId, "filled");
      deleteReservation(ctx.store, order.quoteId);
      return inserted;
    });
    const { orderHash } = order;
    const { internalAmount, ammAmount } = e;
    if (fresh) ctx.events.emit("fill", { orderHash, internalAmount, ammAmount, gasCost: fill.gasUsed });
    // Release the reservation and book the fill in one synchronous step, so capacity never double-counts.
    this.#release(order.quoteId);
    if (fresh && e.internalAmount > 0n) {
      if (!opts.booked) this.#book(order, e, fill.fee);
      ctx.killSwitch.recordFill(timestamp);
    }
    ctx.log.child({ orderHash }).info({ tx: receipt.transactionHash, premium: e.premium.toString() }, "filled");
    this.#emitOrder(orderHash);
  }

  failed(order: OrderRecord, code: ErrorCode, reason: string): void {
    this.finish(order, "failed", code, reason);
    this.ctx.log.child({ orderHash: order.orderHash }).warn({ code, reason }, "order failed");
    this.ctx.events.emit("failed", { orderHash: order.orderHash, code });
  }

  /** Ends an order that did not fill, and frees what its quote held. */
  finish(order: OrderRecord, status: "failed" | "cancelled", code: ErrorCode, reason: string): void {
    const { store } = this.ctx;
    store.transaction(() => {
      updateOrder(store, order.orderHash, { status, errorCode: code, errorReason: reason, at: this.#timeNow() });
      setQuoteStatus(store, order.quoteId, status);
      deleteReservation(store, order.quoteId);
    });
    this.#release(order.quoteId);
    this.#emitOrder(order.orderHash);
  }

  /** A quote that can no longer be filled: its status, reservation and commitment go. */
  expire(quoteId: string): void {
    const { store } = this.ctx;
    setQuoteStatus(store, quoteId, "expired");
    deleteReservation(store, quoteId);
    this.#release(quoteId);
  }

  keeperAction(a: KeeperAction): void {
    insertKeeperAction(this.ctx.store, { ...a, spot: this.ctx.market.lastSpot()?.price ?? 0 });
    this.ctx.events.emit("keeper", a);
  }

  /** The solver's own exercise or redemption: the options leave the book and the payout arrives as cash. */
  payout(p: SolverPayout): void {
    const { inventory } = this.ctx.book;
    const position = inventory.position(p.seriesId);
    const longs = p.kind === "exercised" ? position.longs - p.amount : position.longs;
    const shorts = p.kind === "redeemed" ? position.shorts - p.amount : position.shorts;
    inventory.setPosition(p.seriesId, longs, shorts);
    const cash = inventory.cash;
    inventory.cash = position.terms.isCall
      ? { ...cash, weth: cash.weth + p.payout }
      : { ...cash, usdc: cash.usdc + p.payout };
  }

  #fillRecord(order: OrderRecord, e: FilledEvent, receipt: TransactionReceipt, timestamp: number): FillRecord {
    const { ctx } = this;
    const quote = quoteById(ctx, order.quoteId);
    // A batch's gas is shared evenly by the orders it settled.
    const fillsInTx = Math.max(
      1,
      parseEventLogs({ abi: optionSettlementAbi, logs: receipt.logs, eventName: ["Filled", "FillSkipped"] }).length,
    );
    return {
      orderHash: order.orderHash,
      txHash: receipt.transactionHash,
      block: Number(receipt.blockNumber),
      logIndex: e.logIndex,
      user: e.user,
      recipient: order.intent.recipient,
      solver: e.solver,
      seriesId: e.seriesId,
      side: e.side as 0 | 1 | 2,
      internalAmount: e.internalAmount,
      ammAmount: e.ammAmount,
      premium: e.premium,
      internalPremium: e.internalPremium,
      ammReference: e.ammReferencePremium,
      timestamp,
      spot: quote?.spot ?? 0,
      modelValue: quote?.modelValue ?? 0,
      gasUsed: (receipt.gasUsed * receipt.effectiveGasPrice) / BigInt(fillsInTx),
      fee: (e.internalPremium * BigInt(ctx.pair.fee.bps)) / 10_000n,
      markoutDue: timestamp + ctx.config.toxicity.horizonSeconds,
      markoutBps: null,
      markoutUsd: null,
    };
  }

  /** An internal fill's change to the book; the fee comes out of the solver's side of the premium. */
  #book(order: OrderRecord, e: FilledEvent, fee: bigint): void {
    const side = sideName(e.side);
    const mint = side === "buy" ? order.params.mintAmount : 0n;
    const premium = side === "buy" ? e.internalPremium - fee : e.internalPremium + fee;
    this.ctx.book.inventory.apply(bookChange(decodeSeriesId(e.seriesId), side, e.internalAmount, mint, premium));
  }

  /** What a quote held in memory (its reservation and the requester's commitment) goes with it. */
  #release(quoteId: string): void {
    this.ctx.book.reservations.release(quoteId);
    this.ctx.book.commitments.release(quoteId);
  }

  /** The chain time the solver last saw (for records); the wall clock if the chain was never read. */
  #timeNow(): number {
    return this.ctx.market.lastChainTime() ?? Math.floor(Date.now() / 1000);
  }

  #emitOrder(orderHash: Hex): void {
    const record = getOrder(this.ctx.store, orderHash);
    if (record) this.ctx.events.emit("order", record);
  }
}
