import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { Series } from "../../../solver/sdk/index.js";
import { api } from "../api.js";
import { ErrorNote, Section } from "../components.js";
import { expiryLabel, num, pct, usd } from "../format.js";
import { prices } from "../stream.js";
import { pick } from "./state.js";

/** The option chain: expiries as tabs, strikes as rows, calls left and puts right, live from the stream. */
export function OptionChain() {
  const error = useSignal<unknown>(null);
  const tab = useSignal<number | null>(null);
  useEffect(() => {
    // The stream's first message can take a moment: read the list once over HTTP meanwhile.
    if (!prices.value)
      api.get<typeof prices.value>("/v1/series").then(
        (p) => {
          if (!prices.value) prices.value = p;
        },
        (e: unknown) => {
          error.value = e;
        },
      );
  }, []);
  const p = prices.value;
  const expiries = p ? [...new Set(p.series.map((s) => s.expiry))].sort((a, b) => a - b) : [];
  const expiry = tab.value !== null && expiries.includes(tab.value) ? tab.value : expiries[0];
  const rows = p && expiry !== undefined ? strikeRows(p.series.filter((s) => s.expiry === expiry)) : [];
  return (
    <Section
      title="Option chain"
      id="chain"
      aside={
        p && (
          <span class="muted" data-testid="spot">
            ETH {usd(p.spot)} · chain time {new Date(p.chainTime * 1000).toISOString().slice(11, 19)}
          </span>
        )
      }
    >
      <ErrorNote error={error.value} />
      {p && expiries.length === 0 && <p class="muted">No live series.</p>}
      <div class="tabs" role="tablist" aria-label="Expiries">
        {expiries.map((e) => (
          <button
            type="button"
            role="tab"
            key={e}
            aria-selected={e === expiry}
            class={e === expiry ? "tab active" : "tab"}
            onClick={() => (tab.value = e)}
          >
            {expiryLabel(e)}
          </button>
        ))}
      </div>
      {rows.length > 0 && (
        <div class="table-wrap">
          <table class="chain" data-testid="option-chain">
            <thead>
              <tr>
                <th colSpan={5} scope="colgroup">
                  Calls (premium in WETH)
                </th>
                <th rowSpan={2} scope="col">
                  Strike
                </th>
                <th colSpan={5} scope="colgroup">
                  Puts (premium in USDC)
                </th>
              </tr>
              <tr>
                {["IV", "Δ", "AMM", "Bid", "Ask"].map((h) => (
                  <th scope="col" key={`c${h}`}>
                    {h}
                  </th>
                ))}
                {["Bid", "Ask", "AMM", "Δ", "IV"].map((h) => (
                  <th scope="col" key={`p${h}`}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.strike}>
                  <CallCells s={r.call} />
                  <th scope="row" class="strike">
                    {r.strike}
                  </th>
                  <PutCells s={r.put} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="muted small">
        Bid/ask: the solver's price for one option. AMM: the vault's bid / ask for the same option. Click a price to
        trade it.
      </p>
    </Section>
  );
}

function strikeRows(series: Series[]) {
  const byStrike = new Map<string, { strike: string; call?: Series; put?: Series }>();
  for (const s of series) {
    const key = s.strike.formatted;
    const row = byStrike.get(key) ?? { strike: num(s.strike, 2) };
    if (s.isCall) row.call = s;
    else row.put = s;
    byStrike.set(key, row);
  }
  return [...byStrike.values()].sort((a, b) => Number(a.strike) - Number(b.strike));
}

function PriceButton({ s, side }: { s: Series; side: "bid" | "ask" }) {
  const a = side === "bid" ? s.bid : s.ask;
  const verb = side === "bid" ? "Sell" : "Buy";
  return (
    <button
      type="button"
      class={`price ${side}`}
      aria-label={`${verb} ${s.instrument} at ${num(a, 6)} ${a.symbol}`}
      data-testid={`${side}-${s.instrument}`}
      onClick={() => pick(s, side === "bid" ? "sellToClose" : "buy")}
    >
      {num(a, s.isCall ? 5 : 2)}
    </button>
  );
}

const amm = (s: Series) => `${num(s.ammBid, s.isCall ? 5 : 2)} / ${num(s.ammAsk, s.isCall ? 5 : 2)}`;

function CallCells({ s }: { s: Series | undefined }) {
  if (!s) return <td colSpan={5} />;
  return (
    <>
      <td>{pct(s.vol)}</td>
      <td>{s.delta.toFixed(2)}</td>
      <td class="amm">{amm(s)}</td>
      <td>
        <PriceButton s={s} side="bid" />
      </td>
      <td>
        <PriceButton s={s} side="ask" />
      </td>
    </>
  );
}

function PutCells({ s }: { s: Series | undefined }) {
  if (!s) return <td colSpan={5} />;
  return (
    <>
      <td>
        <PriceButton s={s} side="bid" />
      </td>
      <td>
        <PriceButton s={s} side="ask" />
      </td>
      <td class="amm">{amm(s)}</td>
      <td>{s.delta.toFixed(2)}</td>
      <td>{pct(s.vol)}</td>
    </>
  );
}
