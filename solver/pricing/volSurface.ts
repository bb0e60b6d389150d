import type { VolSlice } from "../config/schema.js";

export const MIN_VOL = 0.01;
export const MAX_VOL = 5;

/**
 * Vol of a smile at `strike`: atmVol + skew k + curvature k^2 with k = ln(strike / forward), forward =
 * spot e^(rate years), clamped to [1%, 500%]. The same parametrisation as the vault's (VaultPricing.volAt);
 * the solver keeps its own settings.
 */
export function volAt(slice: VolSlice, strike: number, spot: number, years: number, rate: number): number {
  const k = Math.log(strike / spot) - rate * years;
  const vol = slice.atmVol + slice.skew * k + slice.curvature * k * k;
  return Math.min(MAX_VOL, Math.max(MIN_VOL, vol));
}

/** The solver's surface: per-expiry slices with a default for expiries it has no view on. */
export class VolSurface {
  readonly #byExpiry: Map<number, VolSlice>;
  /** Bumped on every change, so that cached valuations know when they are stale. */
  version = 0;

  constructor(
    readonly fallback: VolSlice,
    byExpiry: Record<string, VolSlice> = {},
  ) {
    this.#byExpiry = new Map(Object.entries(byExpiry).map(([expiry, slice]) => [Number(expiry), slice]));
  }

  slice(expiry: number): VolSlice {
    return this.#byExpiry.get(expiry) ?? this.fallback;
  }

  /** The per-expiry slices (unix seconds → slice). */
  slices(): Record<string, VolSlice> {
    return Object.fromEntries([...this.#byExpiry].map(([expiry, slice]) => [String(expiry), { ...slice }]));
  }

  set(expiry: number, slice: VolSlice): void {
    this.#byExpiry.set(expiry, slice);
    this.version++;
  }

  vol(expiry: number, strike: number, spot: number, years: number, rate: number): number {
    return volAt(this.slice(expiry), strike, spot, years, rate);
  }
}
