import { performance } from "node:perf_hooks";
import type { FastifyInstance } from "fastify";
import type { Hex } from "viem";
import { typedDigester } from "../../chain/eip712.js";
import type { Intent } from "../../chain/intent.js";
import { type CancelOrderMessage, cancelOrderTypes, type QuoteRequestMessage, rfqDomain } from "../../chain/rfq.js";
import { sideCode, sideName } from "../../domain/side.js";
import type { Engine } from "../../engine/engine.js";
import { StepClock } from "../../engine/stepClock.js";
import { ErrorCode, InternalizerError, QuoteDeclined, RequestRejected } from "../../errors.js";
import type { SignedQuote } from "../../types.js";
import { accessFromHeader } from "../access.js";
import { type ApiContext, resolveSeriesText } from "../context.js";
import { parse } from "../http.js";
import { AccessProofSchema, CancelBody, OrderBody, OrderHashParam, OrdersQuery, RfqBody } from "../schemas.js";
import { orderView, quoteView } from "../views.js";

/** The wallet-facing routes: firm quotes, orders, their status and audit trail, cancels, a wallet's orders. */
export function registerTrading(app: FastifyInstance, ctx: ApiContext): void {
  rfqRoute(app, ctx);
  orderRoutes(app, ctx);
}

/** POST /v1/rfq: admit → verify → quote (the engine's steps, signed) → write, each step timed. */
function rfqRoute(app: FastifyInstance, ctx: ApiContext): void {
  const { engine, metrics } = ctx;
  const cfg = engine.config.api;
  let inFlight = 0;
  app.post("/v1/rfq", async (req, reply) => {
    const started = performance.now();
    // The "queue" step runs from the request's arrival (Fastify's own clock, before the body was read).
    const clock = new StepClock(started - reply.elapsedTime);
    clock.lap("queue");
    if (inFlight >= cfg.maxInFlight) throw new RequestRejected(ErrorCode.Busy, "the solver is busy; retry shortly");
    inFlight++;
    try {
      ctx.ipLimiter.take(req.ip);
      const signed = await admitRequest(ctx, req.body);
      if (signed instanceof InternalizerError) return reply.send(declined(metrics, signed));
      await verifyRequest(ctx, signed);
      clock.lap("verify");
      const { message } = signed;
      const { requester, seriesId, amount } = message;
      const request = { requester, seriesId, side: sideName(message.side), amount };
      const answer = await quoteWithinBudget(engine, cfg.quoteBudgetMs, request, clock);
      if (answer instanceof QuoteDeclined) return reply.send(declined(metrics, answer));
      metrics.quotes.inc({ route: answer.route });
      const { signature, solver } = answer;
      reply.send({ status: "quoted", quote: quoteView(answer, engine.assets), solver, signature });
      clock.lap("write");
      for (const [step, ms] of clock.laps) metrics.quoteSteps.observe({ step }, ms / 1000);
      return reply;
    } catch (error) {
      if (error instanceof InternalizerError) metrics.declines.inc({ code: error.code });
      throw error;
    } finally {
      inFlight--;
      metrics.quoteLatency.observe((performance.now() - started) / 1000);
    }
  });
}

/** A parsed request on this chain, within its expiry (chain time); an unknown series is a decline to answer. */
async function admitRequest(
  { engine }: ApiContext,
  raw: unknown,
): Promise<{ message: QuoteRequestMessage; signature: Hex; now: number } | InternalizerError> {
  const body = parse(RfqBody, raw);
  const { chainId } = engine;
  if (body.chainId !== chainId) {
    throw new RequestRejected(ErrorCode.WrongChain, `this solver serves chain ${chainId}`, { details: { chainId } });
  }
  const now = await chainTime(engine);
  const expiry = Number(body.request.expiry);
  const maxAge = engine.config.api.requestMaxAgeSeconds;
  if (expiry < now) {
    throw new RequestRejected(ErrorCode.RequestExpired, "the request expired (chain time)", {
      details: { chainTime: now },
    });
  }
  if (expiry > now + maxAge) {
    throw new RequestRejected(
      ErrorCode.InvalidRequest,
      `the request's expiry is more than ${maxAge}s after the chain's time`,
      {
        details: { chainTime: now },
      },
    );
  }
  const seriesId = await resolveSeriesText(engine, body.request.seriesId).catch((error: unknown) => {
    if (error instanceof InternalizerError) return error;
    throw error;
  });
  if (seriesId instanceof InternalizerError) return seriesId;
  const r = body.request;
  const message = { ...r, seriesId, side: sideCode(r.side) };
  return { message, signature: body.signature as Hex, now };
}

