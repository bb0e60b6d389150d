import type { Hex } from "viem";
import type { Route } from "../domain/route.js";
import type { TradeSide } from "../domain/side.js";
import type { Store } from "./db.js";

/** One firm quote as the public quote tape shows it: no requester, and the order accepted for it, if any. */
export interface TapeRow {
  quoteId: Hex;
  /** Chain time the quote was priced at. */
  createdAt: number;
  validUntil: number;
  seriesId: bigint;
  side: TradeSide;
  amount: bigint;
  route: Route;
  internalAmount: bigint;
  premium: bigint;
  /** The AMM's price for the whole order when the quote was priced. */
  ammReferencePremium: bigint;
  orderHash: Hex | null;
}

/** Quotes created in [from, to] (chain time), oldest first, after `after` (the last row of the page before). */
export interface TapeQuery {
  from: number;
  to: number;
  limit: number;
  after?: { createdAt: number; quoteId: string };
}

interface Row {
  quote_id: string;
  created_at: number;
  valid_until: number;
  series_id: string;
  side: string;
  amount: string;
  route: string;
  internal_amount: string;
  premium: string;
  amm_reference: string;
  order_hash: string | null;
}

// (created_at, quote_id) orders the tape totally, so a page boundary inside one second loses nothing.
const SQL = `SELECT q.quote_id, q.created_at, q.valid_until, q.series_id, q.side, q.amount, q.route, q.internal_amount,
    q.premium, q.amm_reference, o.order_hash
  FROM quotes q LEFT JOIN orders o ON o.quote_id = q.quote_id
  WHERE q.created_at >= ? AND q.created_at <= ? AND (q.created_at > ? OR (q.created_at = ? AND q.quote_id > ?))
  ORDER BY q.created_at, q.quote_id
  LIMIT ?`;

/** A page of the quote tape. */
export function quoteTape(store: Store, q: TapeQuery): TapeRow[] {
  store.flushPending();
  const afterTime = q.after?.createdAt ?? q.from - 1;
  const afterId = q.after?.quoteId ?? "";
  const rows = store.prepare(SQL).all(q.from, q.to, afterTime, afterTime, afterId, q.limit) as unknown as Row[];
  return rows.map(fromRow);
}

function fromRow(r: Row): TapeRow {
  return {
    quoteId: r.quote_id as Hex,
    createdAt: r.created_at,
    validUntil: r.valid_until,
    seriesId: BigInt(r.series_id),
    side: r.side as TradeSide,
    amount: BigInt(r.amount),
    route: r.route as Route,
    internalAmount: BigInt(r.internal_amount),
    premium: BigInt(r.premium),
    ammReferencePremium: BigInt(r.amm_reference),
    orderHash: r.order_hash as Hex | null,
  };
}
