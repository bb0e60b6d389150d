import { useSignal } from "@preact/signals";
import { useEffect, useState } from "preact/hooks";
import { approvalAmount, type Quote, type TradeSide } from "../../../solver/sdk/index.js";
import { Countdown, ErrorNote, Note, Section } from "../components.js";
import { amount, bps, options, parseOptions, rawAmount, short } from "../format.js";
import { followOrder, orders, prices, putOrder } from "../stream.js";
import { connected } from "../wallet.js";
import { codeInWords } from "../words.js";
import { ticket } from "./state.js";

const SIDE_LABELS: Record<TradeSide, string> = {
  buy: "Buy",
  sellToClose: "Sell to close (you hold the options)",
  sellToOpen: "Sell to open (write, with collateral)",
};

interface Approval {
  call: string;
  description?: string;
  to: `0x${string}`;
  data: `0x${string}`;
  code: string;
  spender: `0x${string}`;
  needed?: { raw: string; decimals: number; symbol: string; formatted: string };
}

/** What the wallet will be asked to sign for one approval, in words (the SDK's `approve` sends exactly this). */
function approvalText(a: Approval): string {
  if (a.code !== "ALLOWANCE_MISSING" || !a.needed) return a.description ?? a.call;
  const sent = approvalAmount(BigInt(a.needed.raw), "needed");
  const asset = { decimals: a.needed.decimals, symbol: a.needed.symbol };
  const spender = a.description?.match(/approve the (\w+)/)?.[1] ?? "spender";
  return `approve the ${spender} (${short(a.spender)}) to spend ${amount(rawAmount(sent, asset), 6)}: this trade needs ${amount(a.needed, 6)}, plus 1% for price moves`;
}

type Step =
  | { kind: "idle" }
  | { kind: "quoting" }
  | { kind: "approvals"; approvals: Approval[]; message: string }
  | { kind: "approving"; approvals: Approval[]; sent: string[] }
  | { kind: "quoted"; quote: Quote }
  | { kind: "signing"; quote: Quote }
  | { kind: "sent"; quote: Quote; orderHash: `0x${string}` };

/**
 * The RFQ ticket: instrument, side and size → a firm quote with its countdown, route and improvement over
 * the AMM → approvals when the solver's check asks for them → sign and send → status live from the stream.
 */
