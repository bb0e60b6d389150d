/**
 * The flow model at quote time: how likely a request is informed, and the markout the solver should expect
 * from it. Trained offline by `scripts/train.ts` (ml-logistic-regression on standardized features) and read
 * from `models/flow-model.json`; scoring needs only the stored weights, so the solver does not load the
 * training library.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { ConfigError, ErrorCode } from "../errors.js";
import { FEATURE_NAMES, type FlowInputs, flowFeatures } from "./features.js";

/** The model's view of one request. */
export interface FlowScore {
  /** Probability that the request is informed, 0..1. */
  informed: number;
  /** The solver's expected markout, bps of notional; negative is an expected loss. */
  expectedMarkoutBps: number;
}

/** A model file that is missing, not JSON, or not a flow model for these features. */
export class FlowModelError extends ConfigError {}

// zod 4 numbers are finite: NaN and ±Infinity (null in JSON) are refused.
const finite = z.number();
const metrics = z.object({ auc: finite.nullable(), brier: finite.nullable(), ece: finite.nullable(), n: z.number() });
/** ml-logistic-regression's `toJSON()`: one-vs-all, two classes; the weights' last entry is the intercept. */
const libraryModel = z.object({
  name: z.literal("LogisticRegression"),
  numSteps: z.number(),
  learningRate: z.number(),
  numberClasses: z.literal(2),
  classifiers: z
    .array(z.object({ numSteps: z.number(), learningRate: z.number(), weights: z.array(z.array(finite)).length(1) }))
    .length(2),
});

/** The committed model file. */
export const flowModelFileSchema = z
  .object({
    version: z.literal(1),
    createdAt: z.string(),
    features: z.array(z.string()),
    /** Means and stds to standardize by; `min` and `max`: each feature's range in training, clamped to. */
    standardization: z.object({
      means: z.array(finite),
      stds: z.array(finite.positive()),
      min: z.array(finite).optional(),
      max: z.array(finite).optional(),
    }),
    model: libraryModel,
    markoutBps: z.object({ informed: finite, noise: finite }),
    trainedOn: z.object({ seeds: z.array(z.number()), scenarios: z.array(z.string()), rows: z.number() }).loose(),
    testedOn: z.object({ seeds: z.array(z.number()) }).optional(),
    evaluation: z.record(z.string(), metrics),
  })
  .superRefine((file, ctx) => {
    const k = FEATURE_NAMES.length;
    const same = file.features.length === k && file.features.every((f, i) => f === FEATURE_NAMES[i]);
    if (!same) ctx.addIssue({ code: "custom", path: ["features"], message: `must be ${FEATURE_NAMES.join(",")}` });
    const { means, stds, min = means, max = means } = file.standardization;
    if ([means, stds, min, max].some((xs) => xs.length !== k))
      ctx.addIssue({ code: "custom", path: ["standardization"], message: `needs ${k} of each figure` });
    file.model.classifiers.forEach((c, i) => {
      if (c.weights[0]!.length !== k + 1)
        ctx.addIssue({ code: "custom", path: ["model", "classifiers", i], message: `needs ${k + 1} weights` });
    });
  });
export type FlowModelFile = z.infer<typeof flowModelFileSchema>;

/** Scores requests with a trained logistic regression; immutable once loaded. */
export class FlowModel {
  readonly meta: Omit<FlowModelFile, "model" | "standardization">;
  readonly #means: readonly number[];
  readonly #stds: readonly number[];
  readonly #min: readonly number[];
  readonly #max: readonly number[];
  readonly #weights: readonly number[];

  private constructor(file: FlowModelFile) {
    const { model, standardization, ...meta } = file;
    this.meta = meta;
    this.#means = standardization.means;
    this.#stds = standardization.stds;
    this.#min = standardization.min ?? standardization.means.map(() => Number.NEGATIVE_INFINITY);
    this.#max = standardization.max ?? standardization.means.map(() => Number.POSITIVE_INFINITY);
    // The library trains class c's classifier on "label ≠ c", so classifier 0 is P(label = 1) = P(informed).
    this.#weights = model.classifiers[0]!.weights[0]!;
  }

  /** A model from parsed JSON; `FlowModelError` (code CONFIG_INVALID) with the zod issues when it is not one. */
  static fromJSON(raw: unknown): FlowModel {
    const parsed = flowModelFileSchema.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
      throw new FlowModelError(ErrorCode.ConfigInvalid, `invalid flow model: ${issues.join("; ")}`, {
        details: { issues },
      });
    }
    return new FlowModel(parsed.data);
  }

  /** Reads and validates a model file; `FlowModelError` when it cannot be read or parsed. */
  static load(path: string): FlowModel {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, "utf8"));
    } catch (cause) {
      throw new FlowModelError(ErrorCode.ConfigInvalid, `cannot read flow model ${path}`, { cause, details: { path } });
    }
    return FlowModel.fromJSON(raw);
  }

  /**
   * The probability the request is informed (the logistic function of the stored weights over the
   * standardized features, intercept last), and the markout that implies: the training set's mean markout
   * of informed and of noise requests, mixed by that probability. Each feature is first clamped to its range
   * in training: a request unlike any seen (an expiry two hours away, a size never traded) is scored as the
   * nearest seen, not by extrapolating a line.
   */
  score(x: FlowInputs): FlowScore {
    const features = flowFeatures(x);
    let logit = this.#weights[features.length]!;
    features.forEach((f, j) => {
      const clamped = Math.min(Math.max(f, this.#min[j]!), this.#max[j]!);
      logit += this.#weights[j]! * ((clamped - this.#means[j]!) / this.#stds[j]!);
    });
    const informed = 1 / (1 + Math.exp(-logit));
    const { informed: bad, noise } = this.meta.markoutBps;
    return { informed, expectedMarkoutBps: informed * bad + (1 - informed) * noise };
  }
}
