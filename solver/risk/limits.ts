import type { Config } from "../config/schema.js";
import { ErrorCode } from "../errors.js";
import { type BookGreeks, type Inventory, OPTION_UNIT, toOptions } from "../inventory/inventory.js";
import type { OptionValuation } from "../pricing/optionPricer.js";
import type { VolSurface } from "../pricing/volSurface.js";
import type { ReservationBook } from "./reservations.js";

export type Limits = Config["limits"];

/** How much of a request the solver can take on its own book, and what stops it from taking more. */
export interface Capacity {
  /** Options the solver can fill internally, at most the requested amount. */
  amount: bigint;
  /** The binding limit when `amount` is below the request, else null. */
  limitedBy: ErrorCode | null;
  /** For user buys: of `amount`, how many the solver must write (it holds too few longs). */
  mint: bigint;
}

export interface CapacityInput {
  inventory: Inventory;
  reservations: ReservationBook;
  seriesId: bigint;
  /** True when the user buys (the solver sells). */
  userBuys: boolean;
  requested: bigint;
  valuation: OptionValuation;
  /** Premium per option the solver pays or receives, in the premium asset (decimal); for the cash check. */
  premiumPerOption: number;
  spot: number;
  now: number;
  surface: VolSurface;
  rate: number;
  limits: Limits;
  /** The projected book, when the caller already has it for this state (saves projecting twice). */
  book?: Inventory;
  /** Its greeks at this state, when the caller already has them (saves valuing the book twice). */
  greeks?: BookGreeks;
}

/**
 * The book with every active reservation applied: what limits are measured against. Reservations are
 * applied as one summed change per series; the ledger rounds each write's put collateral up on its own,
 * so the projection can understate locked USDC by under one base unit per open reservation.
 */
export function projectedBook(inventory: Inventory, reservations: ReservationBook, now: number): Inventory {
  const projected = inventory.clone();
  for (const [seriesId, change] of reservations.totals(now)) projected.apply({ seriesId, ...change });
  return projected;
}

/**
 * The largest part of a request the solver can fill without breaking a limit, counting every open
 * reservation. Each limit is linear in the amount, so each gives a closed-form bound; the smallest binds.
 * A trade that reduces a limit's usage is never blocked by that limit.
 */
export function internalCapacity(input: CapacityInput): Capacity {
  const { limits, valuation: v, spot } = input;
  const book = input.book ?? projectedBook(input.inventory, input.reservations, input.now);
  const greeks = input.greeks ?? book.greeks(spot, input.now, input.surface, input.rate);
  const position = book.position(input.seriesId);
  // Options the solver's net position moves per option traded: -1 when it sells, +1 when it buys.
  const dir = input.userBuys ? -1 : 1;
  const bounds: Array<[number, ErrorCode]> = [
    [toOptions(input.requested), ErrorCode.SizeTooLarge],
    [headroom(toOptions(position.longs - position.shorts), dir, limits.maxSeriesPosition), ErrorCode.LimitPosition],
    [headroom(greeks.deltaUsd, dir * v.delta * spot, limits.maxNetDeltaUsd), ErrorCode.LimitDelta],
    [headroom(greeks.vegaUsd, (dir * v.vega) / 100, limits.maxNetVegaUsd), ErrorCode.LimitVega],
  ];
  const terms = position.terms;
  const cash = terms.isCall ? book.cash.weth : book.cash.usdc;
  const decimals = terms.isCall ? book.units.underlyingDecimals : book.units.quoteDecimals;
  const cashUnits = Number(cash) / 10 ** decimals;
  // Longs the solver can deliver without writing: held, minus those promised to open quotes (already in book).
  const available = position.longs > 0n ? position.longs : 0n;
  if (input.userBuys) {
    const locked = book.locked();
    const lockedUnits = Number(terms.isCall ? locked.weth : locked.usdc) / 10 ** decimals;
    const collateralPerOption = terms.isCall ? 1 : Number(terms.strike) / 10 ** book.units.quoteDecimals;
    const mintRoom = (limits.maxCollateralUtilisation * (lockedUnits + cashUnits) - lockedUnits) / collateralPerOption;
    bounds.push([toOptions(available) + Math.max(0, mintRoom), ErrorCode.LimitCollateral]);
  } else if (input.premiumPerOption > 0) {
    // Paying premiums spends cash, which raises the share of the asset that is locked: stay within it.
    const locked = book.locked();
    const lockedUnits = Number(terms.isCall ? locked.weth : locked.usdc) / 10 ** decimals;
    const u = limits.maxCollateralUtilisation;
    const spendable = u > 0 ? cashUnits - (lockedUnits * (1 - u)) / u : 0;
    bounds.push([Math.max(0, spendable) / input.premiumPerOption, ErrorCode.LimitCollateral]);
  }
  let best = Number.POSITIVE_INFINITY;
  let limitedBy: ErrorCode | null = null;
  for (const [bound, code] of bounds) {
    if (bound < best) {
      best = bound;
      limitedBy = code;
    }
  }
  const amount = clampAmount(best, input.requested);
  return {
    amount,
    limitedBy: amount < input.requested ? limitedBy : null,
    mint: input.userBuys && amount > available ? amount - available : 0n,
  };
}

/**
 * The largest x >= 0 with |current + slope x| <= max, or +inf when the trade moves usage towards zero
 * (until it crosses zero and grows again on the other side).
 */
export function headroom(current: number, slope: number, max: number): number {
  if (slope === 0) return Math.abs(current) <= max ? Number.POSITIVE_INFINITY : 0;
  const room = slope > 0 ? (max - current) / slope : (max + current) / -slope;
  return Math.max(0, room);
}

function clampAmount(options: number, requested: bigint): bigint {
  if (!(options > 0)) return 0n;
  if (!Number.isFinite(options) || options >= toOptions(requested)) return requested;
  // Floor to base units, then to 1e-6 options to keep amounts tidy.
  const micro = BigInt(Math.floor(options * 1e6));
  const amount = (micro * OPTION_UNIT) / 1_000_000n;
  return amount < requested ? amount : requested;
}
