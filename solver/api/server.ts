import websocket from "@fastify/websocket";
import Fastify, { type FastifyInstance } from "fastify";
import type { PublicClient } from "viem";
import { rfqDomain } from "../chain/rfq.js";
import type { Engine } from "../engine/engine.js";
import { ErrorCode, InternalizerError, RequestRejected } from "../errors.js";
import type { Logger } from "../log.js";
import { AccessVerifier } from "./access.js";
import type { ApiContext } from "./context.js";
import { RateLimiter, ReplayGuard, RequestVerifier } from "./guards.js";
import { clientErrorHandler, FRAMEWORK_CODES, parseJsonBody, send } from "./http.js";
import type { Metrics } from "./metrics.js";
import { registerAccount } from "./routes/account.js";
import { registerAdmin } from "./routes/admin.js";
import { registerPublic } from "./routes/public.js";
import { registerReport } from "./routes/report.js";
import { registerTrading } from "./routes/trading.js";
import { serveWebApp } from "./static.js";
import { attachStream } from "./stream.js";

export interface ServerDeps {
  engine: Engine;
  reader: PublicClient;
  metrics: Metrics;
  log: Logger;
}

/** Longest path parameter (an order hash is 66 characters, an instrument name under 30). */
const MAX_PARAM_LENGTH = 100;

/**
 * The RFQ API: signed quote requests, signed orders, order status and cancels, series, health, metrics, a
 * WebSocket stream, and bearer-token operator endpoints. Every request is validated with zod; every refusal,
 * the framework's own included, is a 4xx `{"error":{"code","message"}}` that echoes nothing the client sent,
 * and the server keeps serving.
 */
export async function buildServer({ engine, reader, metrics, log }: ServerDeps): Promise<FastifyInstance> {
  const cfg = engine.config.api;
  const app = Fastify({
    bodyLimit: cfg.bodyLimitBytes,
    return503OnClosing: true,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    clientErrorHandler,
    frameworkErrors: (error, _req, reply) => {
      const mapped = FRAMEWORK_CODES[(error as { code?: string }).code ?? ""];
      return send(
        reply,
        new RequestRejected(mapped?.code ?? ErrorCode.InvalidRequest, mapped?.message ?? "bad request"),
      );
    },
  });
  const domain = rfqDomain(engine.chainId, engine.deployment.contracts.settlement);
  const ctx: ApiContext = {
    engine,
    reader,
    metrics,
    log,
    requests: new RequestVerifier(domain, engine.signatures),
    access: new AccessVerifier(domain, engine.signatures, () => engine.market.chainTime()),
    replays: new ReplayGuard(),
    limiter: new RateLimiter(cfg.ratePerSecond, cfg.rateBurst),
    ipLimiter: new RateLimiter(cfg.ipRatePerSecond, cfg.ipRateBurst, "client address"),
  };

  handleJsonAndErrors(app, log);
  await app.register(websocket, { options: { maxPayload: 8192 } });
  registerTrading(app, ctx);
  registerPublic(app, ctx);
  registerReport(app, ctx);
  registerAccount(app, ctx);
  attachStream(app, ctx);
  registerAdmin(app, ctx);
  await serveWebApp(app);
  return app;
}

/** Our own JSON parser (typed refusals) and one error shape for every refusal, the framework's included. */
function handleJsonAndErrors(app: FastifyInstance, log: Logger): void {
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.setErrorHandler((error: Error & { code?: string; statusCode?: number }, _req, reply) => {
    if (error instanceof InternalizerError) return send(reply, error);
    const mapped = error.code ? FRAMEWORK_CODES[error.code] : undefined;
    if (mapped) return send(reply, new RequestRejected(mapped.code, mapped.message));
    if (error instanceof SyntaxError) {
      return send(reply, new RequestRejected(ErrorCode.MalformedJson, "the body is not valid JSON"));
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return send(reply, new RequestRejected(ErrorCode.InvalidRequest, "the request was refused"));
    }
    log.error({ err: error }, "unhandled API error");
    return reply.status(500).send({ error: { code: ErrorCode.Internal, message: "internal error" } });
  });
  app.setNotFoundHandler((_req, reply) => send(reply, new RequestRejected(ErrorCode.NotFound, "no such endpoint")));
}
