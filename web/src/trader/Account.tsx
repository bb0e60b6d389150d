import { signal, useSignal } from "@preact/signals";
import { encodeFunctionData, parseAbi } from "viem";
import type { Order } from "../../../solver/sdk/index.js";
import { api } from "../api.js";
import { ActionButton, ErrorNote, Section, Table, usePoll } from "../components.js";
import { amount, bps, expiryLabel, options, short, time } from "../format.js";
import { followOrder, orders, putOrder, stream } from "../stream.js";
import { type Connected, connected } from "../wallet.js";
import { describe } from "../words.js";
import { accountVersion } from "./state.js";

/** `GET /v1/accounts/:address`, as the page reads it. */
interface AccountReport {
  account: string;
  ledger: `0x${string}`;
  chainTime: number;
  positions: Array<{
    seriesId: string;
    instrument: string;
    expiry: number;
    longs: Amount;
    shorts: Amount;
    net: Amount;
    averagePrice: Amount;
    mark: Amount | null;
    pnl: Amount | null;
    state: "open" | "awaiting settlement" | "exercise" | "exercised" | "settled for you" | "expired worthless";
    payoff: Amount | null;
    exercised: { payout: Amount; txHash: string } | null;
  }>;
  fills: Array<{
    orderHash: string;
    txHash: string;
    instrument: string;
    side: string;
    internalAmount: Amount;
    ammAmount: Amount;
    premium: Amount;
    internalPremium: Amount;
    ammReferencePremium: Amount;
    improvement: Amount;
    improvementBps: number;
    timestamp: number;
  }>;
}
type Amount = { raw: string; formatted: string; symbol: string; decimals: number };

const EXERCISE_ABI = parseAbi([
  "function exercise(uint256 seriesId, address holder, uint256 amount) returns (uint256)",
]);

/** Positions, open orders and fills of the connected wallet. */
export function AccountPanels() {
  const c = connected.value;
  if (!c) {
    return (
      <Section title="Your positions, orders and fills" id="account">
        <p class="muted">Connect a browser wallet to see your positions, orders and fills.</p>
      </Section>
    );
  }
  return <AccountOf c={c} />;
}

function AccountOf({ c }: { c: Connected }) {
  const filled = [...orders.value.values()].filter((o) => o.status === "filled").length;
  const report = usePoll(() => api.get<AccountReport>(`/v1/accounts/${c.account}`), 4000, [
    c.account,
    filled,
    accountVersion.value,
  ]);
  return (
    <>
      <Positions c={c} report={report.data.value} error={report.error.value} />
      <OpenOrders c={c} />
      <Fills report={report.data.value} />
    </>
  );
}

function Positions({ c, report, error }: { c: Connected; report: AccountReport | null; error: unknown }) {
  const rows = report?.positions ?? [];
  return (
    <Section title="Positions" id="positions">
      <ErrorNote error={error} />
      {report && rows.length === 0 && <p class="muted">No positions yet.</p>}
      {rows.length > 0 && (
        <Table head={["Instrument", "Size", "Avg price", "Mark", "PnL", "Status"]} testId="positions">
          {rows.map((p) => (
            <tr key={p.seriesId} data-instrument={p.instrument}>
              <th scope="row">
                {p.instrument}
                <div class="muted small">expires {expiryLabel(p.expiry)}</div>
              </th>
              <td>{p.net.raw.startsWith("-") ? `short ${options(p.shorts)}` : options(p.longs)}</td>
              <td>{amount(p.averagePrice, 6)}</td>
              <td>{amount(p.mark, 6)}</td>
              <td
                class={
                  p.pnl && !p.pnl.raw.startsWith("-") && p.pnl.raw !== "0"
                    ? "good"
                    : p.pnl?.raw.startsWith("-")
                      ? "bad"
                      : ""
                }
              >
                {amount(p.pnl, 6)}
              </td>
              <td data-testid="position-state">
                <PositionState c={c} p={p} ledger={report!.ledger} />
              </td>
            </tr>
          ))}
        </Table>
      )}
    </Section>
  );
}

function PositionState({
  c,
  p,
  ledger,
}: {
  c: Connected;
  p: AccountReport["positions"][number];
  ledger: `0x${string}`;
}) {
  if (p.state === "exercise") {
    return (
      <>
        <span>payoff {amount(p.payoff, 6)}</span>{" "}
        <ActionButton
          label="Exercise"
          busyLabel="Exercising…"
          testId={`exercise-${p.instrument}`}
          run={async () => {
            const send = c.client.wallet.sendTransaction;
            if (!send)
              throw Object.assign(new Error("this wallet cannot send transactions"), { code: "WALLET_CANNOT_SEND" });
            const data = encodeFunctionData({
              abi: EXERCISE_ABI,
              functionName: "exercise",
              args: [BigInt(p.seriesId), c.account, BigInt(p.longs.raw)],
            });
            const hash = await send({ to: ledger, data });
            await c.client.wallet.waitForTransaction?.(hash);
            accountVersion.value += 1;
            return `exercised in tx ${short(hash)}`;
          }}
        />
      </>
    );
  }
  if (p.state === "exercised") {
    return <span class="good">exercised: {amount(p.exercised?.payout, 6)} paid to you</span>;
  }
  if (p.state === "settled for you") {
    return <span class="good">settled for you: {amount(p.exercised?.payout, 6)} paid</span>;
  }
  if (p.state === "awaiting settlement") return <span class="muted">expired; awaiting settlement</span>;
  if (p.state === "expired worthless") return <span class="muted">expired worthless</span>;
  return <span>open</span>;
}