/** The requester's EIP-712 signature, its rate limit, and no replay of its nonce. */
async function verifyRequest(
  ctx: ApiContext,
  { message, signature, now }: { message: QuoteRequestMessage; signature: Hex; now: number },
): Promise<void> {
  if (!(await ctx.requests.verify(message, signature))) {
    throw new RequestRejected(ErrorCode.SignatureInvalid, "the signature is not the requester's");
  }
  ctx.limiter.take(message.requester.toLowerCase());
  ctx.replays.check(message.requester, message.nonce, Number(message.expiry), now);
}

/** Orders: submit, status and trail, cancel, a wallet's orders. */
function orderRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { engine } = ctx;
  const domain = rfqDomain(engine.chainId, engine.deployment.contracts.settlement);
  const cancelDigest = typedDigester<CancelOrderMessage>(domain, "CancelOrder", cancelOrderTypes.CancelOrder);

  app.post("/v1/orders", async (req, reply) => {
    const body = parse(OrderBody, req.body);
    const i = body.intent;
    const intent: Intent = { ...i, seriesId: await resolveSeriesText(engine, i.seriesId), side: sideCode(i.side) };
    const order = await engine.acceptOrder({ intent, signature: body.signature as Hex });
    return reply
      .status(202)
      .send({ status: "accepted", orderHash: order.orderHash, order: orderView(order, engine.assets) });
  });

  app.get("/v1/orders/:hash", async (req, reply) => {
    const { hash } = parse(OrderHashParam, req.params);
    const order = engine.getOrder(hash);
    if (!order) throw new RequestRejected(ErrorCode.OrderUnknown, "no order with this hash");
    return reply.send(orderView(order, engine.assets, engine.orderTrail(hash)));
  });

  app.post("/v1/orders/:hash/cancel", async (req, reply) => {
    const { hash } = parse(OrderHashParam, req.params);
    const { signature } = parse(CancelBody, req.body);
    const order = engine.getOrder(hash);
    if (!order) throw new RequestRejected(ErrorCode.OrderUnknown, "no order with this hash");
    if (!(await engine.signatures.isValid(order.user, cancelDigest({ orderHash: hash }), signature))) {
      throw new RequestRejected(ErrorCode.SignatureInvalid, "the cancel is not signed by the order's user");
    }
    const cancelled = engine.cancelOrder(hash);
    return reply.send(orderView(cancelled, engine.assets, engine.orderTrail(hash)));
  });

  app.get("/v1/orders", async (req, reply) => {
    const q = parse(OrdersQuery, req.query);
    const header = accessFromHeader(req.headers.authorization);
    if (!header) {
      throw new RequestRejected(ErrorCode.AuthRequired, "listing a wallet's orders needs its Access signature", {
        details: { header: "authorization: Access <account>:<expiry>:<signature>" },
      });
    }
    const proof = parse(AccessProofSchema, header);
    if (proof.account !== q.user)
      throw new RequestRejected(ErrorCode.AuthInvalid, "the access signature is for another account");
    await ctx.access.verify(proof);
    return reply.send({ orders: engine.ordersOf(q.user, q.limit).map((o) => orderView(o, engine.assets)) });
  });
}

function declined(metrics: ApiContext["metrics"], error: InternalizerError) {
  metrics.declines.inc({ code: error.code });
  return {
    status: "declined",
    code: error.code,
    message: error.message,
    ...(error.details ? { details: error.details } : {}),
  };
}

async function chainTime(engine: Engine): Promise<number> {
  try {
    return await engine.market.chainTime();
  } catch (cause) {
    throw new RequestRejected(ErrorCode.ChainUnavailable, "the chain cannot be reached", { cause });
  }
}

/** Answers within the budget: the quote, or a BUDGET_EXCEEDED decline (the engine then reserves nothing). */
async function quoteWithinBudget(
  engine: Engine,
  budgetMs: number,
  request: Parameters<Engine["quote"]>[0],
  clock: StepClock,
): Promise<SignedQuote | QuoteDeclined> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<QuoteDeclined>((resolve) => {
    timer = setTimeout(() => {
      abort.abort();
      resolve(new QuoteDeclined(ErrorCode.BudgetExceeded, `no answer within ${budgetMs} ms`));
    }, budgetMs);
  });
  try {
    return await Promise.race([
      engine.quote(request, abort.signal, clock).catch((e: unknown) => {
        if (e instanceof QuoteDeclined) return e;
        throw e;
      }),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
