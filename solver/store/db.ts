import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { ErrorCode, InternalizerError } from "../errors.js";

/**
 * The solver's embedded database: SQLite through Node's built-in `node:sqlite`. No server, no native
 * build (better-sqlite3 compiles from source here), synchronous so a quote and its reservation commit in
 * one transaction without interleaving, WAL so that readers never block the writer.
 */
/** How long a write-behind record may wait for its group commit. */
export const WRITE_BEHIND_MS = 5;

export class Store {
  readonly db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  #batch: Array<{ write: () => void; onError: (error: unknown) => void }> = [];
  #timer: NodeJS.Timeout | null = null;

  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    // WAL with synchronous=NORMAL: a committed transaction survives a crash of the process (the case the
    // recovery is built for) without an fsync per quote; only an OS crash could lose the last ones.
    this.db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
    this.#checkVersion();
    this.db.exec(SCHEMA);
  }

  /** A prepared statement, compiled once per SQL text: compiling costs more than running on the quote path. */
  prepare(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs `fn` in one transaction: all of it commits or none of it does. Queued writes commit first. */
  transaction<T>(fn: () => T): T {
    this.flushPending();
    return this.#transaction(fn);
  }

  #transaction<T>(fn: () => T): T {
    this.prepare("BEGIN IMMEDIATE").run();
    try {
      const out = fn();
      this.prepare("COMMIT").run();
      return out;
    } catch (error) {
      this.prepare("ROLLBACK").run();
      if (error instanceof InternalizerError) throw error;
      throw new InternalizerError(ErrorCode.StoreFailed, "database transaction failed", { cause: error });
    }
  }

  /**
   * Write-behind: queues `write` to commit within `WRITE_BEHIND_MS` with whatever else is queued, without
   * making the caller wait. For records whose loss in a crash is harmless (a firm quote: an order for a
   * quote the solver no longer knows is refused). Every transaction and every `flushPending` commits the
   * queue first, so later writes and reads always see it.
   */
  writeBehind(write: () => void, onError: (error: unknown) => void): void {
    this.#batch.push({ write, onError });
    this.#timer ??= setTimeout(() => this.#flush(), WRITE_BEHIND_MS);
  }

  /** Commits queued writes now (before reading what they wrote). */
  flushPending(): void {
    if (this.#batch.length > 0) this.#flush();
  }

  #flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const batch = this.#batch;
    this.#batch = [];
    if (batch.length === 0) return;
    // Each write in its own savepoint: one failing write rolls back alone and is reported alone.
    const failed: Array<() => void> = [];
    try {
      this.#transaction(() => {
        for (const item of batch) {
          // Prepared once (transaction control compiles like any statement: a quarter of a quote's write).
          this.prepare("SAVEPOINT item").run();
          try {
            item.write();
            this.prepare("RELEASE item").run();
          } catch (error) {
            this.prepare("ROLLBACK TO item").run();
            this.prepare("RELEASE item").run();
            failed.push(() =>
              item.onError(new InternalizerError(ErrorCode.StoreFailed, "database write failed", { cause: error })),
            );
          }
        }
      });
    } catch (error) {
      for (const item of batch) item.onError(error);
      return;
    }
    for (const report of failed) report();
  }

  /**
   * The schema has a version (SQLite's user_version). A database written by an older version is refused,
   * not half-read: it belongs to a devnet that no longer exists, or must be moved away by the operator.
   */
  #checkVersion(): void {
    const { user_version: version } = this.db.prepare("PRAGMA user_version").get() as { user_version: number };
    const tables = this.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as {
      n: number;
    };
    if (tables.n > 0 && version !== SCHEMA_VERSION) {
      this.db.close();
      throw new InternalizerError(
        ErrorCode.StoreMismatch,
        `the database has schema version ${version}, this solver writes ${SCHEMA_VERSION}; move it away or set DB_PATH`,
      );
    }
    this.db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
  }

  meta(key: string): string | undefined {
    const row = this.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.prepare(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    ).run(key, value);
  }

  close(): void {
    this.flushPending();
    this.db.close();
  }
}

