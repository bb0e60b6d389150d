import { useSignal } from "@preact/signals";
import type { ReportRow as ReportRowJson } from "../../../solver/report/aggregate.js";
import { api } from "../api.js";
import { ErrorNote, Section, usePoll } from "../components.js";
import { bps, num, pct, time, usd } from "../format.js";

/** One row of `GET /v1/report/execution` (the report's own type; amounts arrive as JSON). */
type Row = Omit<ReportRowJson, "options"> & { options: { formatted: string } };
interface Report {
  window: { from: number; to: number; horizonSeconds: number; fromBlock: number | null; toBlock: number | null };
  rows: Row[];
}

const WINDOWS: Array<{ label: string; seconds: number | null }> = [
  { label: "All time", seconds: null },
  { label: "Last hour", seconds: 3_600 },
  { label: "Last 24 hours", seconds: 86_400 },
  { label: "Last 7 days", seconds: 7 * 86_400 },
];

const HEAD = [
  "Size (options)",
  "Route",
  "Orders",
  "Fill rate",
  "Fills",
  "Internalized",
  "Improved",
  "Avg improvement",
  "Improvement total",
  "Quote→fill median / p95",
  "Markout (LP side)",
];

/**
 * The public execution-quality report (SEC Rule 605 in spirit): per size bucket and route, orders, fill rate,
 * internalized and improved shares, average improvement, quote-to-fill times and markouts at the horizon.
 * Anyone can rebuild it from the chain with `internalizer report execution --from-chain`.
 */
export function ReportPage() {
  const windowSeconds = useSignal<number | null>(null);
  const query = useSignal("");
  const report = usePoll(
    async () => {
      const q = await windowQuery(windowSeconds.value);
      const r = await api.get<Report>(`/v1/report/execution${q ? `?${q}` : ""}`);
      query.value = q;
      return r;
    },
    15_000,
    [windowSeconds.value],
  );
  const r = report.data.value;
  // Rows with activity, and always the total: the empty cells of the 20 are in the downloads.
  const rows = (r?.rows ?? []).filter((x) => x.orders > 0 || x.fills > 0 || (x.bucket === "all" && x.route === "all"));
  const total = r?.rows.find((x) => x.bucket === "all" && x.route === "all");
  const link = (format: string) =>
    `/v1/report/execution?${[query.value, `format=${format}`].filter(Boolean).join("&")}`;
  return (
    <Section
      title="Execution quality"
      id="report"
      aside={
        <span class="row">
          <a class="button secondary" href={link("csv")} download data-testid="download-csv">
            Download CSV
          </a>
          <a
            class="button secondary"
            href={link("json")}
            download={r ? `execution-report-${r.window.from}-${r.window.to}.json` : "execution-report.json"}
            data-testid="download-json"
          >
            Download JSON
          </a>
        </span>
      }
    >
      <div class="row">
        <label>
          Window
          <select onChange={(e) => (windowSeconds.value = parseNullable((e.target as HTMLSelectElement).value))}>
            {WINDOWS.map((w) => (
              <option key={w.label} value={String(w.seconds)}>
                {w.label}
              </option>
            ))}
          </select>
        </label>
        {r && (
          <span class="muted small">
            {time(r.window.from || null)} → {time(r.window.to)} (chain time) · markout horizon {r.window.horizonSeconds}
            s
          </span>
        )}
      </div>
      <ErrorNote error={report.error.value} />
      {total && (
        <dl class="figures" data-testid="report-total">
          <dt>Orders</dt>
          <dd data-testid="total-orders">{total.orders}</dd>
          <dt>Fills</dt>
          <dd data-testid="total-fills">{total.fills}</dd>
          <dt>Improvement given</dt>
          <dd data-testid="total-improvement">{usd(total.totalImprovementUsd)}</dd>
          <dt>Internalized</dt>
          <dd>{pct(total.internalShare)} of notional</dd>
        </dl>
      )}
      {rows.length > 0 && (
        <div class="table-wrap">
          <table data-testid="report">
            <thead>
              <tr>
                {HEAD.map((h) => (
                  <th scope="col" key={h}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((x) => (
                <ReportRow key={`${x.bucket}/${x.route}`} x={x} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="muted small">
        Improvement: against the AMM vault's price for the same part at fill time, as the settlement checked it.
        Markout: the vault's mid at the horizon against the fill price, from the liquidity side (positive: it earned).
        Rebuild it from the chain: <code>npx internalizer report execution --from-chain</code>. Definitions:
        docs/REPORT.md.
      </p>
    </Section>
  );
}

function ReportRow({ x }: { x: Row }) {
  const total = x.bucket === "all" && x.route === "all";
  const seconds = (s: number | null) => (s === null ? "–" : `${num({ formatted: String(s) }, 1)}s`);
  return (
    <tr class={total ? "total" : ""}>
      <th scope="row">{x.bucket}</th>
      <td>{x.route}</td>
      <td>{x.orders}</td>
      <td>{pct(x.fillRate)}</td>
      <td>{x.fills}</td>
      <td>{pct(x.internalShare)}</td>
      <td>{pct(x.improvedShare)}</td>
      <td>
        {bps(x.avgImprovementBps)} · {usd(x.avgImprovementUsd)}
      </td>
      <td>{usd(x.totalImprovementUsd)}</td>
      <td>
        {seconds(x.medianQuoteToFillSeconds)} / {seconds(x.p95QuoteToFillSeconds)}
      </td>
      <td>
        {x.markedFills > 0 ? `${bps(x.avgMarkoutBps)} · ${usd(x.avgMarkoutUsd)}` : "–"}
        {x.pendingMarkouts > 0 && <span class="muted small"> ({x.pendingMarkouts} pending)</span>}
      </td>
    </tr>
  );
}

function parseNullable(v: string): number | null {
  return v === "null" ? null : Number(v);
}

async function windowQuery(seconds: number | null): Promise<string> {
  if (seconds === null) return "";
  const health = await api.get<{ chainTime: number }>("/v1/health");
  return `from=${Math.max(0, health.chainTime - seconds)}&to=${health.chainTime}`;
}
