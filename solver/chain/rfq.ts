import type { Address, Hex } from "viem";
import { SIDE_NAME } from "../types.js";

/** The EIP-712 message a wallet signs to ask for a firm quote. */
export type QuoteRequestMessage = {
  requester: Address;
  seriesId: bigint;
  side: 0 | 1 | 2;
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
  side: 0 | 1 | 2;
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
      side: SIDE_NAME[m.side],
      amount: String(m.amount),
      nonce: String(m.nonce),
      expiry: String(m.expiry),
    },
    signature,
  };
}
