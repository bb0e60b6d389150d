import type { Address, Hex } from "viem";
import type { KeeperAction } from "../keeper/expiryKeeper.js";
import type { Store } from "./db.js";

/** A keeper action as stored, with the spot (USD) its gas is valued at. */
export type StoredKeeperAction = KeeperAction & { spot: number };

export function insertKeeperAction(store: Store, a: StoredKeeperAction): void {
  store
    .prepare(
      `INSERT OR IGNORE INTO keeper_actions (tx_hash, block, at, action, series_id, account, amount, payout, gas_cost, spot)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      a.txHash,
      a.block,
      a.at,
      a.action,
      a.seriesId.toString(),
      a.account,
      a.amount.toString(),
      a.payout.toString(),
      a.gasCost.toString(),
      a.spot,
    );
}

/** Keeper actions mined at or before `block`, oldest first. */
export function keeperActionsUpTo(store: Store, block: number = Number.MAX_SAFE_INTEGER): StoredKeeperAction[] {
  const rows = store.prepare("SELECT * FROM keeper_actions WHERE block <= ? ORDER BY block").all(block) as Array<
    Record<string, string | number>
  >;
  return rows.map((r) => ({
    txHash: r.tx_hash as Hex,
    block: Number(r.block),
    at: Number(r.at),
    action: r.action as KeeperAction["action"],
    seriesId: BigInt(r.series_id as string),
    account: r.account as Address,
    amount: BigInt(r.amount as string),
    payout: BigInt(r.payout as string),
    gasCost: BigInt(r.gas_cost as string),
    spot: Number(r.spot),
  }));
}
