import { type Address, getAddress, type Hex, isAddress } from "viem";
import { z } from "zod";

const address = z
  .string()
  .refine((v) => isAddress(v, { strict: false }), "not an address")
  .transform((v) => getAddress(v) as Address);
const privateKey = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, "a 32-byte hex private key")
  .transform((v) => v as Hex);
const fraction = z.number().min(0).max(1);

/** One vol smile: vol(k) = atmVol + skew k + curvature k^2, k = ln(strike / forward). Decimals (0.8 = 80%). */
export const VolSliceSchema = z.object({
  atmVol: z.number().min(0.01).max(5),
  skew: z.number().min(-10).max(10),
  curvature: z.number().min(0).max(100),
});
export type VolSlice = z.infer<typeof VolSliceSchema>;

/** Addresses and metadata of a deployment, as written to deployments/<network>.json. */
export const DeploymentSchema = z.object({
  network: z.string(),
  chainId: z.number().int().positive(),
  block: z.number().int().nonnegative(),
  pairId: z.number().int().positive(),
  contracts: z.object({
    weth: address,
    usdc: address,
    oracle: address,
    ledger: address,
    callVault: address,
    putVault: address,
    settlement: address,
  }),
  /** The spot venue the solver hedges on (Uniswap v3, deployed from the official npm artifacts). */
  uniswap: z
    .object({
      factory: address,
      swapRouter: address,
      quoterV2: address,
      positionManager: address,
      /** The WETH/USDC pool. */
      pool: address,
      /** The pool's fee tier, in hundredths of a bp (500 = 0.05%). */
      fee: z.number().int().positive(),
    })
    .optional(),
});
export type Deployment = z.infer<typeof DeploymentSchema>;

/** Each risk limit's bounds (without defaults, so that a partial change never resets the others). */
const limitFields = {
  /** Largest order, in options. */
  maxOrderSize: z.number().positive(),
  /** Largest |net position| per series, in options. */
  maxSeriesPosition: z.number().positive(),
  /** Largest |net delta| of the book, in USD. */
  maxNetDeltaUsd: z.number().positive(),
  /** Largest |net vega| of the book, in USD per vol point. */
  maxNetVegaUsd: z.number().positive(),
  /** Largest share of each collateral asset locked in the ledger. */
  maxCollateralUtilisation: fraction,
};

/** Risk limits: validated at start-up and whenever the operator changes them. */
export const LimitsSchema = z.object({
  maxOrderSize: limitFields.maxOrderSize.default(50),
  maxSeriesPosition: limitFields.maxSeriesPosition.default(150),
  maxNetDeltaUsd: limitFields.maxNetDeltaUsd.default(600_000),
  maxNetVegaUsd: limitFields.maxNetVegaUsd.default(25_000),
  maxCollateralUtilisation: limitFields.maxCollateralUtilisation.default(0.8),
});
/** A change to some limits; the rest stay as they are. */
export const LimitsPatchSchema = z.object(limitFields).partial().strict();
export type Limits = z.infer<typeof LimitsSchema>;

/**
 * The solver's configuration: a JSON file merged with environment variables, validated at start-up.
 * Money amounts that settle are never configured as floats; these are risk and pricing parameters.
 */
