import { premiumAssetOf } from "../../domain/assets.js";
import type { SeriesTerms } from "../../domain/seriesId.js";
import type { Commitment } from "../../risk/commitments.js";
import type { QuoteRequest } from "../../types.js";
import type { EngineContext } from "../context.js";

/**
 * What a quote for `request` draws on the requester's account, keyed by what it draws on: a buy the
 * premium limit, a sell-to-open the collateral (both in the premium asset), a sell-to-close the options; and
 * for the first two the allowance it draws on (the settlement's, the ledger's).
 */
export function commitmentOf(
  ctx: Pick<EngineContext, "pair" | "book" | "config">,
  request: QuoteRequest,
  terms: SeriesTerms,
  limitPremium: bigint,
  now: number,
): Omit<Commitment, "quoteId"> {
  const asset = premiumAssetOf(ctx.pair.assets, terms).address;
  const [key, amount] =
    request.side === "buy"
      ? [`asset:${asset}`, limitPremium]
      : request.side === "sellToOpen"
        ? [`asset:${asset}`, ctx.book.inventory.collateralFor(terms, request.amount)]
        : [`series:${request.seriesId}`, request.amount];
  const spender = request.side === "buy" ? "settlement" : request.side === "sellToOpen" ? "ledger" : null;
  return {
    requester: request.requester,
    key,
    ...(spender ? { allowanceKey: `${key}@${spender}` } : {}),
    amount,
    slot: `${request.seriesId}:${request.side}`,
    expiresAt: now + ctx.config.quoteTtlSeconds,
  };
}
