import { type Hex, zeroAddress } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import { intentForQuote, intentTypes, settlementDomain } from "../../../solver/chain/intent.js";
import type { ConfigInput } from "../../../solver/config/schema.js";
import { decodeSeriesId } from "../../../solver/domain/seriesId.js";
import type { TradeSide } from "../../../solver/domain/side.js";
import type { Engine } from "../../../solver/engine/engine.js";
import { InternalizerError } from "../../../solver/errors.js";
import { auc } from "../../../solver/flow/metrics.js";
import { fromOptions, toOptions } from "../../../solver/inventory/inventory.js";
import { createLogger } from "../../../solver/log.js";
import { minBigInt } from "../../../solver/math/bigint.js";
import type { FlowAssessment } from "../../../solver/router/flowGuard.js";
import type { StrategyName } from "../../../solver/router/strategies.js";
import { listFills } from "../../../solver/store/fills.js";
import { listHedges } from "../../../solver/store/hedges.js";
import { engineFor } from "../engineHarness.js";
import { ETH } from "../system.js";
import { type SimChain, seriesKey, setVols, simChain } from "./chain.js";
import { trueValue } from "./labels.js";
import type { ScenarioParams } from "./scenarios.js";
import { stdev, Tally } from "./tally.js";
import { buildWorld, LOOKAHEAD_STEPS, type SimRequest, type World } from "./world.js";

/** The policies a run can replay a world with. */
export const VARIANTS = {
  router: { strategy: "router", hedge: true },
  routerNoHedge: { strategy: "router", hedge: false },
  routerNoFlow: { strategy: "routerNoFlow", hedge: true },
  alwaysAmm: { strategy: "alwaysAmm", hedge: true },
  alwaysInternal: { strategy: "alwaysInternal", hedge: true },
} as const satisfies Record<string, { strategy: StrategyName; hedge: boolean }>;
export type Variant = keyof typeof VARIANTS;

export interface SimOptions {
  seed: number;
  params: ScenarioParams;
  variant: Variant;
  /** Solver config sections laid over the simulation's (for experiments; section by section). */
  config?: Partial<ConfigInput>;
}

/** The figures of one simulated run. USD figures are rounded to cents. */
export interface SimResult {
  fills: number;
  declines: number;
  /** Requests not sent: a sell-to-close of a series the trader no longer holds (its earlier order failed). */
  skipped: number;
  /** Quotes an oracle-lag trader did not sign because they did not pay at the true price. */
  passed: number;
  declinesByCode: Record<string, number>;
  /** Filled orders by the router's reason for their route. */
  routeReasons: Record<string, number>;
  /** Internal notional over all filled notional (notional = options x spot). */
  internalizedShare: number;
  informedInternalizedShare: number;
  noiseInternalizedShare: number;
  /** Notional-weighted improvement of what users paid or received against the AMM's price for the order. */
  avgPriceImprovementBps: number;
  /** Internal fills priced worse for the user than the AMM's reference at fill time (Filled events). */
  bestExViolations: number;
  /** Equity change of the solver (cash, collateral, book at model value, hedges), net of gas, USD. */
  solverPnl: number;
  /** Standard deviation of the solver's hourly PnL changes within the run, USD. */
  pnlStdev: number;
  /** Sum of the solver's markouts on internal fills at the horizon (one hour, at the true price), USD. */
  markoutPnl: number;
  /** Spread earned against model value at fill time plus markouts, less fees and gas: PnL after adverse selection. */
  markoutAdjustedPnl: number;
  /** The flow's part of `solverPnl`: spread earned against model value at fill time, less fees and gas, USD. */
  spreadPnl: number;
  /**
   * The book's part of `solverPnl`: what carrying the positions made or lost as the price moved, with the
   * hedges' PnL and less their cost (`solverPnl − spreadPnl`). This is the part a delta hedge acts on.
   */
  bookPnl: number;
  /** The hedges: swaps booked, their cost (impact, fee, gas) and PnL, USD. */
  hedges: number;
  hedgeCost: number;
  hedgePnl: number;
  /** What users paid net of what they received, USD, and what the AMM would have charged for the same orders. */
  userCost: number;
  userCostAtAmm: number;
  /** The vault LPs' markouts on the AMM legs at the horizon, USD, by who traded with them. */
  ammLpMarkoutInformed: number;
  ammLpMarkoutNoise: number;
  /** AUC of the flow model's score against who was informed, over this run's requests (null without scores). */
  flowAuc: number | null;
  /** Times a fill left the solver's book beyond a limit. */
  limitBreaches: number;
}

