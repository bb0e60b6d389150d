/**
 * The named market and flow regimes the simulation runs: each is a few overrides of `DEFAULT_SCENARIO`,
 * which is today's single-regime simulation (GBM at 80% vol, foresight traders on 20% of the flow).
 */

export type ScenarioName = "calm" | "trend" | "jumps" | "oracle-lag" | "sybil" | "stress";

/** Every knob of one simulated world (see `buildWorld`). */
export interface ScenarioParams {
  /** Steps, one request each. */
  requests: number;
  stepSeconds: number;
  /** Share of steps that go to an informed trader, 0..1 (oracle-lag traders may pass: see `world.ts`). */
  informedShare: number;
  /** A fresh trader id for every informed trade. */
  sybil: boolean;
  /** Knows the true price one hour ahead | knows the true (reference) price now while the oracle lags. */
  informedType: "foresight" | "oracle-lag";
  /** Informed draw series and sizes from the noise traders' distributions; only direction and timing differ. */
  informedMimic: boolean;
  /** The Chainlink-style feed pushes a new round when |true/oracle − 1| ≥ this, bps. */
  oracleDeviationBps: number;
  /** ... or when this long has passed since its last round. */
  oracleHeartbeatSeconds: number;
  /** Poisson jump intensity, per day. */
  jumpsPerDay: number;
  /** Standard deviation of the log jump size, bps. */
  jumpBps: number;
  /** Annual drift of the true price (the expected growth rate, jumps compensated). */
  drift: number;
  /** Annual diffusion vol. */
  vol: number;
  /** Noise size distribution: 1–5 uniform | mostly 1–5 with some 10–20 | heavy-tailed, capped at 40. */
  sizes: "small" | "mixed" | "heavy";
}

/** Today's simulation: calm GBM, a lazy oracle (50 bps / 1 h), 20% foresight traders buying near the money. */
export const DEFAULT_SCENARIO: ScenarioParams = Object.freeze({
  requests: 400,
  stepSeconds: 300,
  informedShare: 0.2,
  sybil: false,
  informedType: "foresight",
  informedMimic: false,
  oracleDeviationBps: 50,
  oracleHeartbeatSeconds: 3600,
  jumpsPerDay: 0,
  jumpBps: 0,
  drift: 0,
  vol: 0.8,
  sizes: "small",
});

/**
 * The named regimes. The trend's drift is ±10/yr rather than a "realistic" 1.5/yr: a run lasts 400 × 5 min
 * ≈ 1.4 days, over which 1.5/yr moves the price 0.6% against a 4.9% diffusion (80% vol) and is invisible;
 * 10/yr is ≈ 0.11% an hour against 0.85% of noise an hour. Trend goes up and stress goes down, so the
 * training mix sees both signs with a fixed, reproducible parameter set.
 */
export const SCENARIOS: Record<ScenarioName, Partial<ScenarioParams>> = Object.freeze({
  calm: {},
  trend: { drift: 10 },
  jumps: { jumpsPerDay: 3, jumpBps: 200 },
  "oracle-lag": { informedType: "oracle-lag", oracleDeviationBps: 100, oracleHeartbeatSeconds: 3600 },
  sybil: { sybil: true, informedShare: 0.2 },
  stress: {
    jumpsPerDay: 3,
    jumpBps: 300,
    drift: -10,
    vol: 1.2,
    informedType: "oracle-lag",
    oracleDeviationBps: 100,
    oracleHeartbeatSeconds: 3600,
    sybil: true,
    informedMimic: true,
    sizes: "heavy",
  },
});

/** The names in a fixed order (tables, training mixes). */
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

/** A named regime (or the default) with `overrides` on top; checks the ranges a world needs. */
export function scenarioParams(
  name: ScenarioName | undefined,
  overrides: Partial<ScenarioParams> = {},
): ScenarioParams {
  if (name !== undefined && !(name in SCENARIOS)) throw new RangeError(`unknown scenario: ${String(name)}`);
  const params: ScenarioParams = { ...DEFAULT_SCENARIO, ...(name ? SCENARIOS[name] : {}), ...overrides };
  checkParams(params);
  return params;
}

function checkParams(p: ScenarioParams): void {
  const bad = (what: string) => new RangeError(`invalid scenario parameter ${what}: ${JSON.stringify(p)}`);
  if (!Number.isInteger(p.requests) || p.requests < 1) throw bad("requests");
  if (!(p.stepSeconds > 0)) throw bad("stepSeconds");
  if (!(p.informedShare >= 0 && p.informedShare <= 1)) throw bad("informedShare");
  if (!(p.oracleDeviationBps > 0) || !(p.oracleHeartbeatSeconds > 0)) throw bad("oracle");
  if (!(p.jumpsPerDay >= 0) || !(p.jumpBps >= 0)) throw bad("jumps");
  if (!(p.vol >= 0) || !Number.isFinite(p.drift)) throw bad("vol/drift");
}
