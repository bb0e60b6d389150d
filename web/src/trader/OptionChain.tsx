import { useSignal } from "@preact/signals";
import { useEffect, useState } from "preact/hooks";
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
  const narrow = useNarrow();
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
            ETH {usd(p.spot)} · chain time {new Date(p.chainTime * 1000).toISOString().slice(0, 19).replace("T", " ")}{" "}
            UTC
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
      {rows.length > 0 && (narrow ? <OneSide rows={rows} /> : <BothSides rows={rows} />)}
      <p class="muted small">
        Bid/ask: the solver's indicative price for one option; a firm quote prices your size and your side of its book,
        so it can differ. AMM: the vault's bid / ask for one option. Click a price to open the ticket.
      </p>
    </Section>
  );
}

type Row = ReturnType<typeof strikeRows>[number];

/** True on a phone-sized screen, following the window as it resizes. */
function useNarrow(query = "(max-width: 700px)"): boolean {
  const [narrow, setNarrow] = useState(() => matchMedia(query).matches);
  useEffect(() => {
    const m = matchMedia(query);
    const on = () => setNarrow(m.matches);
    m.addEventListener("change", on);
    return () => m.removeEventListener("change", on);
  }, [query]);
  return narrow;
}

/** The desktop chain: calls left, strikes in the middle, puts right. */
function BothSides({ rows }: { rows: Row[] }) {
  return (
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
  );
}

/** The phone chain: calls or puts, one at a time, strike first. */
function OneSide({ rows }: { rows: Row[] }) {
  const calls = useSignal(true);
  return (
    <>
      <fieldset class="tabs">
        <legend class="visually-hidden">Calls or puts</legend>
        {[true, false].map((c) => (
          <button
            type="button"
            key={String(c)}
            aria-pressed={calls.value === c}
            class={calls.value === c ? "tab active" : "tab"}
            onClick={() => (calls.value = c)}
          >
            {c ? "Calls (WETH)" : "Puts (USDC)"}
          </button>
        ))}
      </fieldset>
      <div class="table-wrap">
        <table class="chain" data-testid="option-chain">
          <thead>
            <tr>
              {["Strike", "Bid", "Ask", "AMM", "Δ", "IV"].map((h) => (
                <th scope="col" key={h}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.strike}>
                <th scope="row" class="strike">
                  {r.strike}
                </th>
                <PutCells s={calls.value ? r.call : r.put} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function strikeRows(series: Series[]) {
  const byStrike = new Map<string, { strike: string; raw: bigint; call?: Series; put?: Series }>();
  for (const s of series) {
    const key = s.strike.formatted;
    const row = byStrike.get(key) ?? { strike: num(s.strike, 2), raw: s.strike.raw };
    if (s.isCall) row.call = s;
    else row.put = s;
    byStrike.set(key, row);
  }
  return [...byStrike.values()].sort((a, b) => (a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : 0));
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

/** Bid, ask, AMM, delta, IV: the puts' side of the chain, and either side on a phone. */
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
