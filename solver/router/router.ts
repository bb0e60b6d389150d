import { type AmmQuote, type Route, type RouteDecision, RouteReason } from "../domain/route.js";
import { ErrorCode, QuoteDeclined } from "../errors.js";
import { maxBigInt, minBigInt } from "../math/bigint.js";
import type { Capacity } from "../risk/limits.js";
import type { RoutingStrategy } from "./strategies.js";

/** Prices an amount with the vault (its quote view on the latest block); throws when no price exists. */
export type AmmQuoter = (amount: bigint) => Promise<AmmQuote>;

export interface RouteParams {
  /** Share of the gap between the AMM's price and the solver's that goes to the user (0..1). */
  improvementShare: number;
  /** Margin kept from the AMM's price on the internal part, bps. */
  safetyBps: number;
  /** Bound on the AMM leg's move between quote and fill, bps. */
  slippageBps: number;
}

export interface RouteInput {
  userBuys: boolean;
  amount: bigint;
  capacity: Capacity;
  /** The solver's price per option for the user (its ask or bid, after skew and toxicity), premium asset. */
  solverPerOption: number;
  /** The solver's indifference price per option (reservation price), premium asset; measures its edge. */
  reservationPerOption: number;
  /** Decimals of the premium asset. */
  decimals: number;
  /** True when the counterparty is routed to the AMM only. */
  toxic: boolean;
  /** Gas of each route, in premium asset base units. */
  gas: { internal: bigint; amm: bigint; split: bigint };
  params: RouteParams;
  strategy: RoutingStrategy;
}

const BPS = 10_000n;
const PPM = 1_000_000n;

/**
 * Routes one request. The rule that shares the gap: with A the AMM's price for the internal part and P the
 * solver's own price, the user is offered A - s (A - P) on a buy (A + s (P - A) on a sell), s =
 * improvementShare: the user gets share s of the improvement the solver can give, the solver keeps the rest
 * above its own spread. The offer always stays at least `safetyBps` better than A, so the settlement's
 * on-chain check (internal price no worse than the AMM's) still holds if the AMM moves a little before the
 * fill. The internal part is never priced worse for the user than the AMM's.
 */
export async function routeQuote(input: RouteInput, amm: AmmQuoter, opposite?: AmmQuoter): Promise<RouteDecision> {
  const { amount, userBuys, capacity } = input;
  const { strategy } = input;
  const whole = await amm(amount);
  const preempted = strategy.preempt(input.toxic);
  if (preempted) return ammRoute(input, whole, preempted);
  if (capacity.amount === 0n) {
    return ammRoute(input, whole, RouteReason.CapacityAmm, capacity.limitedBy ?? ErrorCode.NoLiquidity);
  }

  const part = capacity.amount;
  const reference = part === amount ? whole : await amm(part);
  const solverTotal = toUnits(input.solverPerOption, part, input.decimals, userBuys);
  const edgeFloor = toUnits(input.reservationPerOption, part, input.decimals, !userBuys);
  const bound = withBps(reference.premium, userBuys ? -input.params.safetyBps : input.params.safetyBps);
  const competitive = userBuys ? solverTotal <= bound : solverTotal >= bound;
  const shared = competitive
    ? sharedOffer(input, reference.premium, solverTotal, bound)
    : strategy.uncompetitiveOffer(bound);
  const offered = shared === null ? null : await uncrossed(shared, bound, userBuys, opposite && (() => opposite(part)));
  if (offered === null) return ammRoute(input, whole, RouteReason.AmmBetter);
  const edge =
    (userBuys ? offered - edgeFloor : edgeFloor - offered) - (part === amount ? input.gas.internal : input.gas.split);
  const internal = { part, offered, reference: reference.premium, edge };

  // An internal leg that loses more than the AMM route's gas is not worth taking.
  const losing = strategy.weighsGas && !whole.refused && edge <= -input.gas.amm;
  if (part === amount) {
    if (losing) return ammRoute(input, whole, RouteReason.AmmBetter);
    return decision(input, whole, internal, null, strategy.reasons.internal);
  }
  const rest = await amm(amount - part);
  if (rest.refused) {
    throw new QuoteDeclined(
      capacity.limitedBy ?? ErrorCode.NoLiquidity,
      "neither the solver nor the AMM can fill the whole order",
      {
        details: { internalCapacity: part.toString() },
      },
    );
  }
  if (losing) return ammRoute(input, whole, RouteReason.SplitNotWorthGas);
  return decision(input, whole, internal, rest, strategy.reasons.split);
}

