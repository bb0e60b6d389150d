import type { BookChange } from "./inventory.js";

/** Inventory and limit headroom held for a firm quote until it expires, fills or is released. */
export interface Reservation {
  quoteId: string;
  change: BookChange;
  /** Unix seconds after which the reservation no longer counts. */
  expiresAt: number;
}
