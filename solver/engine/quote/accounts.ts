import type { RouteDecision } from "../../domain/route.js";
import { assertCanSettle } from "../../market/accountChecks.js";
import type { EngineContext } from "../context.js";
import { declineForChain } from "../declines.js";
import { commitmentOf } from "./commitment.js";
import type { QuoteCase } from "./resolve.js";

/**
 * Step 4, accounts: the fill must be payable, together with the requester's other open quotes. Declines
 * INSUFFICIENT_BALANCE, or ALLOWANCE_MISSING / APPROVAL_MISSING with the calls to send.
 */
export async function checkAccount(ctx: EngineContext, q: QuoteCase, decision: RouteDecision): Promise<void> {
  const { request, terms, snap } = q;
  const draw = commitmentOf(ctx, request, terms, decision.limitPremium, snap.now);
  const pending = ctx.book.commitments.pending(request.requester, draw.key, draw.slot, snap.now);
  // Other open quotes share the balance, but draw on this spender's allowance only if they pay the same one.
  const sameSpender = draw.allowanceKey
    ? ctx.book.commitments.pending(request.requester, draw.allowanceKey, draw.slot, snap.now)
    : 0n;
  const extra = (side: typeof request.side) => (request.side === side ? pending : 0n);
  const own = request.side === "buy" ? decision.limitPremium : ctx.book.inventory.collateralFor(terms, request.amount);
  await assertCanSettle(ctx.market, ctx.deployment, ctx.pair.assets, {
    user: request.requester,
    side: request.side,
    seriesId: request.seriesId,
    terms,
    amount: request.amount + extra("sellToClose"),
    premiumLimit: decision.limitPremium + extra("buy"),
    collateral: ctx.book.inventory.collateralFor(terms, request.amount) + extra("sellToOpen"),
    committed: pending,
    ...(request.side === "sellToClose" ? {} : { allowanceNeeded: own + sameSpender }),
  }).catch((error: unknown) => {
    throw declineForChain(error, ctx.killSwitch, snap.now);
  });
}
