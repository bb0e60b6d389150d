import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Engine } from "../../engine/engine.js";
import { ErrorCode, RequestRejected } from "../../errors.js";
import { executionReport, type ReportSources } from "../../report/build.js";
import { viemReportChain } from "../../report/chain.js";
import { FactsCache } from "../../report/collect.js";
import { reportCsv } from "../../report/csv.js";
import { CURSOR, readTape, tapePage } from "../../report/tape.js";
import { DEFAULT_HORIZON_SECONDS, type ReportWindow, windowProblem } from "../../report/window.js";
import type { ApiContext } from "../context.js";
import { parse } from "../http.js";

const seconds = z
  .string()
  .regex(/^\d{1,12}$/, "unix seconds of chain time")
  .transform(Number);

/** GET /v1/quotes/tape: quotes priced in [from, to] (chain time; `to` defaults to now), a page at a time. */
export const TapeQuery = z.strictObject({
  from: seconds.optional(),
  to: seconds.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().regex(CURSOR, "the nextCursor of the page before").optional(),
});

/** GET /v1/report/execution */
export const ExecutionReportQuery = z.strictObject({
  from: seconds.optional(),
  to: seconds.optional(),
  horizon: z
    .string()
    .regex(/^\d{1,8}$/, "whole seconds")
    .transform(Number)
    .optional(),
  format: z.enum(["json", "csv"]).default("json"),
});

/** Tape entries per page when the solver reads its own tape for a report: the endpoint's largest page. */
const PAGE = 1000;
/** Reports computed at once; more are refused BUSY rather than queued (each one reads the chain). */
const MAX_REPORTS_IN_FLIGHT = 2;

/**
 * Public reads of execution quality: the quote tape (the solver's firm quotes without their requesters) and
 * the execution-quality report built from the chain and that tape, in JSON or CSV.
 */
export function registerReport(app: FastifyInstance, ctx: ApiContext): void {
  const { engine } = ctx;
  const sources = reportSources(ctx);
  let inFlight = 0;

  app.get("/v1/quotes/tape", async (req, reply) => {
    ctx.ipLimiter.take(req.ip);
    const q = parse(TapeQuery, req.query);
    const w = await windowOf(engine, { ...q, horizon: undefined });
    const after = q.cursor ? cursorOf(q.cursor) : undefined;
    return reply.send(tapePage(engine.store, engine.assets, { from: w.from, to: w.to, limit: q.limit, after }));
  });

  app.get("/v1/report/execution", async (req, reply) => {
    ctx.ipLimiter.take(req.ip);
    const q = parse(ExecutionReportQuery, req.query);
    const w = await windowOf(engine, q);
    if (inFlight >= MAX_REPORTS_IN_FLIGHT) throw new RequestRejected(ErrorCode.Busy, "reports are being computed");
    inFlight++;
    try {
      const report = await executionReport(await sources(), w);
      if (q.format === "json") return reply.send(report);
      return reply
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="execution-report-${w.from}-${w.to}.csv"`)
        .send(reportCsv(report));
    } finally {
      inFlight--;
    }
  });
}

/** The window asked for: `from` defaults to 0, `to` to the chain's time now; refused when it makes no sense. */
async function windowOf(
  engine: Engine,
  q: { from?: number | undefined; to?: number | undefined; horizon?: number | undefined },
): Promise<ReportWindow> {
  const w = {
    from: q.from ?? 0,
    to: q.to ?? (await engine.market.chainTime()),
    horizon: q.horizon ?? DEFAULT_HORIZON_SECONDS,
  };
  const problem = windowProblem(w);
  if (problem) throw new RequestRejected(ErrorCode.InvalidRequest, problem);
  return w;
}

function cursorOf(cursor: string): { createdAt: number; quoteId: string } {
  const [, createdAt, quoteId] = CURSOR.exec(cursor)!;
  return { createdAt: Number(createdAt), quoteId: quoteId! };
}

/**
 * The report's sources in the solver: the chain through the API's reader, the tape from the store (paged and
 * parsed as the CLI reads it from this API), and one cache of settled fills for every report served.
 */
function reportSources(ctx: ApiContext): () => Promise<ReportSources> {
  const { engine } = ctx;
  const cache = new FactsCache();
  let chain: ReturnType<typeof viemReportChain> | undefined;
  return async () => {
    chain ??= viemReportChain(ctx.reader, engine.deployment).catch((error: unknown) => {
      chain = undefined;
      throw error;
    });
    const { chain: reads, scales } = await chain;
    return {
      chain: reads,
      scales,
      chainId: engine.chainId,
      settlement: engine.deployment.contracts.settlement,
      solver: engine.solver,
      cache,
      tape: (from, to) =>
        readTape(async (cursor) =>
          tapePage(engine.store, engine.assets, {
            from,
            to,
            limit: PAGE,
            ...(cursor ? { after: cursorOf(cursor) } : {}),
          }),
        ),
    };
  };
}
