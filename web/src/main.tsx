import "./styles.css";
import { signal } from "@preact/signals";
import { type ComponentType, render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ErrorNote } from "./components.js";
import { short } from "./format.js";
import { stream, streamState } from "./stream.js";
import { TraderPage } from "./trader/TraderPage.js";
import { connect, connected, disconnect, discoverWallets, switchChain, walletProblem, wallets } from "./wallet.js";

type Route = "trade" | "lp" | "operator" | "report";
const ROUTES: Array<{ route: Route; label: string }> = [
  { route: "trade", label: "Trade" },
  { route: "lp", label: "Vaults" },
  { route: "operator", label: "Operator" },
  { route: "report", label: "Execution quality" },
];

const routeOf = (hash: string): Route => {
  const r = hash.replace(/^#\/?/, "") as Route;
  return ROUTES.some((x) => x.route === r) ? r : "trade";
};
const route = signal<Route>(routeOf(location.hash));
window.addEventListener("hashchange", () => {
  route.value = routeOf(location.hash);
});

/** The pages other than the trader's load on first visit, so the trader's first load carries none of them. */
const LOADERS: Record<Exclude<Route, "trade">, () => Promise<ComponentType>> = {
  lp: () => import("./lp/LpPage.js").then((m) => m.LpPage),
  operator: () => import("./operator/OperatorPage.js").then((m) => m.OperatorPage),
  report: () => import("./report/ReportPage.js").then((m) => m.ReportPage),
};

function Lazy({ which }: { which: Exclude<Route, "trade"> }) {
  const [Page, setPage] = useState<ComponentType | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setPage(null);
    LOADERS[which]().then((p) => setPage(() => p), setError);
  }, [which]);
  if (error) return <ErrorNote error={error} />;
  return Page ? <Page /> : <p class="muted">Loading…</p>;
}

function WalletBox() {
  const c = connected.value;
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = async (f: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await f();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  if (c) {
    return (
      <div class="wallet" data-testid="wallet">
        <span class="chain" title={`chain ${c.chainId}`}>
          chain {c.chainId}
        </span>
        <span class="account" title={c.account} data-testid="account">
          {c.choice.info.name}: {short(c.account)}
        </span>
        <button type="button" class="secondary" onClick={disconnect}>
          Disconnect
        </button>
      </div>
    );
  }
  const list = wallets.value;
  return (
    <div class="wallet">
      {list.length === 0 && <span class="muted">No browser wallet found</span>}
      {list.map((w) => (
        <button type="button" key={w.info.uuid} disabled={busy} onClick={() => run(() => connect(w))}>
          {busy ? "Connecting…" : `Connect ${w.info.name}`}
        </button>
      ))}
      {walletProblem.value && (
        <div class="note error" role="alert" data-code={walletProblem.value.code}>
          <strong>Wrong chain</strong>
          <span>{walletProblem.value.message}</span>
          {list[0] && (
            <button
              type="button"
              class="secondary"
              onClick={() => run(() => switchChain(list[0]!, walletProblem.value!.chainId))}
            >
              Switch network
            </button>
          )}
        </div>
      )}
      {error && <ErrorNote error={error} />}
    </div>
  );
}

function App() {
  const r = route.value;
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">internalizer</span>
        <nav aria-label="Pages">
          {ROUTES.map((x) => (
            <a key={x.route} href={`#/${x.route}`} aria-current={r === x.route ? "page" : undefined}>
              {x.label}
            </a>
          ))}
        </nav>
        <span class={`stream ${streamState.value}`} title="price stream" data-testid="stream-state">
          {streamState.value === "live"
            ? "● live"
            : streamState.value === "reconnecting"
              ? "○ reconnecting…"
              : "○ connecting…"}
        </span>
        <WalletBox />
      </header>
      <main id="main" tabIndex={-1}>
        {r === "trade" ? <TraderPage /> : <Lazy which={r} />}
      </main>
    </>
  );
}

discoverWallets();
// One stream for every page: prices (the chain, the vol editor) and the connection state in the header.
stream().subscribe({ channel: "prices" });
render(<App />, document.getElementById("app")!);