/** The offer that gives the user `improvementShare` of the gap to the AMM's price, within the safety bound. */
function sharedOffer(input: RouteInput, reference: bigint, solverTotal: bigint, bound: bigint): bigint {
  const share = BigInt(Math.round(input.params.improvementShare * 1e6));
  return input.userBuys
    ? minBigInt(reference - ((reference - solverTotal) * share) / PPM, bound)
    : maxBigInt(reference + ((solverTotal - reference) * share) / PPM, bound);
}

/**
 * The offer moved, within the safety bound, so that it does not cross the AMM's other side for the same
 * amount: a buy never below what the AMM would pay for the options, a sell never above what it would charge.
 * A crossed offer is a free trade against the solver (buy here, sell there) that gives away the gap.
 */
async function uncrossed(
  offered: bigint,
  bound: bigint,
  userBuys: boolean,
  otherSide?: () => Promise<AmmQuote>,
): Promise<bigint> {
  // At the bound already, the other side cannot move it: no second quote.
  if (offered === bound) return offered;
  const other = await otherSide?.().catch(() => null);
  if (!other || other.refused || other.premium === 0n) return offered;
  return userBuys
    ? minBigInt(maxBigInt(offered, other.premium), bound)
    : maxBigInt(minBigInt(offered, other.premium), bound);
}

function ammRoute(
  input: RouteInput,
  whole: AmmQuote,
  reason: RouteReason,
  declineCode: string = ErrorCode.NoLiquidity,
): RouteDecision {
  if (whole.refused) {
    throw new QuoteDeclined(declineCode as ErrorCode, "the AMM cannot fill this order and the solver will not", {
      details: { reason },
    });
  }
  return decision(input, whole, null, whole, reason);
}

function decision(
  input: RouteInput,
  whole: AmmQuote,
  internal: { part: bigint; offered: bigint; reference: bigint; edge: bigint } | null,
  rest: AmmQuote | null,
  reason: RouteReason,
): RouteDecision {
  const internalAmount = internal?.part ?? 0n;
  const ammAmount = input.amount - internalAmount;
  const ammPremium = rest?.premium ?? 0n;
  const ammBound =
    ammAmount === 0n ? 0n : withBps(ammPremium, input.userBuys ? input.params.slippageBps : -input.params.slippageBps);
  const internalPremium = internal?.offered ?? 0n;
  const route: Route = internalAmount === 0n ? "amm" : ammAmount === 0n ? "internal" : "split";
  return {
    route,
    reason,
    internalAmount,
    internalPremium,
    mintAmount: input.userBuys && internalAmount > 0n ? minBigInt(input.capacity.mint, internalAmount) : 0n,
    ammAmount,
    ammPremium,
    ammBound,
    internalReference: internal?.reference ?? 0n,
    ammReferencePremium: whole.premium,
    premium: internalPremium + ammPremium,
    limitPremium: internalPremium + ammBound,
    solverEdge: internal ? internal.edge : -input.gas.amm,
  };
}

/** `perOption` x `amount` options in base units of a `decimals` asset, rounded up or down. */
export function toUnits(perOption: number, amount: bigint, decimals: number, roundUp: boolean): bigint {
  const scaled = perOption * (Number(amount) / 1e18) * 10 ** decimals;
  if (!Number.isFinite(scaled) || scaled <= 0) return 0n;
  return BigInt(roundUp ? Math.ceil(scaled) : Math.floor(scaled));
}

function withBps(x: bigint, bps: number): bigint {
  return (x * (BPS * 100n + BigInt(Math.round(bps * 100)))) / (BPS * 100n);
}
