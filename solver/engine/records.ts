import type { Address } from "viem";
import { premiumAssetOf } from "../domain/assets.js";
import { decodeSeriesId } from "../domain/seriesId.js";
import { getQuote, listQuotes } from "../store/quotes.js";
import type { FirmQuote, QuoteStatus } from "../types.js";
import type { EngineContext } from "./context.js";

type Ctx = Pick<EngineContext, "store" | "pair">;

function premiumAsset(ctx: Ctx): (seriesId: bigint) => Address {
  return (seriesId) => premiumAssetOf(ctx.pair.assets, decodeSeriesId(seriesId)).address;
}

/** A quote as recorded, with its status. */
export function quoteById(ctx: Ctx, quoteId: string): (FirmQuote & { status: QuoteStatus }) | undefined {
  return getQuote(ctx.store, quoteId, premiumAsset(ctx));
}

/** Recorded quotes, newest first. */
export function quotesWhere(ctx: Ctx, opts: Parameters<typeof listQuotes>[2] = {}) {
  return listQuotes(ctx.store, premiumAsset(ctx), opts);
}
