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

/** With a confidence bound, fewer fills than this are not evidence of anything. */
const MIN_FILLS = 3;

/**
 * Counterparty toxicity: an exponentially weighted mean of the solver's markout losses (bps of notional) on
 * each counterparty's fills, score_n = alpha x loss_n + (1 - alpha) x score_(n-1), with loss = -markout. A
 * counterparty whose fills keep moving against the solver (informed flow) accumulates a positive score; the
 * solver widens its internal price above `widenAboveBps` and routes it to the AMM only above `ammAboveBps`.
 */
export class ToxicityModel {
  readonly #scores = new Map<string, { score: number; variance: number; fills: number }>();

  constructor(readonly params: ToxicityParams) {}

  record(counterparty: string, markout: number): number {
    const key = counterparty.toLowerCase();
    const prev = this.#scores.get(key);
    const loss = -markout;
    const { alpha } = this.params;
    const score = prev ? alpha * loss + (1 - alpha) * prev.score : loss;
    // The EWMA's own variance estimate (West's exponentially weighted form).
    const variance = prev ? (1 - alpha) * (prev.variance + alpha * (loss - prev.score) ** 2) : 0;
    this.#scores.set(key, { score, variance, fills: (prev?.fills ?? 0) + 1 });
    return score;
  }

  score(counterparty: string): number {
    return this.#scores.get(counterparty.toLowerCase())?.score ?? 0;
  }

  /**
   * The score less `confidence` standard errors: what the markouts show beyond their own noise. One
   * option fill's markout over an hour swings by tens of bps either way, so an honest trader's EWMA crosses
   * a few-bps threshold often by chance; the bound only crosses it on a run of losses. With `confidence` 0
   * this is the score itself.
   */
  evidence(counterparty: string): number {
    const s = this.#scores.get(counterparty.toLowerCase());
    const z = this.params.confidence;
    if (!s) return 0;
    if (z === 0) return s.score;
    if (s.fills < MIN_FILLS) return Math.min(s.score, 0);
    const effective = Math.min(s.fills, (2 - this.params.alpha) / this.params.alpha);
    return s.score - z * Math.sqrt(s.variance / effective);
  }

  /** Extra half-spread for this counterparty, in bps of underlying notional (the score's own unit). */
  widenBps(counterparty: string): number {
    const excess = this.evidence(counterparty) - this.params.widenAboveBps;
    return excess > 0 ? excess * this.params.widenPerBps : 0;
  }

  ammOnly(counterparty: string): boolean {
    return this.evidence(counterparty) > this.params.ammAboveBps;
  }

  snapshot(): Array<{ counterparty: string; score: number; fills: number }> {
    return [...this.#scores].map(([counterparty, s]) => ({ counterparty, score: s.score, fills: s.fills }));
  }
}