/** The engine's config in the simulation: the feed of the true price as reference, hedging per variant. */
function simConfig(hedge: boolean, stepSeconds: number): Partial<ConfigInput> {
  return {
    pricing: { vol: { atmVol: 0.8, skew: -0.1, curvature: 0.2 } },
    toxicity: { horizonSeconds: stepSeconds * LOOKAHEAD_STEPS },
    reference: { source: "feed" },
    // The run hedges at a fixed point of each step (`hedge` below), never inside a tick. The simulated book
    // carries $20-60k of option delta, so the default 20k band would leave as much unhedged as hedged:
    // across seeds 1..10 the book's PnL sd with a 20k band was 357 (calm), 1,157 (jumps), 616 (oracle-lag);
    // with 5k, 205 (oracle-lag) and 600 (jumps), for about twice the hedge cost.
    hedge: { enabled: hedge, intervalSeconds: 1e9, bandUsd: 5_000 },
  };
}

/** `over`'s sections laid on `base`'s, key by key within each section. */
function overlay(base: Partial<ConfigInput>, over: Partial<ConfigInput>): Partial<ConfigInput> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = b && typeof b === "object" && v && typeof v === "object" ? { ...b, ...v } : v;
  }
  return out as Partial<ConfigInput>;
}

/** One simulated run on a fresh in-process chain: the same seed gives the same world for every variant. */
export async function runSim(opts: SimOptions): Promise<SimResult> {
  const world = buildWorld(opts.params, opts.seed);
  const chain = await simChain(world);
  const variant = VARIANTS[opts.variant];
  const feed = { price: world.steps[0]!.truePrice };
  const engine = await engineFor(chain.s, {
    strategy: variant.strategy,
    deployment: chain.deployment,
    config: overlay(simConfig(variant.hedge, opts.params.stepSeconds), opts.config ?? {}),
    // SIM_LOG=info (or debug) shows the engine's log of the run on stderr.
    ...(process.env.SIM_LOG ? { log: createLogger(process.env.SIM_LOG) } : {}),
    build: { referenceFeed: async () => ({ price: feed.price, timestamp: Math.floor(Date.now() / 1000) }) },
  });
  const run = new Run(world, chain, engine, feed, variant.hedge);
  for (let i = 0; i < world.steps.length; i++) await run.step(i);
  await run.finish();
  return run.result();
}

/** The state of one run as it replays its world. */
class Run {
  readonly tally = new Tally();
  readonly declineCodes = new Map<string, number>();
  readonly routeReasons = new Map<string, number>();
  readonly scores: Array<{ score: number; informed: boolean }> = [];
  readonly hourlyPnl: number[] = [];
  declines = 0;
  skipped = 0;
  /** Quotes an oracle-lag trader did not sign: they did not pay at the true price. */
  passed = 0;
  breaches = 0;
  #assessed: FlowAssessment | null = null;

  constructor(
    readonly world: World,
    readonly chain: SimChain,
    readonly engine: Engine,
    readonly feed: { price: number },
    readonly hedging: boolean,
  ) {
    engine.events.on("flow", (a: FlowAssessment) => {
      this.#assessed = a;
    });
  }

  /**
   * One step: time moves to the step, the market moves (feed, oracle round, arbitrage), one request, a
   * hedge check, and the solver's tick, all before the next step's time (so no tick sees a round older
   * than the heartbeat).
   */
  async step(i: number): Promise<void> {
    const { clock, s } = this.chain;
    const step = this.world.steps[i]!;
    if (i > 0) await clock.advance(this.world.params.stepSeconds);
    if (i > 0 && i % 288 === 0) await setVols(s, [...this.chain.series.values()], clock.nextTx);
    this.feed.price = step.truePrice;
    if (step.oracle.updated) {
      await clock.nextTx();
      await s.oracle.pushAnswer(BigInt(Math.round(step.oracle.price * 1e8)));
    }
    await clock.nextTx();
    await this.chain.arb.run(step.truePrice);
    await this.#request(i, step.request);
    if (this.hedging) {
      await clock.nextTx();
      await this.engine.hedger?.run();
    }
    if (i % LOOKAHEAD_STEPS === 0) this.hourlyPnl.push((await this.engine.pnlNow()).totalUsd);
    await clock.nextTx();
    await this.engine.tick();
  }

