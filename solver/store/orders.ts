import type { Address, Hex } from "viem";
import type { FillParams, Intent } from "../chain/intent.js";
import type { ErrorCode } from "../errors.js";
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
  error_code: string | null;
  error_reason: string | null;
  created_at: number;
  updated_at: number;
}

export function insertOrder(store: Store, o: OrderRecord): void {
  store
    .prepare(
      `INSERT INTO orders (order_hash, quote_id, user, intent, signature, params, status, tx_hash, error_code,
        error_reason, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
      o.errorCode,
      o.errorReason,
      o.createdAt,
      o.updatedAt,
    );
  appendEvent(store, o.orderHash, { status: o.status, at: o.createdAt, txHash: o.txHash });
}

/** One step of an order's audit trail: a status it reached, when (chain time), with its tx or failure. */
export interface OrderEvent {
  status: OrderStatus;
  at: number;
  txHash: Hex | null;
  errorCode: ErrorCode | null;
  errorReason: string | null;
}

function appendEvent(
  store: Store,
  orderHash: string,
  e: {
    status: OrderStatus;
    at: number;
    txHash?: string | null;
    errorCode?: string | null;
    errorReason?: string | null;
  },
): void {
  store
    .prepare(
      `INSERT INTO order_events (order_hash, seq, at, status, tx_hash, error_code, error_reason)
       VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM order_events WHERE order_hash = ?), ?, ?, ?, ?, ?)`,
    )
    .run(orderHash, orderHash, e.at, e.status, e.txHash ?? null, e.errorCode ?? null, e.errorReason ?? null);
}

/** The order's status changes, oldest first. */
export function orderEvents(store: Store, orderHash: string): OrderEvent[] {
  const rows = store
    .prepare("SELECT at, status, tx_hash, error_code, error_reason FROM order_events WHERE order_hash = ? ORDER BY seq")
    .all(orderHash) as Array<{
    at: number;
    status: string;
    tx_hash: string | null;
    error_code: string | null;
    error_reason: string | null;
  }>;
  return rows.map((r) => ({
    status: r.status as OrderStatus,
    at: r.at,
    txHash: r.tx_hash as Hex | null,
    errorCode: r.error_code as ErrorCode | null,
    errorReason: r.error_reason,
  }));
}

/** Moves an order to a new status (at chain time `at`) and appends the step to its audit trail. */
export function updateOrder(
  store: Store,
  orderHash: string,
  fields: {
    status: OrderStatus;
    txHash?: string | null;
    errorCode?: ErrorCode | null;
    errorReason?: string | null;
    params?: FillParams;
    at: number;
  },
): void {
  store
    .prepare(
      `UPDATE orders SET status = ?, tx_hash = COALESCE(?, tx_hash), error_code = ?, error_reason = ?,
        params = COALESCE(?, params), updated_at = ?
       WHERE order_hash = ?`,
    )
    .run(
      fields.status,
      fields.txHash ?? null,
      fields.errorCode ?? null,
      fields.errorReason ?? null,
      fields.params ? stringify(fields.params) : null,
      fields.at,
      orderHash,
    );
  appendEvent(store, orderHash, fields);
}

export function getOrder(store: Store, orderHash: string): OrderRecord | undefined {
  const row = store.prepare("SELECT * FROM orders WHERE order_hash = ?").get(orderHash) as OrderRow | undefined;
  return row ? fromRow(row) : undefined;
}

export function getOrderByQuote(store: Store, quoteId: string): OrderRecord | undefined {
  const row = store.prepare("SELECT * FROM orders WHERE quote_id = ?").get(quoteId) as OrderRow | undefined;
  return row ? fromRow(row) : undefined;
}

/** A user's orders, newest first. */
export function ordersOf(store: Store, user: Address, limit = 100): OrderRecord[] {
  const rows = store.prepare("SELECT * FROM orders WHERE user = ? ORDER BY created_at DESC LIMIT ?").all(user, limit);
  return (rows as unknown as OrderRow[]).map(fromRow);
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
    errorCode: r.error_code as ErrorCode | null,
    errorReason: r.error_reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
