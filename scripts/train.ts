/**
 * npm run train [-- --train-seeds 1000..1059 --test-seeds 5000..5019 --out models/flow-model.json --steps 1500]
 *
 * Trains the flow model (solver/flow/) on simulated worlds: every training seed × a mix of scenarios (the six
 * named ones, plus oracle-lag and sybil with informed traders mimicking noise), then judges it on test seeds
 * it never saw, per scenario and on oracle-lag + sybil + mimic. Prints a table, writes the model file, and
 * ends with one JSON line: { trainedOn, features, evaluation: { [scenario]: { auc, brier, ece, n } } }.
 * No chain: worlds are generated in memory (scripts/lib/sim/world.ts). See docs/FLOW_MODEL.md.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import Table from "cli-table3";
import { FEATURE_NAMES } from "../solver/flow/features.js";
import { FlowModel } from "../solver/flow/model.js";
import { DEFAULT_FIT, type Evaluation, evaluateFlow, fitFlowModel } from "./lib/sim/fitFlow.js";
import { type LabeledRequest, labelWorld } from "./lib/sim/labels.js";
import { type ScenarioName, type ScenarioParams, scenarioParams } from "./lib/sim/scenarios.js";
import { buildWorld } from "./lib/sim/world.js";

interface MixEntry {
  label: string;
  name: ScenarioName;
  overrides: Partial<ScenarioParams>;
}

const mimic = { informedMimic: true };
/** The training mix: the six named regimes, plus oracle-lag and sybil with informed traders mimicking noise. */
const TRAINING_MIX: MixEntry[] = [
  ...(["calm", "trend", "jumps", "oracle-lag", "sybil", "stress"] as const).map((name) => ({
    label: name,
    name,
    overrides: {},
  })),
  { label: "oracle-lag+mimic", name: "oracle-lag", overrides: mimic },
  { label: "sybil+mimic", name: "sybil", overrides: mimic },
];
/** The evaluation mix adds the acceptance case, which is not trained on as such. */
const EVALUATION_MIX: MixEntry[] = [
  ...TRAINING_MIX,
  { label: "oracle-lag+sybil+mimic", name: "oracle-lag", overrides: { sybil: true, informedMimic: true } },
];

const { values } = parseArgs({
  options: {
    "train-seeds": { type: "string", default: "1000..1059" },
    "test-seeds": { type: "string", default: "5000..5019" },
    out: { type: "string", default: "models/flow-model.json" },
    steps: { type: "string", default: String(DEFAULT_FIT.numSteps) },
  },
});

/** "1000..1059" (inclusive) or "1,2,3". */
function seedList(spec: string): number[] {
  const range = /^(\d+)\.\.(\d+)$/.exec(spec);
  const seeds = range
    ? Array.from({ length: Number(range[2]) - Number(range[1]) + 1 }, (_, i) => Number(range[1]) + i)
    : spec.split(",").map(Number);
  if (seeds.length === 0 || !seeds.every(Number.isInteger)) throw new RangeError(`bad seed list: ${spec}`);
  return seeds;
}

function rowsFor(mix: MixEntry[], seeds: number[]): Map<string, LabeledRequest[]> {
  const out = new Map<string, LabeledRequest[]>();
  for (const entry of mix) {
    const params = scenarioParams(entry.name, entry.overrides);
    out.set(
      entry.label,
      seeds.flatMap((seed) => labelWorld(buildWorld(params, seed), entry.label)),
    );
  }
  return out;
}

const started = performance.now();
const trainSeeds = seedList(values["train-seeds"]);
const testSeeds = seedList(values["test-seeds"]);
const overlap = testSeeds.filter((s) => trainSeeds.includes(s));
if (overlap.length > 0) throw new RangeError(`test seeds also train: ${overlap.join(",")}`);

