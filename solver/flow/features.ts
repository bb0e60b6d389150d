/**
 * The flow model's features: what a request and the market look like at quote time, never who sent it. The
 * requester's own history is left out on purpose (a fresh address would be a giveaway only in a simulation
 * where sybils are informed); the solver weighs a requester's own markouts separately.
 */

/** What the solver knows about one request when it quotes. */
export interface FlowInputs {
  /** Options. */
  amount: number;
  strike: number;
  /** The reference price (the solver's spot). */
  spot: number;
  /** Time to expiry, years. */
  tenorYears: number;
  isCall: boolean;
  userBuys: boolean;
  /** Reference return over the last hour, bps (0 when unknown). */
  recentReturnBps: number;
  /** (reference − oracle) / oracle, bps. */
  oracleGapBps: number;
  /** Time since the oracle's last round, seconds. */
  oracleAgeSeconds: number;
  /** Annualized, from recent reference returns (0 when unknown). */
  realizedVol: number;
  /** EWMA of the solver's markouts in this request's segment, bps of notional (0 when none). */
  segmentMarkoutBps: number;
}

/** The names of `flowFeatures`' entries, in order. A model file lists them and must match. */
export const FEATURE_NAMES: readonly string[] = Object.freeze([
  "logSize",
  "moneyness",
  "absMoneyness",
  "logTenor",
  "userBuys",
  "directionXReturn",
  "directionXGap",
  "oracleAgeHours",
  "realizedVol",
  "segmentMarkout",
  "gapWith",
  "gapWithXAbsMoneyness",
  "gapWithXLogTenor",
  "gapWithXLogSize",
  "gapWithXUserBuys",
]);

/** Tenors shorter than this (an hour) count as this much in the log: expiring series stay finite. */
const MIN_TENOR_YEARS = 1 / (365 * 24);
/**
 * A reference-oracle gap narrower than this, bps, is no trade for an arbitrageur of the lagging oracle
 * (fees and gas). The simulation's oracle-lag traders use the same edge (ORACLE_LAG_EDGE_BPS): against a
 * live venue, set it to what trading the gap costs there.
 */
export const GAP_EDGE_BPS = 20;

/**
 * The user's delta direction: +1 when the trade leaves the user longer the underlying (buy a call, sell a
 * put), −1 when shorter (buy a put, sell a call).
 */
export function userDirection(x: Pick<FlowInputs, "isCall" | "userBuys">): 1 | -1 {
  return x.isCall === x.userBuys ? 1 : -1;
}

/** Log-moneyness signed so that out of the money is positive: ln(K/S) for a call, ln(S/K) for a put. */
export function signedMoneyness(x: Pick<FlowInputs, "strike" | "spot" | "isCall">): number {
  const m = Math.log(x.strike / x.spot);
  return x.isCall ? m : -m;
}

/**
 * Where the shape is centred inside its products with `gapWith` (typical values of the strip's flow). An
 * indicator times an uncentred feature (log tenor is always negative) is nearly the indicator itself;
 * the near-collinear pair made the library's plain gradient ascent crawl (condition number 260 → 9).
 */
const GAP_SHAPE_CENTRE = { absMoneyness: 0.1, logTenor: -3.2, logSize: 1, buys: 0.5 } as const;

/**
 * The feature vector of `x`, in FEATURE_NAMES' order; bps in units of 100 bps, so that they sit near the
 * others before standardization.
 *
 * - The request's shape: log size, signed and absolute moneyness, log tenor, buy (+1) or sell (−1).
 * - The market: the user's delta direction × the last hour's return (trading with or against the move),
 *   × the reference-oracle gap (positive when trading towards where the lagging oracle must go), the
 *   oracle's age in hours, realized vol, the segment's mean markout.
 * - `gapWith`: the trade goes with a gap wider than GAP_EDGE_BPS. Its products with the shape let a linear
 *   model say "a trade with the gap is suspicious whatever its shape" while still reading the shape of the
 *   trades no gap explains: two kinds of informed flow, one set of weights.
 */
export function flowFeatures(x: FlowInputs): number[] {
  checkInputs(x);
  const direction = userDirection(x);
  const directedGap = (direction * x.oracleGapBps) / 100;
  const gapWith = direction * x.oracleGapBps >= GAP_EDGE_BPS ? 1 : 0;
  const logSize = Math.log(x.amount);
  const moneyness = signedMoneyness(x);
  const logTenor = Math.log(Math.max(x.tenorYears, MIN_TENOR_YEARS));
  const buys = x.userBuys ? 1 : -1;
  const c = GAP_SHAPE_CENTRE;
  return [
    logSize,
    moneyness,
    Math.abs(moneyness),
    logTenor,
    buys,
    (direction * x.recentReturnBps) / 100,
    directedGap,
    x.oracleAgeSeconds / 3600,
    x.realizedVol,
    x.segmentMarkoutBps / 100,
    gapWith,
    gapWith * (Math.abs(moneyness) - c.absMoneyness),
    gapWith * (logTenor - c.logTenor),
    gapWith * (logSize - c.logSize),
    gapWith * (buys - c.buys),
  ];
}

function checkInputs(x: FlowInputs): void {
  const finite = [x.recentReturnBps, x.oracleGapBps, x.oracleAgeSeconds, x.realizedVol, x.segmentMarkoutBps];
  if (!(x.amount > 0) || !(x.strike > 0) || !(x.spot > 0) || !(x.tenorYears >= 0) || !finite.every(Number.isFinite)) {
    throw new RangeError(`invalid flow inputs: ${JSON.stringify(x)}`);
  }
}

/**
 * The hour's market features from reference samples (any spacing, oldest first, the last one now):
 * the return from the first sample at or after `now − windowSeconds` to the last, in bps, and the
 * annualized realized vol of the log returns between consecutive samples in that window. Both 0 with
 * fewer than two samples in the window or a window shorter than half of `windowSeconds` (not enough yet).
 */
export function recentMarket(
  samples: ReadonlyArray<{ time: number; price: number }>,
  windowSeconds = 3600,
): { recentReturnBps: number; realizedVol: number } {
  const now = samples.at(-1)?.time ?? 0;
  const window = samples.filter((s) => s.time >= now - windowSeconds);
  const span = window.length > 1 ? now - window[0]!.time : 0;
  if (span < windowSeconds / 2) return { recentReturnBps: 0, realizedVol: 0 };
  let squares = 0;
  for (let i = 1; i < window.length; i++) squares += Math.log(window[i]!.price / window[i - 1]!.price) ** 2;
  return {
    recentReturnBps: (window.at(-1)!.price / window[0]!.price - 1) * 10_000,
    realizedVol: Math.sqrt((squares / span) * 365 * 86_400),
  };
}
