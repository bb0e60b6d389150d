import { timingSafeEqual } from "node:crypto";
import { performance } from "node:perf_hooks";
import websocket from "@fastify/websocket";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { Hex } from "viem";
import { z } from "zod";
import { signDigest } from "../chain/ecdsa.js";
import { typedDigester } from "../chain/eip712.js";
import { type Intent, Side } from "../chain/intent.js";
import {
  type QuoteRequestMessage,
  ROUTE_CODE,
  rfqDomain,
  type SignedQuoteMessage,
  signedQuoteTypes,
} from "../chain/rfq.js";
import type { Engine } from "../engine/engine.js";
import {
  bestExReport,
  indicativePrices,
  inventoryReport,
  pnlReport,
  riskReport,
  statusReport,
} from "../engine/reports.js";
import { ErrorCode, InternalizerError, QuoteDeclined, RequestRejected } from "../errors.js";
import type { Logger } from "../log.js";
import { listFills } from "../store/fills.js";
import { SIDE_CODE } from "../types.js";
import { RateLimiter, ReplayGuard, RequestVerifier } from "./guards.js";
import type { Metrics } from "./metrics.js";
import { LimitsBody, OrderBody, OrderHashParam, RfqBody, VolBody } from "./schemas.js";
import { attachStream } from "./stream.js";
import { fillView, orderView, quoteView } from "./views.js";

export interface ServerDeps {
  engine: Engine;
  metrics: Metrics;
  log: Logger;
}

/** HTTP status of each refusal code. Declines of a quote request are answers (200), not errors. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.InvalidRequest]: 400,
  [ErrorCode.MalformedJson]: 400,
  [ErrorCode.WrongChain]: 400,
  [ErrorCode.SignatureInvalid]: 401,
  [ErrorCode.Unauthorized]: 401,
  [ErrorCode.QuoteUnknown]: 404,
  [ErrorCode.OrderUnknown]: 404,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.RequestReplayed]: 409,
  [ErrorCode.OrderDuplicate]: 409,
  [ErrorCode.NonceUsed]: 409,
  [ErrorCode.RequestExpired]: 410,
  [ErrorCode.QuoteExpired]: 410,
  [ErrorCode.BodyTooLarge]: 413,
  [ErrorCode.UnsupportedMediaType]: 415,
  [ErrorCode.QuoteMismatch]: 422,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.Busy]: 429,
  [ErrorCode.ChainUnavailable]: 503,
};

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ErrorCode.BodyTooLarge,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ErrorCode.UnsupportedMediaType,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ErrorCode.InvalidRequest,
  FST_ERR_CTP_EMPTY_JSON_BODY: ErrorCode.MalformedJson,
  FST_ERR_CTP_INVALID_JSON_BODY: ErrorCode.MalformedJson,
};

/**
 * The RFQ API: signed quote requests, signed orders, order status, series, health, metrics, a WebSocket
 * stream, and bearer-token operator endpoints. Every request body is validated with zod; every refusal is a
 * 4xx with a machine-readable code, and the server keeps serving.
 */
