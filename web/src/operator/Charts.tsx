import { LineChart } from "../charts.js";
import { ErrorNote, Section } from "../components.js";
import { usd } from "../format.js";
import type { History } from "./types.js";

/** PnL split over time, and the internalized share and average improvement over time. */
export function Charts({ history, error }: { history: History | null; error: unknown }) {
  const last = history?.pnl.at(-1);
  return (
    <Section
      title="PnL and flow over time"
      id="pnl"
      aside={last && <span data-testid="pnl-total">total {usd(last.totalUsd)}</span>}
    >
      <ErrorNote error={error} />
      {history && (
        <>
          <LineChart
            title="PnL split (USD)"
            times={history.pnl.map((p) => p.chainTime)}
            yLabel="USD"
            lines={[
              { label: "total", values: history.pnl.map((p) => p.totalUsd), color: "#111827" },
              { label: "spread", values: history.pnl.map((p) => p.spreadUsd), color: "#16a34a" },
              { label: "inventory", values: history.pnl.map((p) => p.inventoryUsd), color: "#2563eb" },
              { label: "fees", values: history.pnl.map((p) => -Math.abs(p.feesUsd)), color: "#d97706" },
              { label: "gas", values: history.pnl.map((p) => -Math.abs(p.gasUsd)), color: "#dc2626" },
              { label: "hedge PnL", values: history.pnl.map((p) => p.hedgePnlUsd ?? 0), color: "#0891b2" },
              {
                label: "hedge cost",
                values: history.pnl.map((p) => -Math.abs(p.hedgeCostUsd ?? 0)),
                color: "#9333ea",
              },
            ]}
          />
          <p class="muted small">
            total = spread − fees − gas + inventory + hedge PnL − hedge cost (costs drawn below zero); the hedges are
            swaps on the Uniswap pool (<code>internalizer hedge status</code>).
          </p>
          <LineChart
            title="Internalized share and average improvement"
            times={history.flow.map((f) => f.chainTime)}
            yLabel="% internalized"
            rightLabel="bps improvement"
            lines={[
              {
                label: "internalized %",
                values: history.flow.map((f) => (f.internalizedShare === null ? null : f.internalizedShare * 100)),
                color: "#7c3aed",
              },
              {
                label: "avg improvement (bps)",
                values: history.flow.map((f) => f.avgImprovementBps),
                color: "#16a34a",
                right: true,
              },
            ]}
          />
        </>
      )}
    </Section>
  );
}
