import { type Address, getAddress, type Hex } from "viem";
import { z } from "zod";
import { SIDES } from "../domain/side.js";

/** The API's JSON, parsed into the SDK's types: the same field names, amounts' `raw` as bigint. */
const big = z
  .string()
  .regex(/^-?\d+$/)
  .transform((v) => BigInt(v));
const hex = z
  .string()
  .regex(/^0x[0-9a-fA-F]*$/)
  .transform((v) => v as Hex);
const addr = z.string().transform((v) => getAddress(v) as Address);

/** An amount that settles: exact base units (`raw`), and the same in the asset's units for people. */
export const Amount = z.object({ raw: big, decimals: z.number(), symbol: z.string(), formatted: z.string() });
export type Amount = z.output<typeof Amount>;

const error = z.object({ code: z.string(), reason: z.string() }).nullable();

export const QuoteJson = z.object({
  quoteId: hex,
  requester: addr,
  seriesId: big,
  instrument: z.string(),
  side: z.enum(SIDES),
  amount: Amount,
  premiumAsset: addr,
  premium: Amount,
  limitPremium: Amount,
  ammReferencePremium: Amount,
  improvement: Amount,
  improvementBps: z.number(),
  route: z.enum(["internal", "amm", "split"]),
  reason: z.string(),
  internalAmount: Amount,
  ammAmount: Amount,
  /** Chain time (unix seconds) after which the quote cannot fill. */
  validUntil: z.number(),
  createdAt: z.number(),
});

export type QuoteFields = z.output<typeof QuoteJson>;

export const QuoteResponse = z.discriminatedUnion("status", [
  z.object({ status: z.literal("quoted"), solver: addr, signature: hex, quote: QuoteJson }),
  z.object({ status: z.literal("declined"), code: z.string(), message: z.string(), details: z.unknown().optional() }),
]);

export const OrderJson = z.object({
  orderHash: hex,
  quoteId: hex,
  user: addr,
  seriesId: big,
  instrument: z.string(),
  side: z.enum(SIDES),
  amount: Amount,
  limitPremium: Amount,
  nonce: big,
  deadline: z.number(),
  status: z.enum(["accepted", "submitted", "filled", "failed", "cancelled"]),
  txHash: hex.nullable(),
  error,
  createdAt: z.number(),
  updatedAt: z.number(),
  trail: z.array(z.object({ status: z.string(), at: z.number(), txHash: hex.nullable(), error })).optional(),
});
export type Order = z.output<typeof OrderJson>;

export const SeriesJson = z.object({
  seriesId: big,
  instrument: z.string(),
  strike: Amount,
  expiry: z.number(),
  isCall: z.boolean(),
  premiumAsset: z.object({ address: addr, symbol: z.string(), decimals: z.number() }),
  model: Amount,
  bid: Amount,
  ask: Amount,
  ammBid: Amount.nullable(),
  ammAsk: Amount.nullable(),
  vol: z.number(),
  delta: z.number(),
});
export type Series = z.output<typeof SeriesJson>;
export const SeriesList = z.object({ chainTime: z.number(), spot: z.number(), series: z.array(SeriesJson) });
export type SeriesList = z.output<typeof SeriesList>;

export const Health = z.object({
  status: z.string(),
  chainId: z.number(),
  settlement: addr,
  solver: addr,
  chainTime: z.number(),
});

export const ApiErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
