import type { Address, Hex } from "viem";
import type { FillParams, Intent } from "../chain/intent.js";
import type { OrderRecord, OrderStatus } from "../types.js";
import type { Store } from "./db.js";
import { parse, stringify } from "./json.js";

interface OrderRow {
  order_hash: string;
  quote_id: string;
  user: string;
  intent: string;
  signature: string;
  params: string;
  status: string;
  tx_hash: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
}

export function insertOrder(store: Store, o: OrderRecord): void {
  store
    .prepare(
      `INSERT INTO orders (order_hash, quote_id, user, intent, signature, params, status, tx_hash, error, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      o.orderHash,
      o.quoteId,
      o.user,
      stringify(o.intent),
      o.signature,
      stringify(o.params),
      o.status,
      o.txHash,
      o.error,
      o.createdAt,
      o.updatedAt,
    );
}

export function updateOrder(
  store: Store,
  orderHash: string,
  fields: { status: OrderStatus; txHash?: string | null; error?: string | null; params?: FillParams; at: number },
): void {
  store
    .prepare(
      `UPDATE orders SET status = ?, tx_hash = COALESCE(?, tx_hash), error = ?, params = COALESCE(?, params), updated_at = ?
       WHERE order_hash = ?`,
    )
    .run(
      fields.status,
      fields.txHash ?? null,
      fields.error ?? null,
      fields.params ? stringify(fields.params) : null,
      fields.at,
      orderHash,
    );
}

export function getOrder(store: Store, orderHash: string): OrderRecord | undefined {
  const row = store.prepare("SELECT * FROM orders WHERE order_hash = ?").get(orderHash) as OrderRow | undefined;
  return row ? fromRow(row) : undefined;
}

export function getOrderByQuote(store: Store, quoteId: string): OrderRecord | undefined {
  const row = store.prepare("SELECT * FROM orders WHERE quote_id = ?").get(quoteId) as OrderRow | undefined;
  return row ? fromRow(row) : undefined;
}

export function listOrders(store: Store, statuses: OrderStatus[]): OrderRecord[] {
  const marks = statuses.map(() => "?").join(", ");
  const rows = store.prepare(`SELECT * FROM orders WHERE status IN (${marks}) ORDER BY created_at`).all(...statuses);
  return (rows as unknown as OrderRow[]).map(fromRow);
}

function fromRow(r: OrderRow): OrderRecord {
  return {
    orderHash: r.order_hash as Hex,
    quoteId: r.quote_id as Hex,
    user: r.user as Address,
    intent: parse<Intent>(r.intent),
    signature: r.signature as Hex,
    params: parse<FillParams>(r.params),
    status: r.status as OrderStatus,
    txHash: r.tx_hash as Hex | null,
    error: r.error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
