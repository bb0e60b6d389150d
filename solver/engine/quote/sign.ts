import type { Address, Hex } from "viem";
import { signDigest } from "../../chain/ecdsa.js";
import { typedDigester } from "../../chain/eip712.js";
import { rfqDomain, type SignedQuoteMessage, signedQuoteMessage, signedQuoteTypes } from "../../chain/rfq.js";
import type { FirmQuote, SignedQuote } from "../../types.js";

/** Signs firm quotes for the solver's key (EIP-712 `Quote`, in the RFQ domain). */
export interface QuoteSigner {
  readonly solver: Address;
  sign(quote: FirmQuote): Promise<SignedQuote>;
}

/**
 * Step 6, sign: the solver's EIP-712 signature over what the quote promises, so a wallet can check the
 * quote came from this solver before it signs an order for it.
 */
export function quoteSigner(opts: { chainId: number; settlement: Address; key: Hex; solver: Address }): QuoteSigner {
  const digest = typedDigester<SignedQuoteMessage>(
    rfqDomain(opts.chainId, opts.settlement),
    "Quote",
    signedQuoteTypes.Quote,
  );
  return {
    solver: opts.solver,
    sign: async (quote) => ({
      ...quote,
      solver: opts.solver,
      signature: await signDigest(digest(signedQuoteMessage(quote)), opts.key),
    }),
  };
}