  async #request(i: number, req: SimRequest): Promise<void> {
    const who = this.chain.traders.get(req.trader)!;
    const seriesId = this.chain.series.get(seriesKey(req.strike, req.tenorDays, req.isCall))!;
    const amount = await this.#amount(who.account.address, seriesId, req);
    if (amount === 0n) {
      this.skipped++;
      return;
    }
    this.#assessed = null;
    try {
      const quote = await this.engine.quote({ requester: who.account.address, seriesId, side: req.side, amount });
      this.#score(req);
      if (req.informed && this.world.params.informedType === "oracle-lag" && !this.#pays(i, seriesId, req, quote)) {
        this.passed++;
        return;
      }
      const order = await this.engine.acceptOrder(await sign(this.engine, who.account, quote, req.side));
      await this.chain.clock.nextTx();
      await this.engine.tick();
      if (this.engine.getOrder(order.orderHash)?.status !== "filled") return;
      this.routeReasons.set(quote.reason, (this.routeReasons.get(quote.reason) ?? 0) + 1);
      const fill = listFills(this.engine.store, 1)[0]!;
      const spot = this.world.steps[i]!.truePrice;
      this.tally.add({ fill, informed: req.informed, step: i, spot, ammReference: quote.ammReferencePremium });
      if (breachedLimit(this.engine, spot, await this.engine.market.chainTime())) this.breaches++;
    } catch (error) {
      if (!(error instanceof InternalizerError)) throw error;
      this.#score(req);
      this.declines++;
      this.declineCodes.set(error.code, (this.declineCodes.get(error.code) ?? 0) + 1);
    }
  }

  /**
   * Whether a quote pays an oracle-lag trader, who knows the true price now: it signs only a premium
   * better than the option's value at the true price (an arbitrageur of stale prices, not a gambler).
   */
  #pays(i: number, seriesId: bigint, req: SimRequest, quote: { premium: bigint; amount: bigint }): boolean {
    const spot = this.world.steps[i]!.truePrice;
    const years = Math.max(decodeSeriesId(seriesId).expiry - this.chain.clock.now(), 0) / (365 * 86_400);
    const value = trueValue(req.isCall, req.strike, spot, years) * toOptions(quote.amount);
    const premium = req.isCall ? (Number(quote.premium) / 1e18) * spot : Number(quote.premium) / 1e6;
    return req.side === "buy" ? premium < value : premium > value;
  }

  /** The request's size; a sell-to-close sells at most what the trader holds now (0: nothing to sell). */
  async #amount(user: string, seriesId: bigint, req: SimRequest): Promise<bigint> {
    const wanted = fromOptions(req.amount);
    if (req.side !== "sellToClose") return wanted;
    const held = await this.chain.s.ledger.balanceOf(user, seriesId);
    const whole = (held / ETH) * ETH;
    return minBigInt(whole, wanted);
  }

  #score(req: SimRequest): void {
    const score = this.#assessed?.score;
    if (score) this.scores.push({ score: score.informed, informed: req.informed });
  }

  /** Lets the last fills' markouts come due along the world's tail. */
  async finish(): Promise<void> {
    const { clock, s } = this.chain;
    for (const t of this.world.tail) {
      this.feed.price = t.truePrice;
      await clock.advance(this.world.params.stepSeconds);
      if (t.oracle.updated) {
        await clock.nextTx();
        await s.oracle.pushAnswer(BigInt(Math.round(t.oracle.price * 1e8)));
      }
      await clock.nextTx();
      await this.engine.tick();
    }
    this.hourlyPnl.push((await this.engine.pnlNow()).totalUsd);
  }

  async result(): Promise<SimResult> {
    const { engine, tally } = this;
    const fills = listFills(engine.store, 1_000_000);
    const markoutPnl = fills.reduce((sum, f) => sum + (f.markoutUsd ?? 0), 0);
    const pnl = await engine.pnlNow();
    const prices = [...this.world.steps, ...this.world.tail];
    const lp = tally.lpMarkouts(
      (k) => prices[Math.min(k, prices.length - 1)]!.truePrice,
      (k) => prices[Math.min(k, prices.length - 1)]!.time,
      LOOKAHEAD_STEPS,
    );
    const spreadPnl = pnl.spreadUsd - pnl.feesUsd - pnl.gasUsd;
    const hourly = this.hourlyPnl.slice(1).map((x, k) => x - this.hourlyPnl[k]!);
    const share = (part: number, whole: number) => round(whole > 0 ? part / whole : 0, 4);
    return {
      fills: fills.length,
      declines: this.declines,
      skipped: this.skipped,
      passed: this.passed,
      declinesByCode: Object.fromEntries(this.declineCodes),
      routeReasons: Object.fromEntries(this.routeReasons),
      internalizedShare: share(tally.internalNotional, tally.notional),
      informedInternalizedShare: share(tally.informedInternal, tally.informedNotional),
      noiseInternalizedShare: share(tally.noiseInternal, tally.noiseNotional),
      avgPriceImprovementBps: round(tally.ammWeight > 0 ? tally.improvementWeighted / tally.ammWeight : 0, 2),
      bestExViolations: bestExViolations(fills),
      solverPnl: cents(pnl.totalUsd),
      pnlStdev: cents(stdev(hourly)),
      markoutPnl: cents(markoutPnl),
      markoutAdjustedPnl: cents(pnl.spreadUsd + markoutPnl - pnl.feesUsd - pnl.gasUsd),
      spreadPnl: cents(spreadPnl),
      bookPnl: cents(pnl.totalUsd - spreadPnl),
      hedges: listHedges(engine.store, { status: "done" }).length,
      hedgeCost: cents(pnl.hedgeCostUsd),
      hedgePnl: cents(pnl.hedgePnlUsd),
      userCost: cents(tally.cost),
      userCostAtAmm: cents(tally.costAtAmm),
      ammLpMarkoutInformed: cents(lp.informed),
      ammLpMarkoutNoise: cents(lp.noise),
      flowAuc: flowAuc(this.scores),
      limitBreaches: this.breaches,
    };
  }
}

