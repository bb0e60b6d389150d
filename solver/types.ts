import type { Address, Hex } from "viem";
import type { Route, RouteReason } from "./router/router.js";

/** What the user does, as the API and the store spell it. */
export type TradeSide = "buy" | "sellToClose" | "sellToOpen";

/** The settlement's Side enum value of a trade side. */
export const SIDE_CODE: Record<TradeSide, 0 | 1 | 2> = { buy: 0, sellToClose: 1, sellToOpen: 2 };
export const SIDE_NAME = ["buy", "sellToClose", "sellToOpen"] as const satisfies readonly TradeSide[];

/** A request for a firm price. */
export interface QuoteRequest {
  requester: Address;
  seriesId: bigint;
  side: TradeSide;
  amount: bigint;
}

/** A firm quote: the price, the route, and everything the solver needs to fill it. Amounts in base units. */
export interface FirmQuote {
  quoteId: Hex;
  requester: Address;
  seriesId: bigint;
  side: TradeSide;
  amount: bigint;
  route: Route;
  reason: RouteReason;
  /** Premium asset (WETH for calls, USDC for puts). */
  premiumAsset: Address;
  /** Expected total premium. */
  premium: bigint;
  /** The limit to sign: `premium` plus the AMM leg's slippage bound. */
  limitPremium: bigint;
  /** The AMM's price for the whole order: the user's alternative. */
  ammReferencePremium: bigint;
  internalAmount: bigint;
  internalPremium: bigint;
  mintAmount: bigint;
  ammAmount: bigint;
  ammPremium: bigint;
  ammBound: bigint;
  /** The AMM's price for the internal part. */
  internalReference: bigint;
  solverEdge: bigint;
  /** Unix seconds (chain time) after which the quote may not be filled. */
  validUntil: number;
  createdAt: number;
  /** Spot and model value per option at quote time, for the audit trail. */
  spot: number;
  modelValue: number;
}

export type QuoteStatus = "open" | "ordered" | "expired" | "filled" | "failed";
export type OrderStatus = "accepted" | "submitted" | "filled" | "failed";

/** A signed intent accepted for a quote, as stored. */
export interface OrderRecord {
  orderHash: Hex;
  quoteId: Hex;
  user: Address;
  intent: import("./chain/intent.js").Intent;
  signature: Hex;
  params: import("./chain/intent.js").FillParams;
  status: OrderStatus;
  txHash: Hex | null;
  error: string | null;
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
  gasUsed: bigint;
  markoutDue: number;
  markoutBps: number | null;
  markoutUsd: number | null;
}
