import type { Command } from "@commander-js/extra-typings";
import { ErrorCode } from "../errors.js";
import { QUOTE_STATUSES } from "../types.js";
import { admin, api, CliError, emit, fmtUsd, globals, pairs, short, table, units, when } from "./context.js";

type Row = Record<string, unknown>;
const num = (x: unknown, digits = 2) => (typeof x === "number" ? x.toFixed(digits) : String(x));

/** "quoting", or "PAUSED since …: reason (detail)". */
export function killSwitchText(k: Row): string {
  if (!k.paused) return "quoting";
  return `PAUSED since ${when(k.since)}: ${k.reason}${k.detail ? ` (${k.detail})` : ""}`;
}

/** A smile for people: "atm 80.0%, skew -0.1000, curvature 0.0500". */
export function smileText(s: Row): string {
  const pct = typeof s.atmVol === "number" ? `${(s.atmVol * 100).toFixed(1)}%` : String(s.atmVol);
  return `atm ${pct}, skew ${num(s.skew, 4)}, curvature ${num(s.curvature, 4)}`;
}

/** The operator's read commands, the kill switch, and the solver's own vols and limits, through /v1/admin. */
export function registerOps(program: Command): void {
  statusCommand(program);
  pricesCommand(program);
  inventoryCommand(program);
  riskCommand(program);
  quotesCommand(program);
  fillsCommand(program);
  pnlCommand(program);
  bestexCommand(program);
  orderCommand(program);
  pauseCommand(program);
  resumeCommand(program);
  registerVolAndLimits(program);
}

function statusCommand(program: Command): void {
  program
    .command("status")
    .description("the solver's state: chain, block, chain time, spot, kill switch, open reservations, pending orders")
    .action(async (_o, cmd) => {
      const g = globals(cmd);
      const s = (await admin(g, "GET", "/v1/admin/status")) as Row;
      emit(g, s, () =>
        pairs(
          Object.entries(s).map(([k, v]) => [
            k,
            k === "chainTime" || k === "oracleUpdatedAt"
              ? when(v)
              : k === "wallTime"
                ? `${new Date(Number(v) * 1000).toISOString().replace(".000Z", "Z")} (wall clock)`
                : k === "killSwitch"
                  ? killSwitchText(v as Row)
                  : k === "reference"
                    ? referenceText(v as Row)
                    : v,
          ]),
        ),
      );
    });
}

/** The reference price line of `status`: what the solver prices at, and the oracle's and the pool's gaps to it. */
function referenceText(r: Row): string {
  if (r.price === null) return `${r.source}: unavailable (${r.error})`;
  const bps = (x: unknown) => (x === null ? "-" : `${Number(x).toFixed(1)} bps`);
  return (
    `${num(r.price)} from the ${r.source}; oracle ${bps(r.oracleGapBps)}, pool ${bps(r.poolGapBps)} from it ` +
    `(widens beyond ${r.widenAboveBps} bps, declines beyond ${r.declineAboveBps})`
  );
}

function pricesCommand(program: Command): void {
  program
    .command("prices")
    .description(
      "indicative prices of every live series: the solver's bid/ask beside the AMM's, vol and delta (no token)",
    )
    .action(async (_o, cmd) => {
      const g = globals(cmd);
      const p = (await api(g, "GET", "/v1/series")) as { chainTime: number; spot: number; series: Row[] };
      emit(g, p, () =>
        [
          table(
            ["instrument", "bid", "ask", "AMM bid", "AMM ask", "vol", "delta"],
            p.series.map((x) => [
              String(x.instrument),
              units(x.bid),
              units(x.ask),
              units(x.ammBid),
              units(x.ammAsk),
              `${num(Number(x.vol) * 100, 1)}%`,
              num(x.delta, 3),
            ]),
          ),
          `spot $${num(p.spot)} at ${when(p.chainTime)}; per option, indicative (ask for a firm quote with \`rfq\`)`,
        ].join("\n"),
      );
    });
}

function inventoryCommand(program: Command): void {
  program
    .command("inventory")
    .description("positions per series with their greeks in USD, cash and locked collateral")
    .action(async (_o, cmd) => {
      const g = globals(cmd);
      const inv = (await admin(g, "GET", "/v1/admin/inventory")) as {
        cash: { weth: unknown; usdc: unknown };
        locked: { weth: unknown; usdc: unknown };
        greeks: Row;
        positions: Row[];
      };
      emit(g, inv, () =>
        [
          table(
            ["instrument", "longs", "shorts", "net", "delta $", "vega $", "value $", "state"],
            inv.positions.map((p) => [
              String(p.instrument),
              units(p.longs, 4),
              units(p.shorts, 4),
              num(p.net, 4),
              num(p.deltaUsd),
              num(p.vegaUsd),
              num(p.valueUsd),
              p.expired
                ? p.settlementPrice
                  ? `expired, settled at ${units(p.settlementPrice, 2)}`
                  : "expired"
                : "live",
            ]),
          ),
          `cash ${units(inv.cash.weth)}, ${units(inv.cash.usdc, 2)}; locked ${units(inv.locked.weth)}, ${units(inv.locked.usdc, 2)}`,
          `book: delta $${num(inv.greeks.deltaUsd)}, gamma $${num(inv.greeks.gammaUsd)}/1%, vega $${num(inv.greeks.vegaUsd)}/vol pt, theta $${num(inv.greeks.thetaUsd)}/day`,
        ].join("\n"),
      );
    });
}

