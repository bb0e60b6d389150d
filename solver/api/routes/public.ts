import type { FastifyInstance, FastifyReply } from "fastify";
import type { Address } from "viem";
import { intentTypes, settlementDomain } from "../../chain/intent.js";
import {
  accessTypes,
  cancelOrderTypes,
  MAX_ACCESS_SECONDS,
  quoteRequestTypes,
  ROUTE_CODE,
  rfqDomain,
  signedQuoteTypes,
} from "../../chain/rfq.js";
import { SIDES } from "../../domain/side.js";
import type { Engine } from "../../engine/engine.js";
import { ErrorCode, RequestRejected } from "../../errors.js";
import { type ApiContext, resolveSeriesText } from "../context.js";
import { parse } from "../http.js";
import { indicativePrices, statusReport } from "../reports.js";
import { SeriesParam } from "../schemas.js";

/** Public reads: live series with prices, one series, health, the EIP-712 definitions, Prometheus metrics. */
export function registerPublic(app: FastifyInstance, ctx: ApiContext): void {
  const { engine, metrics } = ctx;
  const chainId = engine.chainId;
  const settlement = engine.deployment.contracts.settlement;

  app.get("/v1/series", async (_req, reply) => reply.send(await indicativePrices(engine)));

  app.get("/v1/series/:series", async (req, reply) => {
    const { series } = parse(SeriesParam, req.params);
    const id = await resolveSeriesText(engine, series);
    const prices = await indicativePrices(engine);
    const found = prices.series.find((s) => s.seriesId === id.toString());
    if (!found) throw new RequestRejected(ErrorCode.SeriesExpired, "the series has expired; it has no prices");
    return reply.send({ chainTime: prices.chainTime, spot: prices.spot, series: found });
  });

  app.get("/v1/health", async (_req, reply) => health(engine, reply));

  app.get("/v1/eip712", async (_req, reply) => reply.send(eip712Definitions(chainId, settlement)));

  app.get("/metrics", async (_req, reply) => {
    reply.header("content-type", metrics.registry.contentType);
    return reply.send(await metrics.render());
  });
}

/** The solver's state, or 503 with what it knows without the chain. */
async function health(engine: Engine, reply: FastifyReply) {
  const settlement = engine.deployment.contracts.settlement;
  try {
    const s = await statusReport(engine);
    return reply.send({ status: s.killSwitch.paused ? "paused" : "ok", settlement, assets: engine.assets, ...s });
  } catch {
    return reply.status(503).send({
      status: "unavailable",
      chainId: engine.chainId,
      settlement,
      solver: engine.solver,
      killSwitch: engine.killSwitch.state,
    });
  }
}

/** Everything a wallet signs, so that a client can be written from this answer alone. */
function eip712Definitions(chainId: number, settlement: Address) {
  const stringify = (d: { chainId: bigint }) => ({ ...d, chainId: Number(d.chainId) });
  return {
    domains: {
      rfq: stringify(rfqDomain(chainId, settlement)),
      settlement: stringify(settlementDomain(chainId, settlement)),
    },
    messages: {
      QuoteRequest: { domain: "rfq", signer: "requester", types: quoteRequestTypes },
      Quote: { domain: "rfq", signer: "solver", types: signedQuoteTypes },
      Intent: { domain: "settlement", signer: "user", types: intentTypes },
      Access: { domain: "rfq", signer: "account", types: accessTypes, maxValiditySeconds: MAX_ACCESS_SECONDS },
      CancelOrder: { domain: "rfq", signer: "user", types: cancelOrderTypes },
    },
    enums: {
      side: Object.fromEntries(SIDES.map((s, i) => [s, i])),
      route: ROUTE_CODE,
    },
  };
}