export function Ticket() {
  const step = useSignal<Step>({ kind: "idle" });
  const error = useSignal<unknown>(null);
  const size = useSignal("1");
  const expiresAt = useSignal(0);
  const c = connected.value;
  const t = ticket.value;
  const names = prices.value?.series.map((s) => s.instrument) ?? [];

  const requestQuote = async () => {
    error.value = null;
    if (!c) return fail({ code: "WALLET_NOT_CONNECTED", message: "connect a browser wallet to ask for a firm quote" });
    const amt = parseOptions(size.value);
    if (amt === null || amt === 0n)
      return fail({ code: "SIZE_INVALID", message: "the size must be a positive number of options, e.g. 2.5" });
    if (!t.instrument)
      return fail({ code: "SERIES_UNKNOWN", message: "choose an instrument in the chain or the list" });
    step.value = { kind: "quoting" };
    try {
      const quote = await c.client.requestQuote({ series: t.instrument, side: t.side, amount: amt });
      // The countdown runs on this machine's clock from the quote's own validity (validUntil - createdAt, chain
      // seconds): a devnet's chain time drifts from the wall clock, so a chain-time estimate would overstate it.
      expiresAt.value = Date.now() / 1000 + (quote.validUntil - quote.createdAt);
      step.value = { kind: "quoted", quote };
    } catch (e) {
      const approvals = (e as { details?: { approvals?: Approval[] } }).details?.approvals;
      if (Array.isArray(approvals) && approvals.length > 0) {
        step.value = { kind: "approvals", approvals, message: (e as Error).message };
        return;
      }
      step.value = { kind: "idle" };
      error.value = e;
    }
  };

  const fail = (e: { code: string; message: string }) => {
    error.value = e;
    step.value = { kind: "idle" };
  };

  const approve = async (approvals: Approval[]) => {
    if (!c) return;
    error.value = null;
    step.value = { kind: "approving", approvals, sent: [] };
    try {
      const hashes = await c.client.approve(approvals);
      step.value = { kind: "approving", approvals, sent: hashes };
      await requestQuote();
    } catch (e) {
      step.value = { kind: "approvals", approvals, message: "" };
      error.value = e;
    }
  };

  const sign = async (quote: Quote) => {
    if (!c) return;
    error.value = null;
    step.value = { kind: "signing", quote };
    try {
      const signed = await c.client.signOrder(quote);
      const orderHash = await c.client.submitOrder(signed);
      followOrder(orderHash);
      putOrder(await c.client.order(orderHash));
      step.value = { kind: "sent", quote, orderHash };
    } catch (e) {
      step.value = { kind: "quoted", quote };
      error.value = e;
    }
  };

  const s = step.value;
  const busy = s.kind === "quoting" || s.kind === "approving" || s.kind === "signing";
  return (
    <Section title="RFQ ticket" id="ticket">
      <form
        class="ticket"
        onSubmit={(e) => {
          e.preventDefault();
          void requestQuote();
        }}
      >
        <label>
          Instrument
          <select
            value={t.instrument}
            onChange={(e) => (ticket.value = { ...t, instrument: (e.target as HTMLSelectElement).value })}
            data-testid="ticket-instrument"
          >
            <option value="">Choose…</option>
            {names.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          Side
          <select
            value={t.side}
            onChange={(e) => (ticket.value = { ...t, side: (e.target as HTMLSelectElement).value as TradeSide })}
            data-testid="ticket-side"
          >
            {(Object.keys(SIDE_LABELS) as TradeSide[]).map((k) => (
              <option key={k} value={k}>
                {SIDE_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Size (options)
          <input
            id="ticket-size"
            inputMode="decimal"
            value={size.value}
            onInput={(e) => (size.value = (e.target as HTMLInputElement).value)}
            data-testid="ticket-size"
          />
        </label>
        <button type="submit" disabled={busy} data-testid="request-quote">
          {s.kind === "quoting" ? "Asking the solver…" : "Request quote"}
        </button>
      </form>
      <ErrorNote error={error.value} />
      {(s.kind === "approvals" || s.kind === "approving") && (
        <ApprovalPrompt step={s} onApprove={() => approve(s.approvals)} />
      )}
      {(s.kind === "quoted" || s.kind === "signing") && c && (
        <QuoteCard
          quote={{ ...s.quote, validUntil: expiresAt.value }}
          now={() => Date.now() / 1000}
          signing={s.kind === "signing"}
          onSign={() => sign(s.quote)}
        />
      )}
      {s.kind === "sent" && <OrderProgress orderHash={s.orderHash} quote={s.quote} />}
    </Section>
  );
}

function ApprovalPrompt({
  step,
  onApprove,
}: {
  step: Extract<Step, { kind: "approvals" | "approving" }>;
  onApprove: () => void;
}) {
  const busy = step.kind === "approving";
  return (
    <div class="note warn" role="status" data-testid="approvals">
      <strong>{codeInWords("ALLOWANCE_MISSING")}.</strong> Your wallet will ask you to send:
      <ul>
        {step.approvals.map((a) => (
          <li key={a.call}>{approvalText(a)}</li>
        ))}
      </ul>
      <button type="button" onClick={onApprove} disabled={busy} data-testid="approve">
        {busy
          ? "Approving in your wallet…"
          : step.approvals.length > 1
            ? `Approve (${step.approvals.length} transactions)`
            : "Approve"}
      </button>
    </div>
  );
}

function QuoteCard(props: { quote: Quote; now: () => number; signing: boolean; onSign: () => void }) {
  const q = props.quote;
  // Re-rendered twice a second so that the button is disabled the moment the quote expires.
  const [, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((x) => x + 1), 500);
    return () => clearInterval(t);
  }, []);
  const buys = q.side === "buy";
  const expired = props.now() >= q.validUntil;
  return (
    <div class="quote" data-testid="quote">
      <dl>
        <dt>{buys ? "You pay" : "You receive"}</dt>
        <dd data-testid="quote-premium">{amount(q.premium, 6)}</dd>
        <dt>For</dt>
        <dd>
          {options(q.amount)} of {q.instrument}
        </dd>
        <dt>Route</dt>
        <dd data-testid="quote-route">
          {q.route === "internal" ? "solver's inventory" : q.route === "amm" ? "AMM vault" : "split: solver + AMM"}
          {q.route === "split" && ` (${options(q.internalAmount)} internal, ${options(q.ammAmount)} AMM)`}
        </dd>
        <dt>AMM would {buys ? "charge" : "pay"}</dt>
        <dd>{amount(q.ammReferencePremium, 6)}</dd>
        <dt>Improvement</dt>
        <dd class={q.improvementBps > 0 ? "good" : ""} data-testid="quote-improvement">
          {amount(q.improvement, 6)} · {bps(q.improvementBps)}
        </dd>
        <dt>Valid</dt>
        <dd>
          <Countdown until={q.validUntil} now={props.now} />
        </dd>
      </dl>
      <button type="button" onClick={props.onSign} disabled={props.signing || expired} data-testid="sign-order">
        {props.signing ? "Sign in your wallet…" : expired ? "Expired: request a new quote" : "Sign and send order"}
      </button>
    </div>
  );
}

const STEPS = ["accepted", "submitted", "filled"] as const;

function OrderProgress({ orderHash, quote }: { orderHash: `0x${string}`; quote: Quote }) {
  const o = orders.value.get(orderHash);
  const status = o?.status ?? "accepted";
  return (
    <div class="progress" data-testid="order-progress" data-status={status}>
      <ol class="steps">
        {STEPS.map((st) => (
          <li key={st} class={STEPS.indexOf(st) <= STEPS.indexOf(status as (typeof STEPS)[number]) ? "done" : ""}>
            {st}
            {st === "submitted" && o?.txHash && (
              <span class="muted" title={o.txHash}>
                {" "}
                tx {short(o.txHash)}
              </span>
            )}
          </li>
        ))}
      </ol>
      {status === "filled" && (
        <Note kind="ok">
          Filled: {options(quote.amount)} of {quote.instrument} for {amount(quote.premium, 6)}.
        </Note>
      )}
      {(status === "failed" || status === "cancelled") && (
        <ErrorNote
          error={{
            code: o?.error?.code ?? (status === "cancelled" ? "ORDER_CANCELLED" : "SETTLEMENT_FAILED"),
            message: o?.error?.reason ?? status,
          }}
        />
      )}
      <p class="muted small">
        Order <code title={orderHash}>{short(orderHash)}</code>
      </p>
    </div>
  );
}
