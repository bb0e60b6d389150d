import { getAddress, isAddress } from "viem";
import { z } from "zod";

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

export const address = z
  .string()
  .refine((v) => isAddress(v, { strict: false }), "a 20-byte hex address")
  .transform((v) => getAddress(v));

export const bytes32 = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, "32 bytes of hex")
  .transform((v) => v.toLowerCase() as `0x${string}`);

/** An ECDSA signature (65 bytes, or 64 in EIP-2098 form) or an EIP-1271 wallet's (any length up to 4 KiB). */
export const signature = z
  .string()
  .regex(/^0x([0-9a-fA-F]{2}){64,4096}$/, "a hex signature")
  .transform((v) => v as `0x${string}`);

export const side = z.enum(["buy", "sellToClose", "sellToOpen"]);

/** POST /v1/rfq */
export const RfqBody = z.strictObject({
  chainId: z.number().int().positive(),
  request: z.strictObject({
    requester: address,
    seriesId: uintString,
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
    seriesId: uintString,
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

/** Admin: POST /v1/admin/vol (set the solver's own smile for an expiry). */
export const VolBody = z.strictObject({
  expiry: z.number().int().positive(),
  atmVol: z.number().min(0.01).max(5),
  skew: z.number().min(-10).max(10),
  curvature: z.number().min(0).max(100),
});

/** Admin: PUT /v1/admin/limits (replace risk limits). */
export const LimitsBody = z.strictObject({
  maxOrderSize: z.number().positive().optional(),
  maxSeriesPosition: z.number().positive().optional(),
  maxNetDeltaUsd: z.number().positive().optional(),
  maxNetVegaUsd: z.number().positive().optional(),
  maxCollateralUtilisation: z.number().min(0).max(1).optional(),
});
