import type { BookGreeks, Inventory } from "../../inventory/inventory.js";
import { projectedBook } from "../../risk/limits.js";
import type { FlowAssessment } from "../../router/flowGuard.js";
import type { RoutingStrategy } from "../../router/strategies.js";
import type { EngineContext } from "../context.js";
import { type SolverPrice, solverPrice } from "../pricing.js";
import type { QuoteCase } from "./resolve.js";

/** The solver's price for a request, and the book (with open reservations) it was skewed against. */
export interface Priced {
  price: SolverPrice;
  /** The flow step's view of the request (null when the strategy does not use it). */
  flow: FlowAssessment | null;
  /** The book with every open reservation applied, and its greeks: the next step measures limits on them. */
  projected: { book: Inventory; greeks: BookGreeks };
}

/**
 * Step 2, price: model value from the solver's surface, skewed by the projected book's greeks, widened
 * (when the strategy widens for toxicity) for a requester whose markouts look informed, for an oracle or
 * pool that strays from the reference, and by the flow step's measured and expected adverse selection.
 */
export function price(
  ctx: EngineContext,
  strategy: RoutingStrategy,
  q: QuoteCase,
  flow: FlowAssessment | null = null,
): Priced {
  const { book, config } = ctx;
  const projected = projectedBook(book.inventory, book.reservations, q.snap.now);
  const greeks = q.snap.greeks(projected);
  const price = solverPrice({
    valuation: q.valuation,
    book: greeks,
    spot: q.snap.spot.price,
    atmVol: book.surface.slice(q.terms.expiry).atmVol,
    isCall: q.terms.isCall,
    userBuys: q.userBuys,
    toxicWidenBps: strategy.widensForToxicity
      ? book.toxicity.widenBps(q.request.requester) + q.check.widenBps + (flow?.widenBps ?? 0)
      : 0,
    pricing: config.pricing,
    skew: config.skew,
  });
  return { price, flow, projected: { book: projected, greeks } };
}
