import { type Hex, zeroAddress } from "viem";
import { typedDigester } from "../chain/eip712.js";
import { type FillParams, type Intent, intentTypes, settlementDomain } from "../chain/intent.js";
import type { ChainReads } from "../chain/solverChain.js";
import { sideCode } from "../domain/side.js";
import { ErrorCode, OrderRejected } from "../errors.js";
import { maxBigInt, minBigInt } from "../math/bigint.js";
import { getOrder, getOrderByQuote, insertOrder } from "../store/orders.js";
import { setQuoteStatus } from "../store/quotes.js";
import type { FirmQuote, OrderRecord } from "../types.js";
import type { EngineContext } from "./context.js";
import { onChain } from "./declines.js";
import type { FillBook } from "./fillBook.js";
import { quoteById } from "./records.js";

/** The signed order a wallet sends for a quote. */
export interface SignedOrder {
  intent: Intent;
  signature: Hex;
}

/** Where accepted orders go: the submitter's queue. */
export interface OrderQueue {
  enqueue(order: OrderRecord): void;
  /** Takes a queued order back before it is sent; false when it is no longer queued. */
  withdraw(orderHash: Hex): boolean;
}

/**
 * Accepts signed orders for open quotes and cancels unsent ones. An order is accepted only when it matches
 * its quote, can still be mined before the quote's validity ends, is signed by the requester exactly as the
 * settlement checks it (ECDSA, or EIP-1271 for a contract wallet), and uses a fresh nonce.
 */
export class OrderDesk {
  readonly #digest: (intent: Intent) => Hex;

  constructor(
    readonly ctx: EngineContext,
    readonly chain: Pick<ChainReads, "nonceUsed" | "signatureValid">,
    readonly queue: OrderQueue,
    readonly fills: FillBook,
  ) {
    const domain = settlementDomain(ctx.chainId, ctx.deployment.contracts.settlement);
    this.#digest = typedDigester<Intent>(domain, "Intent", intentTypes.Intent);
  }

  async accept({ intent, signature }: SignedOrder): Promise<OrderRecord> {
    const { ctx } = this;
    const quote = this.#openQuote(intent.quoteId);
    const next = await onChain(ctx.killSwitch, () => ctx.market.nextBlockTime({ fresh: true }));
    this.#assertMinable(quote, next);
    const params = fillParamsFor(intent, quote, next, ctx.solver);
    const orderHash = this.#digest(intent);
    if (getOrder(ctx.store, orderHash))
      throw new OrderRejected(ErrorCode.OrderDuplicate, "order already accepted", { details: { orderHash } });
    const valid = await onChain(ctx.killSwitch, () => this.chain.signatureValid(intent.user, orderHash, signature));
    if (!valid) throw new OrderRejected(ErrorCode.SignatureInvalid, "the signature is not the user's");
    const used = await onChain(ctx.killSwitch, () => this.chain.nonceUsed(intent.user, intent.nonce));
    if (used) throw new OrderRejected(ErrorCode.NonceUsed, "nonce already used or cancelled");
    const now = await onChain(ctx.killSwitch, () => ctx.market.chainTime());
    const record: OrderRecord = {
      orderHash,
      quoteId: quote.quoteId,
      user: intent.user,
      intent,
      signature,
      params,
      status: "accepted",
      txHash: null,
      errorCode: null,
      errorReason: null,
      createdAt: now,
      updatedAt: now,
    };
    this.#record(record);
    this.queue.enqueue(record);
    ctx.log.child({ orderHash, quoteId: quote.quoteId }).info("order accepted");
    ctx.events.emit("order", record);
    return record;
  }

  /**
   * Cancels an order the solver has not sent yet (the caller has checked that the user asked). An order
   * already in a transaction cannot be called back: the user invalidates its nonce on chain.
   */
  cancel(orderHash: Hex): OrderRecord {
    const order = getOrder(this.ctx.store, orderHash);
    if (!order) throw new OrderRejected(ErrorCode.OrderUnknown, "no order with this hash");
    if (order.status !== "accepted" || !this.queue.withdraw(orderHash)) {
      throw new OrderRejected(
        ErrorCode.OrderNotCancellable,
        order.status === "submitted" || order.status === "accepted"
          ? "the order is already in a settlement transaction; invalidate its nonce on chain to stop it"
          : `the order is ${order.status}`,
        { details: { status: order.status, txHash: order.txHash } },
      );
    }
    this.fills.finish(order, "cancelled", ErrorCode.OrderCancelled, "cancelled by the user");
    return getOrder(this.ctx.store, orderHash)!;
  }

