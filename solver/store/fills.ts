import type { Address, Hex } from "viem";
import type { FillRecord } from "../types.js";
import type { Store } from "./db.js";

interface FillRow {
  order_hash: string;
  tx_hash: string;
  block: number;
  log_index: number;
  user: string;
  solver: string;
  series_id: string;
  side: number;
  internal_amount: string;
  amm_amount: string;
  premium: string;
  internal_premium: string;
  amm_reference: string;
  timestamp: number;
  spot: number;
  model_value: number;
  gas_used: string;
  markout_due: number;
  markout_bps: number | null;
  markout_usd: number | null;
  recipient: string;
  fee: string;
}

/** Records a fill once; a second insert of the same order hash is ignored (reconciliation is idempotent). */
export function insertFill(store: Store, f: FillRecord): boolean {
  const result = store
    .prepare(
      `INSERT OR IGNORE INTO fills (order_hash, tx_hash, block, log_index, user, solver, series_id, side, internal_amount,
        amm_amount, premium, internal_premium, amm_reference, timestamp, spot, model_value, gas_used, markout_due,
        markout_bps, markout_usd, recipient, fee)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?)`,
    )
    .run(
      f.orderHash,
      f.txHash,
      f.block,
      f.logIndex,
      f.user,
      f.solver,
      f.seriesId.toString(),
      f.side,
      f.internalAmount.toString(),
      f.ammAmount.toString(),
      f.premium.toString(),
      f.internalPremium.toString(),
      f.ammReference.toString(),
      f.timestamp,
      f.spot,
      f.modelValue,
      f.gasUsed.toString(),
      f.markoutDue,
      f.recipient,
      f.fee.toString(),
    );
  return Number(result.changes) > 0;
}

export function setMarkout(store: Store, orderHash: string, bps: number, usd: number): void {
  store.prepare("UPDATE fills SET markout_bps = ?, markout_usd = ? WHERE order_hash = ?").run(bps, usd, orderHash);
}

export function dueMarkouts(store: Store, now: number): FillRecord[] {
  const rows = store
    .prepare("SELECT * FROM fills WHERE markout_bps IS NULL AND markout_due <= ? ORDER BY markout_due")
    .all(now) as unknown as FillRow[];
  return rows.map(fromRow);
}

export function listFills(store: Store, limit = 1000): FillRecord[] {
  const rows = store.prepare("SELECT * FROM fills ORDER BY block DESC, log_index DESC LIMIT ?").all(limit);
  return (rows as unknown as FillRow[]).map(fromRow);
}

/** Every fill mined at or before `block`, oldest first. */
export function fillsUpTo(store: Store, block: number = Number.MAX_SAFE_INTEGER): FillRecord[] {
  const rows = store.prepare("SELECT * FROM fills WHERE block <= ? ORDER BY block, log_index").all(block);
  return (rows as unknown as FillRow[]).map(fromRow);
}

/** Wallets that received options of a series in this solver's fills (buys). */
export function recipientsOf(store: Store, seriesId: bigint): Address[] {
  const rows = store
    .prepare("SELECT DISTINCT recipient FROM fills WHERE series_id = ? AND side = 0")
    .all(seriesId.toString()) as Array<{ recipient: string }>;
  return rows.map((r) => r.recipient as Address);
}

export function fillCount(store: Store, sinceTimestamp = 0): number {
  const row = store.prepare("SELECT COUNT(*) AS n FROM fills WHERE timestamp >= ?").get(sinceTimestamp) as {
    n: number;
  };
  return Number(row.n);
}

function fromRow(r: FillRow): FillRecord {
  return {
    orderHash: r.order_hash as Hex,
    txHash: r.tx_hash as Hex,
    block: r.block,
    logIndex: r.log_index,
    user: r.user as Address,
    solver: r.solver as Address,
    seriesId: BigInt(r.series_id),
    side: r.side as 0 | 1 | 2,
    internalAmount: BigInt(r.internal_amount),
    ammAmount: BigInt(r.amm_amount),
    premium: BigInt(r.premium),
    internalPremium: BigInt(r.internal_premium),
    ammReference: BigInt(r.amm_reference),
    timestamp: r.timestamp,
    spot: r.spot,
    modelValue: r.model_value,
    gasUsed: BigInt(r.gas_used),
    markoutDue: r.markout_due,
    markoutBps: r.markout_bps,
    markoutUsd: r.markout_usd,
    recipient: r.recipient as Address,
    fee: BigInt(r.fee),
  };
}

/** An account's fills (as the signing user or the recipient), newest first. */
export function fillsOf(store: Store, account: Address, limit = 1000): FillRecord[] {
  const rows = store
    .prepare(
      "SELECT * FROM fills WHERE lower(user) = lower(?) OR lower(recipient) = lower(?) ORDER BY block DESC, log_index DESC LIMIT ?",
    )
    .all(account, account, limit);
  return (rows as unknown as FillRow[]).map(fromRow);
}
