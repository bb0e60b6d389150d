import { ErrorNote, Section } from "../components.js";
import { expiryLabel } from "../format.js";
import type { Inventory } from "./types.js";

/** The live book as a heatmap: strikes down, expiries across; each cell the net options, calls and puts apart. */
export function Heatmap({ inventory, error }: { inventory: Inventory | null; error: unknown }) {
  const live = inventory?.positions.filter((p) => !p.expired && p.net !== 0) ?? [];
  const parsed = live.map((p) => ({ ...p, strike: strikeOf(p.instrument), isCall: p.instrument.endsWith("-C") }));
  const expiries = [...new Set(parsed.map((p) => p.expiry))].sort((a, b) => a - b);
  const strikes = [...new Set(parsed.map((p) => p.strike))].sort((a, b) => a - b);
  const max = Math.max(1, ...parsed.map((p) => Math.abs(p.net)));
  const cell = (strike: number, expiry: number, isCall: boolean) =>
    parsed.find((p) => p.strike === strike && p.expiry === expiry && p.isCall === isCall);
  return (
    <Section title="Inventory by strike and expiry" id="inventory">
      <ErrorNote error={error} />
      {inventory && parsed.length === 0 && <p class="muted">The book is flat.</p>}
      {parsed.length > 0 && (
        <div class="table-wrap">
          <table class="heatmap" data-testid="heatmap">
            <thead>
              <tr>
                <th scope="col">Strike</th>
                {expiries.map((e) => (
                  <th scope="col" key={e}>
                    {expiryLabel(e)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {strikes.map((s) => (
                <tr key={s}>
                  <th scope="row">{s}</th>
                  {expiries.map((e) => (
                    <td key={e}>
                      {[true, false].map((isCall) => {
                        const p = cell(s, e, isCall);
                        if (!p) return null;
                        const alpha = 0.15 + (0.7 * Math.abs(p.net)) / max;
                        const color = p.net > 0 ? `rgba(22,163,74,${alpha})` : `rgba(220,38,38,${alpha})`;
                        return (
                          <span
                            key={String(isCall)}
                            class="heat"
                            style={{ background: color }}
                            title={`${p.instrument}: ${p.net}`}
                          >
                            {isCall ? "C" : "P"} {p.net > 0 ? "+" : ""}
                            {p.net.toFixed(2)}
                          </span>
                        );
                      })}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="muted small">Net options held by the solver: green long, red short, darker is larger.</p>
    </Section>
  );
}

function strikeOf(instrument: string): number {
  return Number(instrument.split("-")[2] ?? 0);
}
