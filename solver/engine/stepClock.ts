/** The steps of one quote request, in order: what the per-step latency histogram is labelled by. */
export const QUOTE_STEPS = [
  "queue",
  "verify",
  "assess",
  "price",
  "capacity",
  "route",
  "accounts",
  "reserve",
  "sign",
  "write",
] as const;
export type QuoteStep = (typeof QUOTE_STEPS)[number];

/**
 * Splits one request's time into its steps: each `lap` charges the time since the previous lap to a step
 * (a step lapped twice, as on a retried route, adds up). `performance.now()`: monotonic, sub-millisecond.
 */
export class StepClock {
  readonly laps = new Map<QuoteStep, number>();
  #last: number;

  /** `since`: when the request arrived, if earlier than now (the time until the first lap counts too). */
  constructor(since = performance.now()) {
    this.#last = since;
  }

  lap(step: QuoteStep): void {
    const now = performance.now();
    this.laps.set(step, (this.laps.get(step) ?? 0) + (now - this.#last));
    this.#last = now;
  }
}
