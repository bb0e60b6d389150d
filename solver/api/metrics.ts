import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Engine } from "../engine/engine.js";
import { toOptions } from "../inventory/inventory.js";
import { listFills } from "../store/fills.js";

/** The solver's Prometheus metrics (prom-client), served at GET /metrics. */
export class Metrics {
  readonly registry = new Registry();
  readonly quoteLatency = new Histogram({
    name: "internalizer_quote_latency_seconds",
    help: "Time from a quote request's arrival to its answer (quote or decline)",
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });
  /** Where a quote request's time goes, step by step (verify, price, capacity, route, accounts, reserve, sign, write). */
  readonly quoteSteps = new Histogram({
    name: "internalizer_quote_step_seconds",
    help: "Time a quote request spends in each step, from its arrival to its answer being written",
    labelNames: ["step"] as const,
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly quotes = new Counter({
    name: "internalizer_quotes_total",
    help: "Firm quotes given, by route",
    labelNames: ["route"] as const,
    registers: [this.registry],
  });
  readonly declines = new Counter({
    name: "internalizer_declines_total",
    help: "Requests declined or refused, by reason code",
    labelNames: ["code"] as const,
    registers: [this.registry],
  });
  readonly fills = new Counter({
    name: "internalizer_fills_total",
    help: "Orders filled on chain, by route",
    labelNames: ["route"] as const,
    registers: [this.registry],
  });
  readonly failedOrders = new Counter({
    name: "internalizer_orders_failed_total",
    help: "Accepted orders that did not fill, by reason code",
    labelNames: ["code"] as const,
    registers: [this.registry],
  });
  readonly settlementReverts = new Counter({
    name: "internalizer_settlement_reverts_total",
    help: "Orders whose settlement reverted on chain (a reverted transaction, or an order skipped in a batch)",
    registers: [this.registry],
  });
  readonly gasSpent = new Counter({
    name: "internalizer_gas_spent_wei_total",
    help: "Native gas paid by the solver's key, wei, by what it paid for",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });

  readonly #greeks = new Gauge({
    name: "internalizer_inventory_greeks_usd",
    help: "Aggregate greeks of the solver's book: delta (USD), gamma (USD per 1% move), vega (USD per vol point), theta (USD per day)",
    labelNames: ["greek"] as const,
    registers: [this.registry],
  });
  readonly #pnl = new Gauge({
    name: "internalizer_pnl_usd",
    help: "PnL in USD against holding the starting inventory: total = spread - fees - gas + inventory + hedgePnl - hedgeCost (costs positive)",
    labelNames: ["component"] as const,
    registers: [this.registry],
  });
  readonly hedges = new Counter({
    name: "internalizer_hedges_total",
    help: "Hedge checks that swapped or failed on the spot venue, by result",
    labelNames: ["result"] as const,
    registers: [this.registry],
  });
  readonly #netDelta = new Gauge({
    name: "internalizer_net_delta_usd",
    help: "The book's net delta the hedger keeps in its band: options plus spot taken on since the first start, USD",
    registers: [this.registry],
  });
  readonly #paused = new Gauge({
    name: "internalizer_kill_switch_paused",
    help: "1 while quoting is stopped by the kill switch",
    registers: [this.registry],
  });
  readonly #reservations = new Gauge({
    name: "internalizer_open_reservations",
    help: "Firm quotes holding inventory and limit headroom",
    registers: [this.registry],
  });

  constructor(readonly engine: Engine) {
    // Process metrics too: event-loop lag and GC pauses are what a quote's tail latency is made of.
    collectDefaultMetrics({ register: this.registry });
    this.#followEvents();
    new Gauge({
      name: "internalizer_internalization_ratio",
      help: "Internal share of filled option notional, over all recorded fills",
      registers: [this.registry],
      collect() {
        let internal = 0;
        let total = 0;
        for (const f of listFills(engine.store, 100_000)) {
          internal += toOptions(f.internalAmount) * f.spot;
          total += toOptions(f.internalAmount + f.ammAmount) * f.spot;
        }
        this.set(total > 0 ? internal / total : 0);
      },
    });
  }

  /** Counters moved by the engine's events: fills by route, gas by what it paid for, failures, reverts. */
  #followEvents(): void {
    const { events } = this.engine;
    const fillRoute = (internal: bigint, amm: bigint) => (amm === 0n ? "internal" : internal === 0n ? "amm" : "split");
    events.on("fill", (f: { internalAmount: bigint; ammAmount: bigint; gasCost: bigint }) => {
      this.fills.inc({ route: fillRoute(f.internalAmount, f.ammAmount) });
      this.gasSpent.inc({ kind: "settlement" }, Number(f.gasCost));
    });
    events.on("failed", (f: { code: string }) => this.failedOrders.inc({ code: f.code }));
    events.on("reverted", (r: { count: number }) => this.settlementReverts.inc(r.count));
    events.on("hedge", (h: { action: string; gasCost?: bigint }) => {
      this.hedges.inc({ result: h.action });
      if (h.gasCost) this.gasSpent.inc({ kind: "hedge" }, Number(h.gasCost));
    });
    events.on("keeper", (a: { action: string; gasCost: bigint }) =>
      this.gasSpent.inc({ kind: `keeper_${a.action}` }, Number(a.gasCost)),
    );
  }

  /** Book figures need the latest spot: refreshed on each scrape. */
  async #refreshBook(): Promise<void> {
    const { engine } = this;
    const v = await engine.valuationNow();
    const g = v.snapshot.greeks(engine.inventory, v.settled);
    for (const greek of ["delta", "gamma", "vega", "theta"] as const) this.#greeks.set({ greek }, g[`${greek}Usd`]);
    const p = await engine.pnlNow(v);
    for (const component of [
      "total",
      "spread",
      "inventory",
      "fees",
      "gas",
      "hedgePnl",
      "hedgeCost",
      "drawdown",
    ] as const)
      this.#pnl.set({ component }, p[`${component}Usd`]);
    if (engine.hedger) this.#netDelta.set(engine.hedger.exposureAt(v.snapshot).netDeltaUsd);
    this.#paused.set(engine.killSwitch.paused ? 1 : 0);
    this.#reservations.set(engine.reservations.active(v.now).length);
  }

  /** The exposition text, after refreshing the book figures (a chain failure leaves the last values). */
  async render(): Promise<string> {
    try {
      await this.#refreshBook();
    } catch {
      // Metrics must answer even while the chain is down; the kill switch reports the outage.
    }
    return this.registry.metrics();
  }
}
