import type { BookChange } from "../inventory/inventory.js";

/** Inventory and limit headroom held for a firm quote until it expires, fills or is released. */
export interface Reservation {
  quoteId: string;
  change: BookChange;
  /** Unix seconds after which the reservation no longer counts. */
  expiresAt: number;
}

/**
 * The open reservations. Every check-and-reserve happens synchronously inside one turn of the event loop,
 * so concurrent quote requests can never both see the same headroom.
 */
export class ReservationBook {
  readonly #byQuote = new Map<string, Reservation>();

  add(r: Reservation): void {
    this.#byQuote.set(r.quoteId, r);
  }

  get(quoteId: string): Reservation | undefined {
    return this.#byQuote.get(quoteId);
  }

  release(quoteId: string): Reservation | undefined {
    const r = this.#byQuote.get(quoteId);
    this.#byQuote.delete(quoteId);
    return r;
  }

  /** Drops reservations that expired before `now`; returns their quote ids. */
  expire(now: number): string[] {
    const gone: string[] = [];
    for (const [id, r] of this.#byQuote) {
      if (r.expiresAt < now) {
        this.#byQuote.delete(id);
        gone.push(id);
      }
    }
    return gone;
  }

  active(now: number): Reservation[] {
    return [...this.#byQuote.values()].filter((r) => r.expiresAt >= now);
  }

  /** The sum of active reservations' changes for one series. */
  pending(seriesId: bigint, now: number): Omit<BookChange, "seriesId"> {
    const out = { longs: 0n, shorts: 0n, wethIn: 0n, usdcIn: 0n };
    for (const r of this.#byQuote.values()) {
      if (r.expiresAt < now || r.change.seriesId !== seriesId) continue;
      out.longs += r.change.longs;
      out.shorts += r.change.shorts;
      out.wethIn += r.change.wethIn;
      out.usdcIn += r.change.usdcIn;
    }
    return out;
  }

  get size(): number {
    return this.#byQuote.size;
  }
}
