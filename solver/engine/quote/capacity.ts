import { fromOptions } from "../../inventory/inventory.js";
import { type Capacity, internalCapacity } from "../../risk/limits.js";
import type { EngineContext } from "../context.js";
import type { Priced } from "./price.js";
import type { QuoteCase } from "./resolve.js";

/**
 * Step 2, capacity: how much of the request the solver can fill from its own book within every limit,
 * counting open reservations. `projected` reuses the book the price step projected; without it the book
 * is projected again (the reserve step's re-check, after the awaits in between).
 */
export function capacity(ctx: EngineContext, q: QuoteCase, priced: Priced, projected?: Priced["projected"]): Capacity {
  const { book, config } = ctx;
  const c = internalCapacity({
    ...(projected ?? {}),
    inventory: book.inventory,
    reservations: book.reservations,
    seriesId: q.request.seriesId,
    userBuys: q.userBuys,
    requested: q.request.amount,
    valuation: q.valuation,
    premiumPerOption: priced.price.quote,
    spot: q.snap.spot.price,
    now: q.snap.now,
    surface: q.snap.surface,
    rate: q.snap.rate,
    limits: book.limits.current,
  });
  // Capacity below `minInternalOptions` is not worth an internal leg: treat it as none.
  const min = fromOptions(config.router.minInternalOptions);
  return c.amount > 0n && c.amount < min ? { amount: 0n, limitedBy: c.limitedBy, mint: 0n } : c;
}
