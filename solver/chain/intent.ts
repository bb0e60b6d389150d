import type { Address, Hex } from "viem";
import { type SideCode, sideCode, sideName, type TradeSide } from "../domain/side.js";

/** The EIP-712 message a wallet signs to accept a quote; mirrors `IOptionSettlement.Intent`. */
export type Intent = {
  user: Address;
  seriesId: bigint;
  side: SideCode;
  amount: bigint;
  limitPremium: bigint;
  deadline: bigint;
  nonce: bigint;
  recipient: Address;
  exclusiveSolver: Address;
  quoteId: Hex;
};

/** How the solver fills an intent; mirrors `IOptionSettlement.FillParams`. */
export type FillParams = {
  internalAmount: bigint;
  internalPremium: bigint;
  mintAmount: bigint;
  ammPremium: bigint;
};

/** EIP-712 types of the intent. The field order and types must match `IntentHash.INTENT_TYPE`. */
export const intentTypes = {
  Intent: [
    { name: "user", type: "address" },
    { name: "seriesId", type: "uint256" },
    { name: "side", type: "uint8" },
    { name: "amount", type: "uint256" },
    { name: "limitPremium", type: "uint256" },
    { name: "deadline", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "recipient", type: "address" },
    { name: "exclusiveSolver", type: "address" },
    { name: "quoteId", type: "bytes32" },
  ],
} as const;

/** The settlement contract's EIP-712 domain on a chain. */
export function settlementDomain(chainId: number | bigint, verifyingContract: Address) {
  return { name: "Internalizer Settlement", version: "1", chainId: BigInt(chainId), verifyingContract } as const;
}

/** What an intent takes from the quote it accepts. */
export interface QuoteForIntent {
  quoteId: Hex;
  seriesId: bigint;
  side: TradeSide;
  amount: bigint;
  limitPremium: bigint;
  validUntil: number;
}

/**
 * The intent that accepts `quote`: its limit, valid until the quote is. `solver` is the exclusive solver
 * (the zero address lets any solver fill it).
 */
export function intentForQuote(
  quote: QuoteForIntent,
  who: { user: Address; recipient?: Address; nonce: bigint; solver: Address },
): Intent {
  return {
    user: who.user,
    seriesId: quote.seriesId,
    side: sideCode(quote.side),
    amount: quote.amount,
    limitPremium: quote.limitPremium,
    deadline: BigInt(quote.validUntil),
    nonce: who.nonce,
    recipient: who.recipient ?? who.user,
    exclusiveSolver: who.solver,
    quoteId: quote.quoteId,
  };
}

/** An intent as JSON for the API: integers as decimal strings, the side by name. */
export type IntentJson = Omit<{ [K in keyof Intent]: Intent[K] extends bigint ? string : Intent[K] }, "side"> & {
  side: TradeSide;
};

export function intentJson(i: Intent): IntentJson {
  return {
    user: i.user,
    seriesId: i.seriesId.toString(),
    side: sideName(i.side),
    amount: i.amount.toString(),
    limitPremium: i.limitPremium.toString(),
    deadline: i.deadline.toString(),
    nonce: i.nonce.toString(),
    recipient: i.recipient,
    exclusiveSolver: i.exclusiveSolver,
    quoteId: i.quoteId,
  };
}