function riskCommand(program: Command): void {
  program
    .command("risk")
    .description("each risk limit with its usage, the kill switch and its triggers, counterparty toxicity")
    .action(async (_o, cmd) => {
      const g = globals(cmd);
      const r = (await admin(g, "GET", "/v1/admin/risk")) as {
        usage: Record<string, { used: number; max: number; usage: number }>;
        killSwitch: Row;
        reservations: unknown[];
        toxicity: Array<{ counterparty: string; score: number; fills: number }>;
      };
      emit(g, r, () =>
        [
          table(
            ["limit", "used", "max", "usage"],
            Object.entries(r.usage).map(([k, u]) => [
              k,
              num(u.used, 4),
              num(u.max, 4),
              `${(u.usage * 100).toFixed(1)}%`,
            ]),
          ),
          `kill switch: ${killSwitchText(r.killSwitch)}; ${r.reservations.length} open reservations`,
          r.toxicity.length
            ? table(
                ["counterparty", "toxicity (bps lost, EWMA)", "fills"],
                r.toxicity.map((t) => [t.counterparty, num(t.score, 1), t.fills]),
              )
            : "no counterparty markouts yet",
        ].join("\n"),
      );
    });
}

function quotesCommand(program: Command): void {
  program
    .command("quotes")
    .description("recent firm quotes, newest first")
    .option("--status <status>", `only quotes in this state: ${QUOTE_STATUSES.join(", ")}`)
    .option("--limit <n>", "how many", "20")
    .action(async (o, cmd) => {
      const g = globals(cmd);
      const q = new URLSearchParams({ limit: o.limit, ...(o.status ? { status: o.status } : {}) });
      const { quotes } = (await admin(g, "GET", `/v1/admin/quotes?${q}`)) as { quotes: Row[] };
      emit(g, { quotes }, () =>
        table(
          ["quote", "instrument", "side", "amount", "route", "reason", "premium", "AMM ref", "improvement", "status"],
          quotes.map((x) => [
            short(x.quoteId),
            String(x.instrument),
            String(x.side),
            units(x.amount, 4).split(" ")[0]!,
            String(x.route),
            String(x.reason),
            units(x.premium),
            units(x.ammReferencePremium),
            `${num(x.improvementBps, 1)} bps`,
            String(x.status),
          ]),
        ),
      );
    });
}

function fillsCommand(program: Command): void {
  program
    .command("fills")
    .description("recent fills from the settlement's Filled events, newest first, with markouts")
    .option("--limit <n>", "how many", "20")
    .action(async (o, cmd) => {
      const g = globals(cmd);
      const { fills } = (await admin(g, "GET", `/v1/admin/fills?limit=${encodeURIComponent(o.limit)}`)) as {
        fills: Row[];
      };
      emit(g, { fills }, () =>
        table(
          ["order", "block", "instrument", "side", "internal", "amm", "premium", "vs AMM", "markout bps"],
          fills.map((f) => [
            short(f.orderHash),
            String(f.block),
            String(f.instrument),
            String(f.side),
            units(f.internalAmount, 4).split(" ")[0]!,
            units(f.ammAmount, 4).split(" ")[0]!,
            units(f.premium),
            `${num(f.improvementBps, 1)} bps`,
            f.markoutBps === null ? "pending" : num(f.markoutBps, 1),
          ]),
        ),
      );
    });
}

function pnlCommand(program: Command): void {
  program
    .command("pnl")
    .description("PnL in USD split into spread, fees, gas, hedges and inventory; --block values it at a past block")
    .option("--block <n>", "value the book as the chain had it at this block (a pure function of the chain)")
    .action(async (o, cmd) => {
      const g = globals(cmd);
      if (o.block !== undefined && !/^\d+$/.test(o.block))
        throw new CliError(ErrorCode.InvalidRequest, "--block is a block number");
      const p = (await admin(g, "GET", `/v1/admin/pnl${o.block ? `?block=${o.block}` : ""}`)) as Record<
        string,
        number | null
      >;
      const money = [
        "totalUsd",
        "spreadUsd",
        "feesUsd",
        "gasUsd",
        "hedgePnlUsd",
        "hedgeCostUsd",
        "inventoryUsd",
        "peakUsd",
        "drawdownUsd",
      ];
      emit(g, p, () =>
        [
          pairs(
            money.map((k) => [
              k.replace(/Usd$/, ""),
              p[k] === null ? "- (the running figure; not kept per block)" : fmtUsd(p[k]!),
            ]),
          ),
          `as of block ${p.block}, ${when(p.chainTime)}, spot $${num(p.spot)}; total = spread − fees − gas + hedgePnl − hedgeCost + inventory`,
        ].join("\n"),
      );
    });
}