  /** The quote an intent names, if it is still open; else why not. */
  #openQuote(quoteId: Hex): FirmQuote {
    const quote = quoteById(this.ctx, quoteId);
    if (!quote) throw new OrderRejected(ErrorCode.QuoteUnknown, "no quote with this id");
    if (quote.status === "open") return quote;
    const existing = getOrderByQuote(this.ctx.store, quoteId);
    if (existing)
      throw new OrderRejected(ErrorCode.OrderDuplicate, "an order was already accepted for this quote", {
        details: { orderHash: existing.orderHash },
      });
    throw new OrderRejected(
      ErrorCode.QuoteExpired,
      quote.status === "superseded"
        ? "a newer quote for the same series and side replaced this one"
        : `the quote is ${quote.status}`,
    );
  }

  /** A fill mined in the next block, plus the inclusion margin, must land within the quote's validity. */
  #assertMinable(quote: FirmQuote, next: number): void {
    if (next + this.ctx.config.submitter.inclusionMarginSeconds <= quote.validUntil) return;
    if (next > quote.validUntil) this.fills.expire(quote.quoteId);
    throw new OrderRejected(ErrorCode.QuoteExpired, "the quote expires before a fill could be mined", {
      details: { validUntil: quote.validUntil, nextBlockTime: next },
    });
  }

  /** Stores the order; the quote may have been ordered concurrently while we awaited the chain. */
  #record(record: OrderRecord): void {
    const { store } = this.ctx;
    store.transaction(() => {
      if (quoteById(this.ctx, record.quoteId)?.status !== "open")
        throw new OrderRejected(ErrorCode.OrderDuplicate, "an order was already accepted for this quote");
      insertOrder(store, record);
      setQuoteStatus(store, record.quoteId, "ordered");
    });
  }
}

/** The fill parameters for an intent that matches its quote; throws QUOTE_MISMATCH otherwise. */
export function fillParamsFor(intent: Intent, quote: FirmQuote, next: number, solver: Hex): FillParams {
  const mismatch = (what: string) =>
    new OrderRejected(ErrorCode.QuoteMismatch, `intent does not match the quote: ${what}`);
  if (intent.user.toLowerCase() !== quote.requester.toLowerCase()) throw mismatch("user is not the requester");
  if (intent.seriesId !== quote.seriesId) throw mismatch("seriesId");
  if (intent.side !== sideCode(quote.side)) throw mismatch("side");
  if (intent.amount !== quote.amount) throw mismatch("amount");
  if (intent.recipient === zeroAddress) throw mismatch("recipient is zero");
  if (intent.exclusiveSolver !== zeroAddress && intent.exclusiveSolver.toLowerCase() !== solver.toLowerCase()) {
    throw mismatch("exclusiveSolver is another solver");
  }
  if (intent.deadline < BigInt(next)) throw mismatch("the deadline passes before a fill could be mined");
  if (intent.deadline > BigInt(quote.validUntil)) throw mismatch("the deadline is after the quote's validity");
  const userBuys = quote.side === "buy";
  if (userBuys ? intent.limitPremium < quote.premium : intent.limitPremium > quote.premium) {
    throw mismatch(userBuys ? "limit is below the quoted premium" : "limit is above the quoted premium");
  }
  return {
    internalAmount: quote.internalAmount,
    internalPremium: quote.internalPremium,
    mintAmount: quote.mintAmount,
    ammPremium: quote.ammAmount > 0n ? ammBound(intent, quote, userBuys) : 0n,
  };
}

/** The AMM leg's bound: within the quote's slippage bound and within what the user's limit leaves. */
function ammBound(intent: Intent, quote: FirmQuote, userBuys: boolean): bigint {
  const room = intent.limitPremium - quote.internalPremium;
  return userBuys ? minBigInt(room, quote.ammBound) : maxBigInt(room, quote.ammBound);
}
