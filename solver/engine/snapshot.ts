import { type AssetInfo, premiumAssetOf } from "../domain/assets.js";
import type { SeriesTerms } from "../domain/seriesId.js";
import type { BookGreeks, Inventory } from "../inventory/inventory.js";
import type { Spot } from "../market/marketData.js";
import { type OptionValuation, type PairUnits, valueOption } from "../pricing/optionPricer.js";
import type { VolSurface } from "../pricing/volSurface.js";
import type { EngineContext } from "./context.js";

/**
 * One market state, resolved once per request: chain time, the oracle's spot, the solver's surface, the
 * rate and the pair's units. Everything priced for the request is priced on it, so its steps cannot see
 * two different spots or clocks.
 */
export interface MarketSnapshot {
  readonly now: number;
  readonly spot: Spot;
  readonly surface: VolSurface;
  readonly rate: number;
  readonly units: PairUnits;
  /** Model value and greeks of one option of `terms`. */
  value(terms: SeriesTerms): OptionValuation;
  /** Greeks and value of a whole book. */
  greeks(book: Inventory, settled?: ReadonlyMap<bigint, bigint>): BookGreeks;
  /** The asset a series' premiums are paid in, with its decimals. */
  premiumAsset(terms: Pick<SeriesTerms, "isCall">): AssetInfo;
  /** An amount per option in the premium asset (decimal), in USD. */
  usd(perOption: number, terms: Pick<SeriesTerms, "isCall">): number;
  /** Native gas (`gasUnits` at `gwei`) in the premium asset's base units, at this spot. */
  gasCost(gasUnits: number, gwei: number, terms: Pick<SeriesTerms, "isCall">): bigint;
}

/**
 * The snapshot of the latest block: its chain time and the spot (both cached per block), the spot at the
 * reference price. When the reference cannot be read, the oracle's price stands in: valuations and markouts
 * keep going; quotes check the reference themselves (`resolve`) and decline instead.
 */
export async function latestSnapshot(
  ctx: Pick<EngineContext, "book" | "config" | "pair" | "units" | "market" | "reference">,
): Promise<MarketSnapshot> {
  const [now, oracle] = await Promise.all([ctx.market.chainTime(), ctx.market.spot()]);
  const check = await ctx.reference.check(oracle, now).catch(() => null);
  return snapshotAt(ctx, now, check ? atReference(oracle, check.reference) : oracle);
}

/** The oracle's round with its price replaced by the reference's (its time and round id stay the oracle's). */
export function atReference(oracle: Spot, reference: number): Spot {
  return reference === oracle.price ? oracle : { ...oracle, price: reference };
}

/** The snapshot of `ctx`'s surface and rate at `now` and `spot`. */
export function snapshotAt(ctx: Pick<EngineContext, "book" | "config" | "pair" | "units">, now: number, spot: Spot) {
  const { surface } = ctx.book;
  const { rate } = ctx.config.pricing;
  const snap: MarketSnapshot = {
    now,
    spot,
    surface,
    rate,
    units: ctx.units,
    value: (terms) => valueOption(terms, spot.price, now, surface, rate, ctx.units),
    greeks: (book, settled) => book.greeks(spot.price, now, surface, rate, settled),
    premiumAsset: (terms) => premiumAssetOf(ctx.pair.assets, terms),
    usd: (perOption, terms) => (terms.isCall ? perOption * spot.price : perOption),
    gasCost: (gasUnits, gwei, terms) => {
      const eth = gasUnits * gwei * 1e-9;
      return terms.isCall
        ? BigInt(Math.round(eth * 10 ** ctx.units.underlyingDecimals))
        : BigInt(Math.round(eth * spot.price * 10 ** ctx.units.quoteDecimals));
    },
  };
  return snap;
}