const trainRows = [...rowsFor(TRAINING_MIX, trainSeeds).values()].flat();
const fitOptions = { ...DEFAULT_FIT, numSteps: Number(values.steps) };
const fit = fitFlowModel(trainRows, fitOptions);
const trainedOn = {
  seeds: trainSeeds,
  scenarios: TRAINING_MIX.map((m) => m.label),
  rows: trainRows.length,
  informedShare: round(trainRows.filter((r) => r.informed).length / trainRows.length, 4),
  numSteps: fitOptions.numSteps,
  learningRate: fit.model.learningRate,
};
const provisional = FlowModel.fromJSON({ version: 1, createdAt: "", ...fit, trainedOn, evaluation: {} });
const fittedAt = performance.now();

const testRows = rowsFor(EVALUATION_MIX, testSeeds);
const evaluations = new Map<string, Evaluation>(
  [...testRows].map(([label, rows]) => [label, evaluateFlow(provisional, rows)]),
);
evaluations.set("all", evaluateFlow(provisional, [...testRows.values()].flat()));
const evaluation = Object.fromEntries(
  [...evaluations].map(([label, e]) => [
    label,
    { auc: round(e.auc, 4), brier: round(e.brier, 4), ece: round(e.ece, 4), n: e.n },
  ]),
);

const file = {
  version: 1,
  createdAt: new Date().toISOString(),
  ...fit,
  markoutBps: { informed: round(fit.markoutBps.informed, 4), noise: round(fit.markoutBps.noise, 4) },
  trainedOn,
  testedOn: { seeds: testSeeds },
  evaluation,
};
// The file must load as the solver will load it.
FlowModel.fromJSON(file);
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, `${JSON.stringify(file, null, 2)}\n`);
// In the repo's JSON style (number arrays filled to the line width), so that the lint passes on the file.
try {
  const biome = createRequire(import.meta.url).resolve("@biomejs/biome/bin/biome");
  execFileSync(process.execPath, [biome, "format", "--write", values.out], { stdio: "ignore" });
} catch {
  console.error(`biome could not format ${values.out}: the model is written, unformatted`);
}

printTables(evaluations, testRows);
console.error(
  `trained on ${trainRows.length} rows in ${((fittedAt - started) / 1000).toFixed(1)} s, ` +
    `total ${((performance.now() - started) / 1000).toFixed(1)} s; wrote ${values.out}`,
);
console.log(JSON.stringify({ trainedOn, features: FEATURE_NAMES, evaluation }));

function printTables(evals: Map<string, Evaluation>, rows: Map<string, LabeledRequest[]>): void {
  const table = new Table({
    head: ["scenario (test seeds)", "n", "informed", "AUC", "Brier", "ECE", "markout inf", "markout noise"],
    style: { head: [], border: [] },
  });
  for (const [label, e] of evals) {
    const r = rows.get(label) ?? [...rows.values()].flat();
    const mean = (xs: LabeledRequest[]) => xs.reduce((s, x) => s + x.markoutBps, 0) / Math.max(1, xs.length);
    table.push([
      label,
      e.n,
      `${(e.informedShare * 100).toFixed(1)}%`,
      e.auc.toFixed(3),
      e.brier.toFixed(3),
      e.ece.toFixed(3),
      mean(r.filter((x) => x.informed)).toFixed(1),
      mean(r.filter((x) => !x.informed)).toFixed(1),
    ]);
  }
  console.log(table.toString());
  const bins = new Table({
    head: ["reliability (all test rows)", "n", "predicted", "observed"],
    style: { head: [], border: [] },
  });
  for (const b of evals.get("all")!.bins) {
    bins.push([`${b.lo.toFixed(1)}–${b.hi.toFixed(1)}`, b.n, fmt(b.predicted), fmt(b.observed)]);
  }
  console.log(bins.toString());
}

function fmt(x: number): string {
  return Number.isNaN(x) ? "–" : x.toFixed(3);
}

function round(x: number, digits: number): number {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}
