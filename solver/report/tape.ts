import type { Hex } from "viem";
import { z } from "zod";
import { amountJson, OPTION_DECIMALS } from "../domain/amount.js";
import { type PairAssets, premiumAssetOf } from "../domain/assets.js";
import { instrumentName } from "../domain/instrument.js";
import type { Route } from "../domain/route.js";
import { decodeSeriesId } from "../domain/seriesId.js";
import { SIDES, type TradeSide } from "../domain/side.js";
import { ErrorCode, InternalizerError } from "../errors.js";
import type { Store } from "../store/db.js";
import { quoteTape, type TapeQuery, type TapeRow } from "../store/tape.js";

/** What the report needs of a tape entry: when the quote was priced, its size and route, its order. */
export interface TapeEntry {
  quoteId: Hex;
  createdAt: number;
  seriesId: bigint;
  side: TradeSide;
  amount: bigint;
  route: Route;
  orderHash: Hex | null;
}

/** A tape entry as `GET /v1/quotes/tape` publishes it: amounts as AmountJson, no requester. */
export function tapeJson(r: TapeRow, assets: PairAssets) {
  const terms = decodeSeriesId(r.seriesId);
  const option = { symbol: instrumentName(terms, assets.quote.decimals), decimals: OPTION_DECIMALS };
  const asset = premiumAssetOf(assets, terms);
  return {
    quoteId: r.quoteId,
    createdAt: r.createdAt,
    validUntil: r.validUntil,
    seriesId: r.seriesId.toString(),
    instrument: option.symbol,
    side: r.side,
    amount: amountJson(r.amount, option),
    route: r.route,
    internalAmount: amountJson(r.internalAmount, option),
    premium: amountJson(r.premium, asset),
    ammReferencePremium: amountJson(r.ammReferencePremium, asset),
    orderHash: r.orderHash,
  };
}

/** Where the next page starts: the (createdAt, quoteId) of the last entry of this one. */
export const CURSOR = /^(\d{1,12}):(0x[0-9a-f]{64})$/;

/** One page of the tape from the store, as the endpoint answers it. */
export function tapePage(store: Store, assets: PairAssets, q: TapeQuery) {
  const rows = quoteTape(store, q);
  const last = rows.at(-1);
  return {
    from: q.from,
    to: q.to,
    quotes: rows.map((r) => tapeJson(r, assets)),
    nextCursor: last && rows.length === q.limit ? `${last.createdAt}:${last.quoteId.toLowerCase()}` : null,
  };
}

const raw = z.object({ raw: z.string().regex(/^\d{1,78}$/) }).transform((a) => BigInt(a.raw));
const TapeEntrySchema = z.object({
  quoteId: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
  createdAt: z.number().int().nonnegative(),
  seriesId: z.string().regex(/^\d{1,78}$/),
  side: z.enum(SIDES),
  amount: raw,
  route: z.enum(["internal", "amm", "split"]),
  orderHash: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/)
    .nullable(),
});
const TapePageSchema = z.object({ quotes: z.array(TapeEntrySchema), nextCursor: z.string().regex(CURSOR).nullable() });

/**
 * Reads the whole tape page by page through `page` (the store in the solver, the public API in the CLI) and
 * parses every entry with the same schema, so both build the report on the same entries.
 */
export async function readTape(page: (cursor: string | null) => Promise<unknown>): Promise<TapeEntry[]> {
  const entries: TapeEntry[] = [];
  for (let cursor: string | null = null; ; ) {
    const parsed = TapePageSchema.safeParse(await page(cursor));
    if (!parsed.success)
      throw new InternalizerError(ErrorCode.ApiUnavailable, "the quote tape answered in another shape");
    for (const q of parsed.data.quotes) {
      entries.push({
        quoteId: q.quoteId.toLowerCase() as Hex,
        createdAt: q.createdAt,
        seriesId: BigInt(q.seriesId),
        side: q.side,
        amount: q.amount,
        route: q.route,
        orderHash: q.orderHash === null ? null : (q.orderHash.toLowerCase() as Hex),
      });
    }
    if (parsed.data.nextCursor === null || parsed.data.nextCursor === cursor) return entries;
    cursor = parsed.data.nextCursor;
  }
}
