import type { Command } from "@commander-js/extra-typings";
import { admin, emit, fmtUsd, globals, pairs, table, when } from "./context.js";

const usd = (x: unknown) => fmtUsd(Number(x));

type Row = Record<string, unknown>;

/** `hedge status|run|pause|resume`: the delta hedger on the spot venue, through /v1/admin/hedge. */
export function registerHedge(program: Command): void {
  const hedge = program.command("hedge").description("delta hedging on the spot venue (Uniswap v3)");
  hedge
    .command("status", { isDefault: true })
    .description("net delta against the band, the last check, hedge PnL and cost, the latest hedges")
    .option("--recent <n>", "how many of the latest hedges to list", "10")
    .action(async (o, cmd) => {
      const g = globals(cmd);
      const r = (await admin(g, "GET", "/v1/admin/hedge")) as Row;
      emit(g, r, () => statusText(r, Number(o.recent)));
    });
  hedge
    .command("run")
    .description("one hedge check now, paused or not (inside the band: no swap; --force swaps the net delta anyway)")
    .option("--force", "swap whatever the band, the pause and the cost")
    .action(async (o, cmd) => {
      const g = globals(cmd);
      const r = (await admin(g, "POST", "/v1/admin/hedge/run", { force: o.force === true })) as { outcome: Row };
      emit(g, r, () => outcomeText(r.outcome));
    });
  for (const [name, paused] of [
    ["pause", true],
    ["resume", false],
  ] as const) {
    hedge
      .command(name)
      .description(paused ? "stop hedging (quoting goes on; the book's delta is carried)" : "hedge again")
      .action(async (_o, cmd) => {
        const g = globals(cmd);
        const r = (await admin(g, "POST", `/v1/admin/hedge/${name}`)) as Row;
        emit(g, r, () => (r.paused ? "hedging paused (quoting goes on)" : "hedging resumed"));
      });
  }
}

function statusText(r: Row, recent: number): string {
  const e = r.exposure as Row;
  const hedges = (r.hedges as Row[]).slice(0, recent);
  return [
    pairs([
      ["hedging", r.enabled ? (r.paused ? "paused" : "on") : "disabled in the config"],
      [
        "net delta",
        `${usd(e.netDeltaUsd)} (${num(e.netDeltaEth)} ETH: options ${num(e.optionsDeltaEth)}, spot ${num(e.spotEth)})`,
      ],
      ["no-trade band", `${usd((r.params as Row).bandUsd)} at least (wider when a swap would cost more)`],
      ["last check", r.last ? outcomeText(r.last as Row) : "none yet"],
      ["hedges", totalsText(r.totals as Row)],
      ["hedge PnL", usd(r.hedgePnlUsd)],
      ["hedge cost", usd(r.hedgeCostUsd)],
    ]),
    table(
      ["at", "status", "sold", "WETH", "USDC", "reference", "tx"],
      hedges.map((h) => [
        when(h.at),
        String(h.status) + (h.error ? ` (${h.error})` : ""),
        String(h.sell),
        num(Number(h.wethDelta) / 1e18),
        num(Number(h.usdcDelta) / 1e6, 2),
        num(h.mid, 2),
        h.txHash ? String(h.txHash) : "-",
      ]),
    ),
  ].join("\n");
}

function outcomeText(o: Row): string {
  const e = o.exposure as Row | undefined;
  const delta = e ? ` at net delta ${usd(e.netDeltaUsd)}` : "";
  switch (o.action) {
    case "hedged": {
      const h = o.hedge as Row;
      const weth = Number(h.wethDelta) / 1e18;
      const usdc = Number(h.usdcDelta) / 1e6;
      const trade = `${weth < 0 ? "sold" : "bought"} ${num(Math.abs(weth))} WETH for ${num(Math.abs(usdc), 2)} USDC`;
      return `hedged${delta}: ${trade}, estimated cost ${usd((o.cost as Row).totalUsd)}, tx ${h.txHash}`;
    }
    case "failed":
      return `failed${delta} after ${o.attempts} attempts: ${o.error}`;
    case "inside band":
    case "not worth it":
    case "no collateral room":
      return `${o.action}${delta} (band ${usd(o.bandUsd)})`;
    default:
      return String(o.action);
  }
}

function totalsText(t: Row): string {
  return `${t.done} done, ${t.failed} failed, ${t.pending} sent and not yet seen mined`;
}

function num(x: unknown, digits = 4): string {
  return Number(x).toFixed(digits);
}
