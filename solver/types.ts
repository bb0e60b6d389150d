import type { Address, Hex } from "viem";
import type { FillParams, Intent } from "./chain/intent.js";
import type { RouteDecision } from "./domain/route.js";
import type { TradeSide } from "./domain/side.js";
import type { ErrorCode } from "./errors.js";

/** A request for a firm price. */
export interface QuoteRequest {
  requester: Address;
  seriesId: bigint;
  side: TradeSide;
  amount: bigint;
}

/**
 * A firm quote: the route decision (price, route and everything the solver needs to fill it) for one
 * request, with its identity and validity. Amounts in base units.
 */
export interface FirmQuote extends RouteDecision {
  quoteId: Hex;
  requester: Address;
  seriesId: bigint;
  side: TradeSide;
  amount: bigint;
  /** Premium asset (WETH for calls, USDC for puts). */
  premiumAsset: Address;
  /** Chain time (unix seconds) after which the quote may not be filled. */
  validUntil: number;
  /** Chain time of the quote. */
  createdAt: number;
  /** Spot and model value per option at quote time, for the audit trail. */
  spot: number;
  modelValue: number;
}

/** A firm quote with the solver's EIP-712 signature over it (see `signedQuoteMessage`). */
export interface SignedQuote extends FirmQuote {
  solver: Address;
  signature: Hex;
}

export const QUOTE_STATUSES = ["open", "ordered", "expired", "superseded", "filled", "failed", "cancelled"] as const;
/** A quote's life: open until ordered, superseded (a newer quote for the same series and side), or expired. */
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];
export type OrderStatus = "accepted" | "submitted" | "filled" | "failed" | "cancelled";

/** A signed intent accepted for a quote, as stored. */
export interface OrderRecord {
  orderHash: Hex;
  quoteId: Hex;
  user: Address;
  intent: Intent;
  signature: Hex;
  params: FillParams;
  status: OrderStatus;
  txHash: Hex | null;
  /** Why the order failed or was cancelled: a code of the ErrorCode union, and a reason in words. */
  errorCode: ErrorCode | null;
  errorReason: string | null;
  /** Chain time (unix seconds) of acceptance and of the last status change. */
  createdAt: number;
  updatedAt: number;
}

/** A fill as the chain recorded it (the settlement's Filled event) plus the solver's marks. */
export interface FillRecord {
  orderHash: Hex;
  txHash: Hex;
  block: number;
  logIndex: number;
  user: Address;
  /** Who received the options (buys) or the premium (sells). */
  recipient: Address;
  solver: Address;
  seriesId: bigint;
  side: 0 | 1 | 2;
  internalAmount: bigint;
  ammAmount: bigint;
  premium: bigint;
  internalPremium: bigint;
  ammReference: bigint;
  timestamp: number;
  spot: number;
  modelValue: number;
  /** Native gas paid for the fill's transaction (its share of a batch), wei. */
  gasUsed: bigint;
  /** Protocol fee paid out of the solver's side of the internal premium, premium asset base units. */
  fee: bigint;
  markoutDue: number;
  markoutBps: number | null;
  markoutUsd: number | null;
}
