/**
 * Flow segments: requests alike in size, moneyness and tenor, whose past markouts say how this kind of
 * request has tended to go for the solver, whoever sent it.
 */
import { signedMoneyness } from "./features.js";

/** What places a request in a segment. */
export interface SegmentKey {
  amount: number;
  strike: number;
  spot: number;
  tenorYears: number;
  isCall: boolean;
}

/** Size buckets, options: up to 5 small, up to 20 medium, above large. */
const SIZE_BUCKETS = [
  { upTo: 5, name: "small" },
  { upTo: 20, name: "medium" },
  { upTo: Number.POSITIVE_INFINITY, name: "large" },
] as const;
/**
 * Buckets of log-moneyness signed out of the money positive (`signedMoneyness`). The money band is ±3.5%:
 * half the strip's 200-USD step at 3000, so about one strike per expiry is "atm".
 */
const MONEYNESS_BUCKETS = [
  { upTo: -0.035, name: "itm" },
  { upTo: 0.035, name: "atm" },
  { upTo: 0.12, name: "otm" },
  { upTo: Number.POSITIVE_INFINITY, name: "wing" },
] as const;
/** Tenor buckets, days: up to 10 (weeklies), up to 45 (monthlies), above long. */
const TENOR_BUCKETS = [
  { upTo: 10, name: "week" },
  { upTo: 45, name: "month" },
  { upTo: Number.POSITIVE_INFINITY, name: "long" },
] as const;

function bucket(value: number, buckets: ReadonlyArray<{ upTo: number; name: string }>): string {
  return buckets.find((b) => value <= b.upTo)!.name;
}

/**
 * The segment of a request: "size/moneyness/tenor", e.g. "small/atm/week". Each bucket includes its upper
 * bound: 5 options is small, a moneyness of exactly 3.5% OTM is atm, 10 days is a week.
 */
export function segmentOf(x: SegmentKey): string {
  const size = bucket(x.amount, SIZE_BUCKETS);
  const moneyness = bucket(signedMoneyness(x), MONEYNESS_BUCKETS);
  const tenor = bucket(x.tenorYears * 365, TENOR_BUCKETS);
  return `${size}/${moneyness}/${tenor}`;
}

/** An exponentially weighted mean of the solver's markouts per segment (bps of notional). */
export class SegmentMarkouts {
  readonly #alpha: number;
  readonly #segments = new Map<string, { meanBps: number; fills: number }>();

  /** `alpha` in (0, 1]: the weight of each new markout; the first markout of a segment sets its mean. */
  constructor(alpha: number) {
    if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`EWMA alpha must be in (0, 1]: ${alpha}`);
    this.#alpha = alpha;
  }

  /** Folds one markout into its segment's mean. */
  record(segment: string, markoutBps: number): void {
    if (!Number.isFinite(markoutBps)) throw new RangeError(`markout must be finite: ${markoutBps}`);
    const s = this.#segments.get(segment);
    if (!s) this.#segments.set(segment, { meanBps: markoutBps, fills: 1 });
    else {
      s.meanBps += this.#alpha * (markoutBps - s.meanBps);
      s.fills++;
    }
  }

  /** The segment's mean markout, bps; 0 for a segment never seen. */
  mean(segment: string): number {
    return this.#segments.get(segment)?.meanBps ?? 0;
  }

  /** Every seen segment, sorted by name. */
  snapshot(): Array<{ segment: string; meanBps: number; fills: number }> {
    return [...this.#segments]
      .map(([segment, s]) => ({ segment, meanBps: s.meanBps, fills: s.fills }))
      .sort((a, b) => (a.segment < b.segment ? -1 : a.segment > b.segment ? 1 : 0));
  }
}