function OpenOrders({ c }: { c: Connected }) {
  const loaded = useSignal(false);
  const error = useSignal<unknown>(null);
  const mine = [...orders.value.values()]
    .filter((o) => o.user.toLowerCase() === c.account.toLowerCase())
    .sort((a, b) => b.createdAt - a.createdAt);
  const load = async () => {
    error.value = null;
    try {
      const proof = await c.client.accessProof();
      stream().subscribe({ channel: "account", auth: proof });
      for (const o of await c.client.orders(50)) putOrder(o);
      loaded.value = true;
    } catch (e) {
      error.value = e;
    }
  };
  return (
    <Section
      title="Orders"
      id="orders"
      aside={
        !loaded.value && (
          <button type="button" class="secondary" onClick={load} data-testid="load-orders">
            Show all my orders (sign in)
          </button>
        )
      }
    >
      <ErrorNote error={error.value} />
      {mine.length === 0 && <p class="muted">No orders in this session.</p>}
      {mine.length > 0 && (
        <Table head={["Instrument", "Side", "Size", "Limit", "Status", ""]} testId="orders">
          {mine.map((o) => (
            <OrderRow key={o.orderHash} c={c} o={o} />
          ))}
        </Table>
      )}
    </Section>
  );
}

/** What each cancel ended in, kept after its button goes (the order is no longer open then). */
const cancelNotes = signal<ReadonlyMap<string, string>>(new Map());

function OrderRow({ c, o }: { c: Connected; o: Order }) {
  const open = o.status === "accepted" || o.status === "submitted";
  const note = cancelNotes.value.get(o.orderHash);
  return (
    <tr data-order={o.orderHash} data-status={o.status}>
      <th scope="row">{o.instrument}</th>
      <td>{o.side}</td>
      <td>{options(o.amount)}</td>
      <td>{amount(o.limitPremium, 6)}</td>
      <td data-testid="order-status">
        {o.status}
        {o.txHash && <span class="muted small"> tx {short(o.txHash)}</span>}
        {note && <div class="small good">{note}</div>}
        {o.error && (
          <div class="small bad">
            {o.error.code}: {o.error.reason}
          </div>
        )}
      </td>
      <td>
        {open && (
          <ActionButton
            label="Cancel"
            busyLabel="Cancelling…"
            kind="danger"
            testId={`cancel-${o.orderHash}`}
            run={async () => {
              followOrder(o.orderHash);
              // The row's button goes once the order is no longer open: its outcome is kept beside the status.
              const r = await c.client.cancel(o.orderHash).catch((error: unknown) => {
                const d = describe(error);
                const text = `cancel refused: ${d.code}: ${d.title}. ${d.message}`;
                cancelNotes.value = new Map(cancelNotes.value).set(o.orderHash, text);
                throw error;
              });
              putOrder(r.order);
              const text = r.txHash ? `cancelled; nonce invalidated in tx ${short(r.txHash)}` : "cancelled";
              cancelNotes.value = new Map(cancelNotes.value).set(o.orderHash, text);
              return text;
            }}
          />
        )}
      </td>
    </tr>
  );
}

function Fills({ report }: { report: AccountReport | null }) {
  const rows = report?.fills ?? [];
  return (
    <Section title="Fills" id="fills">
      {report && rows.length === 0 && <p class="muted">No fills yet.</p>}
      {rows.length > 0 && (
        <Table
          head={["Time", "Instrument", "Side", "Size", "Premium", "AMM reference", "Improvement", "Tx"]}
          testId="fills"
        >
          {rows.map((f) => (
            <tr key={f.orderHash}>
              <td>{time(f.timestamp)}</td>
              <th scope="row">{f.instrument}</th>
              <td>{f.side}</td>
              <td>{options({ formatted: sumFormatted(f.internalAmount, f.ammAmount) })}</td>
              <td>{amount(f.premium, 6)}</td>
              <td>{f.internalAmount.raw === "0" ? "– (all AMM)" : amount(f.ammReferencePremium, 6)}</td>
              <td class={f.improvementBps > 0 ? "good" : ""} data-testid="fill-improvement">
                {f.internalAmount.raw === "0" ? "–" : `${amount(f.improvement, 6)} · ${bps(f.improvementBps)}`}
              </td>
              <td title={f.txHash}>{short(f.txHash)}</td>
            </tr>
          ))}
        </Table>
      )}
    </Section>
  );
}

function sumFormatted(a: Amount, b: Amount): string {
  const raw = BigInt(a.raw) + BigInt(b.raw);
  const whole = raw / 10n ** 18n;
  const frac = (raw % 10n ** 18n).toString().padStart(18, "0").replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : whole.toString();
}