/** Bumped on every change to SCHEMA. */
const SCHEMA_VERSION = 3;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS quotes (
  quote_id TEXT PRIMARY KEY,
  requester TEXT NOT NULL,
  series_id TEXT NOT NULL,
  side TEXT NOT NULL,
  amount TEXT NOT NULL,
  route TEXT NOT NULL,
  reason TEXT NOT NULL,
  internal_amount TEXT NOT NULL,
  internal_premium TEXT NOT NULL,
  mint_amount TEXT NOT NULL,
  amm_amount TEXT NOT NULL,
  amm_premium TEXT NOT NULL,
  amm_bound TEXT NOT NULL,
  internal_reference TEXT NOT NULL,
  amm_reference TEXT NOT NULL,
  premium TEXT NOT NULL,
  limit_premium TEXT NOT NULL,
  solver_edge TEXT NOT NULL,
  spot REAL NOT NULL,
  model_value REAL NOT NULL,
  valid_until INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  status TEXT NOT NULL
);
DROP INDEX IF EXISTS quotes_status;
CREATE INDEX IF NOT EXISTS quotes_open ON quotes (status, valid_until);
CREATE INDEX IF NOT EXISTS quotes_created ON quotes (created_at);
CREATE TABLE IF NOT EXISTS reservations (
  quote_id TEXT PRIMARY KEY REFERENCES quotes (quote_id),
  series_id TEXT NOT NULL,
  longs TEXT NOT NULL,
  shorts TEXT NOT NULL,
  weth_in TEXT NOT NULL,
  usdc_in TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS reservations_expiry ON reservations (expires_at);
CREATE TABLE IF NOT EXISTS orders (
  order_hash TEXT PRIMARY KEY,
  quote_id TEXT NOT NULL UNIQUE REFERENCES quotes (quote_id),
  user TEXT NOT NULL,
  intent TEXT NOT NULL,
  signature TEXT NOT NULL,
  params TEXT NOT NULL,
  status TEXT NOT NULL,
  tx_hash TEXT,
  error_code TEXT,
  error_reason TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_status ON orders (status);
CREATE INDEX IF NOT EXISTS orders_user ON orders (user, created_at);
CREATE TABLE IF NOT EXISTS order_events (
  order_hash TEXT NOT NULL REFERENCES orders (order_hash),
  seq INTEGER NOT NULL,
  at INTEGER NOT NULL,
  status TEXT NOT NULL,
  tx_hash TEXT,
  error_code TEXT,
  error_reason TEXT,
  PRIMARY KEY (order_hash, seq)
);
CREATE TABLE IF NOT EXISTS capital_flows (
  tx_hash TEXT NOT NULL,
  log_index INTEGER NOT NULL,
  block INTEGER NOT NULL,
  asset TEXT NOT NULL,
  amount TEXT NOT NULL,
  PRIMARY KEY (tx_hash, log_index)
);
CREATE TABLE IF NOT EXISTS keeper_actions (
  tx_hash TEXT PRIMARY KEY,
  block INTEGER NOT NULL,
  at INTEGER NOT NULL,
  action TEXT NOT NULL,
  series_id TEXT NOT NULL,
  account TEXT NOT NULL,
  amount TEXT NOT NULL,
  payout TEXT NOT NULL,
  gas_cost TEXT NOT NULL,
  spot REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS fills (
  order_hash TEXT PRIMARY KEY,
  tx_hash TEXT NOT NULL,
  block INTEGER NOT NULL,
  log_index INTEGER NOT NULL,
  user TEXT NOT NULL,
  solver TEXT NOT NULL,
  series_id TEXT NOT NULL,
  side INTEGER NOT NULL,
  internal_amount TEXT NOT NULL,
  amm_amount TEXT NOT NULL,
  premium TEXT NOT NULL,
  internal_premium TEXT NOT NULL,
  amm_reference TEXT NOT NULL,
  timestamp INTEGER NOT NULL,
  spot REAL NOT NULL,
  model_value REAL NOT NULL,
  gas_used TEXT NOT NULL,
  markout_due INTEGER NOT NULL,
  markout_bps REAL,
  markout_usd REAL,
  recipient TEXT NOT NULL,
  fee TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS fills_series ON fills (series_id);
CREATE INDEX IF NOT EXISTS fills_markout ON fills (markout_due) WHERE markout_bps IS NULL;
CREATE TABLE IF NOT EXISTS hedges (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tx_hash TEXT UNIQUE,
  status TEXT NOT NULL,
  at INTEGER NOT NULL,
  block INTEGER,
  sell TEXT NOT NULL,
  amount_in TEXT NOT NULL,
  min_out TEXT NOT NULL,
  weth_delta TEXT NOT NULL DEFAULT '0',
  usdc_delta TEXT NOT NULL DEFAULT '0',
  mid REAL NOT NULL,
  delta_before_usd REAL NOT NULL,
  gas_cost TEXT NOT NULL DEFAULT '0',
  attempt INTEGER NOT NULL,
  error TEXT
);
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;
