import type { Address, Hex } from "viem";

/** What the user does; mirrors `IOptionSettlement.Side`. */
export const Side = { Buy: 0, SellToClose: 1, SellToOpen: 2 } as const;
export type Side = (typeof Side)[keyof typeof Side];

/** The EIP-712 message a wallet signs to accept a quote; mirrors `IOptionSettlement.Intent`. */
export type Intent = {
  user: Address;
  seriesId: bigint;
  side: Side;
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
