/**
 * The scenario world: a pure, seeded generator of a true price path, a Chainlink-style oracle that lags
 * it, and one request per step from noise or informed traders. No chain: the simulation replays a world
 * against the solver, and the flow model trains on worlds directly. Same params and seed → same world.
 */
import { poisson, Random } from "./random.js";
import type { ScenarioParams } from "./scenarios.js";

/** One request of the flow. `informed` is the simulation's ground truth: the solver never sees it. */
export interface SimRequest {
  informed: boolean;
  /** Stable id: "noise-3"; informed "informed-1".."informed-3", or with sybil "sybil-<n>", new for each trade. */
  trader: string;
  /** From the strip 2600..3400 step 200 (USD). */
  strike: number;
  /** Days to expiry from the run's start (series are created once at the start). */
  tenorDays: 7 | 30;
  isCall: boolean;
  side: "buy" | "sellToClose" | "sellToOpen";
  /** Options, a positive integer. */
  amount: number;
}

/** The feed's round in force at a step, after its update rule ran at that step (`updatedAt` in run seconds). */
export interface OracleRound {
  price: number;
  updatedAt: number;
  /** A new round was pushed at this very step. */
  updated: boolean;
}

export interface WorldStep {
  /** Seconds since the run's start (step × stepSeconds). */
  time: number;
  /** The true price path: also what the external reference feed shows. */
  truePrice: number;
  oracle: OracleRound;
  request: SimRequest;
}

export interface World {
  params: ScenarioParams;
  seed: number;
  steps: WorldStep[];
  /** Price and oracle for LOOKAHEAD_STEPS steps after the last request (markouts come due). */
  tail: Array<Pick<WorldStep, "time" | "truePrice" | "oracle">>;
}

/** The markout horizon and the foresight trader's knowledge: one hour of 5-minute steps. */
export const LOOKAHEAD_STEPS = 12;
/** Oracle-lag traders act only on a reference-oracle gap at least this wide, bps (their cost of trading). */
export const ORACLE_LAG_EDGE_BPS = 20;
/** The run's first true price, USD. */
export const START_PRICE = 3000;
export const STRIKES = [2600, 2800, 3000, 3200, 3400] as const;
export const TENORS = [7, 30] as const;
const NOISE_TRADERS = 9;
const INFORMED_TRADERS = 3;
/** Noise traders sell back a series they hold with this probability, and write one above `1 − SELL_TO_OPEN`. */
const SELL_TO_CLOSE = 0.35;
const SELL_TO_OPEN = 0.1;
const YEAR_SECONDS = 365 * 86_400;

/** A series of the strip: what a request names besides side and size. */
export type Series = Pick<SimRequest, "strike" | "tenorDays" | "isCall">;
/** The 20 series of the strip, created once at the start of a run. */
export const SERIES: readonly Series[] = TENORS.flatMap((tenorDays) =>
  STRIKES.flatMap((strike) => [true, false].map((isCall) => ({ strike, tenorDays, isCall }))),
);

/** Builds the world of `params` for `seed`: the path and oracle first (own stream), then the flow. */
export function buildWorld(params: ScenarioParams, seed: number): World {
  const path = truePricePath(new Random(seed), params, params.requests + LOOKAHEAD_STEPS);
  const oracle = oracleRounds(path, params.stepSeconds, params.oracleDeviationBps, params.oracleHeartbeatSeconds);
  const flow = new FlowState(new Random(flowSeed(seed)), params);
  const steps: WorldStep[] = [];
  for (let i = 0; i < params.requests; i++) {
    const request = flow.request(path[i]!, path[i + LOOKAHEAD_STEPS]!, oracle[i]!.price);
    steps.push({ time: i * params.stepSeconds, truePrice: path[i]!, oracle: oracle[i]!, request });
  }
  const tail = path.slice(params.requests).map((truePrice, k) => ({
    time: (params.requests + k) * params.stepSeconds,
    truePrice,
    oracle: oracle[params.requests + k]!,
  }));
  return { params, seed, steps, tail };
}

/**
 * `count` true prices `stepSeconds` apart from START_PRICE: GBM at `vol` with compound-Poisson jumps
 * (`jumpsPerDay`, log size N(0, jumpBps)). The drift is compensated for the jumps' mean, so `drift` stays
 * the expected growth rate. Without jumps it draws exactly what `pricePath` draws.
 */
export function truePricePath(random: Random, p: ScenarioParams, count: number): number[] {
  const dt = p.stepSeconds / YEAR_SECONDS;
  const lambda = p.jumpsPerDay * 365;
  const jumpSd = p.jumpBps / 10_000;
  const compensator = lambda * (Math.exp((jumpSd * jumpSd) / 2) - 1);
  const mean = (p.drift - (p.vol * p.vol) / 2 - compensator) * dt;
  const path = [START_PRICE];
  for (let i = 1; i < count; i++) {
    let logReturn = mean + p.vol * Math.sqrt(dt) * random.normal();
    const jumps = poisson(random, lambda * dt);
    for (let j = 0; j < jumps; j++) logReturn += jumpSd * random.normal();
    path.push(path[i - 1]! * Math.exp(logReturn));
  }
  return path;
}

/**
 * The Chainlink-style feed over `path`: it starts at the first price and pushes a new round at a step only
 * when the price has moved `deviationBps` from its last round or `heartbeatSeconds` have passed since it.
 */
