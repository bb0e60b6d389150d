import { type Limits, LimitsSchema } from "../config/schema.js";
import type { Logger } from "../log.js";

/**
 * The risk limits in force: the config's, until the operator sets new ones. A change is validated as the
 * config is, logged with the old and new values, and never written into the loaded config.
 */
export class RiskLimits {
  #current: Limits;

  constructor(
    initial: Limits,
    readonly log: Logger,
  ) {
    this.#current = Object.freeze(LimitsSchema.parse(initial));
  }

  get current(): Limits {
    return this.#current;
  }

  /** Replaces some limits; throws the schema's ZodError (nothing changes) when the result is invalid. */
  set(patch: Partial<Limits>): Limits {
    const next = Object.freeze(LimitsSchema.parse({ ...this.#current, ...patch }));
    this.log.warn({ previous: this.#current, limits: next }, "risk limits changed by the operator");
    this.#current = next;
    return next;
  }
}
