/**
 * A world's requests as the flow model's training rows: the features the solver would see at each step,
 * the ground truth (informed or not) and the solver's markout, assuming it filled every request at model
 * value (Black-Scholes at the true price, 80% vol, 5% rate).
 */
import { type FlowInputs, recentMarket } from "../../../solver/flow/features.js";
import { SegmentMarkouts, segmentOf } from "../../../solver/flow/segments.js";
import { blackScholes } from "../../../solver/pricing/blackScholes.js";
import { LOOKAHEAD_STEPS, type Series, type SimRequest, type World } from "./world.js";

/** One training row. */
export interface LabeledRequest {
  scenario: string;
  seed: number;
  step: number;
  inputs: FlowInputs;
  segment: string;
  informed: boolean;
  /** The solver's markout at the one-hour horizon, bps of notional, at model value. */
  markoutBps: number;
}

/** The solver's pricing assumptions for markouts: its configured ATM vol and rate. */
export const MODEL_VOL = 0.8;
export const MODEL_RATE = 0.05;
/** The weight of each new markout in its segment's EWMA. */
export const SEGMENT_ALPHA = 0.05;
const YEAR_SECONDS = 365 * 86_400;

/** Years left at run second `time` for a series created at the run's start. */
export function tenorYearsAt(series: Pick<Series, "tenorDays">, time: number): number {
  return Math.max(0, series.tenorDays * 86_400 - time) / YEAR_SECONDS;
}

/** Black-Scholes value of one option of `series` at `price` and run second `time`. */
export function modelValue(series: Series, price: number, time: number): number {
  return trueValue(series.isCall, series.strike, price, tenorYearsAt(series, time));
}

/** The world's value of one option (Black-Scholes at the world's vol and rate): what informed traders know. */
export function trueValue(isCall: boolean, strike: number, spot: number, years: number): number {
  const g = blackScholes({ spot, strike, years, vol: MODEL_VOL, rate: MODEL_RATE });
  return isCall ? g.call : g.put;
}

/**
 * The solver's markout on request `step` at the horizon, bps of notional (options × spot): it sold what the
 * user bought (or bought what the user sold) at model value, and marks it at model value an hour later.
 */
export function markoutBps(world: World, step: number): number {
  return markoutOn(timeline(world), world.steps[step]!.request, step);
}

function markoutOn(points: readonly Point[], r: Series & Pick<SimRequest, "side">, step: number): number {
  const now = points[step]!;
  const later = points[step + LOOKAHEAD_STEPS]!;
  const change = modelValue(r, later.truePrice, later.time) - modelValue(r, now.truePrice, now.time);
  const solverSign = r.side === "buy" ? -1 : 1;
  return ((solverSign * change) / now.truePrice) * 10_000;
}

/**
 * Every request of `world` as a training row, in order. The segment EWMA folds in a request's markout only
 * once it is due (LOOKAHEAD_STEPS later), as the solver's would.
 */
export function labelWorld(world: World, scenario: string): LabeledRequest[] {
  const points = timeline(world);
  const segments = new SegmentMarkouts(SEGMENT_ALPHA);
  const rows: LabeledRequest[] = [];
  for (let i = 0; i < world.steps.length; i++) {
    const due = rows[i - LOOKAHEAD_STEPS];
    if (due) segments.record(due.segment, due.markoutBps);
    const { time, truePrice, oracle, request: r } = world.steps[i]!;
    const market = recentMarket(points.slice(Math.max(0, i - LOOKAHEAD_STEPS), i + 1));
    const base = { amount: r.amount, strike: r.strike, spot: truePrice, tenorYears: tenorYearsAt(r, time) };
    const segment = segmentOf({ ...base, isCall: r.isCall });
    const inputs: FlowInputs = {
      ...base,
      isCall: r.isCall,
      userBuys: r.side === "buy",
      ...market,
      oracleGapBps: (truePrice / oracle.price - 1) * 10_000,
      oracleAgeSeconds: time - oracle.updatedAt,
      segmentMarkoutBps: segments.mean(segment),
    };
    const markout = markoutOn(points, r, i);
    rows.push({ scenario, seed: world.seed, step: i, inputs, segment, informed: r.informed, markoutBps: markout });
  }
  return rows;
}

interface Point {
  time: number;
  price: number;
  truePrice: number;
}

/** The world's steps and tail as one list of (time, price) points. */
function timeline(world: World): Point[] {
  return [...world.steps, ...world.tail].map((p) => ({ time: p.time, price: p.truePrice, truePrice: p.truePrice }));
}