export const ConfigSchema = z.object({
  rpcUrl: z.url().default("http://127.0.0.1:8545"),
  deploymentFile: z.string().default("deployments/localhost.json"),
  solverKey: privateKey,
  dbPath: z.string().default("data/solver.db"),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  quoteTtlSeconds: z.number().int().min(5).max(600).default(30),
  pricing: z
    .object({
      /** Continuously compounded risk-free rate. */
      rate: z.number().min(0).max(1).default(0.05),
      /** The solver's own vol surface: a default smile and optional per-expiry overrides (unix seconds). */
      vol: VolSliceSchema.default({ atmVol: 0.75, skew: -0.1, curvature: 0.2 }),
      volByExpiry: z.record(z.string().regex(/^\d+$/), VolSliceSchema).default({}),
      /** The solver's half-spread around its reservation price, in bps of the option's value. */
      halfSpreadBps: z.number().min(0).max(5000).default(60),
      /** A floor on the half-spread per option, in bps of spot (covers tiny model values). */
      minHalfSpreadSpotBps: z.number().min(0).max(100).default(0.5),
    })
    .prefault({}),
  /**
   * Inventory skew (Avellaneda-Stoikov): the reservation price moves by
   * -riskAversion x (S^2 sigma^2 h x netDelta x delta + volOfVol^2 h x netVega x vega) per option.
   */
  skew: z
    .object({
      riskAversion: z.number().min(0).max(1).default(0.00002),
      horizonDays: z.number().positive().max(30).default(1),
      volOfVol: z.number().min(0).max(10).default(1),
    })
    .prefault({}),
  router: z
    .object({
      /** Share of the gap between the AMM's price and the solver's that goes to the user. */
      improvementShare: fraction.default(0.5),
      /** Kept from the AMM's price even when the gap is small, so the on-chain check holds if the AMM moves. */
      safetyBps: z.number().min(0).max(500).default(5),
      gasPriceGwei: z.number().min(0).max(10_000).default(1),
      /** Internal parts smaller than this (options) are not worth a leg of their own. */
      minInternalOptions: z.number().min(0).default(0.01),
      /** Bound on the AMM leg's price move between quote and fill, bps: part of the limit the user signs. */
      ammSlippageBps: z.number().min(0).max(1000).default(50),
      gas: z
        .object({
          internal: z.number().int().positive().default(125_000),
          amm: z.number().int().positive().default(280_000),
          split: z.number().int().positive().default(340_000),
        })
        .prefault({}),
    })
    .prefault({}),
  toxicity: z
    .object({
      /** Markout horizon. */
      horizonSeconds: z.number().int().positive().default(300),
      /** EWMA weight of the newest markout. */
      alpha: fraction.default(0.2),
      /** Score (bps of notional lost per fill, smoothed) above which the solver widens. */
      widenAboveBps: z.number().min(0).default(2),
      /** Added half-spread, in bps of notional, per bp of score above the widening threshold. */
      widenPerBps: z.number().min(0).default(1),
      /** Score above which the counterparty is routed to the AMM only. */
      ammAboveBps: z.number().min(0).default(5),
      /**
       * Standard errors taken off the score before it is compared (0: the score itself): an honest trader's
       * markouts are noisy, and only losses beyond that noise should cost it its prices.
       */
      confidence: z.number().min(0).max(5).default(2),
    })
    .prefault({}),
  /**
   * Where the solver's spot comes from, and how far the oracle and the pool may stray from it. The oracle
   * lags the market by its deviation threshold and heartbeat; informed flow trades on that lag.
   */
  reference: z
    .object({
      source: z.enum(["oracle", "pool", "feed"]).default("oracle"),
      /** An HTTP feed answering `{ "price": number, "timestamp": seconds }` (source "feed"). */
      feedUrl: z.url().optional(),
      /** A feed answer older than this (seconds, wall clock) is not used. */
      feedMaxAgeSeconds: z.number().int().positive().default(60),
      /** The half-spread widens by `widenPerBps` for each bp the oracle or the pool strays beyond this. */
      widenAboveBps: z.number().min(0).default(25),
      widenPerBps: z.number().min(0).default(1),
      /** Beyond this gap between the reference and the oracle or the pool, requests are declined. */
      declineAboveBps: z.number().min(0).default(300),
    })
    .prefault({}),
  /**
   * Delta hedging on the spot venue (Hummingbot's hedge strategy: a hedge venue beside the market-making
   * venue). The book's net delta (options plus spot since the first start) is kept inside a no-trade band.
   */
  hedge: z
    .object({
      enabled: z.boolean().default(false),
      /** Share of the net delta taken off when the band is crossed (hedge_ratio). */
      hedgeRatio: fraction.default(1),
      /** Least half-width of the no-trade band, USD of delta. */
      bandUsd: z.number().min(0).default(20_000),
      /**
       * A hedge must save this many times its cost (price impact, fee, gas): the expected absolute PnL move of
       * the delta over `horizonSeconds` against the swap's cost. The band widens until it does.
       */
      costMultiple: z.number().min(0).default(2),
      /** Largest accepted loss against the pool's quote when the swap lands, bps. */
      maxSlippageBps: z.number().min(0).max(1_000).default(30),
      /** Largest hedge per swap, USD. */
      maxTradeUsd: z.number().positive().default(1_000_000),
      /** Least chain time between two hedge checks, seconds. */
      intervalSeconds: z.number().int().min(0).default(30),
      /** Tries per hedge before the failure is unrecoverable and trips the kill switch. */
      maxAttempts: z.number().int().min(1).max(10).default(3),
      /** How long an unhedged delta is carried between checks, for the band's cost test (seconds). */
      horizonSeconds: z.number().int().positive().default(3600),
      /** Gas of one swap, for the cost estimate. */
      gasUnits: z.number().int().positive().default(130_000),
      /** Seconds a swap may wait for inclusion (its deadline). */
      deadlineSeconds: z.number().int().positive().max(3600).default(120),
    })
    .prefault({}),
  /**
   * The flow model: scores each request's chance of being informed from features that do not depend on
   * who sent it, and the measured adverse selection of the request's segment (size x moneyness x tenor).
   */
  flow: z
    .object({
      enabled: z.boolean().default(true),
      /** The trained model (npm run train); absent: only the segment markouts are priced. */
      modelFile: z.string().default("models/flow-model.json"),
      /** Added half-spread, bps of notional, per bp of the model's expected markout loss. */
      widenPerBps: z.number().min(0).default(2),
      /**
       * Above this probability of informed flow the request goes to the AMM; above `declineAbove`, declined.
       * High on purpose: the model is trained on simulated flow, so below them it only prices.
       */
      ammAbove: fraction.default(0.9),
      declineAbove: fraction.default(0.99),
      /** EWMA weight of a segment's newest markout. */
      segmentAlpha: fraction.default(0.05),
      /** Added half-spread, bps of notional, per bp of a segment's measured markout loss. */
      segmentWidenPerBps: z.number().min(0).default(1),
    })
    .prefault({}),
  limits: LimitsSchema.prefault({}),
  killSwitch: z
    .object({
      maxDrawdownUsd: z.number().positive().default(100_000),
      burstFills: z.number().int().positive().default(30),
      burstWindowSeconds: z.number().int().positive().default(10),
      oracleMaxAgeSeconds: z.number().int().positive().default(3600),
      chainTimeoutMs: z.number().int().positive().default(2000),
    })
    .prefault({}),
  submitter: z
    .object({
      /**
       * How long the first order of a batch waits for others before the solver's tick sends them (0: each tick
       * sends what is queued, every 250 ms).
       */
      batchWindowMs: z.number().int().min(0).max(10_000).default(0),
      maxBatch: z.number().int().min(1).max(50).default(10),
      maxRetries: z.number().int().min(0).max(10).default(3),
      /** How far the fill may improve the user's internal price to meet a moved AMM, in bps of premium. */
      maxRequoteBps: z.number().min(0).max(1000).default(100),
      /**
       * Seconds a settlement transaction may take to be mined. An order is accepted, and sent, only while the
       * next block's earliest time plus this margin is within its deadline, so no fill reverts for expiry.
       */
      inclusionMarginSeconds: z.number().int().min(0).max(600).default(2),
    })
    .prefault({}),
  keeper: z
    .object({
      /** Settle expired series, exercise and redeem the solver's positions, have the vaults collect. */
      enabled: z.boolean().default(true),
      /** Exercise clients' in-the-money longs after expiry on their behalf (the solver pays the gas). */
      exerciseForClients: z.boolean().default(true),
    })
    .prefault({}),
  api: z
    .object({
      host: z.string().default("127.0.0.1"),
      port: z.number().int().min(0).max(65_535).default(8787),
      /** A quote request gets an answer within this budget: a firm quote, or a BUDGET_EXCEEDED decline. */
      quoteBudgetMs: z.number().int().min(10).max(10_000).default(250),
      /** Requests in flight beyond this get 429 BUSY instead of queueing. */
      maxInFlight: z.number().int().min(1).max(100_000).default(512),
      bodyLimitBytes: z.number().int().min(256).max(1_048_576).default(16_384),
      /** Per-requester token bucket: sustained requests per second and burst. */
      ratePerSecond: z.number().positive().default(100),
      rateBurst: z.number().int().positive().default(200),
      /**
       * Per-client-address bucket, checked before the signature: a flood of forged requests naming a victim
       * is stopped here instead of draining the victim's per-requester bucket (which is charged only after
       * the signature verifies).
       */
      ipRatePerSecond: z.number().positive().default(2_000),
      ipRateBurst: z.number().int().positive().default(4_000),
      /** Oldest (and furthest in the future) a signed request's expiry may be, seconds. */
      requestMaxAgeSeconds: z.number().int().positive().default(300),
      /** Bearer token for the operator endpoints (/v1/admin/*). */
      adminToken: z.string().min(16).optional(),
      /** How often the WebSocket stream pushes indicative prices, ms. */
      streamIntervalMs: z.number().int().min(100).default(2_000),
      /** Stream connections beyond this are closed with 1013 (try again later). */
      maxStreamClients: z.number().int().min(1).max(100_000).default(1_000),
    })
    .prefault({}),
});
export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
