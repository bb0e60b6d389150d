import type { Address } from "viem";

/** What one open quote would take from its requester's account if filled. */
export interface Commitment {
  quoteId: string;
  requester: Address;
  /** What the fill draws on: `asset:<address>` (premium or collateral) or `series:<id>` (options sold). */
  key: string;
  /**
   * What the fill draws on an allowance: `<key>@<spender>` (a buy's premium to the settlement, a sell-to-open's
   * collateral to the ledger). Balances are shared across spenders, allowances are not.
   */
  allowanceKey?: string;
  amount: bigint;
  /** The quote's series and side: a newer quote for the same ones supersedes it. */
  slot: string;
  expiresAt: number;
}

/**
 * The requesters' open quotes and what each would draw from their accounts. A firm quote must be payable
 * together with the requester's other open quotes, so one funded address cannot hold the solver's capacity
 * with many free quotes; and a requester holds at most one open quote per series and side: a newer one
 * supersedes the older (a ticket that refreshes its price keeps one live quote).
 */
export class CommitmentBook {
  readonly #byQuote = new Map<string, Commitment>();
  readonly #bySlot = new Map<string, string>();
  readonly #totals = new Map<string, bigint>();
  /** A lower bound on the earliest expiry, so that `expire` skips the scan until something is due. */
  #earliest = Number.POSITIVE_INFINITY;

  /** What the requester's other open quotes draw on `key`, not counting the one a new quote would supersede. */
  pending(requester: Address, key: string, slot: string, now: number): bigint {
    this.expire(now);
    const own = this.#totals.get(totalKey(requester, key)) ?? 0n;
    const replaced = this.#byQuote.get(this.#bySlot.get(slotKey(requester, slot)) ?? "");
    const same = replaced && (replaced.key === key || replaced.allowanceKey === key);
    return own - (same ? replaced.amount : 0n);
  }

  /** Records a quote's commitment; returns the id of the quote it supersedes, if any. */
  add(c: Commitment): string | null {
    const slot = slotKey(c.requester, c.slot);
    const previous = this.#bySlot.get(slot) ?? null;
    if (previous) this.release(previous);
    this.#byQuote.set(c.quoteId, c);
    this.#bySlot.set(slot, c.quoteId);
    for (const key of keysOf(c)) {
      const k = totalKey(c.requester, key);
      this.#totals.set(k, (this.#totals.get(k) ?? 0n) + c.amount);
    }
    if (c.expiresAt < this.#earliest) this.#earliest = c.expiresAt;
    return previous;
  }

  release(quoteId: string): void {
    const c = this.#byQuote.get(quoteId);
    if (!c) return;
    this.#byQuote.delete(quoteId);
    const slot = slotKey(c.requester, c.slot);
    if (this.#bySlot.get(slot) === quoteId) this.#bySlot.delete(slot);
    for (const key of keysOf(c)) {
      const k = totalKey(c.requester, key);
      const left = (this.#totals.get(k) ?? 0n) - c.amount;
      if (left === 0n) this.#totals.delete(k);
      else this.#totals.set(k, left);
    }
  }

  /** Drops commitments of quotes that expired before `now`. */
  expire(now: number): void {
    if (this.#earliest >= now) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const [id, c] of this.#byQuote) {
      if (c.expiresAt < now) this.release(id);
      else if (c.expiresAt < earliest) earliest = c.expiresAt;
    }
    this.#earliest = earliest;
  }

  get size(): number {
    return this.#byQuote.size;
  }
}

function keysOf(c: Commitment): string[] {
  return c.allowanceKey ? [c.key, c.allowanceKey] : [c.key];
}

function totalKey(requester: Address, key: string): string {
  return `${requester.toLowerCase()}|${key}`;
}

function slotKey(requester: Address, slot: string): string {
  return `${requester.toLowerCase()}|${slot}`;
}