function bestexCommand(program: Command): void {
  program
    .command("bestex")
    .description("best-execution report: each internal fill's price against the AMM's price for the same part")
    .action(async (_o, cmd) => {
      const g = globals(cmd);
      const r = (await admin(g, "GET", "/v1/admin/bestex")) as {
        fills: number;
        violations: number;
        totalImprovementUsd: number;
        rows: Row[];
      };
      emit(g, r, () =>
        [
          table(
            ["order", "instrument", "side", "internal", "paid/received", "AMM reference", "improvement"],
            r.rows.map((x) => [
              short(x.orderHash),
              String(x.instrument),
              String(x.side),
              units(x.internalAmount, 4).split(" ")[0]!,
              units(x.internalPremium),
              units(x.ammReferencePremium),
              `${units(x.improvement)} (${num(x.improvementBps, 1)} bps)`,
            ]),
          ),
          `${r.fills} internal fills, ${r.violations} worse than the AMM, ${fmtUsd(r.totalImprovementUsd)} improvement to clients`,
        ].join("\n"),
      );
    });
}

function orderCommand(program: Command): void {
  program
    .command("order")
    .description("an order's audit trail: its quote, then accepted → submitted (tx) → filled or failed, in chain time")
    .argument("<orderHash>", "the order hash")
    .action(async (hash, _o, cmd) => {
      const g = globals(cmd);
      const r = (await admin(g, "GET", `/v1/admin/orders/${encodeURIComponent(hash)}`)) as {
        quote: Row | null;
        order: Row & { trail: Row[] };
      };
      const q = r.quote;
      emit(g, r, () =>
        [
          q
            ? `quote ${short(q.quoteId)} at ${when(q.createdAt)}: ${q.side} ${units(q.amount, 4)} for ${units(q.premium)} ` +
              `(AMM ${units(q.ammReferencePremium)}), ${q.route}/${q.reason}, valid until ${when(q.validUntil)}`
            : "quote: unknown",
          table(
            ["step", "at", "tx", "error"],
            r.order.trail.map((e) => [
              String(e.status),
              when(e.at),
              e.txHash ? String(e.txHash) : "-",
              e.error ? `${(e.error as Row).code}: ${(e.error as Row).reason}` : "-",
            ]),
          ),
        ].join("\n"),
      );
    });
}

function pauseCommand(program: Command): void {
  program
    .command("pause")
    .description("kill switch: stop quoting now (open quotes stay firm until they expire)")
    .action(async (_o, cmd) => {
      const g = globals(cmd);
      const s = (await admin(g, "POST", "/v1/admin/pause")) as Row;
      emit(g, s, () => killSwitchText(s));
    });
}

function resumeCommand(program: Command): void {
  program
    .command("resume")
    .description("clear the kill switch and quote again")
    .action(async (_o, cmd) => {
      const g = globals(cmd);
      const s = (await admin(g, "POST", "/v1/admin/resume")) as Row;
      emit(g, s, () => (s.paused ? `still paused: ${s.reason}` : "quoting"));
    });
}

function registerVolAndLimits(program: Command): void {
  const vol = program.command("vol").description("the solver's own vol surface (the vaults' is set with `vault vol`)");
  volShowCommand(vol);
  volSetCommand(vol);
  const limits = program.command("limits").description("the solver's risk limits");
  limitsShowCommand(limits);
  limitsSetCommand(limits);
}

function volShowCommand(vol: Command): void {
  vol
    .command("show", { isDefault: true })
    .description("the default smile and the per-expiry slices")
    .action(async (_o, cmd) => {
      const g = globals(cmd);
      const v = (await admin(g, "GET", "/v1/admin/vol")) as { default: Row; byExpiry: Record<string, Row> };
      emit(g, v, () =>
        table(
          ["expiry", "atm vol", "skew", "curvature"],
          [
            ["default", num(v.default.atmVol, 4), num(v.default.skew, 4), num(v.default.curvature, 4)],
            ...Object.entries(v.byExpiry).map(([e, s]) => [
              when(Number(e)),
              num(s.atmVol, 4),
              num(s.skew, 4),
              num(s.curvature, 4),
            ]),
          ],
        ),
      );
    });
}

