import type { Hex } from "viem";
import type { Store } from "./db.js";

/** Which asset a hedge swap sold: WETH to shed long delta, USDC to buy WETH against short delta. */
export type HedgeSell = "weth" | "usdc";

/**
 * One hedge attempt. `sent` has a transaction not yet seen mined; `done` is booked (its balance deltas are
 * in the inventory's cash); `failed` never moved a balance (refused before sending, or reverted).
 */
export interface HedgeRecord {
  id: number;
  txHash: Hex | null;
  status: "sent" | "done" | "failed";
  /** Chain time of the decision. */
  at: number;
  block: number | null;
  sell: HedgeSell;
  amountIn: bigint;
  /** The least the swap accepted (QuoterV2's answer less the slippage bound). */
  minOut: bigint;
  /** Signed balance changes of the solver from the swap (+ received, - paid). */
  wethDelta: bigint;
  usdcDelta: bigint;
  /** The reference price (USD per ETH) at the decision: cost and hedge PnL are measured from it. */
  mid: number;
  deltaBeforeUsd: number;
  /** Gas paid, wei. */
  gasCost: bigint;
  attempt: number;
  error: string | null;
}

export type NewHedge = Pick<HedgeRecord, "at" | "sell" | "amountIn" | "minOut" | "mid" | "deltaBeforeUsd" | "attempt">;

/** Records an attempt before it is sent (so a crash between send and receipt leaves a trace); returns its id. */
export function insertHedge(store: Store, h: NewHedge): number {
  const out = store
    .prepare(
      `INSERT INTO hedges (status, at, sell, amount_in, min_out, mid, delta_before_usd, attempt)
       VALUES ('failed', ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(h.at, h.sell, h.amountIn.toString(), h.minOut.toString(), h.mid, h.deltaBeforeUsd, h.attempt);
  return Number(out.lastInsertRowid);
}

export function markHedgeSent(store: Store, id: number, txHash: Hex): void {
  store.prepare("UPDATE hedges SET status = 'sent', tx_hash = ? WHERE id = ?").run(txHash, id);
}

export function markHedgeFailed(store: Store, id: number, error: string): void {
  store.prepare("UPDATE hedges SET status = 'failed', error = ? WHERE id = ?").run(error, id);
}

/** Books a mined swap: its block, balance deltas and gas. */
export function markHedgeDone(
  store: Store,
  id: number,
  done: { block: number; wethDelta: bigint; usdcDelta: bigint; gasCost: bigint },
): void {
  store
    .prepare(
      "UPDATE hedges SET status = 'done', block = ?, weth_delta = ?, usdc_delta = ?, gas_cost = ?, error = NULL WHERE id = ?",
    )
    .run(done.block, done.wethDelta.toString(), done.usdcDelta.toString(), done.gasCost.toString(), id);
}

/** Hedges in `status` (all when absent), oldest first; done ones up to `block` when given. */
export function listHedges(
  store: Store,
  opts: { status?: HedgeRecord["status"]; upToBlock?: number; limit?: number } = {},
): HedgeRecord[] {
  const rows = store
    .prepare(
      `SELECT * FROM hedges WHERE (? IS NULL OR status = ?) AND (? IS NULL OR (block IS NOT NULL AND block <= ?))
       ORDER BY id LIMIT ?`,
    )
    .all(
      opts.status ?? null,
      opts.status ?? null,
      opts.upToBlock ?? null,
      opts.upToBlock ?? null,
      opts.limit ?? 1_000_000,
    ) as Array<Record<string, string | number | null>>;
  return rows.map(rowToHedge);
}

/** The hedge recorded for a transaction, if any. */
export function hedgeByTx(store: Store, txHash: Hex): HedgeRecord | undefined {
  const row = store.prepare("SELECT * FROM hedges WHERE tx_hash = ?").get(txHash) as
    | Record<string, string | number | null>
    | undefined;
  return row ? rowToHedge(row) : undefined;
}

function rowToHedge(r: Record<string, string | number | null>): HedgeRecord {
  return {
    id: Number(r.id),
    txHash: (r.tx_hash as Hex | null) ?? null,
    status: r.status as HedgeRecord["status"],
    at: Number(r.at),
    block: r.block === null ? null : Number(r.block),
    sell: r.sell as HedgeSell,
    amountIn: BigInt(r.amount_in as string),
    minOut: BigInt(r.min_out as string),
    wethDelta: BigInt(r.weth_delta as string),
    usdcDelta: BigInt(r.usdc_delta as string),
    mid: Number(r.mid),
    deltaBeforeUsd: Number(r.delta_before_usd),
    gasCost: BigInt(r.gas_cost as string),
    attempt: Number(r.attempt),
    error: (r.error as string | null) ?? null,
  };
}
