import type { Address, Hex, PublicClient } from "viem";
import { recoverDigestSigner } from "../chain/ecdsa.js";
import { typedDigester } from "../chain/eip712.js";
import { type QuoteRequestMessage, quoteRequestTypes } from "../chain/rfq.js";
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
 * Checks a quote request's signature: recovered locally for an EOA; for a contract wallet, through its
 * EIP-1271 `isValidSignature` on chain. Code lookups are cached.
 */
export class RequestVerifier {
  readonly #isContract = new Map<string, { value: boolean; at: number }>();

  constructor(
    readonly publicClient: PublicClient,
    readonly domain: { name: string; version: string; chainId: bigint; verifyingContract: Address },
  ) {
    this.#digest = typedDigester(domain, "QuoteRequest", quoteRequestTypes.QuoteRequest);
  }

  readonly #digest: (message: QuoteRequestMessage) => Hex;

  async verify(message: QuoteRequestMessage, signature: Hex): Promise<boolean> {
    const typed = { domain: this.domain, types: quoteRequestTypes, primaryType: "QuoteRequest" as const, message };
    try {
      const recovered = await recoverDigestSigner(this.#digest(message), signature);
      if (recovered.toLowerCase() === message.requester.toLowerCase()) return true;
    } catch {
      // Not a well-formed ECDSA signature: a contract wallet's, or garbage.
    }
    if (!(await this.#contract(message.requester))) return false;
    return this.publicClient.verifyTypedData({ ...typed, address: message.requester, signature });
  }

  async #contract(address: Address): Promise<boolean> {
    const hit = this.#isContract.get(address);
    if (hit && Date.now() - hit.at < 60_000) return hit.value;
    const code = await this.publicClient.getCode({ address });
    const value = code !== undefined && code !== "0x";
    this.#isContract.set(address, { value, at: Date.now() });
    return value;
  }
}
