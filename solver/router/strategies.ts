import { RouteReason } from "../domain/route.js";

/**
 * A routing policy: what the router does where policies differ. The production policy is `internalizeFirst`;
 * the two baselines exist to measure it against (the simulation runs all three on the same flow).
 */
export interface RoutingStrategy {
  readonly name: "router" | "routerNoFlow" | "alwaysAmm" | "alwaysInternal";
  /** The route decided before the book is looked at (a toxic counterparty, a baseline), or null. */
  preempt(toxic: boolean): RouteReason | null;
  /**
   * The internal offer when the solver's price does not beat the AMM's by the safety margin, given that
   * margin's bound: null sends the order to the AMM.
   */
  uncompetitiveOffer(bound: bigint): bigint | null;
  /** Whether an internal leg whose edge loses more than the AMM route's gas is given up for the AMM. */
  readonly weighsGas: boolean;
  /** Whether a counterparty's markouts, and an oracle or pool that strays from the reference, widen prices. */
  readonly widensForToxicity: boolean;
  /** Whether the flow step (segment markouts, the flow model) prices and routes requests. */
  readonly usesFlowModel: boolean;
  /** The reason recorded for a whole-internal fill and for a split. */
  readonly reasons: { internal: RouteReason; split: RouteReason };
}

/** Internalize when the solver beats the AMM and it pays; the AMM for toxic flow and for the rest. */
export const internalizeFirst: RoutingStrategy = {
  name: "router",
  preempt: (toxic) => (toxic ? RouteReason.ToxicCounterparty : null),
  uncompetitiveOffer: () => null,
  weighsGas: true,
  widensForToxicity: true,
  usesFlowModel: true,
  reasons: { internal: RouteReason.InternalBetter, split: RouteReason.CapacitySplit },
};

/** The router without its flow step: what the flow model and segment markouts are measured against. */
export const routerWithoutFlow: RoutingStrategy = { ...internalizeFirst, name: "routerNoFlow", usesFlowModel: false };

/** Baseline: every order to the AMM. */
export const alwaysAmm: RoutingStrategy = {
  name: "alwaysAmm",
  preempt: () => RouteReason.StrategyAmm,
  uncompetitiveOffer: () => null,
  weighsGas: false,
  widensForToxicity: false,
  usesFlowModel: false,
  reasons: { internal: RouteReason.StrategyInternal, split: RouteReason.StrategyInternal },
};

/** Baseline: the book takes all it can, at the AMM's price less the safety margin when it cannot beat it. */
export const alwaysInternalize: RoutingStrategy = {
  name: "alwaysInternal",
  preempt: () => null,
  uncompetitiveOffer: (bound) => bound,
  weighsGas: false,
  widensForToxicity: false,
  usesFlowModel: false,
  reasons: { internal: RouteReason.StrategyInternal, split: RouteReason.StrategyInternal },
};

export const STRATEGIES = {
  router: internalizeFirst,
  routerNoFlow: routerWithoutFlow,
  alwaysAmm,
  alwaysInternal: alwaysInternalize,
} as const;
export type StrategyName = keyof typeof STRATEGIES;
