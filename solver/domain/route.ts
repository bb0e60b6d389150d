/** Why the router chose a route; recorded with every quote. */
export const RouteReason = {
  /** The solver's price beats the AMM's and its limits allow the whole order. */
  InternalBetter: "INTERNAL_BETTER",
  /** The solver's price does not beat the AMM's (after the safety margin and gas). */
  AmmBetter: "AMM_BETTER",
  /** Limits allow part of the order internally; the AMM takes the rest. */
  CapacitySplit: "CAPACITY_SPLIT",
  /** Limits allow no internal part. */
  CapacityAmm: "CAPACITY_AMM",
  /** A split would earn less than its extra gas. */
  SplitNotWorthGas: "SPLIT_NOT_WORTH_GAS",
  /** The counterparty's markouts mark it as informed: it trades with the AMM only. */
  ToxicCounterparty: "TOXIC_COUNTERPARTY",
  /** Baseline strategies (simulation): always the AMM, or always the solver's book. */
  StrategyAmm: "STRATEGY_ALWAYS_AMM",
  StrategyInternal: "STRATEGY_ALWAYS_INTERNAL",
} as const;
export type RouteReason = (typeof RouteReason)[keyof typeof RouteReason];

/** How a quote is filled. */
export type Route = "internal" | "amm" | "split";

/** The vault's price for an amount: `premium` in asset base units; `refused` when it would not trade it. */
export interface AmmQuote {
  premium: bigint;
  refused: boolean;
}

/** A routed quote. All amounts in base units; premiums in the series' premium asset. */
export interface RouteDecision {
  route: Route;
  reason: RouteReason;
  internalAmount: bigint;
  /** Premium of the internal part (user pays on buys, receives on sells). */
  internalPremium: bigint;
  /** Of the internal part, options the solver writes (buys only). */
  mintAmount: bigint;
  ammAmount: bigint;
  /** Expected premium of the AMM part. */
  ammPremium: bigint;
  /** The AMM part's bound in the fill: most it may cost (buys) or least it must pay (sells). */
  ammBound: bigint;
  /** The AMM's price for the internal part: what the settlement checks the internal premium against. */
  internalReference: bigint;
  /** The AMM's price for the whole order: the user's alternative, to show the improvement. */
  ammReferencePremium: bigint;
  /** Expected total premium. */
  premium: bigint;
  /** The limit the user signs: `premium` plus the AMM leg's slippage bound. */
  limitPremium: bigint;
  /** The solver's expected edge on the internal part net of gas, premium asset base units. */
  solverEdge: bigint;
}