function flowAuc(scores: Array<{ score: number; informed: boolean }>): number | null {
  const informed = scores.filter((x) => x.informed).length;
  if (informed === 0 || informed === scores.length) return null;
  return round(
    auc(
      scores.map((x) => x.score),
      scores.map((x) => x.informed),
    ),
    4,
  );
}

function bestExViolations(fills: ReturnType<typeof listFills>): number {
  return fills.filter(
    (f) =>
      f.internalAmount > 0n && (f.side === 0 ? f.internalPremium > f.ammReference : f.internalPremium < f.ammReference),
  ).length;
}

async function sign(
  engine: Engine,
  account: PrivateKeyAccount,
  quote: Awaited<ReturnType<Engine["quote"]>>,
  side: TradeSide,
) {
  const intent = intentForQuote(
    { ...quote, side },
    { user: account.address, nonce: BigInt(`0x${quote.quoteId.slice(2, 14)}`), solver: zeroAddress },
  );
  const domain = settlementDomain(engine.chainId, engine.deployment.contracts.settlement);
  const signature = (await account.signTypedData({
    domain,
    types: intentTypes,
    primaryType: "Intent",
    message: intent,
  })) as Hex;
  return { intent, signature };
}

/** Which limit, if any, the solver's book is beyond right now. */
function breachedLimit(engine: Engine, spot: number, now: number): string | null {
  const l = engine.limits;
  const g = engine.inventory.greeks(spot, now, engine.surface, engine.config.pricing.rate);
  if (Math.abs(g.deltaUsd) > l.maxNetDeltaUsd * 1.0001) return `delta ${g.deltaUsd.toFixed(0)}`;
  if (Math.abs(g.vegaUsd) > l.maxNetVegaUsd * 1.0001) return `vega ${g.vegaUsd.toFixed(0)}`;
  for (const p of engine.inventory.positions()) {
    const net = toOptions(p.longs - p.shorts);
    if (Math.abs(net) > l.maxSeriesPosition + 1e-9) return `position ${net} in ${p.seriesId}`;
  }
  const locked = engine.inventory.locked();
  const { weth, usdc } = engine.inventory.cash;
  const util = (lk: bigint, cash: bigint) => (lk + cash > 0n ? Number(lk) / Number(lk + cash) : 0);
  const u = Math.max(util(locked.weth, weth), util(locked.usdc, usdc));
  return u > l.maxCollateralUtilisation + 1e-9 ? `utilisation ${u.toFixed(4)}` : null;
}

function round(x: number, digits: number): number {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}

function cents(x: number): number {
  return Math.round(x * 100) / 100;
}
