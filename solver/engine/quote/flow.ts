import { ErrorCode, QuoteDeclined } from "../../errors.js";
import type { RoutingStrategy } from "../../router/strategies.js";
import type { QuoteRequest, SignedQuote } from "../../types.js";
import type { EngineContext } from "../context.js";
import { isStateDecline, onChain } from "../declines.js";
import type { StepClock } from "../stepClock.js";
import { checkAccount } from "./accounts.js";
import { assess } from "./assess.js";
import { capacity } from "./capacity.js";
import { price } from "./price.js";
import { reserve } from "./reserve.js";
import { admit, resolve } from "./resolve.js";
import { route } from "./route.js";
import type { QuoteSigner } from "./sign.js";

/** What quoting needs beside the context: the routing policy and the key that signs. */
export interface QuoteDeps {
  ctx: EngineContext;
  strategy: RoutingStrategy;
  signer: QuoteSigner;
}

/** How many times open quotes may take the capacity a route counted on before the request is declined. */
const MAX_ROUTE_ATTEMPTS = 3;

/**
 * A firm, signed quote for `request`, or QuoteDeclined with a reason code. When `signal` aborts first (the
 * API's time budget), nothing is reserved. A decline that rests on chain state a client may just have
 * changed (a vol slice, the oracle, a new series, a balance or an approval) is checked again on a fresh
 * block before it is given.
 */
export async function quote(
  deps: QuoteDeps,
  request: QuoteRequest,
  signal?: AbortSignal,
  clock?: StepClock,
): Promise<SignedQuote> {
  admit(deps.ctx, request);
  try {
    return await quoteOnce(deps, request, signal, clock);
  } catch (error) {
    if (!(error instanceof QuoteDeclined) || !isStateDecline(error)) throw error;
    const { market, killSwitch } = deps.ctx;
    if (!(await onChain(killSwitch, () => market.refresh()))) throw error;
    return quoteOnce(deps, request, signal, clock);
  }
}

/** resolve → assess → price → capacity → route → accounts → reserve → sign, on one market snapshot. */
async function quoteOnce(
  { ctx, strategy, signer }: QuoteDeps,
  request: QuoteRequest,
  signal?: AbortSignal,
  clock?: StepClock,
): Promise<SignedQuote> {
  const q = await resolve(ctx, request);
  const flow = assess(ctx, strategy, q);
  clock?.lap("assess");
  for (let attempt = 1; ; attempt++) {
    const priced = price(ctx, strategy, q, flow);
    clock?.lap("price");
    const available = capacity(ctx, q, priced, priced.projected);
    clock?.lap("capacity");
    const decision = await route(ctx, strategy, q, priced, available);
    clock?.lap("route");
    await checkAccount(ctx, q, decision);
    clock?.lap("accounts");
    const firm = reserve(ctx, q, priced, decision, signal);
    clock?.lap("reserve");
    if ("left" in firm) {
      if (attempt < MAX_ROUTE_ATTEMPTS) continue;
      throw new QuoteDeclined(firm.left.limitedBy ?? ErrorCode.NoLiquidity, "limits are taken by open quotes");
    }
    const signed = await signer.sign(firm.quote);
    clock?.lap("sign");
    return signed;
  }
}
