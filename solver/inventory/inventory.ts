import { payoffs } from "../domain/payoff.js";
import { decodeSeriesId, type SeriesTerms } from "../domain/seriesId.js";
import { type PairUnits, valuerAt } from "../pricing/optionPricer.js";
import type { VolSurface } from "../pricing/volSurface.js";

/** The solver's position in one series: longs it holds (ERC-1155) and shorts it wrote, in option base units. */
export interface SeriesPosition {
  seriesId: bigint;
  terms: SeriesTerms;
  longs: bigint;
  shorts: bigint;
}

/** Cash balances of the solver's account, in token base units. */
export interface Cash {
  weth: bigint;
  usdc: bigint;
}

/** What a fill (or a reservation) does to the solver's book; signs are from the solver's side. */
export interface BookChange {
  seriesId: bigint;
  /** Longs the solver receives (sells by users) or, negative, delivers from what it holds. */
  longs: bigint;
  /** Shorts the solver writes (to deliver more than it holds). */
  shorts: bigint;
  /** Cash in (premium received, negative when paid, collateral locked counted separately). */
  wethIn: bigint;
  usdcIn: bigint;
}

/** Aggregate greeks of the book in USD: dollar delta, dollar gamma per 1% move, vega per vol point, theta per day. */
export interface BookGreeks {
  deltaUsd: number;
  gammaUsd: number;
  vegaUsd: number;
  thetaUsd: number;
  valueUsd: number;
}

export const OPTION_UNIT = 10n ** 18n;

const NONE_SETTLED: ReadonlyMap<bigint, bigint> = new Map();

/**
 * An expired position's value in USD: its longs' payoff minus what its shorts owe the longs, at the
 * settlement price (or `spot` while unsettled). The shorts' collateral is counted apart, as locked cash.
 */
export function expiredValueUsd(
  p: SeriesPosition,
  spot: number,
  settlementPrice: bigint | undefined,
  units: PairUnits,
): number {
  const price = settlementPrice ?? BigInt(Math.round(spot * 10 ** units.quoteDecimals));
  const unit = 10n ** BigInt(units.underlyingDecimals);
  const owed = (amount: bigint) => payoffs(p.terms, price, amount, unit).long;
  const net = owed(p.longs) - owed(p.shorts);
  return p.terms.isCall
    ? (Number(net) / 10 ** units.underlyingDecimals) * spot
    : Number(net) / 10 ** units.quoteDecimals;
}

/** A decimal number of options from the config (sizes, thresholds) in base units, to the nearest 1e-6 option. */
export function fromOptions(options: number): bigint {
  return (BigInt(Math.round(options * 1e6)) * OPTION_UNIT) / 1_000_000n;
}

/** Options (base units) as a decimal number of options, for risk arithmetic only. */
export function toOptions(amount: bigint): number {
  return Number(amount) / 1e18;
}

/**
 * The solver's inventory: positions per series and cash, rebuilt from chain balances at start-up and then
 * kept by applying each fill. Collateral for shorts is locked in the ledger and derived from the shorts.
 */
export class Inventory {
  readonly #positions = new Map<bigint, SeriesPosition>();
  cash: Cash;

  constructor(
    readonly units: PairUnits,
    cash: Cash = { weth: 0n, usdc: 0n },
  ) {
    this.cash = { ...cash };
  }

  position(seriesId: bigint): SeriesPosition {
    let p = this.#positions.get(seriesId);
    if (!p) {
      p = { seriesId, terms: decodeSeriesId(seriesId), longs: 0n, shorts: 0n };
      this.#positions.set(seriesId, p);
    }
    return p;
  }

  positions(): SeriesPosition[] {
    return [...this.#positions.values()].filter((p) => p.longs !== 0n || p.shorts !== 0n);
  }

  /** Replaces a series' position (from chain balances). */
  setPosition(seriesId: bigint, longs: bigint, shorts: bigint): void {
    const p = this.position(seriesId);
    p.longs = longs;
    p.shorts = shorts;
  }

  /** Net position (longs - shorts) in option base units. */
  net(seriesId: bigint): bigint {
    const p = this.#positions.get(seriesId);
    return p ? p.longs - p.shorts : 0n;
  }

  /** An independent copy (used to project reservations onto the book). */
  clone(): Inventory {
    const copy = new Inventory(this.units, this.cash);
    for (const [id, p] of this.#positions) copy.#positions.set(id, { ...p });
    return copy;
  }

  /** Applies a fill. Writing locks collateral, which leaves the solver's cash. */
  apply(change: BookChange): void {
    const p = this.position(change.seriesId);
    p.longs += change.longs;
    p.shorts += change.shorts;
    const collateral = this.collateralFor(p.terms, change.shorts);
    this.cash = {
      weth: this.cash.weth + change.wethIn - (p.terms.isCall ? collateral : 0n),
      usdc: this.cash.usdc + change.usdcIn - (p.terms.isCall ? 0n : collateral),
    };
  }

  /** Collateral of `amount` options of a series, rounded up as the ledger does. */
  collateralFor(terms: SeriesTerms, amount: bigint): bigint {
    if (amount <= 0n) return 0n;
    if (terms.isCall) return amount;
    const unit = 10n ** BigInt(this.units.underlyingDecimals);
    return (terms.strike * amount + unit - 1n) / unit;
  }

  /** Collateral locked for the solver's shorts, per asset. */
  locked(): Cash {
    const out = { weth: 0n, usdc: 0n };
    for (const p of this.#positions.values()) {
      const c = this.collateralFor(p.terms, p.shorts);
      if (p.terms.isCall) out.weth += c;
      else out.usdc += c;
    }
    return out;
  }

  /**
   * Greeks of the whole book at `spot` and `now`, from the solver's surface. An expired series has no greeks
   * and is worth its payoff: at its settlement price once settled, at `spot` until then.
   * @param settled Settlement prices (quote base units per underlying) of settled series.
   */
  greeks(
    spot: number,
    now: number,
    surface: VolSurface,
    rate: number,
    settled: ReadonlyMap<bigint, bigint> = NONE_SETTLED,
  ): BookGreeks {
    const out: BookGreeks = { deltaUsd: 0, gammaUsd: 0, vegaUsd: 0, thetaUsd: 0, valueUsd: 0 };
    const value = valuerAt(spot, now, surface, rate, this.units);
    for (const p of this.#positions.values()) {
      if (p.longs === p.shorts) continue;
      if (p.terms.expiry <= now) {
        out.valueUsd += expiredValueUsd(p, spot, settled.get(p.seriesId), this.units);
        continue;
      }
      const net = toOptions(p.longs - p.shorts);
      const v = value(p.seriesId, p.terms);
      out.deltaUsd += net * v.delta * spot;
      out.gammaUsd += (net * v.gamma * spot * spot) / 100;
      out.vegaUsd += (net * v.vega) / 100;
      out.thetaUsd += (net * v.theta) / 365;
      out.valueUsd += net * v.valueUsd;
    }
    return out;
  }
}
