import { parseArgs } from "node:util";
import { z } from "zod";
import { SCENARIO_NAMES, type ScenarioName, type ScenarioParams, scenarioParams } from "./scenarios.js";

/** A seed range "A..B" (inclusive) or one seed. */
export const Seeds = z
  .string()
  .regex(/^\d+(\.\.\d+)?$/, 'a seed or a range "A..B"')
  .transform((text) => {
    const [a, b = a] = text.split("..").map(Number) as [number, number?];
    return { from: a, to: b };
  })
  .refine((r) => r.to >= r.from && r.to - r.from < 1000, "the range must run forward and hold at most 1000 seeds");

/** A flag's text as a number: "abc" is "expected a number, got abc", not NaN; then `schema`'s bounds. */
function number<T extends z.ZodType<number, number>>(schema: T) {
  return z
    .string()
    .refine((t) => t.trim() !== "" && Number.isFinite(Number(t)), {
      error: (i) => `expected a number, got ${JSON.stringify(i.input)}`,
    })
    .transform(Number)
    .pipe(schema);
}
const num = z.number();
const int = z.number().int();
const flag = z.enum(["true", "false"]).transform((v) => v === "true");

/** Every flag of `npm run sim`: the seeds, the scenario and each of its parameters, and how to run. */
const Args = z
  .object({
    scenario: z.enum(SCENARIO_NAMES as [ScenarioName, ...ScenarioName[]]).optional(),
    seeds: Seeds.optional(),
    seed: number(int.min(0)).optional(),
    requests: number(int.min(1).max(100_000)).optional(),
    informed: number(num.min(0).max(1)).optional(),
    sybil: flag.optional(),
    "informed-type": z.enum(["foresight", "oracle-lag"]).optional(),
    "informed-mimic": flag.optional(),
    "oracle-deviation-bps": number(num.positive().max(10_000)).optional(),
    "oracle-heartbeat": number(int.positive()).optional(),
    "jumps-per-day": number(num.min(0).max(1000)).optional(),
    "jump-bps": number(num.min(0).max(5000)).optional(),
    drift: number(num.min(-100).max(100)).optional(),
    vol: number(num.min(0).max(5)).optional(),
    sizes: z.enum(["small", "mixed", "heavy"]).optional(),
    jobs: number(int.min(1).max(16)).optional(),
  })
  .strict()
  .refine((a) => !(a.seed !== undefined && a.seeds !== undefined), "give --seed or --seeds, not both");

/** What a `npm run sim` invocation asks for. */
export interface SimArgs {
  scenario: ScenarioName | undefined;
  seeds: number[];
  params: ScenarioParams;
  jobs: number | undefined;
  /** One seed and no scenario: the output keeps the single-run shape of earlier versions. */
  legacy: boolean;
}

const BOOLEAN_FLAGS = ["sybil", "informed-mimic"];
const STRING_FLAGS = [
  "scenario",
  "seeds",
  "seed",
  "requests",
  "informed",
  "informed-type",
  "oracle-deviation-bps",
  "oracle-heartbeat",
  "jumps-per-day",
  "jump-bps",
  "drift",
  "vol",
  "sizes",
  "jobs",
];

/** Parses argv; throws a RangeError whose message lists every problem. */
export function parseSimArgs(argv: string[]): SimArgs {
  const options = Object.fromEntries([
    ...STRING_FLAGS.map((f) => [f, { type: "string" as const }]),
    ...BOOLEAN_FLAGS.map((f) => [f, { type: "boolean" as const }]),
  ]);
  const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  const raw = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === "boolean" ? String(v) : v]));
  const parsed = Args.safeParse(raw);
  if (!parsed.success) throw new RangeError(z.prettifyError(parsed.error));
  const a = parsed.data;
  const range = a.seeds ?? { from: a.seed ?? 1, to: a.seed ?? 1 };
  const seeds = Array.from({ length: range.to - range.from + 1 }, (_, k) => range.from + k);
  return {
    scenario: a.scenario,
    seeds,
    params: scenarioParams(a.scenario, overrides(a)),
    jobs: a.jobs,
    legacy: a.scenario === undefined && seeds.length === 1,
  };
}

function overrides(a: z.infer<typeof Args>): Partial<ScenarioParams> {
  const o: Partial<ScenarioParams> = {};
  if (a.requests !== undefined) o.requests = a.requests;
  if (a.informed !== undefined) o.informedShare = a.informed;
  if (a.sybil !== undefined) o.sybil = a.sybil;
  if (a["informed-type"] !== undefined) o.informedType = a["informed-type"];
  if (a["informed-mimic"] !== undefined) o.informedMimic = a["informed-mimic"];
  if (a["oracle-deviation-bps"] !== undefined) o.oracleDeviationBps = a["oracle-deviation-bps"];
  if (a["oracle-heartbeat"] !== undefined) o.oracleHeartbeatSeconds = a["oracle-heartbeat"];
  if (a["jumps-per-day"] !== undefined) o.jumpsPerDay = a["jumps-per-day"];
  if (a["jump-bps"] !== undefined) o.jumpBps = a["jump-bps"];
  if (a.drift !== undefined) o.drift = a.drift;
  if (a.vol !== undefined) o.vol = a.vol;
  if (a.sizes !== undefined) o.sizes = a.sizes;
  return o;
}
