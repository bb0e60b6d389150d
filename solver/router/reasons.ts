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
