import type { Config } from "../config/schema.js";

export type ToxicityParams = Config["toxicity"];

/**
 * A fill's markout from the solver's side, in bps of underlying notional: the option's mark value at the
 * horizon against the fill price. Positive is a gain for the solver; informed flow leaves it negative.
 * @param solverBought True when the user sold to the solver.
 */
export function markoutBps(solverBought: boolean, fillUsd: number, markUsd: number, spot: number): number {
  const pnl = solverBought ? markUsd - fillUsd : fillUsd - markUsd;
  return (pnl / spot) * 10_000;
}

/**
 * Counterparty toxicity: an exponentially weighted mean of the solver's markout losses (bps of notional) on
 * each counterparty's fills, score_n = alpha x loss_n + (1 - alpha) x score_(n-1), with loss = -markout. A
 * counterparty whose fills keep moving against the solver (informed flow) accumulates a positive score; the
 * solver widens its internal price above `widenAboveBps` and routes it to the AMM only above `ammAboveBps`.
 */
export class ToxicityModel {
  readonly #scores = new Map<string, { score: number; fills: number }>();

  constructor(readonly params: ToxicityParams) {}

  record(counterparty: string, markout: number): number {
    const key = counterparty.toLowerCase();
    const prev = this.#scores.get(key);
    const loss = -markout;
    const score = prev ? this.params.alpha * loss + (1 - this.params.alpha) * prev.score : loss;
    this.#scores.set(key, { score, fills: (prev?.fills ?? 0) + 1 });
    return score;
  }

  score(counterparty: string): number {
    return this.#scores.get(counterparty.toLowerCase())?.score ?? 0;
  }

  /** Extra half-spread for this counterparty, in bps of underlying notional (the score's own unit). */
  widenBps(counterparty: string): number {
    const excess = this.score(counterparty) - this.params.widenAboveBps;
    return excess > 0 ? excess * this.params.widenPerBps : 0;
  }

  ammOnly(counterparty: string): boolean {
    return this.score(counterparty) > this.params.ammAboveBps;
  }

  snapshot(): Array<{ counterparty: string; score: number; fills: number }> {
    return [...this.#scores].map(([counterparty, s]) => ({ counterparty, ...s }));
  }
}
