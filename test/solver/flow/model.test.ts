import { readFileSync } from "node:fs";
import { expect } from "chai";
import LogisticRegression from "ml-logistic-regression";
import { Matrix } from "ml-matrix";
import { fitFlowModel } from "../../../scripts/lib/sim/fitFlow.js";
import { labelWorld } from "../../../scripts/lib/sim/labels.js";
import { scenarioParams } from "../../../scripts/lib/sim/scenarios.js";
import { buildWorld } from "../../../scripts/lib/sim/world.js";
import { ConfigError, ErrorCode } from "../../../solver/errors.js";
import { FEATURE_NAMES, type FlowInputs, flowFeatures } from "../../../solver/flow/features.js";
import { FlowModel, FlowModelError } from "../../../solver/flow/model.js";
import { expectClose } from "../../support/approx.js";
import { NEUTRAL_REQUEST } from "../../support/flow.js";

const MODEL_PATH = "models/flow-model.json";
const committed = () => JSON.parse(readFileSync(MODEL_PATH, "utf8")) as Record<string, unknown>;

const neutral: FlowInputs = { ...NEUTRAL_REQUEST, strike: 3200, tenorYears: 30 / 365 };

/** The error `fn` throws (fails the test when it throws none). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  expect.fail("expected an error");
}

describe("flow model", () => {
  it("loads the committed model file and scores a trade with the lagging oracle above a neutral one", () => {
    const model = FlowModel.load(MODEL_PATH);
    expect(model.meta.features).to.deep.equal([...FEATURE_NAMES]);
    const calm = model.score(neutral);
    // Same shape, but buying calls while the reference is 60 bps above the oracle.
    const lag = model.score({ ...neutral, oracleGapBps: 60, oracleAgeSeconds: 1800 });
    expect(calm.informed).to.be.within(0, 1);
    expect(lag.informed).to.be.greaterThan(calm.informed + 0.1);
    // Trading against the gap looks less informed than trading with it.
    expect(model.score({ ...neutral, oracleGapBps: -60 }).informed).to.be.lessThan(lag.informed);
    const { informed, noise } = model.meta.markoutBps;
    expectClose(lag.expectedMarkoutBps, lag.informed * informed + (1 - lag.informed) * noise, 1e-9, "value");
  });

  it("refuses a malformed model with FlowModelError (CONFIG_INVALID) naming the fields", () => {
    const good = committed();
    const cases: Array<[unknown, RegExp]> = [
      [null, /\(root\)/],
      [{ ...good, version: 2 }, /version/],
      [{ ...good, features: ["logSize"] }, /features/],
      [{ ...good, standardization: { means: [0], stds: [1] } }, /standardization/],
      [{ ...good, markoutBps: { informed: "x", noise: 0 } }, /markoutBps\.informed/],
      [{ ...good, model: { ...(good.model as object), name: "Other" } }, /model\.name/],
    ];
    for (const [raw, message] of cases) {
      const error = thrown(() => FlowModel.fromJSON(raw));
      expect(error).to.be.instanceOf(FlowModelError).and.instanceOf(ConfigError);
      expect((error as FlowModelError).code).to.equal(ErrorCode.ConfigInvalid);
      expect((error as FlowModelError).message).to.match(message);
    }
    const weights = structuredClone(good);
    (weights.model as { classifiers: Array<{ weights: unknown }> }).classifiers[0]!.weights = [[1, 2]];
    expect(() => FlowModel.fromJSON(weights)).to.throw(FlowModelError, /classifiers\.0: needs/);
  });

  it("refuses a missing or unparsable file with FlowModelError", () => {
    const error = thrown(() => FlowModel.load("models/no-such-model.json"));
    expect(error).to.be.instanceOf(FlowModelError);
    expect((error as FlowModelError).details).to.deep.equal({ path: "models/no-such-model.json" });
  });

  it("trains on a tiny dataset, and scores as the library's own classifier does", function () {
    this.timeout(20_000);
    const rows = [1, 2].flatMap((seed) =>
      labelWorld(buildWorld(scenarioParams("oracle-lag", { requests: 150 }), seed), "oracle-lag"),
    );
    const fit = fitFlowModel(rows, { numSteps: 60, stepPerRow: 3 });
    const model = FlowModel.fromJSON({
      version: 1,
      createdAt: "test",
      ...fit,
      trainedOn: { seeds: [1, 2], scenarios: ["oracle-lag"], rows: rows.length },
      evaluation: {},
    });
    const library = LogisticRegression.load(fit.model);
    const { means, stds } = fit.standardization;
    const X = new Matrix(rows.map((r) => [...flowFeatures(r.inputs).map((v, j) => (v - means[j]!) / stds[j]!), 1]));
    const libraryProbs = library.classifiers[0]!.testScores(X);
    for (const [i, r] of rows.entries()) expectClose(model.score(r.inputs).informed, libraryProbs[i]!, 1e-12, "value");
    // The informed class is the one the library predicts for a high probability.
    const predicted = library.predict(X);
    expect(predicted).to.deep.equal(libraryProbs.map((p) => (p > 0.5 ? 1 : 0)));
    const informedMean = rows.filter((r) => r.informed).reduce((s, r) => s + r.markoutBps, 0);
    expectClose(fit.markoutBps.informed, informedMean / rows.filter((r) => r.informed).length, 1e-9, "value");
  });
});
