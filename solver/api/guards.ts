import type { Address, Hex } from "viem";
import { typedDigester } from "../chain/eip712.js";
import { type QuoteRequestMessage, quoteRequestTypes } from "../chain/rfq.js";
import type { SignatureVerifier } from "../chain/signatures.js";
import { ErrorCode, RequestRejected } from "../errors.js";

/** A token bucket per key: `rate` tokens per second, up to `burst`. */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly rate: number,
    readonly burst: number,
    /** Who the limit is per, for the refusal's message. */
    readonly per = "requester",
  ) {}

  /** Takes a token for `key`, or throws RATE_LIMITED with the seconds to wait. */
  take(key: string, nowMs = Date.now()): void {
    const b = this.#buckets.get(key) ?? { tokens: this.burst, at: nowMs };
    b.tokens = Math.min(this.burst, b.tokens + ((nowMs - b.at) / 1000) * this.rate);
    b.at = nowMs;
    if (b.tokens < 1) {
      this.#buckets.set(key, b);
      throw new RequestRejected(ErrorCode.RateLimited, `too many requests for this ${this.per}`, {
        details: { retryAfterSeconds: Math.ceil((1 - b.tokens) / this.rate) },
      });
    }
    b.tokens -= 1;
    this.#buckets.set(key, b);
    if (this.#buckets.size > 100_000) this.#prune(nowMs);
  }

  #prune(nowMs: number): void {
    for (const [k, b] of this.#buckets) if ((nowMs - b.at) / 1000 > this.burst / this.rate) this.#buckets.delete(k);
  }
}

/**
 * Remembers signed requests until they expire, so that a replayed one is refused. In memory: a request
 * only ever buys a quote (orders are protected on chain by their nonces), so forgetting them at a restart
 * costs nothing but a duplicate quote.
 */
export class ReplayGuard {
  readonly #seen = new Map<string, number>();

  /** Records (requester, nonce) until `expiry`; throws REQUEST_REPLAYED if it was seen. */
  check(requester: Address, nonce: bigint, expiry: number, now: number): void {
    const key = `${requester.toLowerCase()}:${nonce}`;
    const until = this.#seen.get(key);
    if (until !== undefined && until >= now) {
      throw new RequestRejected(ErrorCode.RequestReplayed, "this signed request was already used");
    }
    this.#seen.set(key, expiry);
    if (this.#seen.size > 200_000) for (const [k, t] of this.#seen) if (t < now) this.#seen.delete(k);
  }
}

/**
 * Checks a quote request's signature exactly as the settlement checks an order's: ECDSA recovered locally
 * (libsecp256k1), else EIP-1271 for a contract wallet.
 */
export class RequestVerifier {
  readonly #digest: (message: QuoteRequestMessage) => Hex;

  constructor(
    readonly domain: { name: string; version: string; chainId: bigint; verifyingContract: Address },
    readonly signatures: SignatureVerifier,
  ) {
    this.#digest = typedDigester(domain, "QuoteRequest", quoteRequestTypes.QuoteRequest);
  }

  verify(message: QuoteRequestMessage, signature: Hex): Promise<boolean> {
    return this.signatures.isValid(message.requester, this.#digest(message), signature);
  }
}
