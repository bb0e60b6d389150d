import type { RouteDecision } from "../../domain/route.js";
import type { Capacity } from "../../risk/limits.js";
import { routeQuote } from "../../router/router.js";
import type { RoutingStrategy } from "../../router/strategies.js";
import type { EngineContext } from "../context.js";
import { declineForChain } from "../declines.js";
import type { Priced } from "./price.js";
import type { QuoteCase } from "./resolve.js";

/**
 * Step 4, route: internal, AMM or split, against the vault's exact quote for each candidate amount (priced
 * off-chain on the vault state of the latest block), the gas of each route, the requester's toxicity and
 * the flow model's score.
 */
export async function route(
  ctx: EngineContext,
  strategy: RoutingStrategy,
  q: QuoteCase,
  priced: Priced,
  available: Capacity,
): Promise<RouteDecision> {
  const { config, book, market, killSwitch } = ctx;
  const { gas, gasPriceGwei } = config.router;
  const gasCost = (units: number) => q.snap.gasCost(units, gasPriceGwei, q.terms);
  return routeQuote(
    {
      userBuys: q.userBuys,
      amount: q.request.amount,
      capacity: available,
      solverPerOption: priced.price.quote,
      reservationPerOption: priced.price.reservation,
      decimals: q.snap.premiumAsset(q.terms).decimals,
      toxic: book.toxicity.ammOnly(q.request.requester) || priced.flow?.ammOnly === true,
      gas: { internal: gasCost(gas.internal), amm: gasCost(gas.amm), split: gasCost(gas.split) },
      params: {
        improvementShare: config.router.improvementShare,
        safetyBps: config.router.safetyBps,
        slippageBps: config.router.ammSlippageBps,
      },
      strategy,
    },
    (amount) =>
      market.vaultQuote(q.request.seriesId, amount, q.userBuys).catch((error: unknown) => {
        throw declineForChain(error, killSwitch, q.snap.now);
      }),
    // The AMM's other side: an internal offer must not cross it (no buy-here, sell-there for free).
    (amount) => market.vaultQuote(q.request.seriesId, amount, !q.userBuys),
  );
}