function volSetCommand(vol: Command): void {
  vol
    .command("set")
    .description("set the solver's smile for one expiry: vol(k) = atm + skew·k + curvature·k², k = ln(K/F)")
    .requiredOption(
      "--expiry <time>",
      "unix seconds, an ISO time, an instrument name of that expiry, or a date (YYYY-MM-DD) on which one series expires",
    )
    .requiredOption("--atm <vol>", "at-the-money vol as a fraction: 0.8 means 80%")
    .option("--skew <x>", "skew coefficient (the whole slice is set: omitted means 0, a flat smile)", "0")
    .option("--curvature <x>", "curvature coefficient", "0")
    .action(async (o, cmd) => {
      const g = globals(cmd);
      const body = {
        expiry: await expiryOf(g, o.expiry, async () => {
          const r = (await api(g, "GET", "/v1/series")) as { series: Array<{ expiry: number }> };
          return r.series.map((x) => x.expiry);
        }),
        atmVol: number(o.atm),
        skew: number(o.skew),
        curvature: number(o.curvature),
      };
      const r = (await admin(g, "POST", "/v1/admin/vol", body)) as { expiry: number; slice: Row };
      emit(g, r, () => `solver vol for expiry ${when(r.expiry)}: ${smileText(r.slice)}`);
    });
}

function limitsShowCommand(limits: Command): void {
  limits
    .command("show", { isDefault: true })
    .description("the limits in force")
    .action(async (_o, cmd) => {
      const g = globals(cmd);
      const l = (await admin(g, "GET", "/v1/admin/limits")) as Row;
      emit(g, l, () => pairs(Object.entries(l)));
    });
}

function limitsSetCommand(limits: Command): void {
  limits
    .command("set")
    .description("change some limits (validated; the others stay)")
    .option("--max-order-size <options>", "largest order, in options")
    .option("--max-series-position <options>", "largest |net position| per series, in options")
    .option("--max-net-delta-usd <usd>", "largest |net delta| of the book, USD")
    .option("--max-net-vega-usd <usd>", "largest |net vega| of the book, USD per vol point")
    .option("--max-collateral-utilisation <fraction>", "largest locked share of each collateral asset, 0..1")
    .action(async (o, cmd) => {
      const g = globals(cmd);
      const patch = Object.fromEntries(Object.entries(o).map(([k, v]) => [k, number(String(v))]));
      if (Object.keys(patch).length === 0)
        throw new CliError(ErrorCode.InvalidRequest, "name at least one limit to set");
      const l = (await admin(g, "PUT", "/v1/admin/limits", patch)) as Row;
      emit(g, l, () => pairs(Object.entries(l)));
    });
}

function number(text: string): number {
  const n = Number(text);
  if (!/^-?\d+(\.\d+)?$/.test(text.trim()) || !Number.isFinite(n)) {
    throw new CliError(ErrorCode.InvalidRequest, `"${text}" is not a number`);
  }
  return n;
}

/**
 * An expiry from unix seconds, an ISO time, or an instrument name. A bare date means the expiry of the series
 * that day when `existing` lists them (setting vols), else 08:00 UTC (creating a series).
 */
export async function expiryOf(
  g: ReturnType<typeof globals>,
  text: string,
  existing?: () => Promise<number[]>,
): Promise<number> {
  if (/^\d+$/.test(text)) return Number(text);
  if (/^ETH-/i.test(text)) {
    const r = (await api(g, "GET", `/v1/series/${encodeURIComponent(text)}`)) as { series: { expiry: number } };
    return r.series.expiry;
  }
  if (existing && /^\d{4}-\d{2}-\d{2}$/.test(text)) return expiryOnDay(text, await existing());
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T08:00:00Z` : text);
  if (Number.isNaN(ms))
    throw new CliError(ErrorCode.InvalidRequest, `"${text}" is not a unix time, an ISO date or an instrument name`);
  return Math.floor(ms / 1000);
}

/** The one expiry among `expiries` that falls on the UTC day `day` (YYYY-MM-DD). */
export function expiryOnDay(day: string, expiries: number[]): number {
  const start = Date.parse(`${day}T00:00:00Z`) / 1000;
  if (Number.isNaN(start)) throw new CliError(ErrorCode.InvalidRequest, `"${day}" is not a date`);
  const onDay = [...new Set(expiries.filter((e) => e >= start && e < start + 86_400))].sort((a, b) => a - b);
  if (onDay.length === 1) return onDay[0]!;
  if (onDay.length === 0)
    throw new CliError(
      ErrorCode.SeriesUnknown,
      `no series expires on ${day}; pass the expiry time or an instrument name`,
    );
  throw new CliError(
    ErrorCode.InvalidRequest,
    `several expiries fall on ${day} (${onDay.map((e) => when(e)).join(", ")}); pass one of them or an instrument name`,
  );
}
