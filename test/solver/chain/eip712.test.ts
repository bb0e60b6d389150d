import { randomBytes } from "node:crypto";
import { expect } from "chai";
import { type Address, bytesToHex, getAddress, type Hex, hashTypedData } from "viem";
import { TypedDataValueError, typedDigester } from "../../../solver/chain/eip712.js";
import {
  type QuoteRequestMessage,
  quoteRequestTypes,
  rfqDomain,
  type SignedQuoteMessage,
  signedQuoteTypes,
} from "../../../solver/chain/rfq.js";

const word = (bytes: number) => BigInt(bytesToHex(randomBytes(bytes)));
const address = () => getAddress(bytesToHex(randomBytes(20))) as Address;
/** Random widths so that zero, small and full-width values all occur. */
const uint = () => word(1 + (randomBytes(1)[0]! % 32));
const side = () => (randomBytes(1)[0]! % 3) as 0 | 1 | 2;

describe("typedDigester (EIP-712 with cached type hash and domain separator)", () => {
  const domain = rfqDomain(31337, address());

  it("equals viem's hashTypedData for 500 random quote requests", () => {
    const digest = typedDigester<QuoteRequestMessage>(domain, "QuoteRequest", quoteRequestTypes.QuoteRequest);
    for (let i = 0; i < 500; i++) {
      const message = {
        requester: address(),
        seriesId: uint(),
        side: side(),
        amount: uint(),
        nonce: uint(),
        expiry: uint(),
      };
      expect(digest(message)).to.equal(
        hashTypedData({ domain, types: quoteRequestTypes, primaryType: "QuoteRequest", message }),
      );
    }
  });

  it("equals viem's hashTypedData for 500 random signed quotes, on other chains and contracts", () => {
    for (let i = 0; i < 500; i++) {
      const d = rfqDomain(1 + Number(word(4)), address());
      const digest = typedDigester<SignedQuoteMessage>(d, "Quote", signedQuoteTypes.Quote);
      const message = {
        quoteId: bytesToHex(randomBytes(32)) as Hex,
        requester: address(),
        seriesId: uint(),
        side: side(),
        amount: uint(),
        premium: uint(),
        limitPremium: uint(),
        route: side(),
        validUntil: uint(),
        ammReferencePremium: uint(),
      };
      expect(digest(message)).to.equal(
        hashTypedData({ domain: d, types: signedQuoteTypes, primaryType: "Quote", message }),
      );
    }
  });

  it("refuses values that do not fit their type instead of truncating them", () => {
    const digest = typedDigester<QuoteRequestMessage>(domain, "QuoteRequest", quoteRequestTypes.QuoteRequest);
    const ok = { requester: address(), seriesId: 1n, side: 0 as const, amount: 1n, nonce: 1n, expiry: 1n };
    const bad: Array<[string, unknown]> = [
      ["seriesId", -1n],
      ["amount", 1n << 256n],
      ["side", 256],
      ["side", 1.5],
      ["nonce", "1"],
      ["requester", "0x1234"],
      ["requester", `0x${"g".repeat(40)}`],
    ];
    for (const [field, value] of bad) {
      expect(() => digest({ ...ok, [field]: value } as QuoteRequestMessage), `${field}=${String(value)}`).to.throw(
        TypedDataValueError,
        `EIP-712 field ${field} is not a valid`,
      );
    }
  });
});
