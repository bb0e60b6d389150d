import { type Address, getAddress, isAddress } from "viem";
import { z } from "zod";
import { LimitsPatchSchema, VolSliceSchema } from "../config/schema.js";
import { SIDES } from "../domain/side.js";

const MAX_UINT256 = 2n ** 256n - 1n;

/** A non-negative decimal integer string (JSON carries on-chain amounts as strings), at most uint256. */
export const uintString = z
  .string()
  .max(78)
  .regex(/^(0|[1-9][0-9]*)$/, "a non-negative decimal integer string")
  .transform((v) => BigInt(v))
  .refine((v) => v <= MAX_UINT256, "above uint256");

/** A positive amount: at least one base unit. */
export const positiveUint = uintString.refine((v) => v > 0n, "must be positive");

/** A 20-byte address, all lowercase or with a correct EIP-55 checksum (a wrong checksum is a typo). */
export const address = z
  .string()
  .max(42)
  .refine((v) => isAddress(v, { strict: true }), "a 20-byte hex address, all lowercase or EIP-55 checksummed")
  .transform((v) => getAddress(v) as Address);

export const bytes32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, "32 bytes of hex")
  .transform((v) => v.toLowerCase() as `0x${string}`);

/** An ECDSA signature (65 bytes, or 64 in EIP-2098 form) or an EIP-1271 wallet's (any length up to 4 KiB). */
export const signature = z
  .string()
  .regex(/^0x([0-9a-fA-F]{2}){64,4096}$/, "a hex signature")
  .transform((v) => v as `0x${string}`);

export const side = z.enum(SIDES);

/** A series named by its id (a decimal uint256 string) or its instrument name (ETH-7DEC26-3000-C). */
export const seriesText = z
  .string()
  .max(78)
  .refine(
    (v) =>
      (/^(0|[1-9][0-9]*)$/.test(v) && BigInt(v) <= MAX_UINT256) ||
      /^[A-Za-z]{2,10}-\d{1,2}[A-Za-z]{3}\d{2}-\d{1,12}(\.\d{1,18})?-[CPcp]$/.test(v),
    "a series id (decimal) or an instrument name like ETH-7DEC26-3000-C",
  );

/** POST /v1/rfq */
export const RfqBody = z.strictObject({
  chainId: z.number().int().positive(),
  request: z.strictObject({
    requester: address,
    seriesId: seriesText,
    side,
    amount: positiveUint,
    nonce: uintString,
    expiry: uintString,
  }),
  signature,
});
export type RfqBody = z.infer<typeof RfqBody>;

/** POST /v1/orders */
export const OrderBody = z.strictObject({
  intent: z.strictObject({
    user: address,
    seriesId: seriesText,
    side,
    amount: positiveUint,
    limitPremium: uintString,
    deadline: uintString,
    nonce: uintString,
    recipient: address,
    exclusiveSolver: address,
    quoteId: bytes32,
  }),
  signature,
});
export type OrderBody = z.infer<typeof OrderBody>;

export const OrderHashParam = z.strictObject({ hash: bytes32 });
/** A path's series: anything id- or name-like is looked up (and is SERIES_UNKNOWN if it names nothing). */
export const SeriesParam = z.strictObject({
  series: z
    .string()
    .max(80)
    .regex(/^[0-9A-Za-z.-]+$/, "a series id or an instrument name"),
});

/** POST /v1/orders/:hash/cancel: the user's EIP-712 CancelOrder signature. */
export const CancelBody = z.strictObject({ signature });

/** GET /v1/orders?user=… (with an Access proof in the authorization header). */
export const OrdersQuery = z.strictObject({
  user: address,
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** An Access proof, as the stream's subscribe message carries it. */
export const AccessProofSchema = z.strictObject({
  account: address,
  expiry: uintString,
  signature,
});

/** Admin: POST /v1/admin/vol (set the solver's own smile for an expiry, unix seconds). */
export const VolBody = VolSliceSchema.extend({ expiry: z.number().int().positive() }).strict();

/** Admin: PUT /v1/admin/limits (change some risk limits). */
export const LimitsBody = LimitsPatchSchema;

/** Admin: GET /v1/admin/pnl?block=N */
export const PnlQuery = z.strictObject({
  block: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, "a block number")
    .transform((v) => BigInt(v))
    .optional(),
});

/** How many points of a time series to sample between the deployment and the latest block. */
export const HistoryQuery = z.strictObject({ points: z.coerce.number().int().min(2).max(200).default(40) });