export function oracleRounds(
  path: readonly number[],
  stepSeconds: number,
  deviationBps: number,
  heartbeatSeconds: number,
): OracleRound[] {
  const rounds: OracleRound[] = [];
  let last: OracleRound = { price: path[0]!, updatedAt: 0, updated: true };
  for (let i = 0; i < path.length; i++) {
    const time = i * stepSeconds;
    const moved = Math.abs(path[i]! / last.price - 1) * 10_000 >= deviationBps;
    if (i > 0 && (moved || time - last.updatedAt >= heartbeatSeconds)) {
      last = { price: path[i]!, updatedAt: time, updated: true };
    } else if (i > 0) last = { ...last, updated: false };
    rounds.push(last);
  }
  return rounds;
}

/** A noise trader's order size for the scenario's size distribution. */
export function noiseSize(random: Random, sizes: ScenarioParams["sizes"]): number {
  if (sizes === "small") return random.int(1, 5);
  if (sizes === "mixed") return random.next() < 0.15 ? random.int(10, 20) : random.int(1, 5);
  // Pareto with tail index 1.2 on [1, ∞), floored and capped: P(size ≥ k) = k^−1.2 (56% ones, 6% ≥ 10).
  return Math.min(40, Math.floor((1 - random.next()) ** (-1 / 1.2)));
}

/** The seed of the flow's stream: apart from the path's, so flow settings never move the path. */
function flowSeed(seed: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + 0x7f4a7c15) >>> 0;
}

/** Who trades what, step by step: the traders' long holdings and the count of sybil ids handed out. */
class FlowState {
  readonly #holdings = new Map<string, number>();
  #sybils = 0;

  constructor(
    readonly random: Random,
    readonly params: ScenarioParams,
  ) {}

  /**
   * The request of one step. A step goes to an informed trader with probability `informedShare`; an
   * oracle-lag trader passes when the reference-oracle gap is under ORACLE_LAG_EDGE_BPS, and that step's
   * request then goes to a noise trader (so oracle-lag informed flow is below `informedShare`).
   */
  request(truePrice: number, priceAhead: number, oraclePrice: number): SimRequest {
    const roll = this.random.next();
    const gapBps = (truePrice / oraclePrice - 1) * 10_000;
    const foresight = this.params.informedType === "foresight";
    const acts = foresight || Math.abs(gapBps) >= ORACLE_LAG_EDGE_BPS;
    const request =
      roll < this.params.informedShare && acts
        ? this.#informed(truePrice, foresight ? priceAhead > truePrice : gapBps > 0)
        : this.#noise(`noise-${this.random.int(1, NOISE_TRADERS)}`);
    const key = holdingKey(request.trader, request);
    if (request.side === "buy") this.#holdings.set(key, this.#held(request.trader, request) + request.amount);
    if (request.side === "sellToClose") this.#holdings.set(key, this.#held(request.trader, request) - request.amount);
    return request;
  }

  /** A random series; sell back what it holds (≤ holdings) with prob 0.35, write with prob 0.1, else buy. */
  #noise(trader: string): SimRequest {
    const series = this.random.pick(SERIES);
    const roll = this.random.next();
    const amount = noiseSize(this.random, this.params.sizes);
    const held = this.#held(trader, series);
    if (held >= 1 && roll < SELL_TO_CLOSE)
      return { informed: false, trader, ...series, side: "sellToClose", amount: Math.min(amount, held) };
    const side = roll >= 1 - SELL_TO_OPEN ? "sellToOpen" : "buy";
    return { informed: false, trader, ...series, side, amount };
  }

  /** An informed trade in direction `up`: the nearest-the-money weekly in 2–8, or a noise trader's draws. */
  #informed(truePrice: number, up: boolean): SimRequest {
    const trader = this.params.sybil ? `sybil-${++this.#sybils}` : `informed-${this.random.int(1, INFORMED_TRADERS)}`;
    if (this.params.informedMimic) return this.#mimic(trader, up);
    const strike = STRIKES.reduce((best, k) => (Math.abs(k - truePrice) < Math.abs(best - truePrice) ? k : best));
    const amount = this.random.int(2, 8);
    return { informed: true, trader, strike, tenorDays: 7, isCall: up, side: "buy", amount };
  }

  /**
   * The noise trader's draws (series, roll, size) in the same order, with only the direction chosen: buy the
   * right-way option of the drawn strike and tenor, sell back the wrong-way one it holds, or write it.
   */
  #mimic(trader: string, up: boolean): SimRequest {
    const drawn = this.random.pick(SERIES);
    const roll = this.random.next();
    const amount = noiseSize(this.random, this.params.sizes);
    const wrongWay = { strike: drawn.strike, tenorDays: drawn.tenorDays, isCall: !up };
    const held = this.#held(trader, wrongWay);
    if (held >= 1 && roll < SELL_TO_CLOSE)
      return { informed: true, trader, ...wrongWay, side: "sellToClose", amount: Math.min(amount, held) };
    if (roll >= 1 - SELL_TO_OPEN) return { informed: true, trader, ...wrongWay, side: "sellToOpen", amount };
    return { informed: true, trader, ...wrongWay, isCall: up, side: "buy", amount };
  }

  #held(trader: string, series: Series): number {
    return this.#holdings.get(holdingKey(trader, series)) ?? 0;
  }
}

function holdingKey(trader: string, s: Series): string {
  return `${trader}|${s.strike}|${s.tenorDays}|${s.isCall ? "C" : "P"}`;
}
