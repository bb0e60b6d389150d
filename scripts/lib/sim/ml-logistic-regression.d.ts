/** Types for ml-logistic-regression@2 (the package ships none): only what the training script uses. */
declare module "ml-logistic-regression" {
  import type { Matrix } from "ml-matrix";

  export interface LogisticRegressionJSON {
    name: "LogisticRegression";
    numSteps: number;
    learningRate: number;
    numberClasses: number;
    classifiers: unknown[];
  }

  /** One-vs-all logistic regression by batch gradient ascent (summed over rows); no intercept of its own. */
  export default class LogisticRegression {
    constructor(options?: { numSteps?: number; learningRate?: number });
    numberClasses: number;
    classifiers: Array<{ weights: Matrix; testScores(features: Matrix): number[] }>;
    train(X: Matrix, Y: Matrix): void;
    /** The most likely class of each row. */
    predict(X: Matrix): number[];
    toJSON(): LogisticRegressionJSON;
    static load(model: LogisticRegressionJSON): LogisticRegression;
  }
}
