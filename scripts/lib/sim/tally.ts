import { decodeSeriesId } from "../../../solver/domain/seriesId.js";
import { toOptions } from "../../../solver/inventory/inventory.js";
import type { FillRecord } from "../../../solver/types.js";
import { trueValue } from "./labels.js";

/** What one filled order adds to the run's figures. */
export interface FilledOrder {
  fill: FillRecord;
  informed: boolean;
  step: number;
  spot: number;
  /** The AMM's price for the whole order at quote time (premium asset base units). */
  ammReference: bigint;
}

const YEAR_SECONDS = 365 * 86_400;

/**
 * The run's running figures: notional by who traded and where it went, what users paid against what the
 * AMM would have charged, and the AMM legs kept for the vault LPs' markouts at the end.
 */
export class Tally {
  notional = 0;
  internalNotional = 0;
  informedNotional = 0;
  informedInternal = 0;
  noiseNotional = 0;
  noiseInternal = 0;
  improvementWeighted = 0;
  ammWeight = 0;
  cost = 0;
  costAtAmm = 0;
  readonly ammLegs: FilledOrder[] = [];

  add(o: FilledOrder): void {
    const { fill } = o;
    const terms = decodeSeriesId(fill.seriesId);
    const usd = (x: bigint) => (terms.isCall ? (Number(x) / 1e18) * o.spot : Number(x) / 1e6);
    const amount = fill.internalAmount + fill.ammAmount;
    const notional = toOptions(amount) * o.spot;
    const internal = (toOptions(fill.internalAmount) / toOptions(amount)) * notional;
    this.notional += notional;
    this.internalNotional += internal;
    if (o.informed) {
      this.informedNotional += notional;
      this.informedInternal += internal;
    } else {
      this.noiseNotional += notional;
      this.noiseInternal += internal;
    }
    const buy = fill.side === 0;
    const amm = usd(o.ammReference);
    const paid = usd(fill.premium);
    if (amm > 0) {
      this.improvementWeighted += ((buy ? amm - paid : paid - amm) / amm) * 10_000 * amm;
      this.ammWeight += amm;
    }
    this.cost += buy ? paid : -paid;
    this.costAtAmm += buy ? amm : -amm;
    if (fill.ammAmount > 0n) this.ammLegs.push(o);
  }

  /**
   * The vault LPs' markouts on the AMM legs, USD, at the true price `horizonSteps` later: what the vault
   * received (or paid) against the option's value then, from the vault's side; split by who traded.
   */
  lpMarkouts(truePriceAt: (step: number) => number, timeAt: (step: number) => number, horizonSteps: number) {
    const out = { informed: 0, noise: 0 };
    for (const o of this.ammLegs) {
      const { fill } = o;
      const terms = decodeSeriesId(fill.seriesId);
      const at = o.step + horizonSteps;
      const years = Math.max(terms.expiry - (fill.timestamp + (timeAt(at) - timeAt(o.step))), 0) / YEAR_SECONDS;
      const value = trueValue(terms.isCall, Number(terms.strike) / 1e6, truePriceAt(at), years);
      const valueUsd = value * toOptions(fill.ammAmount);
      const premium = fill.premium - fill.internalPremium;
      const premiumUsd = terms.isCall ? (Number(premium) / 1e18) * o.spot : Number(premium) / 1e6;
      const lp = fill.side === 0 ? premiumUsd - valueUsd : valueUsd - premiumUsd;
      out[o.informed ? "informed" : "noise"] += lp;
    }
    return out;
  }
}

/** Sample standard deviation (0 for fewer than two values). */
export function stdev(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
}
