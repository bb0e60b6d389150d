import { writeFileSync } from "node:fs";
import type { Command } from "@commander-js/extra-typings";
import { type Address, getAddress } from "viem";
import { z } from "zod";
import type { Deployment } from "../config/schema.js";
import { ErrorCode } from "../errors.js";
import type { ReportRow } from "../report/aggregate.js";
import { type ExecutionReport, executionReport } from "../report/build.js";
import { viemReportChain } from "../report/chain.js";
import { reportCsv } from "../report/csv.js";
import { readTape } from "../report/tape.js";
import { DEFAULT_HORIZON_SECONDS, type ReportWindow, windowProblem } from "../report/window.js";
import { api, CliError, type GlobalOptions, globals, progress, reader, table, when } from "./context.js";

export const REPORT_FORMATS = ["table", "csv", "json"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const ISO = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)?(Z|[+-]\d{2}:\d{2})?$/;

/** True when YYYY-MM-DD names a day of the calendar (Date.parse rolls 2026-02-30 over into March). */
function realDay(ymd: string): boolean {
  const [y, m, d] = ymd.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** A chain time from unix seconds or an ISO date or date-time (UTC unless it names a zone). */
export function parseTime(text: string, flag: string): number {
  if (/^\d{1,12}$/.test(text)) return Number(text);
  const m = ISO.exec(text);
  // A zone needs a time; a time without a zone is UTC.
  if (m && realDay(m[1]!) && !(m[3] && !m[2])) {
    const ms = Date.parse(m[2] && !m[3] ? `${text}Z` : text);
    if (!Number.isNaN(ms) && ms >= 0) return Math.floor(ms / 1000);
  }
  throw new CliError(
    ErrorCode.InvalidRequest,
    `${flag} "${text}" is not unix seconds or an ISO date (2026-12-01, 2026-12-01T08:00:00Z)`,
  );
}

/** The markout horizon: whole seconds. */
export function parseHorizon(text: string): number {
  if (!/^\d{1,8}$/.test(text)) throw new CliError(ErrorCode.InvalidRequest, `--horizon "${text}" is not whole seconds`);
  return Number(text);
}

export function parseFormat(text: string, json: boolean | undefined): ReportFormat {
  if (json) return "json";
  if (!(REPORT_FORMATS as readonly string[]).includes(text))
    throw new CliError(ErrorCode.InvalidRequest, `--format is one of ${REPORT_FORMATS.join(", ")}`);
  return text as ReportFormat;
}

type WindowOptions = { from?: string | undefined; to?: string | undefined; horizon: string };

/** The options' times and horizon, parsed; `to` undefined when not given. */
export function windowParts(o: WindowOptions) {
  return {
    from: o.from === undefined ? 0 : parseTime(o.from, "--from"),
    to: o.to === undefined ? undefined : parseTime(o.to, "--to"),
    horizon: parseHorizon(o.horizon),
  };
}

/** The window, or INVALID_REQUEST saying what is wrong with it. */
export function checkWindow(w: ReportWindow): ReportWindow {
  const problem = windowProblem(w);
  if (problem) throw new CliError(ErrorCode.InvalidRequest, problem);
  return w;
}

type Options = { fromChain?: true; from?: string; to?: string; horizon: string; format: string; out?: string };

/** `report execution`: the execution-quality report, from the solver's API or rebuilt from the chain. */
export function registerReport(program: Command): void {
  const report = program.command("report").description("public reports on the solver's execution");
  report
    .command("execution")
    .description(
      "execution quality in the spirit of SEC Rule 605: orders, fills, fill rate, internalization, price " +
        "improvement against the AMM, quote-to-fill time and markouts, per size bucket and route " +
        "(docs/REPORT.md). Asks the solver's API for it, or with --from-chain rebuilds it from the chain",
    )
    .option(
      "--from-chain",
      "rebuild it from the chain (--rpc, --deployment) and the solver's public quote tape (--api), " +
        "with the code the solver runs; never opens the solver's database",
    )
    .option("--from <time>", "start, chain time: unix seconds or an ISO date (default: the beginning)")
    .option("--to <time>", "end, chain time, included (default: the latest block)")
    .option("--horizon <seconds>", "markout horizon in seconds", String(DEFAULT_HORIZON_SECONDS))
    .option("--format <format>", `${REPORT_FORMATS.join(", ")} (--json prints json)`, "table")
    .option("--out <file>", "write the report to this file instead of stdout")
    .action(async (o: Options, cmd) => {
      const g = globals(cmd);
      const format = parseFormat(o.format, g.json);
      const report = o.fromChain ? await fromChain(g, o) : await fromApi(g, o);
      output(g, report, format, o.out);
    });
}

const Health = z.object({ chainId: z.number(), settlement: z.string(), solver: z.string() });

/** The solver behind --api, which must serve the deployment --deployment names. */
async function solverOf(g: GlobalOptions, deployment: Deployment): Promise<Address> {
  const health = Health.safeParse(await api(g, "GET", "/v1/health"));
  if (!health.success) throw new CliError(ErrorCode.ApiUnavailable, "the solver's health answer has no solver");
  const { settlement, chainId, solver } = health.data;
  if (chainId !== deployment.chainId || getAddress(settlement) !== deployment.contracts.settlement) {
    throw new CliError(ErrorCode.DeploymentInvalid, "the solver at --api serves another deployment than --deployment", {
      details: {
        api: { chainId, settlement },
        deployment: { chainId: deployment.chainId, settlement: deployment.contracts.settlement },
      },
    });
  }
  return getAddress(solver);
}

/** One page of the public quote tape. */
const tapePage = (g: GlobalOptions, from: number, to: number) => (cursor: string | null) => {
  const query = new URLSearchParams({
    from: String(from),
    to: String(to),
    limit: "1000",
    ...(cursor ? { cursor } : {}),
  });
  return api(g, "GET", `/v1/quotes/tape?${query}`);
};

/** The report rebuilt here: Filled events and prices from --rpc, quotes from the API's public tape. */
async function fromChain(g: GlobalOptions, o: Options): Promise<ExecutionReport> {
  const parts = windowParts(o);
  checkWindow({ ...parts, to: parts.to ?? Number.MAX_SAFE_INTEGER });
  const { deployment, publicClient } = reader(g);
  const solver = await solverOf(g, deployment);
  const to = parts.to ?? Number((await publicClient.getBlock()).timestamp);
  const window = checkWindow({ ...parts, to });
  const { chain, scales } = await viemReportChain(publicClient, deployment);
  progress(g, `fills from ${g.rpc}, quotes from ${g.api}/v1/quotes/tape`);
  const settlement = deployment.contracts.settlement;
  const tape = (from: number, to: number) => readTape(tapePage(g, from, to));
  return executionReport({ chain, scales, chainId: deployment.chainId, settlement, solver, tape }, window);
}

const ReportShape = z.object({ window: z.object({ from: z.number() }), rows: z.array(z.object({})) });

/** The report as the solver computes it (`to` left to the solver when not given: its chain time now). */
async function fromApi(g: GlobalOptions, o: Options): Promise<ExecutionReport> {
  const p = windowParts(o);
  checkWindow({ ...p, to: p.to ?? Number.MAX_SAFE_INTEGER });
  const query = new URLSearchParams({
    from: String(p.from),
    ...(p.to === undefined ? {} : { to: String(p.to) }),
    horizon: String(p.horizon),
  });
  const report = await api(g, "GET", `/v1/report/execution?${query}`);
  if (!ReportShape.safeParse(report).success)
    throw new CliError(ErrorCode.ApiUnavailable, "the API answered another shape");
  return report as ExecutionReport;
}

/** Prints or writes the report in `format`. */
function output(g: GlobalOptions, report: ExecutionReport, format: ReportFormat, out: string | undefined): void {
  const text =
    format === "json"
      ? `${JSON.stringify(report, null, 2)}\n`
      : format === "csv"
        ? reportCsv(report)
        : `${tableText(report)}\n`;
  if (out) {
    writeFileSync(out, text);
    progress(g, `wrote ${out}`);
  }
  if (!out || g.json) process.stdout.write(text);
}

const fixed = (x: number | null, digits: number, suffix = "") => (x === null ? "-" : `${x.toFixed(digits)}${suffix}`);
const pct = (x: number | null) => fixed(x === null ? null : x * 100, 1, "%");

/** The rows with orders or fills, and the total, for people. */
function tableText(r: ExecutionReport): string {
  const w = r.window;
  const shown = r.rows.filter(
    (x: ReportRow) => x.orders > 0 || x.fills > 0 || (x.bucket === "all" && x.route === "all"),
  );
  return [
    `execution quality of solver ${r.solver}, ${when(w.from)} to ${when(w.to)}` +
      (w.fromBlock === null ? " (no blocks)" : ` (blocks ${w.fromBlock}-${w.toBlock})`) +
      `, markouts at ${w.horizonSeconds} s`,
    table(
      [
        "size",
        "route",
        "orders",
        "fills",
        "fill rate",
        "internal",
        "improved",
        "impr. bps",
        "impr. $/fill",
        "q→fill p50/p95 s",
        "markout bps",
        "markout $/fill",
      ],
      shown.map((x) => [
        x.bucket,
        x.route,
        x.orders,
        x.fills,
        pct(x.fillRate),
        pct(x.internalShare),
        pct(x.improvedShare),
        fixed(x.avgImprovementBps, 2),
        fixed(x.avgImprovementUsd, 2),
        `${fixed(x.medianQuoteToFillSeconds, 1)}/${fixed(x.p95QuoteToFillSeconds, 0)}`,
        fixed(x.avgMarkoutBps, 2),
        fixed(x.avgMarkoutUsd, 2) + (x.pendingMarkouts > 0 ? ` (${x.pendingMarkouts} pending)` : ""),
      ]),
    ),
  ].join("\n");
}
