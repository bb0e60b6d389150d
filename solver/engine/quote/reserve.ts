import { randomBytes } from "node:crypto";
import type { Hex } from "viem";
import type { RouteDecision } from "../../domain/route.js";
import { ErrorCode, QuoteDeclined } from "../../errors.js";
import type { Capacity } from "../../risk/limits.js";
import { deleteReservation, insertQuote, setQuoteStatus } from "../../store/quotes.js";
import type { FirmQuote } from "../../types.js";
import { bookChange } from "../bookChange.js";
import type { EngineContext } from "../context.js";
import { quoteById } from "../records.js";
import { capacity } from "./capacity.js";
import { commitmentOf } from "./commitment.js";
import type { Priced } from "./price.js";
import type { QuoteCase } from "./resolve.js";

/** Random 32-byte quote ids, drawn from the CSPRNG 256 at a time (one call per id cost 20 µs a quote). */
const quoteIds = (() => {
  let pool = Buffer.alloc(0);
  let at = 0;
  return {
    next(): Hex {
      if (at === pool.length) {
        pool = randomBytes(32 * 256);
        at = 0;
      }
      at += 32;
      return `0x${pool.toString("hex", at - 32, at)}` as Hex;
    },
  };
})();

/**
 * Step 5, reserve: makes the quote firm. Nothing here awaits, so no other quote can take the same headroom
 * between the capacity re-check and the reservation. When open quotes took the capacity the route counted
 * on since, returns the capacity left instead (the caller routes again).
 */
export function reserve(
  ctx: EngineContext,
  q: QuoteCase,
  priced: Priced,
  d: RouteDecision,
  signal?: AbortSignal,
): { quote: FirmQuote } | { left: Capacity } {
  if (signal?.aborted) throw new QuoteDeclined(ErrorCode.BudgetExceeded, "no answer within the time budget");
  const fresh = capacity(ctx, q, priced);
  if (d.internalAmount > fresh.amount) return { left: fresh };
  const { request, terms, snap } = q;
  const quote: FirmQuote = {
    ...d,
    quoteId: quoteIds.next(),
    requester: request.requester,
    seriesId: request.seriesId,
    side: request.side,
    amount: request.amount,
    premiumAsset: snap.premiumAsset(terms).address,
    validUntil: snap.now + ctx.config.quoteTtlSeconds,
    createdAt: snap.now,
    spot: snap.spot.price,
    modelValue: priced.price.model,
  };
  const reservation =
    d.internalAmount > 0n
      ? {
          quoteId: quote.quoteId,
          change: bookChange(terms, request.side, d.internalAmount, d.mintAmount, d.internalPremium),
          expiresAt: quote.validUntil,
        }
      : null;
  const { reservations, commitments } = ctx.book;
  if (reservation) reservations.add(reservation);
  const draw = commitmentOf(ctx, request, terms, d.limitPremium, snap.now);
  const superseded = commitments.add({ ...draw, quoteId: quote.quoteId });
  if (superseded) supersede(ctx, superseded);
  // The row is written behind (within a few ms, before any later transaction or quote read): losing it in
  // a crash only makes the solver refuse an order for a quote it no longer knows, and its reservation
  // would have been lost with it.
  ctx.store.writeBehind(
    () => insertQuote(ctx.store, quote, reservation),
    (error) => {
      reservations.release(quote.quoteId);
      ctx.log.error({ err: error, quoteId: quote.quoteId }, "could not record a quote; it will not be honoured");
    },
  );
  ctx.log.info({ quoteId: quote.quoteId, route: d.route, reason: d.reason, premium: d.premium.toString() }, "quoted");
  return { quote };
}

/** A newer quote from the same requester for the same series and side retires the older one. */
function supersede(ctx: EngineContext, quoteId: string): void {
  ctx.book.reservations.release(quoteId);
  ctx.store.writeBehind(
    () => {
      if (quoteById(ctx, quoteId)?.status === "open") {
        setQuoteStatus(ctx.store, quoteId, "superseded");
        deleteReservation(ctx.store, quoteId);
      }
    },
    (error) => ctx.log.error({ err: error, quoteId }, "could not record a superseded quote"),
  );
}
