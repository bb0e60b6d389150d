import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Engine } from "../../engine/engine.js";
import { ErrorCode, RequestRejected } from "../../errors.js";
import { listFills } from "../../store/fills.js";
import { QUOTE_STATUSES } from "../../types.js";
import type { ApiContext } from "../context.js";
import { hedgeReport, hedgerOf, outcomeView } from "../hedge.js";
import { declinesByCode, operatorHistory } from "../history.js";
import { parse } from "../http.js";
import { bestExReport, inventoryReport, pnlReport, riskReport, statusReport } from "../reports.js";
import { HistoryQuery, LimitsBody, OrderHashParam, PnlQuery, VolBody } from "../schemas.js";
import { fillView, orderView, quoteView } from "../views.js";

/** A block PnL can be valued at: the deployment's, or a later one the chain already has. */
async function checkBlock(engine: Engine, block: bigint): Promise<void> {
  const first = BigInt(engine.deployment.block) + 1n;
  const latest = await engine.market.blockNumber().catch((cause: unknown) => {
    throw new RequestRejected(ErrorCode.ChainUnavailable, "the chain cannot be reached", { cause });
  });
  if (block < first || block > latest) {
    throw new RequestRejected(
      ErrorCode.InvalidRequest,
      "the block is before the deployment or after the latest block",
      {
        details: { firstBlock: Number(first), latestBlock: Number(latest) },
      },
    );
  }
}

/** The operator's routes under /v1/admin, behind the bearer token. */
export function registerAdmin(app: FastifyInstance, ctx: ApiContext): void {
  const authorize = bearer(ctx.engine.config.api.adminToken);
  app.register(async (ops) => {
    ops.addHook("onRequest", authorize);
    reportRoutes(ops, ctx.engine);
    recordRoutes(ops, ctx.engine);
    controlRoutes(ops, ctx.engine);
    dashboardRoutes(ops, ctx);
  });
}

/** Refuses a request without the operator's token (compared in constant time). */
function bearer(token: string | undefined) {
  return async (req: FastifyRequest) => {
    const header = req.headers.authorization;
    if (!header)
      throw new RequestRejected(
        ErrorCode.TokenMissing,
        "operator endpoints need the admin token (authorization: Bearer <token>)",
      );
    const given = /^Bearer (.+)$/.exec(header)?.[1];
    if (!token || !given || given.length !== token.length || !timingSafeEqual(Buffer.from(given), Buffer.from(token))) {
      throw new RequestRejected(ErrorCode.TokenInvalid, "the admin token is wrong");
    }
  };
}

/** `hedge run`: force a swap whatever the band, the pause and the cost. */
const HedgeRunBody = z.strictObject({ force: z.boolean().default(false) });

const limitQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(10_000).default(100) });

/** Status, inventory, risk, PnL (now or at a block) and best execution. */
function reportRoutes(ops: FastifyInstance, engine: Engine): void {
  ops.get("/v1/admin/status", async () => statusReport(engine));
  ops.get("/v1/admin/inventory", async () => inventoryReport(engine));
  ops.get("/v1/admin/risk", async () => riskReport(engine));
  ops.get("/v1/admin/pnl", async (req) => {
    const { block } = parse(PnlQuery, req.query);
    if (block !== undefined) await checkBlock(engine, block);
    return pnlReport(engine, block);
  });
  ops.get("/v1/admin/bestex", async () => bestExReport(engine));
}

/** Fills, quotes and an order with its quote and trail. */
function recordRoutes(ops: FastifyInstance, engine: Engine): void {
  ops.get("/v1/admin/fills", async (req) => {
    const { limit } = parse(limitQuery, req.query);
    return { fills: listFills(engine.store, limit).map((f) => fillView(f, engine.assets)) };
  });
  ops.get("/v1/admin/quotes", async (req) => {
    const q = parse(limitQuery.extend({ status: z.enum(QUOTE_STATUSES).optional() }), req.query);
    return {
      quotes: engine
        .listQuotes({ limit: q.limit, ...(q.status ? { status: q.status } : {}) })
        .map((x) => ({ ...quoteView(x, engine.assets), status: x.status })),
    };
  });
  ops.get("/v1/admin/orders/:hash", async (req) => {
    const { hash } = parse(OrderHashParam, req.params);
    const order = engine.getOrder(hash);
    if (!order) throw new RequestRejected(ErrorCode.OrderUnknown, "no order with this hash");
    const quote = engine.getQuote(order.quoteId);
    return {
      quote: quote ? { ...quoteView(quote, engine.assets), status: quote.status } : null,
      order: orderView(order, engine.assets, engine.orderTrail(hash)),
    };
  });
}

/** Pause and resume, hedging, the solver's vols and limits: each change validated and logged by the engine. */
function controlRoutes(ops: FastifyInstance, engine: Engine): void {
  ops.post("/v1/admin/pause", async () => {
    engine.killSwitch.trip("MANUAL", "paused by the operator", await engine.market.chainTime().catch(() => 0));
    return engine.killSwitch.state;
  });
  ops.post("/v1/admin/resume", async () => {
    engine.killSwitch.resume();
    return engine.killSwitch.state;
  });
  ops.get("/v1/admin/vol", async () => ({ default: engine.surface.fallback, byExpiry: engine.surface.slices() }));
  ops.post("/v1/admin/vol", async (req) => {
    const v = parse(VolBody, req.body);
    engine.setVol(v.expiry, { atmVol: v.atmVol, skew: v.skew, curvature: v.curvature });
    return { expiry: v.expiry, slice: engine.surface.slice(v.expiry) };
  });
  ops.get("/v1/admin/hedge", async () => hedgeReport(engine));
  ops.post("/v1/admin/hedge/run", async (req) => {
    const { force } = parse(HedgeRunBody, req.body ?? {});
    return { outcome: outcomeView(await hedgerOf(engine).run({ force, manual: true })) };
  });
  ops.post("/v1/admin/hedge/pause", async () => {
    hedgerOf(engine).setPaused(true);
    return { paused: true };
  });
  ops.post("/v1/admin/hedge/resume", async () => {
    hedgerOf(engine).setPaused(false);
    return { paused: false };
  });
  ops.get("/v1/admin/limits", async () => engine.limits);
  ops.put("/v1/admin/limits", async (req) => engine.setLimits(parse(LimitsBody, req.body)));
}

/** The dashboard's series: PnL and flow over time, and declines by code since start. */
function dashboardRoutes(ops: FastifyInstance, ctx: ApiContext): void {
  ops.get("/v1/admin/history", async (req) => {
    const { points } = parse(HistoryQuery, req.query);
    return operatorHistory(ctx.engine, points);
  });
  ops.get("/v1/admin/declines", async () => ({ declines: await declinesByCode(ctx.metrics) }));
}
