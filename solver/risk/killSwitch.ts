import type { Config } from "../config/schema.js";
import { ErrorCode, QuoteDeclined } from "../errors.js";
import type { Logger } from "../log.js";
import type { Store } from "../store/db.js";

/** Why quoting stopped. */
export const StopReason = {
  Drawdown: "DRAWDOWN",
  FillBurst: "FILL_BURST",
  OracleStale: "ORACLE_STALE",
  ChainUnreachable: "CHAIN_UNREACHABLE",
  Manual: "MANUAL",
  HedgeFailed: "HEDGE_FAILED",
} as const;
export type StopReason = (typeof StopReason)[keyof typeof StopReason];

export interface KillSwitchState {
  paused: boolean;
  reason: StopReason | null;
  detail: string | null;
  since: number | null;
}

const KEY = "kill_switch";

/**
 * Stops quoting on a PnL drawdown, a burst of fills, a stale oracle or an unreachable chain, with the
 * reason, and stays stopped (across restarts) until the operator resumes. An unreachable chain is the one
 * stop that lifts itself, once the chain answers again: nothing about the book changed while it was down.
 */
export class KillSwitch {
  #state: KillSwitchState;
  readonly #fills: number[] = [];

  constructor(
    readonly params: Config["killSwitch"],
    readonly store: Store,
    readonly log: Logger,
  ) {
    const saved = store.meta(KEY);
    this.#state = saved
      ? (JSON.parse(saved) as KillSwitchState)
      : { paused: false, reason: null, detail: null, since: null };
  }

  get state(): KillSwitchState {
    return { ...this.#state };
  }

  get paused(): boolean {
    return this.#state.paused;
  }

  /** Stops quoting. The first reason stands until resumed. */
  trip(reason: StopReason, detail: string, now: number): void {
    if (this.#state.paused) return;
    this.#state = { paused: true, reason, detail, since: now };
    this.store.setMeta(KEY, JSON.stringify(this.#state));
    this.log.warn({ reason, detail }, "kill switch tripped: quoting stopped");
  }

  resume(): void {
    if (!this.#state.paused) return;
    this.log.info({ previous: this.#state.reason }, "quoting resumed");
    this.#state = { paused: false, reason: null, detail: null, since: null };
    this.#fills.length = 0;
    this.store.setMeta(KEY, JSON.stringify(this.#state));
  }

  /** Throws the decline a request gets while stopped. */
  assertQuoting(): void {
    if (this.#state.paused) {
      throw new QuoteDeclined(ErrorCode.SolverPaused, `solver paused: ${this.#state.reason}`, {
        details: { reason: this.#state.reason, detail: this.#state.detail, since: this.#state.since },
      });
    }
  }

  checkOracle(updatedAt: number, now: number): void {
    const age = now - updatedAt;
    if (age > this.params.oracleMaxAgeSeconds) this.trip(StopReason.OracleStale, `oracle round is ${age}s old`, now);
  }

  checkDrawdown(drawdownUsd: number, now: number): void {
    if (drawdownUsd > this.params.maxDrawdownUsd) {
      this.trip(StopReason.Drawdown, `drawdown $${drawdownUsd.toFixed(0)} > $${this.params.maxDrawdownUsd}`, now);
    }
  }

  /** Counts a fill; too many within the window trips the switch. */
  recordFill(timestamp: number): void {
    this.#fills.push(timestamp);
    const from = timestamp - this.params.burstWindowSeconds;
    while (this.#fills.length > 0 && this.#fills[0]! < from) this.#fills.shift();
    if (this.#fills.length >= this.params.burstFills) {
      this.trip(
        StopReason.FillBurst,
        `${this.#fills.length} fills within ${this.params.burstWindowSeconds}s`,
        timestamp,
      );
    }
  }

  chainDown(detail: string, now: number): void {
    this.trip(StopReason.ChainUnreachable, detail, now);
  }

  /** The chain answered: lift a stop that was only about the chain. */
  chainUp(): void {
    if (this.#state.paused && this.#state.reason === StopReason.ChainUnreachable) this.resume();
  }
}
