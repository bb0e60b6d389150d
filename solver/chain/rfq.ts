import type { Address, Hex } from "viem";
import { type SideCode, sideCode, sideName, type TradeSide } from "../domain/side.js";

/** The EIP-712 message a wallet signs to ask for a firm quote. */
export type QuoteRequestMessage = {
  requester: Address;
  seriesId: bigint;
  side: SideCode;
  amount: bigint;
  /** Any number the wallet never reuses within `expiry`; a replayed request is refused. */
  nonce: bigint;
  /** Unix seconds after which the request is stale. */
  expiry: bigint;
};

export const quoteRequestTypes = {
  QuoteRequest: [
    { name: "requester", type: "address" },
    { name: "seriesId", type: "uint256" },
    { name: "side", type: "uint8" },
    { name: "amount", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "expiry", type: "uint256" },
  ],
} as const;

/** The EIP-712 message the solver signs to make a quote firm; wallets can verify it before signing an order. */
export type SignedQuoteMessage = {
  quoteId: Hex;
  requester: Address;
  seriesId: bigint;
  side: SideCode;
  amount: bigint;
  premium: bigint;
  limitPremium: bigint;
  /** 0 internal, 1 amm, 2 split. */
  route: 0 | 1 | 2;
  validUntil: bigint;
  ammReferencePremium: bigint;
};

export const signedQuoteTypes = {
  Quote: [
    { name: "quoteId", type: "bytes32" },
    { name: "requester", type: "address" },
    { name: "seriesId", type: "uint256" },
    { name: "side", type: "uint8" },
    { name: "amount", type: "uint256" },
    { name: "premium", type: "uint256" },
    { name: "limitPremium", type: "uint256" },
    { name: "route", type: "uint8" },
    { name: "validUntil", type: "uint256" },
    { name: "ammReferencePremium", type: "uint256" },
  ],
} as const;

export const ROUTE_CODE = { internal: 0, amm: 1, split: 2 } as const;

/** What the solver's quote signature covers, in the units that settle. */
export interface QuoteTerms {
  quoteId: Hex;
  requester: Address;
  seriesId: bigint;
  side: TradeSide;
  amount: bigint;
  premium: bigint;
  limitPremium: bigint;
  route: keyof typeof ROUTE_CODE;
  validUntil: number;
  ammReferencePremium: bigint;
}

/** The message the solver signs to make a quote firm, and the SDK checks before signing an order. */
export function signedQuoteMessage(q: QuoteTerms): SignedQuoteMessage {
  return {
    quoteId: q.quoteId,
    requester: q.requester,
    seriesId: q.seriesId,
    side: sideCode(q.side),
    amount: q.amount,
    premium: q.premium,
    limitPremium: q.limitPremium,
    route: ROUTE_CODE[q.route],
    validUntil: BigInt(q.validUntil),
    ammReferencePremium: q.ammReferencePremium,
  };
}

/**
 * The EIP-712 message a wallet signs to prove it is `account` until `expiry` (chain time): it opens the
 * account's order channel on the stream and lists its orders. It moves nothing.
 */
export type AccessMessage = { account: Address; expiry: bigint };

export const accessTypes = {
  Access: [
    { name: "account", type: "address" },
    { name: "expiry", type: "uint256" },
  ],
} as const;

/** Longest validity of an Access signature, seconds. */
export const MAX_ACCESS_SECONDS = 86_400;

/** The EIP-712 message a wallet signs to ask the solver not to send one of its orders. */
export type CancelOrderMessage = { orderHash: Hex };

export const cancelOrderTypes = {
  CancelOrder: [{ name: "orderHash", type: "bytes32" }],
} as const;

/** The RFQ domain: separate from the settlement's, bound to the same chain and settlement contract. */
export function rfqDomain(chainId: number | bigint, settlement: Address) {
  return { name: "Internalizer RFQ", version: "1", chainId: BigInt(chainId), verifyingContract: settlement } as const;
}

/** The JSON body of `POST /v1/rfq` for a signed request: on-chain integers as decimal strings. */
export function rfqBody(chainId: number, m: QuoteRequestMessage, signature: Hex) {
  return {
    chainId,
    request: {
      requester: m.requester,
      seriesId: String(m.seriesId),
      side: sideName(m.side),
      amount: String(m.amount),
      nonce: String(m.nonce),
      expiry: String(m.expiry),
    },
    signature,
  };
}