export async function buildServer({ engine, metrics, log }: ServerDeps): Promise<FastifyInstance> {
  const cfg = engine.config.api;
  const app = Fastify({ bodyLimit: cfg.bodyLimitBytes, return503OnClosing: true });
  const chainId = engine.opts.clients.chain.id;
  const settlement = engine.opts.deployment.contracts.settlement;
  const verifier = new RequestVerifier(engine.opts.clients.publicClient, rfqDomain(chainId, settlement));
  const replays = new ReplayGuard();
  const limiter = new RateLimiter(cfg.ratePerSecond, cfg.rateBurst);
  const ipLimiter = new RateLimiter(cfg.ipRatePerSecond, cfg.ipRateBurst, "client address");
  const quoteDigest = typedDigester<SignedQuoteMessage>(
    rfqDomain(chainId, settlement),
    "Quote",
    signedQuoteTypes.Quote,
  );
  let inFlight = 0;

  app.setErrorHandler((error: Error & { code?: string; statusCode?: number }, _req, reply) => {
    if (error instanceof InternalizerError) return send(reply, error);
    const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (mapped) return send(reply, new RequestRejected(mapped, error.message));
    if (error instanceof SyntaxError || error.statusCode === 400) {
      return send(reply, new RequestRejected(ErrorCode.MalformedJson, "the body is not valid JSON"));
    }
    log.error({ err: error }, "unhandled API error");
    return reply.status(500).send({ error: { code: ErrorCode.Internal, message: "internal error" } });
  });
  app.setNotFoundHandler((_req, reply) => send(reply, new RequestRejected(ErrorCode.NotFound, "no such endpoint")));

  await app.register(websocket, { options: { maxPayload: 4096 } });

  // ------------------------------------------------------------------ public

  app.post("/v1/rfq", async (req, reply) => {
    const started = performance.now();
    if (inFlight >= cfg.maxInFlight)
      return send(reply, new RequestRejected(ErrorCode.Busy, "the solver is busy; retry shortly"));
    inFlight++;
    try {
      ipLimiter.take(req.ip);
      const body = parse(RfqBody, req.body);
      if (body.chainId !== chainId) {
        throw new RequestRejected(ErrorCode.WrongChain, `this solver serves chain ${chainId}`, {
          details: { chainId },
        });
      }
      const now = Math.floor(Date.now() / 1000);
      const expiry = Number(body.request.expiry);
      if (expiry < now) throw new RequestRejected(ErrorCode.RequestExpired, "the request has expired");
      if (expiry > now + cfg.requestMaxAgeSeconds) {
        throw new RequestRejected(ErrorCode.InvalidRequest, `expiry more than ${cfg.requestMaxAgeSeconds}s ahead`);
      }
      const message: QuoteRequestMessage = {
        ...body.request,
        side: SIDE_CODE[body.request.side],
        expiry: body.request.expiry,
      };
      if (!(await verifier.verify(message, body.signature))) {
        throw new RequestRejected(ErrorCode.SignatureInvalid, "the signature is not the requester's");
      }
      limiter.take(message.requester.toLowerCase());
      replays.check(message.requester, message.nonce, expiry, now);
      const answer = await quoteWithinBudget(engine, cfg.quoteBudgetMs, {
        requester: message.requester,
        seriesId: message.seriesId,
        side: body.request.side,
        amount: message.amount,
      });
      if (answer instanceof QuoteDeclined) {
        metrics.declines.inc({ code: answer.code });
        return reply.send({ status: "declined", code: answer.code, message: answer.message });
      }
      metrics.quotes.inc({ route: answer.route });
      const digest = quoteDigest({
        quoteId: answer.quoteId,
        requester: answer.requester,
        seriesId: answer.seriesId,
        side: SIDE_CODE[answer.side],
        amount: answer.amount,
        premium: answer.premium,
        limitPremium: answer.limitPremium,
        route: ROUTE_CODE[answer.route],
        validUntil: BigInt(answer.validUntil),
        ammReferencePremium: answer.ammReferencePremium,
      });
      const signature = await signDigest(digest, engine.config.solverKey);
      return reply.send({ status: "quoted", quote: quoteView(answer), solver: engine.solver, signature });
    } catch (error) {
      if (error instanceof InternalizerError) metrics.declines.inc({ code: error.code });
      throw error;
    } finally {
      inFlight--;
      metrics.quoteLatency.observe((performance.now() - started) / 1000);
    }
  });

  app.post("/v1/orders", async (req, reply) => {
    const body = parse(OrderBody, req.body);
    const i = body.intent;
    const intent: Intent = {
      ...i,
      side: { buy: Side.Buy, sellToClose: Side.SellToClose, sellToOpen: Side.SellToOpen }[i.side],
    };
    const order = await engine.acceptOrder({ intent, signature: body.signature as Hex });
    return reply.status(202).send({ status: "accepted", orderHash: order.orderHash, order: orderView(order) });
  });

  app.get("/v1/orders/:hash", async (req, reply) => {
    const { hash } = parse(OrderHashParam, req.params);
    const order = engine.getOrder(hash);
    if (!order) throw new RequestRejected(ErrorCode.OrderUnknown, "no order with this hash");
    return reply.send(orderView(order));
  });

  app.get("/v1/series", async (_req, reply) => reply.send(await indicativePrices(engine)));

  app.get("/v1/health", async (_req, reply) => {
    try {
      const s = await statusReport(engine);
      return reply.send({ status: s.killSwitch.paused ? "paused" : "ok", settlement, ...s });
    } catch {
      return reply.status(503).send({ status: "unavailable", killSwitch: engine.killSwitch.state });
    }
  });

  app.get("/metrics", async (_req, reply) => {
    reply.header("content-type", metrics.registry.contentType);
    return reply.send(await metrics.render());
  });

  attachStream(app, engine, log);

  // ------------------------------------------------------------------ operator

  const admin = async (req: FastifyRequest) => {
    const token = cfg.adminToken;
    const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (!token || !given || given.length !== token.length || !timingSafeEqual(Buffer.from(given), Buffer.from(token))) {
      throw new RequestRejected(ErrorCode.Unauthorized, "operator endpoints need the admin token");
    }
  };
  app.register(async (ops) => {
    ops.addHook("onRequest", admin);
    ops.get("/v1/admin/status", async () => statusReport(engine));
    ops.get("/v1/admin/inventory", async () => inventoryReport(engine));
    ops.get("/v1/admin/risk", async () => riskReport(engine));
    ops.get("/v1/admin/pnl", async () => pnlReport(engine));
    ops.get("/v1/admin/bestex", async () => bestExReport(engine));
    ops.get("/v1/admin/fills", async (req) => {
      const { limit } = parse(
        z.strictObject({ limit: z.coerce.number().int().min(1).max(10_000).default(100) }),
        req.query,
      );
      return { fills: listFills(engine.store, limit).map(fillView) };
    });
    ops.get("/v1/admin/quotes", async (req) => {
      const q = parse(
        z.strictObject({
          status: z.enum(["open", "ordered", "expired", "filled", "failed"]).optional(),
          limit: z.coerce.number().int().min(1).max(10_000).default(100),
        }),
        req.query,
      );
      return {
        quotes: engine
          .listQuotes({ limit: q.limit, ...(q.status ? { status: q.status } : {}) })
          .map((x) => ({ ...quoteView(x), status: x.status })),
      };
    });
    ops.post("/v1/admin/pause", async () => {
      engine.killSwitch.trip("MANUAL", "paused by the operator", Math.floor(Date.now() / 1000));
      return engine.killSwitch.state;
    });
    ops.post("/v1/admin/resume", async () => {
      engine.killSwitch.resume();
      return engine.killSwitch.state;
    });
    ops.post("/v1/admin/vol", async (req) => {
      const v = parse(VolBody, req.body);
      engine.surface.set(v.expiry, { atmVol: v.atmVol, skew: v.skew, curvature: v.curvature });
      return { expiry: v.expiry, slice: engine.surface.slice(v.expiry) };
    });
    ops.put("/v1/admin/limits", async (req) => {
      Object.assign(engine.config.limits, parse(LimitsBody, req.body));
      return engine.config.limits;
    });
  });

  return app;
}

/** Answers within the budget: the quote, or a BUDGET_EXCEEDED decline (the engine then reserves nothing). */
async function quoteWithinBudget(
  engine: Engine,
  budgetMs: number,
  request: Parameters<Engine["quote"]>[0],
): Promise<Awaited<ReturnType<Engine["quote"]>> | QuoteDeclined> {
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
      engine.quote(request, abort.signal).catch((e: unknown) => {
        if (e instanceof QuoteDeclined) return e;
        throw e;
      }),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new RequestRejected(ErrorCode.InvalidRequest, "invalid request", {
      details: { issues: r.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) },
    });
  }
  return r.data;
}

function send(reply: FastifyReply, error: InternalizerError) {
  const status = STATUS[error.code] ?? (error instanceof QuoteDeclined ? 422 : 500);
  if (error.code === ErrorCode.RateLimited) reply.header("retry-after", String(error.details?.retryAfterSeconds ?? 1));
  return reply.status(status).send({
    error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
  });
}
