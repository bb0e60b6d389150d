import type { Address, Hex } from "viem";
import type { Route, RouteReason } from "../domain/route.js";
import type { TradeSide } from "../domain/side.js";
import type { BookChange } from "../inventory/inventory.js";
import type { Reservation } from "../inventory/reservation.js";
import type { FirmQuote, QuoteStatus } from "../types.js";
import type { Store } from "./db.js";

interface QuoteRow {
  quote_id: string;
  requester: string;
  series_id: string;
  side: string;
  amount: string;
  route: string;
  reason: string;
  internal_amount: string;
  internal_premium: string;
  mint_amount: string;
  amm_amount: string;
  amm_premium: string;
  amm_bound: string;
  internal_reference: string;
  amm_reference: string;
  premium: string;
  limit_premium: string;
  solver_edge: string;
  spot: number;
  model_value: number;
  valid_until: number;
  created_at: number;
  status: string;
  premium_asset?: string;
}

/** Inserts a quote and its reservation (call inside a transaction). */
export function insertQuote(store: Store, q: FirmQuote, reservation: Reservation | null): void {
  store
    .prepare(
      `INSERT INTO quotes (quote_id, requester, series_id, side, amount, route, reason, internal_amount,
        internal_premium, mint_amount, amm_amount, amm_premium, amm_bound, internal_reference, amm_reference,
        premium, limit_premium, solver_edge, spot, model_value, valid_until, created_at, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')`,
    )
    .run(
      q.quoteId,
      q.requester,
      q.seriesId.toString(),
      q.side,
      q.amount.toString(),
      q.route,
      q.reason,
      q.internalAmount.toString(),
      q.internalPremium.toString(),
      q.mintAmount.toString(),
      q.ammAmount.toString(),
      q.ammPremium.toString(),
      q.ammBound.toString(),
      q.internalReference.toString(),
      q.ammReferencePremium.toString(),
      q.premium.toString(),
      q.limitPremium.toString(),
      q.solverEdge.toString(),
      q.spot,
      q.modelValue,
      q.validUntil,
      q.createdAt,
    );
  if (reservation) insertReservation(store, reservation);
}

export function insertReservation(store: Store, r: Reservation): void {
  const c = r.change;
  store
    .prepare(
      "INSERT INTO reservations (quote_id, series_id, longs, shorts, weth_in, usdc_in, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .run(
      r.quoteId,
      c.seriesId.toString(),
      c.longs.toString(),
      c.shorts.toString(),
      c.wethIn.toString(),
      c.usdcIn.toString(),
      r.expiresAt,
    );
}

export function deleteReservation(store: Store, quoteId: string): void {
  store.prepare("DELETE FROM reservations WHERE quote_id = ?").run(quoteId);
}

export function loadReservations(store: Store): Reservation[] {
  const rows = store.prepare("SELECT * FROM reservations").all() as Array<Record<string, string | number>>;
  return rows.map((r) => {
    const change: BookChange = {
      seriesId: BigInt(r.series_id as string),
      longs: BigInt(r.longs as string),
      shorts: BigInt(r.shorts as string),
      wethIn: BigInt(r.weth_in as string),
      usdcIn: BigInt(r.usdc_in as string),
    };
    return { quoteId: r.quote_id as string, change, expiresAt: Number(r.expires_at) };
  });
}

export function setQuoteStatus(store: Store, quoteId: string, status: QuoteStatus): void {
  store.prepare("UPDATE quotes SET status = ? WHERE quote_id = ?").run(status, quoteId);
}

/** Marks open quotes whose validity ended before `now` as expired and drops expired reservations. */
export function expireQuotes(store: Store, now: number): number {
  return store.transaction(() => {
    const { changes } = store
      .prepare("UPDATE quotes SET status = 'expired' WHERE status = 'open' AND valid_until < ?")
      .run(now);
    store.prepare("DELETE FROM reservations WHERE expires_at < ?").run(now);
    return Number(changes);
  });
}

export function getQuote(
  store: Store,
  quoteId: string,
  premiumAsset: (seriesId: bigint) => Address,
): (FirmQuote & { status: QuoteStatus }) | undefined {
  store.flushPending();
  const row = store.prepare("SELECT * FROM quotes WHERE quote_id = ?").get(quoteId) as QuoteRow | undefined;
  return row ? fromRow(row, premiumAsset) : undefined;
}

export function listQuotes(
  store: Store,
  premiumAsset: (seriesId: bigint) => Address,
  opts: { status?: QuoteStatus; limit?: number } = {},
): Array<FirmQuote & { status: QuoteStatus }> {
  store.flushPending();
  const rows = (opts.status
    ? store.db
        .prepare("SELECT * FROM quotes WHERE status = ? ORDER BY created_at DESC LIMIT ?")
        .all(opts.status, opts.limit ?? 100)
    : store.db
        .prepare("SELECT * FROM quotes ORDER BY created_at DESC LIMIT ?")
        .all(opts.limit ?? 100)) as unknown as QuoteRow[];
  return rows.map((r) => fromRow(r, premiumAsset));
}

function fromRow(r: QuoteRow, premiumAsset: (seriesId: bigint) => Address): FirmQuote & { status: QuoteStatus } {
  const seriesId = BigInt(r.series_id);
  return {
    quoteId: r.quote_id as Hex,
    requester: r.requester as Address,
    seriesId,
    side: r.side as TradeSide,
    amount: BigInt(r.amount),
    route: r.route as Route,
    reason: r.reason as RouteReason,
    premiumAsset: premiumAsset(seriesId),
    premium: BigInt(r.premium),
    limitPremium: BigInt(r.limit_premium),
    ammReferencePremium: BigInt(r.amm_reference),
    internalAmount: BigInt(r.internal_amount),
    internalPremium: BigInt(r.internal_premium),
    mintAmount: BigInt(r.mint_amount),
    ammAmount: BigInt(r.amm_amount),
    ammPremium: BigInt(r.amm_premium),
    ammBound: BigInt(r.amm_bound),
    internalReference: BigInt(r.internal_reference),
    solverEdge: BigInt(r.solver_edge),
    validUntil: r.valid_until,
    createdAt: r.created_at,
    spot: r.spot,
    modelValue: r.model_value,
    status: r.status as QuoteStatus,
  };
}
