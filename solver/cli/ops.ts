import type { Command } from "@commander-js/extra-typings";
import { admin, emit, fmtUsd, globals, pairs, table } from "./context.js";

type Row = Record<string, unknown>;
const num = (x: unknown, digits = 2) => (typeof x === "number" ? x.toFixed(digits) : String(x));
const units = (x: unknown, decimals: number) =>
  (Number(x) / 10 ** decimals).toLocaleString("en-US", { maximumFractionDigits: 6 });
const short = (h: unknown) => (typeof h === "string" && h.length > 14 ? `${h.slice(0, 10)}…${h.slice(-4)}` : String(h));

/** The operator's read commands and the kill switch, all through the solver's /v1/admin API. */
export function registerOps(program: Command): void {
  program
    .command("status")
    .description("the solver's state: chain, block, spot, kill switch, open reservations and pending orders")
    .action(async (_o, cmd) => {
      const g = globals(cmd);
      const s = (await admin(g, "GET", "/v1/admin/status")) as Row;
      emit(g, s, () => pairs(Object.entries(s)));
    });

  program
    .command("inventory")
    .description("positions per series with their greeks in USD, cash and locked collateral")
    .action(async (_o, cmd) => {
      const g = globals(cmd);
      const inv = (await admin(g, "GET", "/v1/admin/inventory")) as {
        cash: { weth: string; usdc: string };
        locked: { weth: string; usdc: string };
        greeks: Row;
        positions: Row[];
      };
      emit(g, inv, () =>
        [
          table(
            ["series", "longs", "shorts", "net", "delta $", "vega $", "value $"],
            inv.positions.map((p) => [
              String(p.series),
              units(p.longs, 18),
              units(p.shorts, 18),
              num(p.net, 4),
              num(p.deltaUsd),
              num(p.vegaUsd),
              num(p.valueUsd),
            ]),
          ),
          `cash ${units(inv.cash.weth, 18)} WETH, ${units(inv.cash.usdc, 6)} USDC; locked ${units(inv.locked.weth, 18)} WETH, ${units(inv.locked.usdc, 6)} USDC`,
          `book: delta $${num(inv.greeks.deltaUsd)}, gamma $${num(inv.greeks.gammaUsd)}/1%, vega $${num(inv.greeks.vegaUsd)}/vol pt, theta $${num(inv.greeks.thetaUsd)}/day`,
        ].join("\n"),
      );
    });

  program
    .command("risk")
    .description("each risk limit with its usage, the kill switch and its triggers, counterparty toxicity")
    .action(async (_o, cmd) => {
      const g = globals(cmd);
      const r = (await admin(g, "GET", "/v1/admin/risk")) as {
        usage: Record<string, { used: number; max: number; usage: number }>;
        killSwitch: Row;
        reservations: unknown[];
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
          `kill switch: ${JSON.stringify(r.killSwitch)}; ${r.reservations.length} open reservations`,
        ].join("\n"),
      );
    });

  program
    .command("quotes")
    .description("recent firm quotes, newest first")
    .option("--status <status>", "only open, ordered, expired, filled or failed quotes")
    .option("--limit <n>", "how many", "20")
    .action(async (o, cmd) => {
      const g = globals(cmd);
      const q = new URLSearchParams({ limit: o.limit, ...(o.status ? { status: o.status } : {}) });
      const { quotes } = (await admin(g, "GET", `/v1/admin/quotes?${q}`)) as { quotes: Row[] };
      emit(g, { quotes }, () =>
        table(
          ["quote", "side", "amount", "route", "reason", "premium", "AMM ref", "status"],
          quotes.map((x) => [
            short(x.quoteId),
            String(x.side),
            units(x.amount, 18),
            String(x.route),
            String(x.reason),
            String(x.premium),
            String(x.ammReferencePremium),
            String(x.status),
          ]),
        ),
      );
    });

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
          ["order", "block", "side", "internal", "amm", "premium", "markout bps"],
          fills.map((f) => [
            short(f.orderHash),
            String(f.block),
            String(f.side),
            units(f.internalAmount, 18),
            units(f.ammAmount, 18),
            String(f.premium),
            f.markoutBps === null ? "pending" : num(f.markoutBps, 1),
          ]),
        ),
      );
    });

  program
    .command("pnl")
    .description("PnL in USD split into spread, fees, gas and inventory, with the drawdown from the peak")
    .action(async (_o, cmd) => {
      const g = globals(cmd);
      const p = (await admin(g, "GET", "/v1/admin/pnl")) as Record<string, number>;
      emit(g, p, () => pairs(Object.entries(p).map(([k, v]) => [k, fmtUsd(v)])));
    });

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
            ["order", "side", "internal", "paid/received", "AMM reference", "improvement bps"],
            r.rows.map((x) => [
              short(x.orderHash),
              String(x.side),
              units(x.internalAmount, 18),
              String(x.internalPremium),
              String(x.ammReferencePremium),
              num(x.improvementBps, 1),
            ]),
          ),
          `${r.fills} internal fills, ${r.violations} worse than the AMM, $${fmtUsd(r.totalImprovementUsd)} improvement to clients`,
        ].join("\n"),
      );
    });

  program
    .command("pause")
    .description("kill switch: stop quoting now (open quotes stay firm until they expire)")
    .action(async (_o, cmd) => {
      const g = globals(cmd);
      const s = (await admin(g, "POST", "/v1/admin/pause")) as Row;
      emit(g, s, () => `paused: ${JSON.stringify(s)}`);
    });

  program
    .command("resume")
    .description("clear the kill switch and quote again")
    .action(async (_o, cmd) => {
      const g = globals(cmd);
      const s = (await admin(g, "POST", "/v1/admin/resume")) as Row;
      emit(g, s, () => `resumed: ${JSON.stringify(s)}`);
    });
}
