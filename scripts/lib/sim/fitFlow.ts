/**
 * Fitting and judging the flow model: standardize the features, fit ml-logistic-regression on them plus an
 * intercept column, and measure ranking and calibration on rows it never saw.
 */
import LogisticRegression, { type LogisticRegressionJSON } from "ml-logistic-regression";
import { Matrix } from "ml-matrix";
import { FEATURE_NAMES, flowFeatures } from "../../../solver/flow/features.js";
import {
  auc,
  brier,
  expectedCalibrationError,
  type ReliabilityBin,
  reliability,
} from "../../../solver/flow/metrics.js";
import type { FlowModel } from "../../../solver/flow/model.js";
import type { LabeledRequest } from "./labels.js";

/**
 * Gradient-ascent settings. The library sums the gradient over rows, so its step is `stepPerRow / rows`.
 * 300 steps of 3 reach the maximum-likelihood weights to two decimals on the training mix (checked against
 * Newton's method); 8 oscillates.
 */
export interface FitOptions {
  numSteps: number;
  stepPerRow: number;
}

export const DEFAULT_FIT: FitOptions = { numSteps: 300, stepPerRow: 3 };

/** What a fit produces: the parts of a model file that come from the training rows. */
export interface FlowFit {
  features: string[];
  standardization: { means: number[]; stds: number[]; min: number[]; max: number[] };
  model: LogisticRegressionJSON;
  markoutBps: { informed: number; noise: number };
}

/**
 * Per-column mean and (population) standard deviation, a constant column getting std 1 so it stays finite;
 * and each column's range in training, which scoring clamps to (a linear model must not extrapolate).
 */
export function standardization(rows: readonly number[][]) {
  const k = rows[0]?.length ?? 0;
  const means = Array.from({ length: k }, (_, j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length);
  const stds = means.map((m, j) => {
    const sd = Math.sqrt(rows.reduce((s, r) => s + (r[j]! - m) ** 2, 0) / rows.length);
    return sd > 1e-12 ? sd : 1;
  });
  const min = means.map((_, j) => rows.reduce((lo, r) => Math.min(lo, r[j]!), Number.POSITIVE_INFINITY));
  const max = means.map((_, j) => rows.reduce((hi, r) => Math.max(hi, r[j]!), Number.NEGATIVE_INFINITY));
  return { means, stds, min, max };
}

/** Fits the model on `rows` (both classes needed) and measures the class markout means on them. */
export function fitFlowModel(rows: readonly LabeledRequest[], opts: FitOptions = DEFAULT_FIT): FlowFit {
  const raw = rows.map((r) => flowFeatures(r.inputs));
  const scale = standardization(raw);
  const { means, stds } = scale;
  const X = new Matrix(raw.map((f) => [...f.map((v, j) => (v - means[j]!) / stds[j]!), 1]));
  const Y = Matrix.columnVector(rows.map((r) => (r.informed ? 1 : 0)));
  if (new Set(Y.to1DArray()).size !== 2) throw new RangeError("training rows need both informed and noise requests");
  const regression = new LogisticRegression({ numSteps: opts.numSteps, learningRate: opts.stepPerRow / rows.length });
  regression.train(X, Y);
  // Through JSON: the library's toJSON keeps Matrix objects inside, the file needs plain arrays.
  const model = JSON.parse(JSON.stringify(regression.toJSON())) as LogisticRegressionJSON;
  return { features: [...FEATURE_NAMES], standardization: scale, model, markoutBps: classMarkouts(rows) };
}

/** Mean solver markout of informed and of noise requests, bps (0 for a class with no rows). */
export function classMarkouts(rows: readonly LabeledRequest[]): { informed: number; noise: number } {
  const mean = (xs: LabeledRequest[]) => (xs.length ? xs.reduce((s, r) => s + r.markoutBps, 0) / xs.length : 0);
  return { informed: mean(rows.filter((r) => r.informed)), noise: mean(rows.filter((r) => !r.informed)) };
}

/** How a model does on some rows. */
export interface Evaluation {
  auc: number;
  brier: number;
  ece: number;
  n: number;
  informedShare: number;
  bins: ReliabilityBin[];
}

/** Ranking and calibration of `model` on `rows`. */
export function evaluateFlow(model: FlowModel, rows: readonly LabeledRequest[]): Evaluation {
  const probs = rows.map((r) => model.score(r.inputs).informed);
  const labels = rows.map((r) => r.informed);
  const bins = reliability(probs, labels, 10);
  return {
    auc: auc(probs, labels),
    brier: brier(probs, labels),
    ece: expectedCalibrationError(bins),
    n: rows.length,
    informedShare: labels.filter(Boolean).length / Math.max(1, rows.length),
    bins,
  };
}
